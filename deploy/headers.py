"""The header policy as deploys apply it: plugins/assets/headers.py, for deploy/.

The policy itself is declared once, in the assets plugin (its docstring says
why there and not here); this module is deploy/'s one way to it:

- `HeaderPolicy` and `HEADERS_FILE` are the plugin's, re-exported.
- `publish_policy()` is the policy of the publish settings (publishconf.py):
  what the live site is served with.
"""

from __future__ import annotations

from pelican.settings import read_settings

from tools.build import plugins_on_path
from tools.config import CONFIG

plugins_on_path()
# After plugins_on_path(): the plugin is importable as the build imports it.
from assets.headers import HEADERS_FILE, HeaderPolicy  # noqa: E402

__all__ = [
    "HEADERS_FILE",
    "HeaderPolicy",
    "publish_policy",
]


def publish_policy() -> HeaderPolicy:
    """Return the header policy of the publish settings."""
    return HeaderPolicy.from_settings(read_settings(str(CONFIG["publish_settings"])))

