"""What writer HTML may hold: an allow-list for prose, applied by nh3.

Markdown lets a writer type raw HTML, and Pelican does not escape it. Every
article's and page's HTML therefore passes `clean_html` (ammonia's allow-list,
through nh3): the tags and attributes prose needs survive; script, style,
iframes, objects, forms, meta, base and link elements, event attributes and
any URL but a relative, https, mailto or tel one are removed. Images and
other embedded media load only from the site itself: a reader never makes a
request to a third party. `REFUSED_TAGS` names what the content check tells
the writer about, so nothing is removed silently.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
import re
from urllib.parse import urlsplit

import nh3

# Prose, tables, code and what Python-Markdown's extensions write (footnotes,
# the table of contents, code highlighting, definition lists, abbreviations).
ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
        "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s",
        "samp", "small", "source", "span", "strong", "sub", "summary", "sup",
        "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
        "ul", "var", "wbr",
    }
)  # fmt: skip
# Attributes every allowed tag may carry, and those of particular tags. No
# `style` (the theme styles prose) and no event handler (`on…`) anywhere.
GENERIC_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir"})
TAG_ATTRIBUTES = {
    "a": {"href", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"},
    "source": {"srcset", "sizes", "type", "media"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "details": {"open"},
}
URL_SCHEMES = frozenset({"https", "mailto", "tel"})
# Attributes that hold one address: only URL_SCHEMES, or none (relative).
ADDRESS_ATTRIBUTES = frozenset({"href", "src", "cite"})
# Attributes whose URL loads something into the page: the site's own files only.
EMBEDDING = frozenset({"src", "srcset"})
# What a browser drops from an address before reading it: C0 controls and
# space at either end, and tab, line feed and carriage return anywhere.
URL_EDGE_CHARACTERS = "".join(map(chr, range(0x21)))
BROWSER_IGNORED = re.compile(r"[\t\n\r]")
# The ids the theme gives its own landmarks (the skip link's `#main`, "Get
# help now"'s `#crisis-resources`) and the prefixes of those it numbers
# (citations, references, testimonial cards). A writer's heading or `id=`
# with one of them would capture the theme's link; it is given
# WRITER_ID_PREFIX instead. tests/test_reserved_ids.py keeps this list equal
# to the ids the templates write.
THEME_IDS = frozenset(
    {
        "main", "crisis-resources", "crisis-resources-heading",
        "crisis-block-heading", "cta-heading", "references-heading",
        "related-heading", "risks-note-heading", "search-query",
        "site-search-query", "toc-heading",
    }
)  # fmt: skip
THEME_ID_PREFIXES = ("citation-", "reference-", "testimonial-")
WRITER_ID_PREFIX = "text-"
# Removed with everything inside them, not only their tags.
REMOVED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript"})
# What the content check refuses by name (the sanitizer removes these too).
REFUSED_TAGS = frozenset(
    {
        "applet", "base", "button", "embed", "form", "frame", "frameset",
        "iframe", "input", "link", "math", "meta", "noscript", "object",
        "script", "select", "style", "svg", "template", "textarea", "video",
        "audio",
    }
)  # fmt: skip


def is_remote(url: str) -> bool:
    r"""Whether `url` points at another site (a scheme or `//host`), not this one.

    Judged as a browser reads the address (the WHATWG URL standard): leading
    and trailing spaces and control characters are dropped, tabs and line
    breaks anywhere are dropped, and a backslash counts as a slash, so
    `/\host/x` and `\\host/x` are `//host/x`.
    """
    url = BROWSER_IGNORED.sub("", url.strip(URL_EDGE_CHARACTERS)).replace("\\", "/")
    return url.startswith("//") or bool(urlsplit(url).scheme)


def _scheme(url: str) -> str:
    """Return the scheme of `url` as a browser reads it, lowercase ("" if none)."""
    url = BROWSER_IGNORED.sub("", url.strip(URL_EDGE_CHARACTERS))
    return urlsplit(url).scheme.lower()


def srcset_urls(srcset: str) -> list[str]:
    """Return the URL of every candidate of a `srcset` value: each one may load."""
    return [
        candidate.split()[0] for candidate in srcset.split(",") if candidate.split()
    ]


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Drop embedded media from other sites, keep the theme's ids its own.

    Every other allowed value is kept as it is.
    """
    if attribute == "srcset" and any(is_remote(url) for url in srcset_urls(value)):
        return None
    if attribute in EMBEDDING and is_remote(value):
        return None
    if attribute in ADDRESS_ATTRIBUTES and _scheme(value) not in ("", *URL_SCHEMES):
        return None  # ammonia judges href and src, not every address (`cite`)
    if attribute == "id" and theme_id(value):
        return WRITER_ID_PREFIX + value
    return value


def theme_id(value: str) -> bool:
    """Whether `value` is an id the theme owns (THEME_IDS, THEME_ID_PREFIXES)."""
    return value in THEME_IDS or value.startswith(THEME_ID_PREFIXES)


def clean_html(html: str) -> str:
    """Return writer HTML with only what ALLOWED_TAGS and the attributes allow."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes={
            "*": set(GENERIC_ATTRIBUTES),
            **{tag: set(names) for tag, names in TAG_ATTRIBUTES.items()},
        },
        attribute_filter=_keep_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


@dataclass(frozen=True)
class Removed:
    """A tag or attribute of writer HTML that `clean_html` took out."""

    tag: str  # the element, e.g. "a"
    attribute: str  # "" when the whole tag went
    value: str  # the attribute's value as a browser reads it; "" for a tag


class _Markup(HTMLParser):
    """Every start tag with its attributes, character references decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.attributes: Counter[tuple[str, str, str]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        for name, value in attrs:
            self.attributes[tag, name, value or ""] += 1

    handle_startendtag = handle_starttag


def _markup(html: str) -> _Markup:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser


def removed_markup(before: str, after: str) -> list[Removed]:
    """Return what `clean_html` removed from `before` to give `after`, tags first.

    Compared as parsed HTML, so the writer is told what the sanitiser
    actually took out, whatever the spelling. An id given the writer prefix
    (THEME_IDS) is renamed, not removed.
    """
    written, kept = _markup(before), _markup(after)
    removed = [
        Removed(tag, "", "")
        for tag, count in sorted(written.tags.items())
        if count > kept.tags[tag]
    ]
    for (tag, name, value), count in written.attributes.items():
        if tag not in kept.tags or count <= kept.attributes[tag, name, value]:
            continue
        if name == "id" and kept.attributes[tag, name, WRITER_ID_PREFIX + value]:
            continue
        removed.append(Removed(tag, name, value))
    return removed
