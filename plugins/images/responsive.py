"""Responsive copies of content images, and where their `<img>` tags are.

A JPEG or PNG of content/ is measured once (`read_image`), which plans its
copies: one per width of IMAGES_WIDTHS narrower than the image, in its own
format, and a WebP version of each of those widths plus the full one.
`write_variant` encodes each. Names carry the width: `photo.jpg` (1600 px
wide) gets `photo-480w.jpg` and `photo-480w.webp` … `photo-1600w.webp`.

`find_img_tags` locates every `<img>` start tag of an HTML fragment with the
standard library's HTML parser, which knows comments, `<script>` text and
quoted `>` characters; `splice` replaces exactly those spans, so the rest of
the HTML stays byte for byte as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

# File suffixes this module converts, and the Pillow format each must hold.
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
# LANCZOS after a cheap box reduction to 3x the target: as sharp as LANCZOS
# alone for photos, several times faster on large originals.
RESAMPLE = Image.Resampling.LANCZOS
REDUCING_GAP = 3.0
# EXIF orientations that turn the stored pixels a quarter turn.
SIDEWAYS = frozenset({5, 6, 7, 8})


class ImageFileError(Exception):
    """A content image that Pillow cannot read, or whose content its name belies."""


@dataclass(frozen=True)
class Variant:
    """One generated copy of a content image."""

    path: PurePosixPath  # in the output, e.g. images/photo-480w.webp
    width: int  # pixels
    height: int
    format: str  # Pillow format name: "WEBP", "JPEG" or "PNG"


@dataclass(frozen=True)
class ContentImage:
    """A JPEG or PNG of content/, measured, with the copies it gets.

    `path` is where Pelican copies the original (its path in content/, as
    STATIC_SAVE_AS is `{path}`); the copies sit next to it. Width and height
    are the image as browsers show it: after its EXIF orientation.
    """

    source: Path  # the file in content/
    path: PurePosixPath  # the original in the output, e.g. images/photo.jpg
    width: int
    height: int
    format: str  # "JPEG" or "PNG"
    variants: tuple[Variant, ...]  # narrowest first, original format then WebP

    def srcset(self, siteurl: str, image_format: str) -> str:
        """Return the `srcset` of the copies in `image_format`, widest last.

        The original-format set ends with the original file itself.
        """
        candidates = [
            (v.path, v.width) for v in self.variants if v.format == image_format
        ]
        if image_format == self.format:
            candidates.append((self.path, self.width))
        return ", ".join(
            f"{siteurl}/{quote(str(path))} {width}w" for path, width in candidates
        )


def plan_variants(
    path: PurePosixPath, width: int, height: int, image_format: str, widths
) -> tuple[Variant, ...]:
    """List the copies of an image: each smaller width in both formats, full WebP.

    A copy is never wider than the original: widths at or above it are left out.
    """
    smaller = sorted({w for w in widths if w < width})
    suffix = path.suffix

    def copy(w: int, fmt: str, ext: str) -> Variant:
        h = max(1, round(height * w / width))
        return Variant(path.with_name(f"{path.stem}-{w}w{ext}"), w, h, fmt)

    return (
        *(copy(w, image_format, suffix) for w in smaller),
        *(copy(w, "WEBP", ".webp") for w in [*smaller, width]),
    )


def _read(source: Path, *, decode: bool) -> tuple[str, int, int]:
    """Return an image's format, width and height as shown (EXIF orientation)."""
    try:
        with Image.open(source) as image:
            if decode:
                image.load()  # a truncated file fails here, not on Image.open
            width, height = image.size
            orientation = image.getexif().get(ExifTags.Base.Orientation, 1)
            image_format = image.format or ""
    except UnidentifiedImageError as error:
        raise ImageFileError(
            "cannot be read as an image (not a format Pillow knows); export it again"
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageFileError(
            f"cannot be read as an image ({error}); export it again"
        ) from error
    if orientation in SIDEWAYS:
        width, height = height, width
    return image_format, width, height


def image_size(source: Path) -> tuple[int, int]:
    """Return the width and height of any image Pillow reads, as shown.

    Reads the header only. Raises ImageFileError when Pillow cannot.
    """
    _format, width, height = _read(source, decode=False)
    return width, height


def read_image(source: Path, path: PurePosixPath, widths) -> ContentImage:
    """Measure a JPEG or PNG (decoding it fully) and plan its copies.

    Raises ImageFileError when the file cannot be decoded, or holds another
    format than its name says.
    """
    expected = FORMATS[source.suffix.lower()]
    found, width, height = _read(source, decode=True)
    if found != expected:
        raise ImageFileError(
            f"holds a {found} image, not the {expected} its name says; "
            f"save it as {expected} or rename it"
        )
    variants = plan_variants(path, width, height, found, widths)
    return ContentImage(source, path, width, height, found, variants)


def _for_format(image: Image.Image, image_format: str) -> Image.Image:
    """Convert to a mode `image_format` can store, keeping transparency."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if image_format == "JPEG" and image.mode in ("RGB", "L", "CMYK"):
        return image
    if image_format == "PNG" and image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    return image.convert("RGBA" if has_alpha else "RGB")


def write_variant(
    image: ContentImage, variant: Variant, output: Path, quality: int
) -> None:
    """Encode one copy of `image` into `output`: upright, without metadata.

    EXIF, XMP and comments are left out (they can hold a camera's location);
    the colour profile stays, since colours depend on it. Same input, same
    bytes: nothing time-dependent is written. Each call decodes the original
    itself, so copies can be made in parallel threads (Pillow releases the GIL
    while it decodes, resizes and encodes).
    """
    with Image.open(image.source) as opened:
        profile = opened.info.get("icc_profile")
        upright = _for_format(ImageOps.exif_transpose(opened), variant.format)
    resized = (
        upright
        if variant.width == image.width
        else upright.resize(
            (variant.width, variant.height), RESAMPLE, reducing_gap=REDUCING_GAP
        )
    )
    options: dict = {"icc_profile": profile} if profile else {}
    if variant.format == "WEBP":
        options |= {"quality": quality, "method": 4}
    elif variant.format == "JPEG":
        options |= {"quality": quality, "optimize": True, "progressive": True}
    else:
        options |= {"optimize": True}
    target = output / Path(*variant.path.parts)
    target.parent.mkdir(parents=True, exist_ok=True)
    resized.save(target, variant.format, **options)


@dataclass(frozen=True)
class ImgTag:
    """An `<img>` start tag in an HTML fragment."""

    start: int  # offset of "<img" in the fragment
    end: int  # offset just after its ">"
    attributes: tuple[tuple[str, str | None], ...]  # in order, values unescaped
    in_picture: bool  # inside a `<picture>` the writer wrote

    def get(self, name: str) -> str | None:
        """Return the value of attribute `name`, or None."""
        return next((v for n, v in self.attributes if n == name), None)


class _ImgFinder(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.line_starts = [0]
        for number, line in enumerate(html.split("\n")):
            self.line_starts.append(self.line_starts[number] + len(line) + 1)
        self.tags: list[ImgTag] = []
        self.pictures = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "picture":
            self.pictures += 1
        elif tag == "img":
            line, column = self.getpos()
            start = self.line_starts[line - 1] + column
            end = start + len(self.get_starttag_text() or "")
            self.tags.append(ImgTag(start, end, tuple(attrs), self.pictures > 0))

    def handle_endtag(self, tag) -> None:
        if tag == "picture" and self.pictures:
            self.pictures -= 1


def find_img_tags(html: str) -> list[ImgTag]:
    """Return the `<img>` start tags of `html` in document order.

    Text that only looks like a tag (inside a comment, a `<script>`, or
    escaped as `&lt;img` in a code sample) is not a tag and is not returned.
    """
    finder = _ImgFinder(html)
    finder.feed(html)
    finder.close()
    return finder.tags


def splice(html: str, replacements: Iterable[tuple[ImgTag, str]]) -> str:
    """Return `html` with each tag's span replaced by its new markup."""
    parts, position = [], 0
    for tag, markup in sorted(replacements, key=lambda pair: pair[0].start):
        parts += [html[position : tag.start], markup]
        position = tag.end
    parts.append(html[position:])
    return "".join(parts)
