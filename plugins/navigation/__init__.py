"""Navigation plugin: related articles, neighbours, reading time, table of contents."""

from .navigation import register

__all__ = ["register"]
