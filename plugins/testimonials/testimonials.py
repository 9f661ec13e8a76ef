"""Testimonials: load patient testimonials from YAML and attach them to articles.

Contract for templates:
- `testimonials` (global): every testimonial, a tuple sorted by id.
- `article.testimonials` / `page.testimonials`: the testimonials the item lists
  in its `Testimonials:` metadata, in the order listed (an empty tuple if none).
- `testimonials.html` renders the testimonials page at TESTIMONIALS_SAVE_AS.

An item's testimonials appear where its Markdown has a paragraph holding only
`[testimonials]`, or after its text when it has no such marker. Every problem
found in a run (bad YAML, schema violations, duplicate ids, unknown ids,
missing consent in a publish build) is collected and raised together as one
ContentError, so the build stops before anything is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path
import re

from pelican import signals
from pelican.generators import Generator

from .schema import ContentError, Problem, Testimonial, load_testimonial_file

logger = logging.getLogger(__name__)

DEFAULTS = {
    "TESTIMONIALS_PATH": "testimonials",
    "TESTIMONIALS_URL": "testimonials/",
    "TESTIMONIALS_SAVE_AS": "testimonials/index.html",
    "TESTIMONIALS_DISCLOSURE": "Individual results vary.",
    "TESTIMONIALS_REQUIRE_CONSENT": True,
}
# Typogrify and Markdown leave this paragraph as is; it marks where the listed
# testimonials go in an article's text.
MARKER = re.compile(r"<p>\s*\[testimonials\]\s*</p>", re.IGNORECASE)
ID_SEPARATOR = re.compile(r"[\s,]+")
METADATA_LINE = re.compile(r"^\s*testimonials\s*:", re.IGNORECASE)
MARKER_LINE = re.compile(r"^\s*\[testimonials\]\s*$", re.IGNORECASE)
ID_LINE = re.compile(r"^id\s*:")
CONSENT_LINE = re.compile(r"^consent\s*:")
# Rendered in place of the marker; the same partial the testimonials page uses.
LIST_TEMPLATE = "partials/testimonial_list.html"


def set_defaults(pelican) -> None:
    """Fill in plugin settings the site did not set."""
    for key, value in DEFAULTS.items():
        pelican.settings.setdefault(key, value)


class TestimonialsGenerator(Generator):
    """Loads testimonials, resolves article references and writes the page.

    All state lives on the instance: Pelican makes a new generator per run, so
    nothing leaks between autoreload runs or test builds.
    """

    def generate_context(self) -> None:
        """Load and validate testimonials, then place them in articles and pages."""
        problems: list[Problem] = []
        testimonials = self._with_consent_status(self._load(problems), problems)
        by_id = {t.id: t for t in testimonials}
        for item in self._content_items():
            self._attach(item, by_id, problems)
        if problems:
            raise ContentError(problems)
        self.context["testimonials"] = testimonials

    def generate_output(self, writer) -> None:
        """Write the page that lists every testimonial."""
        writer.write_file(
            self.settings["TESTIMONIALS_SAVE_AS"],
            self.get_template("testimonials"),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.settings["TESTIMONIALS_URL"],
        )

    def _display_path(self, path: Path) -> str:
        """Path as writers see it: relative to the folder holding the content."""
        root = Path(self.path).resolve().parent
        try:
            return str(path.resolve().relative_to(root))
        except ValueError:
            return str(path)

    def _load(self, problems: list[Problem]) -> tuple[Testimonial, ...]:
        """Parse every YAML file of the testimonials folder, sorted by id."""
        folder = Path(self.path) / self.settings["TESTIMONIALS_PATH"]
        files = sorted(
            p for p in folder.glob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
        )
        first_source: dict[str, str] = {}
        loaded = []
        for path in files:
            source = self._display_path(path)
            record, file_problems = load_testimonial_file(path, source)
            problems.extend(file_problems)
            if record is None:
                continue
            if record.id in first_source:
                problems.append(
                    Problem(
                        source,
                        _first_line(path, ID_LINE),
                        "id",
                        f"duplicate id {record.id!r}, already used by "
                        f"{first_source[record.id]}; give each testimonial its own id",
                    )
                )
                continue
            first_source[record.id] = source
            loaded.append(dataclasses.replace(record, source=source))
        return tuple(sorted(loaded, key=lambda t: t.id))

    def _with_consent_status(
        self, testimonials: tuple[Testimonial, ...], problems: list[Problem]
    ) -> tuple[Testimonial, ...]:
        """Mark each testimonial that may not be published, and why.

        With TESTIMONIALS_REQUIRE_CONSENT each such testimonial is a problem;
        otherwise (local previews) it is kept and the theme shows a badge.
        """
        today = dt.date.today()
        checked = []
        for testimonial in testimonials:
            blocker = testimonial.consent.publication_blocker(today)
            if blocker and self.settings["TESTIMONIALS_REQUIRE_CONSENT"]:
                source_path = Path(self.path).resolve().parent / testimonial.source
                problems.append(
                    Problem(
                        testimonial.source,
                        _first_line(source_path, CONSENT_LINE),
                        "consent",
                        f"cannot be published: {blocker}",
                    )
                )
            elif blocker:
                logger.info(
                    "testimonials: %s: preview only: %s", testimonial.source, blocker
                )
            checked.append(dataclasses.replace(testimonial, consent_blocker=blocker))
        return tuple(checked)

    def _content_items(self):
        """Every article and page read in this run: drafts, hidden, translations."""
        return tuple(self.context["generated_content"].values())

    def _attach(
        self, item, by_id: dict[str, Testimonial], problems: list[Problem]
    ) -> None:
        """Resolve the item's testimonial ids and render them into its text."""
        raw = item.metadata.get("testimonials", "")
        ids = [i for i in ID_SEPARATOR.split(str(raw)) if i]
        source_path = Path(item.source_path)
        source = self._display_path(source_path)
        for testimonial_id in ids:
            if testimonial_id not in by_id:
                problems.append(
                    Problem(
                        source,
                        _first_line(source_path, METADATA_LINE),
                        "testimonials",
                        f"unknown testimonial id {testimonial_id!r}; known ids: "
                        f"{', '.join(sorted(by_id)) or 'none'}",
                    )
                )
        text = item._content or ""
        has_marker = bool(MARKER.search(text))
        if has_marker and not ids:
            problems.append(
                Problem(
                    source,
                    _first_line(source_path, MARKER_LINE),
                    "testimonials",
                    "the text has a [testimonials] marker but the metadata lists no "
                    "testimonials; add `Testimonials: id-1, id-2` or remove the marker",
                )
            )
        item.testimonials = tuple(by_id[i] for i in ids if i in by_id)
        if not item.testimonials:
            return
        rendered = self.env.get_template(LIST_TEMPLATE).render(
            self.context, testimonials=item.testimonials
        )
        # Content is read-only to Pelican until the writer asks for it, so the
        # rendered list is part of what pages and feeds show.
        if has_marker:
            item._content = MARKER.sub(lambda _match: rendered, text, count=1)
        else:
            item._content = text + rendered


def _first_line(path: Path, pattern: re.Pattern[str]) -> int | None:
    """Return the 1-based number of the first line of `path` matching `pattern`."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), None)


def get_generators(_pelican) -> type[TestimonialsGenerator]:
    """Hand Pelican our generator class."""
    return TestimonialsGenerator


def register() -> None:
    """Connect the plugin to Pelican."""
    # Defaults must exist before any generator reads settings.
    signals.initialized.connect(set_defaults)
    # A generator (rather than a content signal) runs after articles and pages
    # are read, so it can resolve their ids, and before anything is written.
    signals.get_generators.connect(get_generators)
