"""A writer's ids never capture the theme's: the skip link and "Get help now" stay true.

A body heading `## Crisis resources` or `## Main`, or an `id=` in raw HTML,
gave a second `id="crisis-resources"` or `id="main"`, and the links that
must lead a reader in crisis to help jumped into the writer's text instead.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
import re

from bs4 import BeautifulSoup
import pytest
from sanitize.policy import THEME_ID_PREFIXES, THEME_IDS, WRITER_ID_PREFIX

from tests.support import ROOT, build

TEMPLATES = ROOT / "theme" / "templates"
HOSTILE_TEXT = """

## Main

## Crisis resources

## Crisis block heading

<p id="toc-heading">A paragraph with the table of contents' id.</p>

<p id="reference-1">A paragraph with a reference's id.</p>

<p id="testimonial-ana-fixture">A paragraph with a testimonial card's id.</p>

<p id="citation-1-1">A paragraph with a citation's id.</p>
"""


def test_the_reserved_ids_are_the_ids_the_templates_write():
    literal, numbered = set(), set()
    for template in TEMPLATES.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        literal |= set(re.findall(r'\bid="([a-z0-9-]+)"', text))
        numbered |= set(re.findall(r'\bid="([a-z0-9-]+-)\{\{', text))
    assert literal == THEME_IDS
    assert numbered <= set(THEME_ID_PREFIXES)
    assert not any(WRITER_ID_PREFIX.startswith(p) for p in THEME_ID_PREFIXES)


@pytest.fixture(scope="module")
def hostile_ids_site(tmp_path_factory):
    from tests.support import copy_fixture_site  # noqa: PLC0415

    root = tmp_path_factory.mktemp("reserved-ids")
    content = copy_fixture_site(root / "content")
    article = content / "articles" / "first-visit.md"
    article.write_text(article.read_text() + HOSTILE_TEXT)
    return build(content, root / "output")


def _ids(page: Path) -> Counter:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return Counter(tag["id"] for tag in soup.find_all(id=True))


def _repeated(output: Path) -> dict[str, list[str]]:
    """Each page of `output` that holds an id twice, with those ids."""
    repeated = {}
    for page in output.rglob("*.html"):
        twice = [i for i, n in _ids(page).items() if n > 1]
        if twice:
            repeated[page.relative_to(output).as_posix()] = twice
    return repeated


def test_no_page_has_an_id_twice(hostile_ids_site):
    assert list(hostile_ids_site.rglob("*.html"))
    assert _repeated(hostile_ids_site) == {}


def test_the_help_and_skip_links_lead_to_the_theme_not_the_text(hostile_ids_site):
    page = hostile_ids_site / "first-visit" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    assert soup.find(id="main").name == "main"
    assert "crisis-resources" in soup.find(id="crisis-resources")["class"]
    headings = {
        h.get_text(strip=True).replace("\xa0", " "): h.get("id")
        for h in soup.find_all("h2")
    }
    assert headings["Main"] == f"{WRITER_ID_PREFIX}main"
    assert headings["Crisis resources"] == f"{WRITER_ID_PREFIX}crisis-resources"
    assert soup.find(id=f"{WRITER_ID_PREFIX}testimonial-ana-fixture") is not None


@pytest.mark.parametrize(
    "site", ["fixture_site", "kitchen_sink_site", "translations_site", "seed_site"]
)
def test_no_fixture_page_has_an_id_twice(request, site):
    assert _repeated(request.getfixturevalue(site).output) == {}
