"""The search plugin's settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULTS = {
    # False: no index (the development server indexes after the reload).
    "SEARCH_INDEX": True,
    # The folder of the output Pagefind writes into; the search page loads it.
    "SEARCH_INDEX_DIR": "pagefind",
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
    return found
