"""`make import-wordpress`: a WordPress export becomes drafts that pass `make check`.

The export is tests/fixtures/wordpress/export.xml, written for these tests:
an image in a raw <div>, a caption shortcode around a remote image, [TOC], a
|filename| link, a category, a tag and an author the fixture taxonomy lacks,
a draft without a date, a page, a private post, non-ASCII text. Imports run
into a copy of the fixture site; the drafts are then checked and built.
Exports naming images at addresses that are not public web addresses (this
computer, a private network, a cloud's metadata service, file:, a password)
are written by the tests themselves (`write_export`).
"""

from __future__ import annotations

import html
import re
import shlex
import subprocess

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
from tools.wordpress_import import (
    ImportFailed,
    ImportReport,
    import_wordpress,
    render,
    web_address_problem,
)

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


# --- Addresses the download commands never name ------------------------------

# Public web addresses: each gets a curl command.
PUBLIC = [
    "https://old-blog.example/wp-content/uploads/photo.jpg",
    "http://93.184.215.14/wp-content/uploads/by-address.png",
    "https://[2606:4700::1]/uploads/by-ipv6.png",
    "https://bücher.example/uploads/umlaut.png",
]
# Everything else: no command, a line saying why.
NOT_PUBLIC = [
    "http://169.254.169.254/latest/meta-data/iam.jpg",
    "http://localhost:8080/private.jpg",
    "http://LOCALHOST./private.jpg",
    "http://admin.localhost/private.jpg",
    "http://printer.local/scan.jpg",
    "http://metadata.google.internal/computeMetadata/v1/token.jpg",
    "http://router.localdomain/status.jpg",
    "http://intranet/photo.jpg",
    "http://10.0.0.5/photo.jpg",
    "http://192.168.1.1/photo.jpg",
    "http://100.64.0.1/shared.jpg",
    "http://0.0.0.0/any.jpg",
    "http://[::1]/loopback.jpg",
    "http://[::ffff:127.0.0.1]/mapped.jpg",
    "http://[fe80::1%25eth0]/zone.jpg",
    "http://2130706433/decimal.jpg",
    "http://0x7f000001/hex.jpg",
    "http://0x7f.1/hex-short.jpg",
    "http://0177.0.0.1/octal.jpg",
    "http://127.1/short.jpg",
    "http://\uff11\uff12\uff17\u3002\uff10\u3002\uff10\u3002\uff11/full-width.jpg",
    "http://999.1.1.1/not-an-address.jpg",
    "file:///etc/passwd",
    "ftp://old-blog.example/uploads/photo.jpg",
    "data:image/png;base64,iVBORw0KGgo=",
    "http://user:secret@old-blog.example/photo.jpg",
    "http://old-blog.example@127.0.0.1/photo.jpg",
    "http://old-blog.example\\@127.0.0.1/photo.jpg",
    "http://%31%32%37.0.0.1/escaped.jpg",
    "http://old-blog.example:99999/photo.jpg",
    "http://[::1/unclosed.jpg",
    "https://old-blog.example/a\nb.jpg",
    "https://old-blog.example/\u202egpj.exe",
]


def write_export(folder, sources, base="https://old-blog.example"):
    """Write a one-post WordPress export whose post shows an image per source."""
    images = "\n".join(
        f'<p><img src="{html.escape(source).replace(chr(10), "&#10;")}" '
        f'alt="Image {number}" /></p>'
        for number, source in enumerate(sources, 1)
    )
    export = folder / "hostile.xml"
    export.write_text(
        f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
\txmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:wp="http://wordpress.org/export/1.2/">
<channel>
\t<title>Old clinic blog</title>
\t<link>{base}</link>
\t<wp:wxr_version>1.2</wp:wxr_version>
\t<wp:base_site_url>{base}</wp:base_site_url>
\t<item>
\t\t<title><![CDATA[Pictures from everywhere]]></title>
\t\t<dc:creator><![CDATA[jdoe]]></dc:creator>
\t\t<content:encoded><![CDATA[{images}]]></content:encoded>
\t\t<excerpt:encoded><![CDATA[]]></excerpt:encoded>
\t\t<wp:post_id>51</wp:post_id>
\t\t<wp:post_date><![CDATA[2024-02-01 09:00:00]]></wp:post_date>
\t\t<wp:post_name><![CDATA[pictures]]></wp:post_name>
\t\t<wp:status><![CDATA[publish]]></wp:status>
\t\t<wp:post_type><![CDATA[post]]></wp:post_type>
\t</item>
</channel>
</rss>
""",
        encoding="utf-8",
    )
    return export


def commanded(lines):
    """Return the address each curl command downloads (its last argument)."""
    return [shlex.split(line)[-1] for line in lines]


@pytest.mark.parametrize("url", PUBLIC)
def test_a_public_web_address_is_one_to_download(url):
    assert web_address_problem(url) is None


@pytest.mark.parametrize("url", NOT_PUBLIC)
def test_any_other_address_is_not_one_to_download(url):
    assert web_address_problem(url)


@pytest.mark.pandoc
def test_only_public_web_addresses_get_a_download_command(scratch_content):
    report = import_wordpress(
        write_export(scratch_content.parent, PUBLIC + NOT_PUBLIC), scratch_content
    )
    assert commanded(report.curl_lines()) == PUBLIC
    by_hand = report.by_hand_lines()
    assert len(by_hand) == len(NOT_PUBLIC)
    for line in by_hand:
        assert "is not a public web address" in line
        assert "no command is given for it" in line
        assert "download it there by hand only if it belongs" in line
        assert "curl" not in line
    # Each image still points where the writer is to put it by hand.
    post = (scratch_content / "articles" / "pictures.md").read_text(encoding="utf-8")
    for line in by_hand:
        name = line.split(":", 1)[0].removeprefix("content/images/")
        assert f"({{static}}/images/{name})" in post
    printed = render(report, scratch_content)
    commands = [line.strip() for line in printed.splitlines() if "curl " in line]
    assert commanded(commands) == PUBLIC
    assert all(f"  {line}" in printed for line in by_hand)


@pytest.mark.pandoc
def test_a_refused_address_is_shown_on_one_line_with_its_controls_visible(
    scratch_content,
):
    report = import_wordpress(
        write_export(scratch_content.parent, NOT_PUBLIC[-2:]), scratch_content
    )
    assert report.curl_lines() == []
    assert report.by_hand_lines() == [
        "content/images/ab.jpg: its address, https://old-blog.example/a\\nb.jpg, is "
        "not a public web address (it holds control or invisible characters), so "
        "no command is given for it. Check what it is, and download it there by "
        "hand only if it belongs in the article.",
        "content/images/gpj.exe: its address, "
        "https://old-blog.example/\\u202egpj.exe, is not a public web address (it "
        "holds control or invisible characters), so no command is given for it. "
        "Check what it is, and download it there by hand only if it belongs in the "
        "article.",
    ]
    printed = render(report, scratch_content)
    assert "\u202e" not in printed
    assert "Download the images" not in printed


@pytest.mark.pandoc
def test_an_old_site_on_this_computer_gives_its_images_no_command(scratch_content):
    export = write_export(
        scratch_content.parent,
        ["/wp-content/uploads/local.jpg", "//10.0.0.5/uploads/relative.jpg"],
        base="http://127.0.0.1:8080",
    )
    report = import_wordpress(export, scratch_content)
    assert report.downloads == {
        "local.jpg": "http://127.0.0.1:8080/wp-content/uploads/local.jpg",
        "relative.jpg": "https://10.0.0.5/uploads/relative.jpg",
    }
    assert report.curl_lines() == []
    assert [line.split(":", 1)[0] for line in report.by_hand_lines()] == [
        "content/images/local.jpg",
        "content/images/relative.jpg",
    ]


def test_a_pasted_download_command_runs_nothing_but_curl(tmp_path):
    hostile = (
        "https://old-blog.example/a$(touch made-1);touch made-2;`touch made-3`"
        "|touch made-4&&touch made-5>made-6 'q\"$HOME.jpg"
    )
    report = ImportReport(downloads={"a.jpg": hostile})
    (line,) = report.curl_lines()
    # Pasted into a shell whose `curl` only shows what it was given.
    pasted = subprocess.run(
        ["bash", "-c", f'curl() {{ printf "%s\\0" "$@"; }}\n{line}'],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert pasted.stdout.split("\0")[:-1] == [
        "-L",
        "-o",
        "content/images/a.jpg",
        hostile,
    ]
    assert list(tmp_path.iterdir()) == []
