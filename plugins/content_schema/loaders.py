"""Every content file of a build, read and parsed once, as typed records.

`load_content(settings, today)` reads what Pelican `settings` name: the
taxonomy, testimonials, references, reviewers, articles and pages. Each file
is parsed once, against schema.py; the problems within a file are collected
in `LoadedContent.problems` (the rules across files are check.py's). Each
testimonial's consent is judged here, with `today`, the one clock of the
run: `Testimonial.consent_blocker` says why it may not be published, or None.

A build keeps the records for the plugins that shape pages from them
(content_schema.py puts them in the run's settings): `loaded(settings)`
returns them, `front_matter(settings, item)` a Pelican article's or page's
coerced front matter, and `every_article(context)` the articles of this run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
import datetime as dt
import fnmatch
from functools import cached_property
from pathlib import Path
import re
from typing import Any

from .paths import MARKDOWN_EXTENSIONS, display_path
from .problems import Problem, quoted
from .review import ReviewState, fingerprint_of, review_state
from .schema import (
    ArticleMeta,
    PageMeta,
    Reference,
    Reviewer,
    Taxonomy,
    Testimonial,
    load_references_file,
    load_reviewers_file,
    load_taxonomy_file,
    load_testimonial_file,
    parse_front_matter,
    salvage_front_matter,
)
from .settings import with_defaults

# Where a build keeps its LoadedContent for other plugins. Not a setting a site
# sets: build_cache leaves it out of the build's fingerprint.
RECORDS_SETTING = "CONTENT_RECORDS"


@dataclass(frozen=True)
class ContentFile:
    """An article or page whose front matter is valid."""

    source: str  # as writers see it, e.g. content/articles/first-visit.md
    path: Path  # absolute, resolved
    meta: ArticleMeta | PageMeta
    markdown: Any  # front_matter.MarkdownSource: the header lines and body lines
    kind: str  # "article" or "page"
    # False when the front matter has problems: `meta` then holds only the
    # fields that read (schema.salvage_front_matter), for the check alone.
    valid: bool = True

    @property
    def review_state(self) -> ReviewState:
        """How the text stands against its recorded medical review (review.py)."""
        return review_state(self.meta, fingerprint_of(self.meta, self.markdown))


@dataclass
class LoadedContent:
    """The records of one run; `problems` lists what no record could hold."""

    settings: dict[str, Any]  # with content_schema's defaults filled in
    today: dt.date
    content: Path  # the content folder, resolved
    taxonomy: Taxonomy | None = None
    testimonials: dict[str, Testimonial] = field(default_factory=dict)
    references: dict[str, Reference] = field(default_factory=dict)
    reviewers: dict[str, Reviewer] = field(default_factory=dict)
    articles: list[ContentFile] = field(default_factory=list)
    pages: list[ContentFile] = field(default_factory=list)
    # Every Markdown file, valid or not: a file with a bad header counts too.
    article_files: list[Path] = field(default_factory=list)
    page_files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Resolved path -> front matter, of the articles and pages above.
    by_path: dict[Path, ArticleMeta | PageMeta] = field(default_factory=dict)
    files_by_path: dict[Path, ContentFile] = field(default_factory=dict)
    # Articles and pages whose front matter has problems, with what still
    # reads: the rules across files check these too (every problem, one run).
    salvaged: list[ContentFile] = field(default_factory=list)
    testimonial_files: list[Path] = field(default_factory=list)
    # The ids of testimonial files with problems (id -> file): articles that
    # list them are not told the id is unknown, since the file exists.
    broken_testimonials: dict[str, str] = field(default_factory=dict)
    # Whether content/references.yaml (or reviewers.yaml) could not be read:
    # then no citation (or reviewer) is called unknown on its account.
    unreadable: set[str] = field(default_factory=set)

    def display(self, path: Path | str) -> str:
        """Name `path` as writers see it."""
        return display_path(self.content, path)

    def front_matter(self, path: Path | str) -> ArticleMeta | PageMeta | None:
        """Return the front matter of the article or page at `path`, or None."""
        return self.by_path.get(Path(path).resolve())

    @cached_property
    def source_paths(self) -> frozenset[str]:
        """Every article's and page's path within content/: `{filename}` targets."""
        return frozenset(
            path.relative_to(self.content).as_posix()
            for path in self.article_files + self.page_files
        )

    def content_file(self, path: Path | str) -> ContentFile | None:
        """Return the valid article or page at `path`, or None."""
        return self.files_by_path.get(Path(path).resolve())


def load_content(settings: Mapping[str, Any], today: dt.date) -> LoadedContent:
    """Read and parse every content file `settings` name; see the module docstring."""
    settings = with_defaults(settings)
    loaded = LoadedContent(settings, today, Path(settings["PATH"]).resolve())
    loaded.taxonomy = _load(loaded, "CONTENT_TAXONOMY_FILE", load_taxonomy_file)
    loaded.testimonials = _load_testimonials(loaded)
    loaded.references = _load(loaded, "CONTENT_REFERENCES_FILE", load_references_file)
    loaded.reviewers = _load(loaded, "CONTENT_REVIEWERS_FILE", load_reviewers_file)
    loaded.article_files = markdown_files(loaded, settings["ARTICLE_PATHS"])
    loaded.page_files = markdown_files(loaded, settings["PAGE_PATHS"])
    loaded.articles = _load_items(loaded, loaded.article_files, ArticleMeta, "article")
    loaded.pages = _load_items(loaded, loaded.page_files, PageMeta, "page")
    loaded.salvaged = [
        item for item in loaded.articles + loaded.pages if not item.valid
    ]
    loaded.articles = [item for item in loaded.articles if item.valid]
    loaded.pages = [item for item in loaded.pages if item.valid]
    loaded.files_by_path = {item.path: item for item in loaded.articles + loaded.pages}
    loaded.by_path = {path: item.meta for path, item in loaded.files_by_path.items()}
    return loaded


def markdown_files(loaded: LoadedContent, folders: list[str]) -> list[Path]:
    """Every Markdown file under `folders` of content/ that Pelican would read."""
    ignored = loaded.settings.get("IGNORE_FILES", ())
    found = {
        path
        for folder in folders
        for path in (loaded.content / folder).rglob("*")
        if path.suffix in MARKDOWN_EXTENSIONS
        and path.is_file()
        and not any(fnmatch.fnmatch(path.name, pattern) for pattern in ignored)
    }
    return sorted(found)


def first_line(path: Path, pattern: re.Pattern[str]) -> int | None:
    """Return the number of the first line of `path` matching `pattern`, or None."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), None)


def could_not_read(source: str, error: BaseException) -> Problem:
    """Return the problem of a file the tools failed on: theirs to fix, not yours."""
    return Problem(
        source,
        None,
        "",
        "could not be read: the tools failed on it, which is theirs to fix, not "
        f"yours; please report it to a maintainer (the error: {type(error).__name__})",
        "content-that-is-refused",
    )


def guarded(source: str, problems: list[Problem], read, *arguments, failed=None):
    """Return `read(*arguments)`; if it fails unexpectedly, note why and give `failed`.

    A file that crashes a parser (a bug, or input nobody foresaw) is reported
    by name like any other problem, and every other file is still checked.
    """
    try:
        return read(*arguments)
    except (Exception, RecursionError) as error:  # noqa: BLE001 - reported, by file
        problems.append(could_not_read(source, error))
        return failed


def _load(loaded: LoadedContent, setting: str, load_file):
    path = loaded.content / loaded.settings[setting]
    empty = (None, []) if setting == "CONTENT_TAXONOMY_FILE" else ({}, [])
    records, problems = guarded(
        loaded.display(path),
        loaded.problems,
        load_file,
        path,
        loaded.display(path),
        failed=empty,
    )
    loaded.problems += problems
    # A problem of the whole file (no field) means nothing in it was read.
    if any(not problem.field for problem in problems):
        loaded.unreadable.add(setting)
    return records


def _load_testimonials(loaded: LoadedContent) -> dict[str, Testimonial]:
    folder = loaded.content / loaded.settings["TESTIMONIALS_PATH"]
    files = sorted(p for p in folder.glob("*") if p.suffix in (".yaml", ".yml"))
    loaded.testimonial_files = files
    by_id: dict[str, Testimonial] = {}
    for path in files:
        source = loaded.display(path)
        record, problems = guarded(
            source,
            loaded.problems,
            load_testimonial_file,
            path,
            source,
            failed=(None, []),
        )
        loaded.problems += problems
        if record is None:
            loaded.broken_testimonials[_claimed_id(path)] = source
            continue
        if record.id in by_id:
            loaded.problems.append(
                Problem(
                    source,
                    first_line(path, re.compile(r"^id\s*:")),
                    "id",
                    f"duplicate id {quoted(record.id)}, already used by "
                    f"{by_id[record.id].source}; give each testimonial its own id",
                )
            )
            continue
        blocker = record.consent.publication_blocker(loaded.today)
        by_id[record.id] = replace(record, consent_blocker=blocker)
    return dict(sorted(by_id.items()))


ID_LINE = re.compile(r"""^id\s*:\s*["']?(?P<id>[^"'#\s]+)""")


def _claimed_id(path: Path) -> str:
    """Return the id a testimonial file with problems gives itself, or its name's.

    Read from the text, as YAML may not parse: `make new-testimonial` names
    the file after the id, so the file name is the next best guess.
    """
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return path.stem
    found = (ID_LINE.match(line) for line in text.split("\n"))
    return next((match["id"] for match in found if match), path.stem)


def _load_items(
    loaded: LoadedContent, files: list[Path], cls: type, kind: str
) -> list[ContentFile]:
    items = []
    for path in files:
        source = loaded.display(path)
        meta, markdown, problems = guarded(
            source,
            loaded.problems,
            parse_front_matter,
            path,
            source,
            cls,
            failed=(None, None, []),
        )
        loaded.problems += problems
        if meta is not None:
            items.append(ContentFile(source, path, meta, markdown, kind))
        elif markdown is not None and markdown.metadata:
            salvaged = salvage_front_matter(markdown, cls)
            items.append(ContentFile(source, path, salvaged, markdown, kind, False))
    return items


# --- For the plugins that shape pages ------------------------------------------


def loaded(settings: Mapping[str, Any]) -> LoadedContent:
    """Return the records content_schema loaded for this build."""
    try:
        return settings[RECORDS_SETTING]
    except KeyError:
        raise RuntimeError(
            "content_schema has not loaded this build's content: list it in PLUGINS "
            "before the plugins that use its records"
        ) from None


def front_matter(settings: Mapping[str, Any], item) -> ArticleMeta | PageMeta | None:
    """Return a Pelican article's or page's coerced front matter, or None.

    None for a file the schema does not read (not Markdown).
    """
    return loaded(settings).front_matter(item.source_path)


def every_article(context: Mapping[str, Any]) -> list:
    """Every article of this run: published, drafts and hidden, in that order.

    Each is followed by its translations (same slug, another `Lang:`), which
    Pelican lists nowhere else in the context, as its own feeds find them.
    """
    articles = [
        *context.get("articles", ()),
        *context.get("drafts", ()),
        *context.get("hidden_articles", ()),
    ]
    seen = {id(article) for article in articles}
    every = []
    for article in articles:
        every.append(article)
        for translation in getattr(article, "translations", ()):
            if id(translation) not in seen:
                seen.add(id(translation))
                every.append(translation)
    return every
