"""Prose shaped for the theme (plugins/sanitize/prose.py) and its stylesheets.

Unit tests of `shape_prose` on cleaned HTML, a build of the kitchen-sink
fixture (tests/fixtures/kitchen-sink/) read as a reader's browser parses it,
and the generated code-highlighting stylesheet kept in sync.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from pelican.settings import read_settings
import pytest
from sanitize import SafeMarkdownReader, clean_html
from sanitize.prose import shape_prose

from tests.support import (
    DEV_SETTINGS,
    KITCHEN_SINK_CONTENT,
    LANGUAGE_SETTINGS,
    Site,
    build,
    text,
    write_site,
)
from tests.test_html_valid import vnu_errors
from tools import code_css


def shaped(html: str) -> BeautifulSoup:
    result = shape_prose(clean_html(html), lambda n: f"Table {n}")
    return BeautifulSoup(result, "html.parser")


def test_every_pre_is_keyboard_reachable():
    soup = shaped("<pre><code>a</code></pre><div class='highlight'><pre>b</pre></div>")
    assert [pre.get("tabindex") for pre in soup.find_all("pre")] == ["0", "0"]


def test_a_writer_tabindex_is_not_kept_twice():
    soup = shaped('<pre tabindex="5">x</pre>')
    assert str(soup) == '<pre tabindex="0">x</pre>'


def test_tables_sit_in_named_scroll_regions():
    soup = shaped(
        "<table><tr><td>a</td></tr></table>"
        "<table><caption> Opening\n hours </caption><tr><td>b</td></tr></table>"
        "<table><tr><td>c</td></tr></table>"
    )
    regions = soup.select("div.table-scroll")
    assert [r.get("aria-label") for r in regions] == [
        "Table 1",
        "Opening hours",
        "Table 3",
    ]
    assert all(r["role"] == "region" and r["tabindex"] == "0" for r in regions)
    assert [len(r.find_all("table")) for r in regions] == [1, 1, 1]


def test_a_nested_table_gets_its_own_region_inside_the_outer_one():
    soup = shaped("<table><tr><td><table><tr><td>x</td></tr></table></td></tr></table>")
    outer = soup.find("div", class_="table-scroll")
    assert outer["aria-label"] == "Table 1"
    assert outer.find("div", class_="table-scroll")["aria-label"] == "Table 2"


def test_a_caption_label_is_escaped_text():
    soup = shaped('<table><caption>Doses &amp; "times" &lt;b&gt;</caption></table>')
    assert soup.div["aria-label"] == 'Doses & "times" <b>'
    assert soup.caption.b is None


def test_column_alignment_becomes_a_class():
    soup = shaped(
        '<table><tr><th align="center">a</th><td align="right" class="x">b</td>'
        '<td align="middle">c</td><td>d</td></tr></table>'
    )
    cells = soup.find_all(["th", "td"])
    assert [cell.get("class") for cell in cells] == [
        ["align-center"],
        ["x", "align-right"],
        None,  # not an alignment: dropped, like any obsolete align
        None,
    ]
    assert all(cell.get("align") is None for cell in cells)


def test_a_captioned_image_alone_in_its_paragraph_becomes_a_figure():
    soup = shaped('<p> <img src="a.jpg" alt="Hills" title="Dusk &amp; hills"> </p>')
    figure = soup.figure
    assert figure.img["alt"] == "Hills"
    assert figure.img.get("title") is None
    assert figure.figcaption.get_text() == "Dusk & hills"
    assert soup.p is None


@pytest.mark.parametrize(
    "html",
    [
        '<p><img src="a.jpg" alt="No title"></p>',
        '<p><img src="a.jpg" alt="x" title="  "></p>',
        '<p>Text and <img src="a.jpg" alt="x" title="t"></p>',
        '<p><img src="a.jpg" alt="x" title="t"> and text</p>',
        '<p><a href="/x"><img src="a.jpg" alt="x" title="t"></a></p>',
        '<p><img src="a.jpg" alt="x" title="t"><img src="b.jpg" alt="y"></p>',
        '<table><tr><td><p><img src="a.jpg" alt="x" title="t"></p></td></tr></table>',
    ],
    ids=["no title", "blank title", "text before", "text after", "link", "two", "cell"],
)
def test_other_images_stay_as_they_are(html):
    soup = shaped(html)
    assert soup.figure is None
    assert soup.img.get("title") in (None, "t", "  ")


def test_text_and_code_samples_stay_escaped():
    html = clean_html(
        "<p>a &lt;script&gt; &amp; b</p><pre><code>&lt;img src=x&gt;</code></pre>"
    )
    result = shape_prose(html, lambda n: "")
    assert "<script>" not in result
    assert "&lt;img src=x&gt;" in result
    assert BeautifulSoup(result, "html.parser").p.get_text() == "a <script> & b"


def test_text_without_code_tables_or_images_is_returned_untouched():
    html = "<p>Plain &amp; simple</p>"
    assert shape_prose(html, lambda n: "unused") is html


def test_the_kitchen_sink_article_has_every_component(kitchen_sink_site):
    body = kitchen_sink_site.soup("kitchen-sink/").select_one(".article__body")
    assert len(body.select(".highlight pre[tabindex='0']")) >= 4
    assert body.select(".highlight .k")  # highlighted with Pygments' classes
    assert [r["aria-label"] for r in body.select("div.table-scroll[role=region]")] == [
        "Table 1",
        "Table 2",
        "Opening hours",
    ]
    header = body.select_one("div.table-scroll thead tr")
    assert [th.get("class") for th in header.find_all("th")][:3] == [
        ["align-left"],
        ["align-center"],
        ["align-right"],
    ]
    figures = body.find_all("figure")
    assert len(figures) == 1
    assert figures[0].picture.img["alt"] == "Hills and a low sun at dusk"
    assert text(figures[0].figcaption) == "Light through a window, late in the day"
    assert body.select("div.footnote li a.footnote-backref")
    assert body.find("dl").find_all("dt")
    assert body.select("blockquote cite")


def test_an_uncaptioned_table_is_named_in_the_page_language(tmp_path):
    content = write_site(
        tmp_path / "content",
        {
            "articles/tabla.md": (
                "Title: Una tabla\nDate: 2026-01-01\n"
                "Summary: Un artículo de prueba con una tabla sin título, nada más.\n"
                "Author: Fixture Writer\nCategory: Research\nLang: es\n\n"
                "| a | b |\n|---|---|\n| 1 | 2 |\n"
            ),
            "taxonomy.yaml": (KITCHEN_SINK_CONTENT / "taxonomy.yaml").read_text(),
        },
    )
    site = Site(
        build(content, tmp_path / "output", LANGUAGE_SETTINGS=LANGUAGE_SETTINGS)
    )
    article = next(site.output.rglob("una-tabla/index.html"))
    soup = BeautifulSoup(article.read_text(encoding="utf-8"), "html.parser")
    assert soup.select_one("div.table-scroll")["aria-label"] == "Tabla 1"


def test_the_code_stylesheet_is_generated_from_its_pygments_styles():
    assert code_css.CODE_CSS.read_text() == code_css.render(), (
        "theme/static/css/components/code.css is stale: run `invoke code-css`"
    )


def test_dark_code_colours_override_every_light_one():
    css = code_css.render()
    light, dark = css.split("@media (prefers-color-scheme: dark)")
    light_selectors = {line.split("{")[0].strip() for line in light.splitlines()}
    dark_selectors = {line.split("{")[0].strip() for line in dark.splitlines()}
    assert ".highlight .k" in light_selectors
    assert {s for s in light_selectors if s.startswith(".highlight")} <= dark_selectors


def test_the_kitchen_sink_pages_are_valid_html(kitchen_sink_site):
    assert vnu_errors(kitchen_sink_site.output) == []


def test_a_reader_outside_a_build_still_names_tables(tmp_path):
    path = tmp_path / "table.md"
    path.write_text("Title: T\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n")
    content, _ = SafeMarkdownReader(read_settings(str(DEV_SETTINGS))).read(str(path))
    soup = BeautifulSoup(content, "html.parser")
    assert soup.select_one("div.table-scroll")["aria-label"] == "Table 1"
    assert soup.find_all("td")[1]["class"] == ["align-right"]
