"""Writing benchmark figures: Markdown tables, figures as text, docs/performance.md.

Every benchmark returns its section of docs/performance.md as Markdown;
`write_section` puts it between the section's markers there, keeping the
other sections as they are. The formatting helpers take plain values and
write "n/a" for a figure that was not measured (None).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
import sys

from tools.config import ROOT

PERFORMANCE = ROOT / "docs" / "performance.md"


def markdown_table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], align: str
) -> list[str]:
    """Render a Markdown table; `align` holds one `l` or `r` per column."""
    if len(align) != len(headers):
        raise ValueError("one alignment letter per column")
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = [f"| {' | '.join(headers)} |", f"| {' | '.join(rule)} |"]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row {row!r} does not have {len(headers)} cells")
        lines.append(f"| {' | '.join(row)} |")
    return lines


def ratio(ours: float | None, stock: float | None) -> float | None:
    """Return ours / stock, or None when either is missing or stock is zero."""
    if ours is None or not stock:
        return None
    return ours / stock


def as_ratio(value: float | None) -> str:
    """Write a ratio as `0.25×`."""
    return "n/a" if value is None else f"{value:.2f}×"


def in_seconds(value: float | None) -> str:
    """Write seconds with three significant figures or more: `2.50 s`, `12.5 s`."""
    if value is None:
        return "n/a"
    return f"{value:.2f} s" if value < 10 else f"{value:,.1f} s"


def in_mib(value: int | None) -> str:
    """Write bytes in whole MiB: `150 MiB`."""
    return "n/a" if value is None else f"{value / 2**20:,.0f} MiB"


def plural(number: int, noun: str) -> str:
    """Write a count with its noun: `1 area`, `2 areas`."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def duration(seconds: float) -> str:
    """Write the length of a run in minutes and seconds: `4 min 05 s`."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def write_section(name: str, section: str, path: Path = PERFORMANCE) -> None:
    """Replace the section `name` of `path` with `section`, keeping the others.

    The section goes between `<!-- begin NAME -->` and `<!-- end NAME -->`,
    at the end of the file if it has no such markers yet; it is also written
    to stdout, for whoever ran the benchmark.
    """
    begin, end = f"<!-- begin {name} -->", f"<!-- end {name} -->"
    text = path.read_text() if path.exists() else "# Performance\n\n"
    block = f"{begin}\n{section}{end}"
    if begin in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    sys.stdout.write(section)
