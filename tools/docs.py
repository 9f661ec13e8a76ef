"""The writers' documentation whose field tables are rendered from the schema."""

from __future__ import annotations

from collections.abc import Iterator

from content_schema.docs import render_tables

from tools.config import ROOT

# Documents with field tables between markers (content_schema/docs.py).
DOCUMENTS_WITH_FIELD_TABLES = ("docs/writing.md", "content/testimonials/README.md")


def update_field_tables() -> Iterator[str]:
    """Re-render every document's field tables in place; yield each name."""
    for name in DOCUMENTS_WITH_FIELD_TABLES:
        path = ROOT / name
        path.write_text(render_tables(path.read_text()))
        yield name
