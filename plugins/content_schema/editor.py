"""The browser editor's forms, generated from the schema (tools/editor/config.json).

Decap CMS draws one form per collection from this configuration: articles,
pages and testimonials are folder collections, and the vocabularies
(taxonomy.yaml, reviewers.yaml) a files collection whose lists the other forms
pick from. Each field's widget follows its annotation, its required flag its
default, its help text its `describe()` text (and its scaffold's guidance), and
its choices its declared `choices` source, so the form cannot offer what the
build refuses. The choices themselves are read from the content files when
the form opens (relation widgets), never copied here: a writer's new tag or
testimonial needs no new configuration. References do not fit a form (the
file is a mapping keyed by the cite key), and are cited in the text as
`[@key]`. `invoke editor-config` writes the file, and a test fails when it
drifts from this module's output.
"""

from __future__ import annotations

from dataclasses import is_dataclass
import datetime as dt
import json
import types
import typing
from typing import Any, Literal

from .languages import LANGUAGES
from .parsing import field_types, is_required, writable_fields
from .schema import (
    LINE_LIST_FIELDS,
    ArticleMeta,
    PageMeta,
    Reviewer,
    Taxonomy,
    Testimonial,
)

# Where the editor's API and files live, under the preview's /admin/.
API_URL = "/admin/api/v1"
DATE_FORMAT = "YYYY-MM-DD"  # as writers write dates, and as the schema reads them
BODY_HINT = (
    "The article in Markdown: `## Heading` lines, a blank line between "
    "paragraphs, `[@key]` to cite a source from content/references.yaml, and "
    "`[testimonials]` where the chosen testimonials appear."
)
# Taxonomy lists whose form writes records, and the key an article gives.
TAXONOMY_RECORD_KEYS = {"authors": ".name"}


def _taxonomy_value(list_name: str) -> str:
    """Return the path of a taxonomy list's values: `authors.*.name`, `tags.*`."""
    return f"{list_name}.*{TAXONOMY_RECORD_KEYS.get(list_name, '')}"


# Relation widgets: where each declared choices source is read, and how an
# option is shown.
RELATIONS = {
    "taxonomy": lambda list_name: {
        "collection": "vocabularies",
        "file": "taxonomy",
        "value_field": _taxonomy_value(list_name),
        "search_fields": [_taxonomy_value(list_name)],
        "display_fields": [_taxonomy_value(list_name)],
    },
    "reviewers": lambda _field: {
        "collection": "vocabularies",
        "file": "reviewers",
        "value_field": "reviewers.*.id",
        "search_fields": ["reviewers.*.name", "reviewers.*.id"],
        "display_fields": ["reviewers.*.name"],
    },
    "testimonials": lambda _field: {
        "collection": "testimonials",
        "value_field": "id",
        "search_fields": ["id", "name", "place"],
        "display_fields": ["{{name}}, {{place}} ({{id}})"],
    },
}
# Long text gets a text area rather than a one-line box.
LONG_TEXT = frozenset({"quote", "bio", "summary"})


def label(name: str) -> str:
    """Return the form label of a field name: "image_alt" -> "Image alt"."""
    return name.replace("_", " ").capitalize()


def _optional(annotation: Any) -> Any:
    """`X | None` -> X; anything else unchanged."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        others = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(others) == 1:
            return others[0]
    return annotation


def _widget(name: str, annotation: Any, choices: str) -> dict:
    """Return the widget options for one field's annotation."""
    annotation = _optional(annotation)
    if typing.get_origin(annotation) is tuple:
        item = typing.get_args(annotation)[0]
        if choices:
            return {"widget": "relation", "multiple": True, **_relation(choices)}
        if typing.get_origin(item) is Literal:
            return {
                "widget": "select",
                "multiple": True,
                "options": list(typing.get_args(item)),
            }
        # A list of names or records (authors): the form writes records.
        records = [a for a in typing.get_args(item) if is_dataclass(a)]
        if is_dataclass(item) or records:
            return {
                "widget": "list",
                "fields": form_fields(records[0] if records else item),
            }
        # One item a line may hold commas and run long: a text area each.
        widget = "text" if name in LINE_LIST_FIELDS else "string"
        return {
            "widget": "list",
            "field": {"label": label(name), "name": name, "widget": widget},
        }
    if choices:
        return {"widget": "relation", **_relation(choices)}
    if typing.get_origin(annotation) is Literal:
        return {"widget": "select", "options": list(typing.get_args(annotation))}
    if annotation in (dt.date, dt.datetime):
        return {
            "widget": "datetime",
            "format": DATE_FORMAT,
            "date_format": DATE_FORMAT,
            "time_format": False,
        }
    if annotation is int:
        return {"widget": "number", "value_type": "int"}
    if is_dataclass(annotation):
        return {
            "widget": "object",
            "collapsed": False,
            "fields": form_fields(annotation),
        }
    if name == "lang":
        return {
            "widget": "select",
            "options": [
                {"label": f"{language.english} ({code})", "value": code}
                for code, language in LANGUAGES.items()
            ],
        }
    return {"widget": "text" if name in LONG_TEXT else "string"}


def _relation(choices: str) -> dict:
    source, _, field_name = choices.partition(".")
    return RELATIONS[source](field_name)


def _hint(spec) -> str:
    scaffold = spec.metadata.get("scaffold")
    guidance = " ".join((scaffold.note or "").split()) if scaffold else ""
    return " ".join(part for part in (spec.metadata["doc"], guidance) if part)


def _default(spec) -> Any:
    scaffold = spec.metadata.get("scaffold")
    return scaffold.value if scaffold and scaffold.value is not None else None


def form_fields(cls: type) -> list[dict]:
    """Return the form fields of one record type, in the order the docs list them."""
    types_ = field_types(cls)
    result = []
    for spec in writable_fields(cls):
        if spec.metadata.get("written_by"):
            # Kept as the file has it on save, never typed into a form.
            result.append({"name": spec.name, "widget": "hidden", "required": False})
            continue
        entry = {
            "label": label(spec.name),
            "name": spec.name,
            **_widget(spec.name, types_[spec.name], spec.metadata.get("choices", "")),
            "required": is_required(spec),
            "hint": _hint(spec),
        }
        if (default := _default(spec)) is not None:
            entry["default"] = default
        result.append(entry)
    return result


def _body() -> dict:
    return {"label": "Text", "name": "body", "widget": "text", "hint": BODY_HINT}


def _markdown_collection(name: str, cls: type, folder: str) -> dict:
    return {
        "name": name,
        "label": label(name),
        "label_singular": label(name[:-1]),
        "description": " ".join(cls.__doc__.split()),
        "folder": folder,
        "extension": "md",
        "format": "pelican",
        "create": True,
        "slug": "{{slug}}",
        "identifier_field": "title",
        "summary": "{{title}}",
        "fields": [*form_fields(cls), _body()],
    }


def editor_config(content: str = "content") -> dict:
    """Return Decap CMS's configuration for a content folder named `content`."""
    return {
        "backend": {"name": "proxy", "proxy_url": API_URL, "branch": "main"},
        "publish_mode": "simple",
        "media_folder": f"{content}/images",
        "public_folder": "{static}/images",
        "site_url": "/",
        "display_url": "/",
        "logo_url": "/theme/favicon.svg",
        "slug": {"encoding": "ascii", "clean_accents": True},
        "editor": {"preview": False},
        "collections": [
            _markdown_collection("articles", ArticleMeta, f"{content}/articles"),
            _markdown_collection("pages", PageMeta, f"{content}/pages"),
            {
                "name": "testimonials",
                "label": "Testimonials",
                "label_singular": "Testimonial",
                "description": " ".join(Testimonial.__doc__.split()),
                "folder": f"{content}/testimonials",
                "extension": "yaml",
                "format": "yaml",
                "create": True,
                "slug": "{{fields.id}}",
                "identifier_field": "id",
                "summary": "{{name}}, {{place}}",
                "fields": form_fields(Testimonial),
            },
            {
                "name": "vocabularies",
                "label": "Vocabularies",
                "description": (
                    "The categories, tags and authors articles may use, and the "
                    "medical reviewers. Add one here before an article uses it."
                ),
                "delete": False,
                "files": [
                    {
                        "name": "taxonomy",
                        "label": "Categories, tags and authors",
                        "file": f"{content}/taxonomy.yaml",
                        "fields": form_fields(Taxonomy),
                    },
                    {
                        "name": "reviewers",
                        "label": "Medical reviewers",
                        "file": f"{content}/reviewers.yaml",
                        "fields": [
                            {
                                "label": "Reviewers",
                                "name": "reviewers",
                                "widget": "list",
                                "required": False,
                                "fields": form_fields(Reviewer),
                            }
                        ],
                    },
                ],
            },
        ],
    }


def editor_config_text(content: str = "content") -> str:
    """Return the configuration as the file holds it: indented JSON, a final newline."""
    return json.dumps(editor_config(content), indent=2, ensure_ascii=False) + "\n"
