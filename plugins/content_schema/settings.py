"""The content schema's settings: where content lives, and the rules it obeys.

These are read by the check, which every build and `make check` run, so they
are the schema's own, even where another plugin shows the result (the health
plugin's crisis block, the testimonials plugin's cards). `validate` names a
setting whose value cannot work, as a Problem against pelicanconf.py.

`fill_in` is how every other plugin applies its own settings.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, MutableMapping
import logging
from typing import Any

from .problems import Problem

log = logging.getLogger(__name__)

CONSENT_POLICIES = ("preview", "withhold", "refuse")
# The grades a reading-level target may be: first grade to a doctorate.
GRADES = (1, 18)
DEFAULTS = {
    # Relative to PATH.
    "CONTENT_TAXONOMY_FILE": "taxonomy.yaml",
    "CONTENT_REFERENCES_FILE": "references.yaml",
    "CONTENT_REVIEWERS_FILE": "reviewers.yaml",
    "TESTIMONIALS_PATH": "testimonials",
    # A review falls due again this many months after it took place.
    "MEDICAL_REVIEW_INTERVAL_MONTHS": 12,
    # True: articles in MENTAL_HEALTH_CATEGORIES cannot be published unreviewed.
    "MEDICAL_REVIEW_REQUIRED": False,
    # True: an article edited after its medical review (or whose review does
    # not record the text read) cannot be published until `make review`.
    "MEDICAL_REVIEW_MUST_MATCH": False,
    # The categories about mental health: their articles open with the crisis
    # block (plugins/health) and, with MEDICAL_REVIEW_REQUIRED, need a review.
    "MENTAL_HEALTH_CATEGORIES": ("Mental health",),
    # ({"terms": ("ketamine",), "text": "…"}, …): the clinic's standard text on
    # the risks and side effects of a treatment, written by its medical
    # reviewer, shown (plugins/health) on articles whose title, category or
    # tags name a term; it stands in for an article's own risks section
    # (editorial.py). A text still saying TO FILL IN is shown nowhere.
    "RISKS_NOTES": (),
    # One of CONSENT_POLICIES: see pelicanconf.py.
    "TESTIMONIALS_WITHOUT_CONSENT": "withhold",
    # The US school grade an article's text should read at or below; above it,
    # `make check` warns (readability.py). pelicanconf.py gives the sources.
    "READABILITY_TARGET_GRADE": 8,
    # Pelican's own defaults, for callers that pass plain settings.
    "ARTICLE_URL": "{slug}.html",
    "PAGE_URL": "pages/{slug}.html",
}


def readable_grade(value: Any) -> bool:
    """Return whether `value` can be a target grade: a number within GRADES."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and GRADES[0] <= value <= GRADES[1]
    )


def is_note(note: Any) -> bool:
    """Whether `note` is a note setting's entry: {"terms": (…,), "text": "…"}.

    The shape of OFF_LABEL_NOTES (plugins/health) and RISKS_NOTES entries.
    """
    return (
        isinstance(note, Mapping)
        and isinstance(note.get("text"), str)
        and not isinstance(note.get("terms"), str)
        and bool(note.get("terms"))
    )


def bad_notes(notes: Any) -> list[int]:
    """Return the numbers (from 1) of a note setting's entries that are no notes."""
    entries = notes if isinstance(notes, (list, tuple)) else [notes]
    return [number for number, note in enumerate(entries, 1) if not is_note(note)]


def with_defaults(settings: Mapping[str, Any]) -> dict[str, Any]:
    """Return `settings` with every default above filled in."""
    return {**DEFAULTS, **settings}


def validate(settings: Mapping[str, Any]) -> list[Problem]:
    """Name each of these settings whose value cannot work, and what to use."""
    problems = []
    policy = settings["TESTIMONIALS_WITHOUT_CONSENT"]
    if policy not in CONSENT_POLICIES:
        problems.append(
            Problem(
                "pelicanconf.py",
                None,
                "TESTIMONIALS_WITHOUT_CONSENT",
                f"{policy!r} is not a choice; use one of "
                f"{', '.join(map(repr, CONSENT_POLICIES))}",
            )
        )
    months = settings["MEDICAL_REVIEW_INTERVAL_MONTHS"]
    if not isinstance(months, int) or isinstance(months, bool) or months < 1:
        problems.append(
            Problem(
                "pelicanconf.py",
                None,
                "MEDICAL_REVIEW_INTERVAL_MONTHS",
                f"{months!r} is not a number of months; use a whole number, e.g. 12",
            )
        )
    for name in ("MEDICAL_REVIEW_REQUIRED", "MEDICAL_REVIEW_MUST_MATCH"):
        if not isinstance(settings[name], bool):
            problems.append(
                Problem(
                    "pelicanconf.py",
                    None,
                    name,
                    f"{settings[name]!r} is not True or False",
                )
            )
    grade = settings["READABILITY_TARGET_GRADE"]
    if not readable_grade(grade):
        problems.append(
            Problem(
                "pelicanconf.py",
                None,
                "READABILITY_TARGET_GRADE",
                f"{grade!r} is not a school grade; use a number from "
                f"{GRADES[0]} to {GRADES[1]}, e.g. 8",
            )
        )
    problems += [
        Problem(
            "pelicanconf.py",
            None,
            "RISKS_NOTES",
            f'entry {number} must be {{"terms": ("ketamine",), "text": "..."}}',
        )
        for number in bad_notes(settings["RISKS_NOTES"])
    ]
    categories = settings["MENTAL_HEALTH_CATEGORIES"]
    if isinstance(categories, str) or not all(isinstance(c, str) for c in categories):
        problems.append(
            Problem(
                "pelicanconf.py",
                None,
                "MENTAL_HEALTH_CATEGORIES",
                f"{categories!r} is not a list of category names; write it as "
                '("Mental health",)',
            )
        )
    return problems


def fill_in(
    settings: MutableMapping[str, Any],
    plugin: str,
    defaults: Mapping[str, Any],
    problems: Callable[[Mapping[str, Any]], Mapping[str, str]],
) -> None:
    """Fill in a plugin's `defaults` the site did not set; replace what cannot work.

    `problems(settings)` maps each setting whose value cannot work to a
    message naming it. Each is logged as an error (a `--fatal` build stops
    there) and replaced by its default, as pelican-sitemap does, so a build
    without `--fatal` still works.
    """
    for key, value in defaults.items():
        settings.setdefault(key, value)
    for setting, message in problems(settings).items():
        log.error("%s: %s; using %r", plugin, message, defaults[setting])
        settings[setting] = defaults[setting]
