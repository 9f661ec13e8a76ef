"""Field tables for writers' documentation, rendered from the schema itself.

docs/writing.md and content/testimonials/README.md hold these tables between
`<!-- fields: NAME -->` and `<!-- end fields -->` markers; `invoke docs`
rewrites them, and a test fails when they drift from the declarations.
"""

from __future__ import annotations

from dataclasses import is_dataclass
import re
import typing
from typing import Any

from .parsing import field_types, is_required, type_name, writable_fields
from .schema import ArticleMeta, PageMeta, Reference, Reviewer, Taxonomy, Testimonial

TABLES = {
    "article": (ArticleMeta, str.capitalize),
    "page": (PageMeta, str.capitalize),
    "testimonial": (Testimonial, str),
    "taxonomy": (Taxonomy, str),
    "reference": (Reference, str),
    "reviewer": (Reviewer, str),
}
BLOCK = re.compile(
    r"(<!-- fields: (?P<name>\w+) -->\n).*?(<!-- end fields -->)", re.DOTALL
)


def _rows(cls: type, spell_key, prefix: str = "") -> list[str]:
    rows = []
    types_ = field_types(cls)
    for spec in writable_fields(cls):
        annotation: Any = types_[spec.name]
        key = f"{prefix}{spell_key(spec.name)}"
        required = is_required(spec)
        rows.append(
            f"| `{key}` | {'yes' if required else 'no'} | {type_name(annotation)} "
            f"| {spec.metadata['doc']} |"
        )
        for record in _records(annotation):
            rows += _rows(record, spell_key, prefix=f"{key}.")
    return rows


def _records(annotation: Any) -> list[type]:
    """Return the record types a field holds (itself, list items, union members)."""
    if is_dataclass(annotation):
        return [annotation]
    return [r for arg in typing.get_args(annotation) for r in _records(arg)]


def field_table(name: str) -> str:
    """Render the Markdown table of one content type's fields."""
    cls, spell_key = TABLES[name]
    header = ["| Field | Required | Value | Meaning |", "| --- | --- | --- | --- |"]
    return "\n".join(header + _rows(cls, spell_key)) + "\n"


def render_tables(text: str) -> str:
    """Return `text` with every field-table block rewritten from the schema."""
    return BLOCK.sub(lambda m: m[1] + field_table(m["name"]) + m[3], text)
