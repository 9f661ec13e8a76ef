"""The assets plugin's settings: the stylesheet bundle and how long pages are cached.

The policy those lifetimes belong to is headers.py's; its defaults are the
ones filled in here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .headers import CSS_BUNDLE, HTML_MAX_AGE

DEFAULTS = {
    # Theme-relative: the stylesheet whose @imports make the bundle.
    "ASSETS_CSS_ENTRY": "static/css/site.css",
    # Where the bundle is written; {hash} makes its name change with its content.
    "ASSETS_CSS_OUTPUT": CSS_BUNDLE,
    # Seconds browsers and CDNs may keep a page (and any file not hash-named).
    "ASSETS_HTML_MAX_AGE": HTML_MAX_AGE,
}


def problems(settings: Mapping[str, Any]) -> dict[str, str]:
    """Map each setting of this plugin whose value cannot work to what to use."""
    found = {}
    if "{hash}" not in str(settings["ASSETS_CSS_OUTPUT"]):
        found["ASSETS_CSS_OUTPUT"] = (
            f"ASSETS_CSS_OUTPUT is {settings['ASSETS_CSS_OUTPUT']!r}; it must "
            "contain {hash}, so that a changed stylesheet gets a new name, "
            f"e.g. {CSS_BUNDLE!r}"
        )
    age = settings["ASSETS_HTML_MAX_AGE"]
    if isinstance(age, bool) or not isinstance(age, int) or age < 0:
        found["ASSETS_HTML_MAX_AGE"] = (
            f"ASSETS_HTML_MAX_AGE is {age!r}; use a number of seconds, "
            f"e.g. {HTML_MAX_AGE}"
        )
    return found
