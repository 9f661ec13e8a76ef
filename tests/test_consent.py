"""Consent withholds a testimonial; it never blocks the rest of the site.

Each case adds a testimonial whose consent does not allow web publication to
a copy of the fixture site, lists it in an article beside one that may be
published, and builds with the publish settings.
"""

from __future__ import annotations

from pathlib import Path

from content_schema import ContentError, check_content
from pelican.settings import read_settings
import pytest

from tests.support import (
    DEV_SETTINGS,
    PUBLISH_SETTINGS,
    Site,
    build,
    indexed_pages,
    invoke,
    text_files,
)

QUOTE = "Words that must stay private until the form is signed."
BLOCKERS = {
    "pending": (
        "  status: pending\n",
        "consent is still 'pending': record the signed authorization (status: "
        "obtained, record, date, scope) before publishing",
    ),
    "no website scope": (
        "  status: obtained\n  record: F-1\n  date: 2025-01-01\n  scope: [email]\n",
        "the consent scope does not include 'website'",
    ),
    "expired": (
        "  status: obtained\n  record: F-1\n  date: 2020-01-01\n  scope: [website]\n"
        "  expires: 2021-01-01\n",
        "consent expired on 2021-01-01",
    ),
    "revoked": (
        "  status: obtained\n  record: F-1\n  date: 2020-01-01\n  scope: [website]\n"
        "  revoked: 2024-03-01\n",
        "the patient revoked consent on 2024-03-01",
    ),
}
WITHHELD = "content/testimonials/zoe-withheld.yaml:6: consent: {reason}"


def add_withheld(content: Path, consent: str) -> None:
    """Add testimonial zoe-withheld and list it first in the fixture's first visit."""
    (content / "testimonials" / "zoe-withheld.yaml").write_text(
        "id: zoe-withheld\nname: Zoe\nplace: Fixture Town, CA\ncondition: PTSD\n"
        f"quote: {QUOTE}\nconsent:\n{consent}"
        "collection:\n  method: survey\n  date: 2025-01-01\n"
        "  material_connection: none\n"
    )
    article = content / "articles" / "first-visit.md"
    article.write_text(
        article.read_text().replace(
            "Testimonials: ana-fixture, ben-fixture",
            "Testimonials: zoe-withheld, ana-fixture, ben-fixture",
        )
    )


def findings(content: Path, settings_file: Path = PUBLISH_SETTINGS, **override):
    settings = read_settings(
        str(settings_file), override={"PATH": str(content), **override}
    )
    return check_content(settings)


@pytest.mark.parametrize("case", BLOCKERS)
def test_publish_build_leaves_the_testimonial_out_everywhere(
    scratch_content, tmp_path, case
):
    consent, reason = BLOCKERS[case]
    add_withheld(scratch_content, consent)
    result = findings(scratch_content)
    assert [str(p) for p in result.problems] == []
    assert [str(p) for p in result.withheld] == [WITHHELD.format(reason=reason)]

    site = build(scratch_content, tmp_path / "pub", PUBLISH_SETTINGS)
    # Not on any page, feed, sitemap or JSON-LD, nor in the search index.
    for path in text_files(site):
        text = path.read_text(encoding="utf-8")
        assert "zoe-withheld" not in text, path
        assert "private until the form" not in text, path
    for url, page in indexed_pages(site).items():
        assert "private until the form" not in page["content"], url
    # The article keeps the testimonials that may be published.
    cards = Site(site).soup("first-visit/").select(".testimonial-card")
    assert [card["id"] for card in cards] == [
        "testimonial-ana-fixture",
        "testimonial-ben-fixture",
    ]


def test_a_marker_whose_testimonials_are_all_withheld_leaves_no_trace(
    scratch_content, tmp_path
):
    add_withheld(scratch_content, BLOCKERS["pending"][0])
    article = scratch_content / "articles" / "first-visit.md"
    article.write_text(
        article.read_text().replace(
            "Testimonials: zoe-withheld, ana-fixture, ben-fixture",
            "Testimonials: zoe-withheld",
        )
    )
    article_finding = next(
        str(p) for p in findings(scratch_content).withheld if p.field == "testimonials"
    )
    assert article_finding == (
        "content/articles/first-visit.md:16: testimonials: every testimonial it "
        "lists (zoe-withheld) is left out of the published site, so the words that "
        "introduce them introduce nothing there: reword them to stand alone, or "
        "record the consent"
    )
    site = build(scratch_content, tmp_path / "pub", PUBLISH_SETTINGS)
    page = (site / "first-visit" / "index.html").read_text()
    assert "[testimonials]" not in page
    assert "testimonial-card" not in page


def test_local_preview_shows_it_with_the_not_publishable_badge(
    scratch_content, tmp_path
):
    add_withheld(scratch_content, BLOCKERS["pending"][0])
    result = findings(scratch_content, DEV_SETTINGS)
    assert result.problems == []
    assert result.consent_policy == "preview"
    assert [p.source for p in result.withheld] == [
        "content/testimonials/zoe-withheld.yaml"
    ]
    site = build(scratch_content, tmp_path / "dev")
    card = (site / "first-visit" / "index.html").read_text()
    assert QUOTE in card
    assert "Preview only, not publishable: consent is still &#39;pending&#39;" in card


def test_a_clinic_may_choose_to_refuse_instead(scratch_content, tmp_path):
    add_withheld(scratch_content, BLOCKERS["expired"][0])
    expected = [
        "content/testimonials/zoe-withheld.yaml:6: consent: cannot be published: "
        "consent expired on 2021-01-01"
    ]
    result = findings(scratch_content, TESTIMONIALS_WITHOUT_CONSENT="refuse")
    assert [str(p) for p in result.problems] == expected
    with pytest.raises(ContentError) as raised:
        build(
            scratch_content,
            tmp_path / "pub",
            PUBLISH_SETTINGS,
            TESTIMONIALS_WITHOUT_CONSENT="refuse",
        )
    assert [str(p) for p in raised.value.problems] == expected


def test_an_unknown_policy_is_named_with_the_choices(scratch_content):
    result = findings(scratch_content, TESTIMONIALS_WITHOUT_CONSENT="hide")
    assert [str(p) for p in result.problems] == [
        "pelicanconf.py: TESTIMONIALS_WITHOUT_CONSENT: 'hide' is not a choice; use "
        "one of 'preview', 'withhold', 'refuse'"
    ]


def test_publish_task_publishes_the_rest_and_names_what_it_left_out(project_copy):
    add_withheld(project_copy / "content", BLOCKERS["pending"][0])
    result = invoke(project_copy, "publish")
    assert result.returncode == 0, result.stderr
    assert (
        "withheld (left out of this build): "
        + WITHHELD.format(reason=BLOCKERS["pending"][1])
        in result.stderr
    )
    assert "Traceback" not in result.stderr
    assert (project_copy / "output" / "first-visit" / "index.html").is_file()


def test_publish_check_lists_it_apart_from_the_problems(project_copy):
    add_withheld(project_copy / "content", BLOCKERS["revoked"][0])
    result = invoke(project_copy, "check", "--publish")
    assert result.returncode == 0, result.stderr
    assert (
        "Left out of the published site until consent allows (the rest "
        "publishes), 1:" in result.stderr.splitlines()
    )
    assert (
        "withheld: " + WITHHELD.format(reason=BLOCKERS["revoked"][1]) in result.stderr
    )
    assert "error:" not in result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("Content OK:")
