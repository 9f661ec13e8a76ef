"""The preview's process: one per repository, on a free port, stopped by Ctrl+C.

While `make serve` runs it notes its host, port and process id in a state
file (`recorded_in`); `running_preview` reads it, so a second `make serve`
and the scaffolds name the running preview's address. `free_port` finds the
next free port when another program holds the configured one, and
`own_terminal_interrupts` lets Ctrl+C end the preview, and `make`, with
status 0. `the_only_preview` holds a lock for the preview's life, so two
started at once cannot both run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
import fcntl
import json
import os
from pathlib import Path
import signal
import socket
import time

from tools.config import CONFIG

# How long a preview may take from noting itself to answering (its first build).
STARTING_SECONDS = 300


@dataclass(frozen=True)
class RunningPreview:
    """A `make serve` that is running: where it serves, and its process."""

    host: str
    port: int
    pid: int

    @property
    def address(self) -> str:
        """Return the preview's home page address."""
        return f"http://{self.host}:{self.port}/"


def running_preview(state: Path) -> RunningPreview | None:
    """Return the preview whose state file is `state`, if it still runs; else None.

    A file left behind by a preview that has ended (its process is gone, or
    nothing answers on its port any more) is ignored. A preview still making
    its first build does not answer yet: a recent file of a live process counts.
    """
    try:
        recorded = json.loads(state.read_text(encoding="utf-8"))
        preview = RunningPreview(
            str(recorded["host"]), int(recorded["port"]), int(recorded["pid"])
        )
        age = time.time() - state.stat().st_mtime
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _process_runs(preview.pid):
        return None
    if age > STARTING_SECONDS and not _port_answers(preview.host, preview.port):
        return None  # the process id now belongs to another program
    return preview


def preview_address(state: Path) -> tuple[str, bool]:
    """Return (the preview's home address, whether a preview runs there now).

    The running preview's address when one runs (see running_preview), else
    the configured host and port, where `make serve` would start.
    """
    running = running_preview(state)
    if running is not None:
        return running.address, True
    return f"http://{CONFIG['host']}:{CONFIG['port']}/", False


def _process_runs(pid: int) -> bool:
    """Tell whether a process with this id exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, as another user's
    return True


def _port_answers(host: str, port: int) -> bool:
    """Tell whether something accepts connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def free_port(host: str, port: int, tries: int) -> int | None:
    """Return the first of `tries` ports from `port` free to listen on, or None."""
    for candidate in range(port, port + tries):
        with socket.socket() as probe:
            # As tornado binds: a port a closed server left in TIME_WAIT is free.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return candidate
    return None


def lock_of(state: Path) -> Path:
    """Return the lock file held by the preview whose state file is `state`."""
    return state.with_name(f"{state.name}.lock")


@contextmanager
def the_only_preview(state: Path) -> Iterator[bool]:
    """Hold this repository's preview lock for the block; yield whether it was free.

    An flock on `lock_of(state)`, held for the preview's whole life and
    released whenever its process ends, even killed: two `make serve` started
    at the same moment cannot both run (the state file alone, written after
    the check, let both through). The file is opened close-on-exec, so the
    preview's builder never holds it.
    """
    with open(lock_of(state), "a+b") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def recorded_in(state: Path, host: str, port: int) -> Iterator[None]:
    """Note this process's preview in `state` for as long as the block runs."""
    state.write_text(
        json.dumps({"host": host, "port": port, "pid": os.getpid()}), encoding="utf-8"
    )
    try:
        yield
    finally:
        state.unlink(missing_ok=True)


@contextmanager
def own_terminal_interrupts() -> Iterator[None]:
    """Receive the terminal's Ctrl+C alone, so that `make serve` ends with status 0.

    Ctrl+C sends SIGINT to the terminal's foreground process group. Under
    make that group is make's, and GNU make, on SIGINT, waits for its child and
    then kills itself with the same signal: status 130 whatever the child
    returns (measured with GNU make 4.3). So, while the block runs, this
    process leads a group of its own, made the terminal's foreground one: make
    sees only its child end, with 0. The terminal is handed back at the end.
    Ctrl+Z is ignored meanwhile: it would stop this group, which the shell does
    not know as its job. Without a terminal, when this process already leads
    its group (run from a shell, not by make), or when it ignores Ctrl+C (run
    in the background by a script), nothing changes.
    """
    try:
        terminal = os.open("/dev/tty", os.O_RDWR)
    except OSError:
        yield
        return
    try:
        foreground = os.tcgetpgrp(terminal)
        # Started in the background by a script (Ctrl+C ignored): stay there.
        interruptible = signal.getsignal(signal.SIGINT) is not signal.SIG_IGN
        taking = interruptible and foreground == os.getpgrp() != os.getpid()
        if taking:
            os.setpgid(0, 0)
            _hand_terminal(terminal, os.getpgrp())
            suspend = signal.signal(signal.SIGTSTP, signal.SIG_IGN)
        try:
            yield
        finally:
            if taking:
                _hand_terminal(terminal, foreground)
                signal.signal(signal.SIGTSTP, suspend)
    finally:
        os.close(terminal)


def _hand_terminal(terminal: int, group: int) -> None:
    """Make `group` the terminal's foreground process group."""
    # A group that is not in the foreground gets SIGTTOU (stop) for this call.
    ignored = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        with suppress(OSError):  # the group is gone: the shell takes over
            os.tcsetpgrp(terminal, group)
    finally:
        signal.signal(signal.SIGTTOU, ignored)
