"""The disclosure beside each testimonial: its own facts, then the clinic's text.

Each piece has one owner: how, when and any material connection come from
the testimonial's `collection:` block (content_schema.schema.Collection); the
words around them from the theme's catalogue (`testimonial.disclosure.*`,
`testimonial.method.*`); what holds for every testimonial ("Individual results
vary…") from the TESTIMONIALS_DISCLOSURE setting, in the page's language.

`compose` builds the text from those pieces and is what the tests call;
`testimonial_disclosure(testimonial)` is the Jinja global the card uses.
"""

from __future__ import annotations

from collections.abc import Callable
import datetime as dt

from content_schema.placeholders import PLACEHOLDER
from content_schema.schema import NO_CONNECTION
from jinja2 import pass_context
from markupsafe import Markup, escape


def compose(
    testimonial,
    translate: Callable[..., Markup],
    date_text: Callable[[dt.date], str],
    general: str,
) -> Markup:
    """Return the testimonial's disclosure as HTML, every writer's value escaped.

    `translate(key, **values)` returns a catalogue string with `values`
    escaped into it (the i18n plugin's `t`); `date_text` writes a date as the
    page's language does; `general` is the clinic's text for every testimonial.
    A method still to fill in (a preview only: publishing refuses it) shows as
    the placeholder, never as an invented method.
    """
    collection = testimonial.collection
    if collection.description:
        how = escape(collection.description)
    elif collection.method:
        how = translate(f"testimonial.method.{collection.method.replace(' ', '_')}")
    else:
        how = escape(PLACEHOLDER)
    if collection.date:
        source = translate(
            "testimonial.disclosure.dated", how=how, date=date_text(collection.date)
        )
    else:
        source = translate("testimonial.disclosure.undated", how=how)
    connection = (collection.material_connection or PLACEHOLDER).strip()
    if connection.lower() == NO_CONNECTION:
        tie = translate("testimonial.disclosure.no_connection")
    else:
        tie = translate("testimonial.disclosure.connection", connection=connection)
    pieces = [source, tie]
    if general.strip():
        pieces.append(escape(general.strip()))
    return Markup(" ").join(pieces)


@pass_context
def testimonial_disclosure(context, testimonial) -> Markup:
    """The card's disclosure in the language of the page being rendered."""

    def translate(key: str, **values) -> Markup:
        return context.call(context["t"], key, **values)

    def date_text(when: dt.date) -> str:
        return context.call(context["local_date"], when)

    general = context.call(context["localized"], "TESTIMONIALS_DISCLOSURE")
    return compose(testimonial, translate, date_text, general)


def add_global(generator) -> None:
    """Give the generator's templates `testimonial_disclosure(testimonial)`."""
    generator.env.globals["testimonial_disclosure"] = testimonial_disclosure
