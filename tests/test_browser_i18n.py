"""Pages in other languages in real Chromium: axe-core, direction, no sideways scroll.

Screenshots of the Arabic (rtl) and Spanish pages at 390 and 1280 CSS pixels
go to /tmp/shots-lang/ (SHOTS_DIR), for a person to look at.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser import axe_violations, horizontal_overflow, open_page
from tests.support import serve
from tests.test_i18n import ARABIC, SPANISH

pytestmark = pytest.mark.browser
SCHEMES = ("light", "dark")
WIDTHS = (390, 1280)
SHOTS = Path(os.environ.get("SHOTS_DIR", "/tmp/shots-lang"))


@pytest.fixture(scope="module")
def site_url(translations_site):
    with serve(translations_site.output) as url:
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", [SPANISH, ARABIC], ids=["es", "ar"])
def test_axe_finds_no_wcag_violation(browser, site_url, path, scheme):
    page, report = open_page(
        browser, f"{site_url}/{path}", site_url, color_scheme=scheme, bypass_csp=True
    )
    try:
        assert report.problems() == []
        assert axe_violations(page) == []
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", [SPANISH, ARABIC], ids=["es", "ar"])
def test_page_fits_and_is_photographed(browser, site_url, path, width):
    page, _ = open_page(browser, f"{site_url}/{path}", site_url)
    try:
        assert horizontal_overflow(page, width) == 0
        SHOTS.mkdir(parents=True, exist_ok=True)
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    finally:
        page.context.close()


def test_arabic_text_runs_right_to_left_and_english_chrome_left_to_right(
    browser, site_url
):
    page, _ = open_page(browser, f"{site_url}/{ARABIC}", site_url)
    try:
        directions = page.evaluate(
            """() => Object.fromEntries(
                [".article__title", ".article__body", ".site-header", ".article-meta"]
                .map(s => [s, getComputedStyle(document.querySelector(s))
                .direction]))"""
        )
        assert directions == {
            ".article__title": "rtl",
            ".article__body": "rtl",
            ".site-header": "ltr",
            ".article-meta": "ltr",
        }
    finally:
        page.context.close()
