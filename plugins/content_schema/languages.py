"""The languages content may be written in: codes, own names, writing direction.

A pure table, with no Pelican import, so that the content check (which runs
before any generator) and the theme agree on it. `Lang:` takes one of its
codes: a BCP 47 primary language subtag (ISO 639-1), lowercase. The table
holds the languages Los Angeles readers speak most besides English; a language
is added by adding a row (its code, its name in itself, its English name).
"""

from __future__ import annotations

from dataclasses import dataclass
import difflib
import re
import unicodedata

PRIMARY_SUBTAG = re.compile(r"[a-z]{2,3}")
# Scripts written right to left (Unicode bidi class R/AL) among our languages.
RIGHT_TO_LEFT = frozenset({"ar", "fa", "he", "ur", "yi", "ps", "sd", "ug", "dv"})


@dataclass(frozen=True)
class Language:
    """One language a page may be written in."""

    code: str  # BCP 47 primary language subtag, e.g. "es"
    name: str  # its name in itself, as a language switcher shows it: "Español"
    english: str  # its name in English, for writers' messages: "Spanish"

    @property
    def direction(self) -> str:
        """Return "rtl" or "ltr": the direction its script is written in."""
        return direction(self.code)


LANGUAGES = {
    language.code: language
    for language in (
        Language("en", "English", "English"),
        Language("es", "Español", "Spanish"),
        Language("ar", "العربية", "Arabic"),
        Language("he", "עברית", "Hebrew"),
        Language("fa", "فارسی", "Persian"),
        Language("ur", "اردو", "Urdu"),
        Language("hy", "Հայերեն", "Armenian"),
        Language("ko", "한국어", "Korean"),
        Language("zh", "中文", "Chinese"),
        Language("tl", "Tagalog", "Tagalog"),
        Language("vi", "Tiếng Việt", "Vietnamese"),
        Language("ru", "Русский", "Russian"),
        Language("ja", "日本語", "Japanese"),
        Language("fr", "Français", "French"),
        Language("pt", "Português", "Portuguese"),
    )
}


def direction(code: str) -> str:
    """Return "rtl" for a language written right to left, else "ltr".

    Only the primary subtag counts: "ar-EG" is rtl, "en-US" ltr.
    """
    return "rtl" if code.split("-", 1)[0].lower() in RIGHT_TO_LEFT else "ltr"


def _folded(text: str) -> str:
    # "Español", "espanol" and "ESPAÑOL" are the same word to a writer.
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def suggest(value: str) -> Language | None:
    """Return the language a writer most likely meant by `value`, or None.

    Matches the code in any case ("ES"), a region-tagged code ("es-MX"), the
    English name or the language's own name ("spanish", "Español"), or a
    close misspelling of either ("spansh").
    """
    folded = _folded(value)
    primary = folded.split("-", 1)[0].split("_", 1)[0]
    if primary in LANGUAGES:
        return LANGUAGES[primary]
    names = {}
    for language in LANGUAGES.values():
        names[_folded(language.english)] = language
        names[_folded(language.name)] = language
    close = difflib.get_close_matches(folded, names, n=1, cutoff=0.75)
    return names[close[0]] if close else None


def setting_for(settings, lang: str, name: str):
    """Return setting `name` as it reads for pages in `lang`.

    LANGUAGE_SETTINGS[lang][name] when the site gives one (pelicanconf.py),
    else the setting itself: the default language's.
    """
    return settings.get("LANGUAGE_SETTINGS", {}).get(lang, {}).get(name, settings[name])
