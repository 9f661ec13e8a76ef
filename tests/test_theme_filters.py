"""The theme's filters and tests (plugins/theme_filters), and "is this published"."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from theme_filters.theme_filters import TESTS, iso_date, plain, publication_status


def test_plain_strips_typogrify_markup_and_escapes():
    assert plain('<span class="dquo">“</span>A</span>&nbsp;&amp; B') == "“A &amp; B"


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
