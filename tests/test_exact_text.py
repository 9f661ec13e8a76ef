"""Exact text: every channel reads a title, summary and testimonial as typed.

The fixture (tests/fixtures/exact-text/) adds to the fixture site one article
whose title and summary, and one testimonial whose text, hold `<`, `>`, `&`,
quotes, apostrophes and things that look like tags; `expected.yaml` says what
a reader sees. The site is built with the publish settings (feeds on, HTML
minified) and read the way browsers and feed readers read it: pages with a
spec-conforming HTML parser (html5lib), feeds as XML, their HTML as HTML.
"""

from __future__ import annotations

import dataclasses
import json
import shutil

from bs4 import BeautifulSoup
from content_schema import schema
import images.images
from lxml import etree
import pytest
from testimonials.testimonials import typeset
import yaml

from tests.feedcheck import ATOM
from tests.support import (
    FIXTURE_CONTENT,
    FIXTURES,
    PUBLISH_SETTINGS,
    Site,
    build,
    copy_fixture_site,
    indexed_pages,
    text,
)

EXACT = FIXTURES / "exact-text"
EXPECTED = yaml.safe_load((EXACT / "expected.yaml").read_text(encoding="utf-8"))
SLUG = "dose-and-bold"
SITENAME = "Nushama Blog"


@pytest.fixture(scope="module")
def exact_site(tmp_path_factory) -> tuple[Site, list[str]]:
    """Build the fixture site and the exact-text article; return it and the card titles.

    The titles are what the images plugin handed the card drawer.
    """
    folder = tmp_path_factory.mktemp("exact-text")
    content = copy_fixture_site(folder / "content")
    shutil.copytree(EXACT / "content", content, dirs_exist_ok=True)
    card_titles: list[str] = []
    draw = images.images.draw_card

    def recording_draw_card(title, *arguments):
        card_titles.append(title)
        return draw(title, *arguments)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(images.images, "draw_card", recording_draw_card)
        site = Site(build(content, folder / "out", PUBLISH_SETTINGS))
    return site, card_titles


def reader_view(site: Site, url_path: str) -> BeautifulSoup:
    """Parse a page as a browser does (html5lib follows the HTML standard).

    Python's html.parser reads `<b>` inside `<title>` as a tag; browsers,
    like the standard, read the title element's content as text.
    """
    return BeautifulSoup(site.path(url_path).read_text(encoding="utf-8"), "html5lib")


def meta_content(soup: BeautifulSoup, **attributes) -> str:
    """Return the content of the one meta tag with `attributes`."""
    (tag,) = soup.find_all("meta", attrs=attributes)
    return tag["content"]


def html_text(fragment: str) -> str:
    """Return what a reader sees of an HTML fragment (a feed's summary)."""
    return text(BeautifulSoup(fragment, "html5lib"))


def test_the_heading_and_title_read_as_typed(exact_site):
    site, _ = exact_site
    page = reader_view(site, f"{SLUG}/")
    assert text(page.h1) == EXPECTED["title"]
    assert page.title.string == f"{EXPECTED['title']} · {SITENAME}"
    assert page.h1.get("data-pagefind-meta") == f"title:{EXPECTED['title']}"
    # Nothing the writer typed became an element.
    assert page.h1.find("b") is None


def test_meta_and_social_tags_read_as_typed(exact_site):
    site, _ = exact_site
    page = reader_view(site, f"{SLUG}/")
    for name in ("description", "twitter:description"):
        assert meta_content(page, name=name) == EXPECTED["summary"]
    assert meta_content(page, property="og:description") == EXPECTED["summary"]
    assert meta_content(page, name="twitter:title") == EXPECTED["title"]
    for tag in ("og:title", "og:image:alt"):
        assert meta_content(page, property=tag) == EXPECTED["title"]


def test_structured_data_reads_as_typed(exact_site):
    site, _ = exact_site
    page = reader_view(site, f"{SLUG}/")
    data = {
        item["@type"]: item
        for item in (
            json.loads(script.string)
            for script in page.select('script[type="application/ld+json"]')
        )
    }
    assert data["BlogPosting"]["headline"] == EXPECTED["title"]
    assert data["BlogPosting"]["description"] == EXPECTED["summary"]
    crumbs = data["BreadcrumbList"]["itemListElement"]
    assert crumbs[-1]["name"] == EXPECTED["title"]


def test_listings_read_as_typed(exact_site):
    site, _ = exact_site
    index = reader_view(site, "")
    link = index.find("a", href=lambda href: href and href.endswith(f"/{SLUG}/"))
    assert text(link) == EXPECTED["title"]
    assert EXPECTED["summary"] in text(index)


def test_feeds_read_as_typed(exact_site):
    site, _ = exact_site
    atom = etree.parse(str(site.output / "feeds" / "all.atom.xml"))
    ns = {"a": ATOM}
    (entry,) = [
        e
        for e in atom.iterfind("a:entry", ns)
        if e.find("a:link", ns).get("href").endswith(f"/{SLUG}/")
    ]
    title = entry.find("a:title", ns)
    assert title.get("type", "text") == "text"
    assert title.text == EXPECTED["title"]
    assert entry.find("a:summary", ns).get("type") == "html"
    assert html_text(entry.findtext("a:summary", namespaces=ns)) == EXPECTED["summary"]
    rss = etree.parse(str(site.output / "feeds" / "all.rss.xml"))
    (item,) = [i for i in rss.iter("item") if i.findtext("link").endswith(f"/{SLUG}/")]
    assert item.findtext("title") == EXPECTED["title"]
    assert EXPECTED["summary"] in html_text(item.findtext("description"))


def test_the_social_card_is_drawn_with_the_title_as_typed(exact_site):
    _, card_titles = exact_site
    assert EXPECTED["title"] in card_titles


def test_the_search_index_names_the_title_as_typed(exact_site):
    site, _ = exact_site
    titles = {page["meta"]["title"] for page in indexed_pages(site.output).values()}
    assert EXPECTED["title"] in titles


def test_testimonial_text_reads_as_typed_and_typographic(exact_site):
    site, _ = exact_site
    expected = EXPECTED["testimonial"]
    for url in (f"{SLUG}/", "testimonials/"):
        card = reader_view(site, url).select_one("#testimonial-exact-fixture")
        assert text(card.select_one("blockquote")) == expected["quote"]
        attribution = text(card.select_one(".testimonial-card__attribution"))
        assert attribution == f"{expected['name']}, {expected['place']}"
        assert card.find(["b", "i", "really"]) is None
    atom = (site.output / "feeds" / "all.atom.xml").read_bytes()
    contents = etree.fromstring(atom).iterfind(f".//{{{ATOM}}}content")
    assert any(expected["quote"] in html_text(c.text) for c in contents)


def test_testimonials_keep_straight_quotes_without_typogrify():
    record = yaml.safe_load(
        (EXACT / "content" / "testimonials" / "exact-fixture.yaml").read_text()
    )
    fields = {name: record[name] for name in ("id", "name", "place", "condition")}
    testimonial = _testimonial(fields, record["quote"])
    settings = {"TYPOGRIFY": False, "TYPOGRIFY_DASHES": "oldschool"}
    assert typeset(testimonial, settings) == testimonial
    settings["TYPOGRIFY"] = True
    typed = typeset(testimonial, settings)
    assert typed.quote == EXPECTED["testimonial"]["quote"]
    assert typed.condition == testimonial.condition
    assert typed.id == testimonial.id


def _testimonial(fields, quote) -> schema.Testimonial:
    """Make a testimonial record with only the fields typeset reads set."""
    unset = {
        f.name: None
        for f in dataclasses.fields(schema.Testimonial)
        if f.name not in fields and f.name != "quote"
    }
    return schema.Testimonial(**fields, quote=quote, **unset)


def test_share_image_alt_text_reads_as_typed(exact_site):
    site, _ = exact_site
    page = reader_view(site, "window-alt/")
    assert meta_content(page, property="og:image:alt") == EXPECTED["image_alt"]


@pytest.fixture(scope="module")
def named_site(tmp_path_factory) -> Site:
    """Build the fixture site with the expected SITENAME and SITE_DESCRIPTION."""
    folder = tmp_path_factory.mktemp("site-name")
    return Site(
        build(
            FIXTURE_CONTENT,
            folder / "out",
            PUBLISH_SETTINGS,
            SITENAME=EXPECTED["site"]["name"],
            SITE_DESCRIPTION=EXPECTED["site"]["description"],
        )
    )


def test_the_site_name_and_description_read_as_set(named_site):
    name, description = EXPECTED["site"]["name"], EXPECTED["site"]["description"]
    home = reader_view(named_site, "")
    assert home.title.string == name
    assert text(home.h1) == name
    assert text(home.select_one(".site-header__name")) == name
    assert meta_content(home, property="og:site_name") == name
    assert meta_content(home, property="og:title") == name
    assert meta_content(home, name="description") == description
    feed_links = home.find_all("link", rel="alternate")
    assert {link["title"] for link in feed_links} == {f"{name} (Atom)", f"{name} (RSS)"}
    article = reader_view(named_site, "first-visit/")
    assert article.title.string.endswith(f" · {name}")
    rss = etree.parse(str(named_site.output / "feeds" / "all.rss.xml"))
    assert rss.findtext("channel/title") == name
    assert rss.findtext("channel/description") == description
    atom = etree.parse(str(named_site.output / "feeds" / "all.atom.xml"))
    assert atom.findtext(f"{{{ATOM}}}title") == name
    category = etree.parse(
        str(named_site.output / "feeds" / "category" / "research.atom.xml")
    )
    assert category.findtext(f"{{{ATOM}}}title") == f"{name} - Research"
