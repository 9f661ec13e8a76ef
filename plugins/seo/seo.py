"""SEO: what every page says about itself (PageMeta), JSON-LD, and robots.txt.

theme_filters must come before this plugin in PLUGINS: it is imported here.
images must come before it too: it sets the `share_image` read here.

Contract for templates:
- `current_page_meta()` (Jinja global): the PageMeta of the page being
  rendered, whatever made it: an article or page (its `page_meta`), or a
  template alone (index and its pagination, lists, archives, 404, search,
  testimonials: `site_page_meta`). base.html calls it once, as `page_meta`;
  the head partials only print its fields.
- `item.page_meta`: the PageMeta of every article and page, of any status.
- `site_structured_data` (global): the Organization, for every page.
Templates print JSON-LD with `|tojson`, never by pasting strings. No Review or
AggregateRating markup is ever made: testimonials are not reviews of the clinic.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
import datetime as dt
from pathlib import Path
import re

from content_schema.languages import LANGUAGES, direction
from jinja2 import pass_context
from pelican import signals
from pelican.contents import Article
from pelican.generators import Generator
from theme_filters import PREVIEW_ONLY, plain_text, publication_status

from .feeds import get_writer, site_language

ROBOTS_TEMPLATE = "robots.txt"
# Between a page's own name and the site's in `<title>`.
TITLE_SEPARATOR = " · "
# og:locale wants language_TERRITORY (Open Graph's default is en_US). A
# language alone takes the territory listed here, a common default, not a
# fact about readers: a locale that names its territory ("en-GB") keeps it,
# and a language not listed gets no og:locale rather than a guess.
OG_TERRITORIES = {
    "de": "DE",
    "en": "US",
    "es": "ES",
    "fr": "FR",
    "it": "IT",
    "nl": "NL",
    "pt": "BR",
}


def og_locale(locale: str) -> str:
    """Return `locale` ("en", "en-GB", "pt_BR") as og:locale ("en_US"), or ""."""
    language, _, territory = locale.replace("-", "_").partition("_")
    language = language.lower()
    territory = territory.upper() or OG_TERRITORIES.get(language, "")
    if not (language.isalpha() and territory.isalpha()):
        return ""
    return f"{language}_{territory}"


@dataclass(frozen=True)
class PageMeta:
    """What one page says about itself to browsers, crawlers and link previews.

    Text is plain text, neither HTML nor escaped: templates print it with `|e`.
    Built only here (`article_meta`, `page_meta`, `site_page_meta`).
    """

    document_title: str  # the `<title>`: the page's name, then the site's
    title: str  # og:title and twitter:title
    description: str  # <meta name="description">
    social_description: str  # og:description and twitter:description
    url: str  # canonical address (og:url, rel=canonical); "" without SITEURL
    locale: str  # the page's language, a BCP 47 code: its `Lang:`, else DEFAULT_LANG
    type: str = "website"  # og:type
    author: str = ""  # <meta name="author">; articles only
    image: str = ""  # absolute address of the share image; "" without one
    image_alt: str = ""  # what the image shows; "" without an image
    image_width: int | None = None  # pixels, when known
    image_height: int | None = None
    published: dt.datetime | None = None  # articles only
    modified: dt.datetime | None = None  # the publication date when never modified
    section: str = ""  # article:section, the article's category; articles only
    tags: tuple[str, ...] = ()  # article:tag, the article's tags; articles only
    noindex: bool = False  # a preview of a draft or scheduled item
    structured_data: tuple[dict, ...] = ()  # the page's own JSON-LD objects
    # The page and its translations, default language first (hreflang, the
    # language switcher); empty for a page without translations.
    alternates: tuple[Alternate, ...] = ()

    @property
    def direction(self) -> str:
        """<html dir>: "rtl" for a language written right to left, else "ltr"."""
        return direction(self.locale)

    @property
    def og_locale(self) -> str:
        """The locale as og:locale wants it ("en_US"); "" when it cannot say."""
        return og_locale(self.locale)

    @property
    def locale_alternates(self) -> tuple[str, ...]:
        """og:locale:alternate: the translations' locales, in og:locale's form."""
        others = (og_locale(a.lang) for a in self.alternates if not a.current)
        return tuple(locale for locale in others if locale)


@dataclass(frozen=True)
class Alternate:
    """One language an article or page is published in, for hreflang and switchers."""

    lang: str  # its BCP 47 code
    name: str  # the language's name in itself: "Español"
    url: str  # its address (canonical_url)
    current: bool  # the page being described
    default: bool  # in DEFAULT_LANG: the x-default

    @property
    def direction(self) -> str:
        """Return the direction the language is written in, "ltr" or "rtl"."""
        return direction(self.lang)


@dataclass(frozen=True)
class SitePage:
    """How `site_page_meta` describes a page made from a template alone.

    Plain text; `{site}` stands for SITENAME as plain text. Empty fields take
    the site's own: `name` "" gives the site name alone as `<title>`, `title`
    SITENAME, `description` SITE_DESCRIPTION, `social_description` the
    description. `in_sitemap` False keeps the page out of sitemap.xml
    (`keep_unlisted_pages_out_of_the_sitemap`).
    """

    name: str = ""
    title: str = ""
    description: str = ""
    social_description: str = ""
    in_sitemap: bool = True


# The site's own pages, by template name (Pelican's DIRECT_TEMPLATES, and the
# testimonials plugin's page). A template not listed is described like the
# index: the site's name and description. The tag, category and author pages
# and the index's later pages are named by `site_page_meta` itself.
SITE_PAGES = {
    "archives": SitePage(name="Archives"),
    "tags": SitePage(name="Tags"),
    "categories": SitePage(name="Topics"),
    "authors": SitePage(name="Authors"),
    # Hosts serve 404.html with status 404, which search engines never index:
    # no noindex here, so Lighthouse scores the page itself.
    "404": SitePage(
        name="Page not found",
        title="Page not found",
        description="This page could not be found.",
    ),
    # The shared description has no closing full stop, as the page always had.
    # Not in the sitemap: an empty form whose results a script lists, nothing
    # a search engine should send readers to (Google asks sites to keep their
    # own search results out). Not noindex either: Lighthouse scores the page.
    "search": SitePage(
        name="Search",
        title="Search",
        description="Search the articles of {site}.",
        social_description="Search the articles of {site}",
        in_sitemap=False,
    ),
    "testimonials": SitePage(
        name="Testimonials",
        title="Testimonials",
        description=(
            "What patients have told us about their treatment. Individual results vary."
        ),
    ),
}
# Templates of one taxonomy term, which Pelican hands them under their own name.
TERM_TEMPLATES = {
    "tag": "Tag: {term}",
    "category": "{term}",
    "author": "{term}",
    "reviewer": "{term}",  # the people plugin's ReviewerPage, named by its reviewer
}


def canonical_url(settings, relative: str) -> str:
    """Return the address of `relative` (a URL or output path of the site).

    SITEURL, then "/", then `relative`: absolute in publish builds, under any
    sub-path SITEURL has; root-relative ("/slug/") when SITEURL is empty, as in
    development builds. The one builder of page addresses, for meta tags and
    JSON-LD alike.
    """
    return f"{settings['SITEURL']}/{relative}"


def output_url(output_file: str) -> str:
    """Return the URL of an output file: directory URLs drop their `index.html`."""
    return output_file.removesuffix("index.html")


def _page_meta(settings, relative: str, **fields) -> PageMeta:
    # og:url and rel=canonical need an absolute address: a site without
    # SITEURL (development builds) has none to give.
    url = canonical_url(settings, relative) if settings["SITEURL"] else ""
    fields.setdefault("locale", site_language(settings))
    return PageMeta(url=url, **fields)


def alternates(item, settings) -> tuple[Alternate, ...]:
    """Return the languages `item` is published in (itself and its translations).

    Pelican's `item.translations` are the files with the same slug and another
    `Lang:` (and the same status); the default language comes first, then the
    others by code. Empty when the item has no translation.
    """
    translations = getattr(item, "translations", ())
    if not translations:
        return ()
    default = settings["DEFAULT_LANG"]
    versions = sorted([item, *translations], key=lambda v: (v.lang != default, v.lang))
    return tuple(
        Alternate(
            lang=version.lang,
            name=LANGUAGES[version.lang].name
            if version.lang in LANGUAGES
            else version.lang,
            url=canonical_url(settings, version.url),
            current=version is item,
            default=version.lang == default,
        )
        for version in versions
    )


def _document_title(name: str, settings) -> str:
    site = settings["SITENAME"]
    return f"{name}{TITLE_SEPARATOR}{site}" if name else site


def _item_meta(item, settings, description: str, **fields) -> PageMeta:
    """Return what every article's and page's PageMeta holds, and `fields`.

    Its titles are the item's, as plain text; `description` serves search
    engines and social cards alike; a preview-only item asks not to be indexed.
    """
    title = plain_text(item.title)
    versions = alternates(item, settings)
    return _page_meta(
        settings,
        item.url,
        document_title=_document_title(title, settings),
        title=title,
        description=description,
        social_description=description,
        noindex=publication_status(item) in PREVIEW_ONLY,
        locale=getattr(item, "lang", None) or settings["DEFAULT_LANG"],
        alternates=versions,
        **fields,
    )


def organization(settings) -> dict:
    """Describe the clinic as a schema.org Organization."""
    data = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": settings["CLINIC_NAME"],
    }
    if settings["SITEURL"]:
        data["url"] = canonical_url(settings, "")
    return data


def author_entity(author, settings) -> dict:
    """Describe a Pelican author (with its people `profile`) as Person or Organization.

    A team (an author with members), and the site's default byline when it
    is a name alone, is an Organization whose `member`s are the Persons the
    clinic has named. Only what the profile shows readers is described.
    """
    profile = getattr(author, "profile", None)
    name = str(author)
    team = profile.is_team if profile is not None else False
    team = team or (name == settings["AUTHOR"] and not _has_fields(profile))
    data = {"@type": "Organization" if team else "Person", "name": name}
    if getattr(author, "url", None):
        data["url"] = canonical_url(settings, author.url)
    if profile is None:
        return data
    if profile.bio:
        data["description"] = profile.bio
    if team:
        if profile.members:
            data["member"] = [
                _person(m.name, m.role, m.credentials) for m in profile.members
            ]
        return data
    return {**data, **_person(name, profile.role, profile.credentials)}


def _has_fields(profile) -> bool:
    return profile is not None and bool(
        profile.role or profile.bio or profile.credentials
    )


def _person(name: str, role: str | None, credentials: str | None, **more) -> dict:
    """Return a schema.org Person: job title from the role, credentials as suffix."""
    data = {"@type": "Person", "name": name}
    if role:
        data["jobTitle"] = role
    if credentials:
        data["honorificSuffix"] = credentials
    return {**data, **{key: value for key, value in more.items() if value}}


def profile_page(settings, relative: str, entity: dict) -> dict:
    """Return a ProfilePage whose main entity is a person or team (`entity`)."""
    return {
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": canonical_url(settings, relative),
        "mainEntity": entity,
    }


def reviewer_entity(page, settings) -> dict:
    """Describe a medical reviewer's page (a people ReviewerPage) as a Person."""
    reviewer = page.reviewer
    return _person(
        reviewer.name,
        None,
        reviewer.credentials,
        description=reviewer.bio,
        url=canonical_url(settings, page.url),
    )


def article_meta(article, settings) -> PageMeta:
    """Return the PageMeta of an article (a draft, hidden or scheduled one too).

    Its image is `article.share_image` (images plugin): the `Image:`, or the
    social card drawn for it; its alt text is `Image_alt:`, else the title.
    """
    image = getattr(article, "share_image", None)
    meta = _item_meta(
        article,
        settings,
        plain_text(article.summary),
        type="article",
        # Authors, tags and categories are plain text as typed: stripping
        # "tags" from them would cut "<0.5 mg/kg & the" out of a name.
        author=str(article.author),
        published=article.date,
        modified=getattr(article, "modified", article.date),
        section=str(article.category),
        tags=tuple(str(tag) for tag in getattr(article, "tags", ())),
    )
    if image:
        alt = getattr(article, "image_alt", None) or meta.title
        meta = _with_image(meta, settings, image, alt)
    return replace(meta, structured_data=tuple(article_data(article, meta, settings)))


def _with_site_image(meta: PageMeta, settings, site_image) -> PageMeta:
    """Return `meta` shared with the site's own card, when there is one."""
    if site_image is None:
        return meta
    return _with_image(meta, settings, site_image, site_image_alt(settings))


def _with_image(meta: PageMeta, settings, image, alt: str) -> PageMeta:
    """Return `meta` shared with `image` (a ShareImage of the images plugin)."""
    return replace(
        meta,
        image=canonical_url(settings, str(image.path)),
        image_alt=alt,
        image_width=image.width,
        image_height=image.height,
    )


def site_image_alt(settings) -> str:
    """Return what the site's card shows, as its alt text."""
    return f"{settings['SITE_DESCRIPTION']} ({settings['SITENAME']})"


def page_meta(page, settings, site_image=None) -> PageMeta:
    """Return the PageMeta of a page (content/pages): described by its `Summary:`.

    It is shared with `site_image`, the site's card, when there is one.
    """
    meta = _item_meta(
        page,
        settings,
        plain_text(page.summary) if page.summary else settings["SITE_DESCRIPTION"],
        modified=getattr(page, "modified", None),
    )
    web_page = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": meta.title,
        "url": canonical_url(settings, page.url),
        "inLanguage": meta.locale,
    }
    return replace(
        _with_site_image(meta, settings, site_image), structured_data=(web_page,)
    )


def content_meta(item, settings, site_image=None) -> PageMeta:
    """Return the PageMeta of any article or page; pages share `site_image`."""
    if isinstance(item, Article):
        return article_meta(item, settings)
    return page_meta(item, settings, site_image)


def site_page_meta(
    settings,
    template: str,
    output_file: str,
    term: object = None,
    page_number: int = 1,
    site_image=None,
) -> PageMeta:
    """Return the PageMeta of a page made from `template` alone into `output_file`.

    `template` is the template's name without ".html" (see SITE_PAGES);
    `term` is the tag, category or author of those templates' pages, and
    `page_number` the page of a paginated listing: the index names its later
    pages ("Articles, page 2"). The canonical address is the output file's;
    `site_image`, the site's card, is its share image when there is one.
    """
    site_page = SITE_PAGES.get(template, SitePage())
    site = settings["SITENAME"]
    name = site_page.name
    if template in TERM_TEMPLATES and term is not None:
        name = TERM_TEMPLATES[template].format(term=term)
    elif template == "index" and page_number > 1:
        name = f"Articles, page {page_number}"
    description = (
        site_page.description.format(site=site) or (settings["SITE_DESCRIPTION"])
    )
    meta = _page_meta(
        settings,
        output_url(output_file),
        document_title=_document_title(name, settings),
        title=site_page.title or site,
        description=description,
        social_description=site_page.social_description.format(site=site)
        or description,
    )
    meta = replace(meta, structured_data=_term_data(settings, template, term))
    return _with_site_image(meta, settings, site_image)


def _term_data(settings, template: str, term: object) -> tuple[dict, ...]:
    """Return the JSON-LD of an author's or reviewer's page (a ProfilePage)."""
    if template == "author" and term is not None:
        return (profile_page(settings, term.url, author_entity(term, settings)),)
    if template == "reviewer" and term is not None:
        return (profile_page(settings, term.url, reviewer_entity(term, settings)),)
    return ()


def unlisted_page_patterns(settings) -> list[str]:
    """Return sitemap `exclude` patterns for the SITE_PAGES kept out of it.

    Each is the page's address (its `<TEMPLATE>_SAVE_AS` setting), as
    pelican-sitemap matches it: relative, without `index.html`.
    """
    return [
        f"^{re.escape(output_url(settings[f'{template.upper()}_SAVE_AS']))}$"
        for template, site_page in SITE_PAGES.items()
        if not site_page.in_sitemap and settings.get(f"{template.upper()}_SAVE_AS")
    ]


def keep_unlisted_pages_out_of_the_sitemap(pelican) -> None:
    """Add the unlisted site pages to SITEMAP's `exclude`, when there is a sitemap.

    A new dict: the settings module's own SITEMAP stays as written.
    """
    sitemap = pelican.settings.get("SITEMAP")
    if not isinstance(sitemap, dict):
        return
    excluded = [*sitemap.get("exclude", ()), *unlisted_page_patterns(pelican.settings)]
    pelican.settings["SITEMAP"] = {**sitemap, "exclude": excluded}


def page_meta_global(settings) -> Callable[..., PageMeta]:
    """Return the `current_page_meta()` Jinja global for a build's settings."""

    @pass_context
    def current_page_meta(context) -> PageMeta:
        """Return the PageMeta of the page the template context renders.

        An article or page in the context brings its own; otherwise the page
        is the template's own (`site_page_meta`), named by the template that
        owns the context: call it from that template or its base, not from an
        include.
        """
        item = context.get("article")
        if item is None:
            item = context.get("page")
        if item is not None:
            meta = getattr(item, "page_meta", None)
            if meta is not None:
                return meta
            return content_meta(item, settings, context.get("site_share_image"))
        template = context.name.removesuffix(".html")
        listing = context.get("articles_page")
        return site_page_meta(
            settings,
            template,
            context["output_file"],
            term=context.get(template) if template in TERM_TEMPLATES else None,
            page_number=listing.number if listing else 1,
            site_image=context.get("site_share_image"),
        )

    return current_page_meta


def article_data(article, meta: PageMeta, settings) -> list[dict]:
    """JSON-LD for one article, from its PageMeta and its review data."""
    url = canonical_url(settings, article.url)
    posting = {
        "@context": "https://schema.org",
        "@type": "BlogPosting",
        "headline": meta.title,
        "description": meta.description,
        "datePublished": meta.published.isoformat(),
        "dateModified": meta.modified.isoformat(),
        "author": [author_entity(a, settings) for a in article.authors],
        "publisher": {"@type": "Organization", "name": settings["CLINIC_NAME"]},
        "mainEntityOfPage": url,
        "inLanguage": meta.locale,
        "keywords": list(meta.tags),
    }
    if meta.image:
        posting["image"] = meta.image
    if getattr(article, "cited_references", ()):
        posting["citation"] = citations(article)
    crumbs = [
        ("Home", canonical_url(settings, "")),
        (str(article.category), canonical_url(settings, article.category.url)),
        (meta.title, url),
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
        data.append(medical_web_page(article, meta, review, url, settings))
    return data


def medical_web_page(article, meta: PageMeta, review, url: str, settings) -> dict:
    """MedicalWebPage markup, only for an article with a recorded medical review."""
    return {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "url": url,
        "name": meta.title,
        "lastReviewed": review.date.isoformat(),
        "reviewedBy": _person(
            review.reviewer.name,
            None,
            review.reviewer.credentials,
            url=canonical_url(settings, article.reviewer_page.url)
            if getattr(article, "reviewer_page", None)
            else None,
        ),
        "medicalAudience": {"@type": "Patient"},
        "about": [
            {"@type": "Thing", "name": str(t)} for t in getattr(article, "tags", ())
        ],
        "citation": citations(article),
    }


def citations(article) -> list[dict]:
    """ScholarlyArticle markup for each source the article cites, with its evidence.

    `description` carries what readers see beside the reference: the design and
    size, then the finding when the reference gives one.
    """
    data = []
    for cited in getattr(article, "cited_references", ()):
        ref = cited.reference
        link = ref.doi_url or ref.pubmed_url or ref.url
        description = f"{ref.evidence}." + (f" {ref.finding}" if ref.finding else "")
        data.append(
            {
                "@type": "ScholarlyArticle",
                "name": ref.title,
                "datePublished": str(ref.year),
                "description": description,
                **({"url": link} if link else {}),
            }
        )
    return data


class SeoGenerator(Generator):
    """Attaches a PageMeta to every article and page, and writes robots.txt."""

    def generate_context(self) -> None:
        """Describe every article and page (any status, translations too)."""
        self.context["site_structured_data"] = organization(self.settings)
        for item in self.context["generated_content"].values():
            if item is not None:  # None marks a source Pelican failed to read
                item.page_meta = content_meta(
                    item, self.settings, self.context.get("site_share_image")
                )

    def generate_output(self, writer) -> None:
        """Write robots.txt: pointing at the sitemap, or closed for previews."""
        text = self.env.get_template(ROBOTS_TEMPLATE).render(self.context)
        Path(self.output_path, "robots.txt").write_text(
            text.strip() + "\n", encoding="utf-8"
        )


def get_generators(_pelican) -> type[SeoGenerator]:
    """Hand Pelican our generator class."""
    return SeoGenerator


def add_page_meta_global(generator) -> None:
    """Give the generator's templates `current_page_meta()`."""
    generator.env.globals["current_page_meta"] = page_meta_global(generator.settings)


def register() -> None:
    """Connect the plugin to Pelican."""
    # Runs after the health generator (PLUGINS order), whose review data it uses.
    signals.get_generators.connect(get_generators)
    # initialized comes before any generator: pelican-sitemap reads SITEMAP
    # from the context, a copy of the settings made after it.
    signals.initialized.connect(keep_unlisted_pages_out_of_the_sitemap)
    # Every generator renders pages, so every environment needs the global.
    signals.generator_init.connect(add_page_meta_global)
    # Pelican asks for its writer once, after every context exists: the feeds
    # read each article's PageMeta.
    signals.get_writer.connect(get_writer)
