"""No broken internal link or fragment, at the root and under a sub-path."""

from __future__ import annotations

from pathlib import Path
import re

from bs4 import BeautifulSoup
import pytest

from tests.linkcheck import check_links
from tests.support import SUB_PATH_SITEURL


@pytest.fixture(scope="module")
def subpath_site(fixture_sub_path_build) -> Path:
    site, _context, _settings = fixture_sub_path_build
    return site.output


def test_fixture_development_build_has_no_broken_links(fixture_site):
    assert [str(b) for b in check_links(fixture_site.output)] == []


def test_fixture_publish_build_has_no_broken_links(fixture_publish_site):
    broken = check_links(fixture_publish_site.output, "https://example.org")
    assert [str(b) for b in broken] == []


def test_subpath_publish_build_has_no_broken_links(subpath_site):
    assert [str(b) for b in check_links(subpath_site, SUB_PATH_SITEURL)] == []
    home = BeautifulSoup((subpath_site / "index.html").read_text(), "html.parser")
    stylesheet = home.select_one("link[rel=stylesheet]")["href"]
    assert re.fullmatch(
        rf"{SUB_PATH_SITEURL}/theme/css/site\.[0-9a-f]{{10}}\.css", stylesheet
    )


@pytest.mark.real_content
def test_real_development_build_has_no_broken_links(real_site):
    assert [str(b) for b in check_links(real_site.output)] == []


def write_page(output: Path, relative: str, body: str) -> None:
    page = output / relative
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(f"<!DOCTYPE html><html><body>{body}</body></html>")


def test_checker_reports_missing_pages_fragments_and_escapes(tmp_path):
    write_page(tmp_path, "index.html", '<h2 id="top">Top</h2>')
    write_page(
        tmp_path,
        "post/index.html",
        '<a href="/">home</a> <a href="../#top">top</a>'
        '<a href="#here" id="here">self</a>'
        '<a href="/missing/">gone</a> <a href="/#nowhere">bad fragment</a>'
        '<img src="/images/none.png" alt=""> <img srcset="/a.png 1x, /b.png 2x" alt="">'
        '<a href="https://elsewhere.example/x">external</a> <a href="tel:988">call</a>'
        '<a href="{filename}/x.md">placeholder</a>',
    )
    (tmp_path / "a.png").write_bytes(b"")
    assert [str(b) for b in check_links(tmp_path)] == [
        'post/index.html: <a href> "/missing/": no such file in the output',
        'post/index.html: <a href> "/#nowhere": no element with id "nowhere" in '
        "index.html",
        'post/index.html: <a href> "{filename}/x.md": unresolved Pelican placeholder',
        'post/index.html: <img src> "/images/none.png": no such file in the output',
        'post/index.html: <img srcset> "/b.png": no such file in the output',
    ]


def test_checker_holds_links_to_the_sites_base_path(tmp_path):
    write_page(
        tmp_path,
        "index.html",
        '<a href="https://example.org/blog/">in</a> <a href="https://example.org/other/">out</a>'
        '<a href="/blog/">root-relative in</a>',
    )
    assert [str(b) for b in check_links(tmp_path, SUB_PATH_SITEURL)] == [
        'index.html: <a href> "https://example.org/other/": points outside the site\'s '
        "base path /blog/"
    ]
