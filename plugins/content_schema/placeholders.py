"""The scaffolds' placeholder values, and how to find them in content.

`make new-article` and `make new-testimonial` write these values
(tools/scaffold.py); the checks find them again here, so what a scaffold
writes and what the publish rules refuse can never drift apart. A value is a
placeholder when it contains PLACEHOLDER ("TO FILL IN") or is DATE_PLACEHOLDER
("YYYY-MM-DD"), or when an article keeps the scaffold's summary or body text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PLACEHOLDER = "TO FILL IN"
DATE_PLACEHOLDER = "YYYY-MM-DD"
# What the article scaffold writes; an article still carrying any of it is
# unfinished.
SUMMARY_PLACEHOLDER = "Replace this sentence with a summary of 50 to 160 characters."
BODY_FIRST_PARAGRAPH = (
    "Write the first paragraph here. Remove `Status: draft` above when the "
    "article is ready to publish."
)
BODY_HEADING = "## A section heading"
BODY_LAST_PARAGRAPH = "More text."
ARTICLE_BODY = f"\n{BODY_FIRST_PARAGRAPH}\n\n{BODY_HEADING}\n\n{BODY_LAST_PARAGRAPH}\n"
# Body lines of the scaffold, each with what the writer should put there.
_BODY_LINES = {
    BODY_FIRST_PARAGRAPH: "the scaffold's first paragraph: write your own",
    BODY_HEADING: "the scaffold's example heading: write your own, or remove it",
    BODY_LAST_PARAGRAPH: "the scaffold's 'More text.': write your own, or remove it",
}


@dataclass(frozen=True)
class Placeholder:
    """A scaffold value still in a file: where it is and what to write instead."""

    line: int | None
    field: str  # dotted field name, e.g. consent.date; "text" for the body
    message: str


def is_placeholder(value: Any) -> bool:
    """Say whether a value (of any type) is one a scaffold wrote."""
    if not isinstance(value, str):
        return False
    # Case matters: "forms to fill in" is a patient's words, not a placeholder.
    return PLACEHOLDER in value or value.strip() == DATE_PLACEHOLDER


def in_mapping(
    mapping: Any, prefix: str = "", *, scaffolded: bool = True
) -> list[Placeholder]:
    """Find placeholder values in a parsed YAML mapping, nested ones too.

    `scaffolded` False: the file was written by hand with TO FILL IN values
    (the taxonomy, the reviewers), and its messages say so.
    """
    if not isinstance(mapping, dict):
        return []
    lines = getattr(mapping, "key_lines", {})
    found = []
    for key, value in mapping.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            found += in_mapping(value, name, scaffolded=scaffolded)
        elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
            # A list of records (an author's members): each item's fields.
            for item in value:
                found += in_mapping(item, name, scaffolded=scaffolded)
        elif is_placeholder(value) or (
            isinstance(value, list) and any(map(is_placeholder, value))
        ):
            message = _fill_in(name)
            if not scaffolded:
                message = message.replace(
                    "still reads as the scaffold wrote it", f"still says {PLACEHOLDER}"
                )
            found.append(Placeholder(lines.get(key), name, message))
    return found


# What to write in place of a scaffold value, by field (the last part of it).
_FIXES = {
    "name": "write the name the patient agreed to show",
    "place": "write the place the patient agreed to show",
    "condition": "write the condition the patient was treated for",
    "quote": "write the patient's words, exactly as given",
    "record": "write the signed authorization's identifier",
    "scope": "list where the patient allowed it to appear, e.g. [website]",
    "role": "write what they do, e.g. medical writer, or remove the line",
    "credentials": "write their degrees and licences, or remove the line",
    "bio": "write one or two sentences about them, or remove the line",
    "members": "write who is on the team: each with name and role",
    "method": "write how it was collected: survey, interview, written submission, "
    "online review or other",
    "material_connection": "write what ties the patient to the clinic beyond being "
    "its patient (a payment, a discount, a job there…), or none",
    # By the whole field, where the last part alone would mislead.
    "authors.members.name": "write the team member's name, as they agreed to show it",
    "reviewers.name": "write the reviewer's name, as they agreed to show it",
    # A reviewer's fields are all required: none may be removed.
    "reviewers.credentials": "write the reviewer's degrees and licences, e.g. MD",
    "reviewers.bio": "write one or two sentences about the reviewer",
    "collection.date": "write the date the patient gave the account, as YYYY-MM-DD",
}
_DATES = ("date", "expires", "revoked", "modified", "last_reviewed")


def _fill_in(name: str) -> str:
    last = name.rsplit(".", 1)[-1]
    fix = _FIXES.get(name) or (
        "write the date as YYYY-MM-DD"
        if last in _DATES
        else _FIXES.get(last, f"write the real {last}")
    )
    return f"still reads as the scaffold wrote it; {fix}"


def in_article(
    metadata: dict[str, str],
    key_lines: dict[str, int],
    body: tuple[tuple[int, str], ...],
) -> list[Placeholder]:
    """Find the scaffold's summary and body text, and TO FILL IN, in an article."""
    found = []
    for key, value in metadata.items():
        if value.strip() == SUMMARY_PLACEHOLDER:
            found.append(
                Placeholder(
                    key_lines.get(key),
                    key,
                    "still holds the placeholder from `make new-article`; write the "
                    "real summary",
                )
            )
        elif is_placeholder(value):
            found.append(Placeholder(key_lines.get(key), key, _fill_in(key)))
    for number, text in body:
        stripped = text.strip()
        if stripped in _BODY_LINES:
            found.append(Placeholder(number, "text", _BODY_LINES[stripped]))
        elif PLACEHOLDER in text:
            found.append(
                Placeholder(number, "text", f"still says {PLACEHOLDER}; write the text")
            )
    return found
