"""An article's byline and its date: drafts and scheduled articles are not published."""

from __future__ import annotations

from tests.support import text


def byline(site, path: str) -> str:
    return text(site.soup(path).select_one(".article-meta"))


def test_a_draft_never_says_published(fixture_site):
    meta = byline(fixture_site, "drafts/unfinished-draft/")
    assert "Draft, dated" in meta
    assert "Published" not in meta


def test_a_scheduled_article_says_when_it_will_be_published(fixture_site):
    meta = byline(fixture_site, "scheduled-post/")
    assert "Scheduled for" in meta
    assert "Published" not in meta


def test_a_published_article_says_published(fixture_site):
    assert "Published" in byline(fixture_site, "first-visit/")
