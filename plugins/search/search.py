"""Search: index the finished site with Pagefind, once every page is written.

Contract:
- Templates choose what is searchable: Pagefind indexes only elements marked
  `data-pagefind-body` (article.html and page.html mark published articles
  and pages; drafts, scheduled posts, lists and tag pages carry no mark), skips
  elements marked `data-pagefind-ignore`, and titles each result with
  `data-pagefind-meta="title:…"` (the plain title, without Typogrify's markup).
- The index is written to OUTPUT_PATH/SEARCH_INDEX_DIR (default `pagefind/`),
  which the search page's script loads.
- Pagefind's ready-made interfaces (`pagefind-*ui*`, `pagefind-highlight.js`)
  are deleted: the search page draws its own results with `pagefind.js`.
- SEARCH_INDEX = False leaves the index out (the page then says search is
  unavailable).
- When Pagefind fails, or finds nothing to index, the build logs an error,
  which a `--fatal warnings` build turns into a failed build.
"""

from __future__ import annotations

import logging
from pathlib import Path
import shutil
import subprocess
import sys

from content_schema.settings import fill_in
from pelican import signals

from .settings import DEFAULTS, problems

log = logging.getLogger(__name__)

# Bundles Pagefind writes for sites that use its own interface; ours does not.
UNUSED_BUNDLES = ("pagefind-*ui.*", "pagefind-highlight.js")


def pagefind_command(site: Path, index_dir: str, language: str) -> list[str]:
    """Return the command that indexes `site` into `site/index_dir`.

    Every page goes into one index, in `language` (the site's DEFAULT_LANG):
    Pagefind would otherwise make one index per `<html lang>`, and the one
    search page would never find a translation or an article in another
    language.
    """
    # The PyPI package ships the binary and no console script: run the module
    # with this interpreter, so the venv's copy is the one used.
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site),
        "--output-subdir",
        index_dir,
        "--force-language",
        language,
        "--quiet",
    ]


def set_defaults(pelican) -> None:
    """Fill in plugin settings the site did not set; name any that cannot work."""
    fill_in(pelican.settings, "search", DEFAULTS, problems)


def index_site(site: Path, index_dir: str, language: str) -> str:
    """Index the finished site in `site`, in `language`; return "" or what went wrong.

    The index is written beside the current one and then takes its place, so
    a site being served keeps answering searches meanwhile: the development
    server indexes after the browser has reloaded (tasks.py livereload).
    """
    fresh, current = site / f"{index_dir}.new", site / index_dir
    shutil.rmtree(fresh, ignore_errors=True)
    result = subprocess.run(
        pagefind_command(site, fresh.name, language),
        capture_output=True,
        text=True,
        check=False,
    )
    report = (result.stderr + result.stdout).strip()
    if result.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        return f"Pagefind failed (exit {result.returncode}): {report}"
    if not (fresh / "pagefind-entry.json").is_file():
        shutil.rmtree(fresh, ignore_errors=True)
        return f"Pagefind wrote no index into {current}: {report}"
    for pattern in UNUSED_BUNDLES:
        for unused in fresh.glob(pattern):
            unused.unlink()
    # Two renames, then the slow delete: searches meanwhile find an index.
    stale = site / f"{index_dir}.old"
    shutil.rmtree(stale, ignore_errors=True)
    if current.exists():
        current.rename(stale)
    fresh.rename(current)
    shutil.rmtree(stale, ignore_errors=True)
    return ""


def build_index(pelican) -> None:
    """Run Pagefind over the written site; log an error when it fails."""
    if not pelican.settings["SEARCH_INDEX"]:
        return
    problem = index_site(
        Path(pelican.settings["OUTPUT_PATH"]),
        pelican.settings["SEARCH_INDEX_DIR"],
        pelican.settings["DEFAULT_LANG"],
    )
    if problem:
        log.error("Search index: %s", problem)


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(set_defaults)
    # `finalized` comes after every page is written. HTML minification also
    # runs then, in either order: it rewrites markup, not the indexed text.
    signals.finalized.connect(build_index)
