"""Navigation: related articles, newer/older links, reading time, table of contents.

Contract for templates, for every article:
- `article.related_articles`: up to RELATED_ARTICLES_COUNT published articles,
  most shared tags first, then same category, then newest; never the
  article's newer or older neighbour, which the article navigation links
  right below (a reader would see one article twice).
- `article.newer_article` / `article.older_article`: neighbours by date, or None.
- `article.reading_minutes`: whole minutes at READING_WORDS_PER_MINUTE.
- `article.toc`: tuple of (id, text) for its `<h2>` sections when there are at
  least TOC_MIN_SECTIONS of them, else an empty tuple.

Related articles are computed once per build from a tag index, looking at no
more than RELATED_CANDIDATES_PER_TAG articles per tag, so the cost grows with
N·k (k = tags per article), never with N².
"""

from __future__ import annotations

from collections import defaultdict
import itertools
import math
import re

from content_schema import every_article
from content_schema.settings import fill_in
from pelican import signals
from theme_filters import plain_text

from .settings import DEFAULTS, problems

SECTION_HEADING = re.compile(
    r'<h2 id="(?P<id>[^"]+)"[^>]*>(?P<html>.*?)</h2>', re.DOTALL
)
WORD = re.compile(r"\w+")


def set_defaults(pelican) -> None:
    """Fill in plugin settings the site did not set; name any that cannot work."""
    fill_in(pelican.settings, "navigation", DEFAULTS, problems)


def related_articles(articles, count: int, per_tag: int) -> dict:
    """Map each article to its related articles (see the module docstring)."""
    by_tag = defaultdict(list)
    for article in articles:  # newest first, as Pelican sorts them
        for tag in getattr(article, "tags", ()):
            if len(by_tag[tag]) < per_tag:
                by_tag[tag].append(article)
    by_category = defaultdict(list)
    for article in articles:
        if len(by_category[article.category]) < per_tag:
            by_category[article.category].append(article)
    order = {id(article): position for position, article in enumerate(articles)}
    # Category names compared as text: Pelican's Category equality slugifies
    # both sides on every comparison, the slowest part of this loop.
    category = {id(article): str(article.category) for article in articles}
    related = {}
    for article in articles:
        shared = defaultdict(int)
        for tag in getattr(article, "tags", ()):
            for other in by_tag[tag]:
                shared[id(other)] += 1
        candidates = {
            id(a): a for tag in getattr(article, "tags", ()) for a in by_tag[tag]
        }
        candidates |= {id(a): a for a in by_category[article.category]}
        candidates.pop(id(article), None)
        position = order[id(article)]
        for neighbour in articles[max(position - 1, 0) : position + 2]:
            candidates.pop(id(neighbour), None)

        def rank(other, article=article, shared=shared):
            same_category = category[id(other)] == category[id(article)]
            return (-shared[id(other)], not same_category, order[id(other)])

        related[id(article)] = tuple(sorted(candidates.values(), key=rank)[:count])
    return related


def table_of_contents(html: str, minimum: int) -> tuple[tuple[str, str], ...]:
    """Return (id, plain text) of each `<h2>` in `html`, if `minimum` or more."""
    sections = tuple(
        (m["id"], plain_text(m["html"])) for m in SECTION_HEADING.finditer(html)
    )
    return sections if len(sections) >= minimum else ()


def reading_minutes(html: str, words_per_minute: int) -> int:
    """Minutes to read `html` at `words_per_minute`, at least one."""
    words = len(WORD.findall(plain_text(html)))
    return max(1, math.ceil(words / words_per_minute))


def add_navigation(generators) -> None:
    """Attach navigation data to every article, once all content is in place."""
    articles_generator = next(g for g in generators if hasattr(g, "articles"))
    settings = articles_generator.settings
    articles = articles_generator.articles
    related = related_articles(
        articles,
        settings["RELATED_ARTICLES_COUNT"],
        settings["RELATED_CANDIDATES_PER_TAG"],
    )
    for article in every_article(articles_generator.context):
        article.related_articles = related.get(id(article), ())
        html = article._content or ""
        article.reading_minutes = reading_minutes(
            html, settings["READING_WORDS_PER_MINUTE"]
        )
        article.toc = table_of_contents(html, settings["TOC_MIN_SECTIONS"])
        article.newer_article = article.older_article = None
    for newer, older in itertools.pairwise(articles):
        newer.older_article, older.newer_article = older, newer


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(set_defaults)
    # After every generator's context exists: testimonials and citations are
    # already in the text, so reading time and sections count them.
    signals.all_generators_finalized.connect(add_navigation)
