"""Theme filters plugin: the Jinja filters our templates use, in one module."""

from .theme_filters import register

__all__ = ["register"]
