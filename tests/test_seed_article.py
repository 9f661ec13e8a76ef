"""The seed PTSD article as readers see it, checked against the clinic's source text.

`tests/data/ketamine-for-ptsd.seed.txt` is a verbatim copy of the text the
clinic supplied, and `tests/fixtures/seed/content/` the article and
testimonials made from it: every heading and paragraph must reach the page.
The fixture, not content/, is checked, so the clinic may correct or retire
its article (the editorial questions ask for corrections) without a red CI.
"""

from __future__ import annotations

import copy
from pathlib import Path
import re

import pytest
import yaml

from tests.support import SEED_CONTENT

SEED = Path(__file__).parent / "data" / "ketamine-for-ptsd.seed.txt"
ARTICLE_URL = "ketamine-for-ptsd/"
CTA_HEADING = "Discover What Psychedelic Medicine Can Do for You"
# The seed's quote lines: “quote” – Name, Place
TESTIMONIAL_LINE = re.compile(r"^“(?P<quote>.+)” – (?P<name>[^,]+), (?P<place>.+)$")


def normalize(text: str) -> str:
    """Compare text as a reader sees it: typographic quotes and spacing folded."""
    text = text.replace("\u00a0", " ")
    for curly, straight in (("“", '"'), ("”", '"'), ("’", "'"), ("‘", "'")):
        text = text.replace(curly, straight)
    return re.sub(r"\s+", " ", text).strip()


def seed_blocks() -> dict[str, list]:
    """Split the seed into title, subtitle, body blocks, testimonials and CTA."""
    blocks = [
        b.strip() for b in SEED.read_text(encoding="utf-8").split("\n\n") if b.strip()
    ]
    title, subtitle, *rest = blocks
    cta_start = rest.index(CTA_HEADING)
    body, cta = rest[:cta_start], rest[cta_start:]
    testimonials = [TESTIMONIAL_LINE.match(b) for b in body if b.startswith("“")]
    paragraphs = [b for b in body if not b.startswith("“")]
    return {
        "title": [title],
        "subtitle": [subtitle],
        "paragraphs": paragraphs,
        "testimonials": testimonials,
        "cta": cta,
    }


@pytest.fixture(scope="module")
def article(seed_site):
    return seed_site.soup(ARTICLE_URL)


def main_text(soup) -> str:
    """Return the words of the page, without the citation numbers the theme adds."""
    main = copy.copy(soup.find("main"))
    for citation in main.select("sup.citation"):
        citation.decompose()
    return normalize(main.get_text())


def test_seed_parses_into_the_expected_parts():
    parts = seed_blocks()
    assert len(parts["testimonials"]) == 3
    assert all(parts["testimonials"])
    assert len(parts["paragraphs"]) == 14  # 5 headings and 9 paragraphs
    assert parts["cta"][-1] == "Explore Our Blog"


def test_title_is_the_seed_title(article):
    (title,) = seed_blocks()["title"]
    assert normalize(article.find("h1").get_text()) == normalize(title)
    assert normalize(article.title.get_text()).startswith(normalize(title))


def test_subtitle_is_the_lead_and_the_meta_description(article):
    (subtitle,) = seed_blocks()["subtitle"]
    assert normalize(article.select_one(".article__lead").get_text()) == subtitle
    assert article.find("meta", attrs={"name": "description"})["content"] == subtitle


def test_every_seed_heading_and_paragraph_is_on_the_page(article):
    text = main_text(article)
    missing = [p for p in seed_blocks()["paragraphs"] if normalize(p) not in text]
    assert missing == []


def test_seed_headings_are_section_headings(article):
    headings = [normalize(h.get_text()) for h in article.select(".article__body h2")]
    assert headings == [
        "What is Post-Traumatic Stress Disorder (PTSD)?",
        "Ketamine Therapy: an Innovative Approach to Treating PTSD",
        "Clinical Evidence of Ketamine Therapy for PTSD",
        "What PTSD Patients are Saying about Ketamine Therapy",
        "New Light for People with PTSD",
    ]


def test_three_testimonials_follow_the_survey_paragraph(article):
    cards = article.select(".article__body .testimonial-card")
    assert len(cards) == 3
    seed = seed_blocks()["testimonials"]
    for card, expected in zip(cards, seed, strict=True):
        quote = normalize(card.select_one("blockquote").get_text())
        assert quote == normalize(expected["quote"])
        caption = normalize(card.select_one("figcaption").get_text())
        assert expected["name"] in caption
        # The seed writes "Thousand Oaks CA" once; the data file adds the comma.
        assert expected["place"].replace(",", "") in caption.replace(",", "")
    survey = article.find(string=re.compile("informal, anecdotal"))
    assert survey.find_parent("p").find_next_sibling() == cards[0].parent


def test_every_testimonial_has_its_disclosure_beside_it(article, seed_site):
    for card in article.select(".testimonial-card"):
        disclosure = card.select_one("figcaption .testimonial-card__disclosure")
        assert "Individual results vary" in disclosure.get_text()
        assert "informal, anecdotal survey" in disclosure.get_text()
    page_cards = seed_site.soup("testimonials/").select(".testimonial-card")
    assert len(page_cards) == 3
    assert all(c.select_one(".testimonial-card__disclosure") for c in page_cards)


def test_pending_consent_shows_a_preview_badge(article):
    """The seed testimonials have no recorded consent yet: previews say so."""
    for card in article.select(".testimonial-card"):
        badge = card.select_one(".testimonial-card__consent-badge")
        assert "not publishable" in badge.get_text()


def test_call_to_action_closes_the_article(article):
    cta = article.select_one("aside.cta")
    heading, text, blog_label = seed_blocks()["cta"]
    assert normalize(cta.find("h2").get_text()) == heading
    assert normalize(cta.select_one(".cta__text").get_text()) == normalize(text)
    links = {normalize(a.get_text()): a["href"] for a in cta.find_all("a")}
    assert links[blog_label] == "/"
    assert links["Contact Nushama"] == "https://clinic.example/contact"
    # The CTA comes from settings, not from the Markdown.
    markdown = (SEED_CONTENT / "articles" / "ketamine-for-ptsd.md").read_text()
    assert heading not in markdown


def test_testimonials_are_not_pasted_into_the_markdown():
    markdown = (SEED_CONTENT / "articles" / "ketamine-for-ptsd.md").read_text()
    for expected in seed_blocks()["testimonials"]:
        assert expected["quote"][:40] not in markdown


def test_front_matter_lists_the_testimonials_by_id():
    markdown = (SEED_CONTENT / "articles" / "ketamine-for-ptsd.md").read_text()
    ids = {
        yaml.safe_load(p.read_text())["id"]
        for p in (SEED_CONTENT / "testimonials").glob("*.yaml")
    }
    line = next(
        line for line in markdown.splitlines() if line.startswith("Testimonials:")
    )
    assert set(re.split(r"[,\s]+", line.split(":", 1)[1].strip())) == ids
