"""PageMeta (plugins/seo): what each page says about itself, and the one URL builder.

The fixture site is built under a sub-path SITEURL, as a clinic hosting the
blog at /blog would; the build's own articles, pages and settings are read
back, then the pages it wrote.
"""

from __future__ import annotations

import pytest
from seo.seo import PageMeta, canonical_url, site_page_meta

from tests.support import SUB_PATH_SITEURL


def by_slug(items, slug: str):
    return next(item for item in items if item.slug == slug)


def test_canonical_url_keeps_the_sub_path_and_is_root_relative_without_siteurl():
    assert (
        canonical_url({"SITEURL": SUB_PATH_SITEURL}, "first-visit/")
        == "https://example.org/blog/first-visit/"
    )
    assert canonical_url({"SITEURL": SUB_PATH_SITEURL}, "") == f"{SUB_PATH_SITEURL}/"
    assert canonical_url({"SITEURL": ""}, "first-visit/") == "/first-visit/"


def test_article_page_meta(fixture_sub_path_build):
    _site, context, _settings = fixture_sub_path_build
    article = by_slug(context["articles"], "quotes-and-ampersands")
    meta = article.page_meta
    assert isinstance(meta, PageMeta)
    title = "“Ketamine” & PTSD: Questions Answered"
    assert meta.url == f"{SUB_PATH_SITEURL}/quotes-and-ampersands/"
    assert meta.title == title
    assert meta.document_title == f"{title} · Nushama Blog"
    assert (
        meta.description
        == meta.social_description
        == ("A fixture whose title has typographic quotes and an ampersand in it.")
    )
    assert meta.type == "article"
    assert meta.author == "Fixture Writer"
    assert meta.locale == "en"
    # No `Image:`: the images plugin's card, the title as its alt text.
    assert meta.image == f"{SUB_PATH_SITEURL}/images/social/quotes-and-ampersands.png"
    assert meta.image_alt == title
    assert (meta.image_width, meta.image_height) == (1200, 630)
    assert meta.published == meta.modified == article.date
    assert meta.noindex is False
    posting, breadcrumbs, medical = meta.structured_data
    assert posting["@type"] == "BlogPosting"
    assert posting["mainEntityOfPage"] == meta.url
    assert posting["headline"] == meta.title
    assert posting["image"] == meta.image
    assert breadcrumbs["itemListElement"][0]["item"] == f"{SUB_PATH_SITEURL}/"
    assert medical["@type"] == "MedicalWebPage"


def test_articles_that_are_not_public_are_not_for_search_engines(
    fixture_sub_path_build,
):
    _site, context, _settings = fixture_sub_path_build
    # The publish build keeps drafts and future posts as drafts (not written).
    drafts = {draft.slug: draft.page_meta for draft in context["drafts"]}
    assert set(drafts) == {"unfinished-draft", "scheduled-post"}
    assert all(meta.noindex for meta in drafts.values())


def test_page_page_meta(fixture_sub_path_build):
    _site, context, settings = fixture_sub_path_build
    meta = by_slug(context["pages"], "about").page_meta
    assert meta.url == f"{SUB_PATH_SITEURL}/about/"
    assert meta.title == "About This Fixture"
    assert meta.document_title == "About This Fixture · Nushama Blog"
    assert (
        meta.description
        == meta.social_description
        == ("A fixture page that the article links to, and that links back.")
    )
    assert meta.type == "website"
    assert meta.author == ""
    # No image of its own: the site's card, which shows the description.
    assert meta.image.startswith(f"{SUB_PATH_SITEURL}/images/social/site-")
    assert meta.image_alt == (
        f"{settings['SITE_DESCRIPTION']} ({settings['SITENAME']})"
    )
    assert (meta.image_width, meta.image_height) == (1200, 630)
    assert meta.published is None
    assert meta.noindex is False
    assert meta.structured_data == (
        {
            "@context": "https://schema.org",
            "@type": "WebPage",
            "name": "About This Fixture",
            "url": f"{SUB_PATH_SITEURL}/about/",
            "inLanguage": "en",
        },
    )


def test_site_page_meta(fixture_sub_path_build):
    _site, _context, settings = fixture_sub_path_build
    site_description = settings["SITE_DESCRIPTION"]
    not_found = site_page_meta(settings, "404", "404.html")
    assert not_found.url == f"{SUB_PATH_SITEURL}/404.html"
    assert not_found.document_title == "Page not found · Nushama Blog"
    assert not_found.title == "Page not found"
    assert not_found.description == "This page could not be found."
    assert not_found.noindex is False  # hosts answer it with status 404
    assert not_found.structured_data == ()
    search = site_page_meta(settings, "search", "search/index.html")
    assert search.url == f"{SUB_PATH_SITEURL}/search/"
    assert search.description == "Search the articles of Nushama Blog."
    assert search.social_description == "Search the articles of Nushama Blog"
    home, second = (
        site_page_meta(settings, "index", save_as, page_number=number)
        for number, save_as in ((1, "index.html"), (2, "page/2/index.html"))
    )
    assert (home.url, home.document_title) == (f"{SUB_PATH_SITEURL}/", "Nushama Blog")
    assert second.url == f"{SUB_PATH_SITEURL}/page/2/"
    assert second.document_title == "Articles, page 2 · Nushama Blog"
    assert home.title == second.title == "Nushama Blog"
    assert home.description == second.social_description == site_description
    tag = site_page_meta(settings, "tag", "tag/ptsd/index.html", term="PTSD")
    assert tag.document_title == "Tag: PTSD · Nushama Blog"
    assert tag.url == f"{SUB_PATH_SITEURL}/tag/ptsd/"
    assert site_page_meta(settings, "categories", "categories/index.html").title == (
        "Nushama Blog"
    )
    # A template the plugin has no words for is described like the index.
    other = site_page_meta(settings, "period_archives", "2026/index.html")
    assert (other.document_title, other.description) == (
        "Nushama Blog",
        site_description,
    )


def test_site_pages_without_siteurl_have_no_canonical_address():
    settings = {
        "SITEURL": "",
        "SITENAME": "Nushama Blog",
        "SITE_DESCRIPTION": "A description.",
        "DEFAULT_LANG": "en",
    }
    assert site_page_meta(settings, "index", "index.html").url == ""


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("", "/"),
        ("page/2/", "/page/2/"),
        ("first-visit/", "/first-visit/"),
        ("about/", "/about/"),
        ("tag/ptsd/", "/tag/ptsd/"),
        ("author/fixture-writer/page/2/", "/author/fixture-writer/page/2/"),
        ("testimonials/", "/testimonials/"),
        ("search/", "/search/"),
        ("404.html", "/404.html"),
    ],
)
def test_every_page_prints_its_canonical_address_under_the_sub_path(
    fixture_sub_path_build, url, canonical
):
    site, _context, _settings = fixture_sub_path_build
    soup = site.soup(url)
    expected = SUB_PATH_SITEURL + canonical
    assert soup.find("link", rel="canonical")["href"] == expected
    assert soup.find("meta", property="og:url")["content"] == expected


def test_development_pages_have_no_canonical_and_previews_say_noindex(fixture_site):
    for url in ("", "first-visit/", "about/", "404.html"):
        assert fixture_site.soup(url).find("link", rel="canonical") is None, url

    def robots(url: str) -> int:
        return len(fixture_site.soup(url).find_all("meta", attrs={"name": "robots"}))

    # SITE_NOINDEX marks every development page; previews say it once more.
    assert robots("first-visit/") == 1
    assert robots("scheduled-post/") == robots("drafts/unfinished-draft/") == 2
