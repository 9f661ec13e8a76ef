"""The pull-request comment: pages changed, testimonials touched, content warnings.

Also its two halves apart, as the workflows run them: the data the build
writes (JSON), which the comment job refuses unless it is exactly the
schema, and the comment that job composes from it, escaped, and posts.
"""

from __future__ import annotations

import datetime as dt
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import json
from pathlib import Path
import re
import shutil
import subprocess
import threading
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from content_schema import check_content
from markdown_it import MarkdownIt
from pelican.settings import read_settings
import pytest

from deploy import (
    preview as preview_module,
    preview_report as preview_report_module,
)
from deploy.errors import DeployError
from deploy.preview import BOT, LOCAL_PREVIEW, post_comment
from deploy.preview_report import (
    MARKER,
    Change,
    PreviewDataError,
    changed_files,
    compose,
    parse_data,
    preview_report,
    read_data,
    report_data,
)
from tests.support import (
    DEV_SETTINGS,
    FIXTURE_CONTENT,
    PUBLISH_SETTINGS,
    git,
    invoke,
    text,
)
from tools.check_report import ZWJ

PREVIEW = "https://clinic.github.io/blog/previews/pr-12"
TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def fixture_check():
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(FIXTURE_CONTENT)})
    return check_content(settings, today=TODAY)


def section(report: str, title: str) -> list[str]:
    """Return the lines of one `#### title` section of the report."""
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"#### {title}"))
    body = []
    for line in lines[start + 2 :]:
        if line.startswith("#### "):
            break
        if line:
            body.append(line)
    return body


def test_report_links_each_changed_page_in_the_preview(fixture_check):
    report = preview_report(
        [
            Change("M", "content/articles/first-visit.md"),
            Change("A", "content/articles/second-opinion.md"),
            Change("R", "content/pages/about.md", "content/pages/old-about.md"),
            Change("D", "content/articles/gone.md"),
            Change("A", "content/articles/unfinished-draft.md"),
            Change("M", "content/articles/scheduled-post.md"),
            Change("M", "README.md"),
        ],
        fixture_check,
        PREVIEW,
        today=TODAY,
    )
    assert report.startswith(MARKER + "\n")
    assert f"**[{PREVIEW}/]({PREVIEW}/)**" in report
    assert section(report, "Pages changed") == [
        f"- [What to Expect at a First Visit]({PREVIEW}/first-visit/): edited",
        f"- [Asking for a Second Opinion]({PREVIEW}/asking-for-a-second-opinion/): new",
        f"- [About This Fixture]({PREVIEW}/about/): renamed",
        "- `content/articles/gone.md`: removed; its address will say not found",
        "- `content/articles/unfinished-draft.md`: a draft, not in the published site",
        f"- [Scheduled Post]({PREVIEW}/scheduled-post/): scheduled for 2099-01-01, "
        "so not in this preview yet",
    ]


def test_report_names_touched_testimonials_and_where_they_show(fixture_check):
    report = preview_report(
        [
            Change("M", "content/testimonials/ana-fixture.yaml"),
            Change("D", "content/testimonials/old.yaml"),
            Change("M", "content/testimonials/README.md"),
        ],
        fixture_check,
        PREVIEW,
        today=TODAY,
    )
    assert section(report, "Testimonials touched") == [
        "- `ana-fixture` (`content/testimonials/ana-fixture.yaml`, consent "
        "obtained): edited; shown on "
        f"[What to Expect at a First Visit]({PREVIEW}/first-visit/), "
        f"[Testimonials]({PREVIEW}/testimonials/)",
        "- `content/testimonials/old.yaml`: removed",
    ]
    assert section(report, "Pages changed") == ["No article or page changed."]


def test_report_says_when_the_theme_changes_every_page(fixture_check):
    report = preview_report(
        [Change("M", "theme/static/css/tokens.css"), Change("M", "pelicanconf.py")],
        fixture_check,
        PREVIEW,
        today=TODAY,
    )
    assert section(report, "Pages changed") == [
        "- The pelicanconf.py, theme changed too: every page may look different, "
        "so look at a few."
    ]


def test_report_lists_the_content_warnings(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    article = content / "articles" / "older-notes.md"
    article.write_text(
        article.read_text().replace(
            "Category:", "Editorial_questions: Is the <dose> right?\nCategory:", 1
        )
    )
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    report = preview_report([], check_content(settings, today=TODAY), PREVIEW)
    assert section(report, "Content warnings") == [
        "- content/articles/older-notes.md:5: editorial\\_questions: open question: "
        "Is the \\<dose\\> right?"
    ]


def test_no_warnings_is_said_plainly(fixture_check):
    assert fixture_check.warnings == []
    report = preview_report([], fixture_check, PREVIEW, today=TODAY)
    assert section(report, "Content warnings") == ["None."]


def test_writers_text_cannot_become_markup_in_the_comment(fixture_check):
    changed = fixture_check.items[0]
    tricky = type(changed)(**{**changed.__dict__, "title": "[x](https://evil.example)"})
    result = type(fixture_check)(items=[tricky])
    report = preview_report([Change("M", tricky.source)], result, PREVIEW, today=TODAY)
    # GitHub links a bare address even in escaped text: a zero-width joiner.
    assert section(report, "Pages changed") == [
        f"- [\\[x\\](https{ZWJ}://evil.example)]({PREVIEW}/first-visit/): edited"
    ]


def test_publish_rules_problems_are_listed_first(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    (content / "testimonials" / "ben-fixture.yaml").write_text(
        (content / "testimonials" / "ben-fixture.yaml")
        .read_text()
        .replace("status: obtained", "status: pending")
    )
    ana = content / "testimonials" / "ana-fixture.yaml"
    ana.write_text(ana.read_text().replace("name: Ana", "name: TO FILL IN"))
    settings = read_settings(str(PUBLISH_SETTINGS), override={"PATH": str(content)})
    report = preview_report([], check_content(settings, today=TODAY), PREVIEW)
    assert report.index("Problems that block publishing") < report.index("left out")
    assert section(report, "Problems that block publishing") == [
        "- content/testimonials/ana-fixture.yaml:2: name: still reads as the "
        "scaffold wrote it; write the name the patient agreed to show"
    ]
    (withheld,) = section(
        report,
        "Testimonials left out of the site until their consent allows it "
        "(the rest publishes)",
    )
    assert withheld.startswith(
        "- content/testimonials/ben-fixture.yaml:8: consent: consent is still 'pending'"
    )


def test_a_touched_testimonial_that_is_withheld_says_why(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    ben = content / "testimonials" / "ben-fixture.yaml"
    ben.write_text(ben.read_text().replace("status: obtained", "status: pending"))
    settings = read_settings(str(PUBLISH_SETTINGS), override={"PATH": str(content)})
    changes = [Change("M", "content/testimonials/ben-fixture.yaml")]
    report = preview_report(changes, check_content(settings, today=TODAY), PREVIEW)
    (line,) = section(report, "Testimonials touched")
    assert "**left out of the site**: consent is still 'pending'" in line
    assert "shown on" not in line


def test_changed_files_come_from_git(tmp_path):
    def git(*arguments):
        subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *arguments],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("Title: A\n\n" + "words " * 50)
    (tmp_path / "content" / "b.md").write_text("Title: B\n")
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "pr")
    (tmp_path / "content" / "a.md").rename(tmp_path / "content" / "renamed.md")
    (tmp_path / "content" / "b.md").unlink()
    (tmp_path / "content" / "c.md").write_text("Title: C\n")
    git("add", "-A")
    git("commit", "-qm", "change")
    assert sorted(changed_files(tmp_path, "main"), key=lambda c: c.path) == [
        Change("D", "content/b.md"),
        Change("A", "content/c.md"),
        Change("R", "content/renamed.md", "content/a.md"),
    ]


# --- The data and the comment job ----------------------------------------------

GFM = MarkdownIt("commonmark").enable(["table", "strikethrough"])
RUN = "https://github.com/clinic/blog/actions/runs/42"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
# What GitHub would link or notify in plain text: an address, @someone, #12.
AUTOLINKED = re.compile(
    r"https?:|www\.|mailto:|(?<![\w`])@[A-Za-z0-9]|#\d|\bGH-\d", re.IGNORECASE
)
HOSTILE = [
    "[x](https://evil.example)",
    "![image](https://evil.example/x.png)",
    "<img src=x onerror=alert(1)> <script>alert(1)</script>",
    "please look, @org/team and @someone",
    "see https://evil.example, http://evil.example and www.evil.example",
    "mailto:someone@evil.example",
    "``` a fence\n# a heading\n- a list",
    "`code` and a lone `",
    "fixes #12 and other/repo#3 and GH-4",
    "&amp; &#64;x | a | table",
]


def json_data(data: dict) -> str:
    return json.dumps(data)


@pytest.fixture
def data(fixture_check) -> dict:
    """Return the data of a pull request touching a page and a testimonial."""
    changes = [
        Change("M", "content/articles/first-visit.md"),
        Change("M", "content/testimonials/ana-fixture.yaml"),
        Change("M", "theme/static/css/tokens.css"),
    ]
    return report_data(changes, fixture_check, TODAY) | {"pr": 12}


def hostile_data(data: dict, text: str) -> dict:
    """Return `data` with `text` in every string the pull request writes."""
    page = data["pages"][0] | {"path": text, "title": text}
    shown = data["testimonials"][0]
    shown |= {"path": text, "id": text, "consent": text}
    shown["shown_on"] = [{"title": text, "url": "first-visit/"}]
    withheld = shown | {"state": "withheld", "reason": text, "shown_on": []}
    finding = {"source": text, "line": 3, "field": text, "message": text}
    level = {"source": text, "summary": text, "hardest": [{"line": 2, "text": text}]}
    return data | {
        "built": False,
        "build_problems": [text, text],
        "pages": [page, page | {"state": "removed"}, page | {"state": "draft"}],
        "testimonials": [shown, withheld],
        **{kind: [finding] for kind in ("problems", "todos", "withheld", "warnings")},
        "readability": [level],
    }


def plain_text(page: BeautifulSoup) -> list[str]:
    """Return the text outside code and links: what GitHub would link or notify.

    With its zero-width joiners, which are what keeps GitHub from linking.
    """
    return [
        str(string)
        for string in page.find_all(string=True)
        if string.find_parent(["code", "a"]) is None
    ]


def test_the_comment_job_composes_what_the_build_would(data, fixture_check):
    checked = parse_data(json_data(data))
    assert compose(checked, PREVIEW) == preview_report(
        [
            Change("M", "content/articles/first-visit.md"),
            Change("M", "content/testimonials/ana-fixture.yaml"),
            Change("M", "theme/static/css/tokens.css"),
        ],
        fixture_check,
        PREVIEW,
        today=TODAY,
    )


def test_the_comment_says_where_to_download_the_preview(data):
    comment = compose(parse_data(json_data(data)), LOCAL_PREVIEW, RUN, COMMIT)
    assert comment.startswith(MARKER + "\n")
    assert (
        f"**[{LOCAL_PREVIEW}/]({LOCAL_PREVIEW}/)**: built from commit `0123456789ab`"
        in comment
    )
    assert f"download **preview-site** from [this run's page]({RUN})" in comment
    assert (
        "`python3 -m http.server 8000 --bind 127.0.0.1 --directory preview-site`"
        in comment
    )
    assert section(comment, "Pages changed")[0] == (
        f"- [What to Expect at a First Visit]({LOCAL_PREVIEW}/first-visit/): edited"
    )
    assert "previews/" not in comment  # nothing is on the site's origin


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_data_is_only_text_in_the_comment(data, text):
    comment = compose(parse_data(json_data(hostile_data(data, text))), PREVIEW, RUN)
    page = BeautifulSoup(GFM.render(comment), "html.parser")
    tags = {tag.name for tag in page.find_all(True)}
    assert tags <= {"h3", "h4", "p", "ul", "li", "a", "code", "strong"}, tags
    assert page.find("img") is None and page.find("script") is None
    for link in page.find_all("a"):
        assert link["href"] == RUN or link["href"].startswith(f"{PREVIEW}/"), link
    assert [line for line in plain_text(page) if AUTOLINKED.search(line)] == []
    # Nothing grew out of the text: the comment's own headings, and no more.
    assert len(page.find_all("h4")) == 7
    assert "**The preview could not be built**" in comment


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["pages"][0].update(title="x" * 70_000),
            "pages[0].title is longer",
        ),
        (lambda d: d["pages"][0].update(title=5), "pages[0].title is not text"),
        (lambda d: d["pages"][0].update(title="\ud800"), "half of a character"),
        (lambda d: d.update(pr=True), "pr is not a whole number"),
        (lambda d: d.update(pr="12"), "pr is not a whole number"),
        (lambda d: d.update(built="yes"), "built is not true or false"),
        (lambda d: d["warnings"].append({"source": "a"}), "warnings[0] lacks line"),
        (lambda d: d.update(comment="**hi**"), "has a field the comment does not"),
        (lambda d: d["pages"][0].update(state="<b>"), "pages[0].state is none of"),
        (
            lambda d: d["pages"][0].update(url="https://evil.example/"),
            "pages[0].url is not a path of the site",
        ),
        (lambda d: d["pages"][0].update(url="../../x/"), "pages[0].url is not a"),
        (lambda d: d["pages"][0].update(url="/evil.example/"), "pages[0].url is not"),
        (lambda d: d["pages"][0].update(date="tomorrow"), "pages[0].date is not a"),
        (lambda d: d.update(site_wide=["README.md"]), "site_wide[0] is none of"),
        (lambda d: d.update(pages={"0": {}}), "pages is not a list"),
        (lambda d: d.update(build_problems=["x"] * 201), "has more than 200 entries"),
        (lambda d: d.update(version=2), "version is not between 1 and 1"),
        (
            lambda d: d["readability"][0]["hardest"][0].update(line=0),
            "readability[0].hardest[0].line is not between",
        ),
    ],
)
def test_data_that_is_not_the_schema_is_refused_in_a_sentence(data, change, message):
    change(data)
    with pytest.raises(PreviewDataError) as refused:
        parse_data(json_data(data))
    assert str(refused.value).startswith("the preview's data is not valid: ")
    assert message in str(refused.value)
    # The pull request's words are not repeated in the refusal.
    assert "**hi**" not in str(refused.value) and "<b>" not in str(refused.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"version": 1', "not valid JSON (line 1)"),
        ("", "not valid JSON"),
        ('{"version": NaN}', "NaN is no number"),
        ('{"version": 1, "version": 1}', "names a field twice"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"pr": ' + "9" * 5_000 + "}", "not valid JSON"),
        ("[]", "the preview's data is not valid: it is not a record"),
    ],
)
def test_text_that_is_not_the_data_is_refused_in_a_sentence(text, message):
    with pytest.raises(PreviewDataError, match=re.escape(message)):
        parse_data(text)


def test_the_data_file_must_be_a_plain_file_of_reasonable_size(tmp_path, monkeypatch):
    target = tmp_path / "secret"
    target.write_text("{}")
    link = tmp_path / "preview-data.json"
    link.symlink_to(target)
    with pytest.raises(PreviewDataError, match="is not a plain file"):
        read_data(link)
    with pytest.raises(PreviewDataError, match=r"there is no file absent\.json"):
        read_data(tmp_path / "absent.json")
    large = tmp_path / "large.json"
    large.write_bytes(b" " * 101)
    monkeypatch.setattr(preview_report_module, "MAX_BYTES", 100)
    with pytest.raises(PreviewDataError, match="larger than 100 bytes"):
        read_data(large)
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"x": "caf\xe9"}'.encode("latin-1"))
    with pytest.raises(PreviewDataError, match="is not UTF-8 text"):
        read_data(latin)


def test_the_build_clips_what_the_schema_limits(fixture_check):
    changed = fixture_check.items[0]
    long = type(changed)(**{**changed.__dict__, "title": "x" * 70_000})
    result = type(fixture_check)(items=[long])
    data = report_data([Change("M", long.source)], result, TODAY)
    (page,) = parse_data(json_data(data))["pages"]
    assert page["title"] == "x" * 1_999 + "…"


def test_the_comment_stays_within_githubs_limit(data):
    finding = {"source": "content/a.md", "line": 1, "field": "x", "message": "y" * 1999}
    data["warnings"] = [finding] * 1_000
    comment = compose(parse_data(json_data(data)), PREVIEW, RUN)
    assert len(comment) <= 65_536
    assert comment.endswith(
        f"*The comment stops here: GitHub keeps only so much of one. [this run's "
        f"log]({RUN}) has the rest.*\n"
    )
    assert comment.startswith(MARKER)


def test_the_comment_task_refuses_bad_data_with_a_plain_line(project_copy, data):
    bad = project_copy / "preview-data.json"
    bad.write_text(json_data(data | {"pr": 13}))
    out = project_copy / "comment.md"
    result = invoke(
        project_copy,
        "preview-comment",
        "--data",
        str(bad),
        "--pull-requests",
        "12",
        "--run-url",
        RUN,
        "--output",
        str(out),
    )
    assert result.returncode == 1
    assert result.stderr == (
        "The data is for pull request 13, which this run did not build.\n"
    )
    assert out.read_text() == (
        f"{MARKER}\n### Preview\n\nThe preview's report could not be made: the "
        f"data is for pull request 13, which this run did not build. [This run's "
        f"page]({RUN}) says why.\n"
    )
    bad.write_text('{"version": 1, "pages": [')
    result = invoke(project_copy, "preview-comment", "--data", str(bad))
    assert result.returncode == 1
    assert result.stderr == "The preview's data is not valid JSON (line 1).\n"
    assert "Traceback" not in result.stdout


# --- Posting, building, and the previews of before --------------------------------


@pytest.fixture
def github(monkeypatch):
    """Stand in for GitHub's API: one pull request's comments, and the requests."""
    state = {"comments": [], "requests": [], "refuse": ""}

    class API(BaseHTTPRequestHandler):
        def log_message(self, *_arguments) -> None:
            """Say nothing: the test reads `state`."""

        def _answer(self, status: int, body) -> None:
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _handle(self) -> None:
            address = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            sent = json.loads(self.rfile.read(length) or b"null")
            state["requests"].append(
                (self.command, address.path, self.headers["Authorization"], sent)
            )
            if self.command == state["refuse"]:
                self._answer(403, {"message": "Resource not accessible"})
                return
            comments = state["comments"]
            if self.command == "GET":
                query = parse_qs(address.query)
                size, page = int(query["per_page"][0]), int(query["page"][0])
                self._answer(200, comments[(page - 1) * size : page * size])
            elif self.command == "POST":
                new = {"id": 100 + len(comments), "body": sent["body"]}
                comments.append(new | {"user": {"login": BOT, "type": "Bot"}})
                self._answer(201, new)
            else:
                number = int(address.path.rsplit("/", 1)[1])
                (comment,) = [c for c in comments if c["id"] == number]
                comment["body"] = sent["body"]
                self._answer(200, comment)

        do_GET = do_POST = do_PATCH = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), API)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("GITHUB_REPOSITORY", "clinic/blog")
    monkeypatch.setenv("GH_TOKEN", "a-token")
    monkeypatch.setattr(preview_module, "PER_PAGE", 2)  # pages, with 3 comments
    yield state
    server.shutdown()
    server.server_close()
    thread.join()


def test_the_bot_keeps_one_comment_up_to_date(github):
    def someone(number: int, login: str, body: str) -> dict:
        return {"id": number, "body": body, "user": {"login": login, "type": "User"}}

    github["comments"] += [
        someone(1, "mallory", f"{MARKER}\nnot the bot's"),
        someone(2, BOT, "the bot, but another comment"),
        someone(3, "reviewer", "looks good"),
    ]
    assert post_comment(12, f"{MARKER}\nfirst") == "added"
    assert post_comment(12, f"{MARKER}\nsecond") == "updated"
    bodies = [comment["body"] for comment in github["comments"]]
    assert bodies == [
        f"{MARKER}\nnot the bot's",
        "the bot, but another comment",
        "looks good",
        f"{MARKER}\nsecond",
    ]
    assert [request[:2] for request in github["requests"]] == [
        ("GET", "/repos/clinic/blog/issues/12/comments"),
        ("GET", "/repos/clinic/blog/issues/12/comments"),
        ("POST", "/repos/clinic/blog/issues/12/comments"),
        ("GET", "/repos/clinic/blog/issues/12/comments"),
        ("GET", "/repos/clinic/blog/issues/12/comments"),
        ("PATCH", "/repos/clinic/blog/issues/comments/103"),
    ]
    assert {request[2] for request in github["requests"]} == {"Bearer a-token"}


def test_a_refused_comment_is_one_plain_line(github):
    github["refuse"] = "POST"
    with pytest.raises(DeployError) as refused:
        post_comment(12, f"{MARKER}\nfirst")
    assert str(refused.value) == (
        "GitHub answered 403 Forbidden to POST /repos/clinic/blog/issues/12/comments"
    )


@pytest.fixture
def repository(project_copy, isolated_git, tmp_path) -> Path:
    """Return the project copy as a git repository with a bare `origin`."""
    git(project_copy, "init", "--quiet", "-b", "main")
    git(project_copy, "config", "user.name", "Clinic Deploys")
    git(project_copy, "config", "user.email", "deploys@clinic.example")
    git(project_copy, "add", "-A")
    git(project_copy, "commit", "--quiet", "-m", "The site")
    git(tmp_path, "init", "--quiet", "--bare", str(tmp_path / "github.git"))
    git(project_copy, "remote", "add", "origin", str(tmp_path / "github.git"))
    return project_copy


def test_a_preview_is_built_for_the_reviewers_computer_and_pushed_nowhere(
    repository, tmp_path
):
    git(repository, "checkout", "--quiet", "-b", "new-article")
    article = repository / "content" / "articles" / "older-notes.md"
    article.write_text(article.read_text() + "\nA new paragraph for review.\n")
    git(repository, "commit", "--quiet", "-am", "Edit older notes")
    data = tmp_path / "preview-data.json"
    arguments = ("preview", "--pr", "4", "--base", "main", "--data", str(data))
    result = invoke(repository, *arguments)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup(
        (repository / "output" / "older-notes" / "index.html").read_text(),
        "html.parser",
    )
    assert "A new paragraph for review." in text(page)
    canonical = page.find("link", rel="canonical")["href"]
    assert canonical == f"{LOCAL_PREVIEW}/older-notes/"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    checked = read_data(data)
    assert (checked["pr"], checked["built"]) == (4, True)
    assert checked["pages"] == [
        {
            "path": "content/articles/older-notes.md",
            "verb": "edited",
            "state": "shown",
            "title": "Older Notes",
            "url": "older-notes/",
            "date": "",
        }
    ]
    assert git(tmp_path / "github.git", "for-each-ref").strip() == ""

    # A build that fails still leaves data saying why, for the comment.
    article.write_text(article.read_text().replace("Category:", "Categori:", 1))
    git(repository, "commit", "--quiet", "-am", "Break the front matter")
    result = invoke(repository, *arguments)
    assert result.returncode == 1
    assert result.stderr.endswith(
        "Preview build failed: there is nothing to download.\n"
    )
    checked = read_data(data)
    assert checked["built"] is False
    assert any("older-notes.md" in line for line in checked["build_problems"])
    assert checked["problems"]


def test_the_previews_of_before_are_removed_from_gh_pages(repository, tmp_path):
    pages = tmp_path / "pages"
    for name in ("index.html", "previews/pr-3/index.html", "previews/pr-5/a.html"):
        (pages / name).parent.mkdir(parents=True, exist_ok=True)
        (pages / name).write_text(name)
    git(tmp_path, "init", "--quiet", "-b", "gh-pages", str(pages))
    git(pages, "add", "-A")
    git(pages, "-c", "user.name=T", "-c", "user.email=t@x", "commit", "-qm", "Pages")
    git(pages, "push", "--quiet", str(tmp_path / "github.git"), "gh-pages")
    result = invoke(repository, "preview-remove", "--pr", "all")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Preview pr-3 removed.\nPreview pr-5 removed.\n"
    listed = git(tmp_path / "github.git", "ls-tree", "-r", "--name-only", "gh-pages")
    assert listed.split() == [".nojekyll", "index.html"]
    result = invoke(repository, "preview-remove", "--pr", "all")
    assert result.stdout == "No preview is on the branch.\n"
