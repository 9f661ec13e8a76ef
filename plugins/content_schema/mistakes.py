"""The writer mistakes the tools recognise, and where the docs explain each.

`help_anchor(problem)` names the section of docs/writing.md that explains a
problem: its mistake's own entry under "When the preview shows an error" when
it has a topic, otherwise the section about the field it concerns.
"""

from __future__ import annotations

from .problems import Problem

# docs/writing.md's section of every mistake, and its own heading id there.
ERRORS_SECTION = "when-the-preview-shows-an-error"

# The docs section for a field a problem names, by the field's first part.
FIELD_SECTIONS = {
    "consent": "add-a-testimonial",
    "citation": "cite-your-sources",
    "reviewed_by": "medical-review",
    "last_reviewed": "medical-review",
    "category": "categories-tags-and-authors",
    "tags": "categories-tags-and-authors",
    "author": "categories-tags-and-authors",
    "link": "the-text",
    "image": "the-text",
    "testimonials": "add-a-testimonial",
}


def help_anchor(problem: Problem) -> str:
    """Return the id of the docs/writing.md heading that explains `problem`."""
    if problem.topic:
        return problem.topic
    first = problem.field.split(".", 1)[0].lower()
    if first in FIELD_SECTIONS:
        return FIELD_SECTIONS[first]
    if problem.source.endswith((".yaml", ".yml")):
        return "add-a-testimonial"
    if problem.field:
        return "front-matter-fields"
    return ERRORS_SECTION
