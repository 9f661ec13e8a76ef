"""Prose HTML shaped for the theme, after the allow-list has cleaned it.

`shape_prose` takes HTML that `clean_html` returned (so well-formed, with no
`role`, `tabindex` or `style` anywhere) and adds what only the site may add:

- every `<pre>` gets `tabindex="0"`: a code block scrolls sideways inside
  itself, and a scrolling region must be reachable from the keyboard;
- every table sits in `<div class="table-scroll" role="region"
  aria-label="…" tabindex="0">`, a scroll container named by the table's
  caption, else by `table_label(n)` ("Table 2", in the page's language);
- a column alignment (Markdown's `|:--:|`, written as `align="center"`)
  becomes the class `align-center`: the policy allows no `style`, and
  `align` is obsolete HTML;
- an image alone in its paragraph with a title (`![alt](src "Caption")`)
  becomes `<figure><img …><figcaption>Caption</figcaption></figure>`; the
  title moves into the caption. Other images stay as they are.

Everything else is written back as it was parsed: text escaped, attributes
quoted. The result still holds only allowed tags, so the images plugin and
Typogrify read it as they read any cleaned HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

# Elements without an end tag (what nh3 may return).
VOID_ELEMENTS = frozenset(
    {"area", "br", "col", "hr", "img", "source", "wbr", "input", "meta", "link"}
)
ALIGNMENTS = frozenset({"left", "center", "right", "justify"})
ALIGNED_CELLS = frozenset({"td", "th", "col", "tr", "thead", "tbody", "tfoot"})


def _start_tag(tag: str, attributes: list[tuple[str, str | None]]) -> str:
    written = "".join(
        f" {name}" if value is None else f' {name}="{escape(value, quote=True)}"'
        for name, value in attributes
    )
    return f"<{tag}{written}>"


def _aligned(tag: str, attributes: list[tuple[str, str | None]]):
    """Return `attributes` with a cell's `align` turned into an `align-*` class."""
    if tag not in ALIGNED_CELLS:
        return attributes
    align = next((v for n, v in attributes if n == "align"), None)
    kept = [(n, v) for n, v in attributes if n != "align"]
    if align is None or align.strip().lower() not in ALIGNMENTS:
        return kept
    alignment_class = f"align-{align.strip().lower()}"
    classes = next((v for n, v in kept if n == "class"), None)
    if classes is None:
        return [*kept, ("class", alignment_class)]
    return [(n, f"{v} {alignment_class}" if n == "class" else v) for n, v in kept]


@dataclass
class _Table:
    placeholder: int  # index in the output parts of the scroll container's tag
    number: int  # its place among the fragment's tables, from 1
    caption: list[str] = field(default_factory=list)
    in_caption: bool = False


@dataclass
class _Paragraph:
    start: int  # index in the output parts of the `<p>` tag
    image: list[tuple[str, str | None]] | None = None
    alone: bool = True  # nothing but one image (and white space) so far


class _Shaper(HTMLParser):
    def __init__(self, table_label: Callable[[int], str]) -> None:
        super().__init__(convert_charrefs=True)
        self.table_label = table_label
        self.parts: list[str] = []
        self.tables: list[_Table] = []
        self.table_count = 0
        self.paragraph: _Paragraph | None = None

    # A paragraph is a figure candidate until anything but one image shows.
    def _not_alone(self) -> None:
        if self.paragraph is not None:
            self.paragraph.alone = False

    def handle_starttag(self, tag, attrs) -> None:
        attrs = _aligned(tag, attrs)
        if tag == "p" and not self.tables:
            self.paragraph = _Paragraph(len(self.parts))
        elif tag == "img" and self.paragraph is not None:
            if self.paragraph.image is None:
                self.paragraph.image = attrs
            else:
                self._not_alone()
        else:
            self._not_alone()
        if tag == "pre":
            attrs = [(n, v) for n, v in attrs if n != "tabindex"] + [("tabindex", "0")]
        elif tag == "table":
            self.table_count += 1
            self.tables.append(_Table(len(self.parts), self.table_count))
            self.parts.append("")  # the scroll container, once its label is known
        elif tag == "caption" and self.tables:
            self.tables[-1].in_caption = True
        self.parts.append(_start_tag(tag, attrs))

    def handle_startendtag(self, tag, attrs) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag) -> None:
        if tag in VOID_ELEMENTS:
            return  # `</br>` and the like: the start tag said it all
        self.parts.append(f"</{tag}>")
        if tag == "caption" and self.tables:
            self.tables[-1].in_caption = False
        elif tag == "table" and self.tables:
            self._close_table()
        elif tag == "p" and self.paragraph is not None:
            self._close_paragraph()
        elif tag != "p":
            self._not_alone()

    def handle_data(self, data) -> None:
        if data.strip():
            self._not_alone()
        if self.tables and self.tables[-1].in_caption:
            self.tables[-1].caption.append(data)
        self.parts.append(escape(data, quote=False))

    def _close_table(self) -> None:
        table = self.tables.pop()
        caption = " ".join("".join(table.caption).split())
        label = caption or self.table_label(table.number)
        self.parts[table.placeholder] = _start_tag(
            "div",
            [
                ("class", "table-scroll"),
                ("role", "region"),
                ("aria-label", label),
                ("tabindex", "0"),
            ],
        )
        self.parts.append("</div>")

    def _close_paragraph(self) -> None:
        paragraph, self.paragraph = self.paragraph, None
        image = paragraph.image
        caption = next((v for n, v in image or () if n == "title"), None)
        if not (paragraph.alone and image and caption and caption.strip()):
            return
        attributes = [(n, v) for n, v in image if n != "title"]
        self.parts[paragraph.start :] = [
            "<figure>",
            _start_tag("img", attributes),
            f"<figcaption>{escape(caption.strip(), quote=False)}</figcaption>",
            "</figure>",
        ]


def shape_prose(html: str, table_label: Callable[[int], str]) -> str:
    """Return cleaned prose HTML with the theme's scroll regions and figures.

    `table_label(n)` names the n-th table (counted from 1 in document order)
    when it has no caption. See the module docstring for every change.
    """
    if not any(marker in html for marker in ("<pre", "<table", "<img", "align=")):
        return html  # most texts: nothing to shape, skip parsing them
    shaper = _Shaper(table_label)
    shaper.feed(html)
    shaper.close()
    return "".join(shaper.parts)
