"""Content schema plugin: check all content before Pelican reads any of it.

The build then stops with every problem of the content listed together, in
the same words as `make check`, instead of Pelican's first error.
"""

from __future__ import annotations

import logging

from pelican import signals

from .check import DEFAULT_SETTINGS, check_content
from .problems import ContentError

# What a writer should know that must not stop the build: withheld testimonials
# and placeholders still to fill in. Logged at INFO, because Pelican's
# `--fatal warnings` turns every WARNING into a stop; the build runner
# (tasks.run_pelican) prints this logger's records as `warning:` lines.
NOTICES_LOGGER = "content_schema.notices"
notices = logging.getLogger(NOTICES_LOGGER)


def check_before_build(pelican) -> None:
    """Fill in this plugin's defaults, check the content, stop on any problem."""
    for key, value in DEFAULT_SETTINGS.items():
        pelican.settings.setdefault(key, value)
    result = check_content(pelican.settings)
    if result.problems:
        # The problems alone: they are what the writer must fix first.
        raise ContentError(result.problems)
    withheld = (
        "withheld (shown in this preview only)"
        if result.consent_policy == "preview"
        else "withheld (left out of this build)"
    )
    for finding in result.withheld:
        notices.info("%s: %s", withheld, finding)
    for finding in result.todos:
        notices.info("todo: %s", finding)


def register() -> None:
    """Connect the plugin to Pelican."""
    # `initialized` fires before any generator reads content, so our messages
    # come first and the build stops before Pelican's own, vaguer errors.
    signals.initialized.connect(check_before_build)
