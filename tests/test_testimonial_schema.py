"""The testimonial schema alone: every rule, with the exact message writers see."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
import textwrap

from content_schema import schema
from content_schema.schema import Consent, load_testimonial_file
import pytest

from tests.support import BAD_FIXTURES, FIXTURE_CONTENT

SOURCE = "content/testimonials/sample.yaml"
VALID = """\
id: sample-person
name: Sam
place: Fixture Town, CA
condition: PTSD
quote: Fixture words.
consent:
  status: obtained
  record: FORM-1
  date: 2025-06-01
  scope: [website]
collection:
  method: survey
  date: 2025-05-01
  material_connection: none
"""


def load_text(tmp_path: Path, text: str) -> tuple[schema.Testimonial | None, list[str]]:
    path = tmp_path / "sample.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    record, problems = load_testimonial_file(path, SOURCE)
    return record, [str(p) for p in problems]


def test_valid_file_gives_typed_record(tmp_path):
    record, problems = load_text(tmp_path, VALID)
    assert problems == []
    assert record == schema.Testimonial(
        id="sample-person",
        name="Sam",
        place="Fixture Town, CA",
        condition="PTSD",
        quote="Fixture words.",
        consent=Consent(
            status="obtained",
            record="FORM-1",
            date=dt.date(2025, 6, 1),
            scope=("website",),
        ),
        collection=schema.Collection(
            method="survey", date=dt.date(2025, 5, 1), material_connection="none"
        ),
        source=SOURCE,
    )


def test_records_are_immutable(tmp_path):
    record, _ = load_text(tmp_path, VALID)
    with pytest.raises(dataclasses.FrozenInstanceError):
        record.quote = "changed"  # type: ignore[misc]


def test_quoted_date_text_is_accepted(tmp_path):
    record, problems = load_text(tmp_path, VALID.replace("2025-06-01", '"2025-06-01"'))
    assert problems == []
    assert record.consent.date == dt.date(2025, 6, 1)


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "invalid-syntax.yaml",
            "content/testimonials/invalid-syntax.yaml:3: a quote mark that opens a "
            "value is never closed; close it at the end of the value, or remove it",
        ),
        (
            "missing-field.yaml",
            "content/testimonials/missing-field.yaml: condition: missing required "
            "field; add `condition: …`",
        ),
        (
            "wrong-type.yaml",
            "content/testimonials/wrong-type.yaml:9: consent.date: 'last spring' is "
            "not a date; write it as YYYY-MM-DD, e.g. 2026-03-14",
        ),
        (
            "unknown-key.yaml",
            "content/testimonials/unknown-key.yaml:6: raiting: unknown field; the "
            "fields are: collection, condition, consent, id, name, place, quote",
        ),
        (
            "missing-consent.yaml",
            "content/testimonials/missing-consent.yaml: consent: missing required "
            "field; every testimonial needs a `consent:` block with status, record, "
            "date and scope (see content/testimonials/README.md)",
        ),
        (
            "undated-consent.yaml",
            "content/testimonials/undated-consent.yaml:6: consent.date: required when "
            "status is 'obtained': a consent record needs its form's identifier and "
            "the date it was signed",
        ),
    ],
)
def test_bad_fixture_gives_its_message(fixture, expected):
    record, problems = load_testimonial_file(
        BAD_FIXTURES / fixture, f"content/testimonials/{fixture}"
    )
    assert record is None
    assert [str(p) for p in problems] == [expected]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("name: Sam", "name: 42"),
            f"{SOURCE}:2: name: reads as 42, not as text; put the text in double "
            'quotes: name: "…"',
        ),
        (
            ("name: Sam", 'name: "  "'),
            f"{SOURCE}:2: name: is empty; write the text or remove the field",
        ),
        (
            ("id: sample-person", "id: Sample Person"),
            f"{SOURCE}:1: id: 'Sample Person' is not a valid id: it becomes part of "
            "the site's addresses, so use lowercase letters, digits and hyphens "
            "only, at most 100 characters, e.g. 'john-hancock-park'",
        ),
        (
            ("status: obtained", "status: yes"),
            f"{SOURCE}:7: consent.status: a yes/no value is not allowed; use one of "
            "'obtained', 'pending'",
        ),
        (
            ("scope: [website]", "scope: website"),
            f"{SOURCE}:10: consent.scope: expected a list drawn from 'website', "
            "'social', 'email', got 'website'",
        ),
        (
            ("scope: [website]", "scope: [web]"),
            f"{SOURCE}:10: consent.scope: 'web' is not allowed; use one of "
            "'website', 'social', 'email'",
        ),
        (
            ("date: 2025-06-01", "date: 2025-06-01 10:30:00"),
            f"{SOURCE}:9: consent.date: expected a date without a time "
            "(YYYY-MM-DD), got 2025-06-01 10:30:00",
        ),
        (
            ("date: 2025-06-01", "date: 2025-02-30"),
            f"{SOURCE}:9: consent.date: '2025-02-30' is not a date that exists; check "
            "the month and the day (YYYY-MM-DD)",
        ),
        (
            ("scope: [website]", "scope: [website]\n  expires: 2024-01-01"),
            f"{SOURCE}:11: consent.expires: 2024-01-01 is before the signing date "
            "2025-06-01",
        ),
        (
            ("  record: FORM-1\n", "  recrod: FORM-1\n"),
            f"{SOURCE}:8: consent.recrod: unknown field; did you mean 'record'? the "
            "fields are: date, expires, record, revoked, scope, status",
        ),
        (
            ("name: Sam", "name: Sam\nname: Samuel"),
            f"{SOURCE}:3: name: appears twice; keep one",
        ),
        (
            ("consent:", "consent: yes\nignored:"),
            f"{SOURCE}:6: consent: must be a set of fields, got a yes/no value",
        ),
    ],
    ids=lambda value: value[0] if isinstance(value, tuple) else None,
)
def test_rule_violation_gives_its_message(tmp_path, change, expected):
    old, new = change
    assert old in VALID
    _record, problems = load_text(tmp_path, VALID.replace(old, new, 1))
    assert expected in problems


def test_obtained_consent_needs_record_date_and_scope(tmp_path):
    text = VALID.replace(
        "  record: FORM-1\n  date: 2025-06-01\n  scope: [website]\n", ""
    )
    record, problems = load_text(tmp_path, text)
    assert record is None
    assert problems == [
        f"{SOURCE}:6: consent.record: required when status is 'obtained': a consent "
        "record needs its form's identifier and the date it was signed",
        f"{SOURCE}:6: consent.date: required when status is 'obtained': a consent "
        "record needs its form's identifier and the date it was signed",
        f"{SOURCE}:6: consent.scope: required when status is 'obtained': list where "
        "the patient allowed the testimonial to appear (website, social, email)",
    ]


def test_all_problems_of_a_file_are_reported_together(tmp_path):
    text = VALID.replace("name: Sam", "name: 42").replace(
        "place: Fixture Town, CA\n", ""
    )
    _record, problems = load_text(tmp_path, text + "extra: 1\n")
    assert len(problems) == 3, problems


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("- a list\n- not a mapping\n", "holds a list (lines that start with “- ”)"),
        ("just a sentence\n", "holds a single value"),
        ("", "is empty (or holds only comments)"),
        ("# only a comment\n", "is empty (or holds only comments)"),
    ],
    ids=["list", "scalar", "empty", "comment"],
)
def test_file_must_be_a_mapping(tmp_path, text, found):
    record, problems = load_text(tmp_path, text)
    assert record is None
    assert problems == [
        f"{SOURCE}: {found}; a testimonial needs `field: value` lines: start one "
        "with `make new-testimonial ID=…`",
    ]


def test_non_utf8_file_is_reported(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Jos\xe9\n".encode("latin-1"))
    record, problems = load_testimonial_file(path, SOURCE)
    assert record is None
    assert str(problems[0]).startswith(
        f"{SOURCE}:1: column 10: a character (“é”) is not saved as UTF-8"
    )


TODAY = dt.date(2026, 6, 1)


@pytest.mark.parametrize(
    ("consent", "blocker"),
    [
        (Consent("obtained", "F", dt.date(2025, 1, 1), ("website",)), None),
        (
            Consent("pending"),
            "consent is still 'pending': record the signed authorization "
            "(status: obtained, record, date, scope) before publishing",
        ),
        (
            Consent("obtained", "F", dt.date(2025, 1, 1), ("email",)),
            "the consent scope does not include 'website'",
        ),
        (
            Consent("obtained", "F", dt.date(2025, 1, 1), ("website",), expires=TODAY),
            "consent expired on 2026-06-01",
        ),
        (
            Consent(
                "obtained",
                "F",
                dt.date(2025, 1, 1),
                ("website",),
                revoked=dt.date(2026, 2, 1),
            ),
            "the patient revoked consent on 2026-02-01",
        ),
        (
            Consent(
                "obtained",
                "F",
                dt.date(2025, 1, 1),
                ("website",),
                expires=dt.date(2026, 6, 2),
                revoked=dt.date(2026, 6, 2),
            ),
            None,
        ),
    ],
    ids=["valid", "pending", "out-of-scope", "expired", "revoked", "ends-tomorrow"],
)
def test_publication_blocker(consent, blocker):
    assert consent.publication_blocker(TODAY) == blocker


def test_every_fixture_testimonial_is_valid():
    for path in sorted((FIXTURE_CONTENT / "testimonials").glob("*.yaml")):
        record, problems = load_testimonial_file(path, path.name)
        assert problems == [], problems
        assert record is not None
