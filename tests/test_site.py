"""The fixture site as readers and feed readers meet it: every template type."""

from __future__ import annotations

import itertools
import re

import feedparser
from pelican import signals
import pytest

from tests.support import FIXTURE_CONTENT, PUBLISH_SITEURL, build, text

# One URL per template type of the theme.
TEMPLATE_PAGES = {
    "index": "",
    "index, page 2": "page/2/",
    "article": "first-visit/",
    "page": "about/",
    "categories": "categories/",
    "category": "category/mental-health/",
    "tags": "tags/",
    "tag": "tag/ketamine-therapy/",
    "authors": "authors/",
    "author": "author/fixture-writer/",
    "archives": "archives/",
    "testimonials": "testimonials/",
    "404": "404.html",
    "search": "search/",
}


@pytest.mark.parametrize("url", TEMPLATE_PAGES.values(), ids=TEMPLATE_PAGES.keys())
def test_every_template_type_renders_with_our_theme(fixture_site, url):
    soup = fixture_site.soup(url)
    assert soup.html["lang"] == "en"
    # Landmarks and the skip link, in our theme's markup (not Pelican's "simple").
    assert soup.select_one("body > a.skip-link")["href"] == "#main"
    assert soup.select_one("main#main")
    assert soup.select_one("header.site-header nav[aria-label=Main]")
    assert soup.select_one("footer.site-footer #crisis-resources")
    stylesheets = [link["href"] for link in soup.select("link[rel=stylesheet]")]
    assert len(stylesheets) == 1
    assert re.fullmatch(r"/theme/css/site\.[0-9a-f]{10}\.css", stylesheets[0])
    assert soup.select_one('link[rel=icon][href="/theme/favicon.svg"]')


@pytest.mark.parametrize("url", TEMPLATE_PAGES.values(), ids=TEMPLATE_PAGES.keys())
def test_every_page_has_one_h1_and_no_skipped_heading_level(fixture_site, url):
    soup = fixture_site.soup(url)
    levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    assert levels.count(1) == 1
    assert levels[0] == 1
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert skips == []


@pytest.mark.real_content
def test_heading_hierarchy_is_sound_on_every_real_page(real_site):
    for path in real_site.html_files():
        soup = real_site.soup(str(path.relative_to(real_site.output)))
        levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
        assert levels.count(1) == 1, path
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), path


def test_every_page_carries_a_content_security_policy(fixture_site):
    for path in fixture_site.html_files():
        soup = fixture_site.soup(str(path.relative_to(fixture_site.output)))
        csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert csp, path
        assert "default-src 'self'" in csp["content"]
        assert "unsafe-inline" not in csp["content"]


def test_titles_and_descriptions_are_plain_text(fixture_site):
    soup = fixture_site.soup("quotes-and-ampersands/")
    # Typogrify put spans into the visible title; <title> and meta stay plain.
    assert soup.find("h1").find("span")
    assert soup.title.string == "“Ketamine” & PTSD: Questions Answered · Nushama Blog"
    raw = fixture_site.path("quotes-and-ampersands/").read_text()
    assert (
        "<title>“Ketamine” &amp; PTSD: Questions Answered · Nushama Blog</title>" in raw
    )
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description == (
        "A fixture whose title has typographic quotes and an ampersand in it."
    )


def test_testimonial_text_from_yaml_is_escaped(fixture_site):
    for url in ("quotes-and-ampersands/", "testimonials/"):
        soup = fixture_site.soup(url)
        card = soup.select_one("#testimonial-script-fixture")
        assert card.find("script") is None
        assert card.find("b") is None
        assert card.find("i") is None
        quote = card.select_one("blockquote").get_text(strip=True)
        # Word for word as in the YAML; its quotes curled like article text.
        assert quote == "Before <script>alert(“pwned”)</script> & after"
        caption = card.select_one(".testimonial-card__attribution").get_text()
        assert caption == "Cal & “Co” <b>bold</b>, Fixture <i>Place</i>"
    # Only data blocks (JSON-LD) may be script elements; nothing executable.
    assert {s.get("type") for s in soup.find_all("script")} == {"application/ld+json"}


def test_testimonials_go_where_the_marker_stands(fixture_site):
    body = fixture_site.soup("first-visit/").select_one(".article__body")
    children = list(body.find_all(recursive=False))
    names = [c.name for c in children]
    list_index = next(
        i for i, c in enumerate(children) if "testimonial-list" in c.get("class", [])
    )
    assert text(children[list_index - 1]).startswith(
        "Some text before the testimonials"
    )
    assert children[list_index + 1].name == "h2"
    assert "[testimonials]" not in body.get_text()
    ids = [card["id"] for card in body.select(".testimonial-card")]
    assert ids == ["testimonial-ana-fixture", "testimonial-ben-fixture"]
    assert names.count("div") == 1


def test_testimonials_without_marker_follow_the_text(fixture_site):
    body = fixture_site.soup("quotes-and-ampersands/").select_one(".article__body")
    last = body.find_all(recursive=False)[-1]
    assert "testimonial-list" in last["class"]
    assert body.find("p").get_text().startswith("This fixture article has no")


def test_testimonials_page_lists_every_testimonial_sorted_by_id(fixture_site):
    soup = fixture_site.soup("testimonials/")
    ids = [card["id"] for card in soup.select(".testimonial-card")]
    assert ids == [
        "testimonial-ana-fixture",
        "testimonial-ben-fixture",
        "testimonial-script-fixture",
    ]
    for card in soup.select(".testimonial-card"):
        assert "Individual results vary" in card.select_one("figcaption").get_text()
        # Fixture consent is recorded: no preview badge.
        assert card.select_one(".testimonial-card__consent-badge") is None


def test_index_is_paginated_with_directory_urls(fixture_site):
    first = fixture_site.soup("")
    assert first.select_one("a[rel=next]")["href"] == "/page/2/"
    second = fixture_site.soup("page/2/")
    assert second.select_one("a[rel=prev]")["href"] == "/"
    current = second.select_one(".pagination [aria-current=page]")
    assert text(current) == "Page 2"


@pytest.mark.real_content
def test_no_unresolved_intrasite_link_is_left(
    fixture_site, fixture_publish_site, real_site
):
    for site in (fixture_site, fixture_publish_site, real_site):
        for path in site.output.rglob("*"):
            if path.suffix in (".html", ".xml"):
                text = path.read_text(encoding="utf-8")
                assert not re.search(
                    r"\{(filename|static|attach|tag|category)\}", text
                ), path
                assert "[testimonials]" not in text, path


def test_intrasite_links_point_at_built_pages(fixture_site):
    soup = fixture_site.soup("first-visit/")
    hrefs = [a["href"] for a in soup.select(".article__body p > a")]
    assert hrefs == ["/about/", "/quotes-and-ampersands/"]
    for href in hrefs:
        assert fixture_site.path(href).is_file()


def test_404_page_offers_ways_on(fixture_site):
    soup = fixture_site.soup("404.html")
    assert soup.find("h1").get_text() == "Page not found"
    # Absolute paths: the page is served for missing URLs at any depth.
    assert all(link["href"].startswith(("/", "#")) for link in soup.select("main a"))


def test_development_build_is_not_indexed(fixture_site):
    robots = fixture_site.soup("").find("meta", attrs={"name": "robots"})
    assert robots["content"] == "noindex, nofollow"


def test_development_build_shows_drafts_and_scheduled_posts(fixture_site):
    assert fixture_site.path("drafts/unfinished-draft/").is_file()
    assert fixture_site.path("scheduled-post/").is_file()


def test_publish_build_leaves_out_drafts_and_future_posts(fixture_publish_site):
    output = fixture_publish_site.output
    assert not (output / "drafts").exists()
    assert not fixture_publish_site.path("scheduled-post/").exists()
    everything = "".join(p.read_text() for p in output.rglob("*.html"))
    assert "Unfinished Draft" not in everything
    assert "Scheduled Post" not in everything
    assert fixture_publish_site.path("first-visit/").is_file()


def test_publish_build_uses_absolute_urls_and_is_indexable(fixture_publish_site):
    soup = fixture_publish_site.soup("first-visit/")
    assert (
        soup.find("link", rel="canonical")["href"] == f"{PUBLISH_SITEURL}/first-visit/"
    )
    assert soup.find("meta", attrs={"name": "robots"}) is None
    assert soup.select_one("link[rel=stylesheet]")["href"].startswith(PUBLISH_SITEURL)


@pytest.mark.parametrize("feed", ["feeds/all.atom.xml", "feeds/all.rss.xml"])
def test_feeds_parse_and_list_the_articles(fixture_publish_site, feed):
    parsed = feedparser.parse(str(fixture_publish_site.output / feed))
    assert not parsed.bozo, parsed.get("bozo_exception")
    titles = [text(entry.title) for entry in parsed.entries]
    assert "What to Expect at a First Visit" in titles
    assert '"Ketamine" & PTSD: Questions Answered' in [
        t.replace("“", '"').replace("”", '"') for t in titles
    ]
    assert "Unfinished Draft" not in titles
    assert "Scheduled Post" not in titles
    links = [entry.link for entry in parsed.entries]
    assert f"{PUBLISH_SITEURL}/first-visit/" in links


def test_feed_entries_carry_testimonials_with_their_disclosure(fixture_publish_site):
    parsed = feedparser.parse(str(fixture_publish_site.output / "feeds/all.atom.xml"))
    entry = next(
        e for e in parsed.entries if text(e.title) == "What to Expect at a First Visit"
    )
    content = entry.content[0].value
    assert "Fixture words from Ana" in content
    assert "Individual results vary" in content


def test_pages_link_their_feeds_in_the_publish_build(fixture_publish_site):
    soup = fixture_publish_site.soup("")
    atom = soup.find("link", type="application/atom+xml")
    assert atom["href"] == f"{PUBLISH_SITEURL}/feeds/all.atom.xml"


captured_contexts: list[dict] = []


def capture_context(generators) -> None:
    """Keep the shared template context of a build (module level: weak receivers)."""
    captured_contexts.append(generators[0].context)


def test_templates_receive_one_sorted_immutable_collection(tmp_path):
    signals.all_generators_finalized.connect(capture_context)
    try:
        build(FIXTURE_CONTENT, tmp_path / "out")
    finally:
        signals.all_generators_finalized.disconnect(capture_context)
    testimonials = captured_contexts.pop()["testimonials"]
    assert isinstance(testimonials, tuple)
    assert [t.id for t in testimonials] == [
        "ana-fixture",
        "ben-fixture",
        "script-fixture",
    ]
    with pytest.raises(AttributeError):
        testimonials[0].quote = "edited by a template"


def test_draft_preview_says_it_is_not_published(fixture_site):
    soup = fixture_site.soup("drafts/unfinished-draft/")
    notice = soup.select_one(".publication-notice")
    assert text(notice).startswith("Draft — not published.")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"


def test_scheduled_preview_says_when_it_will_appear(fixture_site):
    soup = fixture_site.soup("scheduled-post/")
    notice = soup.select_one(".publication-notice")
    assert text(notice).startswith("Scheduled for January 1, 2099.")
    assert notice.find("time")["datetime"] == "2099-01-01"
    listing = fixture_site.soup("")
    assert (
        text(listing.select_one(".article-summary__date"))
        == "Scheduled for January 1, 2099"
    )


def test_published_articles_carry_no_notice(fixture_site, fixture_publish_site):
    assert fixture_site.soup("first-visit/").select_one(".publication-notice") is None
    for path in fixture_publish_site.html_files():
        page = fixture_publish_site.soup(
            str(path.relative_to(fixture_publish_site.output))
        )
        assert page.select_one(".publication-notice") is None, path
