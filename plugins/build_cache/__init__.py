"""Build cache plugin: caches keyed by a fingerprint of settings, theme and code."""

from .build_cache import (
    NOTICES_LOGGER,
    cache_folder,
    fingerprint,
    register,
    shared_cache_folder,
)

__all__ = [
    "NOTICES_LOGGER",
    "cache_folder",
    "fingerprint",
    "register",
    "shared_cache_folder",
]
