"""Assets: the stylesheet bundle, _headers, and the publish build's extras.

One minified, content-hashed stylesheet and the hosts' _headers file in every
build; minified HTML and precompressed copies in the publish build.
"""

from __future__ import annotations

import gzip
import re

from assets.assets import AssetError, bundle_css
import brotli
import pytest

from tests.support import ROOT, text

THEME_CSS = ROOT / "theme" / "static" / "css"


def test_bundle_inlines_every_import_in_order_and_minifies(tmp_path):
    (tmp_path / "a.css").write_text("/* first */\n.a {\n  color: red;\n}\n")
    (tmp_path / "b.css").write_text(".b { color: blue; }\n")
    (tmp_path / "p.css").write_text(".nav { display: none; }\n")
    entry = tmp_path / "site.css"
    entry.write_text(
        '/* entry */\n@import "a.css";\n@import "b.css";\n@import "p.css" print;\n'
    )
    assert (
        bundle_css(entry)
        == ".a{color:red}.b{color:blue}@media print{.nav{display:none}}"
    )


def test_missing_import_is_an_error_naming_it(tmp_path):
    entry = tmp_path / "site.css"
    entry.write_text('@import "gone.css";\n')
    with pytest.raises(AssetError, match=r"gone\.css"):
        bundle_css(entry)


def test_every_theme_stylesheet_is_in_the_bundle():
    imported = set(
        re.findall(r'@import "([^"]+)"', (THEME_CSS / "site.css").read_text())
    )
    on_disk = {
        str(p.relative_to(THEME_CSS))
        for p in THEME_CSS.rglob("*.css")
        if p.name != "site.css"
    }
    assert imported == on_disk


def test_pages_load_one_hashed_stylesheet_that_exists(fixture_publish_site):
    soup = fixture_publish_site.soup("first-visit/")
    (link,) = soup.select("link[rel=stylesheet]")
    match = re.fullmatch(
        r"https://example\.org/(theme/css/site\.([0-9a-f]{10})\.css)", link["href"]
    )
    assert match, link["href"]
    bundle = fixture_publish_site.output / match[1]
    assert ".skip-link" in bundle.read_text()
    assert "\n" not in bundle.read_text().strip()


def test_headers_file_caches_the_bundle_forever_and_html_briefly(fixture_publish_site):
    headers = (fixture_publish_site.output / "_headers").read_text()
    bundle = re.search(r"^/(theme/css/site\.[0-9a-f]{10}\.css)$", headers, re.MULTILINE)
    assert bundle and (fixture_publish_site.output / bundle[1]).is_file()
    assert "  Cache-Control: public, max-age=31536000, immutable\n/*\n" in headers
    assert "  Cache-Control: public, max-age=300\n" in headers
    # One policy for every path, the one the search page needs (hosts merge
    # per-path policies); each page's meta tag may narrow it, never widen it.
    meta = fixture_publish_site.soup("search/").find(
        "meta", attrs={"http-equiv": "Content-Security-Policy"}
    )
    assert f"  Content-Security-Policy: {meta['content']}\n" in headers


# --- Publish build: minified HTML, precompressed copies -------------------------

TEXT_SUFFIXES = {".html", ".css", ".js", ".xml", ".json", ".txt"}


def test_publish_html_is_minified_and_reads_the_same(
    fixture_site, fixture_publish_site
):
    development = fixture_site.path("first-visit/").read_text(encoding="utf-8")
    published = fixture_publish_site.path("first-visit/").read_text(encoding="utf-8")
    assert "\n  " in development and "\n  " not in published
    # Smaller even though its links are absolute (https://example.org/...).
    assert len(published) < len(development)

    # The article's words, in the same order. (Whitespace between block
    # elements goes, so each element's text is taken separately.)
    def words(site):
        return text(site.soup("first-visit/").select_one(".article").get_text(" "))

    assert words(fixture_publish_site) == words(fixture_site)


def test_publish_build_leaves_scripts_and_stylesheets_byte_for_byte(
    fixture_site, fixture_publish_site
):
    # pelican-minify's CSS and JS options would run these through an HTML
    # minifier ("a < b" becomes "a &lt; b"); they must stay off.
    for relative in (
        "theme/js/search.js",
        "pagefind/pagefind.js",
        fixture_site.soup("").select_one("link[rel=stylesheet]")["href"].lstrip("/"),
    ):
        assert (fixture_publish_site.output / relative).read_bytes() == (
            fixture_site.output / relative
        ).read_bytes(), relative


def test_publish_build_writes_brotli_and_gzip_copies(fixture_publish_site):
    output = fixture_publish_site.output
    text_files = [p for p in output.rglob("*") if p.suffix in TEXT_SUFFIXES]
    assert len(text_files) > 30
    for path in text_files:
        original = path.read_bytes()
        for suffix, decompress in (
            (".br", brotli.decompress),
            (".gz", gzip.decompress),
        ):
            copy = path.with_name(path.name + suffix)
            # A copy is written only where it is smaller than the original.
            if len(original) >= 1024 or copy.exists():
                assert decompress(copy.read_bytes()) == original, copy
                assert copy.stat().st_size < len(original), copy


def test_development_build_is_neither_minified_nor_precompressed(fixture_site):
    assert list(fixture_site.output.rglob("*.br")) == []
    assert list(fixture_site.output.rglob("*.gz")) == []
