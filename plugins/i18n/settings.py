"""The i18n plugin's settings: the theme's catalogues, and per-language settings."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from content_schema.languages import LANGUAGES

# The catalogue every other one is held to, and the theme's words wherever a
# page's language has no catalogue of its own.
FALLBACK_LANG = "en"

DEFAULTS = {
    # Folder of the theme's string catalogues, one <lang>.yaml each; "" means
    # THEME/translations.
    "I18N_CATALOGUES_PATH": "",
    # {lang: {SETTING: value}}: settings as pages in that language read them.
    "LANGUAGE_SETTINGS": {},
}


def problems(settings: Mapping[str, Any]) -> dict[str, str]:
    """Map each setting of this plugin whose value cannot work to what to use."""
    found = {}
    by_language = settings["LANGUAGE_SETTINGS"]
    if not isinstance(by_language, Mapping) or not all(
        isinstance(values, Mapping) for values in by_language.values()
    ):
        found["LANGUAGE_SETTINGS"] = (
            "LANGUAGE_SETTINGS must map a language code to its settings, e.g. "
            '{"es": {"CRISIS_HEADING": "…"}}'
        )
        return found
    unknown = sorted(set(by_language) - set(LANGUAGES))
    if unknown:
        found["LANGUAGE_SETTINGS"] = (
            f"LANGUAGE_SETTINGS names {', '.join(unknown)}, not a language code "
            f"the site knows ({', '.join(sorted(LANGUAGES))})"
        )
    return found
