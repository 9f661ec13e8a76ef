"""The check's rules for what a move from another blog leaves in a file.

Each message is held exactly by the mistakes table (tests/test_writer_mistakes.py);
these tests hold where the rules stop: code blocks, the end of an HTML block,
HTML that asks for Markdown, and that the advised fix builds.
"""

from __future__ import annotations

import shutil

from bs4 import BeautifulSoup
from content_schema import check_content
from pelican.settings import read_settings

from tests.support import DEV_SETTINGS, build
from tests.test_content_check import ARTICLE

SOURCE = "articles/writers-case.md"


def problems_with_text(content, body: str) -> list[str]:
    (content / SOURCE).write_text(f"{ARTICLE.rstrip()}\n\n{body}\n")
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    return [str(problem) for problem in check_content(settings).problems]


def test_debris_shown_in_a_code_block_is_not_reported(scratch_content):
    body = (
        "```markdown\n[TOC]\n<p>![A pixel]({static}/images/pixel.png)</p>\n"
        "[a](|filename|first-visit.md)\n```"
    )
    assert problems_with_text(scratch_content, body) == []


def test_an_image_on_a_later_line_of_an_html_block_is_reported(scratch_content):
    body = '<div class="wp-block-image">\n![A pixel]({static}/images/pixel.png)\n</div>'
    problems = problems_with_text(scratch_content, body)
    assert len(problems) == 1
    assert f"content/{SOURCE}:12: image: ![A pixel]" in problems[0]
    assert "inside an HTML block" in problems[0]


def test_an_image_after_the_html_block_ends_is_accepted(scratch_content):
    body = "<div>A caption.</div>\n\n![A pixel]({static}/images/pixel.png)"
    assert problems_with_text(scratch_content, body) == []


def test_an_html_block_that_asks_for_markdown_is_accepted(scratch_content):
    body = '<div markdown="1">\n![A pixel]({static}/images/pixel.png)\n</div>'
    assert problems_with_text(scratch_content, body) == []


def test_the_advised_fix_for_a_path_with_a_space_builds(scratch_content, tmp_path):
    images = scratch_content / "images"
    shutil.copy(images / "pixel.png", images / "my pixel.png")
    spaced = problems_with_text(
        scratch_content, "![A pixel]({static}/images/my pixel.png)"
    )
    assert any("rename the file without spaces and write" in p for p in spaced)
    (images / "my pixel.png").rename(images / "my-pixel.png")
    assert (
        problems_with_text(scratch_content, "![A pixel]({static}/images/my-pixel.png)")
        == []
    )
    output = build(scratch_content, tmp_path / "output")
    page = BeautifulSoup(
        (output / "valid-fixture" / "index.html").read_text(), "html.parser"
    )
    assert any("my-pixel" in img["src"] for img in page.find_all("img"))


def test_a_list_one_item_a_line_does_not_hide_the_fields_after_it(scratch_content):
    (scratch_content / SOURCE).write_text(
        ARTICLE.replace("Author: Fixture Writer", "Author:\n  - Fixture Writer")
    )
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(scratch_content)})
    problems = [str(p) for p in check_content(settings).problems]
    assert problems == [
        f"content/{SOURCE}:5: author: is written as a list, one item a line, which "
        "ends the front matter here; write `Author: Fixture Writer` on one line"
    ]


def test_a_typo_that_is_no_foreign_key_still_gets_the_closest_field(scratch_content):
    (scratch_content / SOURCE).write_text(ARTICLE.replace("Slug:", "Catgory: x\nSlug:"))
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(scratch_content)})
    [problem] = [str(p) for p in check_content(settings).problems]
    assert "unknown field; did you mean 'category'?" in problem
