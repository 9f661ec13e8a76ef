"""Where a content file's links lead, and how files are named to writers.

Both the check and the plugins that rewrite links (images) resolve links
here, as Pelican does: from content/ when the link starts with `/`, else from
the folder of the file that holds it. Messages name files relative to the
folder that holds content/, e.g. `content/articles/first-visit.md`.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
import re

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
# `{filename}path`, `{static}path` or `{attach}path`, as written in Markdown.
INTRASITE_LINK = re.compile(
    r"\{(?P<what>filename|static|attach)\}(?P<path>[^\s\"')#?]+)"
)


def resolve_link(content: Path, source: Path, link: str) -> Path:
    """Return the absolute file `link`, written in `source`, names.

    `content` is the resolved content folder; a `#fragment` or `?query` is
    not part of the file.
    """
    link = link.split("#", 1)[0].split("?", 1)[0]
    base = content if link.startswith("/") else Path(source).parent
    return (base / PurePosixPath(link.lstrip("/"))).resolve()


def display_path(content: Path, path: Path | str) -> str:
    """Name `path` as writers see it: relative to the folder holding `content`."""
    try:
        return Path(path).resolve().relative_to(content.parent).as_posix()
    except ValueError:
        return str(path)
