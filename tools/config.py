"""Where things are: the paths, host, port and branches the tasks use."""

from __future__ import annotations

import os
from pathlib import Path
import sys

ROOT = Path(__file__).resolve().parent.parent
CONFIG = {
    "content": ROOT / "content",
    "output": ROOT / "output",
    "dev_settings": ROOT / "pelicanconf.py",
    "publish_settings": ROOT / "publishconf.py",
    "host": "127.0.0.1",
    "port": 8000,
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
