"""`make editorial-report`: the weekly editorial report, as Markdown.

`collect(loaded, fetch)` gathers, from the content as loaded once
(content_schema's load_content, with its `today`):

- medical reviews overdue, or due within DUE_SOON_DAYS (check.py's
  next_review_due, the one rule of when a review falls due);
- editorial questions still in an article's front matter;
- articles edited since their review (ReviewState.CHANGED), and reviews that
  record no fingerprint of the text they covered (ReviewState.UNRECORDED);
- references (content/references.yaml) whose DOI, PubMed or web address no
  longer resolves, each distinct address asked once through `fetch`.

`render(report)` writes it as Markdown for a GitHub issue's body, every
writer's text through check_report's markdown_text and markdown_code, each
line naming the file (and line) and what to do. `run(...)` is the task's
whole work; it never fails because of what the report finds.

`fetch(url)` returns an HTTP status or raises; `fetch_status` is the real
one: HEAD, then GET when HEAD is refused, redirects followed, a timeout and
a User-Agent that says who asks. 2xx and 3xx resolve, 404 and 410 are
broken, anything else (a timeout, 5xx, 403 or 429 from bot protection)
could not be checked: reported apart, never called broken.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
import datetime as dt
from pathlib import Path
import re
import socket
import sys
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

from content_schema import ReviewState, next_review_due
from content_schema.loaders import LoadedContent, first_line, load_content
from pelican.settings import read_settings

from tools.check_report import markdown_code, markdown_section, markdown_text

DUE_SOON_DAYS = 30
TIMEOUT_SECONDS = 20
USER_AGENT = (
    "clinic-blog-editorial-report/1.0 (weekly check that the blog's cited "
    "sources still resolve; one request per address)"
)
BROKEN = {404: "not found", 410: "gone"}
# A GitHub issue's body holds at most 65,536 characters.
MAX_CHARACTERS = 60_000
TITLE = "Editorial report"

Fetch = Callable[[str], int]


@dataclass(frozen=True)
class ReviewDue:
    """A reviewed article whose review is overdue or falls due soon."""

    source: str
    line: int | None
    title: str
    reviewer: str
    last_reviewed: dt.date
    due: dt.date
    overdue: bool


@dataclass(frozen=True)
class Question:
    """One editorial question still in an article's front matter."""

    source: str
    line: int | None
    question: str


@dataclass(frozen=True)
class ReviewedTextChanged:
    """A reviewed article whose text is not, or not known to be, the one reviewed."""

    source: str
    line: int | None
    title: str
    reviewer: str
    last_reviewed: dt.date
    state: ReviewState  # CHANGED or UNRECORDED


@dataclass(frozen=True)
class Link:
    """One address of a reference: which reference, what kind, where declared."""

    source: str  # the references file, as writers see it
    line: int | None
    key: str
    kind: str  # "DOI link", "PubMed link" or "web address"
    field: str  # the reference's field that gives it: doi, pmid, url
    url: str


@dataclass(frozen=True)
class LinkResult:
    """What one link's address answered."""

    link: Link
    outcome: str  # "resolves", "broken" or "unchecked"
    reason: str  # what the address answered, in a few words


@dataclass
class EditorialReport:
    """Everything the report lists; `render` writes it."""

    today: dt.date
    reviews_due: list[ReviewDue] = field(default_factory=list)
    questions: list[Question] = field(default_factory=list)
    changed: list[ReviewedTextChanged] = field(default_factory=list)
    links_checked: bool = True
    links: list[LinkResult] = field(default_factory=list)
    # Articles whose front matter has problems (`make check` lists them).
    unreadable: list[str] = field(default_factory=list)

    @property
    def broken(self) -> list[LinkResult]:
        """The links whose address is gone (404, 410)."""
        return [result for result in self.links if result.outcome == "broken"]

    @property
    def unchecked(self) -> list[LinkResult]:
        """The links whose address gave no clear answer."""
        return [result for result in self.links if result.outcome == "unchecked"]


# --- Gathering ---------------------------------------------------------------


def collect(loaded: LoadedContent, fetch: Fetch | None) -> EditorialReport:
    """Gather the report from `loaded`; links are not checked when `fetch` is None."""
    today = loaded.today
    report = EditorialReport(today, links_checked=fetch is not None)
    report.unreadable = sorted(item.source for item in loaded.salvaged)
    for item in sorted(loaded.articles, key=lambda item: item.source):
        meta, lines = item.meta, item.markdown.metadata.key_lines
        if meta.reviewed_by and meta.last_reviewed and meta.last_reviewed <= today:
            due = next_review_due(meta.last_reviewed, loaded.settings)
            if due <= today + dt.timedelta(days=DUE_SOON_DAYS):
                report.reviews_due.append(
                    ReviewDue(
                        item.source,
                        lines.get("last_reviewed"),
                        meta.title,
                        meta.reviewed_by,
                        meta.last_reviewed,
                        due,
                        overdue=due <= today,
                    )
                )
        # One question a header line, from the key's line on (front_matter.py).
        first = lines.get("editorial_questions")
        report.questions += [
            Question(item.source, first + index if first else None, question)
            for index, question in enumerate(meta.editorial_questions)
        ]
        state = item.review_state
        if state in (ReviewState.CHANGED, ReviewState.UNRECORDED):
            report.changed.append(
                ReviewedTextChanged(
                    item.source,
                    lines.get("reviewed_text") or lines.get("last_reviewed"),
                    meta.title,
                    meta.reviewed_by,
                    meta.last_reviewed,
                    state,
                )
            )
    report.reviews_due.sort(key=lambda review: (review.due, review.source))
    if fetch is not None:
        report.links = check_links(reference_links(loaded), fetch)
    return report


def reference_links(loaded: LoadedContent) -> list[Link]:
    """List every address the references declare, in the file's order."""
    path = loaded.content / loaded.settings["CONTENT_REFERENCES_FILE"]
    source = loaded.display(path)
    links = []
    for key, reference in loaded.references.items():
        line = first_line(path, re.compile(rf"^{re.escape(key)}\s*:"))
        if reference.doi_url:
            links.append(Link(source, line, key, "DOI link", "doi", reference.doi_url))
        if reference.pubmed_url:
            links.append(
                Link(source, line, key, "PubMed link", "pmid", reference.pubmed_url)
            )
        if reference.url:
            links.append(Link(source, line, key, "web address", "url", reference.url))
    return links


def check_links(links: list[Link], fetch: Fetch) -> list[LinkResult]:
    """Ask `fetch` about each distinct address once; judge every link by it."""
    outcomes: dict[str, tuple[str, str]] = {}
    results = []
    for link in links:
        if link.url not in outcomes:
            outcomes[link.url] = judge(fetch, link.url)
        results.append(LinkResult(link, *outcomes[link.url]))
    return results


def judge(fetch: Fetch, url: str) -> tuple[str, str]:
    """Return (outcome, reason) for `url`: resolves, broken or unchecked."""
    try:
        status = fetch(url)
    except Exception as error:  # noqa: BLE001 - any failure: could not check
        return "unchecked", _failure(error)
    if isinstance(status, BaseException):
        return "unchecked", _failure(status)
    if 200 <= status < 400:
        return "resolves", f"answers {status}"
    if status in BROKEN:
        return "broken", f"answers {status} ({BROKEN[status]})"
    return "unchecked", f"answers {status}{_why(status)}"


def _why(status: int) -> str:
    if status in (401, 403, 429):
        return " (the site turns automated requests away)"
    if status >= 500:
        return " (the site had a problem of its own)"
    return ""


def _failure(error: BaseException) -> str:
    reason = error.reason if isinstance(error, URLError) else error
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    return f"could not be reached ({reason or type(reason).__name__})"


def fetch_status(url: str, timeout: float = TIMEOUT_SECONDS) -> int:
    """Return the HTTP status `url` ends at, redirects followed; raise on no answer.

    HEAD first; when a server refuses HEAD (any status from 400 on), GET,
    whose answer counts. The body is never read. Only http(s) addresses are
    asked: urllib would open a `file:` one on this machine.
    """
    if urlsplit(url).scheme not in {"http", "https"}:
        raise ValueError("not a web address (http:// or https://)")
    status = _request(url, "HEAD", timeout)
    if status >= 400:
        status = _request(url, "GET", timeout)
    return status


def _request(url: str, method: str, timeout: float) -> int:
    request = Request(
        url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
    )
    try:
        with urlopen(request, timeout=timeout) as response:
            return response.status
    except HTTPError as error:
        error.close()
        return error.code


# --- Writing -------------------------------------------------------------------


def _where(source: str, line: int | None) -> str:
    return markdown_code(f"{source}:{line}" if line else source)


def _review_command(source: str, reviewer: str) -> str:
    return markdown_code(f"make review FILE={source} REVIEWER={reviewer}")


def _review_lines(report: EditorialReport) -> list[str]:
    lines = []
    for review in report.reviews_due:
        when = (
            f"overdue since {review.due.isoformat()}"
            if review.overdue
            else f"due on {review.due.isoformat()}, in "
            f"{_days((review.due - report.today).days)}"
        )
        lines.append(
            f"- {_where(review.source, review.line)}, “{markdown_text(review.title)}”: "
            f"medical review {when} (last reviewed "
            f"{review.last_reviewed.isoformat()}). Ask the reviewer to read it "
            f"again, then run {_review_command(review.source, review.reviewer)}."
        )
    return lines


def _days(days: int) -> str:
    return f"{days} day{'' if days == 1 else 's'}"


def _question_lines(report: EditorialReport) -> list[str]:
    return [
        f"- {_where(q.source, q.line)}: {markdown_text(q.question)} Answer it, "
        "then remove it from `Editorial_questions`."
        for q in report.questions
    ]


def _changed_lines(report: EditorialReport) -> list[str]:
    lines = []
    for item in report.changed:
        what = (
            "the title, summary or text changed after its medical review on "
            f"{item.last_reviewed.isoformat()}, so the page says it was updated "
            "since."
            if item.state is ReviewState.CHANGED
            else f"its medical review on {item.last_reviewed.isoformat()} does not "
            "record which text the reviewer read, so a later edit cannot be told."
        )
        lines.append(
            f"- {_where(item.source, item.line)}, “{markdown_text(item.title)}”: "
            f"{what} Once the reviewer has read this text, run "
            f"{_review_command(item.source, item.reviewer)}."
        )
    return lines


def _link_line(result: LinkResult, advice: str) -> str:
    link = result.link
    return (
        f"- {_where(link.source, link.line)}: reference "
        f"{markdown_code(link.key)}, its {link.kind} {markdown_code(link.url)} "
        f"{markdown_text(result.reason)}. {advice}"
    )


def _broken_lines(report: EditorialReport) -> list[str]:
    return [
        _link_line(
            result,
            f"Check `{result.link.field}:` against the source itself and correct "
            "it, or replace the reference.",
        )
        for result in report.broken
    ]


def _unchecked_lines(report: EditorialReport) -> list[str]:
    return [
        _link_line(
            result,
            "Open it in a browser; next week's report asks again.",
        )
        for result in report.unchecked
    ]


def render(report: EditorialReport) -> str:
    """Return the report as Markdown, within a GitHub issue body's size."""
    lines = [
        (
            f"**{TITLE}**, made on {report.today.isoformat()}. Advisory: nothing "
            "here blocks "
            "publishing. `make editorial-report` makes the same report on your "
            "computer; each line names the file and what to do."
        ),
        "",
    ]
    if report.unreadable:
        lines += [
            (
                f"Left out until `make check` finds their front matter valid: "
                f"{', '.join(markdown_code(source) for source in report.unreadable)}."
            ),
            "",
        ]
    lines += markdown_section(
        f"Medical reviews overdue or due within {DUE_SOON_DAYS} days",
        _review_lines(report),
        "None.",
    )
    lines += markdown_section(
        "Unanswered editorial questions", _question_lines(report), "None."
    )
    lines += markdown_section(
        "Articles edited since their medical review, or reviews that record no text",
        _changed_lines(report),
        "None.",
    )
    if report.links_checked:
        lines += markdown_section(
            "Reference links that no longer resolve", _broken_lines(report), "None."
        )
        lines += markdown_section(
            "Reference links that could not be checked (not called broken)",
            _unchecked_lines(report),
            "None.",
        )
    else:
        lines += markdown_section(
            "Reference links",
            [],
            "Not checked: this report was made with `--offline`.",
        )
    return _within_limit("\n".join(lines))


def _within_limit(text: str, limit: int = MAX_CHARACTERS) -> str:
    """Cut `text` at a line's end when longer than `limit`, and say so."""
    if len(text) <= limit:
        return text
    note = (
        "\n\n**The report goes on**: the rest did not fit in an issue. Run "
        "`make editorial-report` to read all of it."
    )
    kept = text[: limit - len(note)]
    return kept[: kept.rfind("\n")] + note


# --- The task -----------------------------------------------------------------


def make_report(
    settings: Mapping[str, Any],
    today: dt.date,
    fetch: Fetch | None = fetch_status,
) -> str:
    """Return the editorial report of the content `settings` name, as Markdown."""
    return render(collect(load_content(settings, today), fetch))


def run(
    settings_file: Path,
    output: str = "",
    *,
    offline: bool = False,
    today: dt.date | None = None,
    fetch: Fetch | None = fetch_status,
    override: Mapping[str, Any] | None = None,
) -> int:
    """Write the report to `output` (stdout when empty); return the exit code.

    Findings never fail it: 0 whatever the report says. Only a report that
    could not be made or written returns 1, with a plain message. `override`
    replaces settings (a test's content folder).
    """
    try:
        text = make_report(
            read_settings(str(settings_file), override=dict(override or {})),
            today or dt.date.today(),
            None if offline else fetch,
        )
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            sys.stderr.write(f"Wrote the editorial report to {output}\n")
        else:
            sys.stdout.write(text + "\n")
    except Exception as error:  # noqa: BLE001 - a plain message, never a traceback
        sys.stderr.write(
            f"The editorial report could not be made: {error}. `make check` "
            "names any content problem; otherwise this is a fault in "
            "tools/editorial_report.py.\n"
        )
        return 1
    return 0
