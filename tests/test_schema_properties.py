"""Property tests: whatever writers type, the validator reports problems, never crashes.

Hypothesis generates front matter, YAML documents and raw bytes, valid and
garbage alike. The only allowed outcomes are a record or a list of problems,
each naming its file; an exception (a traceback in a writer's terminal) fails.
"""

from __future__ import annotations

from pathlib import Path
import tempfile

from content_schema import Problem, check_content
from content_schema.schema import (
    ArticleMeta,
    PageMeta,
    load_taxonomy_file,
    load_testimonial_file,
    parse_front_matter,
)
from hypothesis import HealthCheck, given, settings, strategies as st
from pelican.settings import read_settings
import yaml

from tests.support import DEV_SETTINGS, copy_fixture_site

KEYS = [
    "title",
    "date",
    "summary",
    "author",
    "category",
    "tags",
    "slug",
    "status",
    "testimonials",
    "image",
    "image_alt",
    "modified",
    "Title",
    "catgory",
    "lang",
]
VALUES = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        ["2026-01-01", "2026-02-30", "draft", "published", "hidden", "", "a, b,"]
    ),
    st.from_regex(r"\d{4}-\d{2}-\d{2}( \d{2}:\d{2})?", fullmatch=True),
)
YAML_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(
        ["2025-06-01", "2025-13-45", "2025-06-01 10:00", "obtained", "pending"]
    ),
)
YAML_DOCUMENTS = st.recursive(
    YAML_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "name",
                    "place",
                    "condition",
                    "quote",
                    "consent",
                    "status",
                    "record",
                    "date",
                    "scope",
                    "expires",
                    "revoked",
                    "categories",
                    "tags",
                    "authors",
                    "x",
                ]
            ),
            children,
            max_size=8,
        ),
    ),
    max_leaves=20,
)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def assert_only_problems(problems: list[Problem], source: str) -> None:
    assert all(isinstance(p, Problem) and p.source == source for p in problems)
    assert all(str(p).startswith(source) for p in problems)


def header(fields: list[tuple[str, str]]) -> str:
    return "".join(f"{key}: {value}\n" for key, value in fields)


@SETTINGS
@given(
    fields=st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=12),
    body=st.text(max_size=300),
)
def test_front_matter_never_crashes(fields, body):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "a.md"
        path.write_text(header(fields) + "\n" + body, encoding="utf-8")
        for cls in (ArticleMeta, PageMeta):
            record, _markdown, problems = parse_front_matter(path, "a.md", cls)
            assert (record is None) == bool(problems)
            assert_only_problems(problems, "a.md")


def assert_loads_or_reports(path: Path) -> None:
    """Check that a testimonial or taxonomy file gives a record or problems.

    A testimonial with problems gives no record; a taxonomy with problems may
    give what still reads, for the check to judge articles against.
    """
    record, problems = load_testimonial_file(path, "t.yaml")
    assert (record is None) == bool(problems)
    assert_only_problems(problems, "t.yaml")
    record, problems = load_taxonomy_file(path, "t.yaml")
    assert record is not None or problems
    assert_only_problems(problems, "t.yaml")


@SETTINGS
@given(raw=st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.yaml"
        path.write_bytes(raw)
        assert_loads_or_reports(path)
        markdown = Path(folder) / "a.md"
        markdown.write_bytes(raw)
        _record, _markdown, problems = parse_front_matter(markdown, "a.md", ArticleMeta)
        assert_only_problems(problems, "a.md")


@SETTINGS
@given(document=YAML_DOCUMENTS)
def test_yaml_documents_never_crash(document):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.yaml"
        path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        assert_loads_or_reports(path)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    fields=st.lists(st.tuples(st.sampled_from(KEYS), VALUES), max_size=10),
    testimonial=YAML_DOCUMENTS,
)
def test_whole_content_check_never_crashes(tmp_path_factory, fields, testimonial):
    content = copy_fixture_site(tmp_path_factory.mktemp("fuzz") / "content")
    (content / "articles" / "fuzz.md").write_text(header(fields) + "\nText.\n")
    (content / "testimonials" / "fuzz.yaml").write_text(
        yaml.safe_dump(testimonial, allow_unicode=True)
    )
    result = check_content(
        read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    )
    assert all(isinstance(p, Problem) for p in result.problems)
