"""Search plugin: a Pagefind index of the published articles and pages."""

from .search import register

__all__ = ["register"]
