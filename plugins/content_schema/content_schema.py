"""Content schema plugin: check all content before Pelican reads any of it.

The build then stops with every problem of the content listed together, in
the same words as `make check`, instead of Pelican's first error. The records
loaded for the check stay in the run's settings (loaders.RECORDS_SETTING), so
the plugins that shape pages from them parse nothing again.
"""

from __future__ import annotations

import datetime as dt
import logging

from pelican import signals

from .check import check_loaded
from .containment import note_links, refuse_escapes
from .loaders import RECORDS_SETTING, load_content
from .problems import ContentError
from .settings import DEFAULTS
from .slugs import cap_generated_slug

# What a writer should know that must not stop the build: withheld testimonials
# and placeholders still to fill in. Logged at INFO, because Pelican's
# `--fatal warnings` turns every WARNING into a stop; the build runner
# (tools/build.py) prints this logger's records as `warning:` lines.
NOTICES_LOGGER = "content_schema.notices"
notices = logging.getLogger(NOTICES_LOGGER)


def check_before_build(pelican) -> None:
    """Fill in this plugin's defaults, load and check the content, stop on any problem.

    The build's one clock: consent and review dates are judged as of today.
    """
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    content = load_content(pelican.settings, dt.date.today())
    # Links are judged where Pelican resolves them (containment.py), on the
    # texts the build reads anyway; only a build that stops here reads them
    # now, as make check does, so that one run still names every problem.
    result = check_loaded(content, links=False)
    pelican.settings[RECORDS_SETTING] = content
    if result.problems:
        # The problems alone: they are what the writer must fix first.
        raise ContentError(check_loaded(content, links=True).problems)
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
    # Before any generator asks an article for its address: a slug made from
    # a long title is capped here, the way the check already judged it.
    signals.content_object_init.connect(cap_generated_slug)
    # Right after the reader and before any plugin rewrites the text: the
    # links as Pelican will resolve them, judged once per article and page.
    signals.content_object_init.connect(note_links)
    # The static generator knows every file it will copy (linked from a text
    # or found in STATIC_PATHS), and nothing is written yet: the last gate.
    signals.static_generator_finalized.connect(refuse_escapes)
