"""Fill in the writers' scaffolds as a writer would, for tests that need real content.

Each table maps a scaffold field to the pattern of its line in the scaffold
and a real value for it.
"""

from __future__ import annotations

import re

# Testimonial fields: the line's pattern in the scaffold and a real value.
TESTIMONIAL_FILLS = {
    "name": (r"^name: .*$", "name: Jo"),
    "place": (r"^place: .*$", "place: Fixture Town, CA"),
    "condition": (r"^condition: .*$", "condition: PTSD"),
    "quote": (r"^  TO FILL IN: .*$", "  My own words about my treatment."),
    "collection.method": (r"^  method: .*$", "  method: interview"),
    "collection.date": (
        r"^  date: .*when the patient gave it.*$",
        "  date: 2026-01-02",
    ),
    "collection.material_connection": (
        r"^  material_connection: .*$",
        "  material_connection: none",
    ),
    "consent.record": (r"^  record: .*$", "  record: CONSENT-9"),
    "consent.date": (r"^  date: .*signed.*$", "  date: 2026-01-05"),
    "consent.scope": (r"^  scope: .*$", "  scope: [website]"),
    # The commented example, once uncommented, must be changed too.
    "consent.expires": (r"^  # expires: (\S+).*$", "  expires: 2030-01-01"),
}
ARTICLE_FILLS = {
    "summary": (
        r"^Summary: .*$",
        "Summary: What a writer's own article says, in a sentence of fifty or more.",
    ),
    "first paragraph": (r"^Write the first paragraph here\..*$", "My first paragraph."),
    "heading": (r"^## A section heading$", "## What to expect"),
    "last paragraph": (r"^More text\.$", "My closing words."),
}


def fill(text: str, fills: dict, keep: str = "") -> str:
    """Replace every scaffold value by a real one, except the one named `keep`."""
    for name, (pattern, value) in fills.items():
        replacement = value
        if name == keep:
            if name != "consent.expires":
                continue
            replacement = r"  expires: \1"  # uncommented, but left as the example
        text, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
        assert count == 1, f"the scaffold has no {name} line"
    return text


def consented(text: str) -> str:
    return text.replace("  status: pending\n", "  status: obtained\n")
