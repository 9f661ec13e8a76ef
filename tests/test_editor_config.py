"""The browser editor's forms come from the schema, and never reach the public site."""

from __future__ import annotations

from dataclasses import is_dataclass
import json
import typing

from content_schema import schema
from content_schema.editor import editor_config, editor_config_text
from content_schema.parsing import field_types, is_required, writable_fields
import pytest

from tests.support import ROOT

CONFIG = editor_config()
COLLECTIONS = {c["name"]: c for c in CONFIG["collections"]}
FORMS = {
    "articles": schema.ArticleMeta,
    "pages": schema.PageMeta,
    "testimonials": schema.Testimonial,
}


def test_the_committed_configuration_is_the_schemas():
    committed = (ROOT / "tools" / "editor" / "config.json").read_text(encoding="utf-8")
    assert committed == editor_config_text(), (
        "tools/editor/config.json is stale: run `invoke editor-config`"
    )


def _check_fields(cls: type, fields: list[dict]) -> None:
    by_name = {f["name"]: f for f in fields}
    declared = writable_fields(cls)
    assert [f["name"] for f in fields if f["name"] != "body"] == [
        spec.name for spec in declared
    ]
    types_ = field_types(cls)
    for spec in declared:
        field = by_name[spec.name]
        assert field["required"] is is_required(spec), spec.name
        if spec.metadata["written_by"]:
            # A task writes it (make review): the form keeps it, unseen.
            assert field == {"name": spec.name, "widget": "hidden", "required": False}
            continue
        assert field["hint"].startswith(spec.metadata["doc"]), spec.name
        annotation = types_[spec.name]
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        if is_dataclass(annotation):
            assert field["widget"] == "object"
            _check_fields(annotation, field["fields"])
        if typing.get_origin(annotation) is typing.Literal:
            assert field["options"] == list(typing.get_args(annotation))
        if spec.metadata["choices"]:
            assert field["widget"] == "relation", spec.name
        if typing.get_origin(annotation) is tuple or (
            inner and typing.get_origin(inner[0]) is tuple
        ):
            assert field.get("multiple") or field["widget"] == "list", spec.name


@pytest.mark.parametrize("name", FORMS)
def test_each_form_has_every_writable_field_with_its_rule_and_help(name):
    _check_fields(FORMS[name], COLLECTIONS[name]["fields"])


def test_markdown_forms_end_with_the_text_and_use_our_format():
    for name in ("articles", "pages"):
        collection = COLLECTIONS[name]
        assert collection["format"] == "pelican"
        assert collection["fields"][-1]["name"] == "body"


def _relation_fields(fields):
    for field in fields:
        if field["widget"] == "relation":
            yield field
        yield from _relation_fields(field.get("fields", []))


def test_every_choice_is_read_from_a_collection_the_editor_has():
    files = {f["name"]: f for f in COLLECTIONS["vocabularies"]["files"]}
    relations = [
        field
        for collection in CONFIG["collections"]
        for field in _relation_fields(collection.get("fields", []))
    ]
    assert {f["name"] for f in relations} >= {"author", "category", "tags"}
    for field in relations:
        target = COLLECTIONS[field["collection"]]
        if "file" in field:
            listed = {f["name"] for f in files[field["file"]]["fields"]}
            assert field["value_field"].split(".")[0] in listed, field
        else:
            assert field["value_field"] in {f["name"] for f in target["fields"]}


def test_the_taxonomy_form_edits_the_file_the_build_reads():
    taxonomy = next(
        f for f in COLLECTIONS["vocabularies"]["files"] if f["name"] == "taxonomy"
    )
    assert taxonomy["file"] == "content/taxonomy.yaml"
    _check_fields(schema.Taxonomy, taxonomy["fields"])


def test_testimonial_consent_guidance_is_in_the_form_hints():
    consent = next(
        f for f in COLLECTIONS["testimonials"]["fields"] if f["name"] == "consent"
    )
    status = next(f for f in consent["fields"] if f["name"] == "status")
    assert "signed authorization" in status["hint"]
    assert status["default"] == "pending"


def test_the_configuration_is_valid_json_for_decap():
    parsed = json.loads(editor_config_text())
    assert parsed["backend"] == {
        "name": "proxy",
        "proxy_url": "/admin/api/v1",
        "branch": "main",
    }
    assert parsed["media_folder"].startswith("content/")


def test_the_published_site_has_no_editor(fixture_publish_site, fixture_site):
    for site in (fixture_publish_site, fixture_site):
        assert not (site.output / "admin").exists()
        for page in site.output.rglob("*"):
            if page.suffix in (".html", ".xml", ".json", ".js", ".txt"):
                text = page.read_text(encoding="utf-8", errors="replace")
                assert "/admin/" not in text, page
                assert "decap" not in text.lower(), page


def test_a_field_a_task_writes_is_kept_but_never_shown():
    fields = COLLECTIONS["articles"]["fields"]
    hidden = [f["name"] for f in fields if f["widget"] == "hidden"]
    assert hidden == ["reviewed_text"]
