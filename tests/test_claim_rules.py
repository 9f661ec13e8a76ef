"""The claim rules' table (plugins/content_schema/editorial.py), row by row.

Every row declares sentences it must flag and sentences it must let pass; the
tests run them all, so a new row without examples, or with examples it does
not honour, fails here.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from content_schema import check_content
from content_schema.editorial import (
    CLAIM_RULES,
    EXAMPLE_REFERENCES,
    RISKS_FIX,
    claim_warnings,
    render_claim_rules,
    sentence_claims,
)
from content_schema.front_matter import read_markdown
from content_schema.problems import Reporter
from pelican.settings import read_settings
import pytest

from tests.support import DEV_SETTINGS, ROOT

REFERENCES = {
    key: SimpleNamespace(design=design) for key, design in EXAMPLE_REFERENCES.items()
}
RULES = {rule.id: rule for rule in CLAIM_RULES}


def flagged_by(sentence: str, references=REFERENCES) -> set[str]:
    return {rule.id for rule, _wording, _text in sentence_claims(sentence, references)}


def test_rule_ids_are_unique():
    assert len(RULES) == len(CLAIM_RULES)


@pytest.mark.parametrize("rule", CLAIM_RULES, ids=lambda rule: rule.id)
def test_each_rule_declares_examples_both_ways(rule):
    assert rule.flagged and rule.not_flagged
    assert rule.message and rule.fix and rule.why


@pytest.mark.parametrize(
    ("rule_id", "sentence"),
    [(rule.id, example) for rule in CLAIM_RULES for example in rule.flagged],
)
def test_rule_flags_its_examples(rule_id, sentence):
    assert rule_id in flagged_by(sentence)


@pytest.mark.parametrize(
    ("rule_id", "sentence"),
    [(rule.id, example) for rule in CLAIM_RULES for example in rule.not_flagged],
)
def test_rule_lets_its_near_misses_pass(rule_id, sentence):
    assert rule_id not in flagged_by(sentence)


def test_every_hint_is_in_every_match_of_its_pattern():
    # The pre-filter skips a rule whose hints are absent: a flagged example
    # that none of its hints are in would be skipped in real text.
    for rule in CLAIM_RULES:
        for example in rule.flagged:
            assert any(hint in example.lower() for hint in rule.hints), rule.id


def test_proven_reads_a_missing_design_as_no_review():
    # References from before the `design` field, or without one, never qualify.
    sentence = "Its benefit is proven [@example-review]."
    assert "proven" in flagged_by(sentence, {"example-review": SimpleNamespace()})
    assert "proven" in flagged_by(sentence, {})
    assert "proven" not in flagged_by(sentence)


def test_efficacy_wording_waits_while_an_absolute_rule_flags_the_sentence():
    assert flagged_by("It is proven to reduce symptoms.") == {"proven"}
    assert flagged_by("It is proven. It reduces symptoms.") == {
        "proven",
        "uncited-efficacy",
    }


def test_fda_rule_spares_esketamine_only_for_treatment_resistant_depression():
    assert "fda-psychiatric" in flagged_by("Spravato is FDA-approved for PTSD.")


def write(tmp_path: Path, text: str):
    path = tmp_path / "article.md"
    path.write_text(text, encoding="utf-8")
    markdown = read_markdown(path, Reporter(str(path)))
    meta = SimpleNamespace(
        title=markdown.metadata.get("title", ""),
        summary=markdown.metadata.get("summary", ""),
        tags=tuple(markdown.metadata.get("tags", "").split(",")),
    )
    return [str(w) for w in claim_warnings("a.md", meta, markdown, REFERENCES)]


HEADER = "Title: {title}\nSummary: A summary.\nTags: {tags}\n\n"


def test_warning_names_line_sentence_and_fix(tmp_path):
    text = HEADER.format(title="Notes", tags="x") + "Intro.\n\nFirst one. It cures.\n"
    assert write(tmp_path, text) == [
        "a.md:7: text: absolute health wording 'cures' in 'It cures.': "
        + RULES["cure"].fix
    ]


def test_summary_line_is_the_summary_key(tmp_path):
    text = "Title: Notes\nTags: x\nSummary: Results are guaranteed.\n\nText.\n"
    assert write(tmp_path, text) == [
        "a.md:3: summary: absolute health wording 'guaranteed' in 'Results are "
        "guaranteed.': " + RULES["guaranteed"].fix
    ]


RISKS_WARNING = (
    "a.md:1: title: an article about ketamine without a risks and side effects "
    f"section that cites a source: {RISKS_FIX}"
)


@pytest.mark.parametrize(
    ("title", "tags", "body", "warned"),
    [
        ("Ketamine notes", "x", "Text.\n", True),
        ("Notes", "ketamine", "Text.\n", True),
        ("Notes", "x", "About ketamine.\n", True),
        ("Notes", "x", "Text.\n", False),
        ("Ketamine notes", "x", "## Risks and side effects\n\nSee [@a].\n", False),
        ("Ketamine notes", "x", "## Side-effects\n\n### More\n\nSee [@a].\n", False),
        ("Ketamine notes", "x", "## Risks\n\nNo source here.\n", True),
        ("Ketamine notes", "x", "## Risks\n\nNone.\n\n## Other\n\nSee [@a].\n", True),
        ("Ketamine notes", "x", "## Benefits\n\nSee [@a].\n", True),
    ],
)
def test_ketamine_article_needs_a_cited_risks_section(
    tmp_path, title, tags, body, warned
):
    text = HEADER.format(title=title, tags=tags) + body
    assert (RISKS_WARNING in write(tmp_path, text)) is warned


def test_make_check_reports_the_rules_for_fixture_articles(scratch_content):
    article = scratch_content / "articles" / "second-opinion.md"
    article.write_text(
        article.read_text().replace(
            "Plain fixture text", "Ketamine is non-addictive [@fixture2020]"
        )
    )
    # The claim rules alone: the longer words would read above grade 8.
    settings = read_settings(
        str(DEV_SETTINGS),
        override={"PATH": str(scratch_content), "READABILITY_TARGET_GRADE": 18},
    )
    warnings = [str(w) for w in check_content(settings).warnings]
    source = "content/articles/second-opinion.md"
    assert [w for w in warnings if w.startswith(source)] == [
        f"{source}:8: text: absolute health wording 'non-addictive' in 'Ketamine is "
        "non-addictive [@fixture2020], and a list:': " + RULES["not-addictive"].fix,
        RISKS_WARNING.replace("a.md", source),
    ]


def test_the_writers_guide_lists_every_rule_from_the_table():
    guide = (ROOT / "docs" / "writing.md").read_text(encoding="utf-8")
    assert render_claim_rules(guide) == guide, "run `invoke docs`"
    block = guide.split("<!-- claim-rules -->")[1].split("<!-- end claim-rules -->")[0]
    for rule in CLAIM_RULES:
        assert f"`{rule.id}`" in block
        assert rule.why in block
    assert "`risks-section`" in block
