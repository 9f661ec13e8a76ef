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
one: HEAD, then GET when HEAD is refused, redirects followed, a User-Agent
that says who asks. It asks only the public web: every address a host
resolves to must be public, after each redirect too, and the connection
goes to the address judged. Each link has LINK_SECONDS in all, each run
RUN_SECONDS, and no answer is read past its headers. 2xx and 3xx resolve,
404 and 410 are broken, anything else (a timeout, 5xx, 403 or 429 from bot
protection, an address not asked) could not be checked: reported apart,
never called broken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
import datetime as dt
import http.client
import io
from ipaddress import IPv4Address, IPv6Address, ip_address
from pathlib import Path
import re
import socket
import ssl
import string
import sys
import threading
import time
from typing import Any
from urllib.error import URLError
from urllib.parse import quote, urljoin, urlsplit

from content_schema import ReviewState, next_review_due
from content_schema.loaders import LoadedContent, first_line, load_content
from pelican.settings import read_settings

from tools.check_report import markdown_code, markdown_section, markdown_text

DUE_SOON_DAYS = 30
# One address's whole check, wall clock: resolving, connecting, each
# redirect, HEAD then GET, reading. A server that trickles its answer a byte
# at a time is cut off at it, not at each read.
LINK_SECONDS = 20
# Every link of one run; the workflow's job is stopped at 20 minutes.
RUN_SECONDS = 10 * 60
MAX_REDIRECTS = 5
# What one answer may send before its headers end; its body is never read.
MAX_BYTES = 64 * 1024
USER_AGENT = (
    "clinic-blog-editorial-report/1.0 (weekly check that the blog's cited "
    "sources still resolve; one request per address)"
)
BROKEN = {404: "not found", 410: "gone"}
# A GitHub issue's body holds at most 65,536 characters.
MAX_CHARACTERS = 60_000
TITLE = "Editorial report"

Fetch = Callable[[str], int]
# Whether an address (each one a host resolves to) may be asked.
Allow = Callable[[IPv4Address | IPv6Address], bool]
# A host name's addresses, as text: socket.getaddrinfo's, in tests a table's.
Resolve = Callable[[str], Iterable[str]]


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
    reason: str  # what the address answered, or why not asked, in a few words


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


def check_links(
    links: list[Link],
    fetch: Fetch,
    *,
    seconds: float = RUN_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> list[LinkResult]:
    """Ask `fetch` about each distinct address once; judge every link by it.

    No address is asked once `seconds` (by `clock`) have passed since the
    first: the rest are unchecked, and say why. The last one asked ends by
    its own deadline, so a run overruns `seconds` by at most one link's.
    """
    end = clock() + seconds
    outcomes: dict[str, tuple[str, str]] = {}
    results = []
    for link in links:
        if link.url not in outcomes:
            outcomes[link.url] = (
                judge(fetch, link.url)
                if clock() < end
                else ("unchecked", "was not asked (the link check ran out of time)")
            )
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
    if isinstance(error, NotChecked):
        return str(error)
    reason = error.reason if isinstance(error, URLError) else error
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    return f"could not be reached ({reason or type(reason).__name__})"


WEB_SCHEMES = frozenset({"http", "https"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# A host as the check asks it: parsers disagree on hosts with spaces,
# control characters, backslashes or percent escapes (and `@`, a user name,
# is refused before).
_PLAIN_HOST = re.compile(r"[^\s\x00-\x1f\x7f\\%@/?#]+")


class NotChecked(Exception):
    """An address not asked, or given up on; its text is the report's reason."""


class _Refused(Exception):
    """What kind of address a URL is, when it is not one the check asks."""


def public_address(address: IPv4Address | IPv6Address) -> bool:
    """Return whether `address` is on the public internet: the only kind asked.

    Not loopback, private, link-local, multicast, reserved or unspecified,
    and global (which also leaves out shared addresses, 100.64.0.0/10). An
    IPv4 address mapped into IPv6 (`::ffff:127.0.0.1`) is judged as itself.
    """
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def host_addresses(host: str) -> list[str]:
    """Return every address `host` resolves to, as getaddrinfo writes them.

    A numeric host in any form the C library reads (`2130706433`, `0x7f.1`,
    `0177.0.0.1`) comes back as the address it means: that is what is judged.
    """
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def fetch_status(
    url: str,
    timeout: float = LINK_SECONDS,
    *,
    allow: Allow = public_address,
    resolve: Resolve = host_addresses,
    max_bytes: int = MAX_BYTES,
) -> int:
    """Return the HTTP status `url` ends at, redirects followed; raise on no answer.

    HEAD first; when a server refuses HEAD (any status from 400 on), GET,
    whose answer counts. An address is asked only when it is http(s) with no
    user name in it and every address its host resolves to passes `allow`
    (public ones); the connection goes to those addresses, never to a second
    lookup's. Each redirect is judged the same way, and followed only to
    http(s), at most MAX_REDIRECTS times. All of it ends within `timeout`
    seconds however slowly a server answers, and reads at most `max_bytes`
    of an answer, its status line and headers: the body is never read.

    Raises NotChecked, whose text says why, for an address not asked (what
    such an address would answer is never known, so never reported), and
    TimeoutError once `timeout` has passed.
    """
    check = _LinkCheck(_Deadline(timeout), allow, resolve, max_bytes)
    status = check.follow(url, "HEAD")
    if status >= 400:
        status = check.follow(url, "GET")
    return status


class _Deadline:
    """An end in wall-clock time, for every step of one link's check."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def left(self) -> float:
        """Return the seconds left, always more than 0; raise TimeoutError after."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise TimeoutError("timed out")
        return left


@dataclass(frozen=True)
class _Target:
    """One request, vetted: the addresses to connect to, and what to ask there."""

    tls: bool
    host: str  # what the Host header and TLS (SNI, the certificate) name
    port: int
    path: str
    addresses: tuple[str, ...]  # what `host` resolved to, every one allowed


@dataclass(frozen=True)
class _LinkCheck:
    """One link's check: its deadline, which addresses it asks, its byte cap."""

    deadline: _Deadline
    allow: Allow
    resolve: Resolve
    max_bytes: int

    def follow(self, url: str, method: str) -> int:
        """Ask `url`, then each address it redirects to; return the last status."""
        for hop in range(MAX_REDIRECTS + 1):
            try:
                target = self.vet(url)
            except _Refused as refused:
                if hop == 0:
                    raise NotChecked(f"is {refused}, so it was not asked") from None
                raise NotChecked(
                    f"redirects to an address that is {refused}, which was not asked"
                ) from None
            status, location = self.request(target, method)
            if status not in REDIRECTS or not location:
                return status
            # Quoted as urllib quotes it: a Location is not always plain ASCII.
            url = urljoin(url, quote(location, safe=string.punctuation))
        raise NotChecked(f"redirects more than {MAX_REDIRECTS} times")

    def vet(self, url: str) -> _Target:
        """Return the request `url` makes; raise _Refused when it is not asked."""
        parts = urlsplit(url)
        if parts.scheme not in WEB_SCHEMES:
            raise _Refused("not a web address (http:// or https://)")
        if "@" in parts.netloc:
            raise _Refused("not a plain web address (it holds a user name)")
        tls = parts.scheme == "https"
        host = parts.hostname or ""
        try:
            port = parts.port
        except ValueError:  # not a number, or past 65535
            raise _Refused("not a well-formed web address") from None
        if not _PLAIN_HOST.fullmatch(host):
            raise _Refused("not a well-formed web address")
        # Every address, not only the one connected to: the check must not
        # depend on which of them the connection happens to try first.
        addresses = self.addresses(host)
        if not addresses or not all(self.allowed(text) for text in addresses):
            raise _Refused("not a public web address")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        default = 443 if tls else 80
        return _Target(tls, host, default if port is None else port, path, addresses)

    def allowed(self, text: str) -> bool:
        """Return whether the address written `text` passes the policy."""
        try:
            address = ip_address(text)
        except ValueError:
            return False
        return self.allow(address)

    def addresses(self, host: str) -> tuple[str, ...]:
        """Return what `resolve` says `host` is, within the time left."""
        answer: list[Any] = []

        def ask() -> None:
            try:
                answer.append(tuple(self.resolve(host)))
            except Exception as error:  # noqa: BLE001 - raised in the caller
                answer.append(error)

        # In a thread: the C library's lookup takes no timeout of its own.
        worker = threading.Thread(target=ask, daemon=True)
        worker.start()
        worker.join(self.deadline.left())
        if not answer:
            raise TimeoutError("timed out")
        if isinstance(answer[0], Exception):
            raise answer[0]
        return answer[0]

    def request(self, target: _Target, method: str) -> tuple[int, str | None]:
        """Send one request; return its status and Location, the body unread."""
        connection = _PinnedConnection(target, self.deadline, self.max_bytes)
        try:
            connection.request(
                method, target.path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
            )
            response = connection.getresponse()
            return response.status, response.getheader("Location")
        finally:
            connection.close()


class _PinnedConnection(http.client.HTTPConnection):
    """http.client's connection, to vetted addresses, held to a deadline and a cap.

    It connects to the addresses the host was judged by and never looks the
    name up again (a name can resolve elsewhere a second later), while the
    Host header and TLS (SNI, the certificate's name) keep the host's name.
    """

    def __init__(self, target: _Target, deadline: _Deadline, max_bytes: int) -> None:
        super().__init__(target.host, target.port, timeout=deadline.left())
        # The Host header leaves out the port only when it is the scheme's.
        self.default_port = 443 if target.tls else 80
        self.target = target
        self.deadline = deadline
        self.max_bytes = max_bytes

    def connect(self) -> None:
        """Connect to the first vetted address that answers, over TLS for https."""
        error: OSError = OSError("no address to connect to")
        for address in self.target.addresses:
            try:
                sock = socket.create_connection(
                    (address, self.target.port), self.deadline.left()
                )
                break
            except OSError as failure:
                error = failure
        else:
            raise error
        try:
            if self.target.tls:
                # The handshake, however slow, ends within the time left.
                sock.settimeout(self.deadline.left())
                sock = ssl.create_default_context().wrap_socket(
                    sock, server_hostname=self.target.host
                )
        except BaseException:
            sock.close()
            raise
        self.sock = _HeldSocket(sock, self.deadline, self.max_bytes)


class _HeldSocket:
    """A connected socket as http.client uses it, every send and read held.

    Each operation is given only the time left and the deadline is checked
    between reads, so a server sending a byte now and then cannot hold it;
    reads stop at `max_bytes` in all.
    """

    def __init__(self, sock: socket.socket, deadline: _Deadline, max_bytes: int):
        self.sock = sock
        self.deadline = deadline
        self.max_bytes = max_bytes
        self.read = 0

    def sendall(self, data: bytes) -> None:
        """Send `data` within the time left."""
        self.sock.settimeout(self.deadline.left())
        self.sock.sendall(data)

    def makefile(self, _mode: str) -> io.BufferedReader:
        """Return the answer as http.client reads it: through `readinto`."""
        return io.BufferedReader(_HeldReader(self))

    def readinto(self, buffer: memoryview) -> int:
        """Read what has come, within the time left and the cap."""
        room = self.max_bytes - self.read
        if room <= 0:
            raise NotChecked(
                f"answered with more than {self.max_bytes:,} bytes of headers"
            )
        self.sock.settimeout(self.deadline.left())
        count = self.sock.recv_into(buffer, min(len(buffer), room))
        self.read += count
        return count

    def close(self) -> None:
        """Close the connection."""
        self.sock.close()


class _HeldReader(io.RawIOBase):
    """The held socket as a raw stream, for io.BufferedReader."""

    def __init__(self, held: _HeldSocket) -> None:
        super().__init__()
        self.held = held

    def readable(self) -> bool:
        """Return True: it is read."""
        return True

    def readinto(self, buffer: Any) -> int:
        """Read into `buffer` from the held socket."""
        return self.held.readinto(buffer)


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
