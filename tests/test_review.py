"""A medical review records which text it covered, and stays true to it.

`make review` stamps the fingerprint; an edit afterwards changes the byline
to "Updated …", `make check` warns, and MEDICAL_REVIEW_MUST_MATCH refuses.
"""

from __future__ import annotations

import datetime as dt

from content_schema import check_content
from content_schema.review import body_fingerprint
from invoke import Exit
from pelican.settings import read_settings
import pytest

from tests.support import DEV_SETTINGS, PUBLISH_SETTINGS, Site, build, invoke, text
from tools.review import record_review, stamped

TODAY = dt.date(2026, 12, 7)
SOURCE = "content/articles/second-opinion.md"
REVIEWER_LINE = "Fixture Reviewer, MD"


def review(content, file=SOURCE, reviewer="fixture-reviewer", date=""):
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    return record_review(
        file.removeprefix("content/"),
        reviewer,
        date,
        content=content,
        settings=settings,
        today=TODAY,
    )


def findings(content, settings_file=DEV_SETTINGS, **overrides):
    settings = read_settings(
        str(settings_file), override={"PATH": str(content), **overrides}
    )
    result = check_content(settings, today=TODAY)
    return [str(p) for p in result.problems], [str(w) for w in result.warnings]


def about_review(lines):
    return [line for line in lines if line.startswith(SOURCE) and "reviewed" in line]


def byline(site: Site, url="asking-for-a-second-opinion/") -> str:
    return text(site.soup(url).select_one(".reviewer-byline"))


# --- The fingerprint ----------------------------------------------------------


def test_the_fingerprint_ignores_how_the_file_was_saved():
    body = ["First line.", "", "Second line."]
    plain = body_fingerprint("Title", "A summary.", body)
    assert plain.startswith("sha256:") and len(plain) == len("sha256:") + 16
    assert body_fingerprint("Title ", "A summary.", ["", *body, "", ""]) == plain
    assert body_fingerprint("Title", "A summary.", [f"{b}  \r" for b in body]) == plain
    numbered = [(n, line) for n, line in enumerate(body, 9)]
    assert body_fingerprint("Title", "A summary.", numbered) == plain


@pytest.mark.parametrize(
    "changed",
    [
        ("Another title", "A summary.", ["First line.", "", "Second line."]),
        ("Title", "Another summary.", ["First line.", "", "Second line."]),
        ("Title", "A summary.", ["First line.", "", "Second line, edited."]),
        ("Title", "A summary.", ["First line.", "Second line."]),
    ],
    ids=["title", "summary", "a word", "a paragraph break"],
)
def test_the_fingerprint_changes_with_what_readers_see(changed):
    original = body_fingerprint(
        "Title", "A summary.", ["First line.", "", "Second line."]
    )
    assert body_fingerprint(*changed) != original


# --- Stamping the front matter --------------------------------------------------

VALUES = {"Reviewed_by": "jane", "Last_reviewed": "2026-12-07", "Reviewed_text": "x"}


def test_stamping_adds_the_lines_at_the_end_of_the_header():
    text_before = "Title: T\nDate: 2026-01-01\n\nBody: not a key.\n"
    assert stamped(text_before, VALUES) == (
        "Title: T\nDate: 2026-01-01\nReviewed_by: jane\nLast_reviewed: 2026-12-07\n"
        "Reviewed_text: x\n\nBody: not a key.\n"
    )


def test_stamping_replaces_existing_lines_in_place_keeping_their_spelling():
    text_before = (
        "---\nTitle: T\nreviewed_by: old\nLAST_REVIEWED: 2020-01-01\nTags: a\n---\n"
        "Body.\n"
    )
    assert stamped(text_before, VALUES) == (
        "---\nTitle: T\nreviewed_by: jane\nLAST_REVIEWED: 2026-12-07\nTags: a\n"
        "Reviewed_text: x\n---\nBody.\n"
    )


# --- make review, end to end -----------------------------------------------------


def test_a_recorded_review_is_shown_until_the_text_changes(scratch_content, tmp_path):
    said = review(scratch_content)
    assert said.startswith(
        f"Recorded in {SOURCE}: medically reviewed by {REVIEWER_LINE} on 2026-12-07, "
        "text sha256:"
    )
    article = scratch_content / "articles" / "second-opinion.md"
    header = article.read_text().split("\n\n", 1)[0].splitlines()
    assert header[-3:-1] == [
        "Reviewed_by: fixture-reviewer",
        "Last_reviewed: 2026-12-07",
    ]
    assert header[-1].startswith("Reviewed_text: sha256:")
    assert about_review(findings(scratch_content)[1]) == []
    site = Site(build(scratch_content, tmp_path / "reviewed"))
    assert byline(site).startswith(
        f"Medically reviewed by {REVIEWER_LINE} on December 7, 2026."
    )

    article.write_text(article.read_text().replace("Plain fixture text", "New text"))
    site = Site(build(scratch_content, tmp_path / "edited"))
    assert byline(site) == (
        "Updated since it was last medically reviewed on December 7, 2026 by "
        f"{REVIEWER_LINE}."
    )
    problems, warnings = findings(scratch_content)
    assert problems == []
    assert about_review(warnings) == [
        f"{SOURCE}:9: reviewed_text: the title, summary or text changed after its "
        "medical review on 2026-12-07, so the page says it was updated since; once "
        f"the reviewer has read this text, run `make review FILE={SOURCE} "
        "REVIEWER=fixture-reviewer`"
    ]

    review(scratch_content)  # the reviewer read the new text
    assert about_review(findings(scratch_content)[1]) == []


def test_an_update_with_a_modified_date_says_when(scratch_content, tmp_path):
    review(scratch_content)
    article = scratch_content / "articles" / "second-opinion.md"
    article.write_text(
        article.read_text()
        .replace("Tags: first visit\n", "Tags: first visit\nModified: 2026-12-20\n")
        .replace("Plain fixture text", "New text")
    )
    site = Site(build(scratch_content, tmp_path / "out"))
    assert byline(site) == (
        "Updated on December 20, 2026; last medically reviewed on December 7, 2026 "
        f"by {REVIEWER_LINE}."
    )
    assert "Next review due" not in byline(site)


def test_must_match_refuses_to_publish_an_edited_review(scratch_content):
    review(scratch_content)
    article = scratch_content / "articles" / "second-opinion.md"
    article.write_text(article.read_text().replace("Plain fixture text", "New text"))
    problems, _ = findings(scratch_content, MEDICAL_REVIEW_MUST_MATCH=True)
    assert about_review(problems) == [
        f"{SOURCE}:9: reviewed_text: the title, summary or text changed after its "
        "medical review on 2026-12-07, so the page says it was updated since; once "
        f"the reviewer has read this text, run `make review FILE={SOURCE} "
        "REVIEWER=fixture-reviewer` (MEDICAL_REVIEW_MUST_MATCH: it cannot be "
        "published until then)"
    ]
    article.write_text(article.read_text().replace("Title:", "Status: draft\nTitle:"))
    assert (
        about_review(findings(scratch_content, MEDICAL_REVIEW_MUST_MATCH=True)[0]) == []
    )


def test_a_review_that_records_no_text_is_flagged(scratch_content):
    article = scratch_content / "articles" / "second-opinion.md"
    article.write_text(
        article.read_text().replace(
            "Tags: first visit\n",
            "Tags: first visit\nReviewed_by: fixture-reviewer\n"
            "Last_reviewed: 2026-11-01\n",
        )
    )
    problems, warnings = findings(scratch_content)
    assert problems == []
    assert about_review(warnings) == [
        f"{SOURCE}:8: reviewed_text: the review does not record which text the "
        "reviewer read, so a later edit cannot be told; once the reviewer has read "
        f"this text, run `make review FILE={SOURCE} REVIEWER=fixture-reviewer`"
    ]
    problems, _ = findings(
        scratch_content, PUBLISH_SETTINGS, MEDICAL_REVIEW_MUST_MATCH=True
    )
    assert len(about_review(problems)) == 1


def test_the_task_runs_as_a_writer_runs_it(project_copy):
    result = invoke(
        project_copy,
        "review",
        "--file",
        SOURCE,
        "--reviewer",
        "fixture-reviewer",
        "--date",
        "2026-01-02",
    )
    assert result.returncode == 0, result.stderr
    assert (
        f"Recorded in {SOURCE}: medically reviewed by {REVIEWER_LINE} on 2026-01-02"
        in (result.stdout)
    )
    assert "Last_reviewed: 2026-01-02" in (project_copy / SOURCE).read_text()
    assert "Traceback" not in result.stderr


# --- What make review refuses ----------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"reviewer": "nobody"},
            "REVIEWER=nobody is not in content/reviewers.yaml; the reviewers listed "
            "are: fixture-reviewer.",
        ),
        (
            {"file": "content/articles/missing.md"},
            "There is no file articles/missing.md",
        ),
        ({"file": "content/pages/about.md"}, "pages/about.md is not an article"),
        ({"file": ""}, "Name the article: make review FILE="),
        ({"date": "2026-13-01"}, "DATE=2026-13-01 is not a date; write the day"),
        ({"date": "2027-01-01"}, "DATE=2027-01-01 is in the future"),
    ],
    ids=[
        "unknown reviewer",
        "no file",
        "a page",
        "no file named",
        "bad date",
        "future",
    ],
)
def test_a_wrong_request_stops_with_what_to_do_and_writes_nothing(
    scratch_content, arguments, message
):
    before = {p: p.read_bytes() for p in scratch_content.rglob("*") if p.is_file()}
    with pytest.raises(Exit) as stopped:
        review(scratch_content, **arguments)
    assert message in str(stopped.value.message)
    assert stopped.value.code == 1
    assert {
        p: p.read_bytes() for p in scratch_content.rglob("*") if p.is_file()
    } == before


def test_no_reviewer_yet_says_the_clinic_adds_them(scratch_content):
    (scratch_content / "reviewers.yaml").write_text("reviewers: []\n")
    with pytest.raises(Exit) as stopped:
        review(scratch_content)
    assert "it lists no reviewer yet: the clinic adds each" in stopped.value.message


def test_an_invalid_article_is_not_stamped(scratch_content):
    article = scratch_content / "articles" / "second-opinion.md"
    broken = article.read_text().replace("Date: 2026-01-05", "Date: 2026-02-31")
    article.write_text(broken)
    with pytest.raises(Exit) as stopped:
        review(scratch_content)
    assert f"{SOURCE}:2: date:" in stopped.value.message
    assert "Fix these first" in stopped.value.message
    assert article.read_text() == broken


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "Reviewed_by: fixture-reviewer\nLast_reviewed: 2026-11-01\n"
            "Reviewed_text: 1234\n",
            f"{SOURCE}:9: reviewed_text: '1234' is not a fingerprint `make review` "
            "wrote; remove the line, and run `make review FILE=… REVIEWER=…` once the "
            "reviewer has read the article",
        ),
        (
            "Reviewed_text: sha256:0123456789abcdef\n",
            f"{SOURCE}:7: reviewed_text: records a review that names no reviewer; run "
            "`make review FILE=… REVIEWER=…`, which writes all three review lines",
        ),
    ],
    ids=["not a fingerprint", "no reviewer"],
)
def test_a_hand_written_fingerprint_is_refused(scratch_content, line, message):
    article = scratch_content / "articles" / "second-opinion.md"
    article.write_text(
        article.read_text().replace("Tags: first visit\n", f"Tags: first visit\n{line}")
    )
    assert message in findings(scratch_content)[0]
