"""The header policy as deploys apply it: plugins/assets/headers.py, for deploy/.

The policy itself is declared once, in the assets plugin (its docstring says
why there and not here); this module is deploy/'s one way to it:

- `HeaderPolicy` and `HEADERS_FILE` are the plugin's, re-exported.
- `publish_policy()` is the policy of the publish settings (publishconf.py):
  what the live site is served with.
- `NGINX_INCLUDE` is the checked-in nginx include, deploy/nginx-headers.conf;
  `write_nginx_include()` writes it from `publish_policy()` (`invoke
  nginx-headers`), and tests/test_headers.py checks that it is up to date.
"""

from __future__ import annotations

from pathlib import Path

from assets.headers import HEADERS_FILE, HeaderPolicy
from pelican.settings import read_settings

from tools.config import CONFIG

NGINX_INCLUDE = Path(__file__).with_name("nginx-headers.conf")

__all__ = [
    "HEADERS_FILE",
    "NGINX_INCLUDE",
    "HeaderPolicy",
    "publish_policy",
    "write_nginx_include",
]


def publish_policy() -> HeaderPolicy:
    """Return the header policy of the publish settings."""
    return HeaderPolicy.from_settings(read_settings(str(CONFIG["publish_settings"])))


def write_nginx_include(target: Path = NGINX_INCLUDE) -> bool:
    """Write the publish policy's nginx include to `target`; return if it changed."""
    text = publish_policy().nginx_include()
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return False
    target.write_text(text, encoding="utf-8")
    return True
