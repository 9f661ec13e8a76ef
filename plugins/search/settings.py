"""The search plugin's settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULTS = {
    # False: no index (the development server indexes after the reload).
    "SEARCH_INDEX": True,
    # The folder of the output Pagefind writes into; the search page loads it.
    "SEARCH_INDEX_DIR": "pagefind",
    # Pages per Pagefind run: Pagefind holds every page it indexes in memory
    # (about 0.13 MiB each), so a larger site is indexed in parts of this
    # many pages, which the search page merges (search.js).
    "SEARCH_PAGES_PER_INDEX": 1000,
}


def problems(settings: Mapping[str, Any]) -> dict[str, str]:
    """Map each setting of this plugin whose value cannot work to what to use."""
    found = {}
    if not isinstance(settings["SEARCH_INDEX"], bool):
        found["SEARCH_INDEX"] = (
            f"SEARCH_INDEX is {settings['SEARCH_INDEX']!r}; use True or False"
        )
    folder = settings["SEARCH_INDEX_DIR"]
    if not isinstance(folder, str) or not folder or "/" in folder or folder == "..":
        found["SEARCH_INDEX_DIR"] = (
            f"SEARCH_INDEX_DIR is {folder!r}; use one folder name, e.g. 'pagefind'"
        )
    per_index = settings["SEARCH_PAGES_PER_INDEX"]
    if isinstance(per_index, bool) or not isinstance(per_index, int) or per_index < 1:
        found["SEARCH_PAGES_PER_INDEX"] = (
            f"SEARCH_PAGES_PER_INDEX is {per_index!r}; use a whole number of at "
            "least 1, e.g. 1000"
        )
    return found
