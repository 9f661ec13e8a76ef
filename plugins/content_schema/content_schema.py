"""Content schema plugin: check all content before Pelican reads any of it.

The build then stops with every problem of the content listed together, in
the same words as `make check`, instead of Pelican's first error.
"""

from __future__ import annotations

import logging

from pelican import signals

from .check import DEFAULT_SETTINGS, check_content
from .problems import ContentError

logger = logging.getLogger(__name__)


def check_before_build(pelican) -> None:
    """Fill in this plugin's defaults, check the content, stop on any problem."""
    for key, value in DEFAULT_SETTINGS.items():
        pelican.settings.setdefault(key, value)
    result = check_content(pelican.settings)
    for note in result.notes:
        logger.info("content_schema: %s", note)
    if result.problems:
        raise ContentError(result.problems)


def register() -> None:
    """Connect the plugin to Pelican."""
    # `initialized` fires before any generator reads content, so our messages
    # come first and the build stops before Pelican's own, vaguer errors.
    signals.initialized.connect(check_before_build)
