"""Testimonials plugin: YAML testimonials with a schema and a consent gate."""

from .testimonials import register

__all__ = ["register"]
