"""Assets: one minified stylesheet named by its content hash, and a _headers file.

Contract for templates:
- `CSS_BUNDLE_URL`: path of the stylesheet, relative to SITEURL, e.g.
  `theme/css/site.3f9a1c2b7d.css`. Its name changes whenever its content
  does, so hosts may cache it forever.

The bundle is built from ASSETS_CSS_ENTRY (theme-relative): its `@import` lines
are inlined in order (an import with a media query is wrapped in `@media`),
then the whole is minified with rcssmin. `_headers` (read by Netlify,
Cloudflare Pages and similar hosts) is the header policy of `headers.py` for
this build's settings, the bundle named as its one hash-named file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
import re

from content_schema.settings import fill_in
from pelican import signals
from pelican.generators import Generator
import rcssmin

from .headers import HASH_LENGTH, HEADERS_FILE, HeaderPolicy
from .settings import DEFAULTS, problems

IMPORT = re.compile(
    r'^\s*@import\s+"(?P<path>[^"]+)"\s*(?P<media>[^;]*);\s*$', re.MULTILINE
)


class AssetError(Exception):
    """The stylesheet entry names a file that does not exist."""


def bundle_css(entry: Path) -> str:
    """Inline the `@import` lines of `entry`, in order, and minify the result."""

    def inline(match: re.Match) -> str:
        imported = entry.parent / match["path"]
        if not imported.is_file():
            raise AssetError(f"{entry}: @import {match['path']!r}: no such file")
        css = imported.read_text(encoding="utf-8")
        media = match["media"].strip()
        return f"@media {media}{{{css}}}" if media else css

    return rcssmin.cssmin(IMPORT.sub(inline, entry.read_text(encoding="utf-8")))


def set_defaults(pelican) -> None:
    """Fill in plugin settings the site did not set; name any that cannot work."""
    fill_in(pelican.settings, "assets", DEFAULTS, problems)


class AssetsGenerator(Generator):
    """Builds the stylesheet bundle before pages render; writes it and _headers."""

    def generate_context(self) -> None:
        """Bundle the CSS and publish its hashed path to the templates."""
        self.css = bundle_css(Path(self.theme) / self.settings["ASSETS_CSS_ENTRY"])
        digest = hashlib.sha256(self.css.encode()).hexdigest()[:HASH_LENGTH]
        self.css_path = self.settings["ASSETS_CSS_OUTPUT"].format(hash=digest)
        self.context["CSS_BUNDLE_URL"] = self.css_path

    def generate_output(self, writer) -> None:
        """Write the bundle and the hosts' _headers file."""
        target = Path(self.output_path) / self.css_path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(self.css, encoding="utf-8")
        policy = HeaderPolicy.from_settings(self.settings)
        headers = policy.headers_file([self.css_path])
        Path(self.output_path, HEADERS_FILE).write_text(headers, encoding="utf-8")


def get_generators(_pelican) -> type[AssetsGenerator]:
    """Hand Pelican our generator class."""
    return AssetsGenerator


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.initialized.connect(set_defaults)
    # A generator's context is ready before any page renders, so templates can
    # link the hashed file name.
    signals.get_generators.connect(get_generators)
