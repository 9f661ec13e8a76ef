"""The scaffolds of `make new-article` and `make new-testimonial`.

`new_article` and `new_testimonial` write a new file into the content folder
(never over an existing one) and return its path; a wrong title, category,
author or id stops with a message saying what to use. `article` and
`testimonial` return a scaffold's text. Every value a writer must replace
comes from content_schema.placeholders, which is also what the checks look
for: a scaffold left as it is never reaches readers.
"""

from __future__ import annotations

import datetime as dt
import difflib
from pathlib import Path

from content_schema.placeholders import (
    ARTICLE_BODY,
    DATE_PLACEHOLDER,
    PLACEHOLDER,
    SUMMARY_PLACEHOLDER,
)
from content_schema.schema import ID_PATTERN, load_taxonomy_file
from invoke import Exit
from pelican.settings import read_settings
from pelican.utils import slugify

from tools.config import CONFIG, ROOT


def new_article(title: str, category: str = "", author: str = "") -> Path:
    """Write content/articles/<slug>.md, a draft dated today; return its path.

    An empty category or author takes the taxonomy's first; one the taxonomy
    does not list stops with the closest known name.
    """
    settings = read_settings(str(CONFIG["dev_settings"]))
    taxonomy_path = CONFIG["content"] / settings["CONTENT_TAXONOMY_FILE"]
    taxonomy, problems = load_taxonomy_file(taxonomy_path, "content/taxonomy.yaml")
    if taxonomy is None:
        raise Exit("\n".join(str(p) for p in problems), code=1)
    slug = slugify(title, regex_subs=settings["SLUG_REGEX_SUBSTITUTIONS"])
    text = article(
        title,
        slug,
        _choose(author, taxonomy.authors, "author"),
        _choose(category, taxonomy.categories, "category"),
        dt.date.today(),
    )
    return _new_file(CONFIG["content"] / "articles" / f"{slug}.md", text)


def new_testimonial(testimonial_id: str) -> Path:
    """Write content/testimonials/<id>.yaml to fill in; return its path."""
    if not ID_PATTERN.fullmatch(testimonial_id):
        raise Exit(
            f"{testimonial_id!r} is not a valid id: use lowercase letters, digits "
            "and hyphens, e.g. jane-pasadena",
            code=1,
        )
    return _new_file(
        CONFIG["content"] / "testimonials" / f"{testimonial_id}.yaml",
        testimonial(testimonial_id),
    )


def _new_file(path: Path, text: str) -> Path:
    """Create `path` with `text`, refusing to overwrite anything."""
    try:
        with path.open("x", encoding="utf-8") as new:
            new.write(text)
    except FileExistsError:
        raise Exit(
            f"{path.relative_to(ROOT)} already exists; nothing was written. Edit it, "
            "or choose another title or id.",
            code=1,
        ) from None
    return path


def _choose(value: str, allowed: tuple[str, ...], kind: str) -> str:
    """Return `value` if the taxonomy lists it (or its first entry if empty)."""
    if not value:
        return allowed[0]
    if value in allowed:
        return value
    close = difflib.get_close_matches(value, allowed, n=1, cutoff=0.6)
    hint = f" Did you mean {close[0]!r}?" if close else ""
    raise Exit(
        f"{value!r} is not a {kind} in content/taxonomy.yaml.{hint} Known: "
        f"{', '.join(allowed)}.",
        code=1,
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
