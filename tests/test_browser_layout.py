"""Real-world Markdown in real Chromium: nothing scrolls sideways, blocks line up.

The kitchen-sink fixture (tests/fixtures/kitchen-sink/) holds the shapes real
posts use: long code lines, wide tables, footnotes, figures, long addresses.
Every page of it and of the fixture site must fit at 320, 390 and 1280 CSS
pixels; code and tables scroll inside their own regions instead. Screenshots
of its article and of a normal article, at 390 and 1280 in both schemes, go
to /tmp/shots-layout2/ (SHOTS_DIR) for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import axe_violations, open_page
from tests.support import Site, serve

pytestmark = pytest.mark.browser
ARTICLE = "/kitchen-sink/"
PAGE = "/wide-page/"
NORMAL_ARTICLE = "/first-visit/"
WIDTHS = (320, 390, 1280)
SCHEMES = ("light", "dark")
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-layout2"))

SIDEWAYS = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def kitchen_sink_url(kitchen_sink_site):
    with serve(kitchen_sink_site.output) as url:
        yield url


@pytest.fixture(scope="module")
def fixture_url(fixture_site):
    with serve(fixture_site.output) as url:
        yield url


def _url_paths(site: Site) -> list[str]:
    paths = []
    for file in site.html_files():
        relative = file.relative_to(site.output).as_posix()
        paths.append("/" + relative.removesuffix("index.html"))
    return paths


def _pages_scrolling_sideways(browser, site: Site, url: str) -> list[str]:
    context = browser.new_context()
    page = context.new_page()
    wide = []
    try:
        for path in _url_paths(site):
            page.goto(url + path, wait_until="load")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                overflow = page.evaluate(SIDEWAYS)
                if overflow > 0:
                    wide.append(f"{path} at {width} px: {overflow} px too wide")
    finally:
        context.close()
    return wide


def test_no_kitchen_sink_page_scrolls_sideways(
    browser, kitchen_sink_site, kitchen_sink_url
):
    assert len(_url_paths(kitchen_sink_site)) > 5
    assert _pages_scrolling_sideways(browser, kitchen_sink_site, kitchen_sink_url) == []


def test_no_fixture_site_page_scrolls_sideways(browser, fixture_site, fixture_url):
    assert _pages_scrolling_sideways(browser, fixture_site, fixture_url) == []


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", [ARTICLE, PAGE])
def test_axe_passes_on_real_world_markdown(browser, kitchen_sink_url, path, scheme):
    page, report = open_page(
        browser,
        kitchen_sink_url + path,
        kitchen_sink_url,
        color_scheme=scheme,
        bypass_csp=True,
    )
    try:
        assert report.problems() == []
        assert axe_violations(page) == []
    finally:
        page.context.close()


def _open(browser, origin: str, path: str, width: int, scheme: str = "light"):
    page, report = open_page(
        browser,
        origin + path,
        origin,
        color_scheme=scheme,
        viewport={"width": width, "height": 800},
    )
    assert report.problems() == []
    return page


def test_code_and_tables_scroll_inside_themselves(browser, kitchen_sink_url):
    page = _open(browser, kitchen_sink_url, ARTICLE, 390)
    try:
        regions = page.evaluate(
            """() => [...document.querySelectorAll('.article__body pre,'
                + ' .article__body .table-scroll')].map(e => ({
                tag: e.tagName, scrolls: e.scrollWidth > e.clientWidth,
                overflow: getComputedStyle(e).overflowX, tabIndex: e.tabIndex}))"""
        )
        assert {r["tag"] for r in regions} == {"PRE", "DIV"}
        assert any(r["scrolls"] for r in regions if r["tag"] == "PRE")
        assert any(r["scrolls"] for r in regions if r["tag"] == "DIV")
        assert all(r["overflow"] == "auto" and r["tabIndex"] == 0 for r in regions)
        # Highlighted: a keyword is coloured unlike the text around it.
        colours = page.evaluate(
            """() => ['.highlight .k', '.highlight pre'].map(
                (s) => getComputedStyle(document.querySelector(s)).color)"""
        )
        assert colours[0] != colours[1]
    finally:
        page.context.close()


def test_table_cells_keep_their_markdown_alignment(browser, kitchen_sink_url):
    page = _open(browser, kitchen_sink_url, PAGE, 1280)
    try:
        aligned = page.evaluate(
            """() => [...document.querySelector('.table-scroll tr').children]
                .slice(0, 3).map(cell => getComputedStyle(cell).textAlign)"""
        )
        assert aligned == ["center", "right", "left"]
        header = page.evaluate(
            """() => { const th = getComputedStyle(document.querySelector('th'));
                return [th.fontWeight, th.borderBottomStyle]; }"""
        )
        assert header == ["700", "solid"]
    finally:
        page.context.close()


# Where a block's text starts, and how wide its box is.
BLOCK_EDGES = """(selector) => { const e = document.querySelector(selector);
    const r = e.getBoundingClientRect(), s = getComputedStyle(e);
    return {start: r.left + parseFloat(s.paddingLeft), width: r.width}; }"""


@pytest.mark.parametrize("scheme", SCHEMES)
def test_footer_and_crisis_text_start_at_the_content_column(
    browser, kitchen_sink_url, scheme
):
    page = _open(browser, kitchen_sink_url, ARTICLE, 1280, scheme)
    try:
        column = page.evaluate(BLOCK_EDGES, ".article")["start"]
        assert column > 100  # centred at 1280, not at the window's edge
        for inner in (".crisis-resources__inner", ".site-footer__inner"):
            assert page.evaluate(BLOCK_EDGES, inner)["start"] == pytest.approx(
                column, abs=0.5
            ), inner
    finally:
        page.context.close()


def test_off_label_note_and_references_are_as_wide_as_the_text(
    browser, kitchen_sink_url
):
    page = _open(browser, kitchen_sink_url, ARTICLE, 1280)
    try:
        text_width = page.evaluate(BLOCK_EDGES, ".article__body")["width"]
        for block in (".crisis-block", ".off-label-note", ".references"):
            assert page.evaluate(BLOCK_EDGES, block)["width"] == pytest.approx(
                text_width, abs=0.5
            ), block
    finally:
        page.context.close()


# For each crumb: does it start a line of the trail, what its ::before shows,
# and whether anything (its ::after separator) sits on a line below its text
# (a line is about 25 px high; half-leading alone is a few pixels).
CRUMBS = """() => {
    const items = [...document.querySelectorAll('.breadcrumbs li')];
    const left = items[0].getBoundingClientRect().left;
    return items.map((li) => {
        const box = li.getBoundingClientRect();
        const range = document.createRange();
        range.selectNodeContents(li);
        const lines = [...range.getClientRects()];
        return {
            startsLine: Math.abs(box.left - left) < 1,
            before: getComputedStyle(li, '::before').content,
            after: getComputedStyle(li, '::after').content,
            textBottom: Math.max(...lines.map((r) => r.bottom)),
            bottom: box.bottom,
            lines: new Set(lines.map((r) => Math.round(r.top))).size,
        };
    });
}"""


@pytest.mark.parametrize("width", [320, 390])
def test_breadcrumb_never_starts_a_line_with_the_separator(
    browser, kitchen_sink_url, width
):
    page = _open(browser, kitchen_sink_url, ARTICLE, width)
    try:
        crumbs = page.evaluate(CRUMBS)
        # The trail does wrap here: the article's title is long.
        assert sum(c["startsLine"] for c in crumbs) >= 2 or any(
            c["lines"] > 1 for c in crumbs
        )
        for crumb in crumbs[1:]:
            if crumb["startsLine"]:
                assert "›" not in crumb["before"], crumb
        for crumb in crumbs[:-1]:
            assert "›" in crumb["after"], crumb
            assert crumb["bottom"] - crumb["textBottom"] < 10, crumb
    finally:
        page.context.close()


# A full-page screenshot does not scroll, so lazy images would stay blank.
LOAD_LAZY_IMAGES = """() => Promise.all([...document.images].map((image) => {
    image.loading = 'eager';
    return image.decode().catch(() => null);
}))"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", [390, 1280])
def test_screenshots_for_a_person(
    browser, kitchen_sink_url, fixture_url, width, scheme
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    for origin, path, name in (
        (kitchen_sink_url, ARTICLE, "kitchen-sink"),
        (fixture_url, NORMAL_ARTICLE, "first-visit"),
    ):
        page = _open(browser, origin, path, width, scheme)
        try:
            page.evaluate(LOAD_LAZY_IMAGES)
            page.screenshot(
                path=str(SHOTS / f"{name}-{width}-{scheme}.png"), full_page=True
            )
        finally:
            page.context.close()
