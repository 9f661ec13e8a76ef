"""Theme filters plugin: the Jinja filters and tests of our templates, in one module."""

from .theme_filters import (
    PREVIEW_ONLY,
    plain_text,
    publication_status,
    register,
    typographic_text,
)

__all__ = [
    "PREVIEW_ONLY",
    "plain_text",
    "publication_status",
    "register",
    "typographic_text",
]
