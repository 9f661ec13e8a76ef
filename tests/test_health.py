"""Health-publisher trust: references, review status, crisis block, notes, report."""

from __future__ import annotations

from pathlib import Path

from content_schema import check_content
from pelican.settings import read_settings
import pytest

from tests.support import DEV_SETTINGS, FIXTURE_CONTENT, SEED_CONTENT, Site, build, text

REFERENCES_SOURCE = "content/references.yaml"


def findings(content: Path, **overrides) -> tuple[list[str], list[str]]:
    settings = read_settings(
        str(DEV_SETTINGS), override={"PATH": str(content), **overrides}
    )
    result = check_content(settings)
    return [str(p) for p in result.problems], [str(w) for w in result.warnings]


# --- References ----------------------------------------------------------------


def test_citations_become_numbered_links_to_the_reference_list(fixture_site):
    soup = fixture_site.soup("first-visit/")
    citations = soup.select(".article__body sup.citation a")
    assert [(a.get_text(), a["href"], a["id"]) for a in citations] == [
        ("1", "#reference-1", "citation-1-1"),
        ("2", "#reference-2", "citation-2-1"),
        ("1", "#reference-1", "citation-1-2"),
        ("1", "#reference-1", "citation-1-3"),
    ]
    entries = soup.select(".references ol > li")
    assert [li["id"] for li in entries] == ["reference-1", "reference-2"]
    first = entries[0]
    assert text(first).startswith(
        "Writer F, Author A. A Fixture Study of Fixture Things. Journal of Fixtures. "
        "2020;1:1-10. doi:10.1234/fixture.2020.1."
    )
    assert first.find("a", string="doi:10.1234/fixture.2020.1")["href"] == (
        "https://doi.org/10.1234/fixture.2020.1"
    )
    backlinks = [a["href"] for a in first.select("a.references__back")]
    assert backlinks == ["#citation-1-1", "#citation-1-2", "#citation-1-3"]
    second = entries[1]
    assert second.find("a", href="https://journal.example/fixture-study")
    assert "[@" not in soup.get_text()


def test_each_reference_shows_its_evidence(fixture_site):
    entries = fixture_site.soup("first-visit/").select(".references ol > li")
    evidence = [text(li.select_one(".references__evidence")) for li in entries]
    assert evidence == [
        "Evidence: Randomized controlled fixture trial.",
        "Evidence: Systematic review and meta-analysis of fixtures, 12 trials, "
        "1,100 fixture participants. Finding: Fixtures were found to be fixtures.",
    ]


def test_the_seed_article_cites_the_two_studies_it_describes(seed_site):
    soup = seed_site.soup("ketamine-for-ptsd/")
    dois = [a["href"] for a in soup.select(".references a[href^='https://doi.org/']")]
    assert dois == [
        "https://doi.org/10.1176/appi.ajp.2020.20050596",
        "https://doi.org/10.1001/jamapsychiatry.2014.62",
    ]
    assert soup.select_one(
        ".references a[href='https://pubmed.ncbi.nlm.nih.gov/24740528/']"
    )


REFERENCE_CASES = {
    "unknown key": (
        (
            "articles/second-opinion.md",
            "Plain fixture text",
            "Plain fixture text [@fixture2002]",
        ),
        "content/articles/second-opinion.md:8: citation: unknown reference "
        "[@fixture2002]; did you mean 'fixture2021'? declare it in "
        "content/references.yaml",
    ),
    "bad DOI": (
        (
            "references.yaml",
            "doi: 10.1234/fixture.2020.1",
            "doi: https://doi.org/10.1234/x",
        ),
        f"{REFERENCES_SOURCE}:9: fixture2020.doi: 'https://doi.org/10.1234/x' is not a "
        "DOI; write it as 10.NNNN/suffix, without https://doi.org/",
    ),
    "bad PMID": (
        (
            "references.yaml",
            "  url: https://journal.example/fixture-study",
            "  pmid: -5",
        ),
        f"{REFERENCES_SOURCE}:16: fixture2021.pmid: -5 is not a PubMed id",
    ),
    "no way to find it": (
        ("references.yaml", "  url: https://journal.example/fixture-study\n", ""),
        f"{REFERENCES_SOURCE}:11: fixture2021: needs a doi, a pmid or a url, so "
        "readers can find it",
    ),
    "missing field": (
        ("references.yaml", "  journal: Fixture Press\n", ""),
        [
            f"{REFERENCES_SOURCE}:11: fixture2021.journal: missing required field; add "
            "`journal: …`",
            # The article's citation is not called unknown: the key is declared,
            # and its problem is reported where it is.
        ],
    ),
    "no design": (
        ("references.yaml", "  design: Randomized controlled fixture trial\n", ""),
        f"{REFERENCES_SOURCE}:1: fixture2020.design: missing required field; add "
        "`design: …`, the study design as the paper's abstract states it, e.g. "
        "design: Randomized controlled trial",
    ),
    "finding too long": (
        (
            "references.yaml",
            "  finding: Fixtures were found to be fixtures.",
            "  finding: " + "Fixtures were found. " * 10,
        ),
        f"{REFERENCES_SOURCE}:19: fixture2021.finding: is 209 characters over 1 "
        "line(s); readers see it beside the reference, so keep it to one line of "
        "at most 200 characters",
    ),
}


@pytest.mark.parametrize("case", REFERENCE_CASES.values(), ids=REFERENCE_CASES.keys())
def test_reference_rule_fails_the_build_with_its_message(scratch_content, case):
    (name, old, new), expected = case
    path = scratch_content / name
    assert old in path.read_text()
    path.write_text(path.read_text().replace(old, new, 1))
    problems, _warnings = findings(scratch_content)
    assert problems == (expected if isinstance(expected, list) else [expected])


def test_declared_but_uncited_reference_only_warns(scratch_content):
    article = scratch_content / "articles" / "first-visit.md"
    article.write_text(article.read_text().replace("[@fixture2021; @fixture2020]", ""))
    problems, warnings = findings(scratch_content)
    assert problems == []
    assert (
        f"{REFERENCES_SOURCE}:11: fixture2021: declared but cited by no article"
        in warnings
    )


# --- Medical review -------------------------------------------------------------


def test_reviewed_article_names_reviewer_date_and_next_review(fixture_site):
    byline = fixture_site.soup("quotes-and-ampersands/").select_one(".reviewer-byline")
    assert text(byline) == (
        "Medically reviewed by Fixture Reviewer, MD on January 20, 2026. "
        "Next review due January 20, 2027."
    )
    assert [t["datetime"] for t in byline.find_all("time")] == [
        "2026-01-20",
        "2027-01-20",
    ]


def test_unreviewed_article_says_so(fixture_site, seed_site):
    for site, url in (
        (fixture_site, "first-visit/"),
        (seed_site, "ketamine-for-ptsd/"),
    ):
        byline = site.soup(url).select_one(".reviewer-byline")
        assert text(byline) == "This article has not yet been medically reviewed."


def test_review_interval_is_a_setting(tmp_path):
    site = build(FIXTURE_CONTENT, tmp_path / "out", MEDICAL_REVIEW_INTERVAL_MONTHS=6)
    page = (site / "quotes-and-ampersands" / "index.html").read_text()
    assert 'Next review due <time datetime="2026-07-20">July 20, 2026</time>' in page


REVIEW_CASES = {
    "unknown reviewer": (
        "Reviewed_by: nobody\nLast_reviewed: 2026-01-20\n",
        "content/articles/second-opinion.md:7: reviewed_by: unknown reviewer 'nobody'; "
        "reviewers are listed in content/reviewers.yaml (known: fixture-reviewer)",
    ),
    "reviewer without date": (
        "Reviewed_by: fixture-reviewer\n",
        "content/articles/second-opinion.md:7: last_reviewed: required with "
        "reviewed_by: a medical review names who and when",
    ),
    "review in the future": (
        "Reviewed_by: fixture-reviewer\nLast_reviewed: 2999-01-01\n",
        "content/articles/second-opinion.md:8: last_reviewed: 2999-01-01 is in the "
        "future; give the date the review took place",
    ),
}


@pytest.mark.parametrize("case", REVIEW_CASES.values(), ids=REVIEW_CASES.keys())
def test_review_rule_fails_the_build_with_its_message(scratch_content, case):
    lines, expected = case
    article = scratch_content / "articles" / "second-opinion.md"
    article.write_text(
        article.read_text().replace(
            "Tags: first visit\n", "Tags: first visit\n" + lines
        )
    )
    problems, _ = findings(scratch_content)
    assert problems == [expected]


def test_mandatory_review_setting_blocks_unreviewed_health_articles(scratch_content):
    problems, _ = findings(scratch_content, MEDICAL_REVIEW_REQUIRED=True)
    # Drafts are exempt; the Research articles are not health categories.
    assert problems == [
        f"content/articles/{name}.md:5: reviewed_by: articles in 'Mental health' need "
        "a medical review before publishing: add reviewed_by and last_reviewed"
        for name in ("first-visit", "older-notes", "scheduled-post")
    ]
    assert findings(scratch_content)[0] == []  # off by default


# --- Editorial report -----------------------------------------------------------


def test_editorial_report_lists_overdue_reviews_questions_and_claims(scratch_content):
    article = scratch_content / "articles" / "second-opinion.md"
    article.write_text(
        article.read_text()
        .replace(
            "Tags: first visit\n",
            "Tags: first visit\nReviewed_by: fixture-reviewer\n"
            "Last_reviewed: 2020-01-01\n"
            "Editorial_questions: Is the first claim sourced?\n"
            "    Should we cite more?\n",
        )
        .replace("Plain fixture text", "This therapy is proven. It reduces symptoms")
    )
    problems, warnings = findings(scratch_content)
    source = "content/articles/second-opinion.md"
    assert problems == []
    assert [w for w in warnings if w.startswith(source)] == [
        f"{source}:8: last_reviewed: medical review overdue since 2021-01-01",
        f"{source}:8: reviewed_text: the review does not record which text the "
        "reviewer read, so a later edit cannot be told; once the reviewer has read "
        f"this text, run `make review FILE={source} REVIEWER=fixture-reviewer`",
        f"{source}:9: editorial_questions: open question: Is the first claim sourced?",
        f"{source}:9: editorial_questions: open question: Should we cite more?",
        f"{source}:12: text: absolute health wording 'proven' in 'This therapy is "
        "proven.': say 'studies suggest', or cite a systematic review or "
        "meta-analysis",
        f"{source}:12: text: efficacy wording without a citation 'reduces' in 'It "
        "reduces symptoms, and a list:': add [@key] or rephrase",
    ]


def test_seed_article_report_has_its_questions_and_the_proven_subtitle():
    _problems, warnings = findings(SEED_CONTENT)
    source = "content/articles/ketamine-for-ptsd.md"
    assert (
        f"{source}:3: summary: absolute health wording 'proven' in 'ketamine-assisted "
        "therapy offers those wandering the world with PTSD proven relief': say "
        "'studies suggest', or cite a systematic review or meta-analysis" in warnings
    )
    questions = [w for w in warnings if "editorial_questions: open question" in w]
    assert len(questions) == 5
    assert any("published in 2014" in q for q in questions)
    assert (
        "content/references.yaml:36: abdallah2022npp: declared but cited by no "
        "article" in warnings
    )


# --- Disclaimer, crisis resources, off-label note ---------------------------------


def test_every_article_carries_the_disclaimer(fixture_site):
    for url in (
        "first-visit/",
        "quotes-and-ampersands/",
        "asking-for-a-second-opinion/",
        "older-notes/",
    ):
        disclaimer = fixture_site.soup(url).select_one(".article__footer .disclaimer")
        assert text(disclaimer).startswith(
            "Medical disclaimer: This article is for general"
        )


CRISIS = {
    "first-visit/": True,  # Mental health category
    "quotes-and-ampersands/": True,  # Research, but tagged PTSD
    "asking-for-a-second-opinion/": False,  # Research, tagged "first visit"
    "older-notes/": True,  # Mental health category
}


@pytest.mark.parametrize(("url", "shown"), CRISIS.items())
def test_crisis_block_is_exactly_where_configured(fixture_site, url, shown):
    soup = fixture_site.soup(url)
    block = soup.select_one("aside.crisis-block")
    assert (block is not None) is shown
    if shown:
        # Near the top: right after the article's header, before its text.
        assert block.find_previous_sibling("header") is not None
        assert block.find_next_sibling("div", class_="article__body") is not None
        assert block["aria-labelledby"] == "crisis-block-heading"
        links = {a["href"]: text(a) for a in block.find_all("a")}
        assert links == {
            "tel:988": "Call 988",
            "sms:988": "Text 988",
            "https://988lifeline.org/": "Chat at 988lifeline.org",
            "tel:911": "Call 911",
        }
        assert "988 Suicide & Crisis Lifeline" in text(block)


def test_crisis_configuration_is_a_setting(tmp_path):
    site = build(
        FIXTURE_CONTENT,
        tmp_path / "out",
        MENTAL_HEALTH_CATEGORIES=(),
        CRISIS_TAGS=("first visit",),
    )
    has_block = {
        url: Site(site).soup(url).select_one("aside.crisis-block") is not None
        for url in CRISIS
    }
    assert has_block == {
        "first-visit/": True,
        "quotes-and-ampersands/": False,
        "asking-for-a-second-opinion/": True,
        "older-notes/": False,
    }


def test_off_label_note_appears_where_an_article_is_about_ketamine(
    fixture_site, seed_site
):
    about_ketamine = {
        "first-visit/": True,
        "quotes-and-ampersands/": True,
        "asking-for-a-second-opinion/": False,
        "older-notes/": False,
    }
    for url, expected in about_ketamine.items():
        note = fixture_site.soup(url).select_one(".off-label-note")
        assert (note is not None) is expected, url
    note = seed_site.soup("ketamine-for-ptsd/").select_one(".off-label-note")
    assert "off-label" in text(note)
    assert "has not approved ketamine for any psychiatric disorder" in text(note)


# --- The standard risks text (RISKS_NOTES) ----------------------------------------

RISKS_FILLED = ({"terms": ("ketamine",), "text": "Reviewer's <risks> & text."},)
RISKS_WARNING = "an article about ketamine without a risks and side effects section"


def _without_risks_section(content):
    for name in ("first-visit.md", "quotes-and-ampersands.md"):
        article = content / "articles" / name
        article.write_text(article.read_text().split("## Risks and side effects")[0])


def test_an_unwritten_risks_text_is_shown_nowhere(fixture_site):
    for url in ("first-visit/", "quotes-and-ampersands/", "older-notes/"):
        assert fixture_site.soup(url).select(".risks-note") == []


def test_the_risks_to_do_names_the_setting_when_an_article_needs_it(scratch_content):
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(scratch_content)})
    assert [p.field for p in check_content(settings).todos] == []
    _without_risks_section(scratch_content)
    result = check_content(settings)
    assert [str(p) for p in result.todos] == [
        "pelicanconf.py: RISKS_NOTES: still says TO FILL IN: the clinic's medical "
        "reviewer writes the standard text on risks and side effects that articles "
        "about ketamine show (first: content/articles/first-visit.md); until then "
        "it is shown nowhere"
    ]
    assert any(RISKS_WARNING in str(w) for w in result.warnings)


def test_a_written_risks_text_shows_on_articles_about_its_terms(
    scratch_content, tmp_path
):
    _without_risks_section(scratch_content)
    site = Site(build(scratch_content, tmp_path / "out", RISKS_NOTES=RISKS_FILLED))
    (note,) = site.soup("first-visit/").select(".risks-note")
    assert text(note.h2) == "Risks and side effects"
    assert text(note.p) == "Reviewer's <risks> & text."
    assert note.find("risks") is None  # escaped, not markup
    assert site.soup("older-notes/").select(".risks-note") == []  # not about it
    # It stands in for the article's own section: the claim rule is satisfied.
    _problems, warnings = findings(scratch_content, RISKS_NOTES=RISKS_FILLED)
    assert not any(RISKS_WARNING in w for w in warnings)


def test_a_risks_setting_that_cannot_work_is_named(scratch_content):
    problems, _warnings = findings(scratch_content, RISKS_NOTES=({"text": "x"},))
    assert problems == [
        'pelicanconf.py: RISKS_NOTES: entry 1 must be {"terms": ("ketamine",), '
        '"text": "..."}'
    ]
