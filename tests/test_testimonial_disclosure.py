"""Each testimonial discloses its own truth: how, when, and any connection.

The disclosure is composed from the testimonial's `collection:` block and the
clinic's general TESTIMONIALS_DISCLOSURE (plugins/testimonials/disclosure.py).
"""

from __future__ import annotations

from content_schema import check_content
from pelican.settings import read_settings
import pytest

from tests.support import DEV_SETTINGS, SEED_CONTENT, Site, build, text

GENERAL = (
    "Individual results vary. A patient’s account is not a clinical study and does "
    "not predict how treatment will work for you."
)


def disclosures(site: Site, url: str = "testimonials/") -> dict[str, str]:
    return {
        card["id"].removeprefix("testimonial-"): text(
            card.select_one(".testimonial-card__disclosure")
        )
        for card in site.soup(url).select(".testimonial-card")
    }


def test_each_card_says_how_when_and_what_ties_the_patient(fixture_site):
    said = disclosures(fixture_site)
    assert said["ana-fixture"] == (
        "This account comes from a survey of patients (May 20, 2025). The patient "
        "was not paid or given anything for it, and has no tie to the clinic beyond "
        f"being a patient. {GENERAL}"
    )
    assert said["ben-fixture"] == (
        "This account comes from an interview with the patient (July 2, 2025). "
        f"Connection to the clinic: a discount on a later fixture session. {GENERAL}"
    )
    assert said["script-fixture"].startswith(
        "This account comes from a written account the patient sent to the clinic "
        "(August 15, 2025)."
    )


def test_an_article_shows_the_same_disclosure_as_the_testimonials_page(fixture_site):
    on_article = disclosures(fixture_site, "first-visit/")
    assert on_article == {
        key: value
        for key, value in disclosures(fixture_site).items()
        if key in on_article
    }
    assert set(on_article) == {"ana-fixture", "ben-fixture"}


def test_the_seed_keeps_its_survey_wording_and_shows_what_is_left(tmp_path):
    site = Site(build(SEED_CONTENT, tmp_path / "seed"))
    said = disclosures(site)
    assert said, "the seed's testimonials show in a local preview"
    for disclosure in said.values():
        assert disclosure == (
            "This account comes from an informal, anecdotal survey of patients. "
            f"Connection to the clinic: TO FILL IN. {GENERAL}"
        )


def test_a_writers_description_cannot_become_markup(tmp_path, scratch_content):
    ana = scratch_content / "testimonials" / "ana-fixture.yaml"
    ana.write_text(
        ana.read_text().replace(
            "  method: survey\n",
            "  method: other\n  description: a <script>alert(1)</script> & note\n",
        )
    )
    site = Site(build(scratch_content, tmp_path / "out"))
    card = site.soup("testimonials/").select_one("#testimonial-ana-fixture")
    assert card.find("script") is None
    assert text(card.select_one(".testimonial-card__disclosure")).startswith(
        "This account comes from a <script>alert(1)</script> & note (May 20, 2025)."
    )


def test_the_general_text_is_the_setting(scratch_content, tmp_path):
    site = Site(
        build(scratch_content, tmp_path / "out", TESTIMONIALS_DISCLOSURE="Only this.")
    )
    assert disclosures(site)["ana-fixture"].endswith(
        "beyond being a patient. Only this."
    )


# --- What the schema refuses ------------------------------------------------------

REFUSED = {
    "no method": (
        "  method: survey\n",
        "",
        "content/testimonials/ana-fixture.yaml:11: collection.method: missing: say "
        "how the account was collected, one of survey, interview, written "
        "submission, online review, other",
    ),
    "no date": (
        "  date: 2025-05-20\n",
        "",
        "content/testimonials/ana-fixture.yaml:11: collection.date: missing: give "
        "the date the patient gave the account, as YYYY-MM-DD (TO FILL IN while the "
        "clinic looks it up)",
    ),
    "no connection": (
        "  material_connection: none\n",
        "",
        "content/testimonials/ana-fixture.yaml:11: collection.material_connection: "
        "missing: write what ties the patient to the clinic beyond being its "
        "patient (a payment, a discount, a job there…), or `none`",
    ),
    "other, undescribed": (
        "  method: survey\n",
        "  method: other\n",
        "content/testimonials/ana-fixture.yaml:11: collection.description: "
        "required when method is 'other': say how it was collected, e.g. a letter "
        "the patient sent",
    ),
    "unknown method": (
        "  method: survey\n",
        "  method: phone poll\n",
        "content/testimonials/ana-fixture.yaml:12: collection.method: 'phone poll' "
        "is not allowed; use one of 'survey', 'interview', 'written submission', "
        "'online review', 'other'",
    ),
}


@pytest.mark.parametrize("case", REFUSED.values(), ids=REFUSED.keys())
def test_a_collection_that_cannot_be_disclosed_is_refused(scratch_content, case):
    old, new, expected = case
    ana = scratch_content / "testimonials" / "ana-fixture.yaml"
    assert old in ana.read_text()
    ana.write_text(ana.read_text().replace(old, new, 1))
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(scratch_content)})
    problems = [str(p) for p in check_content(settings).problems]
    assert problems == [expected]


def test_a_testimonial_without_a_collection_block_is_refused(scratch_content):
    ana = scratch_content / "testimonials" / "ana-fixture.yaml"
    ana.write_text(ana.read_text().split("collection:")[0])
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(scratch_content)})
    problems = [str(p) for p in check_content(settings).problems]
    assert problems == [
        "content/testimonials/ana-fixture.yaml: collection: missing required field; "
        "every testimonial needs a `collection:` block with method, date and "
        "material_connection (see content/testimonials/README.md)"
    ]
