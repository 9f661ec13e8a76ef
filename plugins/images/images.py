"""Images: responsive content images, and a social card for every article.

theme_filters, content_schema and build_cache must come before this plugin in
PLUGINS (it imports them), and seo after it (seo reads `share_image`).

Contract:
- Content images: every `<img>` of an article's or page's text whose `src` is
  `{static}…` and names a JPEG or PNG becomes a `<picture>` (theme template
  `partials/picture.html`): a WebP `<source>` and the original format's
  `srcset`, both with IMAGES_SIZES, and the image's real `width` and `height`.
  Copies are IMAGES_WIDTHS narrower than the original, next to it in the
  output (`images/photo-480w.webp`); see responsive.py. Every content image but
  the first of a page gets `loading="lazy"` and `decoding="async"`, the first
  neither, so the likely largest paint is not delayed. Other images (external,
  GIF, SVG, or already in a `<picture>` or with a `srcset`) keep their markup.
- `article.share_image`: a ShareImage, the article's `Image:` or else its
  generated card (IMAGES_CARD_SAVE_AS, 1200×630 PNG, see cards.py).
- `site_share_image` (context): the site's own card, SITE_DESCRIPTION above
  SITENAME, for every page that is not an article (seo reads it). Its name
  holds a digest of its text (`site_card_path`), so a changed description
  gets a new file rather than a stale copy in a host's or reader's cache.
- A content image Pillow cannot read stops the build with a ContentError naming
  the file (missing files are content_schema's to report, before the build).

Copies' addresses are SITEURL-based, like Pelican's own links with
RELATIVE_URLS off; the originals keep their `{static}` links for Pelican.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
import contextlib
from dataclasses import dataclass
from functools import partial
import hashlib
import logging
import os
from pathlib import Path, PurePosixPath
import re
import shutil
from urllib.parse import unquote

from build_cache import shared_cache_folder
from content_schema import ContentError, Problem, every_article
from content_schema.paths import display_path, resolve_link
from pelican import signals
from pelican.generators import Generator
import PIL
from theme_filters import plain_text

from . import cards as cards_module, responsive as responsive_module
from .cards import CARD_SIZE, Fonts, draw_card, palette_from_tokens, save_card
from .responsive import (
    FORMATS,
    ContentImage,
    ImageFileError,
    ImgTag,
    find_img_tags,
    image_size,
    read_image,
    splice,
    write_variant,
)
from .settings import DEFAULTS, problems

logger = logging.getLogger(__name__)

PICTURE_TEMPLATE = "partials/picture.html"
STATIC_LINK = re.compile(r"\{static\}(?P<path>[^?#]+)")
# Formats whose size a declared share image can be measured in.
MEASURABLE = frozenset({*FORMATS, ".webp", ".gif"})


class ImagesSettingsError(ValueError):
    """An IMAGES_* setting has a value the plugin cannot use."""


@dataclass(frozen=True)
class ShareImage:
    """The image an article is shared with (Open Graph, JSON-LD)."""

    path: PurePosixPath  # in the output, relative to SITEURL
    width: int | None  # pixels; None when Pillow cannot measure it (SVG)
    height: int | None


def site_card_path(settings) -> PurePosixPath:
    """Return where the site's card goes: IMAGES_CARD_SAVE_AS, named by its text."""
    text = f"{settings['SITE_DESCRIPTION']}\0{settings['SITENAME']}"
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return PurePosixPath(settings["IMAGES_CARD_SAVE_AS"].format(slug=f"site-{digest}"))


def set_defaults(pelican) -> None:
    """Fill in the plugin's settings the site did not set, and check them."""
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)
    found = problems(pelican.settings)
    if found:
        raise ImagesSettingsError("; ".join(found.values()))


class ImagesGenerator(Generator):
    """Rewrites content images and picks share images, then writes the files.

    `generate_context` measures every image (so a bad one stops the build
    before any page is written, all bad ones named at once) and rewrites the
    text; `generate_output` encodes the copies and draws the cards. All state
    lives on the instance: Pelican makes a new generator for every run.
    """

    def generate_context(self) -> None:
        """Rewrite every text's images; give every article its share image."""
        self.content_root = Path(self.settings["PATH"]).resolve()
        self.images: dict[Path, ContentImage] = {}
        self.problems: dict[Path, Problem] = {}
        self.cards: dict[PurePosixPath, str] = {}  # card path -> title
        self.palette = palette_from_tokens(
            Path(self.theme) / self.settings["IMAGES_CARD_TOKENS"]
        )
        for item in self.context["generated_content"].values():
            self._rewrite(item)
        for article in every_article(self.context):
            article.share_image = self._share_image(article)
        site_card = site_card_path(self.settings)
        self.cards[site_card] = self.settings["SITE_DESCRIPTION"]
        self.context["site_share_image"] = ShareImage(site_card, *CARD_SIZE)
        if self.problems:
            raise ContentError(sorted(self.problems.values(), key=str))

    def generate_output(self, writer) -> None:
        """Write the copies of every content image and every card.

        Each file is made once per source and options, then taken from the
        build cache (build_cache: a folder per fingerprint of settings, theme
        and code), so a rebuild copies rather than re-encodes.
        """
        output = Path(self.output_path)
        quality = self.settings["IMAGES_QUALITY"]
        # Kept across settings, theme and code changes: a copy's key names all
        # it is made from (shared_cache_folder).
        copies_cache = shared_cache_folder(self.settings, "images")
        code = _code_digest(responsive_module.__file__)
        # Threads, one copy each: Pillow's decoders and encoders release the GIL.
        with ThreadPoolExecutor() as pool:
            copies = []
            for image in self.images.values():
                source_digest = hashlib.sha256(image.source.read_bytes()).hexdigest()
                for variant in image.variants:
                    key = _key(
                        source_digest, variant.width, quality, variant.format, code
                    )
                    key = f"{key}.{variant.format}"
                    target = output / Path(*variant.path.parts)
                    make = partial(write_variant, image, variant, output, quality)
                    copies.append(
                        pool.submit(_cached, copies_cache / key, target, make)
                    )
        for copy in copies:
            copy.result()  # raise what a thread raised
        self._write_cards(output)
        logger.debug(
            "images: %d content images, %d copies, %d social cards",
            len(self.images),
            sum(len(i.variants) for i in self.images.values()),
            len(self.cards),
        )

    def _write_cards(self, output: Path) -> None:
        """Write every card: from the cache, or drawn here and encoded in threads."""
        fonts = Fonts(**self.settings["IMAGES_CARD_FONTS"])
        site_name = self.settings["SITENAME"]  # plain text, as typed
        cards_cache = shared_cache_folder(self.settings, "cards")
        drawing = "\0".join(
            (
                site_name,
                repr(self.palette),
                fonts.identity(),
                repr(CARD_SIZE),
                _code_digest(cards_module.__file__),
            )
        )
        # Drawing stays in this thread (the fonts are shared); PNG encoding,
        # half the cost, releases the GIL and runs beside the next drawing.
        with ThreadPoolExecutor() as pool:
            saves = []
            for path, title in self.cards.items():
                key = _key(title, drawing)
                cached = cards_cache / f"{key}.png"
                target = output / Path(*path.parts)
                if _from_cache(cached, target):
                    continue
                card = draw_card(title, site_name, self.palette, fonts)
                make = partial(save_card, card, target)
                saves.append(pool.submit(_cached, cached, target, make))
        for save in saves:
            save.result()  # raise what a thread raised

    # --- content images -----------------------------------------------------------

    def _rewrite(self, item) -> None:
        html = item._content or ""
        if "<img" not in html:
            return  # most texts: skip parsing them
        tags = find_img_tags(html)
        if not tags:
            return
        template = self.env.get_template(PICTURE_TEMPLATE)
        replacements = []
        for index, tag in enumerate(tags):
            image = None
            if not tag.in_picture and tag.get("srcset") is None:
                image = self._content_image(item, tag.get("src") or "")
            replacements.append((tag, self._markup(template, tag, image, index == 0)))
        # Content is rendered by Pelican only when written, so pages and feeds
        # alike get the new markup; `{static}` in `src` is still resolved then.
        item._content = splice(html, replacements)

    def _markup(self, template, tag: ImgTag, image, first: bool) -> str:
        attributes = dict(tag.attributes)
        source = None
        if image is not None:
            siteurl, sizes = self.settings["SITEURL"], self.settings["IMAGES_SIZES"]
            attributes |= {
                "width": str(image.width),
                "height": str(image.height),
                "srcset": image.srcset(siteurl, image.format),
                "sizes": sizes,
            }
            source = {
                "type": "image/webp",
                "srcset": image.srcset(siteurl, "WEBP"),
                "sizes": sizes,
            }
        if not first:
            attributes.setdefault("loading", "lazy")
            attributes.setdefault("decoding", "async")
        return template.render(
            attributes=list(attributes.items()), source=source
        ).strip()

    def _content_image(self, item, src: str) -> ContentImage | None:
        match = STATIC_LINK.match(src)
        if not match:
            return None
        source = self._resolve(item, unquote(match["path"]))
        if source is None or source.suffix.lower() not in FORMATS:
            return None
        if source in self.images or source in self.problems:
            return self.images.get(source)
        if not source.is_file():
            return None  # content_schema reports it before the build
        path = PurePosixPath(source.relative_to(self.content_root).as_posix())
        try:
            image = read_image(source, path, self.settings["IMAGES_WIDTHS"])
        except ImageFileError as error:
            self._problem(source, f"{error} (used by {self._display(item)})")
            return None
        for variant in image.variants:
            taken = self.content_root / Path(*variant.path.parts)
            if taken.exists():
                self._problem(
                    taken,
                    f"has the name of a generated copy of {self._display(source)}; "
                    "rename it",
                )
                return None
        self.images[source] = image
        return image

    # --- share images -------------------------------------------------------------

    def _share_image(self, article) -> ShareImage:
        declared = getattr(article, "image", None)
        if declared:
            written = (
                declared.split("}", 1)[1] if declared.startswith("{") else declared
            )
            source = self._resolve(article, unquote(written))
            if source is None:
                return ShareImage(PurePosixPath(written.lstrip("/")), None, None)
            path = PurePosixPath(source.relative_to(self.content_root).as_posix())
            return ShareImage(path, *(self._measure(source, article) or (None, None)))
        # A translation shares its original's slug: its card, in its own
        # language, needs a name of its own.
        slug = (
            article.slug
            if article.in_default_lang
            else f"{article.slug}.{article.lang}"
        )
        path = PurePosixPath(self.settings["IMAGES_CARD_SAVE_AS"].format(slug=slug))
        if article.save_as:  # publish builds write no drafts: no card for them
            self.cards[path] = plain_text(article.title)
        return ShareImage(path, *CARD_SIZE)

    def _measure(self, source: Path, article) -> tuple[int, int] | None:
        if source.suffix.lower() not in MEASURABLE or not source.is_file():
            return None
        try:
            return image_size(source)
        except ImageFileError as error:
            self._problem(source, f"{error} (the `Image:` of {self._display(article)})")
            return None

    # --- helpers ------------------------------------------------------------------

    def _resolve(self, item, link: str) -> Path | None:
        """Return the content/ file a link names (as Pelican resolves it), or None."""
        target = resolve_link(self.content_root, Path(item.source_path), link)
        return target if target.is_relative_to(self.content_root) else None

    def _display(self, path_or_item) -> str:
        path = getattr(path_or_item, "source_path", path_or_item)
        return display_path(self.content_root, path)

    def _problem(self, source: Path, message: str) -> None:
        self.problems.setdefault(
            source, Problem(self._display(source), None, "", message)
        )


def _key(*parts: object) -> str:
    """Return a cache key naming every one of `parts` (and Pillow's version)."""
    named = "\0".join(str(part) for part in (*parts, PIL.__version__))
    return hashlib.sha256(named.encode()).hexdigest()


def _code_digest(path: str) -> str:
    """Return a digest of one module's source: the code that makes the files."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _from_cache(cached: Path, target: Path) -> bool:
    """Copy `cached` to `target` if the cache has it; say whether it did.

    A hit marks the cached file used now: shared caches drop what no build
    has used for a while (build_cache.shared_cache_folder).
    """
    if not cached.is_file():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, target)
    with contextlib.suppress(OSError):
        os.utime(cached)
    return True


def _cached(cached: Path, target: Path, make: Callable[[], None]) -> None:
    """Copy `cached` to `target`; on a miss, `make()` writes `target`, then keep it."""
    if _from_cache(cached, target):
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    make()
    partial_file = cached.with_name(cached.name + ".partial")
    shutil.copyfile(target, partial_file)
    partial_file.replace(cached)  # whole files only, even if the build is stopped


def get_generators(_pelican) -> type[ImagesGenerator]:
    """Hand Pelican our generator class."""
    return ImagesGenerator


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(set_defaults)
    # Plugin generators run after articles and pages are read and before any
    # page is written: the text can still change, and seo's generator, next in
    # PLUGINS, finds every article's share image in place.
    signals.get_generators.connect(get_generators)
