"""What holds for any valid content: the writers' content/ through every gate.

Nothing here names an article, a testimonial or a count: writers add, correct
and retire content, and these must stay true whatever they do. Each failure
names the content file to look at. Exact texts live in the fixture tests.
BLOG_CONTENT points these tests at another content folder (the writer
scenarios in tests/test_writer_scenarios.py do).
"""

from __future__ import annotations

import datetime as dt
import html

from content_schema import check_content
from content_schema.placeholders import (
    BODY_FIRST_PARAGRAPH,
    BODY_HEADING,
    BODY_LAST_PARAGRAPH,
    DATE_PLACEHOLDER,
    PLACEHOLDER,
    SUMMARY_PLACEHOLDER,
)
from pelican.settings import read_settings
import pytest

from tests.support import (
    DEV_SETTINGS,
    PUBLISH_SETTINGS,
    REAL_CONTENT,
    content_sources,
    indexed_pages,
    text,
    text_files,
)

pytestmark = pytest.mark.real_content


def findings(settings_file):
    settings = read_settings(str(settings_file), override={"PATH": str(REAL_CONTENT)})
    return settings, check_content(settings)


@pytest.fixture(scope="module")
def publish_findings():
    return findings(PUBLISH_SETTINGS)


@pytest.fixture(scope="module")
def sources_by_url():
    """Which content file each published address comes from."""
    return content_sources(REAL_CONTENT)


def source_of(page_path, site, sources_by_url) -> str:
    relative = page_path.relative_to(site.output).parent.as_posix()
    url = "" if relative == "." else f"{relative}/"
    return sources_by_url.get(url, f"output page /{url}")


@pytest.mark.parametrize("settings_file", [DEV_SETTINGS, PUBLISH_SETTINGS])
def test_the_content_passes_the_check(settings_file):
    _settings, result = findings(settings_file)
    assert [str(p) for p in result.problems] == [], "run `make check` to see these"


def test_every_testimonial_shown_has_consent_and_its_disclosure(
    real_publish_site, publish_findings
):
    settings, result = publish_findings
    by_id = {t.id: t for t in result.testimonials}
    today = dt.date.today()
    failures = []
    for page in real_publish_site.html_files():
        soup = real_publish_site.soup(str(page.relative_to(real_publish_site.output)))
        for card in soup.select(".testimonial-card"):
            testimonial = by_id[card["id"].removeprefix("testimonial-")]
            blocker = testimonial.consent.publication_blocker(today)
            if blocker:
                failures.append(f"{testimonial.source}: shown although {blocker}")
            disclosure = card.select_one(".testimonial-card__disclosure")
            said = text(disclosure) if disclosure is not None else ""
            if not (
                said.startswith("This account comes from ")
                and said.endswith(text_of(settings["TESTIMONIALS_DISCLOSURE"]))
                and "TO FILL IN" not in said
            ):
                failures.append(f"{testimonial.source}: shown without its disclosure")
    assert failures == []


def text_of(value: str) -> str:
    return " ".join(value.split())


def test_a_withheld_testimonial_appears_nowhere(real_publish_site, publish_findings):
    _settings, result = publish_findings
    withheld = {finding.source for finding in result.withheld}
    hidden = [t for t in result.testimonials if t.source in withheld]
    pages = [*text_files(real_publish_site.output)]
    indexed = indexed_pages(real_publish_site.output)
    failures = []
    for testimonial in hidden:
        needle = testimonial.quote[:60]
        # Pages escape the text; feeds may escape it once more.
        needles = {needle, html.escape(needle), html.escape(html.escape(needle))}
        for path in pages:
            written = path.read_text(encoding="utf-8", errors="replace")
            if f"testimonial-{testimonial.id}" in written or any(
                n in written for n in needles
            ):
                failures.append(f"{testimonial.source}: in {path.name}")
        for url, fragment in indexed.items():
            if needle in fragment["content"]:
                failures.append(f"{testimonial.source}: in the search index at {url}")
    assert failures == []


def test_every_citation_resolves_on_its_page(real_publish_site, sources_by_url):
    failures = []
    for page in real_publish_site.html_files():
        soup = real_publish_site.soup(str(page.relative_to(real_publish_site.output)))
        main = soup.find("main")
        source = source_of(page, real_publish_site, sources_by_url)
        if main is not None and "[@" in main.get_text():
            failures.append(f"{source}: an unresolved [@key] is shown as text")
        for link in soup.select("sup.citation a[href^='#']"):
            if soup.find(id=link["href"][1:]) is None:
                failures.append(f"{source}: citation {link['href']} leads nowhere")
    assert failures == []


def test_no_scaffold_text_or_marker_reaches_readers(real_publish_site, sources_by_url):
    scaffold_text = (
        PLACEHOLDER,
        DATE_PLACEHOLDER,
        SUMMARY_PLACEHOLDER,
        BODY_FIRST_PARAGRAPH,
        BODY_HEADING.lstrip("# "),
        "[testimonials]",
        "{filename}",
        "{static}",
        "{attach}",
    )
    failures = []
    for page in real_publish_site.html_files():
        soup = real_publish_site.soup(str(page.relative_to(real_publish_site.output)))
        description = soup.find("meta", attrs={"name": "description"})
        words = " ".join(
            [
                soup.get_text(" "),
                description["content"] if description else "",
                soup.title.get_text() if soup.title else "",
            ]
        )
        paragraphs = {p.get_text().strip() for p in soup.find_all("p")}
        source = source_of(page, real_publish_site, sources_by_url)
        for leftover in scaffold_text:
            if leftover in words:
                failures.append(f"{source}: shows {leftover!r} to readers")
        if BODY_LAST_PARAGRAPH in paragraphs:
            failures.append(f"{source}: shows {BODY_LAST_PARAGRAPH!r} to readers")
    assert failures == []


def is_public(item, today: dt.date) -> bool:
    """Say whether the publish build shows `item` today (not a draft, not scheduled)."""
    date = item.date.date() if isinstance(item.date, dt.datetime) else item.date
    return item.status != "draft" and (date is None or date <= today)


def test_every_published_article_carries_the_health_notices(
    real_publish_site, publish_findings
):
    _settings, result = publish_findings
    today = dt.date.today()
    failures = []
    for item in result.items:
        if item.kind != "article" or not is_public(item, today):
            continue
        soup = real_publish_site.soup(item.url)
        for selector, what in (
            (".disclaimer", "the medical disclaimer"),
            (".reviewer-byline", "its medical review status"),
        ):
            if soup.select_one(selector) is None:
                failures.append(f"{item.source}: published without {what}")
    assert failures == []


def test_drafts_and_scheduled_articles_stay_out_of_the_published_site(
    real_publish_site, publish_findings
):
    _settings, result = publish_findings
    today = dt.date.today()
    leaked = [
        item.source
        for item in result.items
        if not is_public(item, today) and real_publish_site.path(item.url).exists()
    ]
    assert leaked == []
