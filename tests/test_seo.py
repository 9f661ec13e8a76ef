"""Structured data and SEO, read the way search engines read them."""

from __future__ import annotations

import json
from pathlib import Path
import shutil

import extruct
from images.images import site_card_path
from lxml import etree
from PIL import Image
import pytest
from seo.seo import og_locale, unlisted_page_patterns

from tests.support import (
    FIXTURE_CONTENT,
    PUBLISH_SETTINGS,
    PUBLISH_SITEURL,
    Site,
    build,
)

SITEMAP_SCHEMA = Path(__file__).parent / "data" / "sitemap.xsd"


def json_ld(site, url: str) -> list[dict]:
    html = site.path(url).read_text(encoding="utf-8")
    return extruct.extract(html, base_url=PUBLISH_SITEURL, syntaxes=["json-ld"])[
        "json-ld"
    ]


def of_type(items: list[dict], kind: str) -> list[dict]:
    return [item for item in items if item.get("@type") == kind]


def test_article_is_a_blog_posting_with_a_plain_text_headline(fixture_publish_site):
    items = json_ld(fixture_publish_site, "quotes-and-ampersands/")
    (posting,) = of_type(items, "BlogPosting")
    assert posting["headline"] == "“Ketamine” & PTSD: Questions Answered"
    assert posting["description"] == (
        "A fixture whose title has typographic quotes and an ampersand in it."
    )
    assert posting["datePublished"].startswith("2026-01-12T00:00:00")
    # The author as the taxonomy describes them, linked to their page.
    assert posting["author"] == [
        {
            "@type": "Person",
            "name": "Fixture Writer",
            "jobTitle": "Medical writer",
            "honorificSuffix": "MPH",
            "description": "A writer who exists only in the test fixtures.",
            "url": f"{PUBLISH_SITEURL}/author/fixture-writer/",
        }
    ]
    assert posting["publisher"] == {"@type": "Organization", "name": "Nushama"}
    assert posting["mainEntityOfPage"] == f"{PUBLISH_SITEURL}/quotes-and-ampersands/"
    assert posting["keywords"] == ["PTSD"]


def test_reviewed_article_is_also_a_medical_web_page(fixture_publish_site):
    items = json_ld(fixture_publish_site, "quotes-and-ampersands/")
    (page,) = of_type(items, "MedicalWebPage")
    assert page["lastReviewed"] == "2026-01-20"
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": "Fixture Reviewer",
        "honorificSuffix": "MD",
        "url": f"{PUBLISH_SITEURL}/reviewers/fixture-reviewer/",
    }
    assert page["medicalAudience"] == {"@type": "Patient"}
    assert page["about"] == [{"@type": "Thing", "name": "PTSD"}]


def test_unreviewed_article_makes_no_medical_web_page(fixture_publish_site, seed_site):
    assert (
        of_type(json_ld(fixture_publish_site, "first-visit/"), "MedicalWebPage") == []
    )
    assert of_type(json_ld(seed_site, "ketamine-for-ptsd/"), "MedicalWebPage") == []


def test_citations_reach_the_medical_web_page(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    article = content / "articles" / "quotes-and-ampersands.md"
    article.write_text(article.read_text() + "\nA cited claim.[@fixture2021]\n")
    site = build(content, tmp_path / "out", PUBLISH_SETTINGS)
    html = (site / "quotes-and-ampersands" / "index.html").read_text()
    items = extruct.extract(html, syntaxes=["json-ld"])["json-ld"]
    (page,) = of_type(items, "MedicalWebPage")
    expected = [
        {
            "@type": "ScholarlyArticle",
            "name": "A Fixture Study of Fixture Things",
            "datePublished": "2020",
            "description": "Randomized controlled fixture trial.",
            "url": "https://doi.org/10.1234/fixture.2020.1",
        },
        {
            "@type": "ScholarlyArticle",
            "name": "A Second Fixture Study",
            "datePublished": "2021",
            "description": "Systematic review and meta-analysis of fixtures, 12 "
            "trials, 1,100 fixture participants. Fixtures were found to be fixtures.",
            "url": "https://journal.example/fixture-study",
        },
    ]
    assert page["citation"] == expected
    (posting,) = of_type(items, "BlogPosting")
    assert posting["citation"] == expected


def test_an_article_citing_nothing_has_no_citation_markup(fixture_publish_site):
    (posting,) = of_type(json_ld(fixture_publish_site, "older-notes/"), "BlogPosting")
    assert "citation" not in posting


def test_breadcrumbs_lead_home_category_article(fixture_publish_site):
    (crumbs,) = of_type(json_ld(fixture_publish_site, "first-visit/"), "BreadcrumbList")
    assert [
        (i["position"], i["name"], i["item"]) for i in crumbs["itemListElement"]
    ] == [
        (1, "Home", f"{PUBLISH_SITEURL}/"),
        (2, "Mental health", f"{PUBLISH_SITEURL}/category/mental-health/"),
        (3, "What to Expect at a First Visit", f"{PUBLISH_SITEURL}/first-visit/"),
    ]


def test_every_page_names_the_organization(fixture_publish_site):
    for path in fixture_publish_site.html_files():
        url = str(path.relative_to(fixture_publish_site.output))
        organizations = of_type(json_ld(fixture_publish_site, url), "Organization")
        assert organizations == [
            {
                "@context": "https://schema.org",
                "@type": "Organization",
                "name": "Nushama",
                "url": f"{PUBLISH_SITEURL}/",
            }
        ], url


@pytest.mark.real_content
def test_no_review_or_rating_markup_anywhere(fixture_publish_site, real_site):
    for site in (fixture_publish_site, real_site):
        for path in site.html_files():
            text = json.dumps(json_ld(site, str(path.relative_to(site.output))))
            assert '"Review"' not in text
            assert "AggregateRating" not in text
            assert "reviewRating" not in text


def test_social_and_canonical_tags(fixture_publish_site):
    soup = fixture_publish_site.soup("quotes-and-ampersands/")
    meta = {
        m.get("property") or m.get("name"): m["content"]
        for m in soup.find_all("meta")
        if m.get("property") or m.get("name")
    }
    url = f"{PUBLISH_SITEURL}/quotes-and-ampersands/"
    assert meta["og:type"] == "article"
    assert meta["og:title"] == "“Ketamine” & PTSD: Questions Answered"
    assert meta["og:url"] == url
    assert meta["og:site_name"] == "Nushama Blog"
    # No `Image:`: the images plugin's card stands in, so previews are large.
    assert (
        meta["og:image"] == f"{PUBLISH_SITEURL}/images/social/quotes-and-ampersands.png"
    )
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["description"] == meta["og:description"] == meta["twitter:description"]
    assert soup.find("link", rel="canonical")["href"] == url
    home = fixture_publish_site.soup("")
    assert home.find("link", rel="canonical")["href"] == f"{PUBLISH_SITEURL}/"


def test_sitemap_is_valid_and_lists_published_pages_only(fixture_publish_site):
    sitemap = etree.parse(str(fixture_publish_site.output / "sitemap.xml"))
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_SCHEMA)))
    assert schema.validate(sitemap), schema.error_log
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in sitemap.findall(".//s:loc", namespace)]
    assert f"{PUBLISH_SITEURL}/first-visit/" in locs
    assert f"{PUBLISH_SITEURL}/about/" in locs
    assert not any("404" in loc or "/drafts/" in loc or "/tag/" in loc for loc in locs)
    assert f"{PUBLISH_SITEURL}/scheduled-post/" not in locs


def test_sitemap_schema_rejects_a_broken_sitemap(tmp_path):
    broken = tmp_path / "sitemap.xml"
    broken.write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>/relative/</loc><priority>2</priority></url></urlset>"
    )
    schema = etree.XMLSchema(etree.parse(str(SITEMAP_SCHEMA)))
    assert not schema.validate(etree.parse(str(broken)))
    errors = " ".join(e.message for e in schema.error_log)
    assert "minimum length" in errors  # the relative loc
    assert "greater than the maximum value" in errors  # priority 2


def test_robots_txt_points_at_the_sitemap(fixture_publish_site, fixture_site):
    assert (fixture_publish_site.output / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\nSitemap: {PUBLISH_SITEURL}/sitemap.xml\n"
    )
    assert (
        fixture_site.output / "robots.txt"
    ).read_text() == "User-agent: *\nDisallow: /\n"


def test_preview_builds_are_not_indexed(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_NOINDEX", "1")
    site = build(FIXTURE_CONTENT, tmp_path / "out", PUBLISH_SETTINGS)
    page = Site(site).soup("first-visit/")
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, nofollow"
    assert (site / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"


def test_share_image_reaches_open_graph_and_json_ld(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    article = content / "articles" / "older-notes.md"
    article.write_text(
        article.read_text().replace(
            "Category: Mental health\n",
            "Category: Mental health\nImage: {static}/images/pixel.png\n"
            "Image_alt: A single teal pixel\n",
        )
    )
    site = build(content, tmp_path / "out", PUBLISH_SETTINGS)
    html = (site / "older-notes" / "index.html").read_text()
    page = Site(site).soup("older-notes/")
    image = f"{PUBLISH_SITEURL}/images/pixel.png"
    assert page.find("meta", property="og:image")["content"] == image
    assert (
        page.find("meta", property="og:image:alt")["content"] == "A single teal pixel"
    )
    assert page.find("meta", attrs={"name": "twitter:card"})["content"] == (
        "summary_large_image"
    )
    (posting,) = of_type(
        extruct.extract(html, syntaxes=["json-ld"])["json-ld"], "BlogPosting"
    )
    assert posting["image"] == image
    assert (site / "images" / "pixel.png").is_file()


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "en_US"),
        ("en-GB", "en_GB"),
        ("pt_br", "pt_BR"),
        ("ES", "es_ES"),
        ("xx", ""),  # a language the table does not know: no guess
        ("", ""),
    ],
)
def test_og_locale_is_language_and_territory(locale, expected):
    assert og_locale(locale) == expected


def _meta_tags(soup) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for m in soup.find_all("meta"):
        key = m.get("property") or m.get("name")
        if key:
            tags.setdefault(key, []).append(m["content"])
    return tags


def test_articles_give_open_graph_locale_times_section_and_tags(fixture_publish_site):
    meta = _meta_tags(fixture_publish_site.soup("first-visit/"))
    (posting,) = of_type(json_ld(fixture_publish_site, "first-visit/"), "BlogPosting")
    assert meta["og:locale"] == ["en_US"]  # the fixture site is DEFAULT_LANG "en"
    assert meta["article:published_time"] == [posting["datePublished"]]
    assert meta["article:modified_time"] == [posting["dateModified"]]
    assert meta["article:section"] == ["Mental health"]
    assert (
        meta["article:tag"]
        == posting["keywords"]
        == ["ketamine therapy", "first visit"]
    )


def test_other_pages_have_a_locale_and_the_sites_card_but_no_article_times(
    fixture_publish_site,
):
    images = set()
    for url in ("", "search/", "404.html", "about/", "testimonials/", "archives/"):
        meta = _meta_tags(fixture_publish_site.soup(url))
        assert meta["og:locale"] == ["en_US"], url
        assert not [key for key in meta if key.startswith("article:")], url
        assert meta["twitter:card"] == ["summary_large_image"], url
        images.update(meta["og:image"])
    (image,) = images  # one card for all of them
    assert image.startswith(f"{PUBLISH_SITEURL}/images/social/site-")
    card = fixture_publish_site.output / image.removeprefix(f"{PUBLISH_SITEURL}/")
    with Image.open(card) as drawn:
        assert drawn.size == (1200, 630)


def test_the_sites_card_is_named_by_its_text():
    settings = {
        "SITENAME": "Blog",
        "SITE_DESCRIPTION": "About things",
        "IMAGES_CARD_SAVE_AS": "images/social/{slug}.png",
    }
    first = site_card_path(settings)
    assert first == site_card_path(dict(settings))
    assert site_card_path({**settings, "SITE_DESCRIPTION": "About more"}) != first
    assert str(first).startswith("images/social/site-")


def test_the_sitemap_leaves_out_the_search_page(fixture_publish_site):
    sitemap = etree.parse(str(fixture_publish_site.output / "sitemap.xml"))
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = {loc.text for loc in sitemap.findall(".//s:loc", namespace)}
    assert f"{PUBLISH_SITEURL}/" in locs
    assert f"{PUBLISH_SITEURL}/testimonials/" in locs
    assert f"{PUBLISH_SITEURL}/search/" not in locs


def test_unlisted_pages_follow_their_save_as():
    settings = {"SEARCH_SAVE_AS": "find/index.html"}
    assert unlisted_page_patterns(settings) == ["^find/$"]
    assert unlisted_page_patterns({"SEARCH_SAVE_AS": ""}) == []
