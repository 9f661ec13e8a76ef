"""The theme's filters and tests (plugins/theme_filters), and "is this published"."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from theme_filters.theme_filters import (
    TESTS,
    iso_date,
    plain,
    publication_status,
    typographic_text,
)


def test_plain_strips_typogrify_markup_and_escapes():
    assert plain('<span class="dquo">“</span>A</span>&nbsp;&amp; B') == "“A &amp; B"


@pytest.mark.parametrize(
    ("typed", "dashes", "expected"),
    [
        (
            "It's the patient's \"own\" words",
            "default",
            "It’s the patient’s “own” words",
        ),
        ("'Single' quotes...", "default", "‘Single’ quotes…"),
        ("1--2 --- and", "oldschool", "1–2 — and"),
        ("1--2 --- and", "default", "1—2 —- and"),
        # Markup and entities are words here: kept exactly as typed.
        ('Cal & "Co" <b>bold</b>', "default", "Cal & “Co” <b>bold</b>"),
        (
            "Dose <0.5 mg/kg & the &amp; sign",
            "default",
            "Dose <0.5 mg/kg & the &amp; sign",
        ),
        ("", "default", ""),
    ],
)
def test_typographic_text_curls_quotes_and_keeps_every_word(typed, dashes, expected):
    assert typographic_text(typed, dashes) == expected


def test_iso_date_gives_the_day_of_a_date_or_datetime():
    moment = dt.datetime(2026, 1, 12, 23, 30, tzinfo=dt.UTC)
    assert iso_date(moment) == iso_date(moment.date()) == "2026-01-12"


def item(status: str = "published", days_ahead: int | None = None):
    now = dt.datetime.now(tz=dt.UTC)
    date = None if days_ahead is None else now + dt.timedelta(days=days_ahead)
    return SimpleNamespace(status=status, date=date)


@pytest.mark.parametrize(
    ("status", "days_ahead", "expected"),
    [
        ("published", -1, "published"),
        ("published", 30, "scheduled"),
        ("hidden", -1, "hidden"),
        ("hidden", 30, "scheduled"),
        ("draft", -1, "draft"),
        ("draft", 30, "draft"),  # a draft is a draft whatever its date
        ("published", None, "published"),  # pages carry no date
        ("draft", None, "draft"),
    ],
)
def test_publication_status(status, days_ahead, expected):
    subject = item(status, days_ahead)
    assert publication_status(subject) == expected
    # The Jinja tests (`item is published`, …) give the same answer.
    assert [name for name, test in TESTS.items() if test(subject)] == [expected]
