"""A page may not take an address the build or a deploy writes itself.

`Slug: pagefind` was wiped by the search index after a successful build, and
`Slug: previews` by the next gh-pages deploy (which keeps the branch's own
`previews/`). These are every first path segment the build or a deploy owns.
A name with a dot or capitals is also refused as a slug by the slug rule;
RESERVED_SLUGS (compared without case) still names it, so the message says
why.
"""

from __future__ import annotations

from content_schema import check_content
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


@pytest.mark.parametrize("slug", list(OWNED))
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
