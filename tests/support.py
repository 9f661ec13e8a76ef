"""Test support: real Pelican builds of the fixture site and the real content.

Builds run in-process with the project's own settings files, theme and
plugins, into temporary folders; any Pelican WARNING or ERROR fails the build
the way `--fatal warnings` does on the command line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
import gzip
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
import json
import logging
import os
from pathlib import Path
import re
import shutil
import socket
import subprocess
import sys
import threading
import weakref

import blinker
from bs4 import BeautifulSoup
from content_schema import check_content
from pelican import Pelican
from pelican.plugins.sitemap import sitemap
from pelican.settings import read_settings
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEV_SETTINGS = ROOT / "pelicanconf.py"
PUBLISH_SETTINGS = ROOT / "publishconf.py"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_CONTENT = FIXTURES / "site" / "content"
BAD_FIXTURES = FIXTURES / "bad"
# The writers' content: tests over it assert only what holds for any valid
# content (tests/test_content_invariants.py). BLOG_CONTENT points them at
# another folder, as the writer scenarios do with their edited copies.
REAL_CONTENT = Path(os.environ.get("BLOG_CONTENT", ROOT / "content")).resolve()
# The clinic's first article and its testimonials as the seed delivered them:
# the fixture that exact texts about that article are asserted against.
SEED_CONTENT = FIXTURES / "seed" / "content"
# A reviewed English article, its Spanish translation and an Arabic article
# (tests/test_i18n.py), built with the LANGUAGE_SETTINGS beside them: the
# clinic's Spanish words filled in with fixture text.
TRANSLATIONS_CONTENT = FIXTURES / "translations" / "content"
LANGUAGE_SETTINGS = yaml.safe_load(
    (FIXTURES / "translations" / "language_settings.yaml").read_text(encoding="utf-8")
)
# The shapes real posts use: long code lines, wide tables, footnotes, figures.
KITCHEN_SINK_CONTENT = FIXTURES / "kitchen-sink" / "content"
PUBLISH_SITEURL = "https://example.org"
# A clinic hosting the blog under a path of its site, as at /blog.
SUB_PATH_SITEURL = f"{PUBLISH_SITEURL}/blog"


class PelicanComplained(AssertionError):
    """Pelican logged a warning or an error during a build that must be clean."""


# Loggers that are not the build's: asyncio reports, whenever the garbage
# collector happens to run, a task an earlier browser test left pending.
NOT_THE_BUILD = ("asyncio",)


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] not in NOT_THE_BUILD:
            self.records.append(record)


def disconnect_plugins() -> None:
    """Disconnect the plugins' receivers from every signal; keep the tests' own.

    Pelican connects the listed plugins on each run and never disconnects
    them: in one test process, a publish build's plugins (minify, precompress)
    would otherwise also run in every later development build.
    """
    for signal in list(blinker.default_namespace.values()):
        for receiver in list(signal.receivers.values()):
            live = receiver() if isinstance(receiver, weakref.ref) else receiver
            module = getattr(live, "__module__", "") or ""
            if live is not None and not module.startswith("tests."):
                signal.disconnect(live)
    # pelican-sitemap keeps the build it serves in a module-level object that
    # a build failing midway never resets; later builds in the same process
    # would then write no sitemap. A fresh object per build, as in a new process.
    sitemap.generator = sitemap.SitemapGenerator()


def build(
    content: Path,
    output: Path,
    settings_file: Path = DEV_SETTINGS,
    **overrides,
) -> Path:
    """Build `content` with a project settings file into `output`; return `output`.

    Raises whatever the build raises (our plugins raise ContentError), and
    PelicanComplained when Pelican logged a warning or an error.
    """
    if settings_file == PUBLISH_SETTINGS:
        overrides = {
            "SITEURL": PUBLISH_SITEURL,
            "FEED_DOMAIN": PUBLISH_SITEURL,
            **overrides,
        }
    settings = read_settings(
        str(settings_file),
        override={
            "PATH": str(content),
            "OUTPUT_PATH": str(output),
            # Each output folder has its own build cache, next to it: builds
            # never share one unless a test builds into the same folder again.
            "CACHE_PATH": str(output.with_name(output.name + ".cache")),
            **overrides,
        },
    )
    disconnect_plugins()
    recorder = _Recorder()
    root_logger = logging.getLogger()
    root_logger.addHandler(recorder)
    try:
        Pelican(settings).run()
    finally:
        root_logger.removeHandler(recorder)
    if recorder.records:
        messages = "\n".join(r.getMessage() for r in recorder.records)
        raise PelicanComplained(f"Pelican logged:\n{messages}")
    return output


TEXT_SUFFIXES = frozenset({".html", ".xml", ".txt", ".json", ".css", ".js", ""})


def text_files(output: Path) -> list[Path]:
    """List every text file a build wrote (pages, feeds, sitemap, JSON, headers)."""
    return sorted(
        path
        for path in output.rglob("*")
        if path.is_file() and path.suffix in TEXT_SUFFIXES
    )


def indexed_pages(output: Path, bundle: Path | None = None) -> dict[str, dict]:
    """Read Pagefind's page fragments: {url: fragment} for every indexed page.

    Those of `output`'s index, or of one `bundle` (a part of it) when given.
    """
    pages = {}
    folder = (bundle or output / "pagefind") / "fragment"
    for fragment_file in folder.glob("*.pf_fragment"):
        raw = gzip.decompress(fragment_file.read_bytes())
        # Each fragment is a short signature followed by the page's JSON.
        fragment = json.loads(raw[raw.index(b"{") :])
        pages[fragment["url"]] = fragment
    return pages


def content_sources(content: Path) -> dict[str, str]:
    """Map each page address (`slug/`, `drafts/slug/`) to the file it comes from.

    Tests over the writers' content name that file when they fail.
    """
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    sources = {}
    for item in check_content(settings).items:
        sources[item.url] = item.source
        sources[f"drafts/{item.url}"] = item.source
    return sources


def copy_fixture_site(destination: Path) -> Path:
    """Copy the fixture content to `destination` (to add bad files); return it."""
    shutil.copytree(FIXTURE_CONTENT, destination)
    return destination


def git(repository: Path, *arguments: str, env: dict | None = None) -> str:
    """Run git in `repository` (with `env`, if given); return its output.

    A failure fails the test.
    """
    return subprocess.run(
        ["git", *arguments],
        cwd=repository,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def write_site(folder: Path, files: dict[str, str]) -> Path:
    """Write a small hand-made site, {relative path: text}, into `folder`; return it."""
    for name, body in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body)
    return folder


def text(node) -> str:
    """Text of a parsed element as a reader sees it: whitespace folded.

    Typogrify joins the last two words of a paragraph or title with a no-break
    space; that is layout, not wording.
    """
    raw = node if isinstance(node, str) else node.get_text()
    return re.sub(r"\s+", " ", raw.replace("\u00a0", " ")).strip()


@dataclass(frozen=True)
class Site:
    """A built site: its output folder and helpers to read its pages."""

    output: Path

    def path(self, url_path: str) -> Path:
        """File for a URL path such as `first-visit/` or `404.html`."""
        target = self.output / url_path.lstrip("/")
        return (
            target / "index.html" if url_path.endswith("/") or not url_path else target
        )

    def soup(self, url_path: str) -> BeautifulSoup:
        """Parse the page served at `url_path`."""
        return BeautifulSoup(
            self.path(url_path).read_text(encoding="utf-8"), "html.parser"
        )

    def html_files(self) -> list[Path]:
        """Every HTML file of the site."""
        return sorted(self.output.rglob("*.html"))


class _SiteRequestHandler(SimpleHTTPRequestHandler):
    """Serves a built site like a static host: 404.html for missing paths, no log."""

    def send_error(self, code, message=None, explain=None):
        not_found_page = Path(self.directory) / "404.html"
        if code == HTTPStatus.NOT_FOUND and not_found_page.is_file():
            body = not_found_page.read_bytes()
            self.send_response(code)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, format, *args):
        """Stay quiet: test output is for failures."""


@contextmanager
def serve(directory: Path, port: int = 0) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 (a free port by default); yield its base URL."""
    handler = partial(_SiteRequestHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """Return a TCP port that is free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def copy_project(destination: Path) -> Path:
    """Copy what a build needs (settings, theme, plugins, tasks, fixture content)."""
    destination.mkdir(parents=True)
    for name in ("pelicanconf.py", "publishconf.py", "tasks.py"):
        shutil.copy(ROOT / name, destination)
    for name in ("theme", "plugins", "bench", "deploy", "tools"):
        skip = shutil.ignore_patterns("__pycache__")
        shutil.copytree(ROOT / name, destination / name, ignore=skip)
    shutil.copytree(FIXTURE_CONTENT, destination / "content")
    return destination


def invoke(project: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    """Run `invoke ARGUMENTS` in `project` as a writer would; capture its output."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *arguments],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
