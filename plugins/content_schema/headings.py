"""The outline rules of an article's text: no second title, no skipped level.

The title is the page's one top-level heading (h1), so the text's headings
start at `##` and go down one level at a time: screen-reader users move
through a page by its outline, and a gap reads as a missing section. Code
blocks are skipped, since `#` starts a comment there.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
import re

from markdown.extensions.fenced_code import FencedBlockPreprocessor

ATX_HEADING = re.compile(r"^ {0,3}(?P<marks>#{1,6})(?:[ \t]+|$)")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?P<marks>=+|-+)[ \t]*$")
HTML_HEADING = re.compile(r"<h(?P<level>[1-6])\b", re.IGNORECASE)
# Python-Markdown's own pattern of a fenced block (opening fence to closing fence).
FENCED_BLOCK = FencedBlockPreprocessor.FENCED_BLOCK_RE
LIST_OR_QUOTE = re.compile(r"^ {0,3}(?:[-*+>]|\d+[.)])(?:\s|$)")
TOPIC = "headings-out-of-order"


def outside_fences(
    body: tuple[tuple[int, str], ...],
) -> Iterator[tuple[int, str | None]]:
    """Yield (line, text) of each line outside fenced code blocks.

    A fenced block yields one (line of its opening, None) in its place, so a
    caller can tell that code came between two lines. The fence lines
    themselves are code too. The blocks are those Python-Markdown's
    fenced_code extension finds, with its own pattern: a fence needs its
    closing fence, so an unclosed one is ordinary text (CommonMark would
    make the rest of the file code; the build does not).
    """
    code = _fenced_lines(body)
    for number, text in body:
        if number in code:
            if code[number]:
                yield number, None
            continue
        yield number, text


def _fenced_lines(body: tuple[tuple[int, str], ...]) -> dict[int, bool]:
    """Map each line inside a fenced block (fences too) to whether it opens one."""
    numbers = [number for number, _text in body]
    text = "\n".join(line for _number, line in body) + "\n"
    starts = [0]
    for line in (line for _number, line in body):
        starts.append(starts[-1] + len(line) + 1)
    code: dict[int, bool] = {}
    index = 0
    while match := FENCED_BLOCK.search(text, index):
        first = bisect_right(starts, match.start()) - 1
        last = bisect_right(starts, max(match.end() - 1, match.start())) - 1
        for position in range(first, min(last, len(numbers) - 1) + 1):
            code[numbers[position]] = position == first
        index = match.end()
    return code


def _headings(body: tuple[tuple[int, str], ...]) -> Iterator[tuple[int, int, str]]:
    """Yield (line, level, how it is written) for each heading outside code."""
    previous = ""  # the line before, when it is paragraph text
    for number, text in outside_fences(body):
        if text is None:
            previous = ""
            continue
        if text.startswith(("    ", "\t")) and not previous:
            continue  # an indented code block
        atx = ATX_HEADING.match(text)
        underline = SETEXT_UNDERLINE.match(text)
        if atx:
            marks = atx["marks"]
            yield number, len(marks), f"“{marks} ”"
        elif underline and previous:
            level = 1 if underline["marks"][0] == "=" else 2
            yield number - 1, level, f"a line underlined with “{underline['marks'][0]}”"
        for match in HTML_HEADING.finditer(text):
            yield number, int(match["level"]), f"<h{match['level']}>"
        plain = text.strip() and not atx and not LIST_OR_QUOTE.match(text)
        previous = text if plain else ""


def heading_problems(body: tuple[tuple[int, str], ...]) -> list[tuple[int, str]]:
    """Return (line, message) for each heading that breaks the outline rules."""
    problems = []
    level_before = 1  # the title
    for number, level, written in _headings(body):
        if level == 1:
            message = (
                f"{written} makes a second title: the title is the page's only "
                "top-level heading; start a section with “## ”"
            )
            problems.append((number, message))
            continue
        if level > level_before + 1:
            wanted = "#" * (level_before + 1)
            after = f"a “{'#' * level_before} ” heading"
            message = (
                f"{written} comes after {'the title' if level_before == 1 else after}, "
                f"skipping a level that screen readers announce; use “{wanted} ” here"
            )
            problems.append((number, message))
        # Judged as the level it should have: one slip, one problem.
        level_before = min(level, level_before + 1)
    return problems
