"""Authors and reviewers with credentials: their pages, bylines, JSON-LD and to-dos."""

from __future__ import annotations

import json
from pathlib import Path

from content_schema import Author, check_content
from content_schema.schema import TeamMember
from pelican.settings import read_settings
import pytest

from tests.support import (
    DEV_SETTINGS,
    Site,
    build,
    copy_fixture_site,
    text,
)

TAXONOMY = "content/taxonomy.yaml"
REVIEWERS = "content/reviewers.yaml"
SITEURL = "https://example.org"
TEAM_ARTICLE = """Title: Written by the Fixture Team
Date: 2026-01-06
Summary: A fixture article whose byline is a team, to say who the team is.
Author: Fixture team
Category: Research

Plain fixture text.
"""


@pytest.fixture(scope="module")
def team_site(tmp_path_factory) -> Site:
    """Build the fixture site, with an article by its team author, at an address.

    The development settings: the publish build's minified HTML leaves out the
    closing tags that the parser needs to tell one paragraph from the next.
    """
    content = with_fields_to_fill_in(
        copy_fixture_site(tmp_path_factory.mktemp("authors") / "content")
    )
    (content / "articles" / "team-article.md").write_text(TEAM_ARTICLE)
    output = tmp_path_factory.mktemp("authors-out")
    return Site(build(content, output, SITEURL=SITEURL))


def with_fields_to_fill_in(content: Path) -> Path:
    """Give the fixture team a bio and a member still TO FILL IN; return `content`."""
    taxonomy = content / "taxonomy.yaml"
    taxonomy.write_text(
        taxonomy.read_text().replace(
            "    role: Writes the fixture articles\n",
            "    role: Writes the fixture articles\n"
            '    bio: "TO FILL IN: who the fixture team is"\n',
        )
        + '      - name: "TO FILL IN: another member"\n        role: Writer\n'
    )
    return content


def json_ld(soup, kind: str) -> dict:
    found = [
        json.loads(script.string)
        for script in soup.select('script[type="application/ld+json"]')
    ]
    matching = [data for data in found if data["@type"] == kind]
    assert len(matching) == 1, found
    return matching[0]


def check(content: Path, **overrides):
    settings = read_settings(
        str(DEV_SETTINGS), override={"PATH": str(content), **overrides}
    )
    return check_content(settings)


# --- Pages ------------------------------------------------------------------


def test_author_page_shows_role_credentials_and_bio(team_site):
    soup = team_site.soup("author/fixture-writer/")
    profile = soup.select_one(".author-profile")
    assert text(profile.select_one(".author-profile__role")) == "Medical writer"
    assert text(profile.select_one(".author-profile__credentials")) == (
        "Credentials: MPH"
    )
    assert text(profile.select_one(".author-profile__bio")) == (
        "A writer who exists only in the test fixtures."
    )
    person = json_ld(soup, "ProfilePage")["mainEntity"]
    assert person == {
        "@type": "Person",
        "name": "Fixture Writer",
        "jobTitle": "Medical writer",
        "honorificSuffix": "MPH",
        "description": "A writer who exists only in the test fixtures.",
        "url": "https://example.org/author/fixture-writer/",
    }


def test_an_author_given_by_name_alone_still_builds_a_plain_page(team_site):
    soup = team_site.soup("author/another-writer/")
    assert text(soup.select_one("h1")) == "Another Writer"
    assert not soup.select(".author-profile p, .author-profile li")
    person = json_ld(soup, "ProfilePage")["mainEntity"]
    assert person == {
        "@type": "Person",
        "name": "Another Writer",
        "url": "https://example.org/author/another-writer/",
    }


def test_team_page_lists_its_named_members_as_an_organization(team_site):
    soup = team_site.soup("author/fixture-team/")
    assert text(soup.select_one(".page-heading__kicker")) == "Team"
    members = [text(li) for li in soup.select(".author-profile__members li")]
    assert members == ["Fixture Member, RN, Editor"]
    team = json_ld(soup, "ProfilePage")["mainEntity"]
    assert team["@type"] == "Organization"
    assert team["member"] == [
        {
            "@type": "Person",
            "name": "Fixture Member",
            "jobTitle": "Editor",
            "honorificSuffix": "RN",
        }
    ]
    # The bio still says TO FILL IN: left out, not shown.
    assert "description" not in team
    assert not soup.select(".author-profile__bio")


def test_an_article_by_a_team_says_who_the_team_is(team_site):
    soup = team_site.soup("written-by-the-fixture-team/")
    line = soup.select_one(".author-team")
    assert text(line) == "Fixture team is Fixture Member, Editor."
    assert line.a["href"] == "https://example.org/author/fixture-team/"
    posting = json_ld(soup, "BlogPosting")
    assert posting["author"][0]["@type"] == "Organization"
    assert [m["name"] for m in posting["author"][0]["member"]] == ["Fixture Member"]


def test_an_article_by_a_person_has_no_team_line(team_site):
    assert team_site.soup("first-visit/").select(".author-team") == []


def test_no_page_shows_a_value_still_to_fill_in(team_site):
    shown = [
        page.relative_to(team_site.output)
        for page in team_site.html_files()
        if "TO FILL IN" in page.read_text(encoding="utf-8")
    ]
    assert shown == []


def test_reviewer_page_shows_credentials_bio_and_what_they_reviewed(team_site):
    soup = team_site.soup("reviewers/fixture-reviewer/")
    assert text(soup.select_one("h1")) == "Fixture Reviewer"
    assert text(soup.select_one(".author-profile__credentials")) == "Credentials: MD"
    reviewed = [a["href"] for a in soup.select("main .term-list a")]
    assert reviewed == ["https://example.org/quotes-and-ampersands/"]
    person = json_ld(soup, "ProfilePage")["mainEntity"]
    assert person["@type"] == "Person"
    assert person["honorificSuffix"] == "MD"
    assert person["url"] == "https://example.org/reviewers/fixture-reviewer/"


def test_reviewer_byline_links_to_the_reviewer_page(team_site):
    soup = team_site.soup("quotes-and-ampersands/")
    link = soup.select_one(".reviewer-byline a")
    assert link["href"] == "https://example.org/reviewers/fixture-reviewer/"
    assert text(link) == "Fixture Reviewer"
    reviewed_by = json_ld(soup, "MedicalWebPage")["reviewedBy"]
    assert reviewed_by["url"] == "https://example.org/reviewers/fixture-reviewer/"


# --- make check --------------------------------------------------------------


def test_fields_still_to_fill_in_are_to_dos_not_problems(scratch_content):
    result = check(with_fields_to_fill_in(scratch_content))
    todos = [str(p) for p in result.todos if p.source == TAXONOMY]
    assert todos == [
        f"{TAXONOMY}:16: authors.bio: still says TO FILL IN; write "
        "one or two sentences about them, or remove the line",
        f"{TAXONOMY}:21: authors.members.name: still says TO FILL IN; write the "
        "team member's name, as they agreed to show it",
    ]
    assert not [p for p in result.problems if p.source == TAXONOMY]


# Each entry is inserted first in the fixture's `authors:` list; the line is
# counted from the entry's first line (0).
@pytest.mark.parametrize(
    ("entry", "offset", "expected"),
    [
        (
            "  - name: Bad Entry\n    rol: writer",
            1,
            "authors.rol: unknown field; did you mean 'role'? the fields are: bio, "
            "credentials, members, name, role",
        ),
        ("  - role: writer", 0, "authors.name: missing required field; add `name: …`"),
        (
            "  - name: Bad Team\n    members:\n      - name: Someone",
            2,
            "authors.members.role: missing required field; add `role: …`",
        ),
        (
            "  - name: Bad Entry\n    members: Someone and others",
            1,
            "authors.members: expected a list, each item a set of fields, got "
            "'Someone and others'",
        ),
        (
            "  - true",
            -1,
            "authors: reads as a yes/no value, not as text; put the text in double "
            'quotes: authors: "…"',
        ),
    ],
)
def test_a_bad_author_entry_is_named_with_its_line_field_and_fix(
    tmp_path, entry, offset, expected
):
    content = copy_fixture_site(tmp_path / "content")
    taxonomy = content / "taxonomy.yaml"
    lines = taxonomy.read_text().split("\n")
    at = lines.index("authors:") + 1
    taxonomy.write_text("\n".join([*lines[:at], entry, *lines[at:]]))
    problems = [str(p) for p in check(content).problems if p.source == TAXONOMY]
    assert problems == [f"{TAXONOMY}:{at + 1 + offset}: {expected}"]


def test_a_review_by_a_reviewer_not_yet_named_is_refused_when_published(tmp_path):
    content = copy_fixture_site(tmp_path / "content")
    (content / "reviewers.yaml").write_text(
        "reviewers:\n"
        "  - id: fixture-reviewer\n"
        "    name: Fixture Reviewer\n"
        '    credentials: "TO FILL IN: degrees and licences"\n'
        "    bio: A reviewer who exists only in the test fixtures.\n"
    )
    result = check(content)
    problems = [str(p) for p in result.problems if p.field == "reviewed_by"]
    assert problems == [
        "content/articles/quotes-and-ampersands.md:9: reviewed_by: the reviewer "
        "'fixture-reviewer' still has TO FILL IN in their name or credentials, so "
        "the page cannot show this review; fill them in, in content/reviewers.yaml "
        "(or keep `Status: draft` until they are)"
    ]
    todos = [str(p) for p in result.todos if p.source == REVIEWERS]
    assert todos == [
        f"{REVIEWERS}:4: reviewers.credentials: still says TO FILL IN; write the "
        "reviewer's degrees and licences, e.g. MD"
    ]


def test_a_reviewer_bio_to_fill_in_is_a_to_do_and_left_off_the_page(tmp_path):
    content = copy_fixture_site(tmp_path / "content")
    (content / "reviewers.yaml").write_text(
        "reviewers:\n"
        "  - id: fixture-reviewer\n"
        "    name: Fixture Reviewer\n"
        "    credentials: MD\n"
        '    bio: "TO FILL IN: one or two sentences"\n'
    )
    result = check(content)
    assert not result.problems
    assert [p.field for p in result.todos if p.source == REVIEWERS] == ["reviewers.bio"]
    site = Site(build(content, tmp_path / "output"))
    soup = site.soup("reviewers/fixture-reviewer/")
    assert soup.select(".author-profile__bio") == []
    assert "TO FILL IN" not in str(soup)


def test_a_team_whose_members_are_all_to_fill_in_is_still_a_team():
    team = Author(
        name="Editorial team",
        bio="TO FILL IN: who the team is",
        members=(TeamMember(name="TO FILL IN: a name", role="Writer"),),
    )
    shown = team.for_readers()
    assert shown.is_team
    assert (shown.members, shown.bio) == ((), None)
    assert not Author(name="Jane Doe").for_readers().is_team
