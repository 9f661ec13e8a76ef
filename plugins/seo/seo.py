"""SEO: schema.org JSON-LD for every page, and robots.txt.

theme_filters must come before this plugin in PLUGINS: it is imported here.
images must come before it too: it sets the `share_image` read here.

Contract for templates:
- `site_structured_data` (global): the Organization, for every page.
- `article.share_image_url`: absolute address of `article.share_image` (images
  plugin): its `Image:`, or the social card drawn for it; "" without either.
- `item.structured_data`: a list of JSON-LD objects for an article (BlogPosting,
  BreadcrumbList, and MedicalWebPage once medically reviewed) or a page.
Templates print them with `|tojson`, never by pasting strings. No Review or
AggregateRating markup is ever made: testimonials are not reviews of the clinic.
"""

from __future__ import annotations

from pathlib import Path

from pelican import signals
from pelican.generators import Generator
from theme_filters import plain_text

ROBOTS_TEMPLATE = "robots.txt"


def _url(settings, relative: str) -> str:
    return f"{settings['SITEURL']}/{relative}"


def organization(settings) -> dict:
    """Describe the clinic as a schema.org Organization."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": settings["CLINIC_NAME"],
    }
    if settings["SITEURL"]:
        data["url"] = _url(settings, "")
    return data


def _person_or_team(name: str, settings) -> dict:
    # The site's default byline is a team, not a person.
    kind = "Organization" if name == settings["AUTHOR"] else "Person"
    return {"@type": kind, "name": name}


def share_image_url(item, settings) -> str:
    """Return the absolute address of the item's share image, or "" without one."""
    image = getattr(item, "share_image", None)
    return _url(settings, str(image.path)) if image else ""


def article_data(article, settings) -> list[dict]:
    """JSON-LD for one article."""
    url = _url(settings, article.url)
    published = article.date.isoformat()
    posting = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": plain_text(article.title),
        "description": plain_text(article.summary),
        "datePublished": published,
        "dateModified": getattr(article, "modified", article.date).isoformat(),
        "author": [_person_or_team(str(a), settings) for a in article.authors],
        "publisher": {"@type": "Organization", "name": settings["CLINIC_NAME"]},
        "mainEntityOfPage": url,
        "inLanguage": settings["DEFAULT_LANG"],
        "keywords": [str(tag) for tag in getattr(article, "tags", ())],
    }
    if article.share_image_url:
        posting["image"] = article.share_image_url
    crumbs = [
        ("Home", _url(settings, "")),
        (str(article.category), _url(settings, article.category.url)),
        (plain_text(article.title), url),
    ]
    breadcrumbs = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": link}
            for n, (name, link) in enumerate(crumbs, 1)
        ],
    }
    data = [posting, breadcrumbs]
    review = getattr(article, "medical_review", None)
    if review is not None:
        data.append(medical_web_page(article, review, url))
    return data


def medical_web_page(article, review, url: str) -> dict:
    """MedicalWebPage markup, only for an article with a recorded medical review."""
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": url,
        "name": plain_text(article.title),
        "lastReviewed": review.date.isoformat(),
        "reviewedBy": {
            "@type": "Person",
            "name": review.reviewer.name,
            "honorificSuffix": review.reviewer.credentials,
        },
        "medicalAudience": {"@type": "Patient"},
        "about": [
            {"@type": "Thing", "name": str(t)} for t in getattr(article, "tags", ())
        ],
        "citation": [
            {
                "@type": "ScholarlyArticle",
                "name": c.reference.title,
                **(
                    {"url": f"https://doi.org/{c.reference.doi}"}
                    if c.reference.doi
                    else {}
                ),
            }
            for c in getattr(article, "cited_references", ())
        ],
    }


class SeoGenerator(Generator):
    """Attaches JSON-LD to articles and pages, and writes robots.txt."""

    def generate_context(self) -> None:
        """Build the structured data of every published article and page."""
        self.context["site_structured_data"] = organization(self.settings)
        articles = [
            *self.context.get("articles", ()),
            *self.context.get("drafts", ()),
            *self.context.get("hidden_articles", ()),
        ]
        for article in articles:
            article.share_image_url = share_image_url(article, self.settings)
            article.structured_data = article_data(article, self.settings)
        for page in (
            *self.context.get("pages", ()),
            *self.context.get("hidden_pages", ()),
        ):
            page.structured_data = [
                {
                    "@context": "https://schema.org",
                    "@type": "WebPage",
                    "name": plain_text(page.title),
                    "url": _url(self.settings, page.url),
                }
            ]

    def generate_output(self, writer) -> None:
        """Write robots.txt: pointing at the sitemap, or closed for previews."""
        text = self.env.get_template(ROBOTS_TEMPLATE).render(self.context)
        Path(self.output_path, "robots.txt").write_text(
            text.strip() + "\n", encoding="utf-8"
        )


def get_generators(_pelican) -> type[SeoGenerator]:
    """Hand Pelican our generator class."""
    return SeoGenerator


def register() -> None:
    """Connect the plugin to Pelican."""
    # Runs after the health generator (PLUGINS order), whose review data it uses.
    signals.get_generators.connect(get_generators)
