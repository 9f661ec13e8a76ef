"""Health plugin: citations, medical review, crisis resources, off-label notes."""

from .health import register

__all__ = ["register"]
