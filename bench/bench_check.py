"""`make bench-check`: `make check` against a baseline measured in the same run.

For each corpus size: the baseline reads every content file once (the least
any check must do); `check_content` is the in-process check; "command" is the
whole `invoke check` as a writer runs it (interpreter start-up included). The
figures are medians of several runs, reported as ratios to the baseline.
`main(sizes)` returns the section `SECTION` of docs/performance.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import subprocess
import tempfile
import time

from content_schema import check_content
from pelican.settings import read_settings

from bench.corpus import write_corpus
from bench.report import markdown_table
from bench.runner import cores, interpreter, invoke, median_seconds
from tools.config import ROOT

# The marker of this benchmark's section in docs/performance.md.
SECTION = "make check"
RUNS = 5


@dataclass(frozen=True)
class Row:
    """The medians for one corpus size, in seconds."""

    articles: int
    baseline: float
    check: float
    command: float


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
        command = invoke("check", "--content", str(content))
        return Row(
            articles,
            baseline=median_seconds(lambda: _read_everything(content), RUNS),
            check=median_seconds(lambda: check_content(settings), RUNS),
            command=median_seconds(
                lambda: subprocess.run(
                    command, cwd=ROOT, check=True, capture_output=True
                ),
                RUNS,
            ),
        )


def report(rows: list[Row]) -> str:
    """Render the Markdown section for docs/performance.md."""
    lines = [
        "## `make check`",
        "",
        (
            f"Measured by `make bench-check` on {time.strftime('%Y-%m-%d')}: "
            f"{interpreter()}, {cores()} cores. Medians of {RUNS} runs. The "
            "baseline reads every content file once, the least any check must do; "
            "the corpus comes from `bench/corpus.py` (seeded, about 400 words per "
            "article)."
        ),
        "",
        *markdown_table(
            [
                "Articles",
                "Baseline (read files)",
                "`check_content`",
                "Ratio to baseline",
                "`invoke check`, whole command",
                "Target",
            ],
            (
                [
                    f"{row.articles:,}",
                    f"{row.baseline * 1000:.0f} ms",
                    f"{row.check * 1000:.0f} ms",
                    f"{row.check / row.baseline:.1f}×",
                    f"{row.command:.2f} s",
                    "≤ 2 s" if row.articles == 1000 else "",
                ]
                for row in rows
            ),
            "rrrrrl",
        ),
    ]
    return "\n".join(lines) + "\n"


def main(sizes: list[int]) -> str:
    """Measure every size; return the report."""
    return report([measure(size) for size in sizes])
