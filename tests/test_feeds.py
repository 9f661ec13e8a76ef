"""Atom and RSS feeds pass the W3C feed validator's rules (checked offline)."""

from __future__ import annotations

from lxml import etree
from pelican.settings import read_settings
import pytest
import seo.seo

from tests import feedcheck
from tests.support import (
    FIXTURE_CONTENT,
    PUBLISH_SETTINGS,
    PUBLISH_SITEURL,
    Site,
    build,
)

VALID_RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
<title>Blog</title><link>https://example.org/</link>
<description>About things</description><language>en</language>
<atom:link href="https://example.org/feeds/all.rss.xml" rel="self"/>
<lastBuildDate>Mon, 12 Jan 2026 00:00:00 +0000</lastBuildDate>
<item><title>A</title><link>https://example.org/a/</link>
<description>&lt;p&gt;Text&lt;/p&gt;</description>
<pubDate>Mon, 12 Jan 2026 00:00:00 +0000</pubDate>
<guid isPermaLink="false">tag:example.org,2026-01-12:/a/</guid></item>
<item><title>B</title><link>https://example.org/b/</link>
<pubDate>Sat, 10 Jan 2026 00:00:00 +0000</pubDate>
<guid>https://example.org/b/</guid></item>
</channel></rss>"""

VALID_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xml:lang="en" xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
<link href="https://example.org/" rel="alternate"/>
<link href="https://example.org/feeds/all.atom.xml" rel="self"/>
<id>https://example.org/</id><updated>2026-01-12T00:00:00+00:00</updated>
<entry><title>A</title><link href="https://example.org/a/" rel="alternate"/>
<published>2026-01-12T00:00:00+00:00</published>
<updated>2026-01-12T00:00:00+00:00</updated><author><name>W</name></author>
<id>tag:example.org,2026-01-12:/a/</id>
<summary type="html">&lt;p&gt;Text&lt;/p&gt;</summary></entry>
</feed>"""


def test_the_checker_accepts_valid_feeds():
    assert feedcheck.problems(VALID_RSS.encode()) == []
    assert feedcheck.problems(VALID_ATOM.encode()) == []


@pytest.mark.parametrize(
    ("old", "new", "reported"),
    [
        ('<guid isPermaLink="false">', "<guid>", "guid must be a full URL, unless"),
        (
            "<description>About things</description>",
            "<description/>",
            "empty description",
        ),
        ("<language>en</language>", "", "missing language"),
        (
            "<language>en</language>",
            "<language>English</language>",
            "not a language code",
        ),
        (
            '<atom:link href="https://example.org/feeds/all.rss.xml" rel="self"/>',
            "",
            'rel="self"',
        ),
        (
            "<link>https://example.org/a/</link>",
            "<link>/a/</link>",
            "link must be a full URL",
        ),
        ("Sat, 10 Jan 2026 00:00:00 +0000", "2026-01-10T00:00:00+00:00", "RFC 822"),
        (
            "<guid>https://example.org/b/</guid>",
            '<guid isPermaLink="false">tag:example.org,2026-01-12:/a/</guid>',
            "not unique",
        ),
        ("&lt;p&gt;Text&lt;/p&gt;", "<p>Text</p>", "escape its HTML"),
        ('version="2.0"', 'version="0.91"', "not '2.0'"),
    ],
)
def test_the_checker_reports_each_rss_rule(old, new, reported):
    assert old in VALID_RSS
    found = feedcheck.problems(VALID_RSS.replace(old, new, 1).encode())
    assert any(reported in problem for problem in found), found


@pytest.mark.parametrize(
    ("old", "new", "reported"),
    [
        ('xml:lang="en" ', "", "missing xml:lang"),
        (
            '<link href="https://example.org/feeds/all.atom.xml" rel="self"/>',
            "",
            'rel="self"',
        ),
        ("<id>https://example.org/</id>", "<id>/</id>", "id must be a full IRI"),
        (
            "<id>tag:example.org,2026-01-12:/a/</id>",
            "<id>a</id>",
            "id must be a full IRI",
        ),
        ("<author><name>W</name></author>", "", "missing author"),
        (
            '<link href="https://example.org/a/" rel="alternate"/>',
            '<link href="/a/" rel="alternate"/>',
            "full URL",
        ),
        (
            "<published>2026-01-12T00:00:00+00:00",
            "<published>Mon, 12 Jan 2026",
            "RFC 3339",
        ),
        (
            "<updated>2026-01-12T00:00:00+00:00</updated><author>",
            "<author>",
            "missing updated",
        ),
        ("&lt;p&gt;Text&lt;/p&gt;", "<p>Text</p>", "holds elements"),
        ("<entry><title>A</title>", "<entry>", "missing title"),
    ],
)
def test_the_checker_reports_each_atom_rule(old, new, reported):
    assert old in VALID_ATOM
    found = feedcheck.problems(VALID_ATOM.replace(old, new, 1).encode())
    assert any(reported in problem for problem in found), found


def test_the_checker_refuses_what_is_not_a_feed():
    assert feedcheck.problems(b"<html/>")
    assert feedcheck.problems(b"<rss version='2.0'><channel>")


def _feeds(site: Site) -> dict[str, bytes]:
    folder = site.output / "feeds"
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*.xml"))
    }


def test_every_published_feed_is_valid(fixture_publish_site):
    feeds = _feeds(fixture_publish_site)
    assert {"all.atom.xml", "all.rss.xml"} <= feeds.keys()
    assert any(name.startswith("category/") for name in feeds)
    found = {name: feedcheck.problems(xml) for name, xml in feeds.items()}
    assert found == {name: [] for name in feeds}


def test_feeds_describe_the_site_in_its_language(fixture_publish_site):
    feeds = _feeds(fixture_publish_site)
    settings = read_settings(str(PUBLISH_SETTINGS))
    rss = etree.fromstring(feeds["all.rss.xml"]).find("channel")
    assert rss.findtext("description") == settings["SITE_DESCRIPTION"]
    assert rss.findtext("language") == settings["DEFAULT_LANG"]
    for guid in rss.iter("guid"):
        assert guid.get("isPermaLink") == "false"
        assert guid.text.startswith(f"tag:{PUBLISH_SITEURL.split('//')[1]},")
    atom = etree.fromstring(feeds["all.atom.xml"])
    assert atom.get(feedcheck.XML_LANG) == settings["DEFAULT_LANG"]
    assert (
        atom.findtext(f"{{{feedcheck.ATOM}}}subtitle") == settings["SITE_DESCRIPTION"]
    )


def test_pelicans_own_feeds_fail_the_checker(tmp_path, monkeypatch):
    """Proof the checker can fail: Pelican's stock writer, as before this fix."""
    # No writer from seo: Pelican falls back to its own.
    monkeypatch.setattr(seo.seo, "get_writer", lambda _pelican: None)
    site = Site(build(FIXTURE_CONTENT, tmp_path / "out", PUBLISH_SETTINGS))
    feeds = _feeds(site)
    rss = "\n".join(feedcheck.problems(feeds["all.rss.xml"]))
    assert "guid must be a full URL, unless isPermaLink attribute is false" in rss
    assert "channel: missing or empty description" in rss
    assert "channel: missing language" in rss
    assert "feed: missing xml:lang" in feedcheck.problems(feeds["all.atom.xml"])
