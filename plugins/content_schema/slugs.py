"""The one maker of slugs from titles: Pelican's slugify, capped at a word boundary.

The build (`cap_generated_slug`, on content_object_init), the check and the
scaffolds all call `slug_from_title`, so the address the check judges is the
one the build writes. A `Slug:` the writer sets is never changed: the check
judges it against MAX_SLUG.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import hashlib
from typing import Any

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

# Characters: an address, and a file name (a card, a resized image's folder),
# every host and file system keeps. A slug set by hand may be this long.
MAX_SLUG = 100
# A slug made from a title stops at the last whole word within this many
# characters, well within MAX_SLUG, so that a long title builds as it is.
MAX_GENERATED_SLUG = 80
# A title of symbols only (`???`) slugifies to nothing, which would be the
# site's home address: such a title gets this prefix and a digest of itself.
EMPTY_SLUG_PREFIX = "article"


def slug_from_title(
    title: str, regex_subs: Iterable[tuple[str, str]] | None = None
) -> str:
    """Return the slug of `title`: lowercase ASCII words and hyphens, at most 80.

    `regex_subs` are SLUG_REGEX_SUBSTITUTIONS (Pelican's defaults if None).

    Cut after the last whole word that fits; a first word longer than the cap
    is cut at the cap. Never empty: a title with no letters or digits gives
    `article-` and eight hex digits of its SHA-256, the same each build.
    """
    if regex_subs is None:
        regex_subs = DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]
    slug = slugify(title, regex_subs=list(regex_subs)).strip("-")
    if len(slug) > MAX_GENERATED_SLUG:
        cut = slug[: MAX_GENERATED_SLUG + 1]
        if cut.endswith("-"):
            slug = cut.rstrip("-")
        else:
            whole_words = cut.rsplit("-", 1)[0] if "-" in cut else ""
            slug = (whole_words or slug[:MAX_GENERATED_SLUG]).rstrip("-")
    if not slug:
        digest = hashlib.sha256(title.encode("utf-8", "surrogatepass")).hexdigest()
        slug = f"{EMPTY_SLUG_PREFIX}-{digest[:8]}"
    return slug


def settings_slug(title: str, settings: Mapping[str, Any]) -> str:
    """Return the slug of `title` with the site's SLUG_REGEX_SUBSTITUTIONS."""
    return slug_from_title(title, settings.get("SLUG_REGEX_SUBSTITUTIONS"))


def cap_generated_slug(content) -> None:
    """Give an article or page without `Slug:` the capped slug of its title.

    Pelican has already set `slug` from the whole title by now; its addresses
    and save_as are read from `slug` later, so replacing it here is enough.
    """
    if "slug" in content.metadata or not getattr(content, "title", None):
        return
    if content.settings.get("SLUGIFY_SOURCE", "title") != "title":
        return
    content.slug = settings_slug(content.title, content.settings)


def name_slug(name: object) -> str:
    """Return the address part Pelican gives a category, tag or author `name`.

    Names that differ only in case or punctuation (`Mental Health`, `Mental
    health`) give the same slug: the same page, so the same name.
    """
    return slugify(str(name), regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])


def same_names(value: object, names) -> bool:
    """Whether `value` is one of `names`, compared as Pelican's addresses compare."""
    return name_slug(value) in {name_slug(name) for name in names}
