"""Jinja filters for the theme, registered on every generator's environment.

Pelican does not autoescape, and Typogrify turns titles and summaries into
HTML. Filters here turn such values into what each place in a page needs.
"""

from __future__ import annotations

from markupsafe import Markup, escape
from pelican import signals


def plain(value: object) -> Markup:
    """Return `value` as escaped plain text, for `<title>`, meta tags and attributes.

    Tags are removed, entities decoded (Typogrify's `&nbsp;` included, as a plain
    space) and whitespace collapsed, then the text is escaped again.
    """
    text = Markup(str(value or "")).striptags().replace("\u00a0", " ")
    return escape(text)


FILTERS = {"plain": plain}


def add_filters(generator) -> None:
    """Make the theme filters available to the generator's templates."""
    generator.env.filters.update(FILTERS)


def register() -> None:
    """Connect the plugin to Pelican."""
    # generator_init fires for every generator with a Jinja environment (ours
    # included), before any template is loaded.
    signals.generator_init.connect(add_filters)
