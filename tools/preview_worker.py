"""The preview's long-lived builder: one process, many builds, changed pages only.

`make serve` keeps one worker process (`python -m tools.preview_worker
SETTINGS SERVED`) for as long as it runs. Each build request makes one build
in that process (tools/incremental.py renders only the pages whose inputs
changed) into a work folder beside the served one, `.preview-work/`; after a
good build the changed files are copied into the served folder and the pages
no longer built are removed there (incremental.mirror_changes). A failed
build leaves the served folder exactly as it was.

The worker starts afresh, a cold build in a new process, when what it was
started with has changed: the settings, the theme, the plugins' or the
tools' code, or the package versions (`code_state`). It answers
`{"restart": true}` and ends; `PreviewWorker` starts the next one. Edited
plugin code is so always loaded anew, as in a one-off build.

Protocol: one line `build` on the worker's standard input asks for a build;
the worker answers one JSON line on its standard output:

    {"ok": true, "output": "…what the build printed…", "addresses": {...},
     "problems": [...], "rendered": 3, "kept": 1410, "copied": 9, "removed": 0}

Everything else the build prints goes into "output", never onto the
protocol's line.
"""

from __future__ import annotations

from contextlib import contextmanager, suppress
import hashlib
import json
import logging
import os
from pathlib import Path
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from build_cache.build_cache import fingerprint
from pelican import Pelican
from pelican.log import init as init_logging
from pelican.settings import read_settings

from tools.build import (
    BuildBusy,
    BuildProblem,
    BuildResult,
    DamagedCache,
    _print_notices,
    build_here,
    one_build_at_a_time,
    report_tool_failure,
    search_index_dir,
    staging_folder,
)
from tools.config import ROOT
from tools.incremental import (
    RenderMemory,
    incremental_writer,
    mirror_changes,
    snapshot,
)

BUILD = "build"
# A reply's flag (never sent): the worker ends after answering.
FRESH_PROCESS = "fresh_process"
TOOLS = Path(__file__).resolve().parent


def work_folder(served: Path) -> Path:
    """Return the worker's own build folder beside `served`: `.preview-work/`."""
    return staging_folder(served, "work")


def code_state(settings_file: str) -> str:
    """Digest what a worker cannot take in without starting afresh.

    The settings, the theme and plugin folders and the package versions
    (build_cache.fingerprint, as the build cache itself counts them), and
    the tools' own code.
    """
    forget_settings_modules(settings_file)
    digest = hashlib.sha256(fingerprint(read_settings(settings_file)).encode())
    for path in sorted(TOOLS.rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()


def forget_settings_modules(settings_file: str) -> None:
    """Drop the settings modules (pelicanconf…) this process has imported.

    A settings file's `from pelicanconf import *` would otherwise get the
    module of the first build, whose dictionaries that build changed in
    place (Pelican adds MARKDOWN["extensions"]): every build reads the
    settings as a fresh process does.
    """
    folders = {ROOT, Path(settings_file).resolve().parent}
    for name, module in list(sys.modules.items()):
        location = getattr(module, "__file__", None)
        if location and Path(location).resolve().parent in folders:
            del sys.modules[name]


# The longest a build may take before its worker is given up on (a cold
# build of thousands of articles takes minutes), and how often the server
# looks whether a silent worker has ended meanwhile.
REPLY_SECONDS = 30 * 60
WAKE_SECONDS = 0.5


class Worker:
    """The builds of one worker process (see the module's docstring)."""

    def __init__(self, settings_file: str, served: Path) -> None:
        """Build `settings_file` for `served`, starting with an empty work folder."""
        self.settings_file = settings_file
        self.served = served
        self.work = work_folder(served)
        self.memory = RenderMemory()
        self.born = code_state(settings_file)
        self.last_good: dict | None = None
        self._clear()

    def _clear(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        self.work.mkdir(parents=True)
        self.memory.forget()
        self.last_good = {}

    def build(self) -> dict:
        """Make one build and bring the served folder level; return the reply."""
        if code_state(self.settings_file) != self.born:
            return {"restart": True}
        if self.last_good is None:  # a failed build left the work folder changed
            self._clear()
        memory = self.memory
        memory.start()

        class IncrementalPelican(Pelican):
            def _get_writer(self):
                base = super()._get_writer()
                return incremental_writer(type(base), memory)(
                    self.output_path, settings=self.settings
                )

        override = {
            "OUTPUT_PATH": str(self.work),
            "SEARCH_INDEX": False,
            "DELETE_OUTPUT_DIRECTORY": False,
        }
        code, addresses, problems = build_here(
            self.settings_file, override, IncrementalPelican
        )
        if code != 0:
            if snapshot(self.work) == self.last_good:
                return {"ok": False, "problems": problems}
            # It stopped while writing: plugins' state of a half-done build
            # (pelican-sitemap's list of pages) would reach the next one. The
            # next build is a new process's, from an empty work folder.
            self.last_good = None
            return {"ok": False, "problems": problems, FRESH_PROCESS: True}
        after = snapshot(self.work)
        try:
            copied, removed = mirror_changes(
                self.work,
                self.served,
                self.last_good,
                after,
                memory.kept,
                untouched=(search_index_dir(),),
            )
        except OSError as error:
            # Some pages are new and some old: the next build is a new
            # process's, a cold build whose mirror brings every file level.
            self.last_good = None
            sys.stderr.write(
                f"The preview could not write its pages ({error.strerror or error}). "
                "If the disk is full, free some space; the next save brings the "
                "preview up to date.\n"
            )
            return {"ok": False, "problems": [], FRESH_PROCESS: True}
        self.last_good = snapshot(self.work)
        return {
            "ok": True,
            "addresses": addresses,
            "rendered": len(memory.rendered),
            "kept": len(memory.kept),
            "copied": len(copied),
            "removed": len(removed),
        }


@contextmanager
def _captured_output():
    """Send file descriptors 1 and 2 to a temporary file; yield a reader of it."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = os.dup(1), os.dup(2)
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 1)
        os.dup2(capture.fileno(), 2)
        text: list[str] = []
        try:
            yield text
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for descriptor in saved:
                os.close(descriptor)
            capture.seek(0)
            text.append(capture.read().decode("utf-8", "replace"))


def serve_requests(settings_file: str, served: Path) -> int:
    """Answer build requests on stdin until it closes (see the protocol)."""
    # Its server stops it by closing its input (even when the server is killed).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The protocol's own channel; anything else printed goes to stderr.
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    init_logging(level=logging.WARNING, fatal="warnings")
    _print_notices()
    worker = None
    for request in sys.stdin:
        if request.strip() != BUILD:
            continue
        restart = False
        with _captured_output() as printed:
            try:
                if worker is None:
                    worker = Worker(settings_file, served)
                reply = worker.build()
            except DamagedCache as damaged:
                Path(damaged.path).unlink(missing_ok=True)
                reply = {"restart": True}
            except (Exception, RecursionError) as error:  # noqa: BLE001 - said plainly
                report_tool_failure(error)
                reply, restart = {"ok": False, "problems": []}, True
        restart = restart or reply.pop(FRESH_PROCESS, False)
        reply["output"] = printed[0]
        protocol.write(json.dumps(reply) + "\n")
        protocol.flush()
        if reply.get("restart") or restart:
            return 0  # the next build is a new process's
    return 0


class PreviewWorker:
    """The preview server's handle on its worker process: `build()`, `close()`.

    Starts the worker at the first build, and again whenever it asks to
    start afresh or has ended; builds hold the served folder's lock, as
    every build of it does (tools/build.py).
    """

    def __init__(self, settings: Path, served: Path) -> None:
        """Build `settings` into the served folder `served`."""
        self.settings = Path(settings).resolve()
        self.served = Path(served).resolve()
        self.process: subprocess.Popen | None = None
        self.last: dict = {}
        # The worker's command line (tests give a worker that misbehaves).
        self.command = [
            sys.executable,
            "-m",
            "tools.preview_worker",
            str(self.settings),
            str(self.served),
        ]

    def build(self) -> BuildResult:
        """Make one build; return how it went, as tools.build.build_site does."""
        try:
            with one_build_at_a_time(self.served):
                reply = self._ask()
        except BuildBusy as busy:
            sys.stderr.write(f"{busy}\n")
            return BuildResult(ok=False, messages=str(busy))
        self.last = reply
        output = reply.get("output", "")
        sys.stderr.write(output)
        problems = tuple(
            BuildProblem(**problem) for problem in reply.get("problems", ())
        )
        if not reply.get("ok"):
            return BuildResult(ok=False, messages=output.strip(), problems=problems)
        return BuildResult(ok=True, messages="", addresses=reply.get("addresses", {}))

    def _ask(self) -> dict:
        """Send one build request, starting a worker as needed; return its reply."""
        for _attempt in range(3):
            if self.process is None or self.process.poll() is not None:
                self.process = subprocess.Popen(
                    self.command,
                    cwd=ROOT,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    # Ctrl+C in the terminal is the server's to handle: it
                    # closes the worker, which ends when its input does. The
                    # worker leads a process group of its own, with the
                    # readers it forks: close() ends the whole group.
                    start_new_session=True,
                )
            try:
                self.process.stdin.write(f"{BUILD}\n".encode())
                self.process.stdin.flush()
                line = self._reply_line()
            except (BrokenPipeError, OSError):
                line = ""
            if not line:
                self.close()
                continue
            reply = json.loads(line)
            if reply.get("restart"):
                sys.stderr.write(reply.get("output", ""))
                self.close()
                continue
            return reply
        return {
            "ok": False,
            "output": "The preview's builder stopped unexpectedly, three times "
            "running. Stop the preview (Ctrl+C) and run `make serve` again; if it "
            "happens again, report it to a maintainer with the lines above.\n",
        }

    def _reply_line(self) -> str:
        """Return the worker's reply line; "" once it has ended or is past the deadline.

        Read from the pipe itself, never waiting on it alone: a worker killed
        during its parallel read leaves forked readers holding the pipe open,
        so no end of file would ever come. The worker ending (or REPLY_SECONDS
        passing) is the end.
        """
        process = self.process
        pipe = process.stdout.fileno()
        received = bytearray()
        deadline = time.monotonic() + REPLY_SECONDS
        while not received.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0:
                return ""
            readable, _, _ = select.select([pipe], [], [], min(left, WAKE_SECONDS))
            if readable:
                chunk = os.read(pipe, 65536)
                if not chunk:
                    return ""
                received += chunk
            elif process.poll() is not None:
                return ""  # it ended without a whole reply
        return received.decode("utf-8", "replace")

    def close(self) -> None:
        """End the worker process and every process it started, if one runs."""
        process, self.process = self.process, None
        if process is None:
            return
        with suppress(OSError):
            process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # Its group: readers it forked outlive it when it is killed, holding
        # the pipe; the group's id is the worker's own (start_new_session).
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        process.stdout.close()


if __name__ == "__main__":
    sys.exit(serve_requests(sys.argv[1], Path(sys.argv[2])))
