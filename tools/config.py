"""Where things are: the paths, host, port and branches the tasks use."""

from __future__ import annotations

import os
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent
CONFIG = {
    "content": ROOT / "content",
    "output": ROOT / "output",
    # What `make serve` builds and serves: its own folder, so that `make
    # publish` or `make html` into output/ never replaces the pages an open
    # preview is showing.
    "preview": ROOT / ".preview",
    # Where a running `make serve` notes its address and process (see
    # tools/preview_process.py), so a second one, `make new-article` and
    # `make new-testimonial` can name that address.
    "preview_state": ROOT / ".preview-server.json",
    # The writers' guide the preview's error page links to, served rendered.
    "writing_guide": ROOT / "docs" / "writing.md",
    # The theme's stylesheets, served as they are by the preview (preview_pages).
    "theme_css": ROOT / "theme" / "static" / "css",
    # The browser editor of `make edit` (tools/editor_server.py): its page and
    # generated configuration, and Decap CMS's bundle as npm installed it.
    "editor": ROOT / "tools" / "editor",
    "decap_bundle": ROOT / "node_modules" / "decap-cms" / "dist",
    "dev_settings": ROOT / "pelicanconf.py",
    "publish_settings": ROOT / "publishconf.py",
    "host": "127.0.0.1",
    "port": 8000,
    # How many ports after `port` the preview tries when that one is taken.
    "port_tries": 10,
    # What the live-reload server watches: every input of the build.
    "watched": ("content", "theme", "plugins", "pelicanconf.py", "publishconf.py"),
    "ghp_branch": "gh-pages",
    # The branch the live site is published from; --branch names another.
    "publish_branch": "main",
    "ghp_remote": os.environ.get("PAGES_REMOTE", "origin"),
    "lock": ROOT / "requirements.lock",
    "serve_lock": ROOT / "requirements-serve.lock",
    "chromium": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
}
# The virtual environment's programs (ruff, pytest, pip-compile).
BIN = Path(sys.executable).parent
