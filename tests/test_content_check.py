"""`make check` rules for articles, pages and the taxonomy: exact message and line.

Each case writes one broken file into a copy of the fixture content and runs
the same check that `make check` and the build run.
"""

from __future__ import annotations

from pathlib import Path
import subprocess
import sys

from content_schema import check_content
from content_schema.docs import render_tables
from pelican.settings import read_settings
import pytest

from tests.support import DEV_SETTINGS, ROOT, invoke
from tools.docs import DOCUMENTS_WITH_FIELD_TABLES

ARTICLE = """\
Title: A Valid Fixture Article
Date: 2026-02-01
Summary: A fixture article whose front matter passes every rule of the schema.
Author: Fixture Writer
Category: Research
Tags: PTSD, first visit
Slug: valid-fixture

Some text.
"""
# Sorts after every fixture article, so it is the one that repeats a slug.
SOURCE = "content/articles/writers-case.md"
VALID_SUMMARY = (
    "Summary: A fixture article whose front matter passes every rule of the schema."
)


def problems_for(content: Path, settings_file: Path = DEV_SETTINGS) -> list[str]:
    settings = read_settings(str(settings_file), override={"PATH": str(content)})
    return [str(p) for p in check_content(settings).problems]


def write_article(content: Path, text: str, name: str = "writers-case.md") -> None:
    (content / "articles" / name).write_text(text)


def test_fixture_content_passes_the_check():
    assert problems_for(Path(__file__).parent / "fixtures" / "site" / "content") == []


def test_valid_article_passes(scratch_content):
    write_article(scratch_content, ARTICLE)
    assert problems_for(scratch_content) == []


FRONT_MATTER_CASES = {
    "missing field": (
        (
            VALID_SUMMARY + "\n",
            "",
        ),
        f"{SOURCE}: summary: missing required field; add `Summary: …`",
    ),
    "unknown field": (
        ("Slug: valid-fixture", "Slug: valid-fixture\nAuther: Fixture Writer"),
        f"{SOURCE}:8: auther: unknown field; did you mean 'author'? the fields are: "
        "author, category, date, editorial_questions, image, image_alt, lang, "
        "last_reviewed, modified, reviewed_by, reviewed_text, slug, status, summary, "
        "tags, "
        "testimonials, title",
    ),
    "bad date": (
        ("Date: 2026-02-01", "Date: 01/02/2026"),
        f"{SOURCE}:2: date: '01/02/2026' is not written as YYYY-MM-DD; write "
        "2026-01-02 for January 2, 2026 or 2026-02-01 for February 1, 2026",
    ),
    "impossible date": (
        ("Date: 2026-02-01", "Date: 2026-02-30"),
        f"{SOURCE}:2: date: '2026-02-30' is not a date that exists; check the month "
        "and the day (YYYY-MM-DD)",
    ),
    "bad status": (
        ("Slug: valid-fixture", "Slug: valid-fixture\nStatus: publish"),
        f"{SOURCE}:8: status: 'publish' is not allowed; use one of 'draft', "
        "'published', 'hidden'",
    ),
    "summary too short": (
        (
            VALID_SUMMARY,
            "Summary: Too short.",
        ),
        f"{SOURCE}:3: summary: is 10 characters; write 50 to 160 (it becomes the "
        "description search engines show)",
    ),
    "summary too long": (
        (
            VALID_SUMMARY,
            "Summary: " + "word " * 40,
        ),
        f"{SOURCE}:3: summary: is 199 characters; write 50 to 160 (it becomes the "
        "description search engines show)",
    ),
    "placeholder summary": (
        (
            VALID_SUMMARY,
            "Summary: Replace this sentence with a summary of 50 to 160 characters.",
        ),
        f"{SOURCE}:3: summary: still holds the placeholder from `make new-article`; "
        "write the real summary (or keep `Status: draft` until it is ready)",
    ),
    "bad slug": (
        ("Slug: valid-fixture", "Slug: Valid Fixture!"),
        f"{SOURCE}:7: slug: 'Valid Fixture!' is not a valid slug; use lowercase "
        "letters, digits and hyphens",
    ),
    "modified before date": (
        ("Slug: valid-fixture", "Slug: valid-fixture\nModified: 2026-01-01"),
        f"{SOURCE}:8: modified: 2026-01-01 is before the publication date 2026-02-01",
    ),
    "image without alt": (
        (
            "Slug: valid-fixture",
            "Slug: valid-fixture\nImage: {static}/images/pixel.png",
        ),
        f"{SOURCE}:8: image_alt: required with image: describe what the image shows",
    ),
    "repeated field": (
        ("Slug: valid-fixture", "Slug: valid-fixture\nslug: again"),
        f"{SOURCE}:8: slug: appears twice; keep one",
    ),
    "unknown category": (
        ("Category: Research", "Category: research"),
        f"{SOURCE}:5: category: 'research' is not a known category; did you mean "
        "'Research'? use one listed in content/taxonomy.yaml, or add it there",
    ),
    "unknown tag": (
        ("Tags: PTSD, first visit", "Tags: PTSD, frist visit"),
        f"{SOURCE}:6: tags: 'frist visit' is not a known tag; did you mean 'first "
        "visit'? use one listed in content/taxonomy.yaml, or add it there",
    ),
    "unknown author": (
        ("Author: Fixture Writer", "Author: Nobody Known"),
        f"{SOURCE}:4: author: 'Nobody Known' is not a known author; use one listed in "
        "content/taxonomy.yaml, or add it there",
    ),
    "reserved slug": (
        ("Slug: valid-fixture", "Slug: testimonials"),
        f"{SOURCE}:7: slug: gives the address /testimonials/, which the site itself "
        "uses; set another `Slug:`",
    ),
    "duplicate slug": (
        ("Slug: valid-fixture", "Slug: first-visit"),
        f"{SOURCE}:7: slug: gives the address /first-visit/, already used by "
        "content/articles/first-visit.md; set another `Slug:`",
    ),
    "unknown testimonial": (
        ("Slug: valid-fixture", "Slug: valid-fixture\nTestimonials: ana-fixtrue"),
        f"{SOURCE}:8: testimonials: unknown testimonial id 'ana-fixtrue'; did you mean "
        "'ana-fixture'? known ids: ana-fixture, ben-fixture, script-fixture",
    ),
    "marker without testimonials": (
        ("Some text.", "Some text.\n\n[testimonials]"),
        f"{SOURCE}:11: testimonials: the text has a [testimonials] marker but the "
        "metadata lists no testimonials; add `Testimonials: id-1, id-2` or remove the "
        "marker",
    ),
    "broken filename link": (
        ("Some text.", "Some text with [a link]({filename}no-such-article.md)."),
        f"{SOURCE}:9: link: {{filename}}no-such-article.md does not lead to an article "
        "or page; check the file name (paths are relative to this file, or to "
        "content/ when they start with /)",
    ),
    "filename link with a slip": (
        ("Some text.", "See [the first visit]({filename}frist-visit.md#before)."),
        f"{SOURCE}:9: link: {{filename}}frist-visit.md does not lead to an article or "
        "page; did you mean {filename}first-visit.md?",
    ),
    "filename link from content/ with a slip": (
        ("Some text.", "See [about]({filename}/pages/abuot.md)."),
        f"{SOURCE}:9: link: {{filename}}/pages/abuot.md does not lead to an article or "
        "page; did you mean {filename}/pages/about.md?",
    ),
    "broken static link": (
        ("Some text.", "A [leaflet]({static}/extra/leaflet.pdf)."),
        f"{SOURCE}:9: link: {{static}}/extra/leaflet.pdf: no such file in content/; "
        "check the file's name and folder",
    ),
    "image without alt text": (
        ("Some text.", "![]({static}/images/pixel.png)"),
        f"{SOURCE}:9: image: {{static}}/images/pixel.png has no alt text; describe "
        "what the image shows",
    ),
    "missing image": (
        ("Some text.", '<img src="../images/none.jpg" alt="A chart">'),
        f"{SOURCE}:9: image: ../images/none.jpg: no such file in content/; check the "
        "file's name and folder",
    ),
    "missing social image": (
        (
            "Slug: valid-fixture",
            "Slug: valid-fixture\nImage: {static}/images/card.png\nImage_alt: A card",
        ),
        f"{SOURCE}:8: image: {{static}}/images/card.png: no such file in content/; "
        "check the file's name and folder",
    ),
}


@pytest.mark.parametrize(
    "change", FRONT_MATTER_CASES.values(), ids=FRONT_MATTER_CASES.keys()
)
def test_article_rule_gives_its_message_and_line(scratch_content, change):
    (old, new), expected = change
    assert old in ARTICLE
    write_article(scratch_content, ARTICLE.replace(old, new, 1))
    assert problems_for(scratch_content) == [expected]


def test_links_and_images_that_exist_pass(scratch_content):
    write_article(
        scratch_content,
        ARTICLE.replace(
            "Some text.",
            "[About]({filename}/pages/about.md), "
            "[first]({filename}first-visit.md#before),"
            " ![Robots]({static}/images/pixel.png) and [external](https://example.org).",
        ),
    )
    assert problems_for(scratch_content) == []


def test_links_and_images_shown_as_code_are_not_checked(scratch_content):
    # Code shows a link or an image tag as text; Pelican resolves neither.
    code = (
        "```html\n"
        '<img src="missing.png" alt="">\n'
        "[gone]({filename}no-such-article.md)\n"
        "```\n\n"
        "After the code, ![Missing]({static}/images/missing.png)."
    )
    write_article(scratch_content, ARTICLE.replace("Some text.", code))
    assert problems_for(scratch_content) == [
        f"{SOURCE}:14: image: {{static}}/images/missing.png: no such file in "
        "content/; check the file's name and folder",
    ]


def test_page_rules(scratch_content):
    (scratch_content / "pages" / "case.md").write_text(
        "Title: A Page\nSummary: Short.\nDate: 2026-01-01\n\nText.\n"
    )
    assert problems_for(scratch_content) == [
        "content/pages/case.md:3: date: unknown field; the fields are: image, "
        "image_alt, lang, modified, slug, status, summary, testimonials, title",
    ]


def test_page_and_article_slugs_share_one_namespace(scratch_content):
    (scratch_content / "pages" / "case.md").write_text(
        "Title: First Visit\nSlug: first-visit\n\nText.\n"
    )
    assert problems_for(scratch_content) == [
        "content/pages/case.md:2: slug: gives the address /first-visit/, already used "
        "by content/articles/first-visit.md; set another `Slug:`"
    ]


def test_slug_made_from_the_title_must_be_unique(scratch_content):
    write_article(
        scratch_content,
        ARTICLE.replace("Slug: valid-fixture\n", "").replace(
            "Title: A Valid Fixture Article", "Title: Older Notes"
        ),
    )
    assert problems_for(scratch_content) == [
        f"{SOURCE}:1: title: gives the address /older-notes/, already used by "
        "content/articles/older-notes.md; set another `Slug:`"
    ]


def test_missing_taxonomy_file(scratch_content):
    (scratch_content / "taxonomy.yaml").unlink()
    assert problems_for(scratch_content) == [
        "content/taxonomy.yaml: is missing; create it with `categories:`, `tags:` and "
        "`authors:` lists (see docs/writing.md)"
    ]


def test_taxonomy_rules(scratch_content):
    (scratch_content / "taxonomy.yaml").write_text(
        "categories: [Research, Research, Mental health]\nauthors: Fixture Writer\n"
        "colours: [blue]\n"
    )
    problems = problems_for(scratch_content)
    # The articles are judged against what reads too (it lists no tags).
    assert [p for p in problems if p.startswith("content/taxonomy.yaml")] == [
        "content/taxonomy.yaml:3: colours: unknown field; the fields are: authors, "
        "categories, tags",
        "content/taxonomy.yaml:2: authors: expected a list, each item text or a "
        "set of fields, got 'Fixture Writer'",
    ]


def test_all_problems_of_all_files_come_together(scratch_content):
    write_article(scratch_content, ARTICLE.replace("Category: Research", "Category: X"))
    write_article(
        scratch_content, ARTICLE.replace("Date: 2026-02-01", "Date: soon"), "b.md"
    )
    (scratch_content / "testimonials" / "bad.yaml").write_text("id: [unclosed\n")
    problems = problems_for(scratch_content)
    assert [p.split(": ", 2)[:2] for p in problems] == [
        ["content/testimonials/bad.yaml:2", "cannot be read as `field"],
        ["content/articles/b.md:2", "date"],
        # b.md's date has a problem, yet its other rules are checked in the
        # same run: it repeats writers-case.md's slug (and sorts first).
        ["content/articles/b.md:7", "slug"],
        ["content/articles/writers-case.md:5", "category"],
    ]


def test_make_check_prints_problems_and_exits_non_zero(scratch_content):
    write_article(
        scratch_content, ARTICLE.replace("Category: Research", "Category: Reserch")
    )
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--content", str(scratch_content)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert (
        f"{SOURCE}:5: category: 'Reserch' is not a known category; did you mean "
        "'Research'?" in result.stderr
    )
    assert (
        "1 problem to fix in 1 file (7 articles, 1 page and 3 testimonials checked in"
        in result.stderr
    )
    assert "Traceback" not in result.stderr


def test_misspelt_required_field_is_named_with_a_suggestion(scratch_content):
    write_article(
        scratch_content, ARTICLE.replace("Category: Research", "Catgory: Research")
    )
    assert problems_for(scratch_content) == [
        f"{SOURCE}:5: catgory: unknown field; did you mean 'category'? the fields are: "
        "author, category, date, editorial_questions, image, image_alt, lang, "
        "last_reviewed, modified, reviewed_by, reviewed_text, slug, status, summary, "
        "tags, "
        "testimonials, title",
        f"{SOURCE}: category: missing required field; add `Category: …`",
    ]


def test_field_tables_in_the_documentation_match_the_schema():
    for name in DOCUMENTS_WITH_FIELD_TABLES:
        text = (ROOT / name).read_text()
        assert "<!-- fields: " in text, name
        assert render_tables(text) == text, f"{name} is stale: run `invoke docs`"


def run_check(project: Path, *arguments: str) -> tuple[int, list[str]]:
    result = invoke(project, "check", *arguments)
    assert "Traceback" not in result.stderr
    return result.returncode, result.stderr.splitlines()


def test_make_check_puts_the_problems_first_and_the_advice_apart(project_copy):
    content = project_copy / "content"
    write_article(
        content,
        ARTICLE.replace("Category: Research", "Category: Reserch").replace(
            "Some text.", "Relief is guaranteed."
        ),
    )
    invoke(project_copy, "new-article", "Still A Draft")
    invoke(project_copy, "new-testimonial", "--id", "new-patient")
    code, lines = run_check(project_copy)
    assert code == 1
    assert lines[0] == "1 problem to fix:"
    assert lines[1].startswith(f"error: {SOURCE}:5: category: 'Reserch' is not a")
    headings = [line for line in lines if line and not line.startswith(" ")][2:]
    headings = [
        h
        for h in headings
        if not h.startswith(
            ("error:", "todo:", "withheld:", "warning:", "readability:")
        )
    ]
    assert [h.split(",")[0] for h in headings] == [
        "To fill in before publishing",
        "Shown in previews only",
        "Editorial report (advisory",
        "Readability (advisory",
        "1 problem to fix in 1 file (8 articles",
    ]
    todos = [line for line in lines if line.startswith("todo:")]
    assert "todo: content/articles/still-a-draft.md:3: summary: still holds" in todos[0]
    assert [t.split(": ")[1].split(":")[0] for t in todos] == [
        *["content/articles/still-a-draft.md"] * 4,
        *["content/testimonials/new-patient.yaml"] * 10,
    ]
    assert any(
        line.startswith("withheld: content/testimonials/new-patient.yaml:")
        for line in lines
    )


def test_make_check_only_shows_the_files_named(project_copy):
    content = project_copy / "content"
    write_article(content, ARTICLE.replace("Category: Research", "Category: Reserch"))
    invoke(project_copy, "new-article", "Still A Draft")
    code, lines = run_check(project_copy, "--only", "content/articles/still-a-draft.md")
    assert code == 1
    shown = [line for line in lines if line.startswith(("error:", "todo:", "warning:"))]
    assert shown
    assert all("content/articles/still-a-draft.md" in line for line in shown)
    assert (
        "and 1 problem in other files: run the same command without ONLY to see them."
        in lines
    )


def test_ci_job_summary_lists_content_problems_in_writers_words(project_copy, tmp_path):
    content = project_copy / "content"
    write_article(content, ARTICLE.replace("Category: Research", "Category: Reserch"))
    summary = tmp_path / "summary.md"
    summary.write_text("earlier steps' summary\n")
    result = invoke(project_copy, "check", "--publish", "--summary", str(summary))
    assert result.returncode == 1
    written = summary.read_text()
    assert written.startswith("earlier steps' summary\n### Content check\n")
    assert "**1 problem to fix** before this can be published." in written
    assert (
        f"- {SOURCE}:5: category: 'Reserch' is not a known category; did you mean "
        "'Research'?" in written
    )
    assert "Traceback" not in written + result.stderr


def test_make_check_only_refuses_a_name_that_is_no_file(project_copy):
    code, lines = run_check(project_copy, "--only", "articles/older-notes.md")
    assert code == 2
    assert lines == [
        "error: ONLY names 'articles/older-notes.md', which is not a file; give "
        "paths from the top of the repository, e.g. content/articles/my-article.md"
    ]
