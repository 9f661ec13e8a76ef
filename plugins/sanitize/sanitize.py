"""The one reader of articles and pages: Markdown, with writer HTML made inert.

`SafeMarkdownReader` is Pelican's Markdown reader, with three changes made
before Typogrify and every other plugin see the text:

- the title is plain text: what the writer typed is escaped, so `<b>` reads
  as `<b>` and nothing in a title is markup;
- the body and the summary (Markdown, so they may hold raw HTML) pass the
  allow-list of policy.py;
- the body is then shaped for the theme (prose.py): code blocks and tables
  scroll inside themselves and are keyboard reachable, tables are named,
  column alignments are classes, captioned images are figures;
- nothing else changes: the same Markdown settings, metadata and dates.

`use_only_the_safe_reader` (on `readers_init`) makes it the reader of every
Markdown extension and switches every other reader off: Pelican registers
each reader class it imports, so an installed reader plugin, or its own
reStructuredText and HTML readers, would otherwise read files the content
check never saw. The check refuses files of those formats by name.
"""

from __future__ import annotations

from collections.abc import Callable
import html

from pelican import signals
from pelican.readers import MarkdownReader

from .policy import clean_html, removed_markup
from .prose import shape_prose

# Where the reader keeps what the allow-list removed (policy.Removed), which
# no header can set: the schema allows no such field.
REMOVED_METADATA = "sanitizer_removed"
# The extensions the safe reader reads; content_schema's check reads the same.
MARKDOWN_EXTENSIONS = ("md", "markdown", "mkd", "mdown")


class SafeMarkdownReader(MarkdownReader):
    """Pelican's Markdown reader whose output holds no writer markup but prose."""

    file_extensions = MARKDOWN_EXTENSIONS

    def read(self, source_path):
        """Read like MarkdownReader; then escape the title and clean the HTML.

        What the allow-list took out of the body and summary is kept in the
        metadata (REMOVED_METADATA), for the content check to name.
        """
        content, metadata = super().read(source_path)
        removed = []
        if isinstance(metadata.get("title"), str):
            metadata["title"] = html.escape(metadata["title"], quote=False)
        if isinstance(metadata.get("summary"), str):
            cleaned = clean_html(metadata["summary"])
            removed += removed_markup(metadata["summary"], cleaned)
            metadata["summary"] = cleaned
        cleaned = clean_html(content)
        metadata[REMOVED_METADATA] = tuple(removed + removed_markup(content, cleaned))
        return shape_prose(cleaned, self._table_label(metadata)), metadata

    def _table_label(self, metadata) -> Callable[[int], str]:
        """Return the namer of uncaptioned tables ("Table 2") in the page's language.

        The catalogue language, as for every theme string: the page's own
        where the theme has its catalogue, else English.
        """
        # Imported here: i18n imports content_schema, which imports this
        # plugin's policy, so a module-level import would be circular.
        from i18n.i18n import text_in  # noqa: PLC0415

        lang = metadata.get("lang") or self.settings["DEFAULT_LANG"]
        settings = with_catalogues(self.settings)

        def label(number: int) -> str:
            # text_in() returns HTML; shape_prose escapes plain text itself.
            return text_in(settings, lang, "article.table", number=number).unescape()

        return label


def with_catalogues(settings):
    """Return `settings` with the theme's catalogues, loaded once if a build has not.

    A reader outside a build (`make check`, a unit test) has none loaded yet;
    call this once and hand the result to every reader of the run.
    """
    if "I18N_CATALOGUES" in settings:
        return settings
    from i18n.i18n import catalogue_directory, load_catalogues  # noqa: PLC0415
    from i18n.settings import DEFAULTS  # noqa: PLC0415

    settings = {**DEFAULTS, **settings}
    settings["I18N_CATALOGUES"] = load_catalogues(catalogue_directory(settings))
    return settings


# Pelican's BaseReader "reads" static files (images, content/extra): it copies
# them, parsing nothing.
STATIC = "static"


def use_only_the_safe_reader(readers) -> None:
    """Read Markdown with SafeMarkdownReader, and no other format at all."""
    for extension in list(readers.reader_classes):
        if extension != STATIC:
            readers.reader_classes[extension] = None
    for extension in MARKDOWN_EXTENSIONS:
        readers.reader_classes[extension] = SafeMarkdownReader


def register() -> None:
    """Connect the plugin to Pelican."""
    # readers_init comes after Pelican has registered every reader class it
    # imported, and after the READERS setting: the last word on who reads.
    signals.readers_init.connect(use_only_the_safe_reader)
