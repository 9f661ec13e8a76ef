"""Build cache plugin: caches keyed by a fingerprint of settings, theme and code."""

from .build_cache import cache_folder, fingerprint, register

__all__ = ["cache_folder", "fingerprint", "register"]
