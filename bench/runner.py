"""Running and timing what the benchmarks measure, and describing the machine.

A benchmark runs a command as a child process (`run_child`: its wall-clock
time and peak memory), times an action in this process (`median_seconds`),
reports progress against one clock (`Stopwatch`) and says what it measured
on (`interpreter`, `cores`, `commit`). Figures are medians: one slow run,
from other work on the machine, does not move them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
import os
from pathlib import Path
import platform
import statistics
import subprocess
import sys
import tempfile
import time

from tools.config import ROOT

LAUNCHER = Path(__file__).with_name("launcher.py")


class BenchmarkError(RuntimeError):
    """A build failed or showed stale content: the figures would mean nothing."""


@dataclass(frozen=True)
class Sample:
    """One measured command."""

    seconds: float
    """Wall-clock time, from starting the child to its exit (and swap, for ours)."""
    peak_bytes: int
    """Max resident set size of the child, or of its largest waited-for child."""


def _rss_bytes(ru_maxrss: int) -> int:
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


def run_child(command: Sequence[str | Path], cwd: Path = ROOT) -> Sample:
    """Run `command` (a path to a program, then its arguments); measure it.

    Returns its wall-clock time and its max RSS, or that of its largest
    waited-for child (Pagefind, for a build). Its output goes to a temporary
    file, shown in the BenchmarkError raised when it exits with another code
    than 0.
    """
    with tempfile.TemporaryDirectory(prefix="bench-child-") as folder:
        report, log_path = Path(folder, "report"), Path(folder, "log")
        with log_path.open("wb") as log:
            # Started through bench/launcher.py, small, so that the peak
            # memory is the command's own and not this process's (see there).
            subprocess.run(
                [sys.executable, str(LAUNCHER), str(report), *map(str, command)],
                cwd=cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
        seconds, code, maxrss = report.read_text().split()
        if int(code) != 0:
            tail = log_path.read_text("utf-8", "replace")[-4000:]
            raise BenchmarkError(
                f"{' '.join(map(str, command))} exited with {code}:\n{tail}"
            )
    return Sample(float(seconds), _rss_bytes(int(maxrss)))


def invoke(*arguments: str) -> list[str]:
    """Return the command running an invoke task of tasks.py, as `make` runs it."""
    return [sys.executable, "-m", "invoke", *arguments]


def median_seconds(action: Callable[[], object], runs: int) -> float:
    """Call `action` `runs` times in this process; return the median wall time."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def median_of(samples: Iterable[Sample]) -> float:
    """Return the median time of some samples (at least one)."""
    return statistics.median(sample.seconds for sample in samples)


@dataclass
class Stopwatch:
    """The clock of a whole benchmark run, from its creation."""

    started: float = field(default_factory=time.perf_counter)

    def seconds(self) -> float:
        """Return the seconds since the run started."""
        return time.perf_counter() - self.started

    def say(self, message: str) -> None:
        """Write `message` to stderr after the time since the start, `[ m:ss]`."""
        minutes, seconds = divmod(round(self.seconds()), 60)
        sys.stderr.write(f"[{minutes:3d}:{seconds:02d}] {message}\n")
        sys.stderr.flush()


def interpreter() -> str:
    """Return the Python running the benchmark, e.g. `CPython 3.11.7`."""
    return f"{platform.python_implementation()} {platform.python_version()}"


def cores() -> int:
    """Return the number of CPU cores, 0 if unknown."""
    return os.cpu_count() or 0


def commit() -> str:
    """Return the commit measured, noting uncommitted changes."""
    head = _git("rev-parse", "--short=12", "HEAD")
    if not head:
        return "an unknown commit"
    dirty = _git("status", "--porcelain", "--untracked-files=no")
    return f"commit {head}" + (" with uncommitted changes" if dirty else "")


def _git(*arguments: str) -> str:
    """Return what git prints for `arguments` here, stripped ("" if it fails)."""
    return subprocess.run(
        ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
