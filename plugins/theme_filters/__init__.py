"""Theme filters plugin: the Jinja filters our templates use, in one module."""

from .theme_filters import plain_text, register

__all__ = ["plain_text", "register"]
