"""i18n: every page's language, the theme's strings in it, and its translations.

Pelican reads `Lang:` (content_schema validates it) and links files with the
same slug as translations of each other (`item.translations`); this plugin
gives the theme what it needs to show them.

Contract for templates (Jinja globals, each for the page being rendered: the
context's `article` or `page`, else a page of the site in DEFAULT_LANG):
- `page_language()`: a PageLanguage: the page's code and direction, and the
  language the theme's own words are in (`chrome`), which is the page's when
  theme/translations/ has its catalogue, else English. Where they differ, the
  theme marks its regions with `chrome_lang()` (macros.html) so screen readers
  pronounce them right.
- `t(key, **values)`: the theme's string `key` ("nav.search") in the chrome
  language, as HTML: the catalogue text escaped, `{name}` replaced by
  `values`, which are escaped too unless marked safe (`time_tag(…)|safe`:
  with autoescape off, a macro returns plain text).
- `local_date(when)`: a date as the chrome language writes it ("2 de mayo de
  2024"), from the catalogue's month names: no system locale is involved.
- `localized(NAME)`: setting NAME as pages in the page's language read it
  (LANGUAGE_SETTINGS in pelicanconf.py, else the setting itself).

Catalogues are read once per run (signal `initialized`), into the setting
I18N_CATALOGUES, never into module state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import datetime as dt
import logging
from pathlib import Path
from typing import Any

from content_schema.languages import LANGUAGES, direction, setting_for
from content_schema.settings import fill_in
from jinja2 import pass_context
from markupsafe import Markup, escape
from pelican import signals
import yaml

from .settings import DEFAULTS, FALLBACK_LANG, problems

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageLanguage:
    """The language of one page, and of the theme's words around its text."""

    code: str  # the page's language: <html lang>
    direction: str  # "ltr" or "rtl": <html dir>
    chrome: str  # the language of the theme's own words on the page
    chrome_direction: str

    @property
    def chrome_differs(self) -> bool:
        """Whether the theme's words are in another language than the page."""
        return self.chrome != self.code


class CatalogueError(ValueError):
    """A catalogue that cannot be read, named with the file and the fix."""


def _flatten(mapping: Mapping, prefix: str = "") -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in mapping.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, f"{name}."))
        else:
            flat[name] = value
    return flat


def load_catalogues(directory: Path) -> dict[str, dict[str, Any]]:
    """Read every `<lang>.yaml` in `directory` into {lang: {dotted.key: text}}.

    Raises CatalogueError naming a file that is not a mapping, is named after
    no known language, or lacks the fallback (English) catalogue.
    """
    catalogues = {}
    for path in sorted(directory.glob("*.yaml")):
        lang = path.stem
        if lang not in LANGUAGES:
            msg = (
                f"{path}: {lang!r} is not a language code the site knows; name "
                "a catalogue after its language, e.g. es.yaml"
            )
            raise CatalogueError(msg)
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, Mapping):
            msg = f"{path}: a catalogue holds `key: text` lines, nested by section"
            raise CatalogueError(msg)
        catalogues[lang] = _flatten(data)
    if FALLBACK_LANG not in catalogues:
        msg = f"{directory}: the theme needs {FALLBACK_LANG}.yaml, its own words"
        raise CatalogueError(msg)
    return catalogues


def catalogue_directory(settings) -> Path:
    """Return the folder of the theme's catalogues for these settings."""
    return Path(
        settings["I18N_CATALOGUES_PATH"] or Path(settings["THEME"], "translations")
    )


def page_language(settings, lang: str) -> PageLanguage:
    """Return the PageLanguage of a page in `lang` for this build's catalogues."""
    chrome = lang if lang in settings["I18N_CATALOGUES"] else FALLBACK_LANG
    return PageLanguage(lang, direction(lang), chrome, direction(chrome))


def translate(catalogues, lang: str, key: str, **values: Any) -> Markup:
    """Return catalogue string `key` of `lang` as HTML, with `values` filled in.

    A key the language's catalogue lacks is the fallback catalogue's (the
    test of the catalogues keeps them equal); a key no catalogue has raises
    KeyError, so a typo in a template stops the build.
    """
    text = catalogues.get(lang, {}).get(key)
    if text is None:
        text = catalogues[FALLBACK_LANG][key]
    return Markup(escape(text)).format(**values)


def text_in(settings, lang: str, key: str, **values: Any) -> Markup:
    """Return theme string `key` as a page in `lang` shows it (see translate).

    In the page's catalogue language: its own where the theme has a
    catalogue, else the fallback's. `settings` holds I18N_CATALOGUES.
    """
    chrome = page_language(settings, lang).chrome
    return translate(settings["I18N_CATALOGUES"], chrome, key, **values)


def format_date(catalogues, lang: str, when: dt.date) -> str:
    """Return `when` as `lang` writes a date, from its catalogue's `date` keys."""
    catalogue = catalogues.get(lang) or catalogues[FALLBACK_LANG]
    month = catalogue["date.months"][when.month - 1]
    return catalogue["date.format"].format(day=when.day, month=month, year=when.year)


def _context_lang(context, settings) -> str:
    item = context.get("article")
    if item is None:
        item = context.get("page")
    return getattr(item, "lang", None) or settings["DEFAULT_LANG"]


def template_globals(settings) -> dict[str, Any]:
    """Return the Jinja globals of the contract above for a build's settings."""
    catalogues = settings["I18N_CATALOGUES"]

    @pass_context
    def current_language(context) -> PageLanguage:
        return page_language(settings, _context_lang(context, settings))

    @pass_context
    def t(context, key: str, **values: Any) -> Markup:
        return text_in(settings, _context_lang(context, settings), key, **values)

    @pass_context
    def local_date(context, when: dt.date) -> str:
        chrome = page_language(settings, _context_lang(context, settings)).chrome
        return format_date(catalogues, chrome, when)

    @pass_context
    def localized(context, name: str) -> Any:
        return setting_for(settings, _context_lang(context, settings), name)

    return {
        "page_language": current_language,
        "t": t,
        "local_date": local_date,
        "localized": localized,
    }


def set_defaults(pelican) -> None:
    """Fill in the settings, check DEFAULT_LANG and read the catalogues once."""
    settings = pelican.settings
    fill_in(settings, "i18n", DEFAULTS, problems)
    if settings["DEFAULT_LANG"] not in LANGUAGES:
        log.error(
            "i18n: DEFAULT_LANG %r is not a language code the site knows; use one "
            "of %s; using %r",
            settings["DEFAULT_LANG"],
            ", ".join(sorted(LANGUAGES)),
            FALLBACK_LANG,
        )
        settings["DEFAULT_LANG"] = FALLBACK_LANG
    settings["I18N_CATALOGUES"] = load_catalogues(catalogue_directory(settings))


def add_globals(generator) -> None:
    """Give the generator's templates the globals of the contract."""
    generator.env.globals.update(template_globals(generator.settings))


def register() -> None:
    """Connect the plugin to Pelican."""
    # Settings and catalogues before any generator exists: each copies them.
    signals.initialized.connect(set_defaults)
    # Every generator renders pages, so every environment needs the globals.
    signals.generator_init.connect(add_globals)
