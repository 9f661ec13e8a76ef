"""Search plugin: a Pagefind index of the published articles and pages."""

from .search import index_site, register

__all__ = ["index_site", "register"]
