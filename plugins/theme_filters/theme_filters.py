"""Jinja filters and tests for the theme, registered on every generator's environment.

Pelican does not autoescape, and Typogrify turns titles and summaries into
HTML. Filters here turn such values into what each place in a page needs.
Tests here answer "is this published" for templates, the same way plugins ask
`publication_status`.
"""

from __future__ import annotations

from collections.abc import Callable
import datetime as dt
import html

from markupsafe import Markup, escape
from pelican import signals
import smartypants
import typogrify.filters

# What `publication_status` can say; the theme has a Jinja test for each.
PUBLICATION_STATUSES = ("published", "hidden", "draft", "scheduled")
# Statuses that only development builds contain: previews, not the public site.
PREVIEW_ONLY = frozenset({"draft", "scheduled"})


def plain_text(value: object) -> str:
    """Return HTML `value` as the text a reader sees, unescaped.

    Tags are removed, entities decoded (Typogrify's `&nbsp;` included, as a plain
    space) and whitespace collapsed. Other plugins call this for JSON-LD and
    headings, so every place turns Typogrify's HTML into text the same way.
    Only for HTML (titles, which the reader escapes; summaries; content):
    plain text such as SITENAME, authors or alt text is printed with `|e`,
    since stripping "tags" from it would cut `<0.5 mg/kg & the <b>` out.
    """
    return Markup(str(value or "")).striptags().replace("\u00a0", " ")


# smartypants' attribute sets for Pelican's TYPOGRIFY_DASHES values, as
# Pelican's reader chooses them for article text ("default" otherwise).
SMARTYPANTS_DASHES = {
    "oldschool": smartypants.Attr.set2,
    "oldschool_inverted": smartypants.Attr.set3,
}


def typographic_text(value: str, dashes: str = "default") -> str:
    """Return plain text `value` with the quotes, dashes and ellipses of article text.

    Text in, text out: what the writer typed stays (a `<b>` or `&amp;` is
    kept as typed), only straight quotes, apostrophes, `--`/`---` (as
    TYPOGRIFY_DASHES has them) and `...` become typographic. Typogrify does
    this to titles and Markdown; YAML text (testimonials) gets it from here.
    """
    # Escaped first, so smartypants sees no tags to skip; unescaping gives
    # back exactly the text that went in. Through Typogrify (its other
    # filters off), so the build cache's memo of Typogrify serves warm
    # builds; smartypants takes its options only from Attr.default, which
    # Pelican's reader sets globally too, so it is set for this call alone.
    saved = smartypants.Attr.default
    smartypants.Attr.default = (
        SMARTYPANTS_DASHES.get(dashes, smartypants.Attr.set1) | smartypants.Attr.u
    )
    try:
        curled = typogrify.filters.typogrify(
            html.escape(value, quote=False),
            amp=False,
            caps=False,
            initial_quotes=False,
            widont=False,
        )
    finally:
        smartypants.Attr.default = saved
    return html.unescape(curled)


def plain(value: object) -> Markup:
    """Return `value` as escaped plain text, for `<title>`, meta tags and attributes."""
    return escape(plain_text(value))


def iso_date(value: dt.date) -> str:
    """Return the day of a date or datetime as YYYY-MM-DD, for `<time datetime>`."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return day.isoformat()


def publication_status(item: object) -> str:
    """Return one of PUBLICATION_STATUSES for an article or page.

    "draft" for `Status: draft`, whatever the date; "scheduled" for an item
    dated in the future (hidden or not); otherwise its status, "published" or
    "hidden". Only development builds contain drafts and scheduled items:
    publish builds leave them out until a build runs on or after their date.
    This is the one place that decides; templates ask through the tests
    (`{% if item is published %}`), plugins call it.
    """
    status = getattr(item, "status", "published")
    if status == "draft":
        return "draft"
    date = getattr(item, "date", None)
    # Pages carry no date; a naive date is compared with the local clock.
    if isinstance(date, dt.datetime) and date > dt.datetime.now(tz=date.tzinfo):
        return "scheduled"
    return status


def _status_test(status: str) -> Callable[[object], bool]:
    def test(item: object) -> bool:
        return publication_status(item) == status

    test.__name__ = status
    test.__doc__ = f"Test whether `publication_status(item)` is {status!r}."
    return test


FILTERS = {"plain": plain, "iso_date": iso_date}
TESTS = {status: _status_test(status) for status in PUBLICATION_STATUSES}


def add_filters(generator) -> None:
    """Make the theme filters and tests available to the generator's templates."""
    generator.env.filters.update(FILTERS)
    generator.env.tests.update(TESTS)


def register() -> None:
    """Connect the plugin to Pelican."""
    # generator_init fires for every generator with a Jinja environment (ours
    # included), before any template is loaded.
    signals.generator_init.connect(add_filters)
