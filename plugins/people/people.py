"""People: who wrote and who reviewed, as readers see them.

Contract for templates:
- `author.profile` on every Pelican author (the author pages' `author`, each
  article's `item.authors`): its content_schema.Author, as `for_readers()`
  gives it (nothing still TO FILL IN); `profile.is_team` for a team.
- `item.reviewer_page`: the ReviewerPage of the article's medical reviewer,
  or None when it has no review (health's `item.medical_review`).
- `reviewer.html` renders one ReviewerPage (`reviewer`) at REVIEWER_SAVE_AS,
  with `articles`, the published articles it reviewed, newest first. Only a
  reviewer whose name and credentials are filled in gets a page.

The records are content_schema's (loaded once, checked there); this plugin
only shapes them for the theme, after health has attached the reviews.
"""

from __future__ import annotations

from dataclasses import dataclass

from content_schema import Author, Reviewer, every_article, loaded
from content_schema.settings import fill_in
from pelican import signals
from pelican.generators import Generator

from .settings import DEFAULTS, problems

REVIEWER_TEMPLATE = "reviewer"


@dataclass(frozen=True)
class ReviewerPage:
    """A medical reviewer's page: who they are and what they reviewed."""

    reviewer: Reviewer  # as readers see it (Reviewer.for_readers)
    url: str  # relative to SITEURL, e.g. reviewers/jane-doe-md/
    save_as: str
    articles: tuple  # published Pelican articles it reviewed, newest first

    def __str__(self) -> str:
        """Name the page as its heading does: the reviewer's name."""
        return self.reviewer.name


def set_defaults(pelican) -> None:
    """Fill in plugin settings the site did not set; name any that cannot work."""
    fill_in(pelican.settings, "people", DEFAULTS, problems)


def profile(taxonomy, name: str) -> Author:
    """Return the author called `name` as readers see it (a name alone if unlisted)."""
    record = taxonomy.author(name) if taxonomy is not None else None
    return (record or Author(name=name)).for_readers()


def reviewer_pages(reviewers: dict, articles, settings) -> dict[str, ReviewerPage]:
    """Return id -> ReviewerPage of each reviewer named in full, with its articles."""
    by_reviewer: dict[str, list] = {}
    for article in articles:
        review = getattr(article, "medical_review", None)
        if review is not None:
            by_reviewer.setdefault(review.reviewer.id, []).append(article)
    pages = {}
    for reviewer in reviewers.values():
        if not reviewer.named:
            continue  # content_schema lists it as a to-do; no page says TO FILL IN
        reviewed = sorted(
            by_reviewer.get(reviewer.id, ()),
            key=lambda article: article.date,
            reverse=True,
        )
        pages[reviewer.id] = ReviewerPage(
            reviewer.for_readers(),
            settings["REVIEWER_URL"].format(id=reviewer.id),
            settings["REVIEWER_SAVE_AS"].format(id=reviewer.id),
            tuple(reviewed),
        )
    return pages


class PeopleGenerator(Generator):
    """Attaches author profiles and reviewer pages; writes the reviewer pages."""

    # Not `pages`: tools/build.py reads a generator's `pages` as Pelican pages.
    reviewer_pages: dict

    def generate_context(self) -> None:
        """Give each author its profile, each reviewed article its reviewer's page."""
        content = loaded(self.settings)
        articles = every_article(self.context)
        authors = [author for author, _ in self.context.get("authors", ())]
        authors += [author for article in articles for author in article.authors]
        # One profile a name: every article repeats its authors.
        profiles: dict[str, Author] = {}
        for author in authors:
            name = str(author)
            if name not in profiles:
                profiles[name] = profile(content.taxonomy, name)
            author.profile = profiles[name]
        self.reviewer_pages = reviewer_pages(
            content.reviewers, self.context.get("articles", ()), self.settings
        )
        for article in articles:
            review = getattr(article, "medical_review", None)
            article.reviewer_page = (
                self.reviewer_pages.get(review.reviewer.id)
                if review is not None
                else None
            )

    def generate_output(self, writer) -> None:
        """Write one page per reviewer."""
        template = self.get_template(REVIEWER_TEMPLATE)
        for page in self.reviewer_pages.values():
            writer.write_file(
                page.save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=page.url,
                reviewer=page,
                articles=page.articles,
            )


def get_generators(_pelican) -> type[PeopleGenerator]:
    """Hand Pelican our generator class."""
    return PeopleGenerator


def register() -> None:
    """Connect the plugin to Pelican."""
    # Defaults must exist before any generator reads settings.
    signals.initialized.connect(set_defaults)
    # A generator runs after articles are read and, being after health in
    # PLUGINS, after health has attached each article's review.
    signals.get_generators.connect(get_generators)
