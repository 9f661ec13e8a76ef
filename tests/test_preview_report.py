"""The pull-request comment: pages changed, testimonials touched, content warnings."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

from content_schema import check_content
from pelican.settings import read_settings
import pytest

from deploy.preview_report import MARKER, Change, changed_files, preview_report
from tests.support import DEV_SETTINGS, FIXTURE_CONTENT, PUBLISH_SETTINGS

PREVIEW = "https://clinic.github.io/blog/previews/pr-12"
TODAY = dt.date(2026, 11, 29)


@pytest.fixture(scope="module")
def fixture_check():
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(FIXTURE_CONTENT)})
    return check_content(settings, today=TODAY)


def section(report: str, title: str) -> list[str]:
    """Return the lines of one `#### title` section of the report."""
    lines = report.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"#### {title}"))
    body = []
    for line in lines[start + 2 :]:
        if line.startswith("#### "):
            break
        if line:
            body.append(line)
    return body


def test_report_links_each_changed_page_in_the_preview(fixture_check):
    report = preview_report(
        [
            Change("M", "content/articles/first-visit.md"),
            Change("A", "content/articles/second-opinion.md"),
            Change("R", "content/pages/about.md", "content/pages/old-about.md"),
            Change("D", "content/articles/gone.md"),
            Change("A", "content/articles/unfinished-draft.md"),
            Change("M", "content/articles/scheduled-post.md"),
            Change("M", "README.md"),
        ],
        fixture_check,
        PREVIEW,
        today=TODAY,
    )
    assert report.startswith(MARKER + "\n")
    assert f"**{PREVIEW}/**" in report
    assert section(report, "Pages changed") == [
        f"- [What to Expect at a First Visit]({PREVIEW}/first-visit/): edited",
        f"- [Asking for a Second Opinion]({PREVIEW}/asking-for-a-second-opinion/): new",
        f"- [About This Fixture]({PREVIEW}/about/): renamed",
        "- `content/articles/gone.md`: removed; its address will say not found",
        "- `content/articles/unfinished-draft.md`: a draft, not in the published site",
        f"- [Scheduled Post]({PREVIEW}/scheduled-post/): scheduled for 2099-01-01, "
        "so not in this preview yet",
    ]


def test_report_names_touched_testimonials_and_where_they_show(fixture_check):
    report = preview_report(
        [
            Change("M", "content/testimonials/ana-fixture.yaml"),
            Change("D", "content/testimonials/old.yaml"),
            Change("M", "content/testimonials/README.md"),
        ],
        fixture_check,
        PREVIEW,
        today=TODAY,
    )
    assert section(report, "Testimonials touched") == [
        "- `ana-fixture` (`content/testimonials/ana-fixture.yaml`, consent "
        "obtained): edited; shown on "
        f"[What to Expect at a First Visit]({PREVIEW}/first-visit/), "
        f"[Testimonials]({PREVIEW}/testimonials/)",
        "- `content/testimonials/old.yaml`: removed",
    ]
    assert section(report, "Pages changed") == ["No article or page changed."]


def test_report_says_when_the_theme_changes_every_page(fixture_check):
    report = preview_report(
        [Change("M", "theme/static/css/tokens.css"), Change("M", "pelicanconf.py")],
        fixture_check,
        PREVIEW,
        today=TODAY,
    )
    assert section(report, "Pages changed") == [
        "- The pelicanconf.py, theme changed too: every page may look different, "
        "so look at a few."
    ]


def test_report_lists_the_content_warnings(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    article = content / "articles" / "older-notes.md"
    article.write_text(
        article.read_text().replace(
            "Category:", "Editorial_questions: Is the <dose> right?\nCategory:", 1
        )
    )
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    report = preview_report([], check_content(settings, today=TODAY), PREVIEW)
    assert section(report, "Content warnings") == [
        "- content/articles/older-notes.md:5: editorial\\_questions: open question: "
        "Is the \\<dose\\> right?"
    ]


def test_no_warnings_is_said_plainly(fixture_check):
    assert fixture_check.warnings == []
    report = preview_report([], fixture_check, PREVIEW, today=TODAY)
    assert section(report, "Content warnings") == ["None."]


def test_writers_text_cannot_become_markup_in_the_comment(fixture_check):
    changed = fixture_check.items[0]
    tricky = type(changed)(**{**changed.__dict__, "title": "[x](https://evil.example)"})
    result = type(fixture_check)(items=[tricky])
    report = preview_report([Change("M", tricky.source)], result, PREVIEW, today=TODAY)
    assert section(report, "Pages changed") == [
        f"- [\\[x\\](https://evil.example)]({PREVIEW}/first-visit/): edited"
    ]


def test_publish_rules_problems_are_listed_first(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    (content / "testimonials" / "ben-fixture.yaml").write_text(
        (content / "testimonials" / "ben-fixture.yaml")
        .read_text()
        .replace("status: obtained", "status: pending")
    )
    ana = content / "testimonials" / "ana-fixture.yaml"
    ana.write_text(ana.read_text().replace("name: Ana", "name: TO FILL IN"))
    settings = read_settings(str(PUBLISH_SETTINGS), override={"PATH": str(content)})
    report = preview_report([], check_content(settings, today=TODAY), PREVIEW)
    assert report.index("Problems that block publishing") < report.index("left out")
    assert section(report, "Problems that block publishing") == [
        "- content/testimonials/ana-fixture.yaml:2: name: still reads as the "
        "scaffold wrote it; write the name the patient agreed to show"
    ]
    (withheld,) = section(
        report,
        "Testimonials left out of the site until their consent allows it "
        "(the rest publishes)",
    )
    assert withheld.startswith(
        "- content/testimonials/ben-fixture.yaml:8: consent: consent is still 'pending'"
    )


def test_a_touched_testimonial_that_is_withheld_says_why(tmp_path):
    content = shutil.copytree(FIXTURE_CONTENT, tmp_path / "content")
    ben = content / "testimonials" / "ben-fixture.yaml"
    ben.write_text(ben.read_text().replace("status: obtained", "status: pending"))
    settings = read_settings(str(PUBLISH_SETTINGS), override={"PATH": str(content)})
    changes = [Change("M", "content/testimonials/ben-fixture.yaml")]
    report = preview_report(changes, check_content(settings, today=TODAY), PREVIEW)
    (line,) = section(report, "Testimonials touched")
    assert "**left out of the site**: consent is still 'pending'" in line
    assert "shown on" not in line


def test_changed_files_come_from_git(tmp_path):
    def git(*arguments):
        subprocess.run(
            ["git", "-c", "user.name=T", "-c", "user.email=t@example.org", *arguments],
            cwd=tmp_path,
            check=True,
            capture_output=True,
        )

    git("init", "-q", "-b", "main")
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.md").write_text("Title: A\n\n" + "words " * 50)
    (tmp_path / "content" / "b.md").write_text("Title: B\n")
    git("add", "-A")
    git("commit", "-qm", "base")
    git("checkout", "-qb", "pr")
    (tmp_path / "content" / "a.md").rename(tmp_path / "content" / "renamed.md")
    (tmp_path / "content" / "b.md").unlink()
    (tmp_path / "content" / "c.md").write_text("Title: C\n")
    git("add", "-A")
    git("commit", "-qm", "change")
    assert sorted(changed_files(tmp_path, "main"), key=lambda c: c.path) == [
        Change("D", "content/b.md"),
        Change("A", "content/c.md"),
        Change("R", "content/renamed.md", "content/a.md"),
    ]
