"""An offline feed checker: the W3C Feed Validation Service's main rules.

`problems(xml_bytes)` reads an RSS 2.0 or Atom 1.0 document and returns what
the validator (https://validator.w3.org/feed/) would report as an error, in its
own words where it has them, one string per problem; an empty list for a valid
feed. It covers what a Pelican feed can get wrong, not the whole specification:

RSS 2.0 (https://www.rssboard.org/rss-specification):
- `<rss version="2.0">` holding one `<channel>`;
- channel `title`, `link` and a non-empty `description`; a `language`;
- an `atom:link rel="self"` with the feed's full address;
- items with a `title` or `description`; `link` a full URL; `guid` a full URL
  unless `isPermaLink="false"`; guids unique;
- `pubDate` and `lastBuildDate` in RFC 822 form;
- `description` holding escaped HTML, never child elements.

Atom 1.0 (RFC 4287):
- feed `id` (a full IRI), `title`, `updated`; `xml:lang`;
- a `link rel="self"` and every link a full URL;
- an `author` on the feed or on every entry;
- entries with `id` (full IRI, unique), `title`, `updated`, an alternate
  `link`; `published`/`updated` in RFC 3339 form;
- `title`, `summary` and `content` of type text or html hold no elements.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# RFC 822 as RSS 2.0 uses it (with four-digit years, as the validator accepts).
RFC_822 = re.compile(
    r"^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), )?\d{1,2} "
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}(?::\d{2})? (?:[+-]\d{4}|UT|GMT|[ECMP][SD]T|[A-IK-Z])$"
)
RFC_3339 = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$"
)
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
TEXT_TYPES = ("text", "html")


def is_full_url(value: str | None) -> bool:
    """Whether `value` is an absolute http(s) address with a host."""
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_full_iri(value: str | None) -> bool:
    """Whether `value` is an absolute IRI: a full URL, a tag: or urn: URI."""
    value = value or ""
    return is_full_url(value) or re.match(r"^(?:tag|urn):\S+$", value) is not None


def problems(document: bytes) -> list[str]:
    """Return the validator's errors for an RSS 2.0 or Atom 1.0 document."""
    try:
        root = etree.fromstring(document)
    except etree.XMLSyntaxError as error:
        return [f"not well-formed XML: {error}"]
    if root.tag == "rss":
        return _rss_problems(root)
    if root.tag == f"{{{ATOM}}}feed":
        return _atom_problems(root)
    return [f"neither RSS 2.0 nor Atom 1.0: the root element is {root.tag!r}"]


def _text(element, path: str, namespaces=None) -> str | None:
    found = element.find(path, namespaces)
    return None if found is None else (found.text or "").strip()


def _rss_problems(rss) -> list[str]:
    found = []
    if rss.get("version") != "2.0":
        found.append(f"rss version is {rss.get('version')!r}, not '2.0'")
    channels = rss.findall("channel")
    if len(channels) != 1:
        return [*found, f"rss must hold one channel, not {len(channels)}"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if not _text(channel, name):
            found.append(f"channel: missing or empty {name}")
    if not is_full_url(_text(channel, "link")):
        found.append(f"channel: link must be a full URL: {_text(channel, 'link')!r}")
    language = _text(channel, "language")
    if not language:
        found.append("channel: missing language")
    elif not LANGUAGE.match(language):
        found.append(f"channel: language is not a language code: {language!r}")
    selves = [
        link for link in channel.findall(f"{{{ATOM}}}link") if link.get("rel") == "self"
    ]
    if not selves:
        found.append('channel: missing atom:link with rel="self"')
    for link in selves:
        if not is_full_url(link.get("href")):
            found.append(
                f"channel: atom:link href must be a full URL: {link.get('href')!r}"
            )
    for name in ("lastBuildDate", "pubDate"):
        value = _text(channel, name)
        if value is not None and not RFC_822.match(value):
            found.append(f"channel: {name} is not an RFC 822 date: {value!r}")
    guids: set[str] = set()
    for number, item in enumerate(channel.findall("item"), 1):
        found += _rss_item_problems(item, f"item {number}", guids)
    return found


def _rss_item_problems(item, where: str, guids: set[str]) -> list[str]:
    """Return the problems of one RSS item; add its guid to `guids`."""
    found = []
    if not _text(item, "title") and not _text(item, "description"):
        found.append(f"{where}: needs a title or a description")
    link = _text(item, "link")
    if link is not None and not is_full_url(link):
        found.append(f"{where}: link must be a full URL: {link!r}")
    guid = item.find("guid")
    if guid is not None:
        value = (guid.text or "").strip()
        permalink = guid.get("isPermaLink", "true")
        if permalink not in ("true", "false"):
            found.append(f"{where}: isPermaLink must be true or false")
        if permalink != "false" and not is_full_url(value):
            found.append(
                f"{where}: guid must be a full URL, unless isPermaLink "
                f"attribute is false: {value!r}"
            )
        if value in guids:
            found.append(f"{where}: guid {value!r} is not unique")
        guids.add(value)
    date = _text(item, "pubDate")
    if date is not None and not RFC_822.match(date):
        found.append(f"{where}: pubDate is not an RFC 822 date: {date!r}")
    description = item.find("description")
    if description is not None and len(description):
        found.append(f"{where}: description holds elements; escape its HTML")
    return found


def _atom_problems(feed) -> list[str]:
    ns = {"a": ATOM}
    found = []
    for name in ("id", "title", "updated"):
        if feed.find(f"a:{name}", ns) is None:
            found.append(f"feed: missing {name}")
    if not is_full_iri(_text(feed, "a:id", ns)):
        found.append(f"feed: id must be a full IRI: {_text(feed, 'a:id', ns)!r}")
    language = feed.get(XML_LANG)
    if not language:
        found.append("feed: missing xml:lang")
    elif not LANGUAGE.match(language):
        found.append(f"feed: xml:lang is not a language code: {language!r}")
    links = feed.findall("a:link", ns)
    if not any(link.get("rel") == "self" for link in links):
        found.append('feed: missing link with rel="self"')
    found += _date_problems(feed, "feed", ns)
    found += _text_construct_problems(feed, "feed", ns)
    feed_has_author = feed.find("a:author/a:name", ns) is not None
    ids: set[str] = set()
    for number, entry in enumerate(feed.findall("a:entry", ns), 1):
        found += _atom_entry_problems(entry, f"entry {number}", ids, feed_has_author)
        links += entry.findall("a:link", ns)
    for link in links:
        if not is_full_url(link.get("href")):
            found.append(f"link href must be a full URL: {link.get('href')!r}")
    return found


def _atom_entry_problems(entry, where: str, ids: set[str], feed_has_author) -> list:
    """Return the problems of one Atom entry; add its id to `ids`."""
    ns = {"a": ATOM}
    found = []
    for name in ("id", "title", "updated"):
        if entry.find(f"a:{name}", ns) is None:
            found.append(f"{where}: missing {name}")
    entry_id = _text(entry, "a:id", ns)
    if not is_full_iri(entry_id):
        found.append(f"{where}: id must be a full IRI: {entry_id!r}")
    if entry_id in ids:
        found.append(f"{where}: id {entry_id!r} is not unique")
    ids.add(entry_id)
    if not feed_has_author and entry.find("a:author/a:name", ns) is None:
        found.append(f"{where}: missing author (the feed names none)")
    links = entry.findall("a:link", ns)
    if not any(link.get("rel", "alternate") == "alternate" for link in links):
        found.append(f'{where}: missing link with rel="alternate"')
    found += _date_problems(entry, where, ns)
    found += _text_construct_problems(entry, where, ns)
    return found


def _date_problems(element, where: str, ns) -> list[str]:
    found = []
    for name in ("updated", "published"):
        value = _text(element, f"a:{name}", ns)
        if value is not None and not RFC_3339.match(value):
            found.append(f"{where}: {name} is not an RFC 3339 date: {value!r}")
    return found


def _text_construct_problems(element, where: str, ns) -> list[str]:
    found = []
    for name in ("title", "subtitle", "summary", "content"):
        construct = element.find(f"a:{name}", ns)
        if construct is None:
            continue
        kind = construct.get("type", "text")
        if kind in TEXT_TYPES and len(construct):
            found.append(f"{where}: {name} of type {kind} holds elements; escape it")
        elif kind not in (*TEXT_TYPES, "xhtml") and name != "content":
            found.append(f"{where}: {name} has an unknown type {kind!r}")
    return found
