"""The weekly editorial report (tools/editorial_report.py, `make editorial-report`).

Offline throughout: the report over a copy of the fixture content with a
fixed day and a fake fetcher; the real fetcher against servers on 127.0.0.1;
the task in a copy of the project; the workflow as YAML.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
import datetime as dt
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from pathlib import Path
import re
import socket
import threading
import time
from typing import ClassVar

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt
from pelican.settings import read_settings
import pytest
import yaml

from tests.support import DEV_SETTINGS, ROOT, invoke, serve
from tools import editorial_report
from tools.editorial_report import (
    MAX_REDIRECTS,
    TITLE,
    Link,
    check_links,
    fetch_status,
    judge,
    make_report,
    public_address,
    run,
)
from tools.review import record_review

TODAY = dt.date(2026, 6, 1)
# The fixture's one reviewed article (reviewed 2026-01-20, due 2027-01-20).
REVIEWED = "content/articles/quotes-and-ampersands.md"
WORKFLOWS = ROOT / ".github" / "workflows"
REPORT_WORKFLOW = WORKFLOWS / "editorial-report.yml"
FIXTURE_DOI = "https://doi.org/10.1234/fixture.2020.1"
FIXTURE_URL = "https://journal.example/fixture-study"


def settings_for(content: Path) -> dict:
    return read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})


def review(content: Path, source: str, date: str) -> None:
    record_review(
        source.removeprefix("content/"),
        "fixture-reviewer",
        date,
        content=content,
        settings=settings_for(content),
        today=TODAY,
    )


def edit(content: Path, source: str, old: str, new: str) -> None:
    path = content.parent / source
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{source} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


class FakeFetch:
    """Answers from a table, {url: status or exception}; 200 for any other."""

    def __init__(self, answers: dict | None = None) -> None:  # noqa: D107
        self.answers = answers or {}
        self.calls: list[str] = []

    def __call__(self, url: str) -> int:
        """Answer for `url`, and remember that it was asked."""
        self.calls.append(url)
        answer = self.answers.get(url, 200)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def report_of(content: Path, fetch=None) -> str:
    return make_report(settings_for(content), TODAY, fetch or FakeFetch())


def section(report: str, heading: str) -> str:
    """Return the text under the `#### heading…` of `report`, to the next one."""
    (_before, _heading, rest) = report.partition(f"#### {heading}")
    assert _heading, f"no section {heading!r} in:\n{report}"
    return rest.split("\n#### ")[0].split("\n", 1)[1]


REVIEWS = "Medical reviews overdue or due within 30 days"
QUESTIONS = "Unanswered editorial questions"
EDITED = "Articles edited since their medical review"
BROKEN = "Reference links that no longer resolve"
UNCHECKED = "Reference links that could not be checked"


# --- What it lists -----------------------------------------------------------


def test_every_section_says_none_when_nothing_needs_doing(scratch_content):
    report = report_of(scratch_content)
    assert report.startswith(f"**{TITLE}**, made on 2026-06-01.")
    assert "nothing here blocks publishing" in report
    for heading in (REVIEWS, QUESTIONS, EDITED, BROKEN, UNCHECKED):
        assert section(report, heading).strip() == "None.", heading


def test_reviews_overdue_and_due_within_30_days_are_listed(scratch_content):
    review(scratch_content, "content/articles/first-visit.md", "2025-05-01")
    review(scratch_content, "content/articles/second-opinion.md", "2025-06-20")
    review(scratch_content, "content/articles/older-notes.md", "2025-07-15")
    listed = section(report_of(scratch_content), REVIEWS)
    lines = listed.strip().splitlines()
    # Soonest first: the overdue one, then the one due in 19 days.
    assert len(lines) == 2, listed
    overdue, soon = lines
    assert overdue.startswith("- `content/articles/first-visit.md:")
    assert "medical review overdue since 2026-05-01 (last reviewed 2025-05-01)" in (
        overdue
    )
    assert (
        "`make review FILE=content/articles/first-visit.md "
        "REVIEWER=fixture-reviewer`" in overdue
    )
    assert soon.startswith("- `content/articles/second-opinion.md:")
    assert "due on 2026-06-20, in 19 days" in soon
    # Due in 44 days, and the fixture's review in 2027: not yet.
    assert "older-notes" not in listed
    assert "quotes-and-ampersands" not in listed


def test_the_review_line_is_the_last_reviewed_line(scratch_content):
    review(scratch_content, "content/articles/first-visit.md", "2025-05-01")
    path = scratch_content / "articles" / "first-visit.md"
    number = next(
        n
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if line.startswith("Last_reviewed:")
    )
    listed = section(report_of(scratch_content), REVIEWS)
    assert f"`content/articles/first-visit.md:{number}`" in listed


def test_a_review_due_today_is_overdue_and_one_due_in_31_days_is_not_listed(
    scratch_content,
):
    review(scratch_content, "content/articles/first-visit.md", "2025-06-01")
    review(scratch_content, "content/articles/second-opinion.md", "2025-07-02")
    listed = section(report_of(scratch_content), REVIEWS)
    assert "overdue since 2026-06-01" in listed
    assert "second-opinion" not in listed


def test_editorial_questions_are_listed_each_with_its_line(scratch_content):
    edit(
        scratch_content,
        "content/articles/second-opinion.md",
        "Tags: first visit\n",
        "Tags: first visit\nEditorial_questions: Is the date right?\n"
        "    Should it cite the 2022 trial?\n",
    )
    listed = section(report_of(scratch_content), QUESTIONS)
    assert listed.strip().splitlines() == [
        "- `content/articles/second-opinion.md:7`: Is the date right? Answer it, "
        "then remove it from `Editorial_questions`.",
        "- `content/articles/second-opinion.md:8`: Should it cite the 2022 trial? "
        "Answer it, then remove it from `Editorial_questions`.",
    ]


def test_an_article_edited_since_its_review_is_listed(scratch_content):
    edit(scratch_content, REVIEWED, "## Risks and side effects", "## Risks")
    listed = section(report_of(scratch_content), EDITED)
    (line,) = listed.strip().splitlines()
    assert line.startswith(f"- `{REVIEWED}:")
    # The title's quotes and ampersand, as writers typed them, escaped.
    assert '“"Ketamine" \\& PTSD: Questions Answered”' in line
    assert "changed after its medical review on 2026-01-20" in line
    assert f"`make review FILE={REVIEWED} REVIEWER=fixture-reviewer`" in line


def test_an_article_stamped_then_edited_is_listed(scratch_content):
    source = "content/articles/older-notes.md"
    review(scratch_content, source, "2026-05-20")
    assert "None." in section(report_of(scratch_content), EDITED)
    edit(scratch_content, source, "Older fixture text.", "Older fixture text, edited.")
    listed = section(report_of(scratch_content), EDITED)
    assert f"`{source}:" in listed
    assert "changed after its medical review on 2026-05-20" in listed


def test_a_review_that_records_no_text_is_listed(scratch_content):
    edit(scratch_content, REVIEWED, "Reviewed_text: sha256:f5cd348a9778cea1\n", "")
    listed = section(report_of(scratch_content), EDITED)
    assert f"`{REVIEWED}:" in listed
    assert "does not record which text the reviewer read" in listed


def test_an_article_whose_front_matter_does_not_read_is_named(scratch_content):
    edit(scratch_content, "content/articles/older-notes.md", "Date: 2025-12-01", "")
    report = report_of(scratch_content)
    assert "Left out until `make check` finds their front matter valid" in report
    assert "`content/articles/older-notes.md`" in report


# --- Reference links -----------------------------------------------------------

MORE_REFERENCES = """
shared2020:
  authors: [Writer F]
  title: The Same Paper, Cited Twice
  journal: Journal of Fixtures
  year: 2020
  design: Randomized controlled fixture trial
  doi: 10.1234/fixture.2020.1
  pmid: 12345

gone2019:
  authors: [Writer G]
  title: A Withdrawn Page
  journal: Fixture Press
  year: 2019
  design: Case report
  url: https://gone.example/paper

busy2018:
  authors: [Writer H]
  title: A Site With Bot Protection
  journal: Fixture Press
  year: 2018
  design: Case report
  url: https://guarded.example/paper

down2017:
  authors: [Writer I]
  title: A Site That Errs
  journal: Fixture Press
  year: 2017
  design: Case report
  url: https://down.example/paper
"""
PUBMED = "https://pubmed.ncbi.nlm.nih.gov/12345/"


@pytest.fixture
def references(scratch_content) -> Path:
    path = scratch_content / "references.yaml"
    path.write_text(path.read_text() + MORE_REFERENCES)
    return scratch_content


def line_of(content: Path, key: str) -> int:
    lines = (content / "references.yaml").read_text().splitlines()
    return lines.index(f"{key}:") + 1


def test_links_that_no_longer_resolve_and_those_not_checked(references):
    fetch = FakeFetch(
        {
            FIXTURE_DOI: 404,
            "https://gone.example/paper": 410,
            PUBMED: TimeoutError("timed out"),
            "https://guarded.example/paper": 403,
            "https://down.example/paper": 503,
        }
    )
    report = report_of(references, fetch)
    broken = section(report, BROKEN)
    unchecked = section(report, UNCHECKED)
    # The DOI both references give: asked once, listed for each.
    assert (
        f"- `content/references.yaml:1`: reference `fixture2020`, its DOI link "
        f"`{FIXTURE_DOI}` answers 404 (not found). Check `doi:` against the source "
        "itself and correct it, or replace the reference." in broken
    )
    shared = line_of(references, "shared2020")
    assert f"`content/references.yaml:{shared}`: reference `shared2020`" in broken
    assert "`https://gone.example/paper` answers 410 (gone). Check `url:`" in broken
    # A timeout, bot protection and a server error are never called broken.
    for address in (PUBMED, "guarded.example", "down.example"):
        assert address not in broken
        assert address in unchecked
    assert f"its PubMed link `{PUBMED}` timed out." in unchecked
    assert "answers 403 (the site turns automated requests away)" in unchecked
    assert "answers 503 (the site had a problem of its own)" in unchecked
    assert "Open it in a browser" in unchecked
    # A 200 is not listed anywhere.
    assert FIXTURE_URL not in report
    assert sorted(fetch.calls) == sorted(set(fetch.calls))
    assert set(fetch.calls) == {
        FIXTURE_DOI,
        FIXTURE_URL,
        PUBMED,
        "https://gone.example/paper",
        "https://guarded.example/paper",
        "https://down.example/paper",
    }


def test_redirects_and_successes_resolve():
    for status in (200, 204, 301, 302, 308):
        assert judge(lambda url, status=status: status, "https://x.example")[0] == (
            "resolves"
        )
    assert judge(lambda url: 404, "https://x.example")[0] == "broken"
    assert judge(lambda url: 429, "https://x.example")[0] == "unchecked"
    assert judge(lambda url: 500, "https://x.example")[0] == "unchecked"


def test_any_failure_of_the_fetcher_is_could_not_check():
    def refuses(url):
        raise ConnectionRefusedError("Connection refused")

    assert judge(refuses, "https://x.example") == (
        "unchecked",
        "could not be reached (Connection refused)",
    )
    assert judge(lambda url: OSError("returned, not raised"), "https://x.example")[
        0
    ] == ("unchecked")


def test_offline_says_links_were_not_checked_and_asks_nothing(references):
    report = make_report(settings_for(references), TODAY, None)
    assert "Not checked: this report was made with `--offline`." in report
    assert BROKEN not in report
    assert UNCHECKED not in report


def test_a_doi_with_reserved_characters_stays_one_address(scratch_content):
    path = scratch_content / "references.yaml"
    path.write_text(
        path.read_text().replace("10.1234/fixture.2020.1", "10.1234/a#b?c%d", 1)
    )
    fetch = FakeFetch()
    report_of(scratch_content, fetch)
    assert "https://doi.org/10.1234/a%23b%3Fc%25d" in fetch.calls


# --- Writers' text is shown as typed -------------------------------------------------


def test_writer_text_with_markdown_and_html_is_escaped(scratch_content):
    edit(
        scratch_content,
        "content/articles/second-opinion.md",
        "Tags: first visit\n",
        "Tags: first visit\nEditorial_questions: Is **this** <b>right</b>, "
        "@someone, see #12 and [a](https://x.example)?\n",
    )
    edit(
        scratch_content,
        "content/references.yaml",
        "url: https://journal.example/fixture-study",
        "url: https://journal.example/`x`<b>",
    )
    fetch = FakeFetch({"https://journal.example/`x`<b>": 404})
    report = report_of(scratch_content, fetch)
    questions = section(report, QUESTIONS)
    assert "<b>" not in questions
    assert "**this**" not in questions
    assert "\\*\\*this\\*\\* \\<b\\>right\\</b\\>" in questions
    assert "@\u200dsomeone" in questions
    assert "#\u200d12" in questions
    assert "\\[a\\](https\u200d://x.example)" in questions
    # An address in a code span whose fence outlasts its backticks.
    assert "``https://journal.example/`x`<b>``" in section(report, BROKEN)


# What GitHub links or notifies in an issue's text outside code: an address
# (letters then `://`, `www.`, mailto:, xmpp:) or an @mention.
AUTOLINKED = re.compile(
    r"(?:https?|ftp)://|www\.|mailto:|xmpp:|@[A-Za-z0-9-]", re.IGNORECASE
)


def test_addresses_and_mentions_in_writer_text_do_not_link_or_notify(
    scratch_content,
):
    typed = [
        "See https://evil.example and www.evil.example, cc @clinic-admins",
        "Or mailto:someone@evil.example, 1https://evil.example/x?",
    ]
    edit(
        scratch_content,
        "content/articles/second-opinion.md",
        "Tags: first visit\n",
        f"Tags: first visit\nEditorial_questions: {typed[0]}\n    {typed[1]}\n",
    )
    report = report_of(scratch_content, FakeFetch({FIXTURE_DOI: 404}))
    page = BeautifulSoup(MarkdownIt("commonmark").render(report), "html.parser")
    outside_code = [
        str(text)
        for text in page.find_all(string=True)
        if text.find_parent(["code", "pre"]) is None
    ]
    assert any("evil.example" in text for text in outside_code)
    assert [found for text in outside_code for found in AUTOLINKED.findall(text)] == []
    assert page.find("a") is None
    # The reader sees what was typed: the joiners are invisible.
    questions = page.find("h4", string=QUESTIONS).find_next("ul").find_all("li")
    assert [
        item.get_text().replace("\u200d", "").split(": ", 1)[1] for item in questions
    ] == [
        f"{question} Answer it, then remove it from Editorial_questions."
        for question in typed
    ]
    # The address the report itself gives stays whole, in a code span.
    assert f"its DOI link `{FIXTURE_DOI}` answers 404" in section(report, BROKEN)
    assert FIXTURE_DOI in [code.get_text() for code in page.find_all("code")]


def test_a_report_too_long_for_an_issue_is_cut_and_says_so():
    text = "\n".join(f"- line {n}" for n in range(100))
    cut = editorial_report._within_limit(text, 300)
    assert len(cut) <= 300
    assert cut.endswith("Run `make editorial-report` to read all of it.")
    assert "- line 0\n" in cut
    assert editorial_report._within_limit(text, len(text)) == text


# --- The task ----------------------------------------------------------------


def test_findings_never_fail_the_run(references, capsys):
    review(references, "content/articles/first-visit.md", "2024-01-01")
    code = run(
        DEV_SETTINGS,
        today=TODAY,
        fetch=FakeFetch({FIXTURE_DOI: 404}),
        override={"PATH": str(references)},
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "overdue since 2025-01-01" in out
    assert f"`{FIXTURE_DOI}` answers 404" in out


def test_a_report_that_cannot_be_made_says_so_plainly(tmp_path, capsys):
    code = run(tmp_path / "no-such-settings.py", today=TODAY, fetch=None)
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert captured.err.startswith("The editorial report could not be made: ")
    assert "Traceback" not in captured.err


def test_the_task_prints_the_report_offline_and_exits_0(project_copy):
    result = invoke(project_copy, "editorial-report", "--offline")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"**{TITLE}**, made on ")
    assert "Not checked: this report was made with `--offline`." in result.stdout
    assert f"#### {QUESTIONS}" in result.stdout
    assert "Traceback" not in result.stderr


def test_the_task_writes_the_report_to_a_file(project_copy):
    result = invoke(
        project_copy, "editorial-report", "--offline", "--output", "report.md"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "Wrote the editorial report to report.md" in result.stderr
    written = (project_copy / "report.md").read_text(encoding="utf-8")
    assert written.startswith(f"**{TITLE}**")


def test_a_crash_in_the_task_is_one_plain_line(project_copy):
    (project_copy / "report.md").mkdir()  # a folder where the file goes
    result = invoke(
        project_copy, "editorial-report", "--offline", "--output", "report.md"
    )
    assert result.returncode == 1
    assert result.stderr.startswith("The editorial report could not be made: ")
    assert "Traceback" not in result.stderr


# --- The real fetcher, against servers on this machine -------------------------------

# The real policy refuses this machine; the tests' servers are on it.
TEST_SERVER = ip_address("127.0.0.1")
NOT_PUBLIC = "is not a public web address, so it was not asked"
REDIRECT_NOT_PUBLIC = (
    "redirects to an address that is not a public web address, which was not asked"
)


def public_or_test_server(address) -> bool:
    """Judge by the real policy, and let the tests' server on 127.0.0.1 be asked."""
    return address == TEST_SERVER or public_address(address)


def fetch_here(url: str, **options) -> int:
    return fetch_status(
        url, **{"timeout": 5, "allow": public_or_test_server, **options}
    )


def test_the_real_fetcher_follows_redirects_and_reads_statuses(tmp_path):
    (tmp_path / "paper.html").write_text("<p>A paper</p>")
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "index.html").write_text("<p>An index</p>")
    with serve(tmp_path) as base:
        assert fetch_here(f"{base}/paper.html") == 200
        assert fetch_here(f"{base}/missing.html") == 404
        # /folder answers 301 to /folder/, which answers 200.
        assert fetch_here(f"{base}/folder") == 200
        assert judge(fetch_here, f"{base}/gone")[0] == "broken"


def test_the_real_fetcher_asks_only_web_addresses(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("local")
    outcome, reason = judge(fetch_status, secret.as_uri())
    assert outcome == "unchecked"
    assert "not a web address" in reason


class _Recording(BaseHTTPRequestHandler):
    """Refuses HEAD (405) and answers GET 200; records what each request sent."""

    seen: ClassVar[list[tuple[str, str, str]]] = []

    def do_HEAD(self):
        self.seen.append(("HEAD", self.path, self.headers.get("User-Agent", "")))
        self.send_response(405)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        self.seen.append(("GET", self.path, self.headers.get("User-Agent", "")))
        if self.path == "/moved":
            self.send_response(302)
            self.send_header("Location", "/paper")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"ok"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        """Stay quiet."""


def test_the_real_fetcher_falls_back_to_get_and_says_who_asks():
    _Recording.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recording)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        assert fetch_here(f"{base}/moved") == 200
    finally:
        server.shutdown()
        server.server_close()
    assert [(method, path) for method, path, _agent in _Recording.seen] == [
        ("HEAD", "/moved"),
        ("GET", "/moved"),
        ("GET", "/paper"),
    ]
    assert {agent for *_request, agent in _Recording.seen} == {
        editorial_report.USER_AGENT
    }


def test_the_real_fetcher_gives_up_on_a_server_that_never_answers():
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts the connection, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/paper"
        assert judge(lambda address: fetch_here(address, timeout=0.5), url) == (
            "unchecked",
            "timed out",
        )


class _Hostile(BaseHTTPRequestHandler):
    """Answers as the servers of issue 29 did; records (method, path, Host) asked.

    /moved redirects to `redirect` ({port}: this server's), /loop to itself,
    /trickle sends its headers a byte at a time, /flood sends headers without
    end, /long-body a long body; /secret is what an internal host would say.
    """

    seen: ClassVar[list[tuple[str, str, str]]] = []
    redirect: ClassVar[str] = ""
    stop: ClassVar[threading.Event] = threading.Event()

    def do_HEAD(self):
        self.answer()

    def do_GET(self):
        self.answer()

    def answer(self):
        self.seen.append((self.command, self.path, self.headers.get("Host", "")))
        with suppress(OSError):  # the fetcher hung up, as it should
            self.respond()

    def respond(self):
        port = self.server.server_address[1]
        if self.path in ("/moved", "/loop"):
            self.send_response(302)
            where = self.redirect if self.path == "/moved" else "/loop"
            self.send_header("Location", where.format(port=port))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/trickle":
            self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            # A byte each tenth of a second for a minute, unless told to stop.
            for _byte in range(600):
                if self.stop.wait(0.1):
                    return
                self.wfile.write(b"x")
            self.wfile.write(b"\r\nContent-Length: 0\r\n\r\n")
        elif self.path == "/flood":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for _line in range(1000):
                self.wfile.write(b"X-Pad: " + b"x" * 1000 + b"\r\n")
            self.stop.wait(30)
        elif self.path == "/long-body":
            self.send_response(200)
            self.send_header("Content-Length", str(100 * 2**20))
            self.end_headers()
            for _chunk in range(100):
                self.wfile.write(b"x" * 2**20)
        else:
            body = b"internal-secret" if self.path == "/secret" else b"ok"
            self.send_response(200)
            self.send_header("X-Internal", "internal-header")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(body)

    def log_message(self, format, *args):
        """Stay quiet."""


@contextmanager
def hostile_server(redirect: str = "") -> Iterator[tuple[str, int]]:
    """Serve _Hostile on 127.0.0.1; yield its base URL and port."""
    _Hostile.seen = []
    _Hostile.redirect = redirect
    _Hostile.stop = threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hostile)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        yield f"http://127.0.0.1:{port}", port
    finally:
        _Hostile.stop.set()
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "0.0.0.0",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "100.64.0.1",
        "169.254.169.254",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "fe80::1",
        "fc00::1",
        "ff02::1",
    ],
)
def test_the_policy_refuses_every_address_that_is_not_public(address):
    assert not public_address(ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700::1"])
def test_the_policy_lets_public_addresses_be_asked(address):
    assert public_address(ip_address(address))


def test_addresses_on_this_machine_or_a_private_network_are_not_asked():
    with hostile_server() as (_base, port):
        # Every way of writing this machine: the address each resolves to is
        # what is judged, not the text.
        here = [
            "127.0.0.1",
            "localhost",
            "0.0.0.0",
            "2130706433",
            "0x7f.1",
            "0177.0.0.1",
            "[::1]",
            "[::ffff:127.0.0.1]",
        ]
        urls = [f"http://{host}:{port}/secret" for host in here]
        urls += [
            "http://10.0.0.1/secret",
            "http://192.168.0.1/secret",
            "http://169.254.169.254/latest/meta-data/",
            "http://224.0.0.1/secret",
            f"https://[::1]:{port}/secret",
        ]
        for url in urls:
            assert judge(fetch_status, url) == ("unchecked", NOT_PUBLIC), url
    assert _Hostile.seen == []


def test_a_host_is_not_asked_when_any_of_its_addresses_is_not_public():
    def resolve(host):
        return ["93.184.215.14", "127.0.0.1"]

    with hostile_server() as (_base, port):
        url = f"http://papers.example:{port}/secret"
        assert judge(lambda url: fetch_status(url, resolve=resolve), url) == (
            "unchecked",
            NOT_PUBLIC,
        )
    assert _Hostile.seen == []


def test_addresses_with_a_user_name_or_an_odd_host_are_not_asked():
    with hostile_server() as (_base, port):
        for url in (
            f"http://journal.example@127.0.0.1:{port}/secret",
            f"http://127.0.0.1:{port}\\@journal.example/secret",
            f"http://%31%32%37.0.0.1:{port}/secret",
            "http:///secret",
        ):
            outcome, reason = judge(fetch_here, url)
            assert outcome == "unchecked", url
            assert reason.startswith("is not a "), url
            assert reason.endswith(", so it was not asked"), url
    assert _Hostile.seen == []


def test_the_connection_goes_to_the_address_judged_under_the_hosts_name():
    lookups = []

    def rebinding(host):
        # A name that resolves to this machine's test server once, then to
        # an internal host: a second lookup at connect time would reach it.
        lookups.append(host)
        return ["127.0.0.1"] if len(lookups) == 1 else ["10.0.0.1"]

    with hostile_server() as (_base, port):
        assert fetch_here(f"http://papers.example:{port}/paper", resolve=rebinding) == (
            200
        )
    assert lookups == ["papers.example"]
    assert _Hostile.seen == [("HEAD", "/paper", f"papers.example:{port}")]


@pytest.mark.parametrize(
    "where",
    [
        "http://0.0.0.0:{port}/secret",
        "http://[::ffff:127.0.0.1]:{port}/secret",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/secret",
    ],
)
def test_a_redirect_to_an_address_that_is_not_public_is_not_followed(where):
    with hostile_server(where) as (base, _port):
        assert judge(fetch_here, f"{base}/moved") == (
            "unchecked",
            REDIRECT_NOT_PUBLIC,
        )
    assert [path for _method, path, _host in _Hostile.seen] == ["/moved"]


@pytest.mark.parametrize(
    "where", ["ftp://127.0.0.1:{port}/secret", "file:///etc/passwd", "gopher://x/"]
)
def test_a_redirect_that_leaves_the_web_is_not_followed(where):
    with hostile_server(where) as (base, _port):
        assert judge(fetch_here, f"{base}/moved") == (
            "unchecked",
            "redirects to an address that is not a web address (http:// or "
            "https://), which was not asked",
        )
    assert [path for _method, path, _host in _Hostile.seen] == ["/moved"]


def test_redirects_are_followed_a_few_times_only():
    with hostile_server() as (base, _port):
        assert judge(fetch_here, f"{base}/loop") == (
            "unchecked",
            f"redirects more than {MAX_REDIRECTS} times",
        )
    assert _Hostile.seen == [("HEAD", "/loop", base.removeprefix("http://"))] * (
        MAX_REDIRECTS + 1
    )


def test_a_server_that_trickles_its_answer_is_cut_off_at_the_links_deadline():
    with hostile_server() as (base, _port):
        started = time.monotonic()
        outcome = judge(lambda url: fetch_here(url, timeout=1), f"{base}/trickle")
        elapsed = time.monotonic() - started
    # Each byte comes well within any read's timeout: only the link's own
    # deadline, checked between reads, ends it.
    assert outcome == ("unchecked", "timed out")
    # Loosely: its trickle lasts a minute (the issue's server held it 75 s).
    assert elapsed < 30


def test_a_host_name_that_resolves_slowly_is_cut_off_at_the_links_deadline():
    release = threading.Event()

    def slow(host):
        release.wait(60)
        return ["127.0.0.1"]

    try:
        assert judge(
            lambda url: fetch_here(url, timeout=0.5, resolve=slow),
            "http://slow.example/paper",
        ) == ("unchecked", "timed out")
    finally:
        release.set()


def test_an_answer_is_read_no_further_than_the_cap():
    with hostile_server() as (base, _port):
        assert judge(lambda url: fetch_here(url, max_bytes=4096), f"{base}/flood") == (
            "unchecked",
            "answered with more than 4,096 bytes of headers",
        )
        # A body, however long, is never read: the status comes before it.
        assert fetch_here(f"{base}/long-body", max_bytes=4096) == 200


def test_links_left_when_the_runs_time_is_up_are_not_asked():
    now = [0.0]
    asked = []

    def fetch(url):
        asked.append(url)
        now[0] += 4  # each address takes 4 seconds
        return 200

    links = [
        Link("content/references.yaml", n, f"ref{n}", "web address", "url", url)
        for n, url in enumerate(f"https://site{n}.example/" for n in range(5))
    ]
    results = check_links(links, fetch, seconds=10, clock=lambda: now[0])
    # Asked at 0, 4 and 8 seconds; at 12, the run's 10 are up.
    assert asked == [link.url for link in links[:3]]
    assert [result.outcome for result in results] == ["resolves"] * 3 + [
        "unchecked"
    ] * 2
    assert {result.reason for result in results[3:]} == {
        "was not asked (the link check ran out of time)"
    }


def test_the_report_never_says_what_an_address_not_asked_answered(scratch_content):
    hosts = {"journal.example": ["127.0.0.1"], "internal.example": ["0.0.0.0"]}

    def resolve(host):
        if host not in hosts:
            raise OSError("not in the test's table")
        return hosts[host]

    with hostile_server("http://internal.example:{port}/secret") as (_base, port):
        edit(
            scratch_content,
            "content/references.yaml",
            f"url: {FIXTURE_URL}",
            f"url: http://journal.example:{port}/moved",
        )
        path = scratch_content / "references.yaml"
        path.write_text(
            path.read_text()
            + "\ninternal2021:\n  authors: [Writer J]\n  title: An Internal Page\n"
            "  journal: Fixture Press\n  year: 2021\n  design: Case report\n"
            f"  url: http://internal.example:{port}/secret\n"
        )
        report = report_of(
            scratch_content, lambda url: fetch_here(url, resolve=resolve)
        )
    unchecked = section(report, UNCHECKED)
    assert f"`http://journal.example:{port}/moved` {REDIRECT_NOT_PUBLIC}." in unchecked
    assert f"`http://internal.example:{port}/secret` {NOT_PUBLIC}." in unchecked
    assert "internal-secret" not in report
    assert "internal-header" not in report
    assert [path for _method, path, _host in _Hostile.seen] == ["/moved"]


# --- The workflow ----------------------------------------------------------------


def load_workflow(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the key `on` as true
    return workflow


def test_the_workflow_runs_weekly_and_on_demand_and_never_blocks():
    workflow = load_workflow(REPORT_WORKFLOW)
    (schedule,) = workflow["on"]["schedule"]
    assert schedule["cron"] == "0 7 * * 1"
    assert "workflow_dispatch" in workflow["on"]
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert workflow["permissions"] == {"contents": "read"}
    jobs = workflow["jobs"]
    assert all(job["continue-on-error"] is True for job in jobs.values())
    assert jobs["issue"]["permissions"] == {"contents": "read", "issues": "write"}
    assert "permissions" not in jobs["report"]
    (make,) = [s["run"] for s in jobs["report"]["steps"] if "make " in s.get("run", "")]
    assert make == "make editorial-report OUTPUT=report.md"


def test_the_workflow_keeps_one_issue_with_the_reports_title():
    issue = load_workflow(REPORT_WORKFLOW)["jobs"]["issue"]
    assert issue["if"] == "always()"
    (step,) = [s for s in issue["steps"] if "run" in s]
    assert step["env"]["ISSUE_TITLE"] == TITLE
    assert step["env"]["GH_TOKEN"] == "${{ github.token }}"
    script = step["run"]
    assert 'gh issue list --state open --label "$ISSUE_LABEL"' in script
    assert 'gh issue edit "$number" --body-file report/report.md' in script
    assert 'gh issue create --title "$ISSUE_TITLE"' in script
    # The job that can write checks nothing out: it runs none of the repository.
    assert not [s for s in issue["steps"] if "checkout" in s.get("uses", "")]


def test_only_this_workflow_runs_the_editorial_report():
    def runs_it(path: Path) -> bool:
        return any(
            "editorial-report" in step.get("run", "")
            or "editorial_report" in step.get("run", "")
            for job in load_workflow(path)["jobs"].values()
            for step in job["steps"]
        )

    workflows = sorted(WORKFLOWS.glob("*.yml"))
    assert len(workflows) > 1
    assert [path.name for path in workflows if runs_it(path)] == [
        "editorial-report.yml"
    ]
