"""No scaffold value reaches readers: each one, left alone, is named and refused.

Each case writes a scaffold exactly as `make new-article` or
`make new-testimonial` does (tools/scaffold.py), fills in every field but
one, and checks with the development and the publish rules.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
import re

from content_schema import check_content
from pelican.settings import read_settings
import pytest

from tests.scaffolds import ARTICLE_FILLS, TESTIMONIAL_FILLS, consented, fill
from tests.support import DEV_SETTINGS, PUBLISH_SETTINGS, build
from tools import scaffold


def findings(content: Path, settings_file: Path):
    settings = read_settings(str(settings_file), override={"PATH": str(content)})
    return check_content(settings)


def write_testimonial(content: Path, text: str) -> str:
    (content / "testimonials" / "jo-fixture.yaml").write_text(text)
    return "content/testimonials/jo-fixture.yaml"


def write_article(content: Path, text: str) -> str:
    (content / "articles" / "my-article.md").write_text(text)
    return "content/articles/my-article.md"


def article_scaffold() -> str:
    return scaffold.article(
        "My Article", "my-article", "Fixture Writer", "Research", dt.date(2026, 1, 5)
    )


def test_a_fully_filled_in_testimonial_is_published(scratch_content, tmp_path):
    text = consented(fill(scaffold.testimonial("jo-fixture"), TESTIMONIAL_FILLS))
    write_testimonial(scratch_content, text)
    result = findings(scratch_content, PUBLISH_SETTINGS)
    assert (result.problems, result.todos, result.withheld) == ([], [], [])
    site = build(scratch_content, tmp_path / "pub", PUBLISH_SETTINGS)
    page = (site / "testimonials" / "index.html").read_text()
    assert "My own words about my treatment." in page


@pytest.mark.parametrize("field", TESTIMONIAL_FILLS)
def test_each_testimonial_placeholder_is_refused_for_publishing(scratch_content, field):
    text = consented(fill(scaffold.testimonial("jo-fixture"), TESTIMONIAL_FILLS, field))
    source = write_testimonial(scratch_content, text)
    line = next(
        number
        for number, written in enumerate(text.splitlines(), 1)
        if re.match(TESTIMONIAL_FILLS[field][0].replace("# ", ""), written)
        or (field == "quote" and written.startswith("  TO FILL IN"))
    )
    problems = [str(p) for p in findings(scratch_content, PUBLISH_SETTINGS).problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{source}:{line if field != 'quote' else 5}: ")
    assert f": {field}: " in problems[0]
    assert "still reads as the scaffold wrote it" in problems[0]


@pytest.mark.parametrize(
    "field",
    [
        "name",
        "place",
        "condition",
        "quote",
        "collection.method",
        "collection.date",
        "collection.material_connection",
    ],
)
def test_in_a_local_preview_a_placeholder_is_a_to_do(scratch_content, field):
    text = consented(fill(scaffold.testimonial("jo-fixture"), TESTIMONIAL_FILLS, field))
    write_testimonial(scratch_content, text)
    result = findings(scratch_content, DEV_SETTINGS)
    assert result.problems == []
    assert [p.field for p in result.todos] == [field]


def test_an_untouched_scaffold_is_withheld_with_all_it_still_needs(scratch_content):
    source = write_testimonial(scratch_content, scaffold.testimonial("jo-fixture"))
    result = findings(scratch_content, PUBLISH_SETTINGS)
    assert result.problems == []
    assert [str(p) for p in result.withheld] == [
        f"{source}:12: consent: consent is still 'pending': record the signed "
        "authorization (status: obtained, record, date, scope) before publishing; "
        "it also has fields to fill in: name, place, condition, quote, "
        "collection.method, collection.date, collection.material_connection, "
        "consent.record, consent.date, consent.scope"
    ]
    dev = findings(scratch_content, DEV_SETTINGS)
    assert dev.problems == []
    assert len(dev.todos) == 10


def test_the_finished_article_has_no_placeholder(scratch_content):
    text = fill(article_scaffold(), ARTICLE_FILLS).replace("Status: draft\n", "")
    write_article(scratch_content, text)
    for settings_file in (DEV_SETTINGS, PUBLISH_SETTINGS):
        result = findings(scratch_content, settings_file)
        assert (result.problems, result.todos) == ([], [])


@pytest.mark.parametrize("part", ARTICLE_FILLS)
def test_each_article_placeholder_blocks_a_non_draft(scratch_content, part):
    text = fill(article_scaffold(), ARTICLE_FILLS, part).replace("Status: draft\n", "")
    source = write_article(scratch_content, text)
    line = next(
        number
        for number, written in enumerate(text.splitlines(), 1)
        if re.match(ARTICLE_FILLS[part][0], written)
    )
    for settings_file in (DEV_SETTINGS, PUBLISH_SETTINGS):
        problems = [str(p) for p in findings(scratch_content, settings_file).problems]
        assert len(problems) == 1, problems
        assert problems[0].startswith(f"{source}:{line}: ")
        assert problems[0].endswith("(or keep `Status: draft` until it is ready)")


@pytest.mark.parametrize("part", ARTICLE_FILLS)
def test_a_draft_keeps_its_placeholders_as_to_dos(scratch_content, part):
    write_article(scratch_content, fill(article_scaffold(), ARTICLE_FILLS, part))
    result = findings(scratch_content, DEV_SETTINGS)
    assert result.problems == []
    assert len(result.todos) == 1


def test_an_untouched_article_scaffold_builds_as_a_draft(scratch_content, tmp_path):
    write_article(scratch_content, article_scaffold())
    site = build(scratch_content, tmp_path / "dev")
    assert (site / "drafts" / "my-article" / "index.html").is_file()
    assert len(findings(scratch_content, DEV_SETTINGS).todos) == 4


def test_lowercase_words_are_not_a_placeholder(scratch_content):
    text = consented(fill(scaffold.testimonial("jo-fixture"), TESTIMONIAL_FILLS))
    text = text.replace("My own words", "I had forms to fill in. My own words")
    write_testimonial(scratch_content, text)
    assert findings(scratch_content, PUBLISH_SETTINGS).problems == []
