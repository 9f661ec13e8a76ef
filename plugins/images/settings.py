"""The images plugin's settings: the copies' widths and quality, the cards' look.

`problems(settings)` names each setting whose value cannot work; the plugin
stops the build with them (ImagesSettingsError) before any image is read.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULTS = {
    "IMAGES_WIDTHS": (480, 960, 1440),
    # HTML's own default: the full window. The site sets its column instead.
    "IMAGES_SIZES": "100vw",
    "IMAGES_QUALITY": 80,  # WebP and JPEG copies
    "IMAGES_CARD_SAVE_AS": "images/social/{slug}.png",
    "IMAGES_CARD_TOKENS": "static/css/tokens.css",  # theme-relative
    # File names Pillow finds in the system's font folders, by preference.
    "IMAGES_CARD_FONTS": {
        "bold": ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf"),
        "regular": ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf"),
    },
}


def problems(settings: Mapping[str, Any]) -> dict[str, str]:
    """Map each setting of this plugin whose value cannot work to what to use."""
    found = {}
    widths = settings["IMAGES_WIDTHS"]
    if not widths or not all(isinstance(w, int) and w > 0 for w in widths):
        found["IMAGES_WIDTHS"] = (
            f"IMAGES_WIDTHS must list positive pixel widths, not {widths!r}"
        )
    quality = settings["IMAGES_QUALITY"]
    if not isinstance(quality, int) or not 1 <= quality <= 100:
        found["IMAGES_QUALITY"] = (
            f"IMAGES_QUALITY must be a whole number from 1 to 100, not {quality!r}"
        )
    if "{slug}" not in str(settings["IMAGES_CARD_SAVE_AS"]):
        found["IMAGES_CARD_SAVE_AS"] = (
            "IMAGES_CARD_SAVE_AS must contain {slug}, so that each article has its "
            f"own card, e.g. {DEFAULTS['IMAGES_CARD_SAVE_AS']!r}"
        )
    return found
