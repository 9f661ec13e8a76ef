"""The pull-request comment that goes with a preview: its data, then its text.

Two halves, run by two jobs that share nothing but a JSON file:

- Where the pull request's code runs (the read-only build),
  `report_data(changes, result, today)` turns what changed (`changed_files`)
  and what `make check --publish` found into plain data: strings, integers
  and booleans under the keys of SCHEMA, each string and list clipped to its
  limit. No Markdown: the pull request's code never writes the comment.
- In the job that may comment, with the base branch's code, `read_data(path)`
  refuses, with one plain sentence (PreviewDataError), anything that is not
  exactly that schema: a key missing or unknown, a wrong type, a string or a
  list over its limit, a page address that is not a site path, a file over
  MAX_BYTES, a link, invalid UTF-8 or JSON. Then `compose(data, preview_url,
  run_url, commit)` writes the Markdown: where to get the preview, the pages
  the pull request adds, edits or removes (with links into the preview), the
  testimonials it touches and where they show, the build's problems if it
  failed, then the content check's findings, problems first (check_report's
  findings_sections). The first line is MARKER, which the comment job looks
  for to update its one comment rather than add another; the whole is at
  most COMMENT_LIMIT characters, cut at a line with a note saying so.
- `preview_report(changes, result, preview_url, today)` is both halves in
  one process: the comment of a preview built here.

Every file name, title, id and message comes from the pull request: each
reaches the comment through markdown_code or markdown_text (one line, no
markup, no @mention or issue reference), with a zero-width joiner in any
address GitHub would turn into a link (https:, www.), and each page address
is percent-encoded after the preview's own, so no link leads anywhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import datetime as dt
import json
from pathlib import Path
import re
import stat
import subprocess
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

from content_schema import Problem

from deploy.errors import DeployError
from tools.check_report import (
    ZWJ,
    findings_sections,
    markdown_code,
    markdown_section,
    markdown_text,
)

MARKER = "<!-- clinic-blog-preview -->"
CONTENT = "content/"
TESTIMONIALS = "content/testimonials/"
SITE_WIDE = ("theme/", "plugins/", "pelicanconf.py", "publishconf.py")
VERBS = {"A": "new", "M": "edited", "R": "renamed", "C": "copied", "T": "edited"}
DATA_VERSION = 1
# GitHub refuses a comment over 65,536 characters; the note that says the
# comment was cut must fit too.
COMMENT_LIMIT = 65_000
# What one string and one list of the data may hold: more than any real
# title, message or pull request, less than would make the comment job slow.
TEXT = 2_000
NAME = 200
ENTRIES = 1_000
SENTENCES = 10
BUILD_LINES = 200
MAX_BYTES = 32_000_000
MAX_INT = 10**9
# A page's address as the content check gives it: a path of the site, e.g.
# `first-visit/`. Nothing that could leave the preview once joined to it: no
# scheme, no leading slash, no part starting with a dot (`..`).
SITE_PATH = re.compile(r"(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/?)*")
RUN_URL = re.compile(r"https://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~-]+)*/?")
COMMIT = re.compile(r"[0-9a-f]{40}")
# Addresses GitHub links in plain text, even escaped: a zero-width joiner
# after the scheme's name or the `www` keeps them text.
AUTOLINK = re.compile(r"\b(?:https?|ftp|mailto|xmpp)(?=:)|\bwww(?=\.)", re.IGNORECASE)


class PreviewDataError(ValueError):
    """The preview's data is not what the build writes; the message says how."""


@dataclass(frozen=True)
class Change:
    """One changed file: git's status letter (A, M, D, R…) and its path."""

    status: str
    path: str
    old_path: str = ""


def changed_files(repository: Path, base: str) -> list[Change]:
    """List what HEAD changes since it left `base` (git diff base...HEAD).

    Paths are as git stores them: no quoting, whatever characters they hold.
    """
    result = subprocess.run(
        ["git", "diff", "--name-status", "--find-renames", "-z", f"{base}...HEAD"],
        cwd=repository,
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        error = result.stderr.decode(errors="replace").strip()
        raise DeployError(f"git diff {base}...HEAD failed: {error}")
    # -z: `status NUL path NUL`, or `R100 NUL old NUL new NUL` for a rename,
    # so a name with a tab, a newline or a quote arrives whole; bytes, since
    # text mode would turn a carriage return in a name into a newline.
    fields = result.stdout.decode("utf-8", errors="replace").split("\0")
    changes = []
    while len(fields) > 1:
        status = fields.pop(0)
        if status[0] in "RC":
            old, new = fields.pop(0), fields.pop(0)
            changes.append(Change(status[0], new, old))
        else:
            changes.append(Change(status[0], fields.pop(0)))
    return changes


# --- The data: written by the build, from the pull request's content ----------


def _clip(text: str, limit: int = TEXT) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _page(change: Change, item, today: dt.date) -> dict:
    """Return one changed article's or page's entry (PAGE)."""
    entry = {
        "path": _clip(change.path),
        "verb": VERBS.get(change.status, "changed"),
        "state": "shown",
        "title": "",
        "url": "",
        "date": "",
    }
    if change.status == "D":
        return {**entry, "verb": "removed", "state": "removed"}
    if item is None:
        return {**entry, "state": "unknown"}
    if item.status == "draft":
        return {**entry, "state": "draft"}
    entry |= {"title": _clip(item.title), "url": _clip(item.url, NAME)}
    if item.date is not None and _as_date(item.date) > today:
        return {**entry, "state": "scheduled", "date": _as_date(item.date).isoformat()}
    return {**entry, "state": "hidden" if item.status == "hidden" else "shown"}


def _testimonial(change: Change, result, withheld: dict[str, str]) -> dict:
    """Return one touched testimonial's entry (TESTIMONIAL)."""
    testimonial = {t.source: t for t in result.testimonials}.get(change.path)
    entry = {
        "path": _clip(change.path),
        "verb": VERBS.get(change.status, "changed"),
        "state": "removed",
        "id": "",
        "consent": "",
        "reason": "",
        "shown_on": [],
    }
    if change.status == "D" or testimonial is None:
        return entry
    entry |= {
        "id": _clip(testimonial.id, NAME),
        "consent": _clip(testimonial.consent.status, NAME),
    }
    if change.path in withheld:
        return {**entry, "state": "withheld", "reason": _clip(withheld[change.path])}
    shown_on = [
        {"title": _clip(item.title), "url": _clip(item.url, NAME)}
        for item in result.items
        if testimonial.id in item.testimonials
    ]
    return {**entry, "state": "shown", "shown_on": shown_on[:ENTRIES]}


def _finding(finding) -> dict:
    return {
        "source": _clip(finding.source),
        "line": finding.line if isinstance(finding.line, int) else None,
        "field": _clip(finding.field, NAME),
        "message": _clip(finding.message),
    }


def _level(level) -> dict:
    return {
        "source": _clip(level.source),
        "summary": _clip(level.summary()),
        "hardest": [
            {"line": sentence.line, "text": _clip(level.sentence(sentence))}
            for sentence in level.hardest[:SENTENCES]
        ],
    }


def report_data(changes: list[Change], result, today: dt.date | None = None) -> dict:
    """Return the comment's data for `changes` and the check's `result` (SCHEMA).

    `result` is content_schema's CheckResult for the pull request's content.
    The build's outcome (`built`, `build_problems`) and `pr` are the
    caller's to fill in; here they say a pull request 1 that built.
    """
    today = today or dt.date.today()
    items = {item.source: item for item in result.items}
    withheld = {finding.source: finding.message for finding in result.withheld}
    pages = [
        _page(change, items.get(change.path), today)
        for change in changes
        if change.path.startswith(CONTENT) and not change.path.startswith(TESTIMONIALS)
    ]
    testimonials = [
        _testimonial(change, result, withheld)
        for change in changes
        if change.path.startswith(TESTIMONIALS)
        and change.path.endswith((".yaml", ".yml"))
    ]
    site_wide = sorted(
        {c.path.split("/", 1)[0] for c in changes if c.path.startswith(SITE_WIDE)}
    )
    return {
        "version": DATA_VERSION,
        "pr": 1,
        "built": True,
        "build_problems": [],
        "site_wide": site_wide,
        "pages": pages[:ENTRIES],
        "testimonials": testimonials[:ENTRIES],
        **{
            kind: [_finding(f) for f in getattr(result, kind)][:ENTRIES]
            for kind in FINDINGS
        },
        "readability": [_level(level) for level in result.readability][:ENTRIES],
    }


def build_problems(messages: str) -> list[str]:
    """Return what a failed build printed as the data's lines (`build_problems`)."""
    lines = [_clip(line) for line in messages.splitlines() if line.strip()]
    return lines[:BUILD_LINES] or ["The build stopped without saying why."]


# --- The schema: what the comment job accepts, and nothing else ---------------

Check = Callable[[object, str], None]


def _fail(where: str, problem: str) -> None:
    raise PreviewDataError(
        f"the preview's data is not valid: {where or 'it'} {problem}"
    )


def _text(limit: int = TEXT) -> Check:
    def check(value, where: str) -> None:
        if not isinstance(value, str):
            _fail(where, "is not text")
        if len(value) > limit:
            _fail(where, f"is longer than {limit:,} characters")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            _fail(where, "holds half of a character (a lone surrogate)")

    return check


def _integer(low: int, high: int, *, optional: bool = False) -> Check:
    def check(value, where: str) -> None:
        if value is None and optional:
            return
        # bool is an int to Python; `true` is no line number.
        if type(value) is not int:
            _fail(where, "is not a whole number")
        if not low <= value <= high:
            _fail(where, f"is not between {low} and {high:,}")

    return check


def _boolean(value, where: str) -> None:
    if not isinstance(value, bool):
        _fail(where, "is not true or false")


def _one_of(*choices: str) -> Check:
    def check(value, where: str) -> None:
        if value not in choices:
            _fail(where, f"is none of {', '.join(choices)}")

    return check


def _matching(pattern: re.Pattern, what: str, limit: int = NAME) -> Check:
    def check(value, where: str) -> None:
        _text(limit)(value, where)
        if not pattern.fullmatch(value):
            _fail(where, f"is not {what}")

    return check


_site_path = _matching(SITE_PATH, "a path of the site, such as first-visit/")


def _date(value, where: str) -> None:
    _text(10)(value, where)
    if value:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            _fail(where, "is not a date written YYYY-MM-DD")


def _list_of(check: Check, limit: int = ENTRIES) -> Check:
    def check_list(value, where: str) -> None:
        if not isinstance(value, list):
            _fail(where, "is not a list")
        if len(value) > limit:
            _fail(where, f"has more than {limit:,} entries")
        for index, entry in enumerate(value):
            check(entry, f"{where}[{index}]")

    return check_list


def _record(fields: dict[str, Check]) -> Check:
    def check(value, where: str) -> None:
        if not isinstance(value, dict):
            _fail(where, "is not a record")
        missing = [key for key in fields if key not in value]
        if missing:
            _fail(where, f"lacks {', '.join(missing)}")
        if len(value) != len(fields):
            # Its name is the pull request's text: not repeated here.
            _fail(where, "has a field the comment does not know")
        for key, check_field in fields.items():
            check_field(value[key], f"{where}.{key}" if where else key)

    return check


FINDINGS = ("problems", "todos", "withheld", "warnings")
PAGE_STATES = ("removed", "unknown", "draft", "scheduled", "shown", "hidden")
VERB_WORDS = (*dict.fromkeys(VERBS.values()), "changed", "removed")
FINDING = _record(
    {
        "source": _text(),
        "line": _integer(1, MAX_INT, optional=True),
        "field": _text(NAME),
        "message": _text(),
    }
)
LINK = _record({"title": _text(), "url": _site_path})
PAGE = _record(
    {
        "path": _text(),
        "verb": _one_of(*VERB_WORDS),
        "state": _one_of(*PAGE_STATES),
        "title": _text(),
        "url": _site_path,
        "date": _date,
    }
)
TESTIMONIAL = _record(
    {
        "path": _text(),
        "verb": _one_of(*VERB_WORDS),
        "state": _one_of("removed", "withheld", "shown"),
        "id": _text(NAME),
        "consent": _text(NAME),
        "reason": _text(),
        "shown_on": _list_of(LINK),
    }
)
LEVEL = _record(
    {
        "source": _text(),
        "summary": _text(),
        "hardest": _list_of(
            _record({"line": _integer(1, MAX_INT), "text": _text()}), SENTENCES
        ),
    }
)
SCHEMA = _record(
    {
        "version": _integer(DATA_VERSION, DATA_VERSION),
        "pr": _integer(1, MAX_INT),
        "built": _boolean,
        "build_problems": _list_of(_text(), BUILD_LINES),
        "site_wide": _list_of(_one_of(*(name.rstrip("/") for name in SITE_WIDE)), 4),
        "pages": _list_of(PAGE),
        "testimonials": _list_of(TESTIMONIAL),
        **{kind: _list_of(FINDING) for kind in FINDINGS},
        "readability": _list_of(LEVEL),
    }
)


def _no_repeated_keys(pairs: list[tuple[str, object]]) -> dict:
    keys = [key for key, _value in pairs]
    if len(set(keys)) != len(keys):
        raise PreviewDataError(
            "the preview's data is not valid: a record names a field twice"
        )
    return dict(pairs)


def _no_constant(name: str) -> None:
    raise PreviewDataError(f"the preview's data is not valid JSON: {name} is no number")


def parse_data(text: str) -> dict:
    """Return the data in `text` (JSON) when it is exactly SCHEMA; else refuse it."""
    try:
        data = json.loads(
            text, object_pairs_hook=_no_repeated_keys, parse_constant=_no_constant
        )
    except PreviewDataError:
        raise
    except RecursionError:
        raise PreviewDataError(
            "the preview's data is not valid: it is nested too deeply"
        ) from None
    except ValueError as error:
        # A JSONDecodeError, or an integer of more digits than Python reads.
        where = f" (line {error.lineno})" if hasattr(error, "lineno") else ""
        raise PreviewDataError(f"the preview's data is not valid JSON{where}") from None
    SCHEMA(data, "")
    return data


def _fail_file(problem: str) -> None:
    raise PreviewDataError(f"the preview's data could not be read: {problem}")


def read_data(path: Path) -> dict:
    """Return the data in the file at `path`, checked (parse_data); else refuse it.

    The file is the build's artifact, made by the pull request's code: it
    must be a plain file (not a link, which could lead to the runner's own
    files) of at most MAX_BYTES, in UTF-8.
    """
    try:
        info = path.lstat()
    except FileNotFoundError:
        _fail_file(f"there is no file {path.name}")
    except OSError as error:
        _fail_file(error.strerror or "the file cannot be opened")
    if not stat.S_ISREG(info.st_mode):
        _fail_file(f"{path.name} is not a plain file")
    if info.st_size > MAX_BYTES:
        _fail_file(f"{path.name} is larger than {MAX_BYTES:,} bytes")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        _fail_file(f"{path.name} is not UTF-8 text")
    except OSError as error:
        _fail_file(error.strerror or "the file cannot be read")
    return parse_data(text)


# --- The comment: written by the job that posts it ----------------------------


def unlinked(markdown: str) -> str:
    """Return Markdown with no address GitHub would link, outside code spans.

    A zero-width joiner after `https`, `http`, `ftp`, `mailto`, `xmpp` (before
    their colon) and `www` (before its dot): what a reader sees is unchanged.
    Code spans are left as they are: GitHub links nothing in them.
    """
    pieces, plain, index = [], [], 0
    while index < len(markdown):
        character = markdown[index]
        if character == "\\":
            plain.append(markdown[index : index + 2])
            index += 2
            continue
        if character == "`":
            run = len(markdown[index:]) - len(markdown[index:].lstrip("`"))
            end = _closing_fence(markdown, index + run, run)
            if end >= 0:
                pieces += [_no_autolinks("".join(plain)), markdown[index : end + run]]
                plain, index = [], end + run
                continue
            plain.append("`" * run)
            index += run
            continue
        plain.append(character)
        index += 1
    pieces.append(_no_autolinks("".join(plain)))
    return "".join(pieces)


def _closing_fence(markdown: str, start: int, run: int) -> int:
    """Return where the run of exactly `run` backticks closing a span starts, or -1."""
    index = markdown.find("`", start)
    while index >= 0:
        length = len(markdown[index:]) - len(markdown[index:].lstrip("`"))
        if length == run:
            return index
        index = markdown.find("`", index + length)
    return -1


def _no_autolinks(text: str) -> str:
    return AUTOLINK.sub(lambda scheme: scheme[0] + ZWJ, text)


def _words(text: str) -> str:
    """Return writer text as Markdown that shows it as typed: no markup, no link."""
    return _no_autolinks(markdown_text(text))


def _link(title: str, url: str, preview_url: str) -> str:
    # Percent-encoded: a parenthesis or a space in a slug would end the link.
    address = quote(url, safe="/#?&=%~-._")
    return f"[{_words(title)}]({preview_url}/{address})"


def _page_line(page: dict, preview_url: str) -> str:
    path = markdown_code(page["path"])
    state = page["state"]
    if state == "removed":
        return f"- {path}: removed; its address will say not found"
    if state == "unknown":
        return f"- {path}: {page['verb']}"
    if state == "draft":
        return f"- {path}: a draft, not in the published site"
    link = _link(page["title"], page["url"], preview_url)
    if state == "scheduled":
        return f"- {link}: scheduled for {page['date']}, so not in this preview yet"
    hidden = " (hidden: left out of lists)" if state == "hidden" else ""
    return f"- {link}: {page['verb']}{hidden}"


def _testimonial_line(entry: dict, preview_url: str) -> str:
    path = markdown_code(entry["path"])
    if entry["state"] == "removed":
        return f"- {path}: removed"
    named = f"{markdown_code(entry['id'])} ({path}, consent {_words(entry['consent'])})"
    if entry["state"] == "withheld":
        return (
            f"- {named}: {entry['verb']}; "
            f"**left out of the site**: {_words(entry['reason'])}"
        )
    places = [
        _link(page["title"], page["url"], preview_url) for page in entry["shown_on"]
    ]
    places.append(f"[Testimonials]({preview_url}/testimonials/)")
    return f"- {named}: {entry['verb']}; shown on {', '.join(places)}"


@dataclass(frozen=True)
class _Sentence:
    line: int
    text: str


@dataclass(frozen=True)
class _Level:
    """A reading level as the data holds it, in the shape findings_sections reads."""

    source: str
    summary_text: str
    hardest: tuple[_Sentence, ...]

    def summary(self) -> str:
        return self.summary_text

    def sentence(self, sentence: _Sentence) -> str:
        return sentence.text


def _findings(data: dict) -> SimpleNamespace:
    """Return the data's findings in the shape of a CheckResult, for check_report."""
    found = {kind: [Problem(**finding) for finding in data[kind]] for kind in FINDINGS}
    levels = [
        _Level(
            level["source"],
            level["summary"],
            tuple(_Sentence(s["line"], s["text"]) for s in level["hardest"]),
        )
        for level in data["readability"]
    ]
    return SimpleNamespace(**found, readability=levels)


def _where(preview_url: str, run_url: str, commit: str) -> str:
    built = f" from commit {markdown_code(commit[:12])}" if commit else ""
    where = (
        f"**[{preview_url}/]({preview_url}/)**: built{built} with the publish "
        "settings, so it is what the site will show once this is merged."
    )
    if not run_url:
        return f"{where} Search engines are asked not to index it."
    # The pull request's pages are on no website, the clinic's least of all:
    # a reviewer opens them on their own computer.
    port = urlsplit(preview_url).port or 80
    return (
        f"{where} It is on no website: download **preview-site** from "
        f"[this run's page]({run_url}) (under Artifacts), then "
        "`unzip preview-site.zip -d preview-site` and "
        f"`python3 -m http.server {port} --bind 127.0.0.1 --directory preview-site`: "
        "the links below open it."
    )


def _failed(data: dict) -> list[str]:
    if data["built"]:
        return []
    return [
        (
            "**The preview could not be built**, so there is nothing to open. "
            "What the build said:"
        ),
        "",
        *(f"- {markdown_code(line)}" for line in data["build_problems"]),
        "",
    ]


def _fit(lines: list[str], run_url: str) -> str:
    """Join the lines; cut them at a line, saying so, past COMMENT_LIMIT."""
    text = "\n".join(lines).rstrip() + "\n"
    if len(text) <= COMMENT_LIMIT:
        return text
    where = f"[this run's log]({run_url})" if run_url else "`make check-publish`"
    note = (
        f"\n*The comment stops here: GitHub keeps only so much of one. "
        f"{where} has the rest.*\n"
    )
    kept, size = [], len(note)
    for line in lines:
        size += len(line) + 1
        if size > COMMENT_LIMIT:
            break
        kept.append(line)
    return "\n".join(kept).rstrip() + "\n" + note


def compose(data: dict, preview_url: str, run_url: str = "", commit: str = "") -> str:
    """Return the Markdown comment for the checked `data` (read_data, report_data).

    Page links lead into `preview_url` (no trailing /), where the preview
    is served; `run_url`, the build's run, says where to download it;
    `commit`, the commit built. Both come from GitHub's event, not the data.
    """
    preview_url = preview_url.rstrip("/")
    pages = [_page_line(page, preview_url) for page in data["pages"]]
    if data["site_wide"]:
        pages.append(
            f"- The {', '.join(data['site_wide'])} changed too: every page may look "
            "different, so look at a few."
        )
    testimonials = [_testimonial_line(t, preview_url) for t in data["testimonials"]]
    lines = [
        MARKER,
        "### Preview",
        "",
        _where(preview_url, run_url, commit),
        "",
        *_failed(data),
        *markdown_section("Pages changed", pages, "No article or page changed."),
        *markdown_section("Testimonials touched", testimonials, "None."),
        *(unlinked(line) for line in findings_sections(_findings(data))),
    ]
    return _fit(lines, run_url)


def unreadable(problem: str, run_url: str) -> str:
    """Return the comment for a build whose data is missing or refused (`problem`)."""
    return "\n".join(
        [
            MARKER,
            "### Preview",
            "",
            f"The preview's report could not be made: {_words(problem)}. "
            f"[This run's page]({run_url}) says why."
            if run_url
            else f"The preview's report could not be made: {_words(problem)}.",
            "",
        ]
    )


def preview_report(
    changes: list[Change],
    result,
    preview_url: str,
    today: dt.date | None = None,
) -> str:
    """Return the Markdown comment for a preview at `preview_url` (no trailing /).

    `result` is content_schema's CheckResult for the pull request's content;
    the comment is what `compose` writes from `report_data`.
    """
    return compose(report_data(changes, result, today), preview_url)
