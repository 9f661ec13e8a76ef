"""The health plugin's settings: the crisis block's tags, the notes, the disclaimer.

The mental-health categories, the review interval and the references and
reviewers files are the content schema's settings: its check reads them first.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from content_schema.settings import bad_notes

DEFAULTS = {
    # Articles with one of these tags open with the crisis block, as do the
    # articles of MENTAL_HEALTH_CATEGORIES.
    "CRISIS_TAGS": (),
    # ({"terms": ("ketamine",), "text": "…"}, …): the text is shown on articles
    # whose title, category or tags name one of the terms.
    "OFF_LABEL_NOTES": (),
    # Shown on every article; empty: none.
    "MEDICAL_DISCLAIMER": "",
}


def problems(settings: Mapping[str, Any]) -> dict[str, str]:
    """Map each setting of this plugin whose value cannot work to what to use."""
    found = {}
    tags = settings["CRISIS_TAGS"]
    if isinstance(tags, str) or not all(isinstance(tag, str) for tag in tags):
        found["CRISIS_TAGS"] = (
            f"CRISIS_TAGS is {tags!r}; list tag names, e.g. ('PTSD', 'depression')"
        )
    for number in bad_notes(settings["OFF_LABEL_NOTES"]):
        found["OFF_LABEL_NOTES"] = (
            f"OFF_LABEL_NOTES entry {number} must be "
            '{"terms": ("ketamine",), "text": "..."}'
        )
    if not isinstance(settings["MEDICAL_DISCLAIMER"], str):
        found["MEDICAL_DISCLAIMER"] = (
            "MEDICAL_DISCLAIMER must be text (or empty for none)"
        )
    return found
