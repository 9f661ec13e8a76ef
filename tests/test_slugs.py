"""Slugs made from titles: capped at a word boundary, never empty, never a crash.

`slug_from_title` is the one maker (build, check, scaffolds); the build test
shows that a 252-character title builds, with its page and its social card
at the capped address the check announced.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from content_schema import check_content
from content_schema.slugs import MAX_GENERATED_SLUG, MAX_SLUG, slug_from_title
from hypothesis import given, settings, strategies as st
from images.cards import Fonts, fit_title
from images.settings import DEFAULTS as IMAGES_DEFAULTS
from pelican.settings import read_settings

from tests.support import DEV_SETTINGS, build

SLUG = re.compile(r"[a-z0-9_]+(?:-[a-z0-9_]+)*")
LONG_TITLE = (
    "Ketamine-assisted therapy explained: "
    + "what every patient and family member should know before " * 5
)[:252]


def test_generated_slugs_are_capped_within_what_the_check_accepts():
    assert MAX_GENERATED_SLUG <= MAX_SLUG


def test_a_long_title_is_cut_after_its_last_whole_word():
    slug = slug_from_title(LONG_TITLE)
    assert slug == (
        "ketamine-assisted-therapy-explained-what-every-patient-and-family-member-should"
    )
    assert len(slug) <= MAX_GENERATED_SLUG


def test_a_title_of_one_endless_word_is_cut_at_the_cap():
    assert slug_from_title("a" * 300) == "a" * MAX_GENERATED_SLUG


def test_a_short_title_keeps_its_whole_slug():
    assert slug_from_title("What to Expect at a First Visit") == (
        "what-to-expect-at-a-first-visit"
    )


def test_a_title_of_symbols_only_gets_a_stable_slug_of_its_own():
    first, again, other = (slug_from_title(t) for t in ("???", "???", "!!!"))
    assert first == again
    assert first != other
    assert SLUG.fullmatch(first)


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=400),
        st.text(alphabet=st.characters(categories=["P", "S", "Z"]), max_size=50),
        st.lists(st.text(min_size=1, max_size=30), max_size=40).map(" ".join),
    )
)
def test_any_title_gives_a_valid_capped_slug(title):
    slug = slug_from_title(title)
    assert SLUG.fullmatch(slug), slug
    assert len(slug) <= MAX_GENERATED_SLUG


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=400).filter(str.strip))
def test_any_title_fits_a_social_card(title):
    fonts = Fonts(**IMAGES_DEFAULTS["IMAGES_CARD_FONTS"])
    font, lines = fit_title(title, fonts, 1000, 400)
    assert lines
    assert all(font.getlength(line) <= 1000 for line in lines)


def test_a_252_character_title_builds_at_the_capped_address(tmp_path):
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    for name in ("taxonomy.yaml", "references.yaml", "reviewers.yaml"):
        (content / name).write_text(
            (DEV_SETTINGS.parent / "tests/fixtures/site/content" / name).read_text()
        )
    (content / "articles" / "long.md").write_text(
        f"Title: {LONG_TITLE}\nDate: 2026-01-11\n"
        "Summary: An article whose title is far longer than any address should be.\n"
        "Author: Fixture Writer\nCategory: Research\nTags: PTSD\n\nBody text.\n",
        encoding="utf-8",
    )
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    assert check_content(settings).problems == []
    output = build(content, tmp_path / "output")
    slug = slug_from_title(LONG_TITLE)
    page = BeautifulSoup((output / slug / "index.html").read_text(), "html.parser")
    assert page.h1.get_text(" ", strip=True).startswith("Ketamine-assisted therapy")
    assert (output / "images" / "social" / f"{slug}.png").is_file()
