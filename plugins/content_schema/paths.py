"""Where a content file's links lead, and how files are named to writers.

The plugins that rewrite links (images) and the check of `Image:` resolve a
path here, as Pelican does: from content/ when it starts with `/`, else from
the folder of the file that holds it. The links of a text are found and
judged where Pelican reads them (containment.py), never in the source.
Messages name files relative to the folder that holds content/, e.g.
`content/articles/first-visit.md`.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path, PurePosixPath

MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")


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


def closest_file(content: Path, target: Path) -> Path | None:
    """Return the file in content/ whose name is closest to missing `target`, or None.

    Its own folder is searched first, then all of content/ by file name (an
    image saved in the wrong folder, or a name with a slip in it).
    """
    folder = target.parent
    if folder.is_dir() and folder.is_relative_to(content):
        near = [path.name for path in folder.iterdir() if path.is_file()]
        close = difflib.get_close_matches(target.name, near, n=1, cutoff=0.6)
        if close:
            return folder / close[0]
    everywhere = {
        path.name: path
        for path in sorted(content.rglob("*"))
        if path.is_file() and path.suffix not in (*MARKDOWN_EXTENSIONS, ".yaml", ".yml")
    }
    close = difflib.get_close_matches(target.name, list(everywhere), n=1, cutoff=0.6)
    return everywhere[close[0]] if close else None


def link_to(content: Path, source: Path, written: str, found: Path) -> str:
    """Write a link to `found` the way `written` was written (absolute or relative)."""
    if written.startswith("/"):
        return "/" + found.relative_to(content).as_posix()
    return Path(os.path.relpath(found, Path(source).parent)).as_posix()
