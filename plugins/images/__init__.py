"""Images plugin: responsive content images and social cards."""

from .images import register

__all__ = ["register"]
