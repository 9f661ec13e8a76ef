"""Assets plugin: one hashed, minified stylesheet and the hosts' _headers file."""

from .assets import register

__all__ = ["register"]
