"""The table of writer mistakes (content_schema/mistakes.py) holds, row by row.

Each row's mistake is made in a copy of the fixture site, in a valid article
or testimonial, and the check must give exactly the row's message, naming
the file and, where the row says so, the line. Every message, and every
message for a corpus of broken files, is in a writer's words: no Python type
name, no traceback, no parser's internal words.
"""

from __future__ import annotations

from pathlib import Path
import re
import shutil

from bs4 import BeautifulSoup
from content_schema import check_content, help_anchor
from content_schema.mistakes import (
    ERRORS_SECTION,
    FIELD_SECTIONS,
    MISTAKES,
    TOPIC_BY_ANCHOR,
    TOPICS,
    render_mistakes,
)
from content_schema.parsing import date_advice
from hypothesis import HealthCheck, given, settings, strategies as st
from markdown import Markdown
from pelican.settings import read_settings
import pytest

from tests.support import DEV_SETTINGS, FIXTURE_CONTENT, ROOT, copy_fixture_site
from tests.test_content_check import ARTICLE
from tools.preview_pages import render_guide

# A valid article and testimonial of the fixture site, which each row breaks.
VALID = {
    "article": ("articles/writers-case.md", ARTICLE),
    "testimonial": (
        "testimonials/maria-santa-monica.yaml",
        (FIXTURE_CONTENT / "testimonials" / "ana-fixture.yaml")
        .read_text()
        .replace("ana-fixture", "maria-santa-monica"),
    ),
}
# Words that belong to Python or to a parser, never to a writer's message.
JARGON = re.compile(
    r"Traceback|Error\b|Exception|NoneType|\bstr\b|\bdict\b|\bNone\b|\bTrue\b|"
    r"\bFalse\b|scalar|token|stream|mapping|scanning|codec|decode|\bbyte\b|0x|"
    r"\\t|\\x|\\u|<[a-z]",
)


def problems_for(content: Path):
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    return check_content(settings).problems


def make_mistake(content: Path, mistake) -> tuple[str, bytes]:
    """Write the row's mistake into `content`; return its source and its bytes."""
    name, text = VALID[mistake.kind]
    if mistake.given_file:
        # A real image of the kind its name says (the check verifies it).
        suffix = Path(mistake.given_file).suffix
        image = next(
            p
            for p in sorted((FIXTURE_CONTENT / "images").iterdir())
            if p.suffix == suffix
        )
        shutil.copy(image, content / mistake.given_file)
    broken = mistake.edit(text).encode(mistake.encoding)
    (content / name).write_bytes(broken)
    return f"content/{name}", broken


def rows():
    return pytest.mark.parametrize(
        "mistake", MISTAKES, ids=[f"{m.topic}-{m.kind}" for m in MISTAKES]
    )


def test_the_valid_files_pass(scratch_content):
    for name, text in VALID.values():
        (scratch_content / name).write_text(text)
    assert problems_for(scratch_content) == []


@rows()
def test_each_mistake_gives_its_message(scratch_content, mistake):
    source, broken = make_mistake(scratch_content, mistake)
    problems = problems_for(scratch_content)
    if not mistake.message:
        assert problems == [], "accepted as it is"
        return
    line = None
    if mistake.line:
        lines = broken.decode(mistake.encoding).split("\n")
        line = next(n for n, text in enumerate(lines, 1) if mistake.marker in text)
    location = f"{source}:{line}" if line else source
    assert [str(p) for p in problems] == [f"{location}: {mistake.message}"]
    assert problems[0].topic == mistake.topic
    assert help_anchor(problems[0]) == mistake.topic


@rows()
def test_each_message_is_in_a_writers_words(mistake):
    assert not JARGON.search(mistake.message), mistake.message


def test_every_topic_has_a_mistake_and_every_mistake_a_topic():
    assert {m.topic for m in MISTAKES} == set(TOPIC_BY_ANCHOR)
    assert len(TOPIC_BY_ANCHOR) == len(TOPICS)


def test_the_docs_section_is_rendered_from_the_table():
    text = (ROOT / "docs" / "writing.md").read_text()
    assert render_mistakes(text) == text, "docs/writing.md is stale: run `invoke docs`"


def test_the_guide_shows_each_message_as_the_text_a_writer_gets():
    # Rendered as the preview's guide page renders it: a message that quotes
    # Markdown (an image, a link, a tag) reads as text, never as markup.
    body, _sections = render_guide(ROOT / "docs" / "writing.md")
    guide = BeautifulSoup(str(body), "html.parser")
    quoted = " ".join(quote.get_text(" ") for quote in guide.select("blockquote"))
    for mistake in MISTAKES:
        if mistake.message:
            assert mistake.message in quoted
    assert guide.select("blockquote img, blockquote a, blockquote script") == []


def test_every_help_anchor_is_a_heading_of_the_writers_guide():
    """The preview's error page links problems to docs headings that exist."""
    renderer = Markdown(extensions=["toc"])
    renderer.convert((ROOT / "docs" / "writing.md").read_text())
    ids = set()

    def collect(tokens):
        for token in tokens:
            ids.add(token["id"])
            collect(token["children"])

    collect(renderer.toc_tokens)
    assert ERRORS_SECTION in ids
    assert set(TOPIC_BY_ANCHOR) <= ids
    assert set(FIELD_SECTIONS.values()) <= ids


def test_an_article_is_not_blamed_for_its_testimonials_problems(scratch_content):
    """A testimonial with errors still counts as defined: only its file is named."""
    testimonial = scratch_content / "testimonials" / "ana-fixture.yaml"
    testimonial.write_text(testimonial.read_text().replace("2025-06-01", "June 2025"))
    listing = [
        path.name
        for path in (scratch_content / "articles").glob("*.md")
        if "ana-fixture" in path.read_text()
    ]
    assert listing, "the fixture lists the testimonial in an article"
    problems = problems_for(scratch_content)
    assert [p.source for p in problems] == ["content/testimonials/ana-fixture.yaml"]


def test_a_broken_yaml_testimonial_still_counts_by_its_file_name(scratch_content):
    testimonial = scratch_content / "testimonials" / "ana-fixture.yaml"
    testimonial.write_text("id: ana-fixture\n\tname: Ana\n")
    problems = problems_for(scratch_content)
    assert {p.source for p in problems} == {"content/testimonials/ana-fixture.yaml"}


# --- A corpus of broken files ---------------------------------------------------

DAMAGE = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=400),
        st.sampled_from(
            [
                "\t",
                ":",
                ": ",
                '"',
                "'",
                "[",
                "{",
                "- ",
                "\n  ",
                "\n",
                "“",
                "#",
                "&a",
                "*a",
                "!!",
                "%",
                "@",
                "`",
                "|",
                ">",
                "\ufeff",
                "\x00",
                "\r",
            ]
        ),
    ),
    min_size=1,
    max_size=4,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(damage=DAMAGE, kind=st.sampled_from(["article", "testimonial"]))
def test_damaged_files_get_messages_in_writers_words(tmp_path_factory, damage, kind):
    content = copy_fixture_site(tmp_path_factory.mktemp("damaged") / "content")
    name, text = VALID[kind]
    for position, inserted in damage:
        at = position % (len(text) + 1)
        text = text[:at] + inserted + text[at:]
    (content / name).write_text(text)
    for problem in problems_for(content):
        assert problem.source.startswith("content/")
        assert not JARGON.search(problem.message), problem.message


@pytest.mark.parametrize(
    ("written", "advice"),
    [
        (
            "12/01/2026",
            "is not written as YYYY-MM-DD; write 2026-12-01 for December 1, 2026 or "
            "2026-01-12 for January 12, 2026",
        ),
        (
            "13/01/2026",
            "is not written as YYYY-MM-DD; write 2026-01-13 for January 13, 2026",
        ),
        (
            "2026/12/01",
            "is not written as YYYY-MM-DD; write 2026-12-01 for December 1, 2026",
        ),
        (
            "1 Dec 2026",
            "is not written as YYYY-MM-DD; write 2026-12-01 for December 1, 2026",
        ),
        ("June 2025", "has no day; write the whole date, 2025-06-DD"),
        ("Dec 1", "has no year; write the whole date, YYYY-12-01"),
        (
            "2025-02-30",
            "is not a date that exists; check the month and the day (YYYY-MM-DD)",
        ),
        ("soon", "is not a date; write it as YYYY-MM-DD, e.g. 2026-03-14"),
    ],
)
def test_a_date_is_rewritten_from_what_was_written(written, advice):
    assert date_advice(written, time=False) == advice


def test_front_matter_with_problems_is_still_checked_for_the_rest(scratch_content):
    """One round: a bad date does not hide the unknown tag and the missing image."""
    name, text = VALID["article"]
    broken = (
        text.replace("Date: 2026-02-01", "Date: soon")
        .replace("Tags: PTSD, first visit", "Tags: PTSD, frist visit")
        .replace("Some text.", "![A chart]({static}/images/chart.png)")
    )
    (scratch_content / name).write_text(broken)
    fields = [(p.line, p.field) for p in problems_for(scratch_content)]
    assert fields == [(2, "date"), (6, "tags"), (9, "image")]


def test_a_taxonomy_with_problems_still_judges_the_articles(scratch_content):
    taxonomy = scratch_content / "taxonomy.yaml"
    taxonomy.write_text(taxonomy.read_text() + "colours: [blue]\n")
    name, text = VALID["article"]
    (scratch_content / name).write_text(text.replace("Tags: PTSD,", "Tags: PSTD,"))
    problems = problems_for(scratch_content)
    assert [(p.source, p.field) for p in problems] == [
        ("content/taxonomy.yaml", "colours"),
        (f"content/{name}", "tags"),
    ]


def test_a_testimonial_with_problems_is_still_checked_for_consent(scratch_content):
    """One round: a missing name does not hide a consent record left out."""
    name, text = VALID["testimonial"]
    broken = text.replace("name: Ana\n", "").replace("  record: FIXTURE-001\n", "")
    (scratch_content / name).write_text(broken)
    fields = [p.field for p in problems_for(scratch_content)]
    assert fields == ["name", "consent.record"]
