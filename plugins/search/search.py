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
import subprocess
import sys

from pelican import signals

log = logging.getLogger(__name__)

# Bundles Pagefind writes for sites that use its own interface; ours does not.
UNUSED_BUNDLES = ("pagefind-*ui.*", "pagefind-highlight.js")

DEFAULTS = {
    "SEARCH_INDEX": True,
    "SEARCH_INDEX_DIR": "pagefind",
}


def pagefind_command(site: Path, index_dir: str) -> list[str]:
    """Return the command that indexes `site` into `site/index_dir`."""
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
        "--quiet",
    ]


def set_defaults(pelican) -> None:
    """Fill in plugin settings the site did not set."""
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


def build_index(pelican) -> None:
    """Run Pagefind over the written site; log an error when it fails."""
    if not pelican.settings["SEARCH_INDEX"]:
        return
    site = Path(pelican.settings["OUTPUT_PATH"])
    index_dir = pelican.settings["SEARCH_INDEX_DIR"]
    result = subprocess.run(
        pagefind_command(site, index_dir),
        capture_output=True,
        text=True,
        check=False,
    )
    report = (result.stderr + result.stdout).strip()
    if result.returncode != 0:
        log.error(
            "Search index: Pagefind failed (exit %s): %s", result.returncode, report
        )
        return
    if not (site / index_dir / "pagefind-entry.json").is_file():
        log.error(
            "Search index: Pagefind wrote no index into %s: %s",
            site / index_dir,
            report,
        )
        return
    for pattern in UNUSED_BUNDLES:
        for unused in (site / index_dir).glob(pattern):
            unused.unlink()


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(set_defaults)
    # `finalized` comes after every page is written. HTML minification also
    # runs then, in either order: it rewrites markup, not the indexed text.
    signals.finalized.connect(build_index)
