"""The writer mistakes the tools recognise: what the writer sees, and where help is.

`MISTAKES` is one table of what writers get wrong, each with the message the
check gives for it. tests/test_writer_mistakes.py makes every mistake in a
copy of the fixture site and holds the check to that message, and
docs/writing.md's "When the preview shows an error" section is rendered from
the same table (`render_mistakes`, run by `invoke docs`), so the docs cannot
promise a message the tools do not give.

`help_anchor(problem)` names the section of docs/writing.md that explains a
problem: its topic's entry in that section when it has one (`Problem.topic`),
otherwise the section about the field it concerns. The preview's error page
links each problem there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
import re
import textwrap

from markdown.extensions.toc import slugify

from .parsing import SAVE_AS_UTF8
from .problems import Problem

# docs/writing.md's section of every mistake, and its own heading id there.
ERRORS_SECTION = "when-the-preview-shows-an-error"


@dataclass(frozen=True)
class Topic:
    """A kind of mistake: one entry of the docs section, with its advice."""

    title: str  # the entry's heading
    advice: str  # what it means and what to do, for the docs

    @property
    def anchor(self) -> str:
        """The heading's id in the rendered docs (Python-Markdown's toc)."""
        return slugify(self.title, "-")


TOPICS = (
    Topic(
        "A tab in a YAML file",
        "YAML (the testimonial, taxonomy and references files) is indented with "
        "spaces only. Some editors put a tab when you press the Tab key: replace it "
        "with spaces, as many as on the lines around it. (VS Code: “Convert "
        "Indentation to Spaces” in the command palette.)",
    ),
    Topic(
        "Not saved as UTF-8",
        "The site reads text saved as UTF-8, which holds every letter and symbol. "
        "An older editor, or text pasted from a word processor, may save “é”, "
        "“ñ” or curly quotes another way. The message names the line and column "
        "of the first such character; save the file as UTF-8 and it reads as is.",
    ),
    Topic(
        "An empty file",
        "A file with nothing in it (or only comments) cannot be an article or a "
        "testimonial. Start it again with `make new-article` or `make "
        "new-testimonial`, or delete it.",
    ),
    Topic(
        "No front matter",
        "An article starts with its `Field: value` lines (the front matter), then "
        "an empty line, then the text. Without them there is no title, date or "
        "summary to show.",
    ),
    Topic(
        "The wrong kind of file",
        "The file holds fields that belong elsewhere: a testimonial saved as an "
        "article, a list where one testimonial belongs, or another file's "
        "contents. Move it where it belongs, or start from the scaffold.",
    ),
    Topic(
        "Quote marks around a value",
        "In an article's front matter, quote marks are kept as part of the text, "
        "so a title in quotes is published in quotes. In YAML, curly quotes are "
        "kept too. The site sets quotations itself: write the words without the "
        "marks around them.",
    ),
    Topic(
        "A colon inside a value",
        "In YAML a colon followed by a space starts a new field. When a value "
        'holds one, put the whole value in double quotes: `place: "Santa Monica: '
        'Westside"`.',
    ),
    Topic(
        "A quote mark never closed",
        "A value that starts with a quote mark must end with the same mark. Close "
        "it, or remove the one at the start.",
    ),
    Topic(
        "YAML that cannot be read",
        "Each line of a YAML file is `field: value`, indented with spaces to line "
        "up with the fields it belongs with. Compare the line named with the ones "
        "around it, or with a testimonial that works.",
    ),
    Topic(
        "Yes or no where text belongs",
        "YAML reads some words on their own as yes or no (`yes`, `no`, `on`, "
        "`off`, `true`, `false`, in any case) and digits as a number. Put text "
        'like that in double quotes: `place: "NO"`.',
    ),
    Topic(
        "A date in another format",
        "Dates are written year-month-day, `2026-12-01`, so that no one reads "
        "12/01 as the 12th of January. The message gives the date rewritten; when "
        "the day and month could be either way round it offers both.",
    ),
    Topic(
        "Front matter from another blog tool",
        "Articles brought over from Hugo, Jekyll or WordPress keep that tool's "
        "keys: `draft: true`, `description:`, lists with one item a line. The "
        "message names the field this site uses instead; keep the value, change "
        "the key. Lists are written on one line, separated by commas.",
    ),
    Topic(
        "Leftovers of a move from another blog",
        "Text imported from WordPress or an older Pelican keeps marks that this "
        "site reads differently: an image in Markdown inside an HTML block (`<p>`, "
        "`<div>`) shows as text, `[TOC]` adds a second table of contents, "
        "`|filename|` links stop the build, and a space ends a link's path. "
        "`make import-wordpress` converts these; the check finds the rest.",
    ),
    Topic(
        "A language written as a word",
        "`Lang:` takes a language's short code, not its name: `Lang: es` for "
        "Spanish, `Lang: ar` for Arabic. Without `Lang:` a file is in the site's "
        "default language (English). The message suggests the code you meant and "
        "lists every code the site knows.",
    ),
    Topic(
        "A file that is not there",
        "An image or a link names a file that is not in `content/`. Check the "
        "spelling, the folder, and capitals (`Photo.JPG` is not `photo.jpg`). "
        "When a file with a close name exists, the message suggests it.",
    ),
    Topic(
        "Headings out of order",
        "The title is the page's only top-level heading, so sections start at "
        "`##`, and each level goes one step down (`##`, then `###`). Screen-reader "
        "users move through a page by its headings, and a skipped level sounds "
        "like a missing section. The check refuses these, with the line, rather "
        "than change your headings for you.",
    ),
    Topic(
        "Content that is refused",
        "A pull request may come from anyone, so the site publishes only what it "
        "can vouch for: files kept in `content/` itself (no links out of it, no "
        "symbolic links, nothing hidden), images it can read, and text whose HTML "
        "cannot run code or load another site. The build removes such HTML anyway; "
        "the check tells you, so nothing disappears without a word. "
        "docs/security.md explains why.",
    ),
    Topic(
        "Accepted as they are",
        "Some differences between editors need nothing from you.",
    ),
)
TOPIC_BY_ANCHOR = {topic.anchor: topic for topic in TOPICS}


# --- How a mistake is made from a valid file (the table's edits) ----------------


def set_field(name: str, value: str) -> Callable[[str], str]:
    """Write `value` in field `name` (front matter or YAML), keeping its indent."""
    pattern = re.compile(rf"^(?P<indent>[ ]*){re.escape(name)}:.*$", re.I | re.M)

    def edit(text: str) -> str:
        match = pattern.search(text)
        if match is None:
            raise ValueError(f"the example has no field {name!r}")
        key = match[0].strip().split(":", 1)[0]
        return (
            f"{text[: match.start()]}{match['indent']}{key}: {value}"
            + text[match.end() :]
        )

    return edit


def add_field(name: str, value: str) -> Callable[[str], str]:
    """Add `name: value` as the last line of an article's front matter."""

    def edit(text: str) -> str:
        return text.replace("\n\n", f"\n{name}: {value}\n\n", 1)

    return edit


def add_text(added: str) -> Callable[[str], str]:
    """Add `added` to the end of the file, after an empty line."""
    return lambda text: f"{text.rstrip()}\n\n{added}\n"


def replace_all(whole: str) -> Callable[[str], str]:
    """Make the file hold `whole` instead."""
    return lambda _text: whole


def add_line(line: str) -> Callable[[str], str]:
    """Add `line` to the front matter, after its first line (the title)."""
    return lambda text: text.replace("\n", f"\n{line}\n", 1)


def indent_with_tab(name: str) -> Callable[[str], str]:
    """Indent field `name` with a tab instead of its spaces."""
    pattern = re.compile(rf"^[ ]+(?={re.escape(name)}:)", re.M)
    return lambda text: pattern.sub("\t", text, count=1)


def drop_colon(name: str) -> Callable[[str], str]:
    """Leave out the colon after field `name`."""
    pattern = re.compile(rf"^(?P<key>[ ]*{re.escape(name)}):", re.M)
    return lambda text: pattern.sub(r"\g<key>", text, count=1)


def indent_field(name: str, spaces: str) -> Callable[[str], str]:
    """Indent field `name` by `spaces` more than it should be."""
    pattern = re.compile(rf"^(?={re.escape(name)}:)", re.M)
    return lambda text: pattern.sub(spaces, text, count=1)


def start_with_bom(text: str) -> str:
    """Begin the text with a byte-order mark, as some Windows editors save it."""
    return "\ufeff" + text


def windows_line_endings(text: str) -> str:
    """End every line with a carriage return and a line feed."""
    return text.replace("\n", "\r\n")


@dataclass(frozen=True)
class Mistake:
    """One mistake a writer makes, and exactly what the check then says.

    `edit` turns a valid file of `kind` into the mistake; `shown` is what the
    writer typed, for the docs. `message` is the whole message after the
    file's name and line: `field: …`, or `…` for the whole file ("" when the
    mistake is accepted as it is). `line` says whether the message names a
    line: the first line of the file that holds `at` (default: `shown`'s
    first line).
    """

    topic: str  # a Topic's anchor
    kind: str  # "article" or "testimonial"
    shown: str
    edit: Callable[[str], str]
    message: str
    line: bool = True
    at: str = ""
    encoding: str = "utf-8"
    # A file the mistake assumes (an image with a close name), with its path
    # inside content/.
    given_file: str = ""

    @property
    def marker(self) -> str:
        """The text whose line the message names."""
        return self.at or self.shown.split("\n", 1)[0]


MISTAKES = (
    Mistake(
        "a-tab-in-a-yaml-file",
        "testimonial",
        "consent:\n\tstatus: obtained",
        indent_with_tab("status"),
        "is indented with a tab; YAML files are indented with spaces only: replace "
        "the tab with spaces, as many as on the lines around it",
        at="\tstatus",
    ),
    Mistake(
        "not-saved-as-utf-8",
        "article",
        "A visit to the café",
        add_text("A visit to the café"),
        "column 19: a character (“é”) is not saved as UTF-8, the only encoding the "
        f"site reads; {SAVE_AS_UTF8}",
        encoding="cp1252",
    ),
    Mistake(
        "an-empty-file",
        "article",
        "",
        replace_all(""),
        "is empty; an article starts with its front matter (Title, Date, Summary, "
        "Author, Category), then an empty line, then the text: start one with "
        '`make new-article TITLE="Its title"`, or delete this file',
        line=False,
    ),
    Mistake(
        "an-empty-file",
        "testimonial",
        "",
        replace_all("# to do\n"),
        "is empty (or holds only comments); a testimonial needs `field: value` "
        "lines: start one with `make new-testimonial ID=…`",
        line=False,
    ),
    Mistake(
        "no-front-matter",
        "article",
        "Ketamine and PTSD\n\nWhat the research says.",
        replace_all("Ketamine and PTSD\n\nWhat the research says.\n"),
        "has no front matter: an article starts with `Field: value` lines (Title, "
        "Date, Summary, Author and Category), then an empty line, then the text; "
        "a new file from `make new-article` shows them",
    ),
    Mistake(
        "the-wrong-kind-of-file",
        "article",
        "id: maria-santa-monica\nname: Maria\nplace: Santa Monica, CA",
        replace_all("id: maria-santa-monica\nname: Maria\nplace: Santa Monica, CA\n"),
        "does not look like an article: none of its fields (id, name, place) "
        "belongs to an article, which needs Title, Date, Summary, Author, "
        "Category; was it meant for another file or folder?",
    ),
    Mistake(
        "the-wrong-kind-of-file",
        "testimonial",
        "- id: maria-santa-monica\n  name: Maria",
        replace_all("- id: maria-santa-monica\n  name: Maria\n"),
        "holds a list (lines that start with “- ”); a testimonial needs `field: "
        "value` lines: start one with `make new-testimonial ID=…`",
        line=False,
    ),
    Mistake(
        "quote-marks-around-a-value",
        "testimonial",
        "place: “Santa Monica, CA”",
        set_field("place", "“Santa Monica, CA”"),
        "place: is wrapped in quote marks (“…”), which would be published as part "
        "of the text; remove them",
    ),
    Mistake(
        "quote-marks-around-a-value",
        "article",
        'Title: "What to Expect at Your First Infusion"',
        set_field("title", '"What to Expect at Your First Infusion"'),
        'title: is wrapped in quote marks ("…"), which would be published as part '
        "of the text; remove them",
    ),
    Mistake(
        "a-colon-inside-a-value",
        "testimonial",
        "place: Santa Monica: Westside",
        set_field("place", "Santa Monica: Westside"),
        "a value holds a colon followed by a space (“: ”), which YAML reads as a "
        'new field; put the whole value in double quotes, e.g. place: "Santa '
        'Monica: Westside"',
    ),
    Mistake(
        "a-quote-mark-never-closed",
        "testimonial",
        'name: "Maria',
        set_field("name", '"Maria'),
        "a quote mark that opens a value is never closed; close it at the end of "
        "the value, or remove it",
    ),
    Mistake(
        "yaml-that-cannot-be-read",
        "testimonial",
        "place Santa Monica, CA",
        drop_colon("place"),
        "is not a `field: value` line: write a colon after the field's name, e.g. "
        "place: Santa Monica, CA",
        at="place ",
    ),
    Mistake(
        "yaml-that-cannot-be-read",
        "testimonial",
        "name: Maria\n  place: Santa Monica, CA",
        indent_field("place", "  "),
        "is indented more than the field above it; line it up with the fields it "
        "belongs with (spaces only)",
        at="  place:",
    ),
    Mistake(
        "yes-or-no-where-text-belongs",
        "testimonial",
        "place: NO",
        set_field("place", "NO"),
        "place: reads as a yes/no value, not as text; put the text in double "
        'quotes: place: "…"',
    ),
    Mistake(
        "a-date-in-another-format",
        "article",
        "Date: 12/01/2026",
        set_field("date", "12/01/2026"),
        "date: '12/01/2026' is not written as YYYY-MM-DD; write 2026-12-01 for "
        "December 1, 2026 or 2026-01-12 for January 12, 2026",
    ),
    Mistake(
        "a-date-in-another-format",
        "testimonial",
        "  date: March 3, 2026",
        set_field("date", "March 3, 2026"),
        "consent.date: 'March 3, 2026' is not written as YYYY-MM-DD; write "
        "2026-03-03 for March 3, 2026",
    ),
    Mistake(
        "a-language-written-as-a-word",
        "article",
        "Lang: spanish",
        add_field("Lang", "spanish"),
        "lang: 'spanish' is not a language code the site knows; did you mean "
        "`Lang: es` (Spanish)? (codes: ar, en, es, fa, fr, he, hy, ja, ko, pt, ru, "
        "tl, ur, vi, zh)",
    ),
    Mistake(
        "a-file-that-is-not-there",
        "article",
        "![A window in morning light]({static}/images/window-lite.jpg)",
        add_text("![A window in morning light]({static}/images/window-lite.jpg)"),
        "image: {static}/images/window-lite.jpg: no such file in content/; did you "
        "mean {static}/images/window-light.jpg?",
        given_file="images/window-light.jpg",
    ),
    Mistake(
        "headings-out-of-order",
        "article",
        "# Aftercare",
        add_text("# Aftercare"),
        "heading: “# ” makes a second title: the title is the page's only "
        "top-level heading; start a section with “## ”",
    ),
    Mistake(
        "headings-out-of-order",
        "article",
        "## Aftercare\n\n#### The first day",
        add_text("## Aftercare\n\n#### The first day"),
        "heading: “#### ” comes after a “## ” heading, skipping a level that "
        "screen readers announce; use “### ” here",
        at="#### The first day",
    ),
    Mistake(
        "content-that-is-refused",
        "article",
        '<script src="/extra/x.js"></script>',
        add_text('<script src="/extra/x.js"></script>'),
        "html: a “script” tag is not allowed in the text: the site removes it, "
        "since it could run code or load another site; write it as text, or ask a "
        "maintainer for a safe alternative",
    ),
    Mistake(
        "content-that-is-refused",
        "article",
        "![A chart](https://images.example.com/chart.png)",
        add_text("![A chart](https://images.example.com/chart.png)"),
        "html: https://images.example.com/chart.png loads from another site, which "
        "would learn who reads the page; save the file in content/images/ and "
        "write {static}/images/its-name",
    ),
    Mistake(
        "content-that-is-refused",
        "article",
        "[settings]({attach}../../.git/config)",
        add_text("[settings]({attach}../../.git/config)"),
        "link: {attach}../../.git/config leads outside content/, and only files "
        "kept in content/ are published; copy the file into content/ and link to "
        "it there",
    ),
    Mistake(
        "content-that-is-refused",
        "testimonial",
        "place: *home",
        set_field("place", "*home"),
        "uses a YAML anchor or alias (a value starting with & or *), which content "
        "files may not; write the value out in full, or put it in double quotes",
    ),
    Mistake(
        "front-matter-from-another-blog-tool",
        "article",
        "draft: true",
        add_line("draft: true"),
        "draft: unknown field (another blog tool's); to keep it a draft, write "
        "`Status: draft` instead",
    ),
    Mistake(
        "front-matter-from-another-blog-tool",
        "article",
        "description: What a first visit is like.",
        add_line("description: What a first visit is like."),
        "description: unknown field (another blog tool's); write `Summary: …` instead",
    ),
    Mistake(
        "front-matter-from-another-blog-tool",
        "article",
        "categories: Research",
        add_line("categories: Research"),
        "categories: unknown field (another blog tool's); an article has one "
        "category: write `Category: …` instead",
    ),
    Mistake(
        "front-matter-from-another-blog-tool",
        "article",
        "Tags:\n- PTSD\n- first visit",
        set_field("Tags", "\n- PTSD\n- first visit"),
        "tags: is written as a list, one item a line, which ends the front matter "
        "here; write `Tags: PTSD, first visit` on one line",
        at="- PTSD",
    ),
    Mistake(
        "leftovers-of-a-move-from-another-blog",
        "article",
        "<p>![A pixel]({static}/images/pixel.png)</p>",
        add_text("<p>![A pixel]({static}/images/pixel.png)</p>"),
        "image: ![A pixel]({static}/images/pixel.png) is inside an HTML block, "
        "where Markdown is not read, so the page shows it as text; put it on a "
        "line of its own, without the HTML tags around it",
    ),
    Mistake(
        "leftovers-of-a-move-from-another-blog",
        "article",
        "[TOC]",
        add_text("[TOC]"),
        "link: [TOC] adds a second table of contents, without a label; remove the "
        "line: the page makes its own from the headings",
    ),
    Mistake(
        "leftovers-of-a-move-from-another-blog",
        "article",
        "[the first visit](|filename|first-visit.md)",
        add_text("[the first visit](|filename|first-visit.md)"),
        "link: |filename|first-visit.md is Pelican's old way to write a link, which "
        "stops the build; write {filename}first-visit.md",
    ),
    Mistake(
        "leftovers-of-a-move-from-another-blog",
        "article",
        "![A pixel]({static}/images/my pixel.png)",
        add_text("![A pixel]({static}/images/my pixel.png)"),
        "link: {static}/images/my pixel.png has a space, which ends a link's path; "
        "rename the file without spaces and write {static}/images/my-pixel.png",
    ),
    Mistake(
        "a-date-in-another-format",
        "article",
        "Date: 2026-02-01T10:00:00+00:00",
        set_field("Date", "2026-02-01T10:00:00+00:00"),
        "date: '2026-02-01T10:00:00+00:00' is a timestamp as Hugo, Jekyll or "
        "WordPress write it; write it as 2026-02-01 10:00, without the `T`, the "
        "seconds and the time zone (the site's TIMEZONE setting gives it)",
    ),
    Mistake(
        "accepted-as-they-are",
        "article",
        "(a byte-order mark, written by some Windows editors)",
        start_with_bom,
        "",
        line=False,
    ),
    Mistake(
        "accepted-as-they-are",
        "testimonial",
        "(Windows line endings)",
        windows_line_endings,
        "",
        line=False,
    ),
)


def help_anchor(problem: Problem) -> str:
    """Return the id of the docs/writing.md heading that explains `problem`."""
    if problem.topic in TOPIC_BY_ANCHOR:
        return problem.topic
    first = problem.field.split(".", 1)[0].lower()
    if first in FIELD_SECTIONS:
        return FIELD_SECTIONS[first]
    if problem.source.endswith((".yaml", ".yml")):
        return "add-a-testimonial"
    if problem.field:
        return "front-matter-fields"
    return ERRORS_SECTION


# The docs section for a field a problem names, by the field's first part.
FIELD_SECTIONS = {
    "consent": "add-a-testimonial",
    "citation": "cite-your-sources",
    "reviewed_by": "medical-review",
    "last_reviewed": "medical-review",
    "category": "categories-tags-and-authors",
    "tags": "categories-tags-and-authors",
    "author": "categories-tags-and-authors",
    "link": "the-text",
    "image": "the-text",
    "heading": "the-text",
    "testimonials": "add-a-testimonial",
}

# --- The docs section -----------------------------------------------------------

DOCS_BLOCK = re.compile(r"(<!-- mistakes -->\n).*?(<!-- end mistakes -->)", re.DOTALL)
EXAMPLE_SOURCE = {
    "article": "content/articles/my-article.md",
    "testimonial": "content/testimonials/maria-santa-monica.yaml",
}


def render_mistakes(text: str) -> str:
    """Return `text` with its mistakes block rewritten from the table."""
    return DOCS_BLOCK.sub(lambda m: m[1] + _mistakes_markdown() + m[2], text)


def _mistakes_markdown() -> str:
    lines = []
    for topic in TOPICS:
        lines += [f"### {topic.title}", "", textwrap.fill(topic.advice, 80), ""]
        for mistake in (m for m in MISTAKES if m.topic == topic.anchor):
            lines += _example(mistake)
    return "\n".join(lines)


# What Markdown would read as markup in a quoted message: an image such as
# `![A pixel](…)` in a message would be shown as a broken image.
# Markdown has no backslash escape for "<": it is written as an entity.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()!>#|{}])")


def as_markdown_text(message: str) -> str:
    """Return `message` escaped so that Markdown shows it as the same text."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", message.replace("<", "&lt;"))


def _example(mistake: Mistake) -> list[str]:
    source = EXAMPLE_SOURCE[mistake.kind]
    if not mistake.message:
        what = mistake.shown.strip("()")
        return [f"- {what[0].upper()}{what[1:]}: accepted as it is.", ""]
    typed = mistake.shown.replace("\t", "→   ") or "(nothing)"
    location = f"{source}:LINE" if mistake.line else source
    # The message is quoted, not a code block: it wraps on a phone.
    return [
        f"In `{source}`, writing",
        "",
        "```text",
        typed,
        "```",
        "",
        "gives",
        "",
        f"> {as_markdown_text(f'{location}: {mistake.message}')}",
        "",
    ]
