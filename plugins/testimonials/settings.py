"""The testimonials plugin's settings: where the page goes, what every card says.

Where testimonials live and the consent rule are the content schema's
settings (TESTIMONIALS_PATH, TESTIMONIALS_WITHOUT_CONSENT): the check reads
them before this plugin runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULTS = {
    "TESTIMONIALS_URL": "testimonials/",
    "TESTIMONIALS_SAVE_AS": "testimonials/index.html",
    # Shown beside every testimonial.
    "TESTIMONIALS_DISCLOSURE": "Individual results vary.",
}


def problems(settings: Mapping[str, Any]) -> dict[str, str]:
    """Map each setting of this plugin whose value cannot work to what to use."""
    return {
        name: f"{name} is {settings[name]!r}; it must be text, e.g. {DEFAULTS[name]!r}"
        for name in DEFAULTS
        if not isinstance(settings[name], str)
    }
