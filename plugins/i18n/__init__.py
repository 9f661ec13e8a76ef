"""i18n plugin: languages of content, the theme's string catalogues, translations."""

from .i18n import register

__all__ = ["register"]
