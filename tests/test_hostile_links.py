"""Links that a second reading of the source would miss: every one is refused by name.

The cases are designed against one cause: a check that reads link syntax
from the Markdown with patterns of its own disagrees with Pelican and
Python-Markdown, and each disagreement is a way out of content/. So the cases
are written in every form the build's readers accept and a naive pattern
does not: each delimiter form of Pelican's intrasite pattern, character
references that nh3 decodes, percent encodings that Pelican decodes when it
looks a path up, fences that Python-Markdown and CommonMark read
differently, and every raw HTML attribute Pelican rewrites. Each is refused
by `make check`'s rules with its file and line named, never a traceback; a
sample from every family is also built, and the build refuses it the same
way and publishes nothing from outside content/.
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from content_schema import ContentError, check_content
from pelican.settings import read_settings
import pytest
from sanitize import SafeMarkdownReader, is_remote, srcset_urls

from tests.support import DEV_SETTINGS, build
from tests.test_content_check import ARTICLE

SOURCE = "content/articles/writers-case.md"
# Where the case's text starts in ARTICLE ("Some text." is line 9; a blank line).
FIRST_LINE = 11
SECRETS = ("../../pelicanconf.py", "../../../../../../proc/self/environ")


def _problems(content: Path, body: str, header: str = ""):
    article = ARTICLE.replace("Some text.", f"Some text.\n\n{body}")
    if header:
        article = article.replace(
            "Slug: valid-fixture", f"Slug: valid-fixture\n{header}"
        )
    (content / "articles" / "writers-case.md").write_text(article)
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    return check_content(settings).problems


def _refused_at(problems, line: int | None) -> bool:
    return any(
        p.source == SOURCE and (line is None or p.line == line) for p in problems
    )


# --- Every delimiter form Pelican's pattern accepts --------------------------------

FORMS = ("{%s}", "|%s|", "{%s|", "|%s}")
DELIMITER_CASES = {
    f"{form % what} {syntax} to {secret.rsplit('/', 1)[-1]}": (
        template.format(link=(form % what) + secret)
    )
    for form in FORMS
    for what in ("attach", "static", "filename")
    for secret in SECRETS
    for syntax, template in (
        ("markdown", "[x]({link})"),
        ("html", '<a href="{link}">x</a>'),
    )
}


@pytest.mark.parametrize("body", DELIMITER_CASES.values(), ids=DELIMITER_CASES.keys())
def test_every_delimiter_form_is_judged(scratch_content, body):
    problems = _problems(scratch_content, body)
    assert _refused_at(problems, FIRST_LINE), problems


# --- Character references and percent encodings ------------------------------------

ENCODED_CASES = {
    "named references": '<a href="{attach}&period;&period;/&period;&period;/X">x</a>',
    "decimal references": '<a href="{attach}&#46;&#46;/&#46;&#46;/X">x</a>',
    "hex references": '<a href="{attach}&#x2e;&#x2E;/&#x2e;&#x2e;/X">x</a>',
    "references for slashes": '<a href="{attach}..&sol;..&#47;X">x</a>',
    "references without semicolons": '<a href="{attach}&#46&#46/&#46&#46/X">x</a>',
    "reference in the delimiter": '<a href="&lbrace;attach}../../X">x</a>',
    "reference in Markdown": "[x]({attach}&#46;&#46;/&#46;&#46;/X)",
    "named reference in Markdown": "[x]({attach}&period;&period;/../X)",
    "image with references": '<img alt="a" src="{static}&#46;&#46;/&#46;&#46;/X">',
    "percent dots": "[x]({attach}%2e%2e/%2e%2e/X)",
    "percent dots, upper case": "[x]({attach}%2E%2E/%2E%2E/X)",
    "percent slash": "[x]({attach}..%2f..%2fX)",
    "percent in filename link": "[x]({filename}%2e%2e/%2e%2e/pelicanconf.py)",
    "percent image": "![a]({static}/%2e%2e/%2e%2e/X)",
    "percent from the root": "[x]({static}/%2E%2E/X)",
    "space as %20 up": "[x]({attach}..%20/../X)",
}


@pytest.mark.parametrize("body", ENCODED_CASES.values(), ids=ENCODED_CASES.keys())
def test_encoded_paths_are_judged_as_pelican_decodes_them(scratch_content, body):
    # A decoy beside the article: the literal text would resolve to it.
    (scratch_content / "articles" / "X").write_text("decoy")
    (scratch_content.parent / "X").write_text("the build machine's file")
    problems = _problems(scratch_content, body)
    assert _refused_at(problems, FIRST_LINE), problems


# --- Fences Python-Markdown and CommonMark read differently -------------------------

LEAK = "[c]({attach}../../pelicanconf.py)"
FENCE_CASES = {
    "unclosed backticks": (f"```\ncode\n\n{LEAK}", 14),
    "unclosed tildes": (f"~~~\ncode\n\n{LEAK}", 14),
    "four backticks closed by three": (f"````\ncode\n```\n\n{LEAK}", 15),
    "backticks closed by tildes": (f"```\ncode\n~~~\n\n{LEAK}", 15),
    "closed by a longer fence": (f"```\ncode\n````\n\n{LEAK}", 15),
    "indented opening fence": (f"  ```\ncode\n  ```\n\n{LEAK}", 15),
    "fence with a language, unclosed": (f"```python\nx = 1\n\n{LEAK}", 14),
    "link on the unclosed fence's next line": (f"```\n{LEAK}", 12),
    # Inert: Python-Markdown makes code of it, so there is no link to follow.
    "fence in a list item": (f"- item\n\n    ```\n    {LEAK}\n    ```", None),
    "a closed fence, then the link": (f"```\ncode\n```\n\n{LEAK}", 15),
}


@pytest.mark.parametrize("case", FENCE_CASES.values(), ids=FENCE_CASES.keys())
def test_a_link_the_build_would_resolve_is_judged_whatever_the_fences(
    scratch_content, case
):
    body, line = case
    problems = _problems(scratch_content, body)
    assert not any("could not be read" in p.message for p in problems)
    if line is None:
        assert "pelicanconf.py" not in " ".join(_attribute_values(scratch_content))
        assert problems == []
    else:
        assert _refused_at(problems, line), problems


def test_a_link_inside_a_closed_fence_is_code_and_not_a_link(scratch_content):
    assert _problems(scratch_content, f"```\n{LEAK}\n```") == []


# --- Raw HTML attributes that carry a URL ---------------------------------------------

ATTRIBUTE_CASES = {
    "a href": '<a href="{attach}../../pelicanconf.py">x</a>',
    "img src": '<img alt="a" src="{attach}../../pelicanconf.py">',
    "img src single quotes": "<img alt='a' src='{static}/../../pelicanconf.py'>",
    "q cite": '<q cite="{attach}../../pelicanconf.py">x</q>',
    "blockquote cite": '<blockquote cite="{attach}../../pelicanconf.py">x</blockquote>',
    "del cite": '<del cite="{attach}../../pelicanconf.py">x</del>',
    "ins cite": '<ins cite="{attach}../../pelicanconf.py">x</ins>',
    "upper-case attribute": '<a HREF="{attach}../../pelicanconf.py">x</a>',
    "spaces around =": '<a href = "{attach}../../pelicanconf.py">x</a>',
    "attribute on a second line": (
        '<a title="t"\nhref="{attach}../../pelicanconf.py">x</a>'
    ),
    "plain image up and out": '<img alt="a" src="../../../../etc/hostname">',
    "srcset candidate up and out": (
        '<img alt="a" src="/images/pixel.png" srcset="../../../../etc/hostname 2x">'
    ),
    "source srcset up and out": (
        '<picture><source srcset="../../../../etc/hostname">'
        '<img alt="a" src="/images/pixel.png"></picture>'
    ),
    "Markdown image up and out": "![a](../../../../etc/hostname)",
    "Markdown reference link": f"[x][leak]\n\n[leak]: {{attach}}{SECRETS[0]}",
    "Markdown autolink-like": "<{attach}../../pelicanconf.py>",
    "link title hides nothing": '[x]({attach}../../pelicanconf.py "a title")',
    "angle-bracket destination": "[x](<{attach}../../pelicanconf.py>)",
    "query after the path": "[x]({attach}../../pelicanconf.py?x=1)",
    "fragment after the path": "[x]({attach}../../pelicanconf.py#top)",
}


@pytest.mark.parametrize("body", ATTRIBUTE_CASES.values(), ids=ATTRIBUTE_CASES.keys())
def test_every_url_attribute_the_build_keeps_is_judged(scratch_content, body):
    problems = _problems(scratch_content, body)
    linked = " ".join(_attribute_values(scratch_content))
    if "pelicanconf" in linked or "hostname" in linked:
        assert _refused_at(problems, _line_holding(body, ("pelicanconf", "hostname")))
    else:
        # Markdown or the sanitiser made text of it: there is nothing to follow.
        assert problems == []


def _line_holding(body: str, texts: tuple[str, ...]) -> int:
    """Return the article line of the first line of `body` holding one of `texts`."""
    lines = body.split("\n")
    return FIRST_LINE + next(
        n for n, line in enumerate(lines) if any(text in line for text in texts)
    )


def _attribute_values(content: Path) -> list[str]:
    """Every attribute value of the article as the build's reader writes it."""
    rendered, _ = _read(content)
    return [
        str(value)
        for tag in BeautifulSoup(rendered, "html.parser").find_all(True)
        for value in tag.attrs.values()
    ]


def _read(content: Path):
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(content)})
    return SafeMarkdownReader(settings).read(
        str(content / "articles" / "writers-case.md")
    )


# --- Files that may not be copied, even inside content/ ------------------------------


def _hidden(content: Path) -> str:
    (content / "articles" / ".secret.png").write_bytes(b"x")
    return "![a]({attach}.secret.png)"


def _through_symlink(content: Path) -> str:
    (content / "articles" / "photos").symlink_to("/etc", target_is_directory=True)
    return "[x]({attach}photos/hostname)"


def _yaml(content: Path) -> str:
    return "[x]({attach}../testimonials/ana-fixture.yaml)"


def _taxonomy(content: Path) -> str:
    return "[x]({static}/taxonomy.yaml)"


def _source(content: Path) -> str:
    return "[x]({static}/pages/about.md)"


def _script(content: Path) -> str:
    (content / "articles" / "tool.js").write_text("alert(1)")
    return "[x]({attach}tool.js)"


def _html(content: Path) -> str:
    (content / "images" / "page.html").write_text("<script>alert(1)</script>")
    return "[x]({static}/images/page.html)"


COPY_CASES = {
    "a hidden file": _hidden,
    "a file through a linked folder": _through_symlink,
    "a testimonial file": _yaml,
    "the taxonomy": _taxonomy,
    "a page's source": _source,
    "a script beside the article": _script,
    "HTML in images": _html,
}


@pytest.mark.parametrize("make", COPY_CASES.values(), ids=COPY_CASES.keys())
def test_a_copy_of_an_undeclared_kind_or_name_is_refused(scratch_content, make):
    problems = _problems(scratch_content, make(scratch_content))
    assert _refused_at(problems, FIRST_LINE), problems


def test_a_pdf_and_an_image_beside_the_article_may_be_attached(scratch_content):
    (scratch_content / "articles" / "leaflet.pdf").write_bytes(b"%PDF-1.4\n")
    problems = _problems(
        scratch_content,
        "[The leaflet]({attach}leaflet.pdf) and ![A dot]({static}/images/pixel.png)",
    )
    assert problems == []


# --- Summaries and the share image ------------------------------------------------

HEADER_CASES = {
    "summary link up and out": 'Summary: <a href="{attach}../../pelicanconf.py">x</a>',
    "summary link, mixed delimiters": 'Summary: <a href="|attach}../../X">x</a>',
    "share image attach up and out": (
        "Image: {attach}../../pelicanconf.py\nImage_alt: a"
    ),
    "share image from the root, up": "Image: {static}/../../X\nImage_alt: a",
    "share image plain path up": "Image: ../../../../etc/hostname\nImage_alt: a",
}


@pytest.mark.parametrize("header", HEADER_CASES.values(), ids=HEADER_CASES.keys())
def test_links_in_the_header_are_judged_too(scratch_content, header):
    if header.startswith("Summary"):
        article = ARTICLE.replace(
            "Summary: A fixture article whose front matter passes every rule of the "
            "schema.",
            header,
        )
        (scratch_content / "articles" / "writers-case.md").write_text(article)
        settings = read_settings(
            str(DEV_SETTINGS), override={"PATH": str(scratch_content)}
        )
        problems = check_content(settings).problems
        assert _refused_at(problems, 3), problems
    else:
        assert _refused_at(_problems(scratch_content, "", header), 8)


# --- Remote resources in every attribute (browsers read \ as /) ---------------------

OWN_SOURCE = 'src="/images/pixel.png"'
REMOTE_CASES = {
    "srcset backslash host": (
        f'<img alt="a" {OWN_SOURCE} srcset="/\\evil.example/x 2x">'
    ),
    "srcset two backslashes": (
        f'<img alt="a" {OWN_SOURCE} srcset="\\\\evil.example/x 2x">'
    ),
    "srcset second candidate": (
        '<img alt="a" src="/images/pixel.png" '
        'srcset="/images/pixel.png 1x, https://evil.example/x.png 2x">'
    ),
    "srcset candidate after a tab": (
        f'<img alt="a" {OWN_SOURCE} '
        'srcset="/images/pixel.png 1x,\t//evil.example/x 2x">'
    ),
    "src backslash host": '<img alt="a" src="/\\evil.example/x.png">',
    "src two backslashes": '<img alt="a" src="\\\\evil.example/x.png">',
    "src leading space": '<img alt="a" src=" //evil.example/x.png">',
    "src with a tab in the slashes": '<img alt="a" src="/\t/evil.example/x.png">',
    "source srcset backslash": (
        '<picture><source srcset="/\\evil.example/x.webp">'
        '<img alt="a" src="/images/pixel.png"></picture>'
    ),
    "Markdown image backslash host": "![a](/\\evil.example/x.png)",
}


@pytest.mark.parametrize("html", REMOTE_CASES.values(), ids=REMOTE_CASES.keys())
def test_media_from_another_site_is_refused_and_removed(scratch_content, html):
    problems = _problems(scratch_content, html)
    assert _refused_at(problems, FIRST_LINE), problems
    loaded_from = [
        url
        for value in _attribute_values(scratch_content)
        for url in srcset_urls(value)
    ]
    assert not [url for url in loaded_from if is_remote(url)]


@pytest.mark.parametrize(
    "url",
    [
        "/\\evil.example/x",
        "\\\\evil.example/x",
        " //evil.example",
        "\t//e.example",
        "/\n/evil.example",
        "https://evil.example",
        "\x01//evil.example",
    ],
)
def test_addresses_a_browser_reads_as_another_host_are_remote(url):
    assert is_remote(url)


@pytest.mark.parametrize("url", ["/images/x.png", "x.png", "../images/x.png", "#top"])
def test_the_sites_own_addresses_are_not_remote(url):
    assert not is_remote(url)


# --- The build reads them the same way, and publishes nothing from outside ------------

BUILD_SAMPLES = {
    "attach, mixed delimiters": "[e]({attach|../../../../../../proc/self/environ)",
    "attach, other mixed delimiters": "[c](|attach}../../pelicanconf.py)",
    "static, pipes": "[c](|static|/../../pelicanconf.py)",
    "entity-encoded dots": '<a href="{attach}&period;&period;/../X">x</a>',
    "percent-encoded dots": "[x]({attach}%2e%2e/%2e%2e/X)",
    "after an unclosed fence": f"```\ncode\n\n{LEAK}",
    "q cite": '<q cite="{attach}../../pelicanconf.py">x</q>',
    "a testimonial file": "[x]({attach}../testimonials/ana-fixture.yaml)",
}


@pytest.mark.parametrize("body", BUILD_SAMPLES.values(), ids=BUILD_SAMPLES.keys())
def test_the_build_refuses_what_the_check_refuses(tmp_path, scratch_content, body):
    (scratch_content / "articles" / "X").write_text("decoy")
    (scratch_content.parent / "X").write_text("the build machine's file")
    checked = _problems(scratch_content, body)
    output = tmp_path / "output"
    with pytest.raises(ContentError) as refused:
        build(scratch_content, output)
    built = [p for p in refused.value.problems if p.source == SOURCE]
    assert built
    assert {(p.line, p.message) for p in built} <= {
        (p.line, p.message) for p in checked
    }
    published = {p.name for p in output.rglob("*")} if output.exists() else set()
    assert not published & {"pelicanconf.py", "environ", "X", "ana-fixture.yaml"}


def test_the_last_gate_names_a_copy_no_link_problem_explains(tmp_path, scratch_content):
    """A file the static generator would copy by another route is refused by name."""
    from content_schema.containment import copied_file_problems  # noqa: PLC0415

    class Copied:
        source_path = str(scratch_content.parent / "secret.env")

    problems = copied_file_problems([Copied()], scratch_content.resolve())
    assert [p.source for p in problems] == ["secret.env"]
    assert "outside content/" in problems[0].message


# --- What the sanitiser removes is named, never removed in silence ------------------

OBFUSCATED_CASES = {
    "tab inside javascript:": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "line feed inside javascript:": '<a href="jav&#10;ascript:alert(1)">x</a>',
    "javascript: as references": '<a href="&#106;&#97;vascript:alert(1)">x</a>',
    "javascript: named colon": '<a href="javascript&colon;alert(1)">x</a>',
    "data: image as references": '<img alt="a" src="&#100;ata:image/png;base64,AA">',
    "vbscript, mixed case": '<a href="VbScRiPt:msgbox(1)">x</a>',
    "http address (not https)": '<a href="http://example.org/">x</a>',
    "file address": '<a href="file:///etc/passwd">x</a>',
    "event attribute without quotes": "<p onclick=alert(1)>x</p>",
    "cite with javascript:": '<q cite="javascript:alert(1)">x</q>',
}


@pytest.mark.parametrize("html", OBFUSCATED_CASES.values(), ids=OBFUSCATED_CASES.keys())
def test_what_the_sanitiser_removes_is_named_at_its_line(scratch_content, html):
    problems = _problems(scratch_content, html)
    assert _refused_at(problems, FIRST_LINE), problems
    rendered, _ = _read(scratch_content)
    assert "script:" not in rendered.lower()
    assert "onclick" not in rendered


ADVICE_CASES = {
    "style attribute": ('<p style="color:red">x</p>', "style attribute"),
    "font tag": ('<font color="red">x</font>', "“font” tag"),
    "center tag": ("<center>x</center>", "“center” tag"),
}


@pytest.mark.parametrize("case", ADVICE_CASES.values(), ids=ADVICE_CASES.keys())
def test_markup_the_site_does_not_keep_is_named_as_advice(scratch_content, case):
    html, named = case
    (scratch_content / "articles" / "writers-case.md").write_text(
        ARTICLE.replace("Some text.", f"Some text.\n\n{html}")
    )
    settings = read_settings(str(DEV_SETTINGS), override={"PATH": str(scratch_content)})
    result = check_content(settings)
    assert result.problems == []
    assert any(
        w.source == SOURCE and w.line == FIRST_LINE and named in w.message
        for w in result.warnings
    ), result.warnings


def test_a_build_stopped_by_its_first_check_names_link_problems_in_the_same_run(
    tmp_path, scratch_content
):
    (scratch_content / "articles" / "writers-case.md").write_text(
        ARTICLE.replace("Category: Research", "Category: Reserch").replace(
            "Some text.",
            "Some text.\n\n[x]({attach|../../pelicanconf.py) "
            '<a href="javascript:x()">y</a>',
        )
    )
    with pytest.raises(ContentError) as refused:
        build(scratch_content, tmp_path / "output")
    named = [(p.line, p.field) for p in refused.value.problems if p.source == SOURCE]
    assert sorted(named) == [
        (5, "category"),
        (FIRST_LINE, "html"),
        (FIRST_LINE, "link"),
    ]
