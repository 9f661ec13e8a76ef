"""Benchmark `make check` against a baseline measured in the same run.

For each corpus size: the baseline reads every content file once (the least
any check must do); `check_content` is the in-process check; "command" is the
whole `invoke check` as a writer runs it (interpreter start-up included). The
figures are medians of several runs, reported as ratios to the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass
import os
from pathlib import Path
import platform
import statistics
import subprocess
import sys
import tempfile
import time

from pelican.settings import read_settings

from bench.corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
from content_schema import check_content  # noqa: E402 - needs plugins/ on sys.path

RUNS = 5


@dataclass(frozen=True)
class Row:
    """The medians for one corpus size, in seconds."""

    articles: int
    baseline: float
    check: float
    command: float


def _median_seconds(action, runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _read_everything(content: Path) -> None:
    for path in content.rglob("*"):
        if path.is_file():
            path.read_text(encoding="utf-8")


def measure(articles: int) -> Row:
    """Write a corpus of `articles` articles and time the three ways of reading it."""
    with tempfile.TemporaryDirectory() as folder:
        content = write_corpus(Path(folder), articles)
        settings = read_settings(
            str(ROOT / "pelicanconf.py"), override={"PATH": str(content)}
        )
        result = check_content(settings)
        if result.problems:
            raise AssertionError(
                f"the corpus must pass the check: {result.problems[:3]}"
            )
        command = [sys.executable, "-m", "invoke", "check", "--content", str(content)]
        return Row(
            articles,
            baseline=_median_seconds(lambda: _read_everything(content)),
            check=_median_seconds(lambda: check_content(settings)),
            command=_median_seconds(
                lambda: subprocess.run(
                    command, cwd=ROOT, check=True, capture_output=True
                )
            ),
        )


def report(rows: list[Row]) -> str:
    """Render the Markdown section for docs/performance.md."""
    lines = [
        "## `make check`",
        "",
        (
            f"Measured by `make bench-check` on {time.strftime('%Y-%m-%d')}: "
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"{os.cpu_count()} cores. Medians of {RUNS} runs. The baseline reads "
            "every content file once, the least any check must do; the corpus comes "
            "from `bench/corpus.py` (seeded, about 400 words per article)."
        ),
        "",
        (
            "| Articles | Baseline (read files) | `check_content` | Ratio to baseline "
            "| `invoke check`, whole command | Target |"
        ),
        "| ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        target = "≤ 2 s" if row.articles == 1000 else ""
        lines.append(
            f"| {row.articles:,} | {row.baseline * 1000:.0f} ms "
            f"| {row.check * 1000:.0f} ms | {row.check / row.baseline:.1f}× "
            f"| {row.command:.2f} s | {target} |"
        )
    return "\n".join(lines) + "\n"


def main(sizes: list[int]) -> str:
    """Measure every size; return the report."""
    return report([measure(size) for size in sizes])
