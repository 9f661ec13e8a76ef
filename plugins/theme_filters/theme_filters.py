"""Jinja filters for the theme, registered on every generator's environment.

Pelican does not autoescape, and Typogrify turns titles and summaries into
HTML. Filters here turn such values into what each place in a page needs.
"""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape
from pelican import signals


def plain_text(value: object) -> str:
    """Return HTML `value` as the text a reader sees, unescaped.

    Tags are removed, entities decoded (Typogrify's `&nbsp;` included, as a plain
    space) and whitespace collapsed. Other plugins call this for JSON-LD and
    headings, so every place turns Typogrify's HTML into text the same way.
    """
    return Markup(str(value or "")).striptags().replace("\u00a0", " ")


def plain(value: object) -> Markup:
    """Return `value` as escaped plain text, for `<title>`, meta tags and attributes."""
    return escape(plain_text(value))


def scheduled(item: object) -> bool:
    """Test whether an article is dated in the future: `{% if article is scheduled %}`.

    Only development builds contain such articles: publish builds leave them
    out until a build runs on or after their date.
    """
    date = getattr(item, "date", None)
    if not isinstance(date, dt.datetime):
        return False
    return date > dt.datetime.now(tz=date.tzinfo)


FILTERS = {"plain": plain}
TESTS = {"scheduled": scheduled}


def add_filters(generator) -> None:
    """Make the theme filters and tests available to the generator's templates."""
    generator.env.filters.update(FILTERS)
    generator.env.tests.update(TESTS)


def register() -> None:
    """Connect the plugin to Pelican."""
    # generator_init fires for every generator with a Jinja environment (ours
    # included), before any template is loaded.
    signals.generator_init.connect(add_filters)
