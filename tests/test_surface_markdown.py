"""The pull-request comment shows file names, titles and messages as typed.

Everything the comment quotes comes from the pull request. A backtick must
not end a code span, a newline must not start a heading, `|` must not split
a table cell, `@someone` or `#12` must not notify or link anyone, and a bare
address (https://…, www.…, mailto:…) must not become a link. The comment is
rendered with markdown-it-py (CommonMark, plus GFM tables and
strikethrough) and the HTML checked; what GitHub adds on top (mentions,
issue references, autolinked addresses) is checked in the text it would
scan.
"""

from __future__ import annotations

import re
import subprocess
from types import SimpleNamespace

from bs4 import BeautifulSoup
from content_schema import check_content
from markdown_it import MarkdownIt
from pelican.settings import read_settings
import pytest

from deploy.preview_report import Change, changed_files, preview_report, unlinked
from tests.support import DEV_SETTINGS, FIXTURE_CONTENT
from tests.test_preview_report import PREVIEW, TODAY, section
from tools.check_report import ZWJ, findings_sections, markdown_code, markdown_text

GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# What GitHub turns into a notification or a link in plain text (not in code
# or links): @user, @org/team, #12, org/repo#12, GH-12.
REFERENCES = re.compile(r"(?<![\w`])@[A-Za-z0-9]|#\d|\bGH-\d", re.IGNORECASE)
# What GitHub's autolinker links in plain text, even escaped: letters then
# `://` (whatever comes before them), `www.`, mailto: and xmpp: addresses.
ADDRESSES = re.compile(r"(?:https?|ftp)://|www\.|mailto:|xmpp:", re.IGNORECASE)
BARE_ADDRESSES = [
    "See https://evil.example and www.evil.example, cc @clinic-admins",
    "http://evil.example/x?a=1 and HTTPS://EVIL.EXAMPLE and WWW.EVIL.EXAMPLE",
    "ftp://evil.example/file",
    "1https://evil.example after a digit, _http://evil.example after a mark",
    "mailto:someone@evil.example and xmpp:someone@evil.example",
    "(https://evil.example) *www.evil.example* ~www.evil.example~",
]

HOSTILE = [
    "`code` breaks out",
    "``double`` and ` lone",
    "`",
    "ends with a backtick`",
    "@someone and @org/team, please look",
    "fixes #12 and other/repo#3 and GH-4",
    "a | b | c",
    "first line\n# a heading\n- a list",
    "tab\there\rand return",
    "<img src=x onerror=alert(1)> &commat;someone &#64;x",
    "*em* **strong** _u_ ~~gone~~ $x^2$",
    "[link](https://evil.example) ![image](https://evil.example/x.png)",
    "1. looks like a list",
    "- looks like a list too",
    "\\`escaped\\` \\@someone",
    "right-to-left \u202eoverride\u202c and a zero width\u200bspace",
]


def visible(text: str) -> str:
    """Return what the comment must show for `text`: its controls as escapes."""
    for control, shown in (("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t")):
        text = text.replace(control, shown)
    return re.sub("[\u202e\u202c\u200b]", lambda m: f"\\u{ord(m[0]):04x}", text)


def rendered(markdown: str) -> BeautifulSoup:
    return BeautifulSoup(GFM.render(markdown), "html.parser")


def shown_text(node) -> str:
    """Text a reader sees, without our zero-width joiners."""
    return node.get_text().replace(ZWJ, "")


def references_in_plain_text(node) -> list[str]:
    """List the @mentions and issue references GitHub would act on (not in code)."""
    found = []
    for string in node.find_all(string=True):
        if string.find_parent(["code", "pre", "a"]) is None:
            found += REFERENCES.findall(str(string))
    return found


@pytest.fixture(scope="module")
def fixture_check():
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(FIXTURE_CONTENT)})
    return check_content(settings, today=TODAY)


@pytest.mark.parametrize("title", HOSTILE)
def test_a_hostile_title_is_one_link_showing_it_as_typed(fixture_check, title):
    changed = fixture_check.items[0]
    item = type(changed)(**{**changed.__dict__, "title": title})
    result = type(fixture_check)(items=[item])
    report = preview_report([Change("M", item.source)], result, PREVIEW, today=TODAY)
    (line,) = section(report, "Pages changed")
    page = rendered(report)
    (entry,) = page.find("h4", string="Pages changed").find_next("ul").find_all("li")
    assert [tag.name for tag in entry.find_all(True)] == ["a"], line
    assert entry.a["href"] == f"{PREVIEW}/first-visit/"
    assert shown_text(entry.a) == visible(title)
    assert shown_text(entry) == f"{visible(title)}: edited"
    assert references_in_plain_text(page) == []
    # Nothing else grew: no heading, list or image came out of the title.
    assert len(page.find_all("h4")) == 4  # pages, testimonials, warnings, readability
    assert page.find("img") is None


def test_a_slug_cannot_end_its_link(fixture_check):
    changed = fixture_check.items[0]
    item = type(changed)(**{**changed.__dict__, "url": "a) [x](https://evil.example/"})
    report = preview_report(
        [Change("M", item.source)],
        type(fixture_check)(items=[item]),
        PREVIEW,
        today=TODAY,
    )
    (link,) = (
        rendered(report)
        .find("h4", string="Pages changed")
        .find_next("ul")
        .find_all("a")
    )
    assert link["href"] == f"{PREVIEW}/a%29%20%5Bx%5D%28https%3A//evil.example/"


@pytest.fixture(scope="module")
def hostile_names(tmp_path_factory) -> list[Change]:
    """Return the changes of a pull request adding a file for each hostile name."""
    repository = tmp_path_factory.mktemp("names")

    def git(*arguments: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *arguments],
            cwd=repository,
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    (repository / "content" / "articles").mkdir(parents=True)
    (repository / "content" / "testimonials").mkdir()
    (repository / "content" / "articles" / "base.md").write_text("Title: Base\n")
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "pr")
    for number, name in enumerate(HOSTILE):
        safe = name.replace("/", "\u2215")  # a file name cannot hold a slash
        folder = "testimonials" if number % 2 else "articles"
        suffix = ".yaml" if number % 2 else ".md"
        (repository / "content" / folder / f"{safe}{suffix}").write_text(f"{number}\n")
    git("add", "-A")
    git("commit", "-qm", "hostile names")
    return changed_files(repository, "main")


def test_git_gives_every_hostile_name_whole(hostile_names):
    paths = sorted(change.path.rsplit("/", 1)[1] for change in hostile_names)
    assert len(paths) == len(HOSTILE)
    assert "first line\n# a heading\n- a list.yaml" in paths
    assert "tab\there\rand return.md" in paths
    assert all(change.status == "A" for change in hostile_names)


def test_a_hostile_file_name_is_one_code_span_showing_it_as_typed(hostile_names):
    report = preview_report(
        hostile_names,
        SimpleNamespace(
            items=[],
            testimonials=[],
            withheld=[],
            problems=[],
            todos=[],
            warnings=[],
            readability=[],
        ),
        PREVIEW,
        today=TODAY,
    )
    page = rendered(report)
    entries = [
        entry
        for heading in ("Pages changed", "Testimonials touched")
        for entry in page.find("h4", string=heading).find_next("ul").find_all("li")
    ]
    expected = {
        change.path: "new" if change.path.startswith("content/articles/") else "removed"
        for change in hostile_names
    }
    assert len(entries) == len(expected)
    seen = {}
    for entry in entries:
        (code,) = entry.find_all(True)
        assert code.name == "code", entry
        seen[code.get_text()] = shown_text(entry).removeprefix(code.get_text())
    assert seen == {visible(path): f": {verb}" for path, verb in expected.items()}
    assert references_in_plain_text(page) == []
    assert page.find("img") is None and page.find("h1") is None


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_stays_in_its_table_cell(name):
    table = f"| File | What |\n| --- | --- |\n| {markdown_text(name)} | edited |\n"
    cells = rendered(table).select("tbody td")
    assert [shown_text(cell) for cell in cells] == [visible(name), "edited"]
    assert [tag.name for cell in cells for tag in cell.find_all(True)] == []


@pytest.mark.parametrize("name", HOSTILE)
def test_a_code_span_holds_any_name_exactly(name):
    paragraph = rendered(f"x {markdown_code(name)} y").p
    (code,) = paragraph.find_all(True)
    assert code.get_text() == visible(name)
    assert shown_text(paragraph) == f"x {visible(name)} y"


def test_findings_quote_writers_text_as_text():
    finding = "content/a.md:1: title: @someone `x` | y\n# z <b>bold</b>"
    result = SimpleNamespace(
        problems=[finding], todos=[], withheld=[], warnings=[], readability=[]
    )
    page = rendered("\n".join(findings_sections(result)))
    (item,) = page.find("h4", string="Problems that block publishing").find_next("ul")(
        "li"
    )
    assert shown_text(item) == visible(finding)
    assert item.find_all(True) == []
    assert references_in_plain_text(page) == []


@pytest.mark.parametrize("text", BARE_ADDRESSES)
def test_a_bare_address_in_writers_text_is_shown_not_linked(text):
    markdown = markdown_text(text)
    assert ADDRESSES.findall(markdown) == []
    assert REFERENCES.findall(markdown) == []
    paragraph = rendered(f"x {markdown} y").p
    assert paragraph.find_all(True) == []
    assert shown_text(paragraph) == f"x {text} y"


@pytest.mark.parametrize("text", BARE_ADDRESSES)
def test_the_comment_adds_no_second_joiner_to_writers_text(text):
    # deploy/preview_report.py breaks addresses in the whole comment again:
    # what markdown_text wrote leaves it nothing to do.
    assert unlinked(markdown_text(text)) == markdown_text(text)


def test_a_code_span_keeps_an_address_whole():
    address = "https://doi.org/10.1234/fixture.2020.1"
    assert markdown_code(address) == f"`{address}`"
    assert rendered(f"x {markdown_code(address)} y").code.get_text() == address
