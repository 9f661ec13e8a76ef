"""Where a text's links lead, judged where Pelican resolves them: the containment point.

A pull request may come from a stranger, and a link is how a file outside
content/ would reach the site: `{attach}` and `{static}` make Pelican copy the
file they name beside the page. So links are never read from the Markdown
source with patterns of our own (a second reading, whose every gap with
Pelican's is a way out). They are read from what Pelican itself holds:

- `text_links(item)` finds every intrasite link of a Pelican content object
  with Pelican's own pattern (`Content._get_intrasite_link_regex`, every
  delimiter form `INTRASITE_LINK_REGEX` accepts: `{attach}`, `|attach|`,
  `{attach|`, `|attach}`), in the sanitised HTML the reader produced (nh3 has
  decoded character references by then), and in the FORMATTED_FIELDS Pelican
  rewrites (the summary); each link carries every content-relative path
  Pelican would look up for it (as written, percent-decoded, entity-decoded)
  and the one its static generator would copy. Image sources and `srcset`
  candidates are read from the same HTML with the standard HTML parser, the
  way a browser reads them.
- `link_problems(item, …)` judges them: a path outside content/ (after
  normalising, and again after following links), through a symbolic link or
  a hidden name, a copied file of a kind content/ does not declare, a file
  that is not there, an image without alt text. Each problem names the file
  and the line of the source that holds the link (found by its text; the
  judgement is made on the parsed link, never on the line).
- `copied_file_problems(static_files, …)` is the last gate: every file the
  static generator is about to copy, whoever asked for it.

The build connects `note_links` to `content_object_init` (each article and
page, right after the reader, before any plugin rewrites its text) and
`refuse_escapes` to `static_generator_finalized` (after every content object
and static file is known, before anything is written): one ContentError lists
every problem. `make check` renders each text with the same reader
(`rendered`) and applies the same `link_problems`, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
import difflib
import fnmatch
from html import unescape
from html.parser import HTMLParser
import os
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from pelican.contents import Content, Static
from sanitize import (
    REFUSED_TAGS,
    REMOVED_METADATA,
    SafeMarkdownReader,
    is_remote,
    srcset_urls,
)

from .loaders import RECORDS_SETTING, ContentFile, loaded
from .paths import closest_file, display_path, link_to
from .problems import ContentError, Problem, quoted
from .safety import EXTRA_KINDS, RASTER_SUFFIXES, TOPIC as SAFETY_TOPIC

MISSING_FILE_TOPIC = "a-file-that-is-not-there"  # its entry in mistakes.py
# Kinds of file a text may have copied beside it (`{static}`, `{attach}`):
# raster images, which Pillow verifies, and PDF leaflets. content/extra/
# holds its own declared list (safety.EXTRA_KINDS).
COPIED_SUFFIXES = frozenset({*RASTER_SUFFIXES, ".pdf"})
COPIED = ("static", "attach")
# Where a content object keeps the problems found when it was made.
PROBLEMS_ATTRIBUTE = "containment_problems"


@dataclass(frozen=True)
class TextLink:
    """One link of a text, as Pelican reads and resolves it."""

    what: str  # "filename", "static", "attach", …; "" for a plain image source
    written: str  # as the text holds it, entities decoded: `{attach}../x.png`
    path: str  # the address after the `{what}` part: `../x.png`
    lookups: tuple[str, ...]  # content-relative paths Pelican looks up, in order
    copied: str | None  # the content-relative path the static generator copies


# --- Reading links where Pelican reads them --------------------------------------


def text_links(item: Content) -> list[TextLink]:
    """Return every link of `item`'s text and summary, as Pelican resolves them."""
    return read_text(item)[0]


def read_text(item: Content) -> tuple[list[TextLink], list[str]]:
    """Return `item`'s links (see text_links) and the sources of its images without alt.

    Each text is parsed once for both.
    """
    pattern = item._get_intrasite_link_regex()  # Pelican's own pattern
    links, without_alt = [], []
    for text in _texts(item):
        for match in pattern.finditer(text):
            what, value = match["what"], match["value"]
            lookups = tuple(
                dict.fromkeys(
                    _lookup(item, candidate)
                    for candidate in (
                        urlparse(value).path,
                        unquote(urlparse(value).path),
                        urlparse(unescape(value)).path,
                    )
                )
            )
            # StaticGenerator copies the path get_static_links() gives:
            # the path as written, with only %20 decoded.
            copied = (
                _lookup(item, urlparse(value).path).replace("%20", " ")
                if what in COPIED
                else None
            )
            # Named as written, without its #fragment or ?query.
            prefix = match["path"][: len(match["path"]) - len(value)]
            address = unescape(value).split("#", 1)[0].split("?", 1)[0]
            links.append(
                TextLink(what, unescape(prefix) + address, address, lookups, copied)
            )
        images = _Images()
        images.feed(text)
        images.close()
        for source in images.sources:
            if source and not source.startswith("{") and not is_remote(source):
                lookup = _lookup(item, urlparse(source).path)
                links.append(TextLink("", source, source, (lookup,), None))
        without_alt += [
            image.get("src", "")
            for image in images.images
            if not image.get("alt", "").strip()
        ]
    return links, without_alt


def _texts(item: Content) -> Iterator[str]:
    yield item._content or ""  # the text as the reader left it
    for name in item.settings.get("FORMATTED_FIELDS", ()):
        value = item.metadata.get(name.lower())
        if isinstance(value, str):
            yield value


def _lookup(item: Content, path: str) -> str:
    """Return the content-relative path Pelican looks `path` up by (`_find_path`)."""
    if path.startswith("/"):
        return path[1:]
    return item.get_relative_source_path(os.path.join(item.relative_dir, path))


class _Images(HTMLParser):
    """The `src` and every `srcset` candidate of each image, as a browser reads them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sources: list[str] = []
        self.images: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("img", "source"):
            return
        values = {name: value or "" for name, value in attrs}
        if tag == "img":
            self.images.append(values)
        if "src" in values:
            self.sources.append(values["src"].strip())
        self.sources += srcset_urls(values.get("srcset", ""))


# --- Judging where they lead -------------------------------------------------------


def refusal(content: Path, relative: str) -> str | None:
    """Say why the file at content-relative `relative` must never be published.

    `content` is the resolved content folder. None when it may be: inside
    content/ once normalised and once every link is followed, reached through
    no symbolic link, and named without a hidden (dot) part.
    """
    normal = Path(os.path.normpath(content / PurePosixPath(relative)))
    if not normal.is_relative_to(content) or not Path(
        os.path.realpath(normal)
    ).is_relative_to(content):
        return "outside"
    parts = normal.relative_to(content).parts
    if any(part.startswith(".") for part in parts):
        return "hidden"
    if any(
        (content.joinpath(*parts[: end + 1])).is_symlink() for end in range(len(parts))
    ):
        return "symlink"
    return None


def undeclared_kind(relative: str) -> bool:
    """Whether content/`relative` is no kind of file a text may have copied."""
    path = PurePosixPath(os.path.normpath(relative))
    if path.parts and path.parts[0] == "extra":
        inside = path.relative_to("extra").as_posix()
        return not any(fnmatch.fnmatch(inside, kind) for kind in EXTRA_KINDS)
    return path.suffix.lower() not in COPIED_SUFFIXES


REFUSALS = {
    "outside": "leads outside content/, and only files kept in content/ are "
    "published; copy the file into content/ and link to it there",
    "hidden": "names a hidden file (a name starting with a dot), which is never "
    "published; rename the file without the dot",
    "symlink": "goes through a symbolic link; the site publishes only files kept "
    "in content/ itself: copy the file there instead of linking it",
    "kind": "names a kind of file the site does not publish beside a text (images: "
    f"{', '.join(sorted(RASTER_SUFFIXES))}; leaflets: .pdf); link to a page with "
    "{filename} instead, or save the file in one of those formats",
}


class _Judge:
    """The link rules for one text, with the names writers know it by."""

    def __init__(
        self,
        record: ContentFile,
        content: Path,
        sources: set[str],
        header: str = "",
    ) -> None:
        """Judge links of `record`'s text, or of its header field `header`."""
        self.record = record
        self.content = content
        self.sources = sources
        self.header = header
        self.problems: list[Problem] = []

    def add(self, written: str, field: str, message: str, topic: str) -> None:
        if self.header:
            field = self.header
            line = self.record.markdown.metadata.key_lines.get(self.header)
        else:
            line = line_of(self.record, written)
        self.problems.append(Problem(self.record.source, line, field, message, topic))

    def judge(self, link: TextLink) -> None:
        refused = next(
            filter(None, (refusal(self.content, path) for path in link.lookups)), None
        )
        if refused is None and link.copied is not None:
            refused = refusal(self.content, link.copied)
        field = "image" if _is_image(link.lookups[0]) else "link"
        if refused:
            self.add(
                link.written, field, f"{link.written} {REFUSALS[refused]}", SAFETY_TOPIC
            )
        elif link.what == "filename":
            if not any(path in self.sources for path in link.lookups):
                self.add(
                    link.written, "link", self.no_such_source(link), MISSING_FILE_TOPIC
                )
        elif link.what in COPIED or not link.what:
            target = self.content / (link.copied or link.lookups[0])
            if not target.is_file() and any(c.isspace() for c in link.path):
                pass  # its space is the problem: migration.py names it
            elif not target.is_file():
                self.add(
                    link.written,
                    field,
                    self.no_such_file(link, target),
                    MISSING_FILE_TOPIC,
                )
            elif link.what and undeclared_kind(link.copied or ""):
                self.add(
                    link.written,
                    field,
                    f"{link.written} {REFUSALS['kind']}",
                    SAFETY_TOPIC,
                )

    def no_such_source(self, link: TextLink) -> str:
        """Say that a {filename} link leads nowhere; suggest the closest article."""
        message = f"{link.written} does not lead to an article or page"
        path = link.path
        wanted = PurePosixPath(path.split("#", 1)[0]).name
        by_name = {
            PurePosixPath(source).name: source for source in sorted(self.sources)
        }
        close = difflib.get_close_matches(wanted, list(by_name), n=1, cutoff=0.6)
        if close:
            found = self.content / by_name[close[0]]
            fixed = link_to(self.content, self.record.path, path, found)
            return f"{message}; did you mean {link.written.replace(path, fixed, 1)}?"
        return (
            f"{message}; check the file name (paths are relative to this file, or "
            "to content/ when they start with /)"
        )

    def no_such_file(self, link: TextLink, target: Path) -> str:
        """Say that a link names no file; suggest the closest one."""
        message = f"{link.written}: no such file in content/"
        found = closest_file(self.content, target)
        if found is None:
            return f"{message}; check the file's name and folder"
        path = link.path
        fixed = link_to(self.content, self.record.path, path, found)
        return f"{message}; did you mean {link.written.replace(path, fixed, 1)}?"


def _is_image(path: str) -> bool:
    return PurePosixPath(path).suffix.lower() in {*RASTER_SUFFIXES, ".avif", ".svg"}


def line_of(record: ContentFile, written: str) -> int | None:
    """Return the line of `record` that holds link text `written`, or None.

    Only to point the writer at it: the link itself was read by Pelican. The
    summary's line first, then the body's; entities in a line are decoded as
    the sanitiser decoded them.
    """
    markdown = record.markdown
    summary_line = markdown.metadata.key_lines.get("summary")
    summary = markdown.metadata.get("summary")
    lines = (((summary_line, summary),) if isinstance(summary, str) else ()) + tuple(
        markdown.body
    )
    wanted = [written, PurePosixPath(written).name]
    for text in wanted:
        if not text:
            continue
        for number, line in lines:
            if line and text in unescape(line):
                return number
    return None


def link_problems(
    item: Content, record: ContentFile, content: Path, sources: set[str]
) -> list[Problem]:
    """Return the problems of every link and image of `item`, a Pelican content object.

    `record` is its loaded file (for its name and lines), `content` the
    resolved content folder, `sources` every article's and page's
    content-relative path (what `{filename}` may reach).
    """
    judge = _Judge(record, content, sources)
    links, without_alt = read_text(item)
    for link in links:
        judge.judge(link)
    judge.problems += removed_findings(item, record)[0]
    for source in without_alt:
        judge.add(
            source,
            "image",
            f"{source} has no alt text; describe what the image shows",
            "",
        )
    return judge.problems


def share_image_problems(
    record: ContentFile, content: Path, sources: set[str]
) -> list[Problem]:
    """Judge `record`'s `Image:` as its text's image links are judged.

    Pelican does not resolve it; the images plugin does, from content/ when
    it starts with `/` (after any `{static}`), else from the file's folder.
    """
    image = getattr(record.meta, "image", None)
    if not image:
        return []
    braced = image.startswith("{") and "}" in image
    path = image.split("}", 1)[1] if braced else image
    base = content if path.startswith("/") else record.path.parent
    relative = Path(os.path.relpath(base / path.lstrip("/"), content)).as_posix()
    link = TextLink(
        "static" if braced else "",
        image,
        path,
        (relative,),
        relative if braced else None,
    )
    judge = _Judge(record, content, sources, header="image")
    judge.judge(link)
    return judge.problems


URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "cite", "poster", "action", "formaction", "data"}
)


def removed_findings(
    item: Content, record: ContentFile
) -> tuple[list[Problem], list[Problem]]:
    """Name what the sanitiser took out of `item`'s text: (problems, advice).

    What could run or load (a refused tag, an event attribute, an address the
    site does not keep, such as an obfuscated `javascript:`) is a problem;
    markup that is merely not kept (`style`, an unknown tag such as `font`)
    is advice. Nothing is removed without a word.
    """
    problems, advice = [], []
    for removed in getattr(item, REMOVED_METADATA, ()):
        tag, name, value = removed.tag, removed.attribute, removed.value
        if not name:
            finding = f"a “{tag}” tag is not kept: the site removes it" + (
                ", since it could run code or load another site; write it as "
                "text, or ask a maintainer for a safe alternative"
                if tag in REFUSED_TAGS
                else " and keeps its text; remove the tag"
            )
            where = line_of(record, f"<{tag}") or line_of(record, f"<{tag.upper()}")
            target = problems if tag in REFUSED_TAGS else advice
        elif name.startswith("on"):
            finding = f"the {name} attribute runs code and is removed; delete it"
            where, target = line_of(record, value) or line_of(record, name), problems
        elif name in URL_ATTRIBUTES:
            finding = (
                f"the address {quoted(value)} ({name} of “{tag}”) is not one the site "
                "keeps (relative, https:, mailto: or tel:, and media from this "
                "site only), so it is removed; link to a page, or save the file "
                "in content/"
            )
            where, target = line_of(record, value), problems
        else:
            finding = (
                f"the {name} attribute of “{tag}” is not kept: the site removes "
                "it (the theme styles the text); remove it"
            )
            where, target = line_of(record, f"{name}="), advice
        target.append(Problem(record.source, where, "html", finding, SAFETY_TOPIC))
    return problems, advice


def copied_file_problems(
    static_files: Iterable[Static], content: Path, named: frozenset[str] = frozenset()
) -> list[Problem]:
    """Refuse any file the static generator would copy against content/'s rules.

    `named` holds the content-relative paths a text's link problem already
    names (its line says more than this last gate can).
    """
    problems = []
    for static in static_files:
        relative = os.path.relpath(os.path.abspath(static.source_path), content)
        if os.path.normpath(relative) in named:
            continue
        why = refusal(content, Path(relative).as_posix())
        if why:
            problems.append(
                Problem(
                    display_path(content, static.source_path),
                    None,
                    "",
                    f"the build was asked to publish this file, which {REFUSALS[why]}",
                    SAFETY_TOPIC,
                )
            )
    return problems


# --- make check: the same reading, without a build ---------------------------------


class _TextReader(SafeMarkdownReader):
    """The build's reader, for the text alone: a header value it cannot coerce is kept.

    The text (what links are judged on) is exactly the build's; a bad date or
    status, already named by the schema, does not stop its links being read.
    """

    def process_metadata(self, name, value):
        """Coerce `value` as the build does, or keep it as written."""
        try:
            return super().process_metadata(name, value)
        except Exception:  # noqa: BLE001 - the schema names the field and its fix
            return value


def rendered(record: ContentFile, settings: Mapping[str, Any]) -> Content:
    """Read `record` with the build's one reader, as a Pelican content object.

    The object carries the text and the formatted fields Pelican rewrites
    links in (FORMATTED_FIELDS); nothing else of the header. Pass settings
    from `with_catalogues` once per run: the reader needs the theme's words.
    """
    text, metadata = _TextReader(settings).read(str(record.path))
    formatted = {
        name.lower(): metadata[name.lower()]
        for name in settings.get("FORMATTED_FIELDS", ())
        if isinstance(metadata.get(name.lower()), str)
    }
    formatted[REMOVED_METADATA] = metadata.get(REMOVED_METADATA, ())
    return Content(
        text, metadata=formatted, settings=settings, source_path=str(record.path)
    )


# --- The build: at Pelican's own resolution steps -----------------------------------


def note_links(instance) -> None:
    """Judge a new article's or page's links (content_object_init); keep them."""
    if isinstance(instance, Static) or RECORDS_SETTING not in instance.settings:
        return  # a static file, or a text read outside a build (make check)
    records = loaded(instance.settings)
    record = records.content_file(instance.source_path)
    if record is None:
        return
    setattr(
        instance,
        PROBLEMS_ATTRIBUTE,
        link_problems(instance, record, records.content, records.source_paths),
    )


def refuse_escapes(static_generator) -> None:
    """Stop the build, before anything is written, if a link or a copy escapes."""
    context = static_generator.context
    records = loaded(static_generator.settings)
    problems: list[Problem] = []
    named: set[str] = set()
    seen: set[int] = set()
    for item in _every_content_object(context):
        if id(item) in seen:
            continue
        seen.add(id(item))
        problems += getattr(item, PROBLEMS_ATTRIBUTE, ())
        if getattr(item, PROBLEMS_ATTRIBUTE, ()):
            named |= {
                os.path.normpath(link.copied)
                for link in text_links(item)
                if link.copied is not None
            }
    problems += copied_file_problems(
        static_generator.staticfiles, records.content, frozenset(named)
    )
    if problems:
        raise ContentError(sorted(set(problems), key=lambda p: (p.source, p.line or 0)))


def _every_content_object(context: Mapping[str, Any]) -> Iterator[Content]:
    for item in context.get("generated_content", {}).values():
        yield item
        yield from getattr(item, "translations", ())
