"""One minified, content-hashed stylesheet, and the hosts' _headers file."""

from __future__ import annotations

import re

from assets.assets import AssetError, bundle_css
import pytest

from tests.support import ROOT

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
