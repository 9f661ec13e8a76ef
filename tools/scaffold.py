"""The scaffolds of `make new-article` and `make new-testimonial`.

Each function returns the text of a new file. Every value a writer must
replace comes from content_schema.placeholders, which is also what the
checks look for: a scaffold left as it is never reaches readers.
"""

from __future__ import annotations

import datetime as dt

from content_schema.placeholders import (
    ARTICLE_BODY,
    DATE_PLACEHOLDER,
    PLACEHOLDER,
    SUMMARY_PLACEHOLDER,
)


def article(title: str, slug: str, author: str, category: str, today: dt.date) -> str:
    """Return a draft article dated `today`, with valid front matter."""
    front_matter = {
        "Title": title,
        "Date": today.isoformat(),
        "Summary": SUMMARY_PLACEHOLDER,
        "Author": author,
        "Category": category,
        "Slug": slug,
        # A draft until the writer removes this line: never published by accident.
        "Status": "draft",
    }
    header = "".join(f"{key}: {value}\n" for key, value in front_matter.items())
    return header + ARTICLE_BODY


def testimonial(testimonial_id: str) -> str:
    """Return a testimonial whose every field but the id is still to fill in."""
    return f"""\
id: {testimonial_id}
name: {PLACEHOLDER}  # first name, initials or pseudonym, as the consent allows
place: {PLACEHOLDER}  # e.g. Pasadena, CA
condition: {PLACEHOLDER}  # e.g. PTSD
quote: >-
  {PLACEHOLDER}: the patient's words, exactly as given, without quote marks.
consent:
  # Keep `status: pending` until the signed authorization is on file: previews
  # show the testimonial with a badge, and the published site leaves it out.
  # Then set status: obtained and fill in record, date and scope.
  status: pending
  record: {PLACEHOLDER}  # id of the signed form in the clinic's records (outside git)
  date: {PLACEHOLDER}  # the date it was signed, as {DATE_PLACEHOLDER}
  scope: [{PLACEHOLDER}]  # where it may appear: website, social, email
  # expires: {DATE_PLACEHOLDER}  # only if the authorization has an end date
"""
