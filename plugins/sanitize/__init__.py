"""Sanitize plugin: one reader of content, and writer HTML made inert."""

from .policy import REFUSED_TAGS, Removed, clean_html, is_remote, srcset_urls
from .sanitize import (
    MARKDOWN_EXTENSIONS,
    REMOVED_METADATA,
    SafeMarkdownReader,
    register,
    with_catalogues,
)

__all__ = [
    "MARKDOWN_EXTENSIONS",
    "REFUSED_TAGS",
    "REMOVED_METADATA",
    "Removed",
    "SafeMarkdownReader",
    "clean_html",
    "is_remote",
    "register",
    "srcset_urls",
    "with_catalogues",
]
