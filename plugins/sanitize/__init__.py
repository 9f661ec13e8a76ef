"""Sanitize plugin: one reader of content, and writer HTML made inert."""

from .policy import REFUSED_TAGS, clean_html, is_remote, srcset_urls
from .sanitize import MARKDOWN_EXTENSIONS, SafeMarkdownReader, register, with_catalogues

__all__ = [
    "MARKDOWN_EXTENSIONS",
    "REFUSED_TAGS",
    "SafeMarkdownReader",
    "clean_html",
    "is_remote",
    "register",
    "srcset_urls",
    "with_catalogues",
]
