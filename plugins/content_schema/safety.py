"""What may reach the site from content/: safe names, known kinds, inert text.

A pull request may come from a stranger, so the check refuses, by file and
line, what the build must never publish:

- `file_problems`: symlinks, names outside a safe set of characters or too
  long, dotfiles, files too large for their kind, formats that only the
  sanitize plugin's one reader would leave unread (.rst, .html: "convert it
  to Markdown"), files in content/extra/ that are not a declared kind, and
  images that are not a raster image Pillow can verify within the pixel
  limit (an SVG can hold script);
- `markup_problems`: in a Markdown body or summary, the HTML the sanitizer
  would remove (script, iframes, forms, meta, …), event attributes,
  `javascript:` links, and media from another site ("save it in
  content/images");
- `header_lines_problems`: control and separator characters in the front matter,
  which Pelican and the check could otherwise read differently.

The sanitize plugin makes writer HTML inert whatever the check says; these
rules tell the writer, so nothing is removed silently.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
import fnmatch
import html
from pathlib import Path
import re
from typing import Any
import warnings

from PIL import Image, UnidentifiedImageError
from sanitize import MARKDOWN_EXTENSIONS, REFUSED_TAGS, is_remote, srcset_urls

from .parsing import REFUSED_TOPIC
from .problems import Problem, quoted

TOPIC = REFUSED_TOPIC
HIDDEN = ".*"  # the IGNORE_FILES pattern of hidden files
# Letters, digits, dot, hyphen and underscore: names that every host, git and
# a URL keep as they are.
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
MAX_NAME = 100  # characters, file or folder name
# Bytes, by kind of file: a larger one is a mistake or an attack.
MAX_BYTES = {"image": 20_000_000, "other": 20_000_000}
MAX_IMAGE_PIXELS = 40_000_000  # 8,000 x 5,000: well above any photo's use
# Each raster image's ending, and the format Pillow must find inside it.
IMAGE_FORMATS = {
    ".png": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".webp": "WEBP",
}
RASTER_SUFFIXES = frozenset(IMAGE_FORMATS)
# The formats Pelican has readers for, which the safe reader leaves unread.
OTHER_TEXT_FORMATS = frozenset({".rst", ".html", ".htm", ".txt", ".asciidoc", ".adoc"})
# What content/extra/ may hold, as patterns of paths within it.
EXTRA_KINDS = ("CNAME", "favicon.ico", "*.pdf")

HTML_TAG = re.compile(r"<\s*(?P<name>[A-Za-z][A-Za-z0-9-]*)(?P<attributes>[^>]*)>?")
EVENT_ATTRIBUTE = re.compile(r"(?:^|[\s\"'/])(?P<name>on[a-z]+)\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(
    r"(?:href|src|action|formaction|xlink:href)\s*=\s*[\"']?\s*"
    r"(?P<scheme>javascript|vbscript|data)\s*:",
    re.IGNORECASE,
)
MEDIA_SOURCE = re.compile(
    r"\b(?P<name>src|srcset|poster)\s*=\s*"
    r"(?:\"(?P<double>[^\"]*)\"|'(?P<single>[^']*)'|(?P<bare>[^\"'\s>]+))",
    re.IGNORECASE,
)
MARKDOWN_MEDIA = re.compile(r"!\[[^\]]*\]\(\s*<?(?P<url>[^)\s>]+)")
# C0 and C1 controls but tab, DEL, and the Unicode line and paragraph
# separators: characters that split or hide lines differently per reader.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _problem(source: str, line: int | None, name: str, message: str) -> Problem:
    return Problem(source, line, name, message, TOPIC)


# --- Files ------------------------------------------------------------------------


def file_problems(content: Path, settings: Mapping[str, Any]) -> list[Problem]:
    """Refuse what under `content` must never be published or read, by file."""
    problems = []
    # What Pelican ignores is never published (README.md, editors' lock files);
    # hidden files are ignored too, yet named, so none is dropped in silence.
    ignored = [p for p in settings.get("IGNORE_FILES", ()) if p != HIDDEN]
    for path in _every_path(content):
        if any(fnmatch.fnmatch(path.name, pattern) for pattern in ignored):
            continue
        source = f"{content.name}/{path.relative_to(content).as_posix()}"
        problems += _path_problems(content, path, source, settings)
    return problems


def _every_path(content: Path) -> Iterator[Path]:
    """Every file and folder below `content`, without following symlinks."""
    for path in sorted(content.rglob("*")):
        if any(part.is_symlink() for part in _parents_within(content, path)):
            continue  # inside a linked folder: the link itself is reported
        yield path


def _parents_within(content: Path, path: Path) -> list[Path]:
    return [
        parent
        for parent in path.parents
        if parent != content and parent.is_relative_to(content)
    ]


def _path_problems(
    content: Path, path: Path, source: str, settings: Mapping[str, Any]
) -> list[Problem]:
    name = path.name
    if path.is_symlink():
        return [
            _problem(
                source,
                None,
                "",
                "is a symbolic link; the site publishes only files kept in "
                "content/ itself: copy the file here instead of linking it",
            )
        ]
    if name.startswith(".") and name not in (".gitkeep", ".gitignore"):
        return [
            _problem(
                source,
                None,
                "",
                "is a hidden file (its name starts with a dot); nothing hidden is "
                "published: remove it, or rename it without the dot",
            )
        ]
    if not SAFE_NAME.fullmatch(name) or len(name) > MAX_NAME:
        return [
            _problem(
                source,
                None,
                "",
                f"the name {quoted(name)} has characters or a length that web "
                f"addresses and hosts do not keep as they are; rename it with "
                f"letters, digits, hyphens and dots only (at most {MAX_NAME} "
                "characters), e.g. first-visit.md",
            )
        ]
    if path.is_dir():
        return []
    return _kind_problems(content, path, source, settings)


def _kind_problems(
    content: Path, path: Path, source: str, settings: Mapping[str, Any]
) -> list[Problem]:
    relative = path.relative_to(content)
    top = relative.parts[0] if len(relative.parts) > 1 else ""
    suffix = path.suffix.lower()
    content_folders = set(settings.get("ARTICLE_PATHS", ())) | set(
        settings.get("PAGE_PATHS", ())
    )
    if top in content_folders and suffix in OTHER_TEXT_FORMATS:
        return [
            _problem(
                source,
                None,
                "",
                f"is a {suffix} file; articles and pages are Markdown only, which "
                "the check can read: convert it to Markdown and name it .md",
            )
        ]
    size = path.stat().st_size
    kind = _kind(suffix)
    # Markdown and YAML are measured when they are read (parsing.read_text).
    if kind not in ("markdown", "yaml") and size > MAX_BYTES[kind]:
        return [
            _problem(
                source,
                None,
                "",
                f"is {size / 1_000_000:.1f} MB, more than the "
                f"{MAX_BYTES[kind] / 1_000_000:g} MB a {kind} file may be; split or "
                "shrink it",
            )
        ]
    if top == "extra":
        inside = relative.relative_to("extra").as_posix()
        if not any(fnmatch.fnmatch(inside, kind) for kind in EXTRA_KINDS):
            return [
                _problem(
                    source,
                    None,
                    "",
                    f"content/extra/ holds only {', '.join(EXTRA_KINDS)} "
                    "(a file kind the site can serve safely); put images in "
                    "content/images/, and other files nowhere",
                )
            ]
    if top in set(settings.get("STATIC_PATHS", ())) - {"extra"}:
        return _image_problems(path, source)
    return []


def _kind(suffix: str) -> str:
    if suffix in (f".{extension}" for extension in MARKDOWN_EXTENSIONS):
        return "markdown"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in RASTER_SUFFIXES:
        return "image"
    return "other"


def _image_problems(path: Path, source: str) -> list[Problem]:
    """Refuse an image that is not a raster image, or that is over the pixel limit."""
    if path.suffix.lower() not in RASTER_SUFFIXES:
        return [
            _problem(
                source,
                None,
                "",
                "content/images/ holds PNG, JPEG, GIF and WebP images only (an "
                "SVG can carry script, which would run on the site); save it as PNG "
                "or JPEG, or move it out",
            )
        ]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:  # reads the header, not the pixels
                width, height = image.size
                kind = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return [_too_many_pixels(source, 0, 0)]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        # Not an image at all (HTML saved as .png would be published as one).
        reason = (
            "not a format Pillow knows"
            if isinstance(error, UnidentifiedImageError)
            else str(error) or type(error).__name__
        )
        return [
            _problem(
                source,
                None,
                "",
                f"cannot be read as an image ({reason}); export it again from the "
                "original, or remove it",
            )
        ]
    expected = IMAGE_FORMATS[path.suffix.lower()]
    if kind != expected:
        return [
            _problem(
                source,
                None,
                "",
                f"is a {kind or 'different'} file, not the {expected} image its name "
                "says; export it as that format, or give it the right ending",
            )
        ]
    if width * height > MAX_IMAGE_PIXELS:
        return [_too_many_pixels(source, width, height)]
    return []


def _too_many_pixels(source: str, width: int, height: int) -> Problem:
    size = f" ({width:,} x {height:,} pixels)" if width else ""
    return _problem(
        source,
        None,
        "",
        f"is too large an image{size}: at most {MAX_IMAGE_PIXELS:,} pixels; "
        "resize it to 2,000 pixels wide or so",
    )


# --- Text ---------------------------------------------------------------------------


def markup_problems(source: str, lines: tuple[tuple[int, str], ...]) -> list[Problem]:
    """Refuse, by line, the HTML in Markdown that could run or load from elsewhere."""
    problems = []
    for number, text in lines:
        if "<" not in text and "](" not in text:
            continue
        for message in _line_markup(text):
            problems.append(_problem(source, number, "html", message))
    return problems


def _line_markup(text: str) -> Iterator[str]:
    for tag in HTML_TAG.finditer(text):
        name = tag["name"].lower()
        if name in REFUSED_TAGS:
            yield (
                f"a “{name}” tag is not allowed in the text: the site removes it, "
                "since it could run code or load another site; write it as text, "
                "or ask a maintainer for a safe alternative"
            )
            continue
        attributes = tag["attributes"]
        for event in EVENT_ATTRIBUTE.finditer(attributes):
            yield (
                f"the {event['name'].lower()} attribute runs code and is removed; "
                "delete it"
            )
        for url in SCRIPT_URL.finditer(attributes):
            yield (
                f"a {url['scheme'].lower()}: address runs code or hides a file in "
                "the page and is removed; link to a page, or save the file in "
                "content/"
            )
        for media in MEDIA_SOURCE.finditer(attributes):
            value = html.unescape(
                media["double"] or media["single"] or media["bare"] or ""
            )
            # Every srcset candidate loads; the sanitiser judges each one too.
            urls = srcset_urls(value) if media["name"].lower() == "srcset" else [value]
            for url in urls:
                if is_remote(url):
                    yield _remote_media(url.strip())
    for media in MARKDOWN_MEDIA.finditer(text):
        if is_remote(media["url"]):
            yield _remote_media(media["url"])


def _remote_media(url: str) -> str:
    return (
        f"{url} loads from another site, which would learn who reads the page; "
        "save the file in content/images/ and write {static}/images/its-name"
    )


def header_lines_problems(
    source: str, header: tuple[tuple[int, str], ...]
) -> list[Problem]:
    """Refuse control and separator characters in the front matter's lines."""
    return [
        _problem(
            source,
            number,
            "",
            "holds an invisible control character, which the check and the build "
            "could read in different ways; retype the line",
        )
        for number, text in header
        if CONTROL.search(text)
    ]
