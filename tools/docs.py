"""The writers' documentation whose tables are rendered from the schema.

The field tables come from the schema's declarations (content_schema.docs);
docs/writing.md's "When the preview shows an error" section from the table
of writer mistakes (content_schema.mistakes), and its list of claim rules
from their table (content_schema.editorial).
"""

from __future__ import annotations

from collections.abc import Iterator

from content_schema.docs import render_tables
from content_schema.editorial import render_claim_rules
from content_schema.mistakes import render_mistakes

from tools.config import ROOT

# Documents with field tables between markers (content_schema/docs.py).
DOCUMENTS_WITH_FIELD_TABLES = ("docs/writing.md", "content/testimonials/README.md")


def update_field_tables() -> Iterator[str]:
    """Re-render every document's field tables in place; yield each name."""
    for name in DOCUMENTS_WITH_FIELD_TABLES:
        path = ROOT / name
        rendered = render_mistakes(render_tables(path.read_text()))
        path.write_text(render_claim_rules(rendered))
        yield name
