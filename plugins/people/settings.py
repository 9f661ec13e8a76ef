"""The people plugin's settings: where each medical reviewer's page goes.

The authors' pages are Pelican's own (AUTHOR_URL, AUTHOR_SAVE_AS); the
authors and reviewers files are the content schema's settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DEFAULTS = {
    # `{id}` is the reviewer's id in content/reviewers.yaml.
    "REVIEWER_URL": "reviewers/{id}/",
    "REVIEWER_SAVE_AS": "reviewers/{id}/index.html",
}


def problems(settings: Mapping[str, Any]) -> dict[str, str]:
    """Map each setting of this plugin whose value cannot work to what to use."""
    return {
        name: (
            f"{name} is {settings[name]!r}; it must be text holding {{id}}, "
            f"e.g. {DEFAULTS[name]!r}"
        )
        for name in DEFAULTS
        if not (isinstance(settings[name], str) and "{id}" in settings[name])
    }
