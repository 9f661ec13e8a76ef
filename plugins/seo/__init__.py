"""SEO plugin: JSON-LD structured data and robots.txt."""

from .seo import register

__all__ = ["register"]
