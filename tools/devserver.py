"""The writers' preview: serve the site, rebuild on every save, reload the browser.

`live_preview` is what `make serve` runs: a first build, then a livereload
server that rebuilds on any change to the build's inputs and, while a build
has failed, answers every page with its problems (templates/build_failed.html)
until the next good build. When a build moves a page (a draft published, a
slug changed) the old address redirects to the new one, so the open tab
follows. It refuses to start twice, moves to the next free port when its own
is taken, and ends quietly on Ctrl+C (preview_process.py); its own pages, the
error page and the writers' guide, are preview_pages.py's. It binds
127.0.0.1 and answers only requests addressed to 127.0.0.1, localhost or
[::1] at its port, its reload socket only the pages it serves there
(PreviewApplication, ReloadSocket), so no other site can read it. `regenerate`
rebuilds without serving; `serve_output` serves output/ as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
import mimetypes
from pathlib import Path
import signal
import sys
import threading
import time
from urllib.parse import unquote

from invoke import Exit
from livereload import Server
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptContainer
from livereload.watcher import get_watcher_class
from manifest import refusal, verify
from pelican.settings import read_settings
from tornado import ioloop, web

from tools.build import (
    BuildProblem,
    BuildResult,
    build_site,
    renew_search_index,
)
from tools.config import CONFIG
from tools.editor_server import ADMIN, editor_handlers
from tools.preview_pages import (
    GUIDE,
    OWN_PAGES,
    STYLESHEETS,
    error_page,
    guide_page,
    guide_sections,
)
from tools.preview_process import (
    free_port,
    own_terminal_interrupts,
    recorded_in,
    running_preview,
    the_only_preview,
)
from tools.preview_worker import PreviewWorker


def on_this_site(location: str) -> bool:
    """Whether a redirect to `location` stays on this server (a path, one slash)."""
    return location.startswith("/") and not location.startswith(("//", "/\\"))


class PreviewSite:
    """WSGI app serving the preview like a static host, or the errors of a failed build.

    While the last build has failed, every page request gets a page listing its
    problems, so a writer sees why the preview did not change; the next good
    build brings the site back. Live reload refreshes the browser either way.
    An address that a good build moved (a draft published, a slug changed)
    redirects to the page's new one, as long as no file is there any more.
    Under OWN_PAGES it serves the theme's stylesheets (`stylesheets`) and the
    writers' guide (`guide`, Markdown, rendered on each request).
    """

    def __init__(
        self,
        root: Path,
        stylesheets: Path = CONFIG["theme_css"],
        guide: Path = CONFIG["writing_guide"],
    ) -> None:
        """Serve files from `root`, with the dev server's own pages beside them."""
        self.root = root.resolve()
        self.stylesheets = stylesheets.resolve()
        self.guide = guide
        # The last failed build's output, or None while the last build is good.
        self.errors: str | None = None
        self.problems: tuple[BuildProblem, ...] = ()
        # The last good build's address of every source, and {old: new address}.
        self.addresses: dict[str, str] = {}
        self.redirects: dict[str, str] = {}

    def record(self, result: BuildResult) -> None:
        """Take in a build: show its problems, or its pages and their moves."""
        if not result.ok:
            self.errors, self.problems = result.messages, result.problems
            return
        self.errors, self.problems = None, ()
        moved = {
            old: result.addresses[source]
            for source, old in self.addresses.items()
            if result.addresses.get(source, old) != old
        }
        # Chains collapse (a→b then b→c is a→c); a page moved back drops its loop.
        redirects = {old: moved.get(new, new) for old, new in self.redirects.items()}
        redirects.update(moved)
        self.redirects = {old: new for old, new in redirects.items() if old != new}
        self.addresses = dict(result.addresses)

    def __call__(self, environ, start_response):
        """Answer one request."""
        path = unquote(environ.get("PATH_INFO", "/"))
        if path.startswith(OWN_PAGES) or path == OWN_PAGES.rstrip("/"):
            return self._own_page(path, start_response)
        target = (self.root / path.lstrip("/")).resolve()
        if not target.is_relative_to(self.root):
            return self._respond(start_response, "404 Not Found", b"", "text/plain")
        moved_to = self._moved_to(path, target)
        if moved_to and on_this_site(moved_to):
            query = environ.get("QUERY_STRING", "")
            location = f"{moved_to}?{query}" if query else moved_to
            start_response(
                "302 Found", [("Location", location), ("Cache-Control", "no-store")]
            )
            return [b""]
        if target.is_dir():
            if not path.endswith("/"):
                # The folder's own address, written from the folder itself:
                # the request's path may start `//host` or `/\host`, which a
                # browser reads as another site.
                folder = target.relative_to(self.root).as_posix()
                location = "/" if folder == "." else f"/{folder}/"
                start_response("301 Moved Permanently", [("Location", location)])
                return [b""]
            target = target / "index.html"
        if self.errors is not None and target.suffix in ("", ".html"):
            return self._respond(
                start_response,
                "500 Build failed",
                error_page(self.errors, self.problems, guide_sections(self.guide)),
                "text/html",
            )
        if target.is_file():
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            return self._respond(start_response, "200 OK", target.read_bytes(), kind)
        not_found = self.root / "404.html"
        body = not_found.read_bytes() if not_found.is_file() else b"Not found"
        return self._respond(start_response, "404 Not Found", body, "text/html")

    def _moved_to(self, path: str, target: Path) -> str:
        """Return where a good build moved `path`, if nothing is left there; or ""."""
        if self.errors is not None or target.exists():
            return ""
        return self.redirects.get(path) or self.redirects.get(path + "/", "")

    def _own_page(self, path: str, start_response) -> list[bytes]:
        """Answer a path under OWN_PAGES: a theme stylesheet or the writers' guide."""
        if path.startswith(STYLESHEETS):
            sheet = (self.stylesheets / path.removeprefix(STYLESHEETS)).resolve()
            if (
                sheet.is_relative_to(self.stylesheets)
                and sheet.suffix == ".css"
                and sheet.is_file()
            ):
                return self._respond(
                    start_response, "200 OK", sheet.read_bytes(), "text/css"
                )
        elif path.startswith(GUIDE + "images/"):
            # The guide's screenshots (docs/images/), which it links relatively.
            images = (self.guide.parent / "images").resolve()
            picture = (images / path.removeprefix(GUIDE + "images/")).resolve()
            if (
                picture.is_relative_to(images)
                and picture.suffix == ".png"
                and picture.is_file()
            ):
                return self._respond(
                    start_response, "200 OK", picture.read_bytes(), "image/png"
                )
        elif path == GUIDE.rstrip("/"):
            start_response("301 Moved Permanently", [("Location", GUIDE)])
            return [b""]
        elif path == GUIDE:
            return self._respond(
                start_response, "200 OK", guide_page(self.guide), "text/html"
            )
        return self._respond(
            start_response, "404 Not Found", b"Not found", "text/plain"
        )

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


# The names a browser on this machine reaches the preview by. Any other Host
# header is a page elsewhere that resolved its own name to 127.0.0.1 (DNS
# rebinding) to read drafts and testimonials still waiting for consent.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def allowed_hosts(port: int) -> frozenset[str]:
    """Return the Host headers the preview answers at `port`, in lower case."""
    hosts = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    if port == 80:  # browsers leave out the default port
        hosts |= set(LOOPBACK_NAMES)
    return frozenset(hosts)


def allowed_origins(port: int) -> frozenset[str]:
    """Return the Origin headers of the preview's own pages at `port`, in lower case."""
    return frozenset(f"http://{host}" for host in allowed_hosts(port))


class RefusedRequest(web.RequestHandler):
    """Answer 403 with a short plain page that names the preview's own address."""

    def initialize(self, port: int, reason: str) -> None:
        """Refuse for `reason`, pointing to the preview at `port`."""
        self.port, self.reason = port, reason

    def prepare(self) -> None:
        """Answer every method the same way, before any handler runs."""
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(
            f"Refused: {self.reason}. The preview answers only at "
            f"http://127.0.0.1:{self.port}/ or http://localhost:{self.port}/.\n"
        )


class PreviewApplication(web.Application):
    """Tornado application that answers only requests addressed to the preview.

    Every request, whatever its path (pages, /livereload.js, the /livereload
    socket's handshake), is routed here first: one whose Host header is not
    one of `allowed_hosts(port)` gets RefusedRequest and reaches no handler.
    """

    def __init__(self, handlers, port: int) -> None:
        """Route `handlers` for requests to the preview at `port`."""
        super().__init__(handlers, debug=False)
        self.port = port
        self.hosts = allowed_hosts(port)

    def find_handler(self, request, **kwargs):
        """Return the handler of `request`, or the refusal of a foreign Host."""
        host = request.headers.get("Host", "").lower()
        if host not in self.hosts:
            return self.get_handler_delegate(
                request,
                RefusedRequest,
                {"port": self.port, "reason": "this address is not the preview's"},
            )
        return super().find_handler(request, **kwargs)


class ReloadSocket(LiveReloadHandler):
    """livereload's socket, open only to the preview's own pages (their Origin).

    livereload accepts any Origin. Tornado asks check_origin only for
    handshakes that look cross-origin, and a rebinding page's Sec-Fetch-Site
    says same-origin; so the Origin, when sent, is checked here in every case.
    """

    def initialize(self, port: int) -> None:
        """Accept handshakes from pages of the preview at `port`."""
        self.port = port
        self.origins = allowed_origins(port)

    def prepare(self) -> None:
        """Refuse a handshake whose Origin is not one of the preview's pages."""
        origin = self.request.headers.get("Origin")
        if origin is not None and not self.check_origin(origin):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(
                "Refused: live reload answers only the preview's own pages, at "
                f"http://127.0.0.1:{self.port}/.\n"
            )

    def check_origin(self, origin: str) -> bool:
        """Tell whether `origin` is the preview's own."""
        return origin.lower() in self.origins


# How often the preview looks for saved files, in milliseconds. livereload's
# own 800 ms alone would spend most of a half-second reload; a look at every
# watched file's date takes about 5 ms for a site of 1,000 articles.
WATCH_INTERVAL_MS = 100


class QuickWatcher(get_watcher_class()):
    """livereload's file watcher, looking every WATCH_INTERVAL_MS milliseconds."""

    def start(self, callback) -> bool:
        """Look for changes on a timer of our own; True tells livereload so."""
        if super().start(callback):  # an inotify watcher: told of each change
            return True
        ioloop.PeriodicCallback(callback, WATCH_INTERVAL_MS).start()
        return True


class LiveReloadServer(Server):
    """livereload's server, answering only the preview's own addresses.

    livereload injects an inline script, which the site's CSP (no inline
    script) blocks; this server links `/livereload.js` from the same origin.
    Every request with a foreign Host header, and every reload socket opened
    from a foreign Origin, is refused (PreviewApplication, ReloadSocket).
    livereload's /forcereload, which we never use, is not served.
    """

    def __init__(self, app, port: int, routes: Iterable = ()) -> None:
        """Serve WSGI `app` after tornado `routes`; the reload script uses `port`."""
        super().__init__(app, watcher=QuickWatcher())
        self.script_tag = f'<script src="/livereload.js?port={port}"></script>'.encode()
        # Routes of their own, answered before the site: no reload script in them.
        self.routes = list(routes)

    def application(self, port, host, liveport=None, debug=None, live_css=True):
        """Listen at host:port: the reload socket, its script and the app."""
        # What livereload's own application() sets up for its socket handler.
        LiveReloadHandler.watcher = self.watcher
        LiveReloadHandler.live_css = live_css
        handlers = [
            (r"/livereload", ReloadSocket, {"port": port}),
            (r"/livereload.js", LiveReloadJSHandler),
            *self.routes,
            (
                r".*",
                web.FallbackHandler,
                {"fallback": LiveScriptContainer(self.app, self.script_tag)},
            ),
        ]
        PreviewApplication(handlers, port).listen(port, address=host)


def _stop_on_terminate(_signal_number, _frame) -> None:
    """Treat SIGTERM and SIGHUP as Ctrl+C: stop quietly, cleaning up on the way out."""
    raise KeyboardInterrupt


def live_preview(  # noqa: PLR0913 - the task's options, and whether to edit
    settings: Path,
    output: Path,
    watched: Iterable[Path],
    host: str,
    port: int,
    state: Path = CONFIG["preview_state"],
    *,
    editor: bool = False,
) -> None:
    """Build, serve at host:port, rebuild and reload on every change to `watched`.

    With `editor`, the browser editor answers at /admin/ (tools/editor_server.py).

    Refuses, saying where, when the preview of this repository already runs
    (its state file, `state`); moves to the next free port when `port` is
    taken by another program; ends quietly, with status 0, on Ctrl+C.
    """
    with the_only_preview(state) as only:
        if not only:
            _say_where_the_preview_runs(state)
            return
        _serve_alone(settings, output, watched, host, port, state, editor=editor)


def _say_where_the_preview_runs(state: Path) -> None:
    """Tell the writer that this repository's preview runs (or is starting)."""
    running = running_preview(state)
    where = (
        f"at {running.address} (process {running.pid}): open that address"
        if running is not None
        else "(it is still starting: its address comes in a moment, in the "
        "terminal where it runs)"
    )
    sys.stderr.write(
        f"A preview is already running {where}. To restart it, press Ctrl+C "
        "in the terminal where it runs, then run `make serve` again.\n"
    )


def _serve_alone(  # noqa: PLR0913 - live_preview's options, with the lock held
    settings: Path,
    output: Path,
    watched: Iterable[Path],
    host: str,
    port: int,
    state: Path,
    *,
    editor: bool,
) -> None:
    """Serve the preview, this repository's only one (live_preview holds the lock)."""
    chosen = free_port(host, port, CONFIG["port_tries"])
    if chosen is None:
        last = port + CONFIG["port_tries"] - 1
        raise Exit(
            f"Ports {port} to {last} are all taken by other programs. Stop one, "
            "or choose another port: `make serve PORT=8100`.",
            code=1,
        )
    if chosen != port:
        sys.stderr.write(
            f"Port {port} is taken by another program; the preview uses port "
            f"{chosen} instead.\n"
        )
    # Stopped, or its terminal closed: the state file goes as on Ctrl+C.
    for ending in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(ending, _stop_on_terminate)
    # Ctrl+C while serving or during a build: the same quiet stop.
    with (
        own_terminal_interrupts(),
        recorded_in(state, host, chosen),
        suppress(KeyboardInterrupt),
    ):
        _serve_live(settings, output, watched, host, chosen, editor=editor)
    sys.stderr.write("Preview stopped.\n")


def _serve_live(
    settings: Path,
    output: Path,
    watched: Iterable[Path],
    host: str,
    port: int,
    *,
    editor: bool = False,
) -> None:
    """Build, then serve and rebuild until interrupted (see live_preview)."""
    site = PreviewSite(output)
    routes = editor_routes(settings, port) if editor else []
    # One long-lived builder: after the first build, only the pages whose
    # inputs changed are rendered again (tools/preview_worker.py).
    worker = PreviewWorker(settings, output)
    search = SearchRenewal(output, settings)

    def rebuild(first: bool = False) -> None:
        result = worker.build()
        site.record(result)
        sys.stderr.write(
            "Rebuilt; the browser reloads.\n"
            if result.ok
            else "Build failed; the browser shows the problems until they are fixed.\n"
        )
        if result.ok and first:
            search.renew()  # before the first page is served
        elif result.ok:
            # Pagefind reads every page (seconds for a large site): the browser
            # reloads first, meanwhile search answers from the previous index.
            search.request()

    try:
        _watch_and_serve(site, rebuild, watched, host, port, routes)
    finally:
        search.close()
        worker.close()


class SearchRenewal:
    """The preview's search index, renewed in the background after each build.

    One Pagefind at a time: a request while one runs makes one more run when
    it ends, over the newest pages. It never holds the builds' lock, so a save
    builds at once even while Pagefind reads the last build's pages (the
    worker puts each changed file in place whole, and the index folder is
    never touched by a build), and Pagefind runs niced, so the build and the
    reload come first.
    """

    def __init__(self, output: Path, settings: Path) -> None:
        """Renew the index of `output`, built with `settings`."""
        self.output, self.settings = output, settings
        self.lock = threading.Lock()
        self.running = False
        self.pending = False
        self.closed = False

    def close(self) -> None:
        """Start no more runs: the preview is stopping (a run under way ends it)."""
        with self.lock:
            self.closed = True

    def request(self) -> None:
        """Renew the index soon, in a thread; return at once."""
        with self.lock:
            if self.closed:
                return
            if self.running:
                self.pending = True
                return
            self.running = True
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self) -> None:
        while True:
            self.renew(low_priority=True)
            with self.lock:
                if self.closed or not self.pending:
                    self.running = False
                    return
                self.pending = False

    def renew(self, low_priority: bool = False) -> None:
        """Renew the index now, in this thread; say so if it fails."""
        problem = renew_search_index(self.output, self.settings, low_priority)
        if problem:
            sys.stderr.write(f"Search index not renewed: {problem}\n")


def editor_routes(settings: Path, port: int) -> list:
    """Return the browser editor's routes, for the content folder `settings` builds."""
    content = Path(read_settings(str(settings))["PATH"])
    return editor_handlers(settings, content, allowed_origins(port))


def _watch_and_serve(
    site, rebuild, watched: Iterable[Path], host: str, port: int, routes=()
) -> None:
    """Build once, then serve `site` (after `routes`); `rebuild` on each change."""
    rebuild(first=True)
    # livereload skips a reload within 3 s of the last one; a writer who fixes
    # a typo quickly would be left looking at the error page.
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
    server = LiveReloadServer(site, port, routes)
    for path in watched:
        # Directories are watched recursively: Markdown, YAML, images, templates,
        # CSS and plugin code all trigger a rebuild.
        server.watch(str(path), rebuild)
    sys.stderr.write(f"Preview at http://{host}:{port}/ (Ctrl+C stops it).\n")
    if routes:
        sys.stderr.write(f"Editor at http://{host}:{port}{ADMIN}\n")
    try:
        server.serve(host=host, port=port, open_url_delay=None, debug=False)
    except OSError as error:
        # Another program took the port since free_port looked.
        raise Exit(
            f"Could not serve at http://{host}:{port}/: {error.strerror}. Run "
            "`make serve` again.",
            code=1,
        ) from None


def regenerate(settings: Path, output: Path, watched: Iterable[Path]) -> None:
    """Rebuild `output` on every change to `watched`, without serving it.

    Ends quietly, with status 0, on Ctrl+C.
    """

    def rebuild() -> None:
        if build_site(settings, output).ok:
            sys.stderr.write("Rebuilt.\n")
        else:
            sys.stderr.write("Build failed; output/ keeps the last good site.\n")

    with own_terminal_interrupts():
        try:
            build_site(settings, output)
            watcher = get_watcher_class()()
            for path in watched:
                watcher.watch(str(path), rebuild)
            watcher.start(None)
            sys.stderr.write("Watching for changes; Ctrl+C stops.\n")
            while True:
                watcher.examine()
                time.sleep(0.5)
        except KeyboardInterrupt:
            sys.stderr.write("Stopped.\n")


def serve_output(output: Path, host: str, port: int) -> None:
    """Serve `output` as it is, with no rebuild, until interrupted.

    Refuses, naming each file, an output its build's manifest does not vouch
    for (plugins/manifest): what it shows is what a deploy would publish.
    """
    problems = verify(output)
    if problems:
        raise Exit(
            "Not serving: "
            + refusal(
                output,
                problems,
                "Rebuild with `make html` or `make publish`; "
                "do not add or change files in {folder} by hand.",
            ),
            code=1,
        )
    handler = partial(SimpleHTTPRequestHandler, directory=str(output))
    with ThreadingHTTPServer((host, port), handler) as server:
        sys.stderr.write(f"Serving output/ at http://{host}:{port}/\n")
        server.serve_forever()
