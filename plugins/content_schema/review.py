"""Which text a medical review covered, so that "reviewed" stays true.

`make review FILE=… REVIEWER=…` (tools/review.py) records a review in an
article's front matter: `Reviewed_by`, `Last_reviewed` and `Reviewed_text`,
a fingerprint of what the reviewer read. `body_fingerprint` computes that
fingerprint from the file alone (no git history, so a shallow CI clone gives
the same answer); `review_state` compares it with the recorded one.

What a fingerprint covers: the title, the summary and the body, the words a
reader sees. Trailing spaces, line endings and blank lines at either end do
not count, so re-saving a file in another editor does not undo a review.
"""

from __future__ import annotations

import enum
import hashlib
import re
from typing import Any
import unicodedata

PREFIX = "sha256:"
# 16 hex digits (64 bits): short enough to read in a diff, and far too many
# for two versions of one article to share by chance.
DIGITS = 16
FINGERPRINT = re.compile(rf"{PREFIX}[0-9a-f]{{{DIGITS}}}")


class ReviewState(enum.Enum):
    """How an article's text stands against its recorded review."""

    NOT_REVIEWED = "not reviewed"
    CURRENT = "current"  # the text is the one the reviewer read
    CHANGED = "changed"  # edited after the review
    UNRECORDED = "unrecorded"  # reviewed, but which text was not recorded


def body_fingerprint(title: str, summary: str | None, body_lines: Any) -> str:
    """Return the fingerprint of an article's reader-visible text.

    `body_lines` are the body's lines, as text or as (line number, text)
    pairs (front_matter.MarkdownSource.body).
    """
    lines = [line[1] if isinstance(line, tuple) else line for line in body_lines]
    body = "\n".join(line.rstrip() for line in lines).strip("\n")
    text = "\n".join((title.strip(), (summary or "").strip(), body))
    text = unicodedata.normalize("NFC", text.replace("\r", ""))
    return PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGITS]


def fingerprint_of(meta: Any, markdown: Any) -> str:
    """Return the fingerprint of a parsed article (its front matter and source)."""
    return body_fingerprint(
        getattr(meta, "title", "") or "",
        getattr(meta, "summary", None),
        markdown.body,
    )


def review_state(meta: Any, fingerprint: str) -> ReviewState:
    """Say how the text with `fingerprint` stands against the review in `meta`."""
    if not getattr(meta, "reviewed_by", None) or not getattr(
        meta, "last_reviewed", None
    ):
        return ReviewState.NOT_REVIEWED
    recorded = getattr(meta, "reviewed_text", None)
    if not recorded:
        return ReviewState.UNRECORDED
    return ReviewState.CURRENT if recorded == fingerprint else ReviewState.CHANGED
