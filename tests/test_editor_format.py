"""The editor's `Key: value` format: files back byte for byte, one edit one line.

tools/editor/pelican-format.js runs in Node (tests/editor_format.js) on every
Markdown file of content/ and the fixtures, on hand-made edge cases and on
generated headers; what it reads is compared with what the content check
reads (front_matter.py), so the form shows the values the build uses.
"""

from __future__ import annotations

import json
from pathlib import Path
import shutil
import string
import subprocess
import tempfile

from content_schema.editor import editor_config
from content_schema.front_matter import read_markdown
from content_schema.problems import Reporter
from content_schema.schema import ArticleMeta, _front_matter_mapping
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from tests.support import ROOT

pytestmark = pytest.mark.node_tools

RUNNER = ROOT / "tests" / "editor_format.js"
CONFIG = editor_config()
ARTICLE_FIELDS = [f["name"] for f in CONFIG["collections"][0]["fields"]]
# Every Markdown source the project holds: the writers' and the fixtures'.
SOURCES = sorted(
    path
    for folder in (ROOT / "content", ROOT / "tests" / "fixtures")
    for path in folder.rglob("*.md")
    if path.name != "README.md"
)


def run_format(cases: list[dict], order: list[str] = ARTICLE_FIELDS) -> list[dict]:
    """Read and write each case ({raw, edit}) with the editor's format, in Node."""
    node = shutil.which("node")
    assert node, "Node.js is missing: make test installs it"
    answer = subprocess.run(
        [node, str(RUNNER)],
        input=json.dumps({"config": CONFIG, "order": order, "cases": cases}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(answer.stdout)


def python_reading(path: Path) -> dict:
    """Read the header values as the content check reads them (lists as lists)."""
    markdown = read_markdown(path, Reporter(str(path)))
    if markdown is None:  # an empty file: the check says so, and reads nothing
        return {}
    return dict(_front_matter_mapping(markdown.metadata, ArticleMeta))


def test_the_sources_include_the_writers_and_the_fixtures_files():
    assert any(path.is_relative_to(ROOT / "content") for path in SOURCES)
    assert len(SOURCES) > 10


def test_every_markdown_source_comes_back_byte_for_byte():
    raws = [path.read_text(encoding="utf-8") for path in SOURCES]
    results = run_format([{"raw": raw, "edit": None} for raw in raws])
    changed = [
        str(path.relative_to(ROOT))
        for path, raw, result in zip(SOURCES, raws, results, strict=True)
        if result["raw"] != raw
    ]
    assert changed == []


def test_the_form_shows_the_values_the_build_reads():
    raws = [path.read_text(encoding="utf-8") for path in SOURCES]
    results = run_format([{"raw": raw, "edit": None} for raw in raws])
    for path, result in zip(SOURCES, results, strict=True):
        form = {k: v for k, v in result["data"].items() if k != "body"}
        assert form == python_reading(path), path


def _field_block(lines: list[str], name: str) -> tuple[int, int]:
    """Find field `name`'s lines [start, end): its key line and continuations."""
    start = next(
        i
        for i, line in enumerate(lines)
        if line.lstrip().lower().startswith(f"{name}:")
    )
    end = start + 1
    while end < len(lines) and lines[end].startswith("    ") and lines[end].strip():
        end += 1
    return start, end


def _edited_value(value):
    return [*value, "added"] if isinstance(value, list) else f"{value} edited"


@pytest.mark.parametrize(
    "path", SOURCES, ids=[str(p.relative_to(ROOT)) for p in SOURCES]
)
def test_saving_one_changed_field_changes_only_that_fields_lines(path):
    raw = path.read_text(encoding="utf-8")
    data = run_format([{"raw": raw, "edit": None}])[0]["data"]
    fields = [name for name in data if name != "body"]
    results = run_format(
        [{"raw": raw, "edit": {name: _edited_value(data[name])}} for name in fields]
    )
    header = python_reading(path)
    before = raw.split("\n")
    for name, result in zip(fields, results, strict=True):
        after = result["raw"].split("\n")
        start, end = _field_block(before, name)
        kept_after = len(before) - end
        # Every other line as it was, in place; this field's block rewritten.
        assert after[:start] == before[:start], name
        assert after[len(after) - kept_after :] == before[end:], name
        block = after[start : len(after) - kept_after]
        assert block[0].lower().startswith(f"{name}: "), (name, block)
        assert all(line.startswith("    ") for line in block[1:]), (name, block)
        assert block != before[start:end]
        assert header[name] != _edited_value(data[name])


def test_the_body_edited_leaves_the_header_as_it_was():
    raw = SOURCES[0].read_text(encoding="utf-8")
    data = run_format([{"raw": raw, "edit": None}])[0]["data"]
    result = run_format([{"raw": raw, "edit": {"body": data["body"] + "More.\n"}}])[0]
    assert result["raw"] == raw + "More.\n"


NEW_ARTICLE = {
    "body": "The text.\n",
    "title": "A New Article",
    "tags": ["PTSD", "trauma"],
    "date": "2026-12-01",
    "summary": "What the article is about, in one sentence for lists and search.",
    "status": "draft",
    "editorial_questions": ["First question, with a comma?", "Second one?"],
    "slug": "",
    "image": None,
}


def test_a_new_file_lists_its_fields_in_the_forms_order_spelled_as_the_docs():
    result = run_format([{"raw": None, "edit": NEW_ARTICLE}])[0]["raw"]
    assert result == (
        "Title: A New Article\n"
        "Date: 2026-12-01\n"
        "Summary: What the article is about, in one sentence for lists and search.\n"
        "Status: draft\n"
        "Tags: PTSD, trauma\n"
        "Editorial_questions: First question, with a comma?\n"
        "    Second one?\n"
        "\n"
        "The text.\n"
    )


def test_an_emptied_optional_field_loses_its_line():
    raw = "Title: T\nSlug: t\nTags: a, b\n\nBody.\n"
    results = run_format(
        [{"raw": raw, "edit": {"slug": ""}}, {"raw": raw, "edit": {"tags": []}}]
    )
    assert results[0]["raw"] == "Title: T\nTags: a, b\n\nBody.\n"
    assert results[1]["raw"] == "Title: T\nSlug: t\n\nBody.\n"


EDGE_CASES = {
    "fenced": "---\nTitle: T\nDate: 2026-01-01\n---\n\nBody\n",
    "fence never closed": "---\nTitle: T\nnot a header line\n",
    "no empty line after the header": "Title: T\nBody right away\n",
    "no body": "Title: T\n",
    "no final newline": "Title: T\n\nBody",
    "windows line ends": "Title: T\r\nDate: 2026-01-01\r\n\r\nBody\r\n",
    "a repeated key": "Title: One\nTitle: Two\n\nBody\n",
    "odd spacing": "  Title:   Spaced out   \nTags:PTSD,trauma\n\n\n\nBody\n",
    "continuations": "Title: A long\n    title\n      indented more\n\nBody\n",
    "no header at all": "Just text.\n\nMore text.\n",
    "empty file": "",
    "a form feed": "Title: T\fU\n\nBody\n",
}


@pytest.mark.parametrize("raw", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_edge_cases_come_back_byte_for_byte(raw):
    assert run_format([{"raw": raw, "edit": None}])[0]["raw"] == raw


def test_a_changed_repeated_key_is_written_once():
    raw = "Title: One\nTitle: Two\n\nBody\n"
    result = run_format([{"raw": raw, "edit": {"title": "Three"}}])[0]["raw"]
    assert result == "Title: Three\n\nBody\n"


KEYS = st.sampled_from(["Title", "title", "Tags", "Summary", "Slug", "Testimonials"])
VALUE_TEXT = st.text(
    alphabet=string.ascii_letters + string.digits + " ,.:-'\"\t", max_size=30
)
LINE = st.one_of(
    st.builds(lambda k, v: f"{k}: {v}", KEYS, VALUE_TEXT),
    st.builds(lambda v: f"    {v}", VALUE_TEXT),
    st.just(""),
    VALUE_TEXT,
    st.builds(lambda v: f"- {v}", VALUE_TEXT),  # a YAML list item
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=8), st.booleans(), VALUE_TEXT)
def test_generated_files_come_back_byte_for_byte_and_read_as_the_build_reads(
    lines, fenced, body
):
    raw = "\n".join((["---"] if fenced else []) + lines + ["", body])
    result = run_format([{"raw": raw, "edit": None}])[0]
    assert result["raw"] == raw
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "generated.md")
        path.write_text(raw, encoding="utf-8")
        report = Reporter(str(path))
        read_markdown(path, report)
        # A header the check refuses (a YAML list, a repeated key) is read on
        # by the check, to report all of it, where Pelican and the form stop.
        if not report.problems:
            form = {k: v for k, v in result["data"].items() if k != "body"}
            assert form == python_reading(path)
