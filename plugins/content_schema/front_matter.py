"""Read a Markdown source the way Pelican's Markdown reader sees its metadata.

The header is Python-Markdown's "meta" format: `Key: value` lines at the top,
continued by lines indented four spaces, ended by a blank line (optionally
fenced by `---` lines). Keys are case-insensitive, as in Pelican. Reading only
the header and scanning the body with patterns keeps `make check` fast: no
Markdown is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
import re

from .parsing import FOREIGN_TOPIC, LineMapping, read_text
from .problems import Reporter

KEY_LINE = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*?)\s*$")
CONTINUATION_LINE = re.compile(r"^[ ]{4,}(?P<value>.*?)\s*$")
FENCE = re.compile(r"^-{3}\s*$")
FENCE_END = re.compile(r"^(-{3}|\.{3})\s*$")
# A YAML list item under an empty key, as Hugo and Jekyll write tags:
# `Tags:` then `- PTSD` lines. Pelican would end the header there.
YAML_ITEM = re.compile(r"^\s*-\s+(?P<item>\S.*?)\s*$")


@dataclass(frozen=True)
class MarkdownSource:
    """A Markdown file split into its metadata and its body lines."""

    metadata: LineMapping  # lowercased key -> text value, with key lines
    body: tuple[tuple[int, str], ...]  # (1-based line number, line) after the header
    # The header's lines as written, (line number, line): fences included.
    header: tuple[tuple[int, str], ...] = ()


def read_markdown(path: Path, report: Reporter) -> MarkdownSource | None:
    """Split `path` into metadata and body; report unreadable text, repeated keys.

    An empty file is reported as such, once, and gives None.
    """
    text = read_text(path, report)
    if text is None:
        return None
    if not text.strip():
        report.add(
            None,
            "",
            "is empty; an article starts with its front matter (Title, Date, "
            "Summary, Author, Category), then an empty line, then the text: start "
            'one with `make new-article TITLE="Its title"`, or delete this file',
            topic="an-empty-file",
        )
        return None
    return split_markdown(text, report)


def split_markdown(text: str, report: Reporter) -> MarkdownSource:
    """Split a Markdown file's text into metadata and body, as Pelican reads it."""
    # Lines end at "\n" only, as Pelican's reader splits them: str.splitlines()
    # would also break at form feeds and Unicode line separators.
    lines = text.split("\n")
    metadata = LineMapping(1)
    index = 0
    fenced = bool(lines) and FENCE.match(lines[0]) is not None
    if fenced:
        index = 1
    last_key = None
    while index < len(lines):
        line = lines[index]
        if fenced and FENCE_END.match(line):
            index += 1
            break
        key_match = KEY_LINE.match(line)
        continuation = CONTINUATION_LINE.match(line) if last_key else None
        if key_match:
            last_key = key_match["key"].lower()
            if last_key in metadata:
                report.add(index + 1, last_key, "appears twice; keep one")
            metadata[last_key] = key_match["value"]
            metadata.key_lines[last_key] = index + 1
        elif last_key and not metadata[last_key] and YAML_ITEM.match(line):
            items = []
            first_item = index + 1
            while index < len(lines) and (item := YAML_ITEM.match(lines[index])):
                items.append(item["item"].strip("'\""))
                index += 1
            report.add(
                first_item,
                last_key,
                "is written as a list, one item a line, which ends the front "
                f"matter here; write `{last_key.capitalize()}: "
                f"{', '.join(items)}` on one line",
                topic=FOREIGN_TOPIC,
            )
            # Read on as if written on one line, so the rest is checked too.
            metadata[last_key] = ", ".join(items)
            continue
        elif continuation and line.strip():
            # Lines stay separate: list fields may take one item per line.
            metadata[last_key] = (
                f"{metadata[last_key]}\n{continuation['value']}".strip()
            )
        else:
            break
        index += 1
    body = tuple((number, text) for number, text in enumerate(lines[index:], index + 1))
    header = tuple(enumerate(lines[:index], 1))
    return MarkdownSource(metadata, body, header)
