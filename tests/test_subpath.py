"""A site served under a sub-path (SITEURL …/blog): feeds, sitemap and search follow it.

Links and assets under a sub-path are held by tests/test_links.py; this file
serves the publish build at /blog/ on a real server and checks what only a
reader, a feed reader or a crawler would notice.
"""

from __future__ import annotations

from pathlib import Path
import shutil
from urllib.parse import urlsplit

import feedparser
from lxml import etree
import pytest

from tests.browser import open_page
from tests.support import (
    FIXTURE_CONTENT,
    PUBLISH_SETTINGS,
    build,
    free_port,
    serve,
    text,
)

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(scope="module")
def hosted(tmp_path_factory) -> tuple[str, Path]:
    """Build for http://127.0.0.1:PORT/blog, serve it there; yield (SITEURL, root)."""
    port = free_port()
    siteurl = f"http://127.0.0.1:{port}/blog"
    root = tmp_path_factory.mktemp("host")
    output = root / "blog"
    build(
        FIXTURE_CONTENT,
        output,
        PUBLISH_SETTINGS,
        SITEURL=siteurl,
        FEED_DOMAIN=siteurl,
        PRECOMPRESS_ZOPFLI=False,
    )
    # The host's own root holds something else: a stray link to "/" would miss.
    (root / "index.html").write_text("<!doctype html><title>Another site</title>")
    shutil.copy(output / "404.html", root / "404.html")
    with serve(root, port=port):
        yield siteurl, output


def local_file(url: str, siteurl: str, output: Path) -> Path:
    """Return the output file a URL of the site points at."""
    assert url.startswith(siteurl + "/"), url
    path = urlsplit(url).path.removeprefix(urlsplit(siteurl).path).lstrip("/")
    target = output / path
    return target / "index.html" if target.is_dir() or path.endswith("/") else target


def test_feed_entries_point_into_the_sub_path(hosted):
    siteurl, output = hosted
    feed = feedparser.parse((output / "feeds" / "all.atom.xml").read_bytes())
    assert feed.entries
    for entry in feed.entries:
        assert local_file(entry.link, siteurl, output).is_file(), entry.link


def test_sitemap_lists_only_addresses_under_the_sub_path(hosted):
    siteurl, output = hosted
    sitemap = etree.parse(str(output / "sitemap.xml"))
    locations = sitemap.xpath("//s:loc/text()", namespaces=SITEMAP_NS)
    assert f"{siteurl}/first-visit/" in locations
    for location in locations:
        assert local_file(location, siteurl, output).is_file(), location
    robots = (output / "robots.txt").read_text()
    assert f"Sitemap: {siteurl}/sitemap.xml" in robots


@pytest.mark.browser
def test_search_finds_articles_and_links_into_the_sub_path(browser, hosted):
    siteurl, _ = hosted
    origin = siteurl.removesuffix("/blog")
    page, report = open_page(browser, f"{siteurl}/search/?q=second+opinion", origin)
    try:
        page.wait_for_selector(".search__result a")
        link = page.locator(".search__result a").first
        assert link.get_attribute("href") == "/blog/asking-for-a-second-opinion/"
        link.click()
        page.wait_for_url(f"{siteurl}/asking-for-a-second-opinion/")
        assert text(page.text_content("h1")) == "Asking for a Second Opinion"
        assert report.problems() == []
    finally:
        page.context.close()


@pytest.mark.browser
def test_pages_load_every_asset_from_the_sub_path(browser, hosted):
    siteurl, _ = hosted
    origin = siteurl.removesuffix("/blog")
    for path in ("", "first-visit/", "testimonials/", "404.html"):
        page, report = open_page(browser, f"{siteurl}/{path}", origin)
        try:
            assert report.problems() == [], path
            # The stylesheet arrived: the page has the theme's background.
            background = page.evaluate(
                "getComputedStyle(document.body).backgroundColor"
            )
            assert background == "rgb(251, 250, 247)", path
        finally:
            page.context.close()
