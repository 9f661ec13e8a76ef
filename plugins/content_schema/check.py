"""Check all content against the schema and against each other, without building.

`check_content(settings)` is what `make check` runs, and `check_loaded` what
the build runs first, on the records loaders.py read (every file parsed once,
against the single-file rules of schema.py). This module holds the rules
across files; the advisory claim rules are editorial.py's, the reading level
readability.py's (measured by `check_content` only, not by the build):

- slugs are unique across articles and pages, and none takes a reserved path;
  files with the same slug are translations of each other, as Pelican links
  them, when they are the same kind and each is in another language (`Lang:`);
- a language whose LANGUAGE_SETTINGS still hold "TO FILL IN" publishes
  nothing: a to-do while its articles and pages are drafts, a problem after;
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
import re
from typing import Any

from dateutil.relativedelta import relativedelta
from sanitize import with_catalogues

from .containment import (
    link_problems,
    removed_findings,
    rendered,
    share_image_problems,
)
from .editorial import claim_warnings, has_risks_section, notes_about
from .headings import TOPIC as HEADINGS_TOPIC, heading_problems
from .languages import LANGUAGES
from .loaders import ContentFile, LoadedContent, first_line, guarded, load_content
from .markup import CITATION, CITATION_KEY, TESTIMONIALS_MARKER
from .migration import TOPIC as MIGRATION_TOPIC, debris_problems
from .placeholders import PLACEHOLDER, in_article, is_placeholder
from .problems import Problem, quoted
from .readability import Readability, measure
from .review import ReviewState
from .safety import (
    TOPIC as SAFETY_TOPIC,
    file_problems,
    header_lines_problems,
    markup_problems,
)
from .schema import Taxonomy, Testimonial
from .settings import (
    CONSENT_POLICIES,
    DEFAULTS,
    readable_grade,
    validate,
    with_defaults,
)
from .slugs import MAX_SLUG, same_names, slug_from_title

# First path segments the site's own pages use; an article or page slug there
# would overwrite them.
RESERVED_SLUGS = frozenset(
    {
        "author",
        "authors",
        "reviewers",
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
        # The build's and the deploys' own folders: the search index, pull
        # request previews on gh-pages, static files, the preview's own pages.
        "pagefind",
        "pagefind.new",
        "pagefind.old",
        "previews",
        "search",
        "extra",
        "_preview",
        # Files at the root that a page's folder would stand in place of.
        "_headers",
        "cname",
        ".nojekyll",
        ".well-known",
        "robots.txt",
        "sitemap.xml",
        "404.html",
        "index.html",
    }
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
    articles: int = 0  # article files checked, valid or not
    pages: int = 0
    testimonial_files: int = 0
    testimonials: tuple[Testimonial, ...] = ()
    items: list[ContentItem] = field(default_factory=list)  # valid front matter only
    # Each article's reading level, when the check measured it (check_content).
    readability: list[Readability] = field(default_factory=list)
    # The records checked, for the build's plugins (set by check_loaded).
    content: LoadedContent | None = None


class _Checker:
    """The rules across files, over the records of one load."""

    def __init__(
        self, content: LoadedContent, readability: bool = False, links: bool = True
    ) -> None:
        self.content = content
        self.readability = readability
        self.links = links
        # The settings the one reader reads with (check_links), made once.
        self.reader_settings: dict[str, Any] | None = None
        self.settings = content.settings
        self.today = content.today
        self.result = CheckResult(problems=list(content.problems))
        # Ids of testimonials the published site leaves out (check_publication).
        self.withheld_ids: set[str] = set()
        # Whether the to-do of a RISKS_NOTES text to write is listed yet.
        self.risks_todo_listed = False
        # Reference keys whose entries have problems, reported in their file.
        references = content.display(
            content.content / self.settings["CONTENT_REFERENCES_FILE"]
        )
        self.broken_references = {
            problem.field.split(".", 1)[0]
            for problem in content.problems
            if problem.source == references and problem.field
        }

    def add(
        self, source: str, line: int | None, name: str, message: str, topic: str = ""
    ) -> None:
        self.result.problems.append(Problem(source, line, name, message, topic))

    # --- rules across files ------------------------------------------------------

    def check_publication(self, testimonials: dict[str, Testimonial]) -> None:
        """Apply the consent policy, and refuse placeholders readers would see."""
        policy = self.settings["TESTIMONIALS_WITHOUT_CONSENT"]
        # A policy that is no choice was named by validate(): refuse meanwhile.
        if policy not in CONSENT_POLICIES:
            policy = "refuse"
        self.result.consent_policy = policy
        for testimonial in testimonials.values():
            blocker = testimonial.consent_blocker
            if blocker and policy != "refuse":
                self.withheld_ids.add(testimonial.id)
            unfilled = [p.field for p in testimonial.placeholders]
            if blocker:
                consent_line = first_line(
                    self.content.content.parent / testimonial.source,
                    re.compile(r"^consent\s*:"),
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

    def check_profiles(self) -> None:
        """List the authors' and reviewers' fields still TO FILL IN, as to-dos.

        Advisory: pages leave those values out (Author.for_readers,
        Reviewer.for_readers), so nothing false is shown meanwhile. Only a
        reviewer's name and credentials block, in check_review.
        """
        files = (
            (
                "CONTENT_TAXONOMY_FILE",
                getattr(self.content.taxonomy, "placeholders", ()),
            ),
            (
                "CONTENT_REVIEWERS_FILE",
                [p for r in self.content.reviewers.values() for p in r.placeholders],
            ),
        )
        for setting, placeholders in files:
            source = self.content.display(self.content.content / self.settings[setting])
            self.result.todos += [
                Problem(source, p.line, p.field, p.message) for p in placeholders
            ]

    def language(self, item: ContentFile) -> str:
        """Return the language an item is written in: its `Lang:`, else the site's."""
        return getattr(item.meta, "lang", None) or self.settings["DEFAULT_LANG"]

    def refuse_unless_draft(
        self, item: ContentFile, finding: Problem, until: str
    ) -> None:
        """List `finding` as a to-do in a draft; elsewhere it stops the build."""
        if item.meta.status == "draft":
            self.result.todos.append(finding)
            return
        self.result.problems.append(
            dataclasses.replace(
                finding,
                message=f"{finding.message} (or keep `Status: draft` until {until})",
            )
        )

    def check_placeholders(self, item: ContentFile) -> None:
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
            self.refuse_unless_draft(item, finding, "it is ready")

    def check_taxonomy(self, item: ContentFile, taxonomy: Taxonomy) -> None:
        lines = item.markdown.metadata.key_lines
        checks = [
            ("category", getattr(item.meta, "category", None), taxonomy.categories),
            ("author", getattr(item.meta, "author", None), taxonomy.author_names),
        ]
        checks += [
            ("tags", tag, taxonomy.tags) for tag in getattr(item.meta, "tags", ())
        ]
        for name, value, allowed in checks:
            # None: that list of the taxonomy has problems of its own.
            if value is None or allowed is None or value in allowed:
                continue
            self.add(
                item.source, lines.get(name), name, _not_in_list(value, allowed, name)
            )

    def _url(self, kind: str, slug: str, lang: str) -> str:
        # Pelican's own choice of pattern: *_LANG_URL outside DEFAULT_LANG.
        if lang == self.settings["DEFAULT_LANG"]:
            return self.settings[f"{kind.upper()}_URL"].format(slug=slug)
        pattern = self.settings.get(f"{kind.upper()}_LANG_URL", "{slug}-{lang}.html")
        return pattern.format(slug=slug, lang=lang)

    def _same_language(self, lang: str) -> str:
        # Outside the default language the writer is translating: say how.
        if lang == self.settings["DEFAULT_LANG"]:
            return "; set another `Slug:`"
        return (
            f", in the same language ({lang}); set another `Slug:`, or, if one "
            "is a translation of the other, its `Lang:`"
        )

    def check_slugs(self, items: list[ContentFile]) -> None:
        # (slug, language) -> file; slug -> (kind, file) of its first file.
        taken: dict[tuple[str, str], str] = {}
        kinds: dict[str, tuple[str, str]] = {}
        substitutions = self.settings.get("SLUG_REGEX_SUBSTITUTIONS", [])
        for item in items:
            if not (item.meta.slug or item.meta.title):
                continue  # front matter with problems that give no address yet
            slug = item.meta.slug or slug_from_title(item.meta.title, substitutions)
            lang = self.language(item)
            line = item.markdown.metadata.key_lines.get(
                "slug" if item.meta.slug else "title"
            )
            name = "slug" if item.meta.slug else "title"
            url = self._url(item.kind, slug, lang)
            if item.valid:
                self.result.items.append(
                    ContentItem(
                        item.source,
                        item.kind,
                        item.meta.title,
                        url,
                        item.meta.status or "published",
                        tuple(item.meta.testimonials),
                        getattr(item.meta, "date", None),
                    )
                )
            if len(slug) > MAX_SLUG:
                self.add(
                    item.source,
                    line,
                    name,
                    f"gives an address of {len(slug)} characters, more than the "
                    f"{MAX_SLUG} a web address and a file name can safely take; set "
                    "a shorter `Slug:`",
                    SAFETY_TOPIC,
                )
            elif slug.lower() in RESERVED_SLUGS:
                self.add(
                    item.source,
                    line,
                    name,
                    f"gives the address /{slug}/, which the site itself uses; "
                    "set another `Slug:`",
                )
            elif lang == self.settings["DEFAULT_LANG"] and slug.lower() in LANGUAGES:
                self.add(
                    item.source,
                    line,
                    name,
                    f"gives the address /{slug}/, the folder of the pages in "
                    f"{LANGUAGES[slug.lower()].english}; set another `Slug:`",
                )
            elif (slug, lang) in taken:
                self.add(
                    item.source,
                    line,
                    name,
                    f"gives the address /{url}, already used by "
                    f"{taken[slug, lang]}{self._same_language(lang)}",
                )
            elif slug in kinds and kinds[slug][0] != item.kind:
                other_kind, other = kinds[slug]
                self.add(
                    item.source,
                    line,
                    name,
                    f"gives the slug {quoted(slug)} of {other}, which is of "
                    f"another kind ({other_kind}s): a translation must be the "
                    "same kind; set another `Slug:`",
                )
            else:
                taken[slug, lang] = item.source
                kinds.setdefault(slug, (item.kind, item.source))
        self._check_originals(items, substitutions)

    def _check_originals(self, items: list[ContentFile], substitutions) -> None:
        # Pelican makes the DEFAULT_LANG file of a slug the original and the
        # rest its translations, among files of the same kind and status;
        # without one, every file is an original and Pelican warns (which
        # stops a --fatal build): say so first, in a writer's words.
        default = self.settings["DEFAULT_LANG"]
        groups: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        for item in items:
            if not (item.meta.slug or item.meta.title):
                continue
            slug = item.meta.slug or slug_from_title(item.meta.title, substitutions)
            lang = self.language(item)
            key = (item.kind, slug, item.meta.status or "published")
            groups.setdefault(key, []).append((lang, item.source))
        for (_kind, slug, _status), versions in groups.items():
            languages = {lang for lang, _source in versions}
            if len(languages) < 2 or default in languages:
                continue
            first, *others = sorted(source for _lang, source in versions)
            for source in others:
                self.add(
                    source,
                    None,
                    "lang",
                    f"is a translation of {first} (the same slug, "
                    f"{quoted(slug)}), but neither is in the site's language "
                    f"({default}); translations need the {default} original: add "
                    "it, or give one of them another `Slug:`",
                )

    def check_language_settings(self, items: list[ContentFile]) -> None:
        """Refuse the clinic's placeholder words in a language readers would see."""
        by_language = self.settings.get("LANGUAGE_SETTINGS", {})
        if not isinstance(by_language, Mapping):
            return  # the i18n plugin names a LANGUAGE_SETTINGS that cannot work
        for lang, values in sorted(by_language.items()):
            if not isinstance(values, Mapping):
                continue
            unfilled = sorted(
                name for name, value in values.items() if PLACEHOLDER in repr(value)
            )
            written = [item for item in items if self.language(item) == lang]
            if not unfilled or not written:
                continue
            published = [item for item in written if item.meta.status != "draft"]
            finding = Problem(
                "pelicanconf.py",
                None,
                "LANGUAGE_SETTINGS",
                f"{lang}: {', '.join(unfilled)} still say {PLACEHOLDER}; the "
                f"clinic's own words in this language go there",
            )
            if not published:
                self.result.todos.append(finding)
                continue
            names = ", ".join(item.source for item in published)
            self.result.problems.append(
                dataclasses.replace(
                    finding,
                    message=f"{finding.message} before {names} can be published "
                    "(or keep `Status: draft` until they are)",
                )
            )

    def check_testimonial_ids(
        self, item: ContentFile, testimonials: dict[str, Testimonial]
    ) -> None:
        lines = item.markdown.metadata.key_lines
        broken = self.content.broken_testimonials
        for testimonial_id in item.meta.testimonials:
            # A file with problems of its own: they are reported there.
            if testimonial_id not in testimonials and testimonial_id not in broken:
                close = difflib.get_close_matches(
                    testimonial_id, sorted(testimonials), n=1
                )
                hint = f"did you mean {quoted(close[0])}? " if close else ""
                self.add(
                    item.source,
                    lines.get("testimonials"),
                    "testimonials",
                    f"unknown testimonial id {quoted(testimonial_id)}; {hint}known "
                    f"ids: {', '.join(sorted(testimonials)) or 'none'}",
                )
        if item.meta.testimonials:
            return
        for number, text in item.markdown.body:
            if TESTIMONIALS_MARKER.match(text):
                self.add(
                    item.source,
                    number,
                    "testimonials",
                    "the text has a [testimonials] marker but the metadata lists no "
                    "testimonials; add `Testimonials: id-1, id-2` or remove the marker",
                )

    def check_withheld_section(
        self, item: ContentFile, testimonials: dict[str, Testimonial]
    ) -> None:
        """Name an item whose every listed testimonial the published site leaves out."""
        listed = [i for i in item.meta.testimonials if i in testimonials]
        if item.meta.status == "draft" or not listed:
            return
        if not set(listed) <= self.withheld_ids:
            return
        lines = item.markdown.metadata.key_lines
        marker = next(
            (
                number
                for number, text in item.markdown.body
                if TESTIMONIALS_MARKER.match(text)
            ),
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

    def check_share_image(self, item: ContentFile) -> None:
        """Refuse an `Image:` that leads out of content/ or names no file."""
        self.result.problems += share_image_problems(
            item, self.content.content, self.content.source_paths
        )

    def check_links(self, item: ContentFile) -> None:
        """Judge the links and images of the text as the build reads them.

        The text is read with the build's one reader, and its links found
        and resolved as Pelican does (containment.py): a second reading of
        the Markdown could disagree with the build.
        """
        if self.reader_settings is None:
            self.reader_settings = with_catalogues(self.settings)
        text = rendered(item, self.reader_settings)
        # What the sanitiser removed that the line rules (check_safety)
        # named already is not named twice.
        named = {(p.source, p.line) for p in self.result.problems if p.field == "html"}
        found = link_problems(
            text, item, self.content.content, self.content.source_paths
        )
        self.result.problems += [
            p for p in found if p.field != "html" or (p.source, p.line) not in named
        ]
        self.result.warnings += removed_findings(text, item)[1]

    def check_safety(self, item: ContentFile) -> None:
        """Refuse control characters in the header, and unsafe HTML anywhere."""
        markdown = item.markdown
        self.result.problems += header_lines_problems(item.source, markdown.header)
        summary_line = markdown.metadata.key_lines.get("summary")
        summary = markdown.metadata.get("summary")
        lines = ((summary_line, summary),) if summary else ()
        self.result.problems += markup_problems(item.source, lines + markdown.body)

    def check_migration_debris(self, item: ContentFile) -> None:
        for number, name, message in debris_problems(item.markdown.body):
            self.result.problems.append(
                Problem(item.source, number, name, message, MIGRATION_TOPIC)
            )

    def check_headings(self, item: ContentFile) -> None:
        for number, message in heading_problems(item.markdown.body):
            self.result.problems.append(
                Problem(item.source, number, "heading", message, HEADINGS_TOPIC)
            )

    def warn(self, source: str, line: int | None, name: str, message: str) -> None:
        self.result.warnings.append(Problem(source, line, name, message))

    def check_citations(
        self, item: ContentFile, references: dict, cited: set[str]
    ) -> None:
        if "CONTENT_REFERENCES_FILE" in self.content.unreadable:
            return  # its own problems are reported; no key can be told unknown
        for number, text in item.markdown.body:
            for match in CITATION.finditer(text):
                for key in CITATION_KEY.findall(match["keys"]):
                    cited.add(key)
                    if key in references or key in self.broken_references:
                        continue
                    close = difflib.get_close_matches(key, sorted(references), n=1)
                    hint = f"did you mean {quoted(close[0])}? " if close else ""
                    self.add(
                        item.source,
                        number,
                        "citation",
                        f"unknown reference [@{key}]; {hint}declare it in "
                        "content/references.yaml",
                    )

    def check_risks_notes(self, item: ContentFile) -> bool:
        """Return whether the article shows a standard risks text (RISKS_NOTES).

        A text the clinic's medical reviewer has not written yet is shown
        nowhere: it is listed once, as a to-do, when an article it would stand
        in for has no cited risks section of its own.
        """
        meta = item.meta
        shown = False
        notes = notes_about(
            self.settings,
            self.language(item),
            "RISKS_NOTES",
            meta.title,
            meta.category,
            meta.tags,
        )
        for note in notes:
            terms = note["terms"]
            if not is_placeholder(note["text"]):
                shown = True
            elif not self.risks_todo_listed and not has_risks_section(item.markdown):
                self.risks_todo_listed = True
                self.result.todos.append(
                    Problem(
                        "pelicanconf.py",
                        None,
                        "RISKS_NOTES",
                        f"still says {PLACEHOLDER}: the clinic's medical reviewer "
                        "writes the standard text on risks and side effects that "
                        f"articles about {', '.join(map(str, terms))} show "
                        f"(first: {item.source}); until then it is shown nowhere",
                    )
                )
        return shown

    def check_readability(self, item: ContentFile) -> None:
        """Measure an article's reading level; warn when it reads above the target."""
        target = self.settings["READABILITY_TARGET_GRADE"]
        if not readable_grade(target):  # validate() names it; judge by the default
            target = DEFAULTS["READABILITY_TARGET_GRADE"]
        level = measure(item.source, item.markdown, self.language(item), target)
        self.result.readability.append(level)
        if level.above_target:
            self.warn(
                item.source,
                level.line,
                "text",
                f"reads at {level.summary()} (READABILITY_TARGET_GRADE): write "
                "shorter sentences and "
                "everyday words; the hardest sentences are listed under "
                '"Readability"',
            )

    def check_review(self, item: ContentFile, reviewers: dict) -> None:
        meta, lines = item.meta, item.markdown.metadata.key_lines
        reviewers_read = "CONTENT_REVIEWERS_FILE" not in self.content.unreadable
        if meta.reviewed_by and meta.reviewed_by not in reviewers and reviewers_read:
            known = ", ".join(sorted(reviewers)) or "none yet"
            self.add(
                item.source,
                lines.get("reviewed_by"),
                "reviewed_by",
                f"unknown reviewer {quoted(meta.reviewed_by)}; reviewers are listed in "
                f"content/reviewers.yaml (known: {known})",
            )
        reviewer = reviewers.get(meta.reviewed_by)
        if reviewer is not None and not reviewer.named:
            # The byline's name and credentials are the review's whole claim: an
            # article shows no review by someone it cannot name.
            finding = Problem(
                item.source,
                lines.get("reviewed_by"),
                "reviewed_by",
                f"the reviewer {quoted(reviewer.id)} still has {PLACEHOLDER} in "
                "their name or credentials, so the page cannot show this review; "
                "fill them in, in content/reviewers.yaml",
            )
            self.refuse_unless_draft(item, finding, "they are")
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
        self.check_reviewed_text(item, reviewers)
        health = same_names(meta.category, self.settings["MENTAL_HEALTH_CATEGORIES"])
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
                f"articles in {quoted(meta.category)} need a medical review before "
                "publishing: add reviewed_by and last_reviewed",
            )
        for question in meta.editorial_questions:
            self.warn(
                item.source,
                lines.get("editorial_questions"),
                "editorial_questions",
                f"open question: {question}",
            )

    def check_reviewed_text(self, item: ContentFile, reviewers: dict) -> None:
        """Flag a review that no longer covers the text (review.py).

        A warning, or with MEDICAL_REVIEW_MUST_MATCH a problem that stops the
        build of an article that is not a draft.
        """
        meta, lines = item.meta, item.markdown.metadata.key_lines
        state = item.review_state
        if meta.reviewed_by not in reviewers or state not in (
            ReviewState.CHANGED,
            ReviewState.UNRECORDED,
        ):
            return
        command = f"`make review FILE={item.source} REVIEWER={meta.reviewed_by}`"
        if state is ReviewState.CHANGED:
            message = (
                "the title, summary or text changed after its medical review on "
                f"{meta.last_reviewed.isoformat()}, so the page says it was updated "
                "since; once the reviewer has read this text, run "
                f"{command}"
            )
        else:
            message = (
                "the review does not record which text the reviewer read, so a "
                "later edit cannot be told; once the reviewer has read this text, "
                f"run {command}"
            )
        line = lines.get("reviewed_text") or lines.get("last_reviewed")
        if self.settings["MEDICAL_REVIEW_MUST_MATCH"] and meta.status != "draft":
            self.add(
                item.source,
                line,
                "reviewed_text",
                f"{message} (MEDICAL_REVIEW_MUST_MATCH: it cannot be published "
                "until then)",
            )
        else:
            self.warn(item.source, line, "reviewed_text", message)

    def run(self) -> CheckResult:
        content = self.content
        testimonials = content.testimonials
        self.result.problems += validate(self.settings)
        self.result.testimonials = tuple(testimonials.values())
        self.check_publication(testimonials)
        self.check_profiles()
        self.result.articles = len(content.article_files)
        self.result.pages = len(content.page_files)
        self.result.testimonial_files = len(content.testimonial_files)
        cited: set[str] = set()
        # Front matter with problems is checked too, with what still reads:
        # every problem in one run, not a second round once these are fixed.
        items = content.articles + content.pages + content.salvaged
        self.result.problems += file_problems(content.content, self.settings)
        self.check_slugs(items)
        self.check_language_settings(items)
        for item in items:
            # A rule that fails on one file names it; the others are checked.
            guarded(
                item.source,
                self.result.problems,
                self.check_item,
                item,
                cited,
            )
        # File by file, articles before testimonials: the order writers work in.
        self.result.todos.sort(key=lambda p: (p.source, p.line or 0))
        references_file = content.content / self.settings["CONTENT_REFERENCES_FILE"]
        for key in sorted(set(content.references) - cited):
            self.warn(
                content.display(references_file),
                first_line(references_file, re.compile(rf"^{re.escape(key)}\s*:")),
                key,
                "declared but cited by no article",
            )
        return self.result

    def check_item(self, item: ContentFile, cited: set[str]) -> None:
        """Apply every rule across files to one article or page.

        `cited` collects the reference keys cited.
        """
        content, testimonials = self.content, self.content.testimonials
        self.check_placeholders(item)
        self.check_headings(item)
        self.check_migration_debris(item)
        self.check_safety(item)
        if item.kind == "article":
            if content.taxonomy is not None:
                self.check_taxonomy(item, content.taxonomy)
            self.check_review(item, content.reviewers)
            self.result.warnings += claim_warnings(
                item.source,
                item.meta,
                item.markdown,
                content.references,
                risks_shown=self.check_risks_notes(item),
            )
            if self.readability:
                self.check_readability(item)
        self.check_testimonial_ids(item, testimonials)
        self.check_withheld_section(item, testimonials)
        self.check_share_image(item)
        if self.links:
            self.check_links(item)
        self.check_citations(item, content.references, cited)


def _not_in_list(value: str, allowed: tuple[str, ...], name: str) -> str:
    lowered = {a.lower(): a for a in allowed}
    close = (
        [lowered[value.lower()]]
        if value.lower() in lowered
        else difflib.get_close_matches(value, list(allowed), n=1, cutoff=0.6)
    )
    hint = f"did you mean {quoted(close[0])}? " if close else ""
    kind = {"tags": "tag", "category": "category", "author": "author"}[name]
    return (
        f"{quoted(value)} is not a known {kind}; {hint}use one listed in "
        "content/taxonomy.yaml, or add it there"
    )


def check_loaded(
    content: LoadedContent, readability: bool = False, links: bool = True
) -> CheckResult:
    """Apply the rules across files to loaded records; return every finding.

    With `readability`, also measure each article's reading level (and warn
    above the target): what `make check` and the comment show, which the
    build does without. With `links`, read each text with the build's reader
    and judge its links (containment.py); the build passes False, since it
    judges them where Pelican resolves them, on the texts it reads anyway.
    """
    result = _Checker(content, readability, links).run()
    result.content = content
    return result


def check_content(
    settings: Mapping[str, Any], today: dt.date | None = None
) -> CheckResult:
    """Load and check every content file named by Pelican `settings`.

    `today` decides whether consent has expired and reviews are due; it
    defaults to the build's date. Reading levels are measured too.
    """
    return check_loaded(
        load_content(settings, today or dt.date.today()), readability=True
    )


def next_review_due(last_reviewed: dt.date, settings: Mapping[str, Any]) -> dt.date:
    """Return when a review done on `last_reviewed` falls due again."""
    months = with_defaults(settings)["MEDICAL_REVIEW_INTERVAL_MONTHS"]
    return last_reviewed + relativedelta(months=months)
