"""Ids that become addresses are names, never paths; one name per category and tag.

A reviewer's id is its page's folder, and a category's or tag's name its
page's slug: `id: ../CNAME` made `output/CNAME/` a folder (the deploy then
dropped the custom domain), and `Mental Health` beside `Mental health` shared
a page while the crisis block, which compared names exactly, left one out.
"""

from __future__ import annotations

from pathlib import Path

from content_schema import check_content
from pelican.settings import read_settings
import pytest

from tests.support import DEV_SETTINGS, build

REVIEWERS = "content/reviewers.yaml"
TAXONOMY = "content/taxonomy.yaml"


def _problems(content: Path):
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    return check_content(settings).problems


def _with_reviewer_id(content: Path, reviewer_id: str) -> None:
    path = content / "reviewers.yaml"
    path.write_text(
        path.read_text().replace("id: fixture-reviewer", f"id: {reviewer_id}", 1)
    )


@pytest.mark.parametrize(
    "reviewer_id",
    ["../CNAME", "..", "index.html", "'a/b'", "Jane-Doe", "jane_doe", "a" * 101, "-x"],
)
def test_a_reviewer_id_that_is_not_a_name_is_refused_at_its_line(
    scratch_content, reviewer_id
):
    _with_reviewer_id(scratch_content, reviewer_id)
    found = [p for p in _problems(scratch_content) if p.source == REVIEWERS]
    assert [(p.line, p.field) for p in found] == [(3, "reviewers.id")], found
    assert "lowercase letters, digits and hyphens" in found[0].message


def test_a_testimonial_id_longer_than_an_address_may_be_is_refused(scratch_content):
    path = scratch_content / "testimonials" / "ana-fixture.yaml"
    path.write_text(path.read_text().replace("id: ana-fixture", f"id: {'a' * 101}"))
    problems = _problems(scratch_content)
    assert any(
        p.source == "content/testimonials/ana-fixture.yaml"
        and p.field == "id"
        and "at most 100 characters" in p.message
        for p in problems
    ), problems


@pytest.mark.parametrize(
    ("listing", "added"),
    [
        (
            "categories:\n  - Mental health",
            "categories:\n  - Mental health\n  - Mental Health",
        ),
        ("tags:\n  - PTSD", "tags:\n  - PTSD\n  - ptsd"),
        ("tags:\n  - PTSD", "tags:\n  - PTSD\n  - P.T.S.D"),
        ("tags:\n  - PTSD", "tags:\n  - PTSD\n  - '???'"),
        ("tags:\n  - PTSD", "tags:\n  - PTSD\n  - PTSD"),
    ],
    ids=["category case", "tag case", "tag punctuation", "no address", "twice"],
)
def test_one_name_per_address_in_the_taxonomy(scratch_content, listing, added):
    path = scratch_content / "taxonomy.yaml"
    text = path.read_text()
    assert listing in text
    path.write_text(text.replace(listing, added, 1))
    found = [p for p in _problems(scratch_content) if p.source == TAXONOMY]
    assert len(found) == 1, found
    assert found[0].line is not None


def test_the_crisis_block_follows_the_category_whatever_its_case(
    tmp_path, scratch_content
):
    """MENTAL_HEALTH_CATEGORIES names the category as the settings spell it."""
    output = build(
        scratch_content,
        tmp_path / "output",
        MENTAL_HEALTH_CATEGORIES=["Mental Health"],
        CRISIS_TAGS=[],
    )
    page = (output / "first-visit" / "index.html").read_text()
    assert 'class="crisis-block"' in page
