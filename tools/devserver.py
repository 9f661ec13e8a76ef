"""The writers' preview: serve the site, rebuild on every save, reload the browser.

`live_preview` is what `make serve` runs: a first build, then a livereload
server that rebuilds on any change to the build's inputs and, while a build
has failed, answers every page with its problems (templates/build_failed.html)
until the next good build. `regenerate` rebuilds without serving;
`serve_output` serves output/ as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
import mimetypes
from pathlib import Path
import sys
import threading
import time
from urllib.parse import unquote

from jinja2 import Environment, FileSystemLoader
from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.server import LiveScriptContainer
from livereload.watcher import get_watcher_class
from tornado import web

from tools.build import build_site, index_search

# Autoescaped: build messages quote writers' text.
PAGES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True
)


class PreviewSite:
    """WSGI app serving output/ like a static host, or the errors of a failed build.

    While the last build has failed, every page request gets a page listing its
    problems, so a writer sees why the preview did not change; the next good
    build brings the site back. Live reload refreshes the browser either way.
    """

    def __init__(self, root: Path) -> None:
        """Serve files from `root`."""
        self.root = root.resolve()
        self.errors: str | None = None

    def __call__(self, environ, start_response):
        """Answer one request."""
        path = unquote(environ.get("PATH_INFO", "/"))
        target = (self.root / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.root):
            return self._respond(start_response, "404 Not Found", b"", "text/plain")
        if target.is_dir():
            if not path.endswith("/"):
                start_response("301 Moved Permanently", [("Location", path + "/")])
                return [b""]
            target = target / "index.html"
        if self.errors is not None and target.suffix in ("", ".html"):
            return self._respond(
                start_response,
                "500 Build failed",
                error_page(self.errors),
                "text/html",
            )
        if target.is_file():
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return self._respond(start_response, "200 OK", target.read_bytes(), kind)
        not_found = self.root / "404.html"
        body = not_found.read_bytes() if not_found.is_file() else b"Not found"
        return self._respond(start_response, "404 Not Found", body, "text/html")

    @staticmethod
    def _respond(start_response, status: str, body: bytes, kind: str) -> list[bytes]:
        charset = "; charset=utf-8" if kind.startswith("text/") else ""
        start_response(
            status,
            [
                ("Content-Type", kind + charset),
                ("Content-Length", str(len(body))),
                ("Cache-Control", "no-store"),
            ],
        )
        return [body]


def error_page(errors: str) -> bytes:
    """Render the page a writer sees while the preview cannot be rebuilt."""
    return PAGES.get_template("build_failed.html").render(errors=errors).encode()


class LiveReloadServer(Server):
    """livereload's server, with a reload script our Content-Security-Policy allows.

    livereload injects an inline script, which the site's CSP (no inline
    script) blocks; this server links `/livereload.js` from the same origin.
    """

    def __init__(self, app, port: int) -> None:
        """Serve the WSGI `app`; the reload script talks to `port`."""
        super().__init__(app)
        self.script_tag = f'<script src="/livereload.js?port={port}"></script>'.encode()

    def get_web_handlers(self, script):
        """Route every request to the app, injecting our script tag instead."""
        fallback = LiveScriptContainer(self.app, self.script_tag)
        return [(r".*", web.FallbackHandler, {"fallback": fallback})]


def live_preview(
    settings: Path, output: Path, watched: Iterable[Path], host: str, port: int
) -> None:
    """Build, serve at host:port, rebuild and reload on every change to `watched`."""
    site = PreviewSite(output)

    def rebuild(search_later: bool = True) -> None:
        result = build_site(settings, output, search_later=search_later)
        site.errors = None if result.ok else result.messages
        sys.stderr.write(
            "Rebuilt; the browser reloads.\n"
            if result.ok
            else "Build failed; the browser shows the problems until they are fixed.\n"
        )
        if result.ok and search_later:
            # Pagefind reads every page (seconds for a large site): the browser
            # reloads first, meanwhile search answers from the previous index.
            threading.Thread(target=index_search, args=(output,), daemon=True).start()

    rebuild(search_later=False)
    # livereload skips a reload within 3 s of the last one; a writer who fixes
    # a typo quickly would be left looking at the error page.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = LiveReloadServer(site, port)
    for path in watched:
        # Directories are watched recursively: Markdown, YAML, images, templates,
        # CSS and plugin code all trigger a rebuild.
        server.watch(str(path), rebuild)
    server.serve(host=host, port=port, open_url_delay=None, debug=False)


def regenerate(settings: Path, output: Path, watched: Iterable[Path]) -> None:
    """Rebuild `output` on every change to `watched`, without serving it."""

    def rebuild() -> None:
        if build_site(settings, output).ok:
            sys.stderr.write("Rebuilt.\n")
        else:
            sys.stderr.write("Build failed; output/ keeps the last good site.\n")

    build_site(settings, output)
    watcher = get_watcher_class()()
    for path in watched:
        watcher.watch(str(path), rebuild)
    watcher.start(None)
    sys.stderr.write("Watching for changes; Ctrl+C stops.\n")
    while True:
        watcher.examine()
        time.sleep(0.5)


def serve_output(output: Path, host: str, port: int) -> None:
    """Serve `output` as it is, with no rebuild, until interrupted."""
    handler = partial(SimpleHTTPRequestHandler, directory=str(output))
    with ThreadingHTTPServer((host, port), handler) as server:
        sys.stderr.write(f"Serving output/ at http://{host}:{port}/\n")
        server.serve_forever()
