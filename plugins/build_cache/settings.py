"""The build cache's settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULTS = {
    # Fingerprint folders kept under CACHE_PATH, the most recently used first.
    "BUILD_CACHE_KEEP": 3,
}


def problems(settings: Mapping[str, Any]) -> dict[str, str]:
    """Map each setting of this plugin whose value cannot work to what to use."""
    keep = settings["BUILD_CACHE_KEEP"]
    if isinstance(keep, bool) or not isinstance(keep, int) or keep < 1:
        return {
            "BUILD_CACHE_KEEP": f"BUILD_CACHE_KEEP is {keep!r}; use a whole number "
            "of at least 1"
        }
    return {}
