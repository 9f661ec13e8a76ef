"""`make edit` end to end: a writer's clone, the editor in Chromium, the file on disk.

The editor runs as a writer starts it (`invoke edit`) in a git clone of the
fixture project; Chromium fills Decap's forms. Each test then reads what a
writer would: `git status` and `git diff`, `make check`'s verdict, and the
preview's page. With EDITOR_SCREENSHOTS=folder (`invoke editor-screenshots`)
the first test also saves the screenshots docs/writing.md shows.
"""

from __future__ import annotations

from collections.abc import Iterator
import os
from pathlib import Path
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

from bs4 import BeautifulSoup
from content_schema.parsing import load_yaml_file
from content_schema.problems import Reporter
from playwright.sync_api import Page, expect
import pytest

from tests import support
from tests.support import ROOT, copy_project, free_port, text

pytestmark = pytest.mark.browser

SCREENSHOTS = os.environ.get("EDITOR_SCREENSHOTS", "")
NEW_TITLE = "Questions to Ask Before a First Infusion"
NEW_SLUG = "questions-to-ask-before-a-first-infusion"
NEW_SUMMARY = (
    "What to ask the clinic before a first infusion, and what the answers tell you."
)


# The machine's git configuration and identity stay out of the writer's clone.
GIT_ENVIRONMENT = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Writer",
    "GIT_AUTHOR_EMAIL": "writer@example.org",
    "GIT_COMMITTER_NAME": "Writer",
    "GIT_COMMITTER_EMAIL": "writer@example.org",
}


def git(project: Path, *arguments: str) -> str:
    """Run git in the writer's clone, with the writer's identity; return its output."""
    return support.git(project, *arguments, env=GIT_ENVIRONMENT)


def _wait_for(url: str, server: subprocess.Popen, log: Path, seconds=60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"`invoke edit` ended:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer in {seconds} s:\n{log.read_text()}")


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Iterator[tuple[Path, str]]:
    """Clone the fixture project as a writer's, and serve it with `invoke edit`.

    Yields (the clone, the preview's base URL). Node's packages are the
    project's own, linked: npm never runs here.
    """
    project = copy_project(tmp_path_factory.mktemp("writer") / "project")
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ROOT / name, project / name)
    modules = project / "node_modules"
    modules.mkdir()
    (modules / "decap-cms").symlink_to(ROOT / "node_modules" / "decap-cms")
    (modules / ".package-lock.json").write_text("{}")  # newer than the lock
    shutil.copy2(ROOT / ".gitignore", project / ".gitignore")
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "The fixture project")
    port = free_port()
    log = project.parent / "edit.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "invoke", "edit", "--port", str(port)],
            cwd=project,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{base}/admin/", server, log)
        yield project, base
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.fixture
def writer(clone, browser) -> Iterator[tuple[Path, str, Page]]:
    """Reset the clone to its commit; open a tab signed in to its editor."""
    project, base = clone
    git(project, "checkout", "-q", "--", "content")
    git(project, "clean", "-q", "-f", "-d", "content")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/admin/")
    page.get_by_role("button", name="Login").click()
    expect(page.get_by_role("link", name="Articles")).to_be_visible(timeout=20000)
    yield project, base, page
    page.close()


def field(page: Page, name: str):
    """Find the input of a form field by the schema's name for it."""
    return page.locator(f"[id^='{name}-field-']")


def choose(page: Page, name: str, option: str) -> None:
    """Pick `option` in the choice list (a relation widget) of field `name`."""
    field(page, name).click()
    page.keyboard.type(option)
    page.get_by_role("option", name=option, exact=False).first.click()


def save(page: Page) -> None:
    """Save as a writer does: Save, then Save now (Decap's Publish, renamed)."""
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Save now").click()
    expect(page.locator("#findings")).to_be_visible(timeout=20000)


def snapshot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


def first_listed(project: Path, name: str) -> str:
    taxonomy = load_yaml_file(project / "content" / "taxonomy.yaml", Reporter(""))
    first = taxonomy[name][0]
    # An author may be a plain name or a record with its profile.
    return first["name"] if isinstance(first, dict) else first


def page_when_built(url: str, seconds: float = 30) -> BeautifulSoup:
    """Return the preview's page at `url`, once a build has made it."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return BeautifulSoup(answer.read(), "html.parser")
        except urllib.error.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_an_article_made_in_the_form_passes_the_check_and_shows_in_the_preview(
    writer,
):
    project, base, page = writer
    testimonial = sorted((project / "content" / "testimonials").glob("*.yaml"))[0]
    testimonial_id = testimonial.stem
    snapshot(page, "editor-collections")
    page.get_by_role("link", name="Articles").click()
    page.locator("a[href$='/collections/articles/new']").click()
    field(page, "title").fill(NEW_TITLE)
    field(page, "date").fill("2026-12-01")
    field(page, "summary").fill(NEW_SUMMARY)
    choose(page, "author", first_listed(project, "authors"))
    choose(page, "category", first_listed(project, "categories"))
    choose(page, "testimonials", testimonial_id)
    field(page, "body").fill("Bring your questions.\n\n[testimonials]\n")
    snapshot(page, "editor-new-article")
    save(page)
    expect(page.locator("#findings")).to_contain_text("Content OK")
    snapshot(page, "editor-saved")

    new_file = f"content/articles/{NEW_SLUG}.md"
    assert git(project, "status", "--porcelain").splitlines() == [f"?? {new_file}"]
    written = (project / new_file).read_text(encoding="utf-8")
    assert written.startswith(f"Title: {NEW_TITLE}\nDate: 2026-12-01\n")
    assert f"Testimonials: {testimonial_id}\n" in written
    checked = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--only", new_file],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr
    # A new article is a draft until the writer changes its status.
    shown = page_when_built(f"{base}/drafts/{NEW_SLUG}/")
    assert text(shown.find("h1")) == NEW_TITLE
    quoted = load_yaml_file(testimonial, Reporter(""))["name"]
    assert quoted in text(shown.find("main"))


def test_editing_a_summary_changes_that_one_line(writer):
    project, _base, page = writer
    article = sorted((project / "content" / "articles").glob("*.md"))[0]
    before = article.read_text(encoding="utf-8")
    page.goto(page.url.split("#")[0] + f"#/collections/articles/entries/{article.stem}")
    summary = field(page, "summary")
    expect(summary).not_to_have_value("", timeout=20000)
    old = summary.input_value()
    summary.fill(NEW_SUMMARY)
    save(page)
    expect(page.locator("#findings")).to_contain_text("Content OK")
    diff = git(project, "diff", "-U0", "--", "content").splitlines()
    changes = [
        line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")
    ]
    assert changes == [f"-Summary: {old}", f"+Summary: {NEW_SUMMARY}"]
    assert git(project, "status", "--porcelain").splitlines() == [
        f" M {article.relative_to(project).as_posix()}"
    ]
    assert article.read_text(encoding="utf-8") == before.replace(old, NEW_SUMMARY, 1)


def test_editing_a_reviewed_article_keeps_its_review_lines(writer):
    project, _base, page = writer
    article = project / "content" / "articles" / "quotes-and-ampersands.md"
    before = article.read_text(encoding="utf-8")
    assert "\nReviewed_text: sha256:" in before
    page.goto(page.url.split("#")[0] + f"#/collections/articles/entries/{article.stem}")
    summary = field(page, "summary")
    expect(summary).not_to_have_value("", timeout=20000)
    old = summary.input_value()
    # The fingerprint is the task's to write: no form field shows it.
    expect(page.locator("[id^='reviewed_text-field-']")).to_have_count(0)
    summary.fill(NEW_SUMMARY)
    save(page)
    # The edit is kept, and so is the review's record of what was read: the
    # page now says it was updated since its review.
    assert article.read_text(encoding="utf-8") == before.replace(old, NEW_SUMMARY, 1)
