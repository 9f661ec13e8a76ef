"""Search: index the finished site with Pagefind, once every page is written.

Contract:
- Templates choose what is searchable: Pagefind indexes only elements marked
  `data-pagefind-body` (article.html and page.html mark published articles
  and pages; drafts, scheduled posts, lists and tag pages carry no mark), skips
  elements marked `data-pagefind-ignore`, and titles each result with
  `data-pagefind-meta="title:…"` (the plain title, without Typogrify's markup).
- The index is written to OUTPUT_PATH/SEARCH_INDEX_DIR (default `pagefind/`),
  which the search page's script loads. A site of more than
  SEARCH_PAGES_PER_INDEX searchable pages is indexed in parts, one Pagefind
  run each, so Pagefind's memory stays that of one part: the first part is
  the index itself, the others `part-1/`, `part-2/`… inside it, and
  `parts.json` (always written) lists them for the script to merge.
- Pagefind's ready-made interfaces (`pagefind-*ui*`, `pagefind-highlight.js`)
  are deleted: the search page draws its own results with `pagefind.js`.
- SEARCH_INDEX = False leaves the index out (the page then says search is
  unavailable).
- When Pagefind fails, or finds nothing to index, the build logs an error,
  which a `--fatal warnings` build turns into a failed build.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path
import shutil
import subprocess
import sys
import tempfile

from content_schema.settings import fill_in
from pelican import signals

from .settings import DEFAULTS, problems

log = logging.getLogger(__name__)

# Bundles Pagefind writes for sites that use its own interface; ours does not.
UNUSED_BUNDLES = ("pagefind-*ui.*", "pagefind-highlight.js")
# The list of the index's further parts, read by the search page's script.
PARTS_FILE = "parts.json"
# What marks a page searchable (see the contract).
BODY_MARK = b"data-pagefind-body"


def pagefind_command(
    site: Path, index_dir: str, language: str, output: Path | None = None
) -> list[str]:
    """Return the command that indexes `site` into `site/index_dir` (or `output`).

    Every page goes into one index, in `language` (the site's DEFAULT_LANG):
    Pagefind would otherwise make one index per `<html lang>`, and the one
    search page would never find a translation or an article in another
    language.
    """
    # The PyPI package ships the binary and no console script: run the module
    # with this interpreter, so the venv's copy is the one used.
    where = (
        ["--output-path", str(output)]
        if output is not None
        else ["--output-subdir", index_dir]
    )
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        *where,
        "--force-language",
        language,
        "--quiet",
    ]


def searchable_pages(site: Path, index_dir: str) -> list[Path]:
    """Return the site's pages Pagefind indexes: those marked searchable.

    When no page is marked, Pagefind indexes every page, and so do the parts.
    """
    pages = sorted(
        path
        for path in site.rglob("*.html")
        if not path.relative_to(site).parts[0].startswith(index_dir)
    )
    marked = [path for path in pages if BODY_MARK in _bytes_of(path)]
    return marked or pages


def _bytes_of(page: Path) -> bytes:
    """Return a page's bytes; none for one removed since it was listed."""
    try:
        return page.read_bytes()
    except FileNotFoundError:
        return b""


def set_defaults(pelican) -> None:
    """Fill in plugin settings the site did not set; name any that cannot work."""
    fill_in(pelican.settings, "search", DEFAULTS, problems)


def index_site(
    site: Path,
    index_dir: str,
    language: str,
    pages_per_index: int = 1000,
    low_priority: bool = False,
) -> str:
    """Index the finished site in `site`, in `language`; return "" or what went wrong.

    In parts of at most `pages_per_index` searchable pages (see the contract).
    With `low_priority`, Pagefind runs niced: the preview indexes while the
    writer's next save builds, and the build comes first.
    The index is written beside the current one and then takes its place, so
    a site being served keeps answering searches meanwhile: the development
    server indexes after the browser has reloaded (tasks.py livereload).
    """
    fresh, current = site / f"{index_dir}.new", site / index_dir
    shutil.rmtree(fresh, ignore_errors=True)
    pages = searchable_pages(site, index_dir)
    if len(pages) <= pages_per_index:
        runs = [(pagefind_command(site, fresh.name, language), fresh)]
        parts = []
    else:
        chunks = [
            pages[start : start + pages_per_index]
            for start in range(0, len(pages), pages_per_index)
        ]
        parts = [f"part-{number}/" for number in range(1, len(chunks))]
        runs = [
            (chunk, fresh / part if part else fresh)
            for chunk, part in zip(chunks, ["", *parts], strict=True)
        ]
    for run, into in runs:
        problem = (
            _run_pagefind(run, into, low_priority)
            if not parts
            else _index_part(site, run, into, index_dir, language, low_priority)
        )
        if problem:
            shutil.rmtree(fresh, ignore_errors=True)
            return problem
    (fresh / PARTS_FILE).write_text(json.dumps({"parts": parts}), encoding="utf-8")
    # Two renames, then the slow delete: searches meanwhile find an index.
    stale = site / f"{index_dir}.old"
    shutil.rmtree(stale, ignore_errors=True)
    if current.exists():
        current.rename(stale)
    fresh.rename(current)
    shutil.rmtree(stale, ignore_errors=True)
    return ""


def _index_part(
    site: Path,
    pages: list[Path],
    into: Path,
    index_dir: str,
    language: str,
    low_priority: bool,
) -> str:
    """Index `pages` of `site` alone into `into`; return "" or what went wrong.

    Pagefind indexes a folder: the part's pages are linked into a temporary
    one at their own paths, so each result keeps its address.
    """
    with tempfile.TemporaryDirectory(prefix=".pagefind-part-", dir=site.parent) as tmp:
        part_site = Path(tmp)
        for page in pages:
            linked = part_site / page.relative_to(site)
            linked.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(page, linked)
            except FileNotFoundError:
                continue  # removed since it was listed (the preview rebuilt)
            except OSError:  # another disk, or links refused: a copy does
                with contextlib.suppress(FileNotFoundError):
                    shutil.copyfile(page, linked)
        return _run_pagefind(
            pagefind_command(part_site, index_dir, language, output=into),
            into,
            low_priority,
        )


def _run_pagefind(command: list[str], into: Path, low_priority: bool = False) -> str:
    """Run one Pagefind command writing into `into`; return "" or what went wrong."""
    nice = shutil.which("nice") if low_priority else None
    if nice:
        command = [nice, "-n", "10", *command]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    report = (result.stderr + result.stdout).strip()
    if result.returncode != 0:
        return f"Pagefind failed (exit {result.returncode}): {report}"
    if not (into / "pagefind-entry.json").is_file():
        return f"Pagefind wrote no index into {into}: {report}"
    for pattern in UNUSED_BUNDLES:
        for unused in into.glob(pattern):
            unused.unlink()
    return ""


def build_index(pelican) -> None:
    """Run Pagefind over the written site; log an error when it fails."""
    if not pelican.settings["SEARCH_INDEX"]:
        return
    problem = index_site(
        Path(pelican.settings["OUTPUT_PATH"]),
        pelican.settings["SEARCH_INDEX_DIR"],
        pelican.settings["DEFAULT_LANG"],
        pelican.settings["SEARCH_PAGES_PER_INDEX"],
    )
    if problem:
        log.error("Search index: %s", problem)


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(set_defaults)
    # `finalized` comes after every page is written. HTML minification also
    # runs then, in either order: it rewrites markup, not the indexed text.
    signals.finalized.connect(build_index)
