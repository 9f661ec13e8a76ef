"""The writer's preview: `make serve` serves the site, and shows build errors live."""

from __future__ import annotations

from contextlib import contextmanager
import json
import os
from pathlib import Path
import pty
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from wsgiref.simple_server import WSGIRequestHandler, make_server

from bs4 import BeautifulSoup
from content_schema.mistakes import ERRORS_SECTION, FIELD_SECTIONS
from playwright.sync_api import expect
import pytest

from tests.browser import axe_violations, open_page
from tests.support import ROOT, free_port, text
from tests.test_search import indexed_pages
from tools.build import BuildProblem, BuildResult
from tools.devserver import PreviewSite, live_preview
from tools.preview_pages import GUIDE, guide_sections
from tools.preview_process import STARTING_SECONDS, running_preview, the_only_preview

# How long a save may take to reach the open tab: a bound for a busy machine
# (CI runs the suite on both cores), never a wait; expect() returns as soon
# as the tab shows the new page. Measured alone: 1 to 5 s.
REBUILD_MS = 120_000


def request(app: PreviewSite, path: str) -> tuple[str, dict, bytes]:
    answer = {}

    def start_response(status, headers):
        answer["status"], answer["headers"] = status, dict(headers)

    body = b"".join(app({"PATH_INFO": path}, start_response))
    return answer["status"], answer["headers"], body


@pytest.fixture
def site_root(tmp_path) -> Path:
    (tmp_path / "post").mkdir()
    (tmp_path / "post" / "index.html").write_text("<h1>Post</h1>")
    (tmp_path / "404.html").write_text("<h1>Missing</h1>")
    (tmp_path / "style.css").write_text("a{}")
    return tmp_path


def test_serves_pages_like_a_static_host(site_root):
    app = PreviewSite(site_root)
    assert request(app, "/post/")[0] == "200 OK"
    assert request(app, "/post/")[2] == b"<h1>Post</h1>"
    status, headers, _ = request(app, "/post")
    assert (status, headers["Location"]) == ("301 Moved Permanently", "/post/")
    status, headers, _ = request(app, "/style.css")
    assert headers["Content-Type"] == "text/css; charset=utf-8"
    assert request(app, "/nope/")[:1] == ("404 Not Found",)
    assert request(app, "/nope/")[2] == b"<h1>Missing</h1>"
    assert request(app, "/../../etc/passwd")[0] == "404 Not Found"


@pytest.mark.parametrize(
    "path",
    ["//evil.example/..%2fpost", "//evil.example/../post", "/\\evil.example/../post"],
)
def test_a_folder_address_never_redirects_to_another_site(site_root, path):
    status, headers, _ = request(PreviewSite(site_root), path)
    assert (status, headers.get("Location")) == ("301 Moved Permanently", "/post/")


def test_a_failed_build_replaces_pages_with_its_escaped_errors(site_root):
    app = PreviewSite(site_root)
    app.errors = "content/a.md:3: title: <script>bad</script>"
    status, _, body = request(app, "/post/")
    assert status == "500 Build failed"
    assert b"The preview could not be rebuilt" in body
    assert b"content/a.md:3: title: &lt;script&gt;bad&lt;/script&gt;" in body
    assert request(app, "/style.css")[0] == "200 OK"  # assets still load
    app.errors = None
    assert request(app, "/post/")[2] == b"<h1>Post</h1>"


def good_build(addresses: dict[str, str]) -> BuildResult:
    return BuildResult(ok=True, messages="", addresses=addresses)


def test_a_moved_page_redirects_its_old_address_to_the_new_one(site_root):
    app = PreviewSite(site_root)
    app.record(good_build({"content/articles/post.md": "/drafts/post/"}))
    # Published: the draft's folder is gone, the page is at /post/.
    app.record(good_build({"content/articles/post.md": "/post/"}))
    status, headers, _ = request(app, "/drafts/post/")
    assert (status, headers["Location"]) == ("302 Found", "/post/")
    assert request(app, "/drafts/post")[1]["Location"] == "/post/"
    # A slug change next: both earlier addresses go straight to the newest.
    (site_root / "post").rename(site_root / "renamed")
    app.record(good_build({"content/articles/post.md": "/renamed/"}))
    assert request(app, "/drafts/post/")[1]["Location"] == "/renamed/"
    assert request(app, "/post/")[1]["Location"] == "/renamed/"
    assert request(app, "/renamed/")[0] == "200 OK"


def test_a_redirect_never_hides_a_page_or_loops(site_root):
    app = PreviewSite(site_root)
    app.record(good_build({"content/articles/a.md": "/post/"}))
    app.record(good_build({"content/articles/a.md": "/elsewhere/"}))
    # /post/ still exists as a file (another page took it): it is served.
    assert request(app, "/post/")[:3:2] == ("200 OK", b"<h1>Post</h1>")
    # Moved back: the new address does not redirect to itself.
    app.record(good_build({"content/articles/a.md": "/post/"}))
    assert app.redirects == {"/elsewhere/": "/post/"}
    # A failed build redirects nothing: its problems are the answer.
    app.record(BuildResult(ok=False, messages="content/a.md: broken"))
    assert request(app, "/elsewhere/")[0] == "500 Build failed"


def test_the_error_page_lists_each_problem_with_help_from_the_guide(
    site_root, tmp_path
):
    guide = tmp_path / "writing.md"
    guide.write_text("# Guide\n\n## Add a testimonial\n\nHow.\n")
    app = PreviewSite(site_root, guide=guide)
    problems = (
        BuildProblem(
            "content/testimonials/a.yaml",
            4,
            "conditon",
            "unknown field; <b>not bold</b>",
            "add-a-testimonial",
        ),
        BuildProblem("content/articles/b.md", None, "", "no such heading", "nowhere"),
    )
    app.record(BuildResult(ok=False, messages="2 content problems", problems=problems))
    status, _, body = request(app, "/post/")
    assert status == "500 Build failed"
    page = BeautifulSoup(body, "html.parser")
    items = page.select("#build-errors li")
    assert [text(item) for item in items] == [
        # File, message and help link each on a line of their own.
        "content/testimonials/a.yaml:4 conditon: unknown field; <b>not bold</b> "
        "Help: Add a testimonial",
        "content/articles/b.md no such heading Help: the writers' guide",
    ]
    # File names wrap after each slash; writers' text stays text.
    assert b"content/<wbr>testimonials/<wbr>a.yaml:4" in body
    assert b"&lt;b&gt;not bold&lt;/b&gt;" in body
    assert [item.a["href"] for item in items] == [f"{GUIDE}#add-a-testimonial", GUIDE]
    assert page.find("link", rel="stylesheet")["href"] == "/_preview/css/site.css"


def test_the_guide_has_the_sections_the_error_page_links_to():
    """Every help anchor names a heading of docs/writing.md, rendered as the ids.

    Checked for the headings the guide has: a section still being written
    makes its problems link to the guide's top until it exists.
    """
    sections = guide_sections(ROOT / "docs" / "writing.md")
    assert "front-matter-fields" in sections
    assert sections["categories-tags-and-authors"] == "Categories, tags and authors"
    known = {*FIELD_SECTIONS.values(), "front-matter-fields", ERRORS_SECTION}
    headings = (ROOT / "docs" / "writing.md").read_text().splitlines()
    present = {
        anchor
        for anchor in known
        if any(
            line.startswith("#") and anchor.split("-")[0] in line.lower()
            for line in headings
        )
    }
    assert present - {ERRORS_SECTION} <= set(sections)
    app = PreviewSite(ROOT / "docs")
    status, headers, body = request(app, GUIDE)
    assert status == "200 OK"
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    ids = {tag["id"] for tag in BeautifulSoup(body, "html.parser").select("[id]")}
    assert set(sections) <= ids


def test_the_preview_serves_the_theme_stylesheets_even_before_any_build(tmp_path):
    app = PreviewSite(tmp_path / "never-built")
    status, headers, body = request(app, "/_preview/css/site.css")
    assert (status, headers["Content-Type"]) == ("200 OK", "text/css; charset=utf-8")
    assert b'@import "tokens.css";' in body
    assert request(app, "/_preview/css/components/article-meta.css")[0] == "200 OK"
    for outside in ("/_preview/css/../../pelicanconf.py", "/_preview/css/nope.css"):
        assert request(app, outside)[0] == "404 Not Found"


@contextmanager
def serving(app) -> str:
    class Quiet(WSGIRequestHandler):
        def log_message(self, *arguments):
            """Stay quiet: test output is for failures."""

    server = make_server("127.0.0.1", 0, app, handler_class=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
@pytest.mark.parametrize("kind", ["content problems", "other failure", "guide"])
def test_the_error_page_and_guide_load_cleanly(browser, tmp_path, kind):
    app = PreviewSite(tmp_path / "never-built")
    problem = BuildProblem(
        "content/testimonials/a-very-long-file-name-for-a-phone.yaml",
        4,
        "consent.date",
        "not a date",
        "add-a-testimonial",
    )
    if kind == "content problems":
        app.record(BuildResult(ok=False, messages="1 problem", problems=(problem,)))
    elif kind == "other failure":
        app.record(BuildResult(ok=False, messages="WARNING: Feeds without SITEURL"))
    with serving(app) as origin:
        url = f"{origin}{GUIDE}" if kind == "guide" else f"{origin}/any/page/"
        page, report = open_page(browser, url, origin)
        try:
            # The page itself answers 500 while the build fails (which Chromium
            # logs); nothing it loads may fail.
            document_failed = "status of 500 (Build failed)"
            report.failed_requests = [
                failed
                for failed in report.failed_requests
                if not failed.startswith(url)
            ]
            report.console_errors = [
                error for error in report.console_errors if document_failed not in error
            ]
            assert report.problems() == []
            colour = page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert colour == "rgb(251, 250, 247)"  # tokens.css: the site's own style
            assert axe_violations(page) == []
        finally:
            page.context.close()


def wait_until_serving(
    url: str, process: subprocess.Popen, seconds: float = 30
) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read())
        try:
            urllib.request.urlopen(url, timeout=1)
        except OSError:
            time.sleep(0.2)
        else:
            return
    raise AssertionError(f"{url} did not answer in {seconds} s")


@pytest.mark.browser
def test_live_reload_shows_errors_then_the_fixed_site(project_copy, browser):
    port = free_port()
    testimonial = project_copy / "content" / "testimonials" / "ana-fixture.yaml"
    original = testimonial.read_text()
    command = [sys.executable, "-m", "invoke", "livereload", "--port", str(port)]
    with subprocess.Popen(
        command,
        cwd=project_copy,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as server:
        try:
            wait_until_serving(f"http://127.0.0.1:{port}/first-visit/", server)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/first-visit/")
            page.wait_for_function(
                "() => window.LiveReload !== undefined", timeout=10000
            )
            testimonial.write_text(
                original.replace("condition: PTSD", "conditon: PTSD")
            )
            # expect() retries across reloads: one save can trigger two builds.
            expect(page.locator("#build-errors")).to_contain_text(
                "conditon: unknown field; did you mean 'condition'?",
                timeout=REBUILD_MS,
            )
            testimonial.write_text(original)
            expect(page.locator("main")).to_contain_text(
                "Fixture words from Ana", timeout=REBUILD_MS
            )
            # The preview serves the search index and its WebAssembly too.
            page.goto(f"http://127.0.0.1:{port}/search/?q=second+opinion")
            expect(page.locator(".search__result a")).to_have_text(
                "Asking for a Second Opinion", timeout=10000
            )
            page.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


def start_preview(project: Path, port: int) -> subprocess.Popen:
    """Start `invoke livereload` in `project`, in its own process group."""
    return subprocess.Popen(
        [sys.executable, "-m", "invoke", "livereload", "--port", str(port)],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def interrupt(process: subprocess.Popen) -> tuple[str, str]:
    """Press Ctrl+C for `process`'s group, as a terminal does; return its output."""
    os.killpg(process.pid, signal.SIGINT)
    return process.communicate(timeout=30)


@pytest.mark.browser
def test_publishing_a_draft_takes_its_open_tab_to_the_published_page(
    project_copy, browser
):
    port = free_port()
    draft = project_copy / "content" / "articles" / "unfinished-draft.md"
    with start_preview(project_copy, port) as server:
        try:
            wait_until_serving(f"http://127.0.0.1:{port}/", server)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/drafts/unfinished-draft/")
            page.wait_for_function(
                "() => window.LiveReload !== undefined", timeout=10000
            )
            expect(page.locator(".publication-notice")).to_contain_text("Draft")
            draft.write_text(draft.read_text().replace("Status: draft\n", ""))
            expect(page).to_have_url(
                f"http://127.0.0.1:{port}/unfinished-draft/", timeout=REBUILD_MS
            )
            expect(page.locator("main")).to_contain_text("Draft fixture text.")
            expect(page.locator(".publication-notice")).to_have_count(0)
            page.close()
        finally:
            interrupt(server)
    # The preview has its own folder: output/ is make html's and make publish's.
    assert (project_copy / ".preview" / "unfinished-draft" / "index.html").is_file()
    assert not (project_copy / "output").exists()


def test_a_second_preview_says_where_the_first_runs_then_ctrl_c_ends_it_quietly(
    project_copy,
):
    port = free_port()
    state = project_copy / ".preview-server.json"
    with start_preview(project_copy, port) as first:
        try:
            wait_until_serving(f"http://127.0.0.1:{port}/", first)
            assert json.loads(state.read_text())["port"] == port
            second = subprocess.run(
                [sys.executable, "-m", "invoke", "livereload", "--port", str(port)],
                cwd=project_copy,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert second.returncode == 0
            assert second.stderr.startswith(
                f"A preview is already running at http://127.0.0.1:{port}/ (process "
                f"{first.pid}): open that address."
            )
            assert "Traceback" not in second.stderr
            # make publish builds into output/ and leaves the preview's pages alone.
            before = (project_copy / ".preview" / "first-visit" / "index.html").stat()
            published = subprocess.run(
                [sys.executable, "-m", "invoke", "publish"],
                cwd=project_copy,
                capture_output=True,
                text=True,
                timeout=120,
                check=False,
                env={**os.environ, "SITEURL": "https://example.org"},
            )
            assert published.returncode == 0, published.stderr
            assert (project_copy / "output" / "first-visit" / "index.html").is_file()
            after = (project_copy / ".preview" / "first-visit" / "index.html").stat()
            assert after.st_ino == before.st_ino
            assert (
                urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/first-visit/", timeout=5
                ).status
                == 200
            )
        finally:
            _, stderr = interrupt(first)
    assert first.returncode == 0
    assert "Traceback" not in stderr
    assert stderr.rstrip().endswith("Preview stopped.")
    assert not state.exists()


def test_two_previews_started_together_cannot_both_run(tmp_path, capsys):
    """The lock is held for the preview's life: the second one never serves."""
    state = tmp_path / ".preview-server.json"
    with the_only_preview(state) as first:
        assert first
        live_preview(
            ROOT / "pelicanconf.py",
            tmp_path / "served",
            (),
            "127.0.0.1",
            free_port(),
            state,
        )
        with the_only_preview(state) as second:
            assert not second
    stderr = capsys.readouterr().err
    assert stderr.startswith("A preview is already running (it is still starting")
    assert not (tmp_path / "served").exists()
    with the_only_preview(state) as again:  # released when the first one ended
        assert again


def test_a_stale_state_file_is_ignored_and_a_taken_port_is_skipped(project_copy):
    state = project_copy / ".preview-server.json"
    with socket.socket() as other_program:
        other_program.bind(("127.0.0.1", 0))
        other_program.listen()
        taken = other_program.getsockname()[1]
        # Left by a preview that was killed: its process is gone.
        gone = subprocess.Popen(["true"])
        gone.wait()
        state.write_text(
            json.dumps({"host": "127.0.0.1", "port": taken, "pid": gone.pid})
        )
        with start_preview(project_copy, taken) as server:
            try:
                wait_until_serving(f"http://127.0.0.1:{taken + 1}/", server)
            finally:
                _, stderr = interrupt(server)
    assert (
        f"Port {taken} is taken by another program; the preview uses port "
        f"{taken + 1} instead." in stderr
    )
    assert "A preview is already running" not in stderr
    assert server.returncode == 0


def test_a_state_file_counts_while_its_preview_runs_or_starts(tmp_path):
    state = tmp_path / ".preview-server.json"
    silent_port = free_port()  # nothing listens: as during the first build
    state.write_text(
        json.dumps({"host": "127.0.0.1", "port": silent_port, "pid": os.getpid()})
    )
    assert running_preview(state).address == f"http://127.0.0.1:{silent_port}/"
    # Long past its start and still silent: the process id is another program's.
    old = time.time() - STARTING_SECONDS - 1
    os.utime(state, (old, old))
    assert running_preview(state) is None
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        state.write_text(json.dumps({"host": "127.0.0.1", "port": port, "pid": 1}))
        os.utime(state, (old, old))
        assert running_preview(state).port == port
    state.write_text("{not json")
    assert running_preview(state) is None


def test_ctrl_c_during_the_first_build_ends_quietly_too(project_copy):
    state = project_copy / ".preview-server.json"
    with start_preview(project_copy, free_port()) as server:
        deadline = time.monotonic() + 30
        while not state.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # into the child build
        assert server.poll() is None
        _, stderr = interrupt(server)
    assert server.returncode == 0
    assert "Traceback" not in stderr
    assert "Preview at" not in stderr  # it never got to serving
    assert stderr.rstrip().endswith("Preview stopped.")
    assert not state.exists()


def test_make_serve_ends_with_status_0_on_ctrl_c_in_a_terminal(project_copy):
    """`make serve` in a terminal: Ctrl+C ends make itself with 0, no traceback.

    GNU make kills itself with SIGINT when the terminal sends it one (status
    130); the preview takes the terminal's Ctrl+C for itself instead.
    """
    shutil.copy2(ROOT / "Makefile", project_copy)
    for lock in ("requirements.lock", "requirements-serve.lock"):
        shutil.copy2(ROOT / lock, project_copy)
        # Older than the shared .venv's stamps, whatever the checkout's dates:
        # make must reuse that .venv, not build one.
        os.utime(project_copy / lock, (0, 0))
    (project_copy / ".venv").symlink_to(ROOT / ".venv")
    port = free_port()
    pid, terminal = pty.fork()
    if pid == 0:  # the child: make, leading the terminal's session
        try:
            os.chdir(project_copy)
            os.execvp("make", ["make", "--no-print-directory", "serve", f"PORT={port}"])
        finally:
            os._exit(127)  # never back into pytest
    seen = b""

    def read_for(seconds: float) -> None:
        nonlocal seen
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            ready, _, _ = select.select([terminal], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(terminal, 4096)
                except OSError:  # the terminal closed: make has ended
                    return
                if not chunk:
                    return
                seen += chunk

    try:
        deadline = time.monotonic() + 60
        while b"Preview at" not in seen and time.monotonic() < deadline:
            read_for(0.5)
        assert b"Preview at" in seen, seen.decode(errors="replace")
        os.write(terminal, b"\x03")  # Ctrl+C
        read_for(10)
        _, status = os.waitpid(pid, 0)
    finally:
        os.close(terminal)
    output = seen.decode(errors="replace")
    assert os.waitstatus_to_exitcode(status) == 0, output
    assert "Preview stopped." in output
    assert "Traceback" not in output
    assert "make: ***" not in output


def test_the_preview_reloads_before_search_is_reindexed(project_copy):
    """The dev server's rebuild keeps the last search index and renews it after."""
    script = """
import sys
from pathlib import Path
from tools.build import build_site
from tools.config import CONFIG
later = sys.argv[1] == "later"
result = build_site(CONFIG["dev_settings"], CONFIG["output"], search_later=later)
assert result.ok, result.messages
"""
    renew = (
        "from tools import build, config; "
        "build.index_search(config.CONFIG['output'], config.CONFIG['dev_settings'])"
    )

    def run(*arguments: str) -> None:
        subprocess.run(
            [sys.executable, "-c", *arguments],
            cwd=project_copy,
            check=True,
            timeout=120,
        )

    run(script, "now")
    output = project_copy / "output"
    assert "/first-visit/" in indexed_pages(output)
    article = project_copy / "content" / "articles" / "older-notes.md"
    article.write_text(
        article.read_text().replace("Title: Older Notes", "Title: Newer Notes")
    )
    run(script, "later")
    # Live at once, still answering from the previous index...
    assert (output / "newer-notes" / "index.html").is_file()
    assert "/older-notes/" in indexed_pages(output)
    # ...until the index is renewed, in the background, by the server.
    run(renew)
    pages = indexed_pages(output)
    assert "/older-notes/" not in pages
    assert pages["/newer-notes/"]["meta"]["title"] == "Newer Notes"
