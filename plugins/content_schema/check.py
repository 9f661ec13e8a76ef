"""Check all content against the schema and against each other, without building.

`check_content(settings)` is what `make check` runs and what the build runs
first: it reads every article, page and testimonial and the taxonomy, applies
the single-file rules of schema.py and then the rules across files:

- slugs are unique across articles and pages, and none takes a reserved path;
- categories, tags and authors come from content/taxonomy.yaml;
- testimonial ids are unique, and every id an article lists exists;
- every `{filename}` link reaches a source file, every `{static}` and
  `{attach}` path and every image exists, and every image has alt text;
- no scaffold placeholder reaches readers (placeholders.py): in a draft
  article, or in a testimonial a preview shows despite its consent, it is a
  to-do; in an article that is not a draft, and in a testimonial the publish
  build would show, a problem;
- when every testimonial an article lists is withheld, the article is named
  too: the text that introduces them then introduces nothing;
- a testimonial whose consent does not allow web publication today is
  handled as TESTIMONIALS_WITHOUT_CONSENT says: shown with a badge
  ("preview"), left out and named ("withhold"), or a problem ("refuse").
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from dataclasses import dataclass, field
import datetime as dt
import difflib
import fnmatch
import itertools
from pathlib import Path, PurePosixPath
import re
from typing import Any

from dateutil.relativedelta import relativedelta
from pelican.utils import slugify

from .placeholders import in_article
from .problems import Problem
from .schema import (
    ArticleMeta,
    PageMeta,
    Taxonomy,
    Testimonial,
    load_references_file,
    load_reviewers_file,
    load_taxonomy_file,
    load_testimonial_file,
    parse_front_matter,
)

DEFAULT_SETTINGS = {
    "CONTENT_TAXONOMY_FILE": "taxonomy.yaml",
    "CONTENT_REFERENCES_FILE": "references.yaml",
    "CONTENT_REVIEWERS_FILE": "reviewers.yaml",
    "MEDICAL_REVIEW_INTERVAL_MONTHS": 12,
    "MEDICAL_REVIEW_REQUIRED": False,
    "HEALTH_CATEGORIES": ("Mental health",),
    "TESTIMONIALS_PATH": "testimonials",
    "TESTIMONIALS_WITHOUT_CONSENT": "withhold",
    # Pelican's own defaults, for callers that pass plain settings.
    "ARTICLE_URL": "{slug}.html",
    "PAGE_URL": "pages/{slug}.html",
}
CONSENT_POLICIES = ("preview", "withhold", "refuse")
MARKDOWN_EXTENSIONS = (".md", ".markdown", ".mkd", ".mdown")
# First path segments the site's own pages use; an article or page slug there
# would overwrite them.
RESERVED_SLUGS = frozenset(
    {
        "author",
        "authors",
        "categories",
        "category",
        "drafts",
        "feeds",
        "images",
        "page",
        "tag",
        "tags",
        "testimonials",
        "theme",
        "archives",
    }
)
INTRASITE_LINK = re.compile(
    r"\{(?P<what>filename|static|attach)\}(?P<path>[^\s\"')#?]+)"
)
MARKDOWN_IMAGE = re.compile(
    r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)(?:\s+\"[^\"]*\")?\)"
)
HTML_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
HTML_ATTRIBUTE = re.compile(
    r"(?P<name>[a-z-]+)\s*=\s*(?P<q>[\"'])(?P<value>.*?)(?P=q)", re.IGNORECASE
)
MARKER = re.compile(r"^\s*\[testimonials\]\s*$", re.IGNORECASE)
# `[@feder2021ajp]` or `[@feder2021ajp; @abdallah2022npp]`
# In rendered HTML, Typogrify may have joined "; @key" with a no-break space.
_SPACE = r"(?:\s|&nbsp;|&#160;)*"
CITATION = re.compile(
    rf"\[(?P<keys>@[A-Za-z][\w-]*(?:{_SPACE};{_SPACE}@[A-Za-z][\w-]*)*)\]"
)
CITATION_KEY = re.compile(r"@([A-Za-z][\w-]*)")
# Advisory only (health-content rules): absolute promises, and efficacy claims
# that cite nothing.
ABSOLUTE_WORDING = re.compile(
    r"\b(cures?|cured|guaranteed?|proven|100\s?%|no side[- ]effects|not addictive|"
    r"FDA[- ]approved)\b|100\s?%",
    re.IGNORECASE,
)
EFFICACY_WORDING = re.compile(
    r"\b(reduc(?:e|es|ed|tions?)|relie(?:f|ve|ves|ved)|treats?|effective|efficacy|"
    r"significant(?:ly)?)\b|\b\d+(?:\.\d+)?\s?%",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# A pre-filter for the two patterns above, which are slow on long text: every
# match contains one of these words or phrases, or a percentage.
CLAIM_WORD = re.compile(r"[a-z0-9%-]+")
CLAIM_WORDS = frozenset(
    (
        "cure",
        "cures",
        "cured",
        "guarantee",
        "guaranteed",
        "proven",
        "fda-approved",
        "reduce",
        "reduces",
        "reduced",
        "reduction",
        "reductions",
        "relief",
        "relieve",
        "relieves",
        "relieved",
        "treat",
        "treats",
        "effective",
        "efficacy",
        "significant",
        "significantly",
    )
)
CLAIM_PHRASES = ("side effect", "side-effect", "not addictive", "fda approved")
# Every word the two patterns above can match contains one of these.
CLAIM_STEMS = (
    "cure",
    "guarantee",
    "proven",
    "%",
    "side",
    "addictive",
    "fda",
    "reduc",
    "relie",
    "treat",
    "effective",
    "efficacy",
    "significant",
)


@dataclass(frozen=True)
class ContentItem:
    """Where an article or page will be published, for reports such as previews."""

    source: str  # e.g. content/articles/first-visit.md
    kind: str  # "article" or "page"
    title: str  # as written in the front matter
    url: str  # relative to SITEURL, e.g. first-visit/
    status: str  # "published", "draft" or "hidden"
    testimonials: tuple[str, ...]  # the testimonial ids it lists
    date: dt.date | dt.datetime | None  # articles only; in the future: scheduled


@dataclass
class CheckResult:
    """Everything `check_content` found; `problems` empty means the content is fine.

    `problems` block the build. `todos` are scaffold placeholders that no reader
    sees yet (drafts, previews) but that block publishing once they would.
    `withheld` names each testimonial whose consent keeps it off the published
    site, and why (`consent_policy` says whether this build still shows it,
    with a badge). `warnings` is the advisory editorial report. None of the
    last three blocks the build.
    """

    problems: list[Problem] = field(default_factory=list)
    todos: list[Problem] = field(default_factory=list)
    withheld: list[Problem] = field(default_factory=list)
    consent_policy: str = "withhold"
    # The editorial report: overdue reviews, open questions, claims to check.
    warnings: list[Problem] = field(default_factory=list)
    articles: int = 0
    pages: int = 0
    testimonials: tuple[Testimonial, ...] = ()
    items: list[ContentItem] = field(default_factory=list)  # valid front matter only


@dataclass(frozen=True)
class _Item:
    source: str
    path: Path
    meta: Any
    markdown: Any
    kind: str  # "article" or "page"


class _Checker:
    def __init__(self, settings: Mapping[str, Any], today: dt.date) -> None:
        self.settings = {**DEFAULT_SETTINGS, **settings}
        self.content = Path(self.settings["PATH"]).resolve()
        self.root = self.content.parent
        self.today = today
        self.result = CheckResult()
        # Ids of testimonials the published site leaves out (check_publication).
        self.withheld_ids: set[str] = set()

    def display(self, path: Path) -> str:
        # Paths come from globbing the resolved content folder: no resolve() needed.
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def add(self, source: str, line: int | None, name: str, message: str) -> None:
        self.result.problems.append(Problem(source, line, name, message))

    def ignored(self, path: Path) -> bool:
        return any(
            fnmatch.fnmatch(path.name, p) for p in self.settings.get("IGNORE_FILES", ())
        )

    def markdown_files(self, folders: list[str]) -> list[Path]:
        found = []
        for folder in folders:
            base = self.content / folder
            found += [
                p
                for p in base.rglob("*")
                if p.suffix in MARKDOWN_EXTENSIONS
                and p.is_file()
                and not self.ignored(p)
            ]
        return sorted(set(found))

    # --- loading ---------------------------------------------------------------

    def load_taxonomy(self) -> Taxonomy | None:
        path = self.content / self.settings["CONTENT_TAXONOMY_FILE"]
        taxonomy, problems = load_taxonomy_file(path, self.display(path))
        self.result.problems += problems
        return taxonomy

    def load_testimonials(self) -> dict[str, Testimonial]:
        folder = self.content / self.settings["TESTIMONIALS_PATH"]
        files = sorted(p for p in folder.glob("*") if p.suffix in (".yaml", ".yml"))
        by_id: dict[str, Testimonial] = {}
        for path in files:
            source = self.display(path)
            record, problems = load_testimonial_file(path, source)
            self.result.problems += problems
            if record is None:
                continue
            if record.id in by_id:
                self.add(
                    source,
                    _first_line(path, re.compile(r"^id\s*:")),
                    "id",
                    f"duplicate id {record.id!r}, already used by "
                    f"{by_id[record.id].source}; give each testimonial its own id",
                )
                continue
            by_id[record.id] = record
        return by_id

    def load_references(self) -> dict:
        path = self.content / self.settings["CONTENT_REFERENCES_FILE"]
        references, problems = load_references_file(path, self.display(path))
        self.result.problems += problems
        return references

    def load_reviewers(self) -> dict:
        path = self.content / self.settings["CONTENT_REVIEWERS_FILE"]
        reviewers, problems = load_reviewers_file(path, self.display(path))
        self.result.problems += problems
        return reviewers

    def load_items(self, folders: list[str], cls: type, kind: str) -> list[_Item]:
        items = []
        for path in self.markdown_files(folders):
            source = self.display(path)
            meta, markdown, problems = parse_front_matter(path, source, cls)
            self.result.problems += problems
            if meta is not None:
                items.append(_Item(source, path, meta, markdown, kind))
        return items

    # --- rules across files ------------------------------------------------------

    def consent_policy(self) -> str:
        policy = self.settings["TESTIMONIALS_WITHOUT_CONSENT"]
        if policy not in CONSENT_POLICIES:
            self.add(
                "pelicanconf.py",
                None,
                "TESTIMONIALS_WITHOUT_CONSENT",
                f"{policy!r} is not a choice; use one of "
                f"{', '.join(map(repr, CONSENT_POLICIES))}",
            )
            return "refuse"
        return policy

    def check_publication(self, testimonials: dict[str, Testimonial]) -> None:
        """Apply the consent policy, and refuse placeholders readers would see."""
        policy = self.result.consent_policy = self.consent_policy()
        for testimonial in testimonials.values():
            blocker = testimonial.consent.publication_blocker(self.today)
            if blocker and policy != "refuse":
                self.withheld_ids.add(testimonial.id)
            unfilled = [p.field for p in testimonial.placeholders]
            if blocker:
                consent_line = _first_line(
                    self.root / testimonial.source, re.compile(r"^consent\s*:")
                )
                if unfilled:
                    blocker += f"; it also has fields to fill in: {', '.join(unfilled)}"
                finding = Problem(testimonial.source, consent_line, "consent", blocker)
                if policy == "refuse":
                    self.add(
                        testimonial.source,
                        consent_line,
                        "consent",
                        f"cannot be published: {blocker}",
                    )
                else:
                    self.result.withheld.append(finding)
            # Publishable once consent allows, so its placeholders would reach
            # readers: the publish build refuses them.
            publishing = policy != "preview" and not blocker
            for placeholder in testimonial.placeholders:
                finding = Problem(
                    testimonial.source,
                    placeholder.line,
                    placeholder.field,
                    placeholder.message,
                )
                if publishing:
                    self.result.problems.append(finding)
                elif policy == "preview":
                    self.result.todos.append(finding)

    def check_placeholders(self, item: _Item) -> None:
        """Report scaffold text: a to-do in a draft, a problem in what readers see."""
        found = in_article(
            item.markdown.metadata,
            item.markdown.metadata.key_lines,
            item.markdown.body,
        )
        for placeholder in found:
            finding = Problem(
                item.source, placeholder.line, placeholder.field, placeholder.message
            )
            if item.meta.status == "draft":
                self.result.todos.append(finding)
            else:
                self.result.problems.append(
                    dataclasses.replace(
                        finding,
                        message=f"{finding.message} (or keep `Status: draft` until "
                        "it is ready)",
                    )
                )

    def check_taxonomy(self, item: _Item, taxonomy: Taxonomy) -> None:
        lines = item.markdown.metadata.key_lines
        checks = [
            ("category", getattr(item.meta, "category", None), taxonomy.categories),
            ("author", getattr(item.meta, "author", None), taxonomy.authors),
        ]
        checks += [
            ("tags", tag, taxonomy.tags) for tag in getattr(item.meta, "tags", ())
        ]
        for name, value, allowed in checks:
            if value is None or value in allowed:
                continue
            self.add(
                item.source, lines.get(name), name, _not_in_list(value, allowed, name)
            )

    def check_slugs(self, items: list[_Item]) -> None:
        taken: dict[str, str] = {}
        substitutions = self.settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
        for item in items:
            slug = item.meta.slug or slugify(item.meta.title, regex_subs=substitutions)
            line = item.markdown.metadata.key_lines.get(
                "slug" if item.meta.slug else "title"
            )
            name = "slug" if item.meta.slug else "title"
            url_pattern = self.settings[f"{item.kind.upper()}_URL"]
            self.result.items.append(
                ContentItem(
                    item.source,
                    item.kind,
                    item.meta.title,
                    url_pattern.format(slug=slug),
                    item.meta.status or "published",
                    tuple(item.meta.testimonials),
                    getattr(item.meta, "date", None),
                )
            )
            if slug in RESERVED_SLUGS:
                self.add(
                    item.source,
                    line,
                    name,
                    f"gives the address /{slug}/, which the site itself uses; "
                    "set another `Slug:`",
                )
            elif slug in taken:
                self.add(
                    item.source,
                    line,
                    name,
                    f"gives the address /{slug}/, already used by {taken[slug]}; "
                    "set another `Slug:`",
                )
            else:
                taken[slug] = item.source

    def check_testimonial_ids(
        self, item: _Item, testimonials: dict[str, Testimonial]
    ) -> None:
        lines = item.markdown.metadata.key_lines
        for testimonial_id in item.meta.testimonials:
            if testimonial_id not in testimonials:
                close = difflib.get_close_matches(
                    testimonial_id, sorted(testimonials), n=1
                )
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.add(
                    item.source,
                    lines.get("testimonials"),
                    "testimonials",
                    f"unknown testimonial id {testimonial_id!r}; {hint}known ids: "
                    f"{', '.join(sorted(testimonials)) or 'none'}",
                )
        if item.meta.testimonials:
            return
        for number, text in item.markdown.body:
            if MARKER.match(text):
                self.add(
                    item.source,
                    number,
                    "testimonials",
                    "the text has a [testimonials] marker but the metadata lists no "
                    "testimonials; add `Testimonials: id-1, id-2` or remove the marker",
                )

    def check_withheld_section(
        self, item: _Item, testimonials: dict[str, Testimonial]
    ) -> None:
        """Name an item whose every listed testimonial the published site leaves out."""
        listed = [i for i in item.meta.testimonials if i in testimonials]
        if item.meta.status == "draft" or not listed:
            return
        if not set(listed) <= self.withheld_ids:
            return
        lines = item.markdown.metadata.key_lines
        marker = next(
            (number for number, text in item.markdown.body if MARKER.match(text)),
            lines.get("testimonials"),
        )
        self.result.withheld.append(
            Problem(
                item.source,
                marker,
                "testimonials",
                f"every testimonial it lists ({', '.join(listed)}) is left out of "
                "the published site, so the words that introduce them introduce "
                "nothing there: reword them to stand alone, or record the consent",
            )
        )

    def check_body_links(self, item: _Item, sources: set[Path]) -> None:
        for number, text in item.markdown.body:
            for match in INTRASITE_LINK.finditer(text):
                target = self.resolve(item.path, match["path"])
                what, written = match["what"], match[0]
                if match["what"] == "filename":
                    if target not in sources:
                        self.add(
                            item.source,
                            number,
                            "link",
                            f"{written} does not lead to an article or page; check "
                            "the file name (paths are relative to this file, or to "
                            "content/ when they start with /)",
                        )
                elif not target.is_file():
                    self.add(
                        item.source,
                        number,
                        "link",
                        f"{written}: no such file in content/ ({what})",
                    )
            self.check_images(item, number, text)
        image = getattr(item.meta, "image", None)
        if image:
            path = image.split("}", 1)[1] if image.startswith("{") else image
            if not self.resolve(item.path, path).is_file():
                self.add(
                    item.source,
                    item.markdown.metadata.key_lines.get("image"),
                    "image",
                    f"{image}: no such file in content/",
                )

    def check_images(self, item: _Item, number: int, text: str) -> None:
        images = [(m["src"], m["alt"]) for m in MARKDOWN_IMAGE.finditer(text)]
        for tag in HTML_IMAGE.findall(text):
            attributes = {
                m["name"].lower(): m["value"] for m in HTML_ATTRIBUTE.finditer(tag)
            }
            images.append((attributes.get("src", ""), attributes.get("alt")))
        for src, alt in images:
            if not (alt or "").strip():
                self.add(
                    item.source,
                    number,
                    "image",
                    f"{src} has no alt text; describe what the image shows",
                )
            if src.startswith(("http://", "https://", "//", "data:")) or src.startswith(
                "{"
            ):
                continue  # intrasite paths are checked with the links
            if not self.resolve(item.path, src).is_file():
                self.add(
                    item.source, number, "image", f"{src}: no such file in content/"
                )

    def resolve(self, source_path: Path, link: str) -> Path:
        """Resolve a link as Pelican does: from content/ if it starts with /."""
        link = link.split("#", 1)[0].split("?", 1)[0]
        base = self.content if link.startswith("/") else source_path.parent
        return (base / PurePosixPath(link.lstrip("/"))).resolve()

    def warn(self, source: str, line: int | None, name: str, message: str) -> None:
        self.result.warnings.append(Problem(source, line, name, message))

    def check_citations(self, item: _Item, references: dict, cited: set[str]) -> None:
        for number, text in item.markdown.body:
            for match in CITATION.finditer(text):
                for key in CITATION_KEY.findall(match["keys"]):
                    cited.add(key)
                    if key in references:
                        continue
                    close = difflib.get_close_matches(key, sorted(references), n=1)
                    hint = f"did you mean {close[0]!r}? " if close else ""
                    self.add(
                        item.source,
                        number,
                        "citation",
                        f"unknown reference [@{key}]; {hint}declare it in "
                        "content/references.yaml",
                    )

    def check_review(self, item: _Item, reviewers: dict) -> None:
        meta, lines = item.meta, item.markdown.metadata.key_lines
        if meta.reviewed_by and meta.reviewed_by not in reviewers:
            known = ", ".join(sorted(reviewers)) or "none yet"
            self.add(
                item.source,
                lines.get("reviewed_by"),
                "reviewed_by",
                f"unknown reviewer {meta.reviewed_by!r}; reviewers are listed in "
                f"content/reviewers.yaml (known: {known})",
            )
        if meta.last_reviewed and meta.last_reviewed > self.today:
            self.add(
                item.source,
                lines.get("last_reviewed"),
                "last_reviewed",
                f"{meta.last_reviewed.isoformat()} is in the future; give the date "
                "the review took place",
            )
        elif meta.last_reviewed:
            due = next_review_due(meta.last_reviewed, self.settings)
            if due <= self.today:
                self.warn(
                    item.source,
                    lines.get("last_reviewed"),
                    "last_reviewed",
                    f"medical review overdue since {due.isoformat()}",
                )
        health = meta.category in self.settings["HEALTH_CATEGORIES"]
        if (
            self.settings["MEDICAL_REVIEW_REQUIRED"]
            and health
            and not meta.reviewed_by
            and meta.status != "draft"
        ):
            self.add(
                item.source,
                lines.get("category"),
                "reviewed_by",
                f"articles in {meta.category!r} need a medical review before "
                "publishing: add reviewed_by and last_reviewed",
            )
        for question in meta.editorial_questions:
            self.warn(
                item.source,
                lines.get("editorial_questions"),
                "editorial_questions",
                f"open question: {question}",
            )

    def check_claims(self, item: _Item) -> None:
        lines = item.markdown.metadata.key_lines
        summary = getattr(item.meta, "summary", "") or ""
        passages = [(lines.get("summary"), "summary", summary)]
        passages += [
            (number, "text", text)
            for number, text in item.markdown.body
            if text.strip() and not text.lstrip().startswith(("#", "[testimonials]"))
        ]
        for number, name, text in passages:
            for absolute, efficacy, cited in _claims_by_sentence(text):
                if absolute:
                    self.warn(
                        item.source,
                        number,
                        name,
                        f"absolute health wording {absolute!r}: qualify it, or "
                        "cite evidence that supports it",
                    )
                elif efficacy and not cited:
                    self.warn(
                        item.source,
                        number,
                        name,
                        f"efficacy wording {efficacy!r} without a citation: "
                        "add [@key] or rephrase",
                    )

    def run(self) -> CheckResult:
        taxonomy = self.load_taxonomy()
        testimonials = self.load_testimonials()
        self.result.testimonials = tuple(
            sorted(testimonials.values(), key=lambda t: t.id)
        )
        self.check_publication(testimonials)
        articles = self.load_items(
            self.settings["ARTICLE_PATHS"], ArticleMeta, "article"
        )
        pages = self.load_items(self.settings["PAGE_PATHS"], PageMeta, "page")
        # Files, not valid records: a file with a bad header was checked too.
        self.result.articles = len(self.markdown_files(self.settings["ARTICLE_PATHS"]))
        self.result.pages = len(self.markdown_files(self.settings["PAGE_PATHS"]))
        sources = {
            p.resolve()
            for p in self.markdown_files(
                [*self.settings["ARTICLE_PATHS"], *self.settings["PAGE_PATHS"]]
            )
        }
        references = self.load_references()
        reviewers = self.load_reviewers()
        cited: set[str] = set()
        self.check_slugs(articles + pages)
        for item in articles + pages:
            self.check_placeholders(item)
            if item.kind == "article":
                if taxonomy is not None:
                    self.check_taxonomy(item, taxonomy)
                self.check_review(item, reviewers)
                self.check_claims(item)
            self.check_testimonial_ids(item, testimonials)
            self.check_withheld_section(item, testimonials)
            self.check_body_links(item, sources)
            self.check_citations(item, references, cited)
        # File by file, articles before testimonials: the order writers work in.
        self.result.todos.sort(key=lambda p: (p.source, p.line or 0))
        references_file = self.content / self.settings["CONTENT_REFERENCES_FILE"]
        for key in sorted(set(references) - cited):
            self.warn(
                self.display(references_file),
                _first_line(references_file, re.compile(rf"^{re.escape(key)}\s*:")),
                key,
                "declared but cited by no article",
            )
        return self.result


def _may_claim(lowered: str) -> bool:
    """Cheap test (substrings, a word set) that a passage may hold claim wording."""
    if "%" in lowered or any(phrase in lowered for phrase in CLAIM_PHRASES):
        return True
    return not CLAIM_WORDS.isdisjoint(CLAIM_WORD.findall(lowered))


def _claims_by_sentence(text: str):
    """Yield (absolute wording, efficacy wording, cites?) for each sentence with either.

    Each pattern runs once over the whole passage (per-sentence searches cost
    most of `make check`); matches are then assigned to their sentences.
    """
    if not _may_claim(text.lower()):
        return
    absolute = list(ABSOLUTE_WORDING.finditer(text))
    efficacy = list(EFFICACY_WORDING.finditer(text))
    if not absolute and not efficacy:
        return
    bounds = [0, *(m.end() for m in SENTENCE_END.finditer(text)), len(text)]
    for start, end in itertools.pairwise(bounds):
        first_absolute = next(
            (m[0] for m in absolute if start <= m.start() < end), None
        )
        first_efficacy = next(
            (m[0] for m in efficacy if start <= m.start() < end), None
        )
        if first_absolute or first_efficacy:
            cited = CITATION.search(text, start, end) is not None
            yield first_absolute, first_efficacy, cited


def _not_in_list(value: str, allowed: tuple[str, ...], name: str) -> str:
    lowered = {a.lower(): a for a in allowed}
    close = (
        [lowered[value.lower()]]
        if value.lower() in lowered
        else difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)
    )
    hint = f"did you mean {close[0]!r}? " if close else ""
    kind = {"tags": "tag", "category": "category", "author": "author"}[name]
    return (
        f"{value!r} is not a known {kind}; {hint}use one listed in "
        "content/taxonomy.yaml, or add it there"
    )


def _first_line(path: Path, pattern: re.Pattern[str]) -> int | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), None)


def load_testimonials(
    settings: Mapping[str, Any],
) -> tuple[tuple[Testimonial, ...], list[Problem]]:
    """Load every testimonial file, sorted by id, with the problems of each file."""
    checker = _Checker(settings, dt.date.today())
    by_id = checker.load_testimonials()
    return tuple(sorted(by_id.values(), key=lambda t: t.id)), checker.result.problems


def load_references(settings: Mapping[str, Any]) -> dict:
    """Load the shared references (key -> Reference); problems are check_content's."""
    return _Checker(settings, dt.date.today()).load_references()


def load_reviewers(settings: Mapping[str, Any]) -> dict:
    """Load the medical reviewers (id -> Reviewer); problems are check_content's."""
    return _Checker(settings, dt.date.today()).load_reviewers()


def check_content(
    settings: Mapping[str, Any], today: dt.date | None = None
) -> CheckResult:
    """Check every content file named by Pelican `settings`; return all findings.

    `today` decides whether consent has expired; it defaults to the build's date.
    """
    return _Checker(settings, today or dt.date.today()).run()


def next_review_due(last_reviewed: dt.date, settings: Mapping[str, Any]) -> dt.date:
    """Return when a review done on `last_reviewed` falls due again."""
    months = {**DEFAULT_SETTINGS, **settings}["MEDICAL_REVIEW_INTERVAL_MONTHS"]
    return last_reviewed + relativedelta(months=months)
