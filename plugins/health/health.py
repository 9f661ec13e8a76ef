"""Health: citations, medical review status, crisis resources and off-label notes.

Contract for templates, for every article and page (`item`):
- `item.cited_references`: tuple of CitedReference in citation order; the text's
  `[@key]` markers are already numbered superscript links to them.
- `item.medical_review`: a MedicalReview, or None when not yet reviewed; its
  `text_changed` says the title, summary or text changed after the review
  (content_schema/review.py), and `updated` is then the `Modified:` date, if any.
- `item.shows_crisis_resources`: True for mental-health categories or tags
  (MENTAL_HEALTH_CATEGORIES, CRISIS_TAGS).
- `item.off_label_notes`: the OFF_LABEL_NOTES texts whose terms the item is
  about (its title, category or tags name them), in the item's language
  (LANGUAGE_SETTINGS, plugins/i18n) where the site gives them.
- `item.risks_notes`: the RISKS_NOTES texts chosen the same way, leaving out
  any the clinic's medical reviewer has not written yet (TO FILL IN).

Loading and validation (unknown keys and reviewers, review dates) are
content_schema's job, before any generator runs; this plugin only shapes its
records for the theme.
"""

from __future__ import annotations

from dataclasses import dataclass
import datetime as dt
import re

from content_schema import (
    CITATION,
    CITATION_KEY,
    Reference,
    Reviewer,
    ReviewState,
    front_matter,
    loaded,
    next_review_due,
)
from content_schema.editorial import notes_about
from content_schema.placeholders import is_placeholder as unfilled
from content_schema.settings import fill_in
from content_schema.slugs import same_names
from pelican import signals
from pelican.generators import Generator

from .settings import DEFAULTS, problems

CITATION_TEMPLATE = "partials/citation.html"


@dataclass(frozen=True)
class CitedReference:
    """A reference as numbered in one article, with the ids of its citations."""

    number: int
    reference: Reference
    citation_ids: tuple[str, ...]  # anchors of the superscripts, for back-links

    @property
    def anchor(self) -> str:
        """Return the id of the reference's entry in the list."""
        return f"reference-{self.number}"


@dataclass(frozen=True)
class MedicalReview:
    """A recorded medical review of an article."""

    reviewer: Reviewer
    date: dt.date
    next_due: dt.date
    # True when the text is not the one the reviewer read (review.py): the
    # page then says it was updated since, never "reviewed" alone.
    text_changed: bool = False
    updated: dt.date | None = None  # the `Modified:` date, when text_changed


def set_defaults(pelican) -> None:
    """Fill in plugin settings the site did not set; name any that cannot work."""
    fill_in(pelican.settings, "health", DEFAULTS, problems)


class HealthGenerator(Generator):
    """Numbers citations and attaches review, crisis and off-label data to content."""

    def generate_context(self) -> None:
        """Shape the health data of every article and page read in this run."""
        content = loaded(self.settings)
        references, reviewers = content.references, content.reviewers
        for item in self.context["generated_content"].values():
            self._number_citations(item, references)
            item.medical_review = self._review(item, reviewers)
            item.shows_crisis_resources = self._shows_crisis_resources(item)
            item.off_label_notes = self._notes(item, "OFF_LABEL_NOTES")
            item.risks_notes = tuple(
                text for text in self._notes(item, "RISKS_NOTES") if not unfilled(text)
            )

    def _notes(self, item, name: str) -> tuple[str, ...]:
        """Return the texts of setting `name` about the item, in its language."""
        notes = notes_about(
            self.settings,
            item.lang,
            name,
            getattr(item, "title", ""),
            getattr(item, "category", ""),
            getattr(item, "tags", ()),
        )
        return tuple(note["text"] for note in notes)

    def _number_citations(self, item, references: dict) -> None:
        numbers: dict[str, int] = {}
        citation_ids: dict[str, list[str]] = {}
        template = self.env.get_template(CITATION_TEMPLATE)

        def render(match: re.Match) -> str:
            cited = []
            for key in CITATION_KEY.findall(match["keys"]):
                if key not in references:
                    continue  # content_schema has already stopped such a build
                number = numbers.setdefault(key, len(numbers) + 1)
                anchor = (
                    f"citation-{number}-{len(citation_ids.setdefault(key, [])) + 1}"
                )
                citation_ids[key].append(anchor)
                cited.append({"number": number, "anchor": anchor})
            return template.render(citations=cited).strip()

        item._content = CITATION.sub(render, item._content or "")
        item.cited_references = tuple(
            CitedReference(number, references[key], tuple(citation_ids[key]))
            for key, number in sorted(numbers.items(), key=lambda pair: pair[1])
        )

    def _review(self, item, reviewers: dict) -> MedicalReview | None:
        meta = front_matter(self.settings, item)
        reviewer_id = getattr(meta, "reviewed_by", None)
        date = getattr(meta, "last_reviewed", None)
        if reviewer_id not in reviewers or date is None:
            return None
        source = loaded(self.settings).content_file(item.source_path)
        changed = source is not None and source.review_state is ReviewState.CHANGED
        modified = getattr(meta, "modified", None)
        return MedicalReview(
            reviewers[reviewer_id],
            date,
            next_review_due(date, self.settings),
            text_changed=changed,
            updated=modified.date() if changed and modified else None,
        )

    def _shows_crisis_resources(self, item) -> bool:
        # By slug, as Pelican files them: `Mental Health` is `Mental health`.
        category = str(getattr(item, "category", ""))
        tags = getattr(item, "tags", ())
        return same_names(category, self.settings["MENTAL_HEALTH_CATEGORIES"]) or any(
            same_names(tag, self.settings["CRISIS_TAGS"]) for tag in tags
        )


def get_generators(_pelican) -> type[HealthGenerator]:
    """Hand Pelican our generator class."""
    return HealthGenerator


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(set_defaults)
    # A generator runs after articles and pages are read (their text exists)
    # and before any page is written, like the testimonials generator.
    signals.get_generators.connect(get_generators)
