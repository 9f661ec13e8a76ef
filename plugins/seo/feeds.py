"""The feed writer: Pelican's Writer, with feeds that pass the W3C feed validator.

Pelican's own feeds leave three things out or wrong, which `FeedWriter` fixes:

- the channel's description is SITESUBTITLE, which this site does not set:
  both feeds describe themselves with SITE_DESCRIPTION (RSS `<description>`,
  Atom `<subtitle>`);
- neither feed names its language: both take the site's (`site_language`,
  the one source PageMeta.locale reads too);
- RSS `<guid>`s are tag URIs, which RSS 2.0 reads as permalinks unless marked
  `isPermaLink="false"`: they are marked (the tag URI stays, so feed readers
  that saw an item before still know it).

Titles are the PageMeta's plain text (what the writer typed, with
Typogrify's quotes), never HTML stripped a second time; the feed library
escapes them for XML.
"""

from __future__ import annotations

from feedgenerator import Rss201rev2Feed
from pelican.writers import Writer


def site_language(settings) -> str:
    """Return the language the site is written in (DEFAULT_LANG)."""
    return settings["DEFAULT_LANG"]


class FeedWriter(Writer):
    """Pelican's Writer, whose Atom and RSS feeds name description and language."""

    def _create_new_feed(self, feed_type, feed_title, context):
        """Make the feed as Pelican does; then set title, description, language."""
        feed = super()._create_new_feed(feed_type, feed_title, context)
        site = context["SITENAME"]
        feed.feed["title"] = f"{site} - {feed_title}" if feed_title else site
        description = context.get("SITE_DESCRIPTION") or ""
        feed.feed["description"] = description
        feed.feed["subtitle"] = description or None
        feed.feed["language"] = site_language(context)
        return feed

    def _add_item_to_the_feed(self, feed, item):
        """Add the item as Pelican does, titled and identified as readers need."""
        super()._add_item_to_the_feed(feed, item)
        added = feed.items[-1]
        meta = getattr(item, "page_meta", None)
        if meta is not None:
            added["title"] = meta.title
        if isinstance(feed, Rss201rev2Feed):
            # Pelican's ids are tag URIs ("tag:host,date:/path/"), not addresses.
            added["unique_id_is_permalink"] = False


def get_writer(_pelican) -> type[FeedWriter]:
    """Hand Pelican our writer class."""
    return FeedWriter
