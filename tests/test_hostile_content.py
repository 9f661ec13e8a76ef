"""Hostile content, as a pull request from a stranger could bring it.

Every case is refused by the check with its file named (and its line, where
there is one), or rendered inert by the one reader: never published as it
is, never a traceback. The cases reproduce the hostile-input probe of the
issue "Nothing unsafe reaches the site" and go beyond it.
"""

from __future__ import annotations

import os
from pathlib import Path

from content_schema import check_content
from pelican import Pelican
from pelican.readers import BaseReader, Readers
from pelican.settings import read_settings
from PIL import Image
import pytest
from sanitize import SafeMarkdownReader

from tests.support import DEV_SETTINGS, FIXTURE_CONTENT, disconnect_plugins
from tests.test_content_check import ARTICLE

SOURCE = "content/articles/writers-case.md"
REFUSED = "content-that-is-refused"


def problems_for(content: Path):
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    return check_content(settings).problems


def article_problems(content: Path, old: str, new: str):
    """Write the valid article with `old` replaced by `new`; return the problems."""
    (content / "articles" / "writers-case.md").write_text(ARTICLE.replace(old, new))
    return problems_for(content)


def refused(problems, source: str, line: int | None = None) -> bool:
    """Whether a problem names `source` (at `line`, when given)."""
    return any(
        p.source == source and (line is None or p.line == line) for p in problems
    )


# --- Files that must never be published -------------------------------------------


def _symlink(target: str):
    def make(content: Path, name: str) -> None:
        (content / name).symlink_to(target)

    return make


def _write(data: bytes = b"x"):
    def make(content: Path, name: str) -> None:
        (content / name).write_bytes(data)

    return make


def _image(size: tuple[int, int], mode: str = "1"):
    def make(content: Path, name: str) -> None:
        Image.new(mode, size).save(content / name)

    return make


def _image_as(size: tuple[int, int], kind: str):
    def make(content: Path, name: str) -> None:
        Image.new("RGB", size).save(content / name, format=kind)

    return make


def _linked_folder(content: Path, name: str) -> None:
    (content / name).symlink_to("/etc", target_is_directory=True)


FILE_CASES = {
    "symlink to /etc/passwd in extra": ("extra/passwd", _symlink("/etc/passwd")),
    "symlinked png in images": ("images/photo.png", _symlink("/etc/passwd")),
    "symlinked folder in images": ("images/etc", _linked_folder),
    "symlink to .ssh": ("extra/keys", _symlink("/root/.ssh")),
    "hidden file in extra": ("extra/.env", _write(b"SECRET=1")),
    "hidden file in images": ("images/.DS_Store", _write()),
    "script in extra": ("extra/x.js", _write(b"alert(1)")),
    "html in extra": ("extra/page.html", _write(b"<script>alert(1)</script>")),
    "svg in extra": ("extra/logo.svg", _write(b"<svg><script>alert(1)</script></svg>")),
    "svg in images": ("images/logo.svg", _write(b"<svg onload='alert(1)'/>")),
    "html in images": ("images/x.html", _write(b"<script>alert(1)</script>")),
    "exe in extra": ("extra/setup.exe", _write(b"MZ")),
    "html page": ("pages/about-us.html", _write(b"<html><title>x</title></html>")),
    "rst article": (
        "articles/notes.rst",
        _write(b"Title\n#####\n\n:date: 2026-01-01\n"),
    ),
    "htm article": ("articles/old.htm", _write(b"<html></html>")),
    "newline in a name": ("extra/a\ndata 0\nM 100644 inline index.html", _write()),
    "space in a name": ("images/my photo.png", _image((4, 4))),
    "quote in a name": ('extra/a"b.pdf', _write()),
    "long name": ("images/" + "a" * 120 + ".png", _image((4, 4))),
    "400 megapixel png": ("images/bomb.png", _image((20_000, 20_000))),
    "HTML saved as png": ("images/page.png", _write(b"<script>alert(1)</script>")),
    "HTML saved as jpg": ("images/page.jpg", _write(b"<html><body>x</body></html>")),
    "a GIF named png": ("images/moving.png", _image_as((4, 4), "GIF")),
    "a PNG named jpeg": ("images/photo.jpeg", _image_as((4, 4), "PNG")),
    "50 megapixel png": ("images/huge.png", _image((10_000, 5_000))),
}


@pytest.mark.parametrize("case", FILE_CASES.values(), ids=FILE_CASES.keys())
def test_files_that_must_not_be_published_are_refused(scratch_content, case):
    name, make = case
    (scratch_content / name).parent.mkdir(parents=True, exist_ok=True)
    make(scratch_content, name)
    problems = problems_for(scratch_content)
    assert refused(problems, f"content/{name}"), problems
    assert all(p.topic == REFUSED for p in problems if p.source == f"content/{name}")


def test_a_safe_image_and_a_leaflet_pass(scratch_content):
    _image((1200, 800), "RGB")(scratch_content, "images/safe-photo.jpg")
    (scratch_content / "extra").mkdir(exist_ok=True)
    (scratch_content / "extra" / "leaflet.pdf").write_bytes(b"%PDF-1.4\n")
    assert problems_for(scratch_content) == []


# --- Text that must not run, load or escape ---------------------------------------

BODY_CASES = {
    "script": "<script>alert(1)</script>",
    "script from the site": '<script src="/extra/x.js"></script>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "object": '<object data="x.swf"></object>',
    "embed": '<embed src="x.swf">',
    "form": '<form action="https://evil.example"><input name="q"></form>',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "base": '<base href="https://evil.example/">',
    "link": '<link rel="stylesheet" href="https://evil.example/x.css">',
    "style": "<style>body{display:none}</style>",
    "inline svg": "<svg><script>alert(1)</script></svg>",
    "math": "<math><mtext>x</mtext></math>",
    "onclick": '<span onclick="alert(1)">x</span>',
    "onerror": '<img src="x.png" alt="x" onerror="alert(1)">',
    "onmouseover upper case": '<p ONMOUSEOVER="alert(1)">x</p>',
    "javascript link": '<a href="javascript:alert(1)">x</a>',
    "javascript link, spaced": '<a href = " javascript:alert(1)">x</a>',
    "vbscript link": '<a href="vbscript:msgbox(1)">x</a>',
    "data link": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "remote image, Markdown": "![A chart](https://evil.example/pixel.png)",
    "remote image, protocol-relative": "![A chart](//evil.example/pixel.png)",
    "remote image, HTML": '<img src="https://evil.example/pixel.png" alt="a">',
    "remote srcset": '<img src="x.png" srcset="https://evil.example/a.png 2x" alt="a">',
    "remote video": '<video src="https://evil.example/v.mp4"></video>',
    "textarea": "<textarea>x</textarea>",
    "button": "<button>x</button>",
    "template": "<template><script>alert(1)</script></template>",
    "noscript": "<noscript><img src=x></noscript>",
}


@pytest.mark.parametrize("html", BODY_CASES.values(), ids=BODY_CASES.keys())
def test_body_html_that_could_run_or_load_is_refused_by_line(scratch_content, html):
    problems = article_problems(scratch_content, "Some text.", f"Some text.\n\n{html}")
    assert refused(problems, SOURCE, 11), problems


@pytest.mark.parametrize("html", BODY_CASES.values(), ids=BODY_CASES.keys())
def test_the_reader_leaves_nothing_that_runs_or_loads(tmp_path, html):
    content, _metadata = read_with_the_safe_reader(
        tmp_path, f"Title: Case\n\nBefore\n\n{html}\n\nAfter\n"
    )
    cleaned = content.lower()
    for dangerous in (
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<form",
        "<meta",
        "<base",
        "<link",
        "<style",
        "<svg",
        "<video",
        "javascript:",
        "vbscript:",
        "data:",
        "evil.example",
        "onclick",
        "onerror",
        "onmouseover",
    ):
        assert dangerous not in cleaned, cleaned
    assert "before" in cleaned
    assert "after" in cleaned


def test_a_summary_cannot_redirect_the_list_pages(scratch_content):
    problems = article_problems(
        scratch_content,
        "Summary: A fixture article",
        'Summary: <meta http-equiv="refresh" content="0;url=https://evil.example">'
        "A fixture article",
    )
    assert refused(problems, SOURCE, 3)


def read_with_the_safe_reader(tmp_path: Path, text: str):
    path = tmp_path / "case.md"
    path.write_text(text)
    settings = read_settings(str(DEV_SETTINGS))
    return SafeMarkdownReader(settings).read(str(path))


def test_the_reader_makes_titles_plain_text_and_summaries_inert(tmp_path):
    content, metadata = read_with_the_safe_reader(
        tmp_path,
        "Title: Dose <0.5 mg/kg & the <b>bold</b> <script>x</script>\n"
        'Summary: Short <img src="x" onerror="alert(1)"> text\n\n'
        '<p onclick="x()">Body</p>\n',
    )
    assert metadata["title"] == (
        "Dose &lt;0.5 mg/kg &amp; the &lt;b&gt;bold&lt;/b&gt; "
        "&lt;script&gt;x&lt;/script&gt;"
    )
    assert "onerror" not in metadata["summary"]
    assert "onclick" not in content
    assert "Body" in content


def test_only_the_safe_reader_reads_and_only_markdown(tmp_path):
    """No installed reader plugin, nor Pelican's own, reads what the check did not."""

    class SneakyReader(BaseReader):  # as an installed plugin would define one
        enabled = True
        file_extensions = ("md", "txt")

    settings = read_settings(str(DEV_SETTINGS))
    try:
        Pelican(settings)  # registers the listed plugins, as every build does
        readers = Readers(settings)
    finally:
        del SneakyReader
        disconnect_plugins()
    classes = {ext: type(reader) for ext, reader in readers.readers.items()}
    assert classes == {
        "md": SafeMarkdownReader,
        "markdown": SafeMarkdownReader,
        "mkd": SafeMarkdownReader,
        "mdown": SafeMarkdownReader,
        "static": BaseReader,
    }


# --- Links out of content/ ----------------------------------------------------------

OUTSIDE_CASES = {
    "attach to /proc": "[x]({attach}../../../../../../../proc/self/environ)",
    "attach to .git/config": "[x]({attach}../../.git/config)",
    "static from the root, up": "[x]({static}/../../../etc/passwd)",
    "filename up and out": "[x]({filename}../../../../etc/hostname)",
    "image up and out": "![A file](../../../../../etc/passwd)",
    "html image up and out": '<img src="../../../../../etc/passwd" alt="x">',
}


@pytest.mark.parametrize("link", OUTSIDE_CASES.values(), ids=OUTSIDE_CASES.keys())
def test_links_out_of_content_are_refused(scratch_content, link):
    problems = article_problems(scratch_content, "Some text.", f"Some text.\n\n{link}")
    assert any(
        p.source == SOURCE and p.line == 11 and "outside content/" in p.message
        for p in problems
    ), problems


def test_a_link_through_a_symlink_is_refused(scratch_content):
    (scratch_content / "images" / "innocent.png").symlink_to("/etc/passwd")
    problems = article_problems(
        scratch_content, "Some text.", "![A chart]({static}/images/innocent.png)"
    )
    assert refused(problems, "content/images/innocent.png")
    assert refused(problems, SOURCE, 9)


def test_a_share_image_out_of_content_is_refused(scratch_content):
    problems = article_problems(
        scratch_content,
        "Slug: valid-fixture",
        "Slug: valid-fixture\nImage: {static}/../../../etc/passwd\nImage_alt: x",
    )
    assert refused(problems, SOURCE, 8)


# --- Headers that the check and Pelican could read differently ----------------------

HEADER_CASES = {
    "form feed then Save_as": "Tags: PTSD\x0c\nSave_as: index.html",
    "next line then Save_as": "Tags: PTSD\x85\nSave_as: index.html",
    "line separator then Save_as": "Tags: PTSD\u2028\nSave_as: 404.html",
    "paragraph separator": "Tags: PTSD\u2029first visit",
    "vertical tab": "Tags: PTSD\x0bfirst visit",
    "NUL": "Tags: PTSD\x00",
    "Save_as": "Tags: PTSD\nSave_as: index.html",
    "Url": "Tags: PTSD\nUrl: testimonials/",
    "Template": "Tags: PTSD\nTemplate: ../../etc/passwd",
    "Status skip": "Tags: PTSD\nStatus: skip",
    "Slug traversal": "Tags: PTSD\nSlug: ../../index",
}


@pytest.mark.parametrize("header", HEADER_CASES.values(), ids=HEADER_CASES.keys())
def test_headers_that_could_be_read_two_ways_are_refused(scratch_content, header):
    problems = article_problems(scratch_content, "Tags: PTSD, first visit", header)
    assert refused(problems, SOURCE), problems


# --- Addresses the site owns, and limits ----------------------------------------------


@pytest.mark.parametrize(
    "slug", ["pagefind", "previews", "search", "theme", "tag", "extra", "_preview"]
)
def test_a_slug_the_build_owns_is_refused(scratch_content, slug):
    problems = article_problems(scratch_content, "Slug: valid-fixture", f"Slug: {slug}")
    assert refused(problems, SOURCE, 7)


def test_a_360_character_slug_is_refused_before_it_names_a_file(scratch_content):
    # A long title is capped (tests/test_slugs.py); a long `Slug:` is the writer's.
    slug = "-".join(["ketamine"] * 40)
    (scratch_content / "articles" / "writers-case.md").write_text(
        ARTICLE.replace("Slug: valid-fixture", f"Slug: {slug}")
    )
    problems = problems_for(scratch_content)
    assert any(p.line == 7 and "shorter `Slug:`" in p.message for p in problems)


@pytest.mark.parametrize("name", ["articles/huge.md", "testimonials/huge.yaml"])
def test_a_text_file_over_a_megabyte_is_refused_unread(scratch_content, name):
    (scratch_content / name).write_text("x" * 2_000_001)
    problems = problems_for(scratch_content)
    assert any(p.source == f"content/{name}" and "MB" in p.message for p in problems)


YAML_CASES = {
    "billion laughs": "\n".join(
        ["id: x", 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        + [
            f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]"
            for n in range(8)
        ]
    ),
    "an alias": "id: *x\n",
    "an anchor": "id: &x ana\n",
    "5000 nested brackets": "id: " + "[" * 5000,
    "5000 nested braces": "id: " + "{a: " * 5000,
    "deep block lists": "id:\n" + "".join("  " * n + "-\n" for n in range(1, 60)),
}


@pytest.mark.parametrize("text", YAML_CASES.values(), ids=YAML_CASES.keys())
def test_yaml_that_multiplies_or_nests_is_refused(scratch_content, text):
    (scratch_content / "testimonials" / "hostile.yaml").write_text(text)
    problems = problems_for(scratch_content)
    assert refused(problems, "content/testimonials/hostile.yaml"), problems


def test_a_file_a_rule_crashes_on_is_named_and_the_rest_is_checked(
    scratch_content, monkeypatch
):
    from content_schema import check  # noqa: PLC0415 - patched here only

    def crash(*_arguments):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(check, "heading_problems", crash)
    problems = article_problems(
        scratch_content, "Category: Research", "Category: Reserch"
    )
    named = {p.source for p in problems if "please report it" in p.message}
    assert SOURCE in named
    assert len(named) == len(list((scratch_content / "articles").glob("*.md"))) + len(
        list((scratch_content / "pages").glob("*.md"))
    )


def test_the_fixture_has_no_symlinks():
    """The cases above add their own; the fixture itself stays plain files."""
    assert not [p for p in FIXTURE_CONTENT.rglob("*") if os.path.islink(p)]
