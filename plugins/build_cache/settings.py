"""The build cache's settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULTS = {
    # Fingerprint folders kept under CACHE_PATH, the most recently used first.
    "BUILD_CACHE_KEEP": 3,
    # Processes that read uncached sources before the build (prewarm.py);
    # 0 means one per core, 1 reads them in the build itself.
    "BUILD_CACHE_PROCESSES": 0,
    # Fewer uncached sources than this are read in the build itself: starting
    # the workers would cost more than it saves.
    "BUILD_CACHE_PREWARM_MIN": 40,
}


def problems(settings: Mapping[str, Any]) -> dict[str, str]:
    """Map each setting of this plugin whose value cannot work to what to use."""
    found = {}
    for name, least in (
        ("BUILD_CACHE_KEEP", 1),
        ("BUILD_CACHE_PROCESSES", 0),
        ("BUILD_CACHE_PREWARM_MIN", 0),
    ):
        value = settings[name]
        if isinstance(value, bool) or not isinstance(value, int) or value < least:
            found[name] = f"{name} is {value!r}; use a whole number of at least {least}"
    return found
