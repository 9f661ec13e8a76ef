"""Search: what Pagefind indexes, the search page, the header field, a real search."""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys

from bs4 import BeautifulSoup
import pytest
import search as search_plugin

from tests.browser import axe_violations, open_page
from tests.support import (
    FIXTURE_CONTENT,
    PelicanComplained,
    build,
    indexed_pages,
    serve,
    text,
)

# Published articles and pages of the fixture site. Left out on purpose: the
# draft (drafts/), the post dated 2099 (scheduled), and every list page.
INDEXED = {
    "/first-visit/": "What to Expect at a First Visit",
    "/older-notes/": "Older Notes",
    "/quotes-and-ampersands/": "“Ketamine” & PTSD: Questions Answered",
    "/asking-for-a-second-opinion/": "Asking for a Second Opinion",
    "/about/": "About This Fixture",
}


def parse(html_file: Path) -> BeautifulSoup:
    """Parse one built HTML file."""
    return BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")


def test_index_holds_published_articles_and_pages_with_plain_titles(fixture_site):
    pages = indexed_pages(fixture_site.output)
    assert {url: page["meta"]["title"] for url, page in pages.items()} == INDEXED


def test_index_leaves_out_the_chrome_around_an_article(fixture_site):
    content = indexed_pages(fixture_site.output)["/first-visit/"]["content"]
    # The title is found through the index's title, not repeated as text.
    assert content.startswith("A fixture article")
    assert "↩" not in content, "reference back-links are not words"
    # Body text is in; the crisis block, byline, reading time, table of
    # contents, disclaimer, tags, navigation and call to action are not.
    for chrome in ("988", "min read", "On this page", "not medical advice", "Tags"):
        assert chrome not in content, chrome
    site_nav = fixture_site.soup("first-visit/").select_one(".site-header").get_text()
    assert "Testimonials" in site_nav and "Testimonials" not in content


def test_search_page_works_without_javascript_only_as_a_notice(fixture_site):
    soup = fixture_site.soup("search/")
    assert soup.select_one("main form.search__form input[name=q]")
    notice = soup.select_one("main noscript .search__notice")
    assert "Search needs JavaScript" in text(notice)
    assert [a["href"] for a in notice.select("a")] == ["/archives/", "/categories/"]
    container = soup.select_one("main search[data-search]")
    assert container["data-site-root"] == "/"
    assert container["data-index-dir"] == "pagefind/"


def test_only_the_search_page_runs_a_script_and_may_compile_webassembly(fixture_site):
    for page in fixture_site.html_files():
        soup = parse(page)
        policy = soup.select_one('meta[http-equiv="Content-Security-Policy"]')
        scripts = [
            s.get("src")
            for s in soup.select("script:not([type='application/ld+json'])")
        ]
        if page == fixture_site.path("search/"):
            assert scripts == ["/theme/js/search.js"]
            assert "script-src 'self' 'wasm-unsafe-eval';" in policy["content"]
        else:
            assert scripts == [], page
            assert "script-src 'self';" in policy["content"], page
    assert (fixture_site.output / "theme" / "js" / "search.js").is_file()
    # Hosts that read _headers get the policy the search page needs; each
    # page's meta tag narrows it again.
    headers = (fixture_site.output / "_headers").read_text(encoding="utf-8")
    assert "script-src 'self' 'wasm-unsafe-eval'" in headers


def test_every_page_but_search_has_the_header_search_field(fixture_site):
    for page in fixture_site.html_files():
        soup = parse(page)
        field = soup.select_one("header.site-header search form")
        if page == fixture_site.path("search/"):
            assert field is None, "the search page has its own field"
            continue
        assert field is not None, page
        assert field["action"] == "/search/" and field["method"] == "get"
        query = field.select_one("input[type=search][name=q]")
        label = field.select_one(f"label[for={query['id']}]")
        assert text(label) == "Search the articles"


@pytest.fixture(scope="module")
def unindexed_site(tmp_path_factory) -> Path:
    """Build the fixture site with SEARCH_INDEX off; the tests only read it."""
    output = tmp_path_factory.mktemp("unindexed") / "output"
    return build(FIXTURE_CONTENT, output, SEARCH_INDEX=False)


def test_search_index_can_be_switched_off(unindexed_site):
    assert not (unindexed_site / "pagefind").exists()


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("import sys; sys.exit(3)", "Search index: Pagefind failed (exit 3)"),
        ("pass", "Search index: Pagefind wrote no index into"),
    ],
    ids=["pagefind fails", "pagefind writes nothing"],
)
def test_a_failed_index_fails_the_build(tmp_path, monkeypatch, command, message):
    monkeypatch.setattr(
        search_plugin.search,
        "pagefind_command",
        lambda _site, _index_dir, _language: [sys.executable, "-c", command],
    )
    with pytest.raises(PelicanComplained, match=re.escape(message)):
        build(FIXTURE_CONTENT, tmp_path / "output")


# --- In Chromium -------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_site_url(seed_site):
    with serve(seed_site.output) as url:
        yield url


def wait_for_results(page) -> list[dict]:
    """Wait for the search page to report; return the results a reader sees."""
    # A selector, not a script: the page's CSP forbids evaluating strings.
    page.wait_for_selector(".search__status:not(:empty)")
    return page.eval_on_selector_all(
        ".search__result",
        """items => items.map(item => ({
            title: item.querySelector('a').textContent,
            href: item.querySelector('a').getAttribute('href'),
            excerpt: item.querySelector('.search__result-excerpt').innerHTML,
        }))""",
    )


SEED_TITLE = "Ketamine as Treatment for Post-Traumatic Stress Disorder (PTSD)"


@pytest.mark.browser
def test_typing_words_from_the_seed_article_finds_it(browser, seed_site_url):
    page, report = open_page(browser, f"{seed_site_url}/search/", seed_site_url)
    try:
        field = page.get_by_label("Words to look for")
        field.fill("flashbacks")
        results = wait_for_results(page)
        assert results[0]["title"] == SEED_TITLE
        assert results[0]["href"] == "/ketamine-for-ptsd/"
        assert "<mark>flashbacks" in results[0]["excerpt"]
        assert page.text_content(".search__status") == "1 article matches “flashbacks”."
        assert page.url.endswith("/search/?q=flashbacks")
        page.click(".search__result a")
        page.wait_for_url("**/ketamine-for-ptsd/")
        assert page.text_content("h1").strip().startswith("Ketamine as Treatment")
        assert report.problems() == []
    finally:
        page.context.close()


@pytest.mark.browser
def test_the_header_field_leads_to_results(browser, seed_site_url):
    page, report = open_page(browser, f"{seed_site_url}/", seed_site_url)
    try:
        page.fill("#site-search-query", "post-traumatic stress")
        page.press("#site-search-query", "Enter")
        page.wait_for_url("**/search/?q=post-traumatic+stress")
        assert page.input_value("#search-query") == "post-traumatic stress"
        assert [r["title"] for r in wait_for_results(page)] == [SEED_TITLE]
        assert report.problems() == []
    finally:
        page.context.close()


@pytest.mark.browser
def test_no_match_says_so(browser, seed_site_url):
    page, _ = open_page(browser, f"{seed_site_url}/search/?q=zzyzx", seed_site_url)
    try:
        assert wait_for_results(page) == []
        assert "No articles match “zzyzx”" in page.text_content(".search__status")
    finally:
        page.context.close()


@pytest.mark.browser
def test_without_javascript_the_page_says_search_needs_it(browser, seed_site_url):
    page, _ = open_page(
        browser, f"{seed_site_url}/search/", seed_site_url, java_script_enabled=False
    )
    try:
        notice = page.locator(".search__notice")
        assert notice.is_visible()
        assert notice.inner_text().startswith("Search needs JavaScript")
        assert not page.is_visible("#search-query")
    finally:
        page.context.close()


@pytest.mark.browser
def test_a_missing_index_is_reported_to_the_reader(browser, unindexed_site):
    with serve(unindexed_site) as url:
        page, _ = open_page(browser, f"{url}/search/?q=visit", url)
        try:
            page.wait_for_selector(".search__status:not(:empty)")
            assert "Search is not available right now" in page.text_content(
                ".search__status"
            )
            # The footer, hidden while the words were looked up, shows again.
            page.wait_for_selector(".search:not([aria-busy])")
            assert page.is_visible(".site-footer .crisis-resources")
        finally:
            page.context.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_results_pass_axe(browser, seed_site_url, scheme):
    page, _ = open_page(
        browser,
        f"{seed_site_url}/search/?q=ketamine",
        seed_site_url,
        color_scheme=scheme,
        bypass_csp=True,
    )
    try:
        assert wait_for_results(page)
        assert axe_violations(page) == []
    finally:
        page.context.close()


def test_only_the_files_our_search_page_uses_are_shipped(fixture_site):
    index = fixture_site.output / "pagefind"
    shipped = {path.name for path in index.iterdir() if path.is_file()}
    assert "pagefind.js" in shipped and "pagefind-entry.json" in shipped
    assert [name for name in shipped if "ui" in name or "highlight" in name] == []


@pytest.mark.browser
def test_an_excerpt_never_repeats_the_title_above_it(browser, fixture_site):
    # "Expect" is in the fixture article's title only: its match in the title
    # once gave an excerpt that started with the whole title.
    with serve(fixture_site.output) as url:
        page, _ = open_page(browser, f"{url}/search/?q=expect", url)
        try:
            (result,) = wait_for_results(page)
            assert result["title"] == INDEXED["/first-visit/"]
            excerpt = BeautifulSoup(result["excerpt"], "html.parser").get_text()
            assert INDEXED["/first-visit/"] not in excerpt
            assert excerpt.startswith("A fixture article")
        finally:
            page.context.close()


@pytest.mark.browser
def test_the_footer_follows_a_single_result_closely(browser, seed_site_url):
    page, _ = open_page(
        browser,
        f"{seed_site_url}/search/?q=flashbacks",
        seed_site_url,
        viewport={"width": 1280, "height": 900},
    )
    try:
        assert len(wait_for_results(page)) == 1
        # Hidden while the words of the address were looked up; shown after.
        page.wait_for_selector(".search:not([aria-busy])")
        assert page.is_visible(".site-footer .crisis-resources")
        gap = page.evaluate(
            """() => {
                const top = (selector) =>
                    document.querySelector(selector).getBoundingClientRect();
                return top('.site-footer').top - top('.search__results').bottom;
            }"""
        )
        # The page's own bottom margin, not a screen's height of blank.
        assert 0 <= gap < 200
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def translations_site_url(translations_site):
    with serve(translations_site.output) as url:
        yield url


@pytest.mark.browser
def test_the_search_page_finds_articles_in_every_language(
    browser, translations_site_url
):
    # One index for the whole site: a Spanish translation is found from the
    # search page too (Pagefind would give each language an index of its own).
    url = translations_site_url
    page, report = open_page(browser, f"{url}/search/?q=traducción", url)
    try:
        results = wait_for_results(page)
        assert [r["href"] for r in results] == ["/es/first-visit/"]
        assert report.problems() == []
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def parted_site(tmp_path_factory) -> Path:
    """Build the fixture site with its index in parts of two pages."""
    output = tmp_path_factory.mktemp("parted") / "out"
    return build(FIXTURE_CONTENT, output, SEARCH_PAGES_PER_INDEX=2)


def test_a_large_site_is_indexed_in_parts_that_hold_every_page_once(parted_site):
    index = parted_site / "pagefind"
    listed = json.loads((index / "parts.json").read_text(encoding="utf-8"))["parts"]
    # Five searchable pages, two per part: the index itself and two more.
    assert listed == ["part-1/", "part-2/"]
    pages = {}
    for bundle in (index, *(index / part for part in listed)):
        assert (bundle / "pagefind-entry.json").is_file()
        assert not list(bundle.glob("pagefind-*ui.*"))
        found = indexed_pages(parted_site, bundle=bundle)
        for url, page in found.items():
            assert url not in pages, f"{url} is in two parts"
            pages[url] = page
    assert {url: page["meta"]["title"] for url, page in pages.items()} == INDEXED


def test_a_site_in_one_part_lists_no_further_part(fixture_site):
    listed = json.loads((fixture_site.output / "pagefind" / "parts.json").read_text())
    assert listed == {"parts": []}


@pytest.mark.browser
def test_the_search_page_finds_pages_in_every_part(browser, parted_site):
    with serve(parted_site) as url:
        for words, title in (
            ("second opinion", "Asking for a Second Opinion"),
            ("fixture", "About This Fixture"),
            ("older notes", "Older Notes"),
        ):
            page, report = open_page(browser, f"{url}/search/?q={words}", url)
            try:
                titles = [result["title"] for result in wait_for_results(page)]
                assert title in titles, f"{words!r} found {titles}"
                assert report.problems() == []
            finally:
                page.context.close()
