"""Every content type's fields, declared once, and the rules within one file.

The dataclasses are the schema (see parsing.py for how annotations become
rules). Writers' documentation of the same fields: docs/writing.md and
content/testimonials/README.md. Rules that need more than one file (unique
slugs, known ids, existing images, taxonomy) live in check.py.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
import datetime as dt
from pathlib import Path
import re
import typing
from typing import Any, Literal
from urllib.parse import quote

from .front_matter import read_markdown
from .languages import LANGUAGES, suggest as suggest_language
from .parsing import (
    INVALID,
    LineMapping,
    Scaffold,
    describe,
    field_types,
    is_required,
    load_yaml_file,
    parse_record,
    salvage,
    writable_fields,
)
from .placeholders import DATE_PLACEHOLDER, Placeholder, in_mapping, is_placeholder
from .problems import Problem, Reporter, quoted
from .review import FINGERPRINT
from .slugs import MAX_SLUG, name_slug

# Every id that names a file or folder of the site (reviewers, testimonials,
# slugs): a name, never a path; `../CNAME` or `index.html` cannot be one.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def valid_id(value: object) -> bool:
    """Whether `value` is an id: lowercase letters, digits and hyphens, not too long."""
    return (
        isinstance(value, str)
        and len(value) <= MAX_SLUG
        and ID_PATTERN.fullmatch(value) is not None
    )


def id_message(value: object, example: str) -> str:
    """Say why `value` is no id, and what one looks like."""
    return (
        f"{quoted(value)} is not a valid id: it becomes part of the site's "
        f"addresses, so use lowercase letters, digits and hyphens only, at most "
        f"{MAX_SLUG} characters, e.g. {quoted(example)}"
    )


ID_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
CONSENT_SCOPES = ("website", "social", "email")
SUMMARY_LENGTH = (50, 160)  # characters; the summary is the meta description


@dataclass(frozen=True)
class Consent:
    """The patient's recorded written authorization to publish the testimonial.

    The signed form itself is kept outside git (it is protected health
    information); the repository holds only a pointer to it.
    """

    status: Literal["obtained", "pending"] = describe(
        "'obtained' once the signed authorization is on file; 'pending' while it "
        "is being collected (shown in previews only; the published site leaves "
        "it out).",
        scaffold=Scaffold(
            value="pending",
            note="Keep `status: pending` until the signed authorization is on file: "
            "previews\nshow the testimonial with a badge, and the published site "
            "leaves it out.\nThen set status: obtained and fill in record, date "
            "and scope.",
        ),
    )
    record: str | None = describe(
        "Identifier of the signed authorization in the clinic's records; required "
        "when obtained. The form itself stays outside git.",
        default=None,
        scaffold=Scaffold(
            hint="id of the signed form in the clinic's records (outside git)"
        ),
    )
    date: dt.date | None = describe(
        "Date the authorization was signed; required when obtained.",
        default=None,
        scaffold=Scaffold(hint=f"the date it was signed, as {DATE_PLACEHOLDER}"),
    )
    scope: tuple[Literal["website", "social", "email"], ...] = describe(
        "Where the patient allowed the testimonial to appear; required when "
        "obtained, and must include 'website' to publish.",
        default=(),
        scaffold=Scaffold(hint="where it may appear: website, social, email"),
    )
    expires: dt.date | None = describe(
        "Date the authorization ends, if it has one.",
        default=None,
        scaffold=Scaffold(
            hint="only if the authorization has an end date", example=True
        ),
    )
    revoked: dt.date | None = describe(
        "Date the patient revoked it in writing, if they did: from that day the "
        "published site leaves the testimonial out.",
        default=None,
    )

    def publication_blocker(self, today: dt.date) -> str | None:
        """Say why this consent does not allow web publication today, or None."""
        if self.status != "obtained":
            return (
                "consent is still 'pending': record the signed authorization "
                "(status: obtained, record, date, scope) before publishing"
            )
        if "website" not in self.scope:
            return "the consent scope does not include 'website'"
        if self.revoked is not None and self.revoked <= today:
            return f"the patient revoked consent on {self.revoked.isoformat()}"
        if self.expires is not None and self.expires <= today:
            return f"consent expired on {self.expires.isoformat()}"
        return None


CollectionMethod = Literal[
    "survey", "interview", "written submission", "online review", "other"
]
COLLECTION_METHODS = typing.get_args(CollectionMethod)
# What `material_connection` says when there is none.
NO_CONNECTION = "none"


@dataclass(frozen=True)
class Collection:
    """How and when the clinic obtained the account, and any material connection.

    The disclosure beside the testimonial is composed from these fields and the
    clinic's general TESTIMONIALS_DISCLOSURE (plugins/testimonials), as the
    FTC's Endorsement Guides ask: a disclosure that fits each endorsement.
    """

    method: CollectionMethod | None = describe(
        "How the account was collected: survey, interview, written submission, "
        "online review or other (then say how in `description`).",
        default=None,
        scaffold=Scaffold(
            hint="survey, interview, written submission, online review or other"
        ),
    )
    description: str | None = describe(
        'Optional: how it was collected, in the words readers see after "This '
        'account comes from", e.g. an informal, anecdotal survey of patients.',
        default=None,
        scaffold=Scaffold(
            hint="e.g. an informal, anecdotal survey of patients", example=True
        ),
    )
    date: dt.date | None = describe(
        "When the patient gave the account, YYYY-MM-DD.",
        default=None,
        scaffold=Scaffold(hint=f"when the patient gave it, as {DATE_PLACEHOLDER}"),
    )
    material_connection: str | None = describe(
        "Anything that ties the patient to the clinic beyond being its patient: a "
        "payment, a discount, free treatment, a gift, working for the clinic or "
        "being family of someone who does. Write `none` when there is none.",
        default=None,
        scaffold=Scaffold(
            hint="none, or what it is, e.g. a discount on a later session"
        ),
    )


@dataclass(frozen=True)
class Testimonial:
    """A patient's account, shown on articles that list its id and on /testimonials/.

    Templates can rely on every field being present and typed as declared;
    `source` and `consent_blocker` are set by the loader, not by writers.
    """

    id: str = describe(
        "Unique id that articles use to list this testimonial "
        "(lowercase letters, digits and hyphens).",
        scaffold=Scaffold(),  # the id `make new-testimonial` was given
    )
    name: str = describe(
        "Display name: a first name, initials or a pseudonym, as the consent allows.",
        scaffold=Scaffold(
            hint="first name, initials or pseudonym, as the consent allows"
        ),
    )
    place: str = describe(
        "Where the patient lives, as they agreed to show it.",
        scaffold=Scaffold(hint="e.g. Pasadena, CA"),
    )
    condition: str = describe(
        "The condition the patient was treated for.",
        scaffold=Scaffold(hint="e.g. PTSD"),
    )
    quote: str = describe(
        "The patient's words, exactly as given, without quote marks.",
        scaffold=Scaffold(
            hint="the patient's words, exactly as given, without quote marks.",
            block=True,
        ),
    )
    collection: Collection = describe(
        "How and when it was collected, and any material connection: the "
        "`collection.` fields below. The disclosure beside it says them.",
        fix="every testimonial needs a `collection:` block with method, date and "
        "material_connection (see content/testimonials/README.md)",
        scaffold=Scaffold(),
    )
    consent: Consent = describe(
        "The recorded consent: the `consent.` fields below.",
        fix="every testimonial needs a `consent:` block with status, record, date "
        "and scope (see content/testimonials/README.md)",
        scaffold=Scaffold(),
    )
    source: str = describe(
        "Path of the file, as writers see it.", default="", set_by_loader=True
    )
    consent_blocker: str | None = describe(
        "Why the testimonial may not be published yet, or None.",
        default=None,
        set_by_loader=True,
    )
    placeholders: tuple[Placeholder, ...] = describe(
        "The scaffold's values still in the file (TO FILL IN, YYYY-MM-DD).",
        default=(),
        set_by_loader=True,
    )


def _filled(value: str | None) -> str | None:
    """Return `value`, or None while it still holds a placeholder (TO FILL IN)."""
    return None if is_placeholder(value) else value


@dataclass(frozen=True)
class TeamMember:
    """One person on a team that writes as one author (an author's `members`)."""

    name: str = describe("Full name, as the person agreed to show it.")
    role: str = describe("What they do on the team, e.g. medical writer.")
    credentials: str | None = describe(
        "Degrees and licences, e.g. MD, LCSW; leave out when none.", default=None
    )


@dataclass(frozen=True)
class Author:
    """Someone articles name as `Author:`: a person, or a team (with `members`).

    An entry of content/taxonomy.yaml's `authors:` list, given as the name
    alone or as these fields. Fields that still say TO FILL IN are to-dos of
    `make check` and are never shown: `for_readers()` leaves them out.
    """

    name: str = describe("The name articles give as `Author:`.")
    role: str | None = describe(
        "What they do, e.g. medical writer; for a team, what the team does.",
        default=None,
    )
    credentials: str | None = describe(
        "Degrees and licences, e.g. MD, LCSW; leave out when none.", default=None
    )
    bio: str | None = describe(
        "One or two sentences about them: their experience with the topics they "
        "write about.",
        default=None,
    )
    members: tuple[TeamMember, ...] = describe(
        "For a team: who is on it, each with `name`, `role` and, optionally, "
        "`credentials`. An author with members is a team.",
        default=(),
    )
    # Kept by for_readers(), which may leave out every member (all TO FILL IN).
    team: bool = describe(
        "Whether it is a team, as the file lists members.",
        default=False,
        set_by_loader=True,
    )

    @property
    def is_team(self) -> bool:
        """Whether this author is a team: it lists its members (filled in or not)."""
        return self.team or bool(self.members)

    def for_readers(self) -> Author:
        """Return this author as pages show it: every value still TO FILL IN left out.

        A member whose name or role is still TO FILL IN is left out entirely.
        """
        members = tuple(
            dataclasses.replace(member, credentials=_filled(member.credentials))
            for member in self.members
            if _filled(member.name) and _filled(member.role)
        )
        return dataclasses.replace(
            self,
            role=_filled(self.role),
            credentials=_filled(self.credentials),
            bio=_filled(self.bio),
            members=members,
            team=self.is_team,
        )


@dataclass(frozen=True)
class Taxonomy:
    """The categories, tags and authors articles may use (content/taxonomy.yaml)."""

    categories: tuple[str, ...] = describe("Every category an article may be filed in.")
    authors: tuple[str | Author, ...] = describe(
        "Every author an article may name: the name alone (`- Jane Doe`), or the "
        "author's fields (`- name: Jane Doe`, then `role`, `credentials`, `bio` "
        "and, for a team, `members`), which the author's page shows."
    )
    tags: tuple[str, ...] = describe("Every tag an article may carry.", default=())
    # Values of the authors' fields still TO FILL IN: to-dos of `make check`.
    placeholders: tuple[Placeholder, ...] = describe(
        "Fields of authors still TO FILL IN.", default=(), set_by_loader=True
    )

    @property
    def author_names(self) -> tuple[str, ...] | None:
        """The names articles may give as `Author:` (None: the list did not read)."""
        if self.authors is None:
            return None
        return tuple(_author(entry).name for entry in self.authors)

    def author(self, name: str) -> Author | None:
        """Return the author named `name`, as a record, or None if not listed."""
        entries = (_author(entry) for entry in self.authors or ())
        return next((entry for entry in entries if entry.name == name), None)


def _author(entry: str | Author) -> Author:
    """Return an entry of `authors:` as a record (a name alone: no other fields)."""
    return entry if isinstance(entry, Author) else Author(name=entry)


@dataclass(frozen=True, kw_only=True)
class ItemMeta:
    """The front matter fields that articles and pages share."""

    title: str = describe(
        "The headline, in plain words.",
        scaffold=Scaffold(),  # as given
    )
    slug: str | None = describe(
        "The address: /slug/. Made from the title when absent (whole words, at "
        "most 80 characters).",
        default=None,
        scaffold=Scaffold(),  # made from the title
    )
    lang: str | None = describe(
        "The language it is written in, as a code: en, es, ar… (the site's "
        "DEFAULT_LANG when absent). A file with the same slug in another "
        "language is its translation.",
        default=None,
    )
    status: Literal["draft", "published", "hidden"] = describe(
        "'draft' keeps it out of the published site; 'hidden' publishes it unlisted.",
        default="published",
        # A draft until the writer removes this line: never published by accident.
        scaffold=Scaffold(value="draft"),
    )
    modified: dt.datetime | None = describe(
        "Date of the last significant change, YYYY-MM-DD.", default=None
    )
    testimonials: tuple[str, ...] = describe(
        "Comma-separated testimonial ids, shown at the [testimonials] marker.",
        default=(),
        choices="testimonials.id",
    )
    image: str | None = describe(
        "An image for sharing, e.g. {static}/images/photo.jpg.", default=None
    )
    image_alt: str | None = describe(
        "What the image shows (required with image).", default=None
    )


@dataclass(frozen=True, kw_only=True)
class ArticleMeta(ItemMeta):
    """The front matter of an article (content/articles/*.md)."""

    date: dt.datetime = describe(
        "Publication date, YYYY-MM-DD (optionally HH:MM).",
        scaffold=Scaffold(),  # today
    )
    summary: str = describe(
        "One or two sentences, 50 to 160 characters: shown under the title, in "
        "lists and as the search-engine description.",
        scaffold=Scaffold(),
    )
    author: str = describe(
        "Who wrote it: a name from content/taxonomy.yaml.",
        scaffold=Scaffold(),
        choices="taxonomy.authors",
    )
    category: str = describe(
        "One category from content/taxonomy.yaml.",
        scaffold=Scaffold(),
        choices="taxonomy.categories",
    )
    tags: tuple[str, ...] = describe(
        "Comma-separated tags from content/taxonomy.yaml.",
        default=(),
        choices="taxonomy.tags",
    )
    reviewed_by: str | None = describe(
        "Id of the medical reviewer, from content/reviewers.yaml.",
        default=None,
        choices="reviewers.id",
    )
    last_reviewed: dt.date | None = describe(
        "Date of that medical review, YYYY-MM-DD (required with reviewed_by).",
        default=None,
    )
    reviewed_text: str | None = describe(
        "Written by `make review`: a fingerprint of the text the reviewer read. "
        "When the title, summary or text changes afterwards, the page says it "
        "was updated since its review. Never edit it by hand.",
        default=None,
        written_by="make review",
    )
    editorial_questions: tuple[str, ...] = describe(
        "Open questions for the reviewer, one per line (continuation lines "
        "indented four spaces); shown by `make check`, never on the site.",
        default=(),
    )


@dataclass(frozen=True, kw_only=True)
class PageMeta(ItemMeta):
    """The front matter of a page (content/pages/*.md)."""

    summary: str | None = describe(
        "50 to 160 characters: the search-engine description.", default=None
    )


@dataclass(frozen=True)
class Reference:
    """A source that articles cite as `[@key]` (content/references.yaml)."""

    authors: tuple[str, ...] = describe(
        "Authors as cited, e.g. [Feder A, Costi S, et al.]."
    )
    title: str = describe("Title of the work.")
    journal: str = describe("Journal, book or publisher.")
    year: int = describe("Year of publication.")
    design: str = describe(
        "What kind of evidence it is, in a few words, e.g. Randomized controlled "
        "pilot; Systematic review and meta-analysis; Case report; FDA safety "
        "communication. Readers see it beside the reference, and only a "
        "systematic review or meta-analysis supports the word 'proven'.",
        fix="add `design: …`, the study design as the paper's abstract states "
        "it, e.g. design: Randomized controlled trial",
    )
    size: str | None = describe(
        "How many took part, for a study, e.g. 30 participants; 12 trials, "
        "1,100 patients.",
        default=None,
    )
    finding: str | None = describe(
        "Optional: the main finding, in one line, as the paper reports it.",
        default=None,
    )
    volume: str | None = describe("Volume.", default=None)
    issue: str | None = describe("Issue.", default=None)
    pages: str | None = describe("Pages, e.g. 193-202.", default=None)
    doi: str | None = describe(
        "DOI, e.g. 10.1176/appi.ajp.2020.20050596.", default=None
    )
    pmid: int | None = describe("PubMed id, e.g. 24740528.", default=None)
    url: str | None = describe(
        "Web address, when there is no DOI or PMID.", default=None
    )
    verified: dt.date | None = describe(
        "Date these details were last checked against the source.", default=None
    )
    key: str = describe("The key articles cite.", default="", set_by_loader=True)

    @property
    def doi_url(self) -> str | None:
        """The DOI's address at doi.org, or None without a DOI.

        A DOI may hold `#`, `?` or `%`, which would end or change the address.
        """
        return (
            f"https://doi.org/{quote(self.doi, safe='/:;()._-')}" if self.doi else None
        )

    @property
    def pubmed_url(self) -> str | None:
        """The PubMed page of the PMID, or None without one."""
        return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/" if self.pmid else None

    @property
    def evidence(self) -> str:
        """The design and size, as readers see them: "Randomized trial, 41 patients"."""
        return ", ".join(part for part in (self.design, self.size) if part)


@dataclass(frozen=True)
class Reviewer:
    """A clinician who medically reviews articles (content/reviewers.yaml)."""

    id: str = describe("Id that articles give as reviewed_by.")
    name: str = describe("Full name, as the reviewer agreed to show it.")
    credentials: str = describe(
        "Degrees and licences, e.g. MD, board-certified psychiatrist."
    )
    bio: str = describe("One or two sentences about the reviewer.")
    # Values still TO FILL IN: to-dos of `make check`; a reviewer whose name or
    # credentials still say it reviews nothing (see `named`).
    placeholders: tuple[Placeholder, ...] = describe(
        "Fields still TO FILL IN.", default=(), set_by_loader=True
    )

    @property
    def named(self) -> bool:
        """Whether the name and credentials are filled in: only then is it a review."""
        return not (is_placeholder(self.name) or is_placeholder(self.credentials))

    def for_readers(self) -> Reviewer:
        """Return the reviewer as pages show them: a bio still TO FILL IN left out."""
        return dataclasses.replace(self, bio=_filled(self.bio) or "")


@dataclass(frozen=True)
class ReviewerList:
    """The file content/reviewers.yaml: every medical reviewer."""

    reviewers: tuple[Reviewer, ...] = describe(
        "The reviewers; empty until the clinic names one."
    )


# The longest design, size and finding a reference list shows on one line.
EVIDENCE_MAX_LENGTH = {"design": 100, "size": 80, "finding": 200}
DOI_PATTERN = re.compile(r"10\.\d{4,9}/\S+")
URL_PATTERN = re.compile(r"https?://\S+")


def _lines(mapping: Any) -> dict:
    return mapping.key_lines if isinstance(mapping, LineMapping) else {}


def _not_a_mapping(
    report: Reporter, mapping: Any, what: str = "", start: str = ""
) -> bool:
    """Report a file that holds no `field: value` lines; True if so.

    `what` names what the file should hold, e.g. "a testimonial", and
    `start` how to begin one, for the message.
    """
    if isinstance(mapping, dict) and (mapping or not what):
        return False
    needs = f"{what} needs" if what else "the file needs"
    if mapping is None or mapping == {}:
        found = "is empty (or holds only comments)"
        topic = "an-empty-file"
    elif isinstance(mapping, list):
        found = "holds a list (lines that start with “- ”)"
        topic = "the-wrong-kind-of-file"
    else:
        found = "holds a single value"
        topic = "the-wrong-kind-of-file"
    fix = f": start one with {start}" if start else ""
    report.add(None, "", f"{found}; {needs} `field: value` lines{fix}", topic=topic)
    return True


def _wrong_kind(
    report: Reporter, mapping: dict, cls: type, what: str, spell_key=str
) -> bool:
    """Report a file none of whose fields belong to `cls`; True if so.

    Such a file was meant for another place (a taxonomy saved as a
    testimonial, a testimonial saved as an article): one message says so,
    instead of one per unknown and missing field.
    """
    declared = {f.name for f in writable_fields(cls)}
    if not mapping or any(str(key).lower() in declared for key in mapping):
        return False
    found = ", ".join(str(key) for key in list(mapping)[:4])
    required = ", ".join(
        spell_key(f.name) for f in writable_fields(cls) if is_required(f)
    )
    report.add(
        _first_key_line(mapping),
        "",
        f"does not look like {what}: none of its fields ({found}) belongs to "
        f"{what}, which needs {required}; was it meant for another file or "
        "folder?",
        topic="the-wrong-kind-of-file",
    )
    return True


def _first_key_line(mapping: Any) -> int | None:
    lines = _lines(mapping)
    return min(lines.values()) if lines else None


# --- Testimonials -------------------------------------------------------------


def _check_consent(
    consent: Consent,
    mapping: Any,
    consent_line: int | None,
    report: Reporter,
    placeholders: tuple[Placeholder, ...],
) -> None:
    """Apply the rules that tie consent fields together."""
    unfilled = {p.field: p for p in placeholders}
    if consent.status == "obtained":
        for needed in ("record", "date"):
            if getattr(consent, needed) is not None:
                continue
            name = f"consent.{needed}"
            if name in unfilled:
                report.add(
                    unfilled[name].line,
                    name,
                    f"{unfilled[name].message}: status 'obtained' needs the signed "
                    "form's identifier and the date it was signed",
                )
                continue
            report.add(
                consent_line,
                name,
                "required when status is 'obtained': a consent record "
                "needs its form's identifier and the date it was signed",
            )
        if not consent.scope and "consent.scope" in unfilled:
            report.add(
                unfilled["consent.scope"].line,
                "consent.scope",
                f"{unfilled['consent.scope'].message}: status 'obtained' needs "
                "the places the patient allowed, e.g. [website]",
            )
        elif not consent.scope:
            report.add(
                consent_line,
                "consent.scope",
                "required when status is 'obtained': list where the patient "
                f"allowed the testimonial to appear ({', '.join(CONSENT_SCOPES)})",
            )
    for later in ("expires", "revoked"):
        later_date = getattr(consent, later)
        if consent.date and later_date and later_date < consent.date:
            report.add(
                _lines(mapping).get(later, consent_line),
                f"consent.{later}",
                f"{later_date.isoformat()} is before the signing date "
                f"{consent.date.isoformat()}",
            )


def parse_testimonial(
    mapping: Any, source: str
) -> tuple[Testimonial | None, list[Problem]]:
    """Validate one parsed YAML document; return the record (or None) and problems."""
    report = Reporter(source)
    what = "a testimonial"
    start = "`make new-testimonial ID=…`"
    if _not_a_mapping(report, mapping, what, start) or _wrong_kind(
        report, mapping, Testimonial, what
    ):
        return None, report.problems
    placeholders = tuple(in_mapping(mapping))
    shaped = _without_optional_placeholders(mapping)
    record = parse_record(Testimonial, shaped, report)
    if record is INVALID:
        # The rules that tie fields together still run on what reads, so a
        # consent slip is not a second round once the first problems are fixed.
        record = salvage(Testimonial, shaped)
    top_lines = _lines(mapping)
    if isinstance(record.id, str) and not valid_id(record.id):
        report.add(
            top_lines.get("id"), "id", id_message(record.id, "john-hancock-park")
        )
    if isinstance(record.collection, Collection):
        _check_collection(
            record.collection, top_lines.get("collection"), report, placeholders
        )
    if record.consent is not None:
        _check_consent(
            record.consent,
            mapping.get("consent"),
            top_lines.get("consent"),
            report,
            placeholders,
        )
    if report.problems:
        return None, report.problems
    return (
        dataclasses.replace(record, source=source, placeholders=placeholders),
        report.problems,
    )


# The blocks whose optional fields a scaffold fills with placeholders, and the
# fields of each that are always read as written.
PLACEHOLDER_BLOCKS = {"consent": ("status",), "collection": ()}


def _without_optional_placeholders(mapping: LineMapping) -> LineMapping:
    """Drop block fields that still hold a placeholder: they are not filled in.

    The scaffold writes `record: TO FILL IN` and `date: TO FILL IN` so writers
    see what to fill in; until they do, the testimonial reads as pending
    consent without those fields (its placeholders are reported separately),
    rather than as a date that fails to parse. `collection:` is read the same
    way: a method or date still to fill in is absent, not an error.
    """
    shaped = LineMapping(mapping.line)
    shaped.key_lines = dict(mapping.key_lines)
    shaped.update(mapping)
    for block, always in PLACEHOLDER_BLOCKS.items():
        fields = mapping.get(block)
        if not isinstance(fields, dict):
            continue
        kept = LineMapping(getattr(fields, "line", None))
        kept.key_lines = dict(getattr(fields, "key_lines", {}))
        kept.update(
            (key, value)
            for key, value in fields.items()
            if key in always or not in_mapping({key: value})
        )
        shaped[block] = kept
    return shaped


# What the disclosure cannot do without, and how to give it. The schema reads
# them as optional so that a placeholder is a to-do, not a parse error.
COLLECTION_NEEDS = {
    "method": "say how the account was collected, one of "
    + ", ".join(COLLECTION_METHODS),
    "date": "give the date the patient gave the account, as YYYY-MM-DD "
    "(TO FILL IN while the clinic looks it up)",
    "material_connection": "write what ties the patient to the clinic beyond "
    "being its patient (a payment, a discount, a job there…), or `none`",
}


def _check_collection(
    collection: Collection,
    block_line: int | None,
    report: Reporter,
    placeholders: tuple[Placeholder, ...],
) -> None:
    """Require what the disclosure needs: how, when, and any connection."""
    unfilled = {p.field for p in placeholders}
    for name, message in COLLECTION_NEEDS.items():
        if getattr(collection, name) is None and f"collection.{name}" not in unfilled:
            report.add(block_line, f"collection.{name}", f"missing: {message}")
    if collection.method == "other" and not collection.description:
        report.add(
            block_line,
            "collection.description",
            "required when method is 'other': say how it was collected, e.g. a "
            "letter the patient sent",
        )


def load_testimonial_file(
    path: Path, source: str
) -> tuple[Testimonial | None, list[Problem]]:
    """Read and validate one YAML file; `source` is the path shown in messages."""
    report = Reporter(source)
    mapping = load_yaml_file(path, report)
    if mapping is INVALID:
        return None, report.problems
    return parse_testimonial(mapping, source)


# --- Taxonomy -------------------------------------------------------------------


def load_taxonomy_file(
    path: Path, source: str
) -> tuple[Taxonomy | None, list[Problem]]:
    """Read the list of allowed categories, tags and authors.

    None when the file is missing or does not read at all. With problems in
    some fields, the lists that read are returned, the others None.
    """
    report = Reporter(source)
    if not path.is_file():
        report.add(
            None,
            "",
            "is missing; create it with `categories:`, `tags:` and `authors:` lists "
            "(see docs/writing.md)",
        )
        return None, report.problems
    mapping = load_yaml_file(path, report)
    if mapping is INVALID or _not_a_mapping(report, mapping):
        return None, report.problems
    taxonomy = parse_record(Taxonomy, mapping, report)
    if taxonomy is INVALID:
        # What still reads is checked against, so articles' tags and categories
        # are judged in the same run; a list that does not read is None.
        return salvage(Taxonomy, mapping), report.problems
    for field_name, name in (
        ("categories", "categories"),
        ("authors", "author_names"),
        ("tags", "tags"),
    ):
        _check_names(getattr(taxonomy, name), field_name, mapping, report)
    return _with_author_records(taxonomy, mapping), report.problems


def _check_names(
    values: tuple[str, ...], field_name: str, mapping: LineMapping, report: Reporter
) -> None:
    """Refuse a name listed twice, in two spellings of one address, or with none.

    Each name becomes a page (/category/<slug>/), so two names with one slug
    would share a page, and the crisis and review rules could read them apart.
    """
    line = _lines(mapping).get(field_name)
    first_by_slug: dict[str, str] = {}
    for value in values:
        slug = name_slug(value)
        if slug in first_by_slug:
            earlier = first_by_slug[slug]
            report.add(
                line,
                field_name,
                f"{quoted(value)} is listed twice"
                if earlier == value
                else f"{quoted(value)} and {quoted(earlier)} differ only in case or "
                f"punctuation, so they would share one page (/{slug}/); keep one",
            )
            continue
        first_by_slug[slug] = value
        if not slug or len(slug) > MAX_SLUG:
            report.add(
                line,
                field_name,
                f"{quoted(value)} gives no usable address ({len(slug)} characters "
                f"once made a slug); use a name with letters or digits, at most "
                f"{MAX_SLUG} characters once written in lowercase with hyphens",
            )


def _with_author_records(taxonomy: Taxonomy, mapping: LineMapping) -> Taxonomy:
    """Return `taxonomy` with every author as a record, and its to-dos found."""
    entries = mapping.get("authors") or []
    found = [
        placeholder
        for entry in entries
        for placeholder in in_mapping(entry, "authors", scaffolded=False)
        # The name is what articles give as `Author:`: their own check sees it.
        if placeholder.field != "authors.name"
    ]
    return dataclasses.replace(
        taxonomy,
        authors=tuple(_author(entry) for entry in taxonomy.authors),
        placeholders=tuple(found),
    )


def load_references_file(path: Path, source: str) -> tuple[dict, list[Problem]]:
    """Read the shared references: key -> Reference (empty if the file is absent)."""
    report = Reporter(source)
    if not path.is_file():
        return {}, []
    mapping = load_yaml_file(path, report)
    if mapping is INVALID or mapping is None:
        return {}, report.problems
    if _not_a_mapping(report, mapping):
        return {}, report.problems
    references = {}
    for key, entry in mapping.items():
        line = _lines(mapping).get(key)
        if not isinstance(key, str) or not ID_KEY.fullmatch(key):
            report.add(
                line,
                str(key),
                "is not a valid key; use letters and digits, e.g. feder2021ajp",
            )
            continue
        record = parse_record(Reference, entry, report, prefix=key, line=line)
        if record is INVALID:
            continue
        entry_lines = _lines(entry)
        if not (record.doi or record.pmid or record.url):
            report.add(
                line, key, "needs a doi, a pmid or a url, so readers can find it"
            )
        if record.doi and not DOI_PATTERN.fullmatch(record.doi):
            report.add(
                entry_lines.get("doi", line),
                f"{key}.doi",
                f"{quoted(record.doi)} is not a DOI; write it as 10.NNNN/suffix, "
                "without https://doi.org/",
            )
        if record.pmid is not None and not 0 < record.pmid < 10**9:
            report.add(
                entry_lines.get("pmid", line),
                f"{key}.pmid",
                f"{record.pmid} is not a PubMed id",
            )
        if record.url and not URL_PATTERN.fullmatch(record.url):
            report.add(
                entry_lines.get("url", line),
                f"{key}.url",
                f"{quoted(record.url)} is not a web address (http:// or https://)",
            )
        for name in ("design", "size", "finding"):
            text = getattr(record, name) or ""
            if "\n" in text.strip() or len(text) > EVIDENCE_MAX_LENGTH[name]:
                report.add(
                    entry_lines.get(name, line),
                    f"{key}.{name}",
                    f"is {len(text)} characters over {text.count(chr(10)) + 1} "
                    f"line(s); readers see it beside the reference, so keep it to "
                    f"one line of at most {EVIDENCE_MAX_LENGTH[name]} characters",
                )
        references[key] = dataclasses.replace(record, key=key)
    return references, report.problems


def load_reviewers_file(path: Path, source: str) -> tuple[dict, list[Problem]]:
    """Read the medical reviewers: id -> Reviewer (empty if the file is absent)."""
    report = Reporter(source)
    if not path.is_file():
        return {}, []
    mapping = load_yaml_file(path, report)
    if mapping is INVALID or _not_a_mapping(report, mapping):
        return {}, report.problems
    listing = parse_record(ReviewerList, mapping, report)
    if listing is INVALID:
        return {}, report.problems
    reviewers = {}
    entries = mapping.get("reviewers") or []
    for entry, record in zip(entries, listing.reviewers, strict=True):
        reviewer = dataclasses.replace(
            record, placeholders=tuple(in_mapping(entry, "reviewers", scaffolded=False))
        )
        if reviewer.id in reviewers:
            report.add(
                _lines(mapping).get("reviewers"),
                "reviewers",
                f"id {quoted(reviewer.id)} is listed twice",
            )
        elif not valid_id(reviewer.id):
            # The id is the reviewer page's folder: /reviewers/<id>/.
            report.add(
                _lines(entry).get("id", _lines(mapping).get("reviewers")),
                "reviewers.id",
                id_message(reviewer.id, "jane-doe-md"),
            )
        reviewers[reviewer.id] = reviewer
    return reviewers, report.problems


# --- Articles and pages ---------------------------------------------------------


# List fields whose items may contain commas: one item per line.
LINE_LIST_FIELDS = frozenset({"editorial_questions"})


def _front_matter_mapping(metadata: LineMapping, cls: type) -> LineMapping:
    """Turn header text into the shapes the schema expects (comma lists to lists)."""
    shaped = LineMapping(metadata.line)
    shaped.key_lines = dict(metadata.key_lines)
    list_fields = {
        name
        for name, hint in field_types(cls).items()
        if typing.get_origin(hint) is tuple
    }
    for key, value in metadata.items():
        if key in LINE_LIST_FIELDS:
            shaped[key] = [item.strip() for item in value.split("\n") if item.strip()]
        elif key in list_fields:
            shaped[key] = [
                item.strip() for item in re.split(r"[,\n]", value) if item.strip()
            ]
        else:
            # Pelican turns a value on several lines into a list; we keep text.
            shaped[key] = " ".join(value.split("\n"))
    return shaped


def _plain_length(text: str) -> int:
    # Markdown emphasis and links are not characters a reader sees.
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return len(re.sub(r"[*_`]", "", plain))


def parse_front_matter(
    path: Path, source: str, cls: type
) -> tuple[Any, Any, list[Problem]]:
    """Validate a Markdown file's metadata against `cls` (ArticleMeta or PageMeta).

    Returns (record or None, MarkdownSource or None, problems).
    """
    report = Reporter(source)
    markdown = read_markdown(path, report)
    if markdown is None:
        return None, None, report.problems
    what = "an article" if cls is ArticleMeta else "a page"
    if not markdown.metadata:
        required = [f.name.capitalize() for f in writable_fields(cls) if is_required(f)]
        fields = ", ".join(required[:-1]) + " and " + required[-1]
        report.add(
            1,
            "",
            f"has no front matter: {what} starts with `Field: value` lines "
            f"({fields if len(required) > 1 else required[0]}), then an empty "
            "line, then the text; a new file from `make new-article` shows them",
            topic="no-front-matter",
        )
        return None, markdown, report.problems
    metadata = _front_matter_mapping(markdown.metadata, cls)
    if _wrong_kind(report, metadata, cls, what, str.capitalize):
        return None, markdown, report.problems
    lines = metadata.key_lines
    # Pelican reads keys case-insensitively; writers see them capitalised.
    record = parse_record(cls, metadata, report, spell_key=str.capitalize)
    if record is INVALID:
        return None, markdown, report.problems
    if record.summary is not None:
        length = _plain_length(record.summary)
        low, high = SUMMARY_LENGTH
        if not low <= length <= high:
            report.add(
                lines.get("summary"),
                "summary",
                f"is {length} characters; write {low} to {high} (it becomes the "
                "description search engines show)",
            )
    if record.slug is not None and not ID_PATTERN.fullmatch(record.slug):
        report.add(
            lines.get("slug"),
            "slug",
            f"{quoted(record.slug)} is not a valid slug; use lowercase letters, "
            "digits and hyphens",
        )
    if record.lang is not None and record.lang not in LANGUAGES:
        report.add(
            lines.get("lang"),
            "lang",
            _unknown_language(record.lang),
            topic="a-language-written-as-a-word",
        )
    if record.image and not record.image_alt:
        report.add(
            lines.get("image"),
            "image_alt",
            "required with image: describe what the image shows",
        )
    reviewed_by = getattr(record, "reviewed_by", None)
    last_reviewed = getattr(record, "last_reviewed", None)
    if (reviewed_by is None) != (last_reviewed is None):
        missing = "last_reviewed" if last_reviewed is None else "reviewed_by"
        present = "reviewed_by" if last_reviewed is None else "last_reviewed"
        report.add(
            lines.get(present),
            missing,
            f"required with {present}: a medical review names who and when",
        )
    reviewed_text = getattr(record, "reviewed_text", None)
    if reviewed_text is not None and not FINGERPRINT.fullmatch(reviewed_text):
        report.add(
            lines.get("reviewed_text"),
            "reviewed_text",
            f"{quoted(reviewed_text)} is not a fingerprint `make review` wrote; "
            "remove the line, and run `make review FILE=… REVIEWER=…` once the "
            "reviewer has read the article",
        )
    elif reviewed_text is not None and reviewed_by is None:
        report.add(
            lines.get("reviewed_text"),
            "reviewed_text",
            "records a review that names no reviewer; run `make review FILE=… "
            "REVIEWER=…`, which writes all three review lines",
        )
    date = getattr(record, "date", None)
    if date and record.modified and record.modified < date:
        report.add(
            lines.get("modified"),
            "modified",
            f"{record.modified:%Y-%m-%d} is before the publication date "
            f"{date:%Y-%m-%d}",
        )
    return (None if report.problems else record), markdown, report.problems


def _unknown_language(value: str) -> str:
    meant = suggest_language(value)
    advice = (
        f"did you mean `Lang: {meant.code}` ({meant.english})?"
        if meant
        else "write a language's code, e.g. `Lang: es` for Spanish"
    )
    return (
        f"{quoted(value)} is not a language code the site knows; {advice} "
        f"(codes: {', '.join(sorted(LANGUAGES))})"
    )


def salvage_front_matter(markdown: Any, cls: type) -> Any:
    """Return what still reads of front matter with problems, as `cls` (see salvage)."""
    return salvage(cls, _front_matter_mapping(markdown.metadata, cls))
