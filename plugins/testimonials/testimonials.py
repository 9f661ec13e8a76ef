"""Testimonials: place patient testimonials in articles and list them on one page.

Contract for templates:
- `testimonials` (global): every testimonial this build shows, a tuple sorted
  by id, each a frozen `content_schema.Testimonial` whose `consent_blocker`
  says why it may not be published yet (None when it may). Unless
  TESTIMONIALS_WITHOUT_CONSENT is "preview", a testimonial with a blocker is
  left out here, so no page, feed, search index or JSON-LD can show it.
- `article.testimonials` / `page.testimonials`: the testimonials the item lists
  in its `Testimonials:` metadata, in the order listed (an empty tuple if none).
- `testimonials.html` renders the testimonials page at TESTIMONIALS_SAVE_AS.
- `testimonial_disclosure(testimonial)` (global): the disclosure beside a card,
  composed from its `collection:` fields and TESTIMONIALS_DISCLOSURE
  (disclosure.py).

An item's testimonials appear where its Markdown has a paragraph holding only
`[testimonials]`, or after its text when it has no such marker. When none of
the listed testimonials is shown, the marker paragraph is removed.

Loading and validation are the content_schema plugin's job: it runs when
Pelican starts, before this generator, stops the build on any problem (bad
YAML, unknown ids, placeholders in what would be published, and consent too
when TESTIMONIALS_WITHOUT_CONSENT is "refuse"), and keeps the records, whose
consent it has judged, for this generator. content_schema must come first in
PLUGINS, since this module imports it.
"""

from __future__ import annotations

from dataclasses import replace

from content_schema import RENDERED_TESTIMONIALS_MARKER, front_matter, loaded
from content_schema.settings import fill_in
from pelican import signals
from pelican.generators import Generator
from theme_filters import typographic_text

from .disclosure import add_global
from .settings import DEFAULTS, problems

# Rendered in place of the marker; the same partial the testimonials page uses.
LIST_TEMPLATE = "partials/testimonial_list.html"


# The fields that are prose, set like article text; the id and the condition
# (a declared term) stay as typed.
PROSE_FIELDS = ("name", "place", "quote")


def typeset(testimonial, settings):
    """Return `testimonial` with its prose typographic, as Typogrify sets articles.

    Plain text stays plain text (templates escape it); without TYPOGRIFY the
    testimonial is returned unchanged.
    """
    if not settings["TYPOGRIFY"]:
        return testimonial
    dashes = settings["TYPOGRIFY_DASHES"]
    return replace(
        testimonial,
        **{
            field: typographic_text(getattr(testimonial, field), dashes)
            for field in PROSE_FIELDS
        },
    )


def set_defaults(pelican) -> None:
    """Fill in plugin settings the site did not set; name any that cannot work."""
    fill_in(pelican.settings, "testimonials", DEFAULTS, problems)


class TestimonialsGenerator(Generator):
    """Loads testimonials, places them in articles and pages, writes their page.

    All state lives on the instance: Pelican makes a new generator per run, so
    nothing leaks between autoreload runs or test builds.
    """

    def generate_context(self) -> None:
        """Take the loaded testimonials, leave out the withheld, place the rest."""
        testimonials = tuple(loaded(self.settings).testimonials.values())
        if self.settings["TESTIMONIALS_WITHOUT_CONSENT"] != "preview":
            # content_schema has named each one left out, with its reason.
            testimonials = tuple(t for t in testimonials if t.consent_blocker is None)
        testimonials = tuple(typeset(t, self.settings) for t in testimonials)
        by_id = {t.id: t for t in testimonials}
        for item in self.context["generated_content"].values():
            self._place(item, by_id)
        self.context["testimonials"] = testimonials

    def generate_output(self, writer) -> None:
        """Write the page that lists every testimonial."""
        writer.write_file(
            self.settings["TESTIMONIALS_SAVE_AS"],
            self.get_template("testimonials"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.settings["TESTIMONIALS_URL"],
        )

    def _place(self, item, by_id) -> None:
        """Resolve the item's testimonial ids and render them into its text."""
        meta = front_matter(self.settings, item)
        ids = meta.testimonials if meta is not None else ()
        item.testimonials = tuple(by_id[i] for i in ids if i in by_id)
        text = item._content or ""
        if not item.testimonials:
            # Every listed one is withheld: the marker must not show as text.
            item._content = RENDERED_TESTIMONIALS_MARKER.sub("", text, count=1)
            return
        rendered = self.env.get_template(LIST_TEMPLATE).render(
            self.context, testimonials=item.testimonials
        )
        # Content is not rendered by Pelican until the writer asks for it, so
        # the list becomes part of what pages and feeds show.
        if RENDERED_TESTIMONIALS_MARKER.search(text):
            item._content = RENDERED_TESTIMONIALS_MARKER.sub(
                lambda _match: rendered, text, count=1
            )
        else:
            item._content = text + rendered


def get_generators(_pelican) -> type[TestimonialsGenerator]:
    """Hand Pelican our generator class."""
    return TestimonialsGenerator


def register() -> None:
    """Connect the plugin to Pelican."""
    # Defaults must exist before any generator reads settings.
    signals.initialized.connect(set_defaults)
    # A generator (rather than a content signal) runs after articles and pages
    # are read, so it can place testimonials in them, and before any is written.
    signals.get_generators.connect(get_generators)
    # Every generator with templates: articles, pages and ours show cards.
    signals.generator_init.connect(add_global)
