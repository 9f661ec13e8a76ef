"""The navigation plugin's settings: related articles, reading time, contents."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULTS = {
    "RELATED_ARTICLES_COUNT": 3,
    # Candidates looked at per shared tag: bounds the cost on large sites.
    "RELATED_CANDIDATES_PER_TAG": 50,
    "READING_WORDS_PER_MINUTE": 200,
    # An article gets a table of contents from this many sections (h2) up.
    "TOC_MIN_SECTIONS": 3,
}


def problems(settings: Mapping[str, Any]) -> dict[str, str]:
    """Map each setting of this plugin whose value cannot work to what to use."""
    return {
        name: f"{name} is {settings[name]!r}; use a whole number of at least 1, "
        f"e.g. {DEFAULTS[name]}"
        for name in DEFAULTS
        if isinstance(settings[name], bool)
        or not isinstance(settings[name], int)
        or settings[name] < 1
    }
