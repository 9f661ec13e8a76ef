"""The writer's preview: `make serve` serves the site, and shows build errors live."""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys
import time
import urllib.request

from playwright.sync_api import expect
import pytest

from tests.support import free_port
from tests.test_search import indexed_pages
from tools.devserver import PreviewSite


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
                "content/testimonials/ana-fixture.yaml:4: conditon: unknown field; did "
                "you mean 'condition'?",
                timeout=20000,
            )
            testimonial.write_text(original)
            expect(page.locator("main")).to_contain_text(
                "Fixture words from Ana", timeout=20000
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
        "from tools import build, config; build.index_search(config.CONFIG['output'])"
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
