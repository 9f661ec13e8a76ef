"""The scaffolds of `make new-article` and `make new-testimonial`.

`new_article` and `new_testimonial` write a new file into the content folder
(never over an existing one) and return its path; a wrong title, category,
author or id stops with a message saying what to use. `article` and
`testimonial` return a scaffold's text. Every value a writer must replace
comes from content_schema.placeholders, which is also what the checks look
for: a scaffold left as it is never reaches readers.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import is_dataclass
import datetime as dt
import difflib
from pathlib import Path
import typing
from typing import Any

from content_schema.parsing import Scaffold, field_types, writable_fields
from content_schema.placeholders import (
    ARTICLE_BODY,
    DATE_PLACEHOLDER,
    PLACEHOLDER,
    SUMMARY_PLACEHOLDER,
)
from content_schema.safety import CONTROL
from content_schema.schema import (
    ID_PATTERN,
    ArticleMeta,
    Testimonial,
    load_taxonomy_file,
)
from content_schema.slugs import slug_from_title
from invoke import Exit
from pelican.settings import read_settings

from tools.config import CONFIG, ROOT


def new_article(title: str, category: str = "", author: str = "") -> Path:
    """Write content/articles/<slug>.md, a draft dated today; return its path.

    An empty category or author takes the taxonomy's first; one the taxonomy
    does not list stops with the closest known name, and so does a title
    that is empty or holds a line break or another control character.
    """
    if not title.strip() or CONTROL.search(title) or "\n" in title or "\t" in title:
        raise Exit(
            "The title must be one line of text: no line breaks or tabs, e.g. "
            'make new-article TITLE="What to Expect at Your First Infusion"',
            code=1,
        )
    settings = read_settings(str(CONFIG["dev_settings"]))
    taxonomy_path = CONFIG["content"] / settings["CONTENT_TAXONOMY_FILE"]
    taxonomy, problems = load_taxonomy_file(taxonomy_path, "content/taxonomy.yaml")
    if taxonomy is None or taxonomy.categories is None or taxonomy.author_names is None:
        raise Exit("\n".join(str(p) for p in problems), code=1)
    slug = slug_from_title(title, settings["SLUG_REGEX_SUBSTITUTIONS"])
    text = article(
        title,
        slug,
        _choose(author, taxonomy.author_names, "author"),
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
    """Return a draft article dated `today`, with valid front matter.

    Its header lists the ArticleMeta fields the schema gives a Scaffold, in
    the schema's order; the summary is the placeholder writers replace.
    """
    given = {
        "title": title,
        "date": today.isoformat(),
        "summary": SUMMARY_PLACEHOLDER,
        "author": author,
        "category": category,
        "slug": slug,
    }
    header = "".join(
        f"{spec.name.capitalize()}: {given.get(spec.name, shown.value)}\n"
        for spec, shown in _scaffolded(ArticleMeta)
    )
    return header + ARTICLE_BODY


def front_matter(cls: type, given: Mapping[str, str]) -> str:
    """Return `Key: value` lines for the fields of `cls` in `given`, schema order.

    Each value must be one line; the keys are spelled as the scaffolds spell
    them (`Title`, `Image_alt`).
    """
    return "".join(
        f"{spec.name.capitalize()}: {given[spec.name]}\n"
        for spec in writable_fields(cls)
        if spec.name in given
    )


def testimonial(testimonial_id: str, filled: Mapping[str, str] | None = None) -> str:
    """Return a testimonial whose every field but the id is still to fill in.

    Its fields, hints and notes are the Testimonial schema's (Scaffold).
    `filled` gives values for some fields by dotted name (`consent.status`),
    written in place of the scaffold's, on one line each.
    """
    given = {"id": testimonial_id, **(filled or {})}
    return "".join(_yaml_lines(Testimonial, given, ""))


def _scaffolded(cls: type) -> list[tuple[Any, Scaffold]]:
    """Return the fields of `cls` a scaffold shows, with how it shows them."""
    return [
        (spec, spec.metadata["scaffold"])
        for spec in writable_fields(cls)
        if spec.metadata.get("scaffold") is not None
    ]


def _yaml_lines(
    cls: type, given: Mapping[str, str], indent: str, prefix: str = ""
) -> Iterator[str]:
    """Yield the YAML lines of a record type's scaffold, nested records indented."""
    types = field_types(cls)
    for spec, shown in _scaffolded(cls):
        name = prefix + spec.name
        annotation = types[spec.name]
        if name in given:
            yield f"{indent}{spec.name}: {given[name]}\n"
            continue
        for note in shown.note.splitlines():
            yield f"{indent}# {note}\n"
        if is_dataclass(annotation):
            yield f"{indent}{spec.name}:\n"
            yield from _yaml_lines(annotation, given, indent + "  ", f"{name}.")
            continue
        hint = f"  # {shown.hint}" if shown.hint else ""
        if shown.block:
            yield f"{indent}{spec.name}: >-\n{indent}  {PLACEHOLDER}: {shown.hint}\n"
        elif shown.example:
            dated = dt.date in typing.get_args(annotation) or annotation is dt.date
            example = DATE_PLACEHOLDER if dated else PLACEHOLDER
            yield f"{indent}# {spec.name}: {example}{hint}\n"
        else:
            value = shown.value or _placeholder(annotation)
            yield f"{indent}{spec.name}: {value}{hint}\n"


def _placeholder(annotation: Any) -> str:
    """Return the placeholder a writer replaces: a list of one for list fields."""
    is_list = typing.get_origin(annotation) is tuple
    return f"[{PLACEHOLDER}]" if is_list else PLACEHOLDER
