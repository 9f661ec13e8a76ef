"""`make import-wordpress`: a WordPress export becomes drafts that pass `make check`.

The export is tests/fixtures/wordpress/export.xml, written for these tests:
an image in a raw <div>, a caption shortcode around a remote image, [TOC], a
|filename| link, a category, a tag and an author the fixture taxonomy lacks,
a draft without a date, a page, a private post, non-ASCII text. Imports run
into a copy of the fixture site; the drafts are then checked and built.
"""

from __future__ import annotations

import re
import shlex

from bs4 import BeautifulSoup
from content_schema import check_content
from pelican.settings import read_settings
from PIL import Image
import pytest
import yaml

from tests.support import (
    DEV_SETTINGS,
    FIXTURES,
    build,
    invoke,
    text,
)
from tools.wordpress_import import ImportFailed, import_wordpress, render

EXPORT = FIXTURES / "wordpress" / "export.xml"
POST = "articles/cafe-conversations.md"
UNDATED_DRAFT = "articles/notes-on-integration-sessions.md"
PAGE = "pages/contact.md"


def problems_for(content):
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    return [str(problem) for problem in check_content(settings).problems]


def add_proposed_taxonomy(content, report) -> None:
    """Do what the report asks: add its YAML to taxonomy.yaml's lists."""
    taxonomy_file = content / "taxonomy.yaml"
    taxonomy = yaml.safe_load(taxonomy_file.read_text())
    for kind, names in yaml.safe_load(report.taxonomy_snippet()).items():
        taxonomy[kind] = [*taxonomy.get(kind, []), *names]
    taxonomy_file.write_text(yaml.safe_dump(taxonomy, allow_unicode=True))


def download_images(content, report) -> None:
    """Stand in for the report's curl lines: a real image at each named path."""
    for line in report.curl_lines():
        arguments = shlex.split(line)
        assert arguments[:3] == ["curl", "-L", "-o"]
        target = content.parent / arguments[3]
        Image.new("RGB", (4, 3), "white").save(target)  # format from the suffix


@pytest.fixture
def imported(scratch_content):
    return scratch_content, import_wordpress(EXPORT, scratch_content)


@pytest.mark.pandoc
def test_the_drafts_pass_the_check_once_taxonomy_and_images_are_added(imported):
    content, report = imported
    before = problems_for(content)
    assert any("'Wellbeing'" in p and "category" in p for p in before)
    assert any("waiting-room.jpg" in p and "no such file" in p for p in before)
    add_proposed_taxonomy(content, report)
    download_images(content, report)
    assert problems_for(content) == []


@pytest.mark.pandoc
def test_posts_and_pages_are_written_as_markdown_drafts(imported):
    content, report = imported
    assert sorted(p.relative_to(content).as_posix() for p in report.written) == [
        POST,
        UNDATED_DRAFT,
        PAGE,
    ]
    post = (content / POST).read_text(encoding="utf-8")
    header = post.split("\n\n", 1)[0].splitlines()
    assert header == [
        "Title: Café conversations: what patients ask first",
        "Date: 2024-01-02 10:00",
        "Summary: The questions patients ask first, gathered from conversations "
        "in the waiting room.",
        "Author: Jordan Example",
        "Category: Wellbeing",
        "Slug: cafe-conversations",
        "Status: draft",
        "Tags: questions, PTSD",
    ]
    assert "Status: draft" in (content / PAGE).read_text()
    assert not any(content.rglob("*.rst"))


@pytest.mark.pandoc
def test_migration_debris_is_converted(imported):
    content, _report = imported
    post = (content / POST).read_text(encoding="utf-8")
    assert "[TOC]" not in post
    assert "|filename|" not in post
    assert "|static|" not in post
    assert "<div" not in post
    assert "<figure" not in post
    assert "![A single pixel]({static}/images/pixel.png)\n" in post
    assert "]({filename}/articles/first-visit.md)" in post
    assert "({static}/images/waiting-room.jpg)" in post
    assert "*The waiting room, before the first visit*" in post
    assert "«¿qué pasa después?»" in post


@pytest.mark.pandoc
def test_the_built_draft_shows_images_and_links_not_their_markdown(imported):
    content, report = imported
    add_proposed_taxonomy(content, report)
    download_images(content, report)
    output = build(content, content.parent / "output")
    page = BeautifulSoup(
        (output / "drafts" / "cafe-conversations" / "index.html").read_text(),
        "html.parser",
    )
    article = page.find("article") or page.body
    assert "![" not in text(article)
    assert "[TOC]" not in text(article)
    sources = [img["src"] for img in article.find_all("img")]
    assert any("pixel" in src for src in sources)
    assert any("waiting-room" in src for src in sources)
    first_visit = article.find("a", string="what to expect at a first visit")
    assert first_visit["href"].rstrip("/").endswith("first-visit")


@pytest.mark.pandoc
def test_every_problem_is_reported_at_once(imported):
    _content, report = imported
    problems = "\n".join(report.problems)
    assert "“A private note”: not imported, its status in WordPress is private" in (
        problems
    )
    assert "“Notes on integration sessions”: had no date in WordPress" in problems
    assert "waiting-room.jpg) had no alt text" in problems
    assert report.proposed == {
        "categories": ["Wellbeing"],
        "tags": ["questions"],
        "authors": ["Jordan Example"],
    }


@pytest.mark.pandoc
def test_remote_images_are_listed_with_quoted_download_commands(imported):
    content, report = imported
    assert report.curl_lines() == [
        "curl -L -o content/images/waiting-room.jpg "
        "'https://old-blog.example/wp-content/uploads/2024/01/Waiting Room.jpg'",
        "curl -L -o content/images/notes-300x200.png "
        "https://old-blog.example/wp-content/uploads/notes-300x200.png",
    ]
    printed = render(report, content)
    assert report.curl_lines()[0] in printed
    assert "  categories:\n  - Wellbeing" in printed


@pytest.mark.pandoc
def test_an_existing_file_is_never_overwritten(scratch_content):
    (scratch_content / POST).write_text("Mine.\n")
    report = import_wordpress(EXPORT, scratch_content)
    assert (scratch_content / POST).read_text() == "Mine.\n"
    assert any(
        "cafe-conversations.md already exists; nothing was written" in problem
        for problem in report.problems
    )
    assert scratch_content / UNDATED_DRAFT in report.written


def test_a_file_that_is_not_an_export_is_refused_in_plain_words(tmp_path):
    not_export = tmp_path / "notes.xml"
    not_export.write_text("<notes><note>hello</note></notes>")
    with pytest.raises(ImportFailed, match="is not a WordPress export: export one"):
        import_wordpress(not_export, tmp_path)


@pytest.mark.pandoc
def test_the_task_says_why_and_fails_when_nothing_is_imported(project_copy):
    (project_copy / "empty.xml").write_text(
        EXPORT.read_text().split("<item>", 1)[0] + "</channel></rss>"
    )
    result = invoke(project_copy, "import-wordpress", "--file", "empty.xml")
    assert result.returncode == 1
    assert "Nothing was imported." in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    missing = invoke(project_copy, "import-wordpress", "--file", "missing.xml")
    assert missing.returncode == 1
    assert "missing.xml cannot be read" in missing.stdout + missing.stderr
    assert "Traceback" not in missing.stdout + missing.stderr


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        (
            ("<dc:creator><![CDATA[jdoe]]></dc:creator>", ""),
            "item 1 (“Café conversations: what patients ask first”) lacks <creator>",
        ),
        (
            ("2024-01-02 10:00:00]]></wp:post_date>", "2024-13-02]]></wp:post_date>"),
            "<wp:post_date> is not written YYYY-MM-DD HH:MM:SS",
        ),
    ],
)
def test_an_export_edited_by_hand_is_refused_in_plain_words(tmp_path, edit, says):
    broken = tmp_path / "export.xml"
    broken.write_text(EXPORT.read_text().replace(*edit, 1))
    with pytest.raises(ImportFailed, match=re.escape(says)):
        import_wordpress(broken, tmp_path)
