"""The development server, from saving an article to serving the edited page.

`measure_reload` runs `invoke livereload` (what `make serve` runs) in a copy
of the project whose `content/` is a generated corpus, appends a paragraph to
the newest article several times, and times each save until the page shows
it. `markdown` takes plain values, so that tests can feed it small inputs.
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
from bench.report import in_seconds
from bench.runner import BenchmarkError, invoke

RELOAD_EDITS = 3
POLL_SECONDS = 0.05
# Generous: at 5,000 articles one build takes minutes.
BUILD_TIMEOUT = 3600


@dataclass(frozen=True)
class Reload:
    """The development server, from saving an article to serving the edit."""

    articles: int
    startup: float
    """Seconds from starting `invoke livereload` to its first page."""
    edits: tuple[float, ...]
    """Seconds from each save to the first response showing it."""


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
    # The tests' copy of the project: one list of what a build needs.
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
            times = []
            for number in range(edits):
                marker = f"reloadedit{number}"
                # Settle past the watcher's next scan, as a writer's pause would.
                time.sleep(1)
                edit_article(article, marker)
                times.append(_wait_for(f"{base}{slug}/", marker, server, BUILD_TIMEOUT))
        finally:
            _stop(server)
    return Reload(articles, startup, tuple(times))


def markdown(reload: Reload) -> list[str]:
    """Render what was measured and the median time, as lines."""
    each = ", ".join(in_seconds(t) for t in reload.edits)
    return [
        (
            f"`invoke livereload` (what `make serve` runs) in a copy of the project "
            f"whose `content/` is the {reload.articles:,}-article corpus: one "
            "paragraph appended to the newest article, then its page requested "
            f"every {POLL_SECONDS * 1000:.0f} ms until the response shows the edit. "
            f"**Median {in_seconds(statistics.median(reload.edits))}** over "
            f"{len(reload.edits)} edits ({each}). The server first answered "
            f"{in_seconds(reload.startup)} after it was started (its first build). "
            "livereload looks for changes every 0.8 s, then runs the whole build "
            "before answering."
        ),
    ]
