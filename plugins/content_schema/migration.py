"""What a move from another blog tool leaves in an article's text.

Each of these passes Pelican's reader and then shows wrongly or stops the
build without naming the article: Markdown image syntax inside a raw HTML
block (shown as literal text, on the page and in the feed), a `[TOC]` line
(a second table of contents, without a label, next to the theme's), links in
Pelican's old `|filename|` syntax, and link paths with a space (Markdown ends
the path at the space). Code blocks are skipped: examples may show any of
them.
"""

from __future__ import annotations

from collections.abc import Iterator
import re

from .headings import outside_fences

TOPIC = "leftovers-of-a-move-from-another-blog"  # its entry in mistakes.py
# Pelican 3's link syntax, which 4.12 still reads with a deprecation warning
# (and --fatal warnings stops the build there).
OLD_LINK = re.compile(r"\|(?P<what>filename|static|attach)\|(?P<path>[^\s\"')]+)")
TOC_MARKER = re.compile(r"^\s*\[TOC\]\s*$", re.IGNORECASE)
# A line that opens a raw HTML block: Python-Markdown copies the block as it
# is, up to the next empty line, so Markdown inside it is never rendered.
HTML_BLOCK_START = re.compile(
    r"^ {0,3}<(?P<tag>p|div|figure|figcaption|center|section|table|span|a)\b"
    r"(?P<attributes>[^>]*)>",
    re.IGNORECASE,
)
MARKDOWN_IN_HTML = re.compile(r"markdown\s*=", re.IGNORECASE)
MARKDOWN_IMAGE_TEXT = re.compile(r"!\[[^\]]*\]\([^)]*\)")
# `](target)` whose target (before an optional "title") holds a space.
SPACED_TARGET = re.compile(
    r"\]\((?P<target>\{(?:filename|static|attach)\}[^)\"\n]*?\s[^)\"\n]*?)"
    r"(?:\s+\"[^\"]*\")?\)"
)


def debris_problems(
    body: tuple[tuple[int, str], ...],
) -> Iterator[tuple[int, str, str]]:
    """Yield (line, field, message) for each leftover of a migration outside code."""
    in_html_block = False
    for number, text in outside_fences(body):
        if text is None:
            continue
        if not text.strip():
            in_html_block = False
            continue
        start = HTML_BLOCK_START.match(text)
        if start and not MARKDOWN_IN_HTML.search(start["attributes"]):
            in_html_block = True
        if in_html_block and (image := MARKDOWN_IMAGE_TEXT.search(text)):
            yield (
                number,
                "image",
                (
                    f"{image[0]} is inside an HTML block, where Markdown is not read, "
                    "so the page shows it as text; put it on a line of its own, "
                    "without the HTML tags around it"
                ),
            )
        if TOC_MARKER.match(text):
            yield (
                number,
                "link",
                (
                    "[TOC] adds a second table of contents, without a label; remove "
                    "the line: the page makes its own from the headings"
                ),
            )
        for match in OLD_LINK.finditer(text):
            yield (
                number,
                "link",
                (
                    f"{match[0]} is Pelican's old way to write a link, which stops the "
                    f"build; write {{{match['what']}}}{match['path']}"
                ),
            )
        for match in SPACED_TARGET.finditer(text):
            target = match["target"]
            renamed = re.sub(r"\s+", "-", target.strip())
            yield (
                number,
                "link",
                (
                    f"{target} has a space, which ends a link's path; rename the file "
                    f"without spaces and write {renamed}"
                ),
            )
