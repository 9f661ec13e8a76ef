"""Every template type in real Chromium: requests, CSP, layout, keyboard, axe-core."""

from __future__ import annotations

import pytest

from tests.browser import (
    AXE_SCRIPT,
    axe_violations,
    cumulative_layout_shift,
    focus_state,
    horizontal_overflow,
    luminance_of_background,
    open_page,
)
from tests.support import REAL_CONTENT, content_sources, serve
from tests.test_site import TEMPLATE_PAGES

pytestmark = pytest.mark.browser
SCHEMES = ("light", "dark")


@pytest.fixture(scope="session")
def site_url(fixture_site):
    with serve(fixture_site.output) as url:
        yield url


@pytest.fixture(scope="session")
def real_site_url(real_site):
    with serve(real_site.output) as url:
        yield url


@pytest.mark.parametrize("path", TEMPLATE_PAGES.values(), ids=TEMPLATE_PAGES.keys())
def test_page_loads_cleanly_from_its_own_origin_only(browser, site_url, path):
    page, report = open_page(browser, f"{site_url}/{path}", site_url)
    try:
        assert report.problems() == []
        for width in (320, 1280):
            assert horizontal_overflow(page, width) <= 0, (
                f"scrolls sideways at {width}px"
            )
    finally:
        page.context.close()


def writers_pages(site) -> list[str]:
    """List the pages that show writers' content (articles, pages, testimonials).

    Lists of tags, categories and dates are the fixture site's to cover.
    """
    paths = []
    for html in site.html_files():
        relative = html.relative_to(site.output).parent.as_posix()
        first = relative.split("/", 1)[0]
        if first not in {
            "tag",
            "tags",
            "category",
            "categories",
            "author",
            "authors",
            "archives",
            "page",
            "search",
        }:
            paths.append("" if relative == "." else f"{relative}/")
    return sorted(paths)


@pytest.mark.real_content
def test_every_real_page_loads_cleanly(browser, real_site, real_site_url):
    sources = content_sources(REAL_CONTENT)
    failures = {}
    for path in writers_pages(real_site):
        page, report = open_page(browser, f"{real_site_url}/{path}", real_site_url)
        try:
            problems = report.problems()
            if horizontal_overflow(page, 320) > 0:
                problems.append("scrolls sideways at 320px")
            if problems:
                failures[sources.get(path, f"/{path}")] = problems
        finally:
            page.context.close()
    assert failures == {}


@pytest.mark.parametrize("path", TEMPLATE_PAGES.values(), ids=TEMPLATE_PAGES.keys())
def test_skip_link_is_the_first_focus_stop_and_focus_is_visible(
    browser, site_url, path
):
    page, _ = open_page(
        browser, f"{site_url}/{path}", site_url, viewport={"width": 390, "height": 800}
    )
    try:
        page.keyboard.press("Tab")
        skip = focus_state(page)
        assert skip["className"] == "skip-link"
        assert skip["outlineStyle"] != "none" and skip["outlineWidth"] >= 2
        assert skip["top"] >= 0 and skip["height"] > 0, (
            "the skip link shows when focused"
        )
        page.keyboard.press("Tab")
        next_stop = focus_state(page)
        assert next_stop["tag"] == "a"
        assert next_stop["outlineStyle"] != "none" and next_stop["outlineWidth"] >= 2
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        assert focus_state(page)["id"] == "main"
    finally:
        page.context.close()


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", TEMPLATE_PAGES.values(), ids=TEMPLATE_PAGES.keys())
def test_axe_finds_no_wcag_violation(browser, site_url, path, scheme):
    # bypass_csp lets axe's script in; the CSP itself is tested above.
    page, _ = open_page(
        browser, f"{site_url}/{path}", site_url, color_scheme=scheme, bypass_csp=True
    )
    try:
        assert axe_violations(page) == []
    finally:
        page.context.close()


@pytest.mark.real_content
@pytest.mark.parametrize("scheme", SCHEMES)
def test_axe_finds_no_violation_on_any_real_page(
    browser, real_site, real_site_url, scheme
):
    sources = content_sources(REAL_CONTENT)
    failures = {}
    for path in writers_pages(real_site):
        page, _ = open_page(
            browser,
            f"{real_site_url}/{path}",
            real_site_url,
            color_scheme=scheme,
            bypass_csp=True,
        )
        try:
            violations = axe_violations(page)
            if violations:
                failures[sources.get(path, f"/{path}")] = violations
        finally:
            page.context.close()
    assert failures == {}


def test_dark_mode_is_applied(browser, site_url):
    luminance = {}
    for scheme in SCHEMES:
        page, _ = open_page(
            browser, f"{site_url}/first-visit/", site_url, color_scheme=scheme
        )
        luminance[scheme] = luminance_of_background(page)
        page.context.close()
    assert luminance["light"] > 0.8
    assert luminance["dark"] < 0.05


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(
    "path", ["", "first-visit/", "testimonials/", "404.html", "search/?q=visit"]
)
def test_nothing_shifts_while_a_page_loads(browser, site_url, path, width):
    # The fixture article has two content images, one loaded lazily.
    assert cumulative_layout_shift(browser, f"{site_url}/{path}", width) == 0


SHIFTING_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Shifts on purpose</title></head><body>
<p>Text that moves when the banner arrives.</p>
<script>setTimeout(() => document.body.insertAdjacentHTML(
  "afterbegin", '<div style="height: 300px">Late banner</div>'), 200)</script>
</body></html>
"""


def test_layout_shift_is_measured(browser, tmp_path):
    (tmp_path / "index.html").write_text(SHIFTING_PAGE)
    with serve(tmp_path) as url:
        assert cumulative_layout_shift(browser, f"{url}/", 390) > 0.1


BROKEN_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Broken on purpose</title>
<meta http-equiv="Content-Security-Policy" content="script-src 'self'">
<link rel="stylesheet" href="https://fonts.example/font.css">
</head><body>
<a href="#x" style="outline: none">First link, focus invisible</a>
<div style="width: 2000px">Too wide</div>
<p style="color: #bbb; background: #fff">Low contrast text</p>
<img src="/missing.png">
<script>console.log("inline script, blocked by the CSP")</script>
<script src="/missing.js"></script>
</body></html>
"""


@pytest.fixture(scope="module")
def broken_page_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    (folder / "index.html").write_text(BROKEN_PAGE)
    with serve(folder) as url:
        yield url


def test_checks_fail_on_a_page_broken_on_purpose(browser, broken_page_url):
    page, report = open_page(browser, f"{broken_page_url}/", broken_page_url)
    try:
        assert report.third_party_requests == ["https://fonts.example/font.css"]
        assert any("missing.png (HTTP 404)" in r for r in report.failed_requests)
        assert any("missing.js (HTTP 404)" in r for r in report.failed_requests)
        assert any("script-src" in v for v in report.csp_violations)
        assert report.console_errors
        assert horizontal_overflow(page, 320) > 0
        page.keyboard.press("Tab")
        assert focus_state(page)["outlineStyle"] == "none"
    finally:
        page.context.close()
    page, _ = open_page(
        browser, f"{broken_page_url}/", broken_page_url, bypass_csp=True
    )
    try:
        violations = axe_violations(page)
    finally:
        page.context.close()
    rules = {line.split(" ", 1)[0] for line in violations}
    assert {"color-contrast", "image-alt"} <= rules


def test_axe_is_installed():
    assert AXE_SCRIPT.is_file(), (
        "run `make test`: it installs the Node tools with npm ci"
    )
