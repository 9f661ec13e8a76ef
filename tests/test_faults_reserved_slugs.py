"""A page may not take an address the build or a deploy writes itself.

`Slug: pagefind` was wiped by the search index after a successful build, and
`Slug: previews` by the next gh-pages deploy (which keeps the branch's own
`previews/`). These are every first path segment the build or a deploy owns.

EXPECTED TO FAIL until plugins/content_schema/check.py's RESERVED_SLUGS lists
them (owned by the content check, changed by someone else): the names not yet
reserved are marked `xfail(strict=True)`, so once they are reserved the marks
must be removed (an XPASS fails the run).
"""

from __future__ import annotations

from content_schema import check_content
from content_schema.check import RESERVED_SLUGS
from pelican.settings import read_settings
import pytest

from tests.support import DEV_SETTINGS

# First path segments of the site that are not articles or pages.
OWNED = {
    # plugins/search: the index, and its renewal folders (index_site).
    "pagefind": "search index",
    "pagefind.new": "search index being written",
    "pagefind.old": "search index being replaced",
    "search": "the search page (SEARCH_URL)",
    # deploy/gh_pages.py: pull-request previews, kept by every site deploy.
    "previews": "gh-pages previews",
    # Files at the root a slug's folder would stand beside or in place of.
    "_headers": "header rules (plugins/assets)",
    "CNAME": "GitHub Pages domain (content/extra/CNAME)",
    ".nojekyll": "gh-pages marker (ghp-import)",
    ".well-known": "hosts' and browsers' well-known addresses",
    "robots.txt": "plugins/seo",
    "sitemap.xml": "pelican-sitemap",
    "404.html": "the not-found page",
    "index.html": "the home page",
    # Pelican's and the theme's own folders, most reserved already.
    "theme": "the theme's static files and the CSS bundle",
    "images": "content images, their copies and social cards",
    "feeds": "feeds (publishconf.py)",
    "drafts": "drafts (DRAFT_URL, DRAFT_PAGE_URL)",
    "testimonials": "the testimonials page",
    "category": "CATEGORY_URL",
    "categories": "CATEGORIES_URL",
    "tag": "TAG_URL",
    "tags": "TAGS_URL",
    "author": "AUTHOR_URL",
    "authors": "AUTHORS_URL",
    "archives": "ARCHIVES_URL",
    "page": "pagination",
}


def owned(slug: str):
    """Mark `slug` as expected to fail while RESERVED_SLUGS lacks it."""
    marks = []
    if slug not in RESERVED_SLUGS:
        marks.append(
            pytest.mark.xfail(
                reason=f"{slug!r} is not yet in content_schema's RESERVED_SLUGS",
                strict=True,
            )
        )
    return pytest.param(slug, id=slug, marks=marks)


@pytest.mark.parametrize("slug", [owned(slug) for slug in OWNED])
def test_a_page_may_not_take_an_address_the_site_owns(scratch_content, slug):
    (scratch_content / "pages" / "taken.md").write_text(
        f"Title: A Page Named Like the Site's Own Folder\n"
        f"Summary: It would be wiped by the build or a deploy.\n"
        f"Slug: {slug}\n\nSome text.\n"
    )
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(scratch_content)})
    messages = [str(problem) for problem in check_content(settings).problems]
    assert any("which the site itself uses" in message for message in messages), (
        messages
    )
