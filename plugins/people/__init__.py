"""People plugin: author and reviewer profiles, and the reviewers' pages."""

from .people import register

__all__ = ["register"]
