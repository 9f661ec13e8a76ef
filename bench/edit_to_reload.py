"""The development server, from saving an article to the reloaded tab showing it.

`measure_reload` runs `invoke livereload` (what `make serve` runs) in a copy
of the project whose `content/` is a generated corpus, opens the newest
article in Debian's Chromium (Playwright), and appends a paragraph to it
several times, timing each save until the reloaded tab shows the paragraph:
the writer's wait, watcher, build, reload and page load included. `markdown`
and `verdicts` take plain values, so that tests can feed them small inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
import shutil
import signal
import statistics
import subprocess
import time
import urllib.error
import urllib.request

from bench.corpus import article_slug, edit_article, newest_article, write_corpus
from bench.report import in_seconds, markdown_table
from bench.runner import BenchmarkError, invoke

RELOAD_EDITS = 5
# The corpus sizes the preview is measured at, and its targets there (seconds
# from the save to the reloaded tab showing the edit).
RELOAD_SIZES = (1, 100, 1000)
RELOAD_TARGETS = {1: 0.5, 1000: 1.0}
POLL_SECONDS = 0.05
# Seconds between one reload and the next save.
PAUSE_SECONDS = 3
# Generous: at 5,000 articles one build takes minutes.
BUILD_TIMEOUT = 3600


@dataclass(frozen=True)
class Reload:
    """The development server, from saving an article to serving the edit."""

    articles: int
    startup: float
    """Seconds from starting `invoke livereload` to its first page."""
    edits: tuple[float, ...]
    """Seconds from each save to the reloaded tab showing it (Chromium)."""

    @property
    def median(self) -> float:
        """The median of the edits' times."""
        return statistics.median(self.edits)


def _fetch(url: str) -> str | None:
    """Return the page at `url`, None while nothing answers; raise on a failed build."""
    try:
        with urllib.request.urlopen(url, timeout=BUILD_TIMEOUT) as response:
            return response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        body = error.read().decode("utf-8", "replace")
        if error.code == 500:
            raise BenchmarkError(
                f"the preview shows a failed build:\n{body[-2000:]}"
            ) from error
        return None
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, wanted: str, server: subprocess.Popen, timeout: float) -> float:
    """Poll `url` every POLL_SECONDS until it contains `wanted`; return the wait."""
    started = time.perf_counter()
    while True:
        body = _fetch(url)
        if body is not None and wanted in body:
            return time.perf_counter() - started
        if server.poll() is not None:
            raise BenchmarkError(
                f"the development server stopped (exit {server.returncode})"
            )
        if time.perf_counter() - started > timeout:
            raise BenchmarkError(
                f"{url} did not show {wanted!r} within {timeout:.0f} s"
            )
        time.sleep(POLL_SECONDS)


def _stop(server: subprocess.Popen) -> None:
    """End the server and the build it may be running (its own process group)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def measure_reload(work: Path, articles: int, edits: int = RELOAD_EDITS) -> Reload:
    """Run `invoke livereload` on a project copy holding the corpus; time edits."""
    # The tests' copy of the project and browser: one list of what a build
    # needs, one way of starting Debian's Chromium.
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

    from tests.browser import CHROMIUM, CHROMIUM_FLAGS  # noqa: PLC0415
    from tests.support import copy_project, free_port  # noqa: PLC0415

    project = copy_project(work / "project")
    shutil.rmtree(project / "content")
    content = write_corpus(project, articles)
    slug = article_slug(newest_article(articles))
    article = content / "articles" / f"{slug}.md"
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    with (work / "livereload.log").open("wb") as log:
        started = time.perf_counter()
        server = subprocess.Popen(
            invoke("livereload", "--port", str(port)),
            cwd=project,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: stopped with its builds
        )
        try:
            _wait_for(base, "<html", server, BUILD_TIMEOUT)
            startup = time.perf_counter() - started
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=CHROMIUM_FLAGS
                )
                try:
                    times = _time_edits(browser, f"{base}{slug}/", article, edits)
                finally:
                    browser.close()
        finally:
            _stop(server)
    return Reload(articles, startup, tuple(times))


def _time_edits(browser, url: str, article: Path, edits: int) -> list[float]:
    """Open `url`; time each save of `article` until the reloaded tab shows it."""
    page = browser.new_page()
    sockets = []
    # A function of our own: Playwright cannot mark a built-in as a handler.
    page.on("websocket", lambda socket: sockets.append(socket))  # noqa: PLW0108
    page.goto(url)
    page.wait_for_selector("h1")
    deadline = time.perf_counter() + 10
    while not sockets and time.perf_counter() < deadline:
        page.wait_for_timeout(50)
    if not sockets:
        raise BenchmarkError(f"{url} opened no live-reload socket")
    times = []
    for number in range(edits):
        marker = f"reloadedit{number}"
        # A writer's pause between saves. The search index of the save before
        # may still be renewed meanwhile (niced; seconds at 1,000 articles).
        page.wait_for_timeout(PAUSE_SECONDS * 1000)
        started = time.perf_counter()
        edit_article(article, marker)
        # Each reload's DOMContentLoaded, stamped when it arrives, until the
        # page holds the edit. (Waiting for the text instead would add
        # Playwright's polling, up to half a second after a navigation.)
        while True:
            page.wait_for_event("domcontentloaded", timeout=BUILD_TIMEOUT * 1000)
            loaded = time.perf_counter()
            if marker in page.content():
                times.append(loaded - started)
                break
    page.close()
    return times


def verdicts(
    reloads: list[Reload] | tuple[Reload, ...],
) -> list[tuple[int, float | None, float]]:
    """Return (articles, median seconds or None, target) for each target size."""
    by_size = {reload.articles: reload for reload in reloads}
    return [
        (articles, by_size[articles].median if articles in by_size else None, target)
        for articles, target in RELOAD_TARGETS.items()
    ]


def markdown(reloads: list[Reload] | tuple[Reload, ...]) -> list[str]:
    """Render the method and one row per corpus size, as lines."""
    rows = [
        [
            f"{reload.articles:,}",
            f"**{in_seconds(reload.median)}**",
            ", ".join(in_seconds(t) for t in reload.edits),
            in_seconds(reload.startup),
            (
                f"≤ {RELOAD_TARGETS[reload.articles]:g} s: "
                + (
                    "met"
                    if reload.median <= RELOAD_TARGETS[reload.articles]
                    else "**not met**"
                )
                if reload.articles in RELOAD_TARGETS
                else ""
            ),
        ]
        for reload in reloads
    ]
    return [
        (
            "`invoke livereload` (what `make serve` runs) in a copy of the project "
            "whose `content/` is the corpus, with the newest article open in "
            "Debian's Chromium: one paragraph appended to the article, then the "
            "time until the reloaded tab's DOMContentLoaded event arrives with "
            "the paragraph in the page. "
            f"{RELOAD_EDITS} edits per size, each {PAUSE_SECONDS} s after the "
            "reload before it. This is the writer's "
            "whole wait: the watcher noticing the save (it looks every 0.1 s), "
            "the incremental build in the preview's long-lived builder, the "
            "reload message and the page loading again, while the search index "
            "of the save before may still be renewed (niced, after each "
            "reload). *First build* is from "
            "starting the server to its first page."
        ),
        "",
        *markdown_table(
            [
                "Articles",
                "Median, save to reloaded tab",
                "Each edit",
                "First build",
                "Target",
            ],
            rows,
            "rrrrl",
        ),
    ]
