"""Manifest plugin: the build records where every file of its output came from.

Contract:
- Every build ends by writing its output's manifest (`.manifest.jsonl`,
  listing.py: each file's path, origin, size and SHA-256), after every other
  plugin has written its files. Every deploy and the preview of `output/`
  refuse a file it does not vouch for (`listing.verify`).
- Each origin is recorded as the file is written, not guessed from its name:
  - pages of Pelican's writer (content_written): the article's or page's
    source, content-relative, when the page is that item's own (its
    `save_as`); else the generator writing it (index, lists, archives, their
    pagination, a plugin's template pages), e.g. "pelican:ArticlesGenerator";
  - feeds (feed_written): "pelican:feeds";
  - static files: the content file each of Pelican's `Static` items copies
    (`source_path` to `save_as`); the theme's static files as Pelican copies
    them (THEME_STATIC_PATHS into THEME_STATIC_DIR, IGNORE_FILES left out),
    theme-relative;
  - what a plugin's generator writes itself (image copies and cards, the
    stylesheet bundle, `_headers`, robots.txt): the output folder is compared
    before and after its `generate_output`, and what changed is that
    generator's, e.g. "images:ImagesGenerator";
  - what is written after the generators, where nothing tells what was
    written: `final_step`, each such plugin's own output by its own settings
    (pelican-sitemap's sitemap, the search plugin's index folder, and
    pelican-precompress's copies of files already accounted for).
- A file of no known origin, a file two origins wrote, and anything that is
  not a plain file (a symbolic link) are a build error naming each one,
  logged as an error (a `--fatal` build stops there); the manifest leaves
  them out, so no deploy takes them. A build that keeps its earlier output
  (DELETE_OUTPUT_DIRECTORY False: the preview's work folder) lists only what
  it wrote: anything else is an earlier build's leftover, and no error.

The run's records live in a `ManifestRun` made for that run: its receivers
are its own methods, connected for the run and disconnected when it ends.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
import fnmatch
import logging
import os
from pathlib import Path

import blinker
from pelican import signals
from pelican.plugins import granular_signals

from .listing import (
    CONTENT,
    FILE,
    GENERATOR,
    MANIFEST_FILE,
    SYMLINK,
    THEME,
    Entry,
    entry,
    shown,
    walk,
    write_manifest,
)

logger = logging.getLogger(__name__)

# pelican-granular-signals' last stage. It sends its signals after every
# receiver of `finalized` (sitemap, Pagefind, pelican-minify, which rewrites
# the pages in place) and in this order: sitemap, optimize, minify, compress
# (pelican-precompress writes its .br and .gz copies), deploy.
LAST_STAGE = "deploy"
# The precompressed copies pelican-precompress may write beside a file.
COMPRESSED = (".br", ".gz", ".zst")
# A file's origin: (kind, source), as the manifest lists it.
Origin = tuple[str, str]
# Each file's (inode, size, modification and change times): a changed one was
# written again.
Signature = tuple[int, int, int, int]


def generator_name(cls: type) -> str:
    """Name a generator class as the manifest does: "<plugin>:<class>".

    Pelican's own are "pelican:…"; a plugin's, its package as PLUGINS names it.
    """
    parts = cls.__module__.split(".")
    plugin = ".".join(parts[:3]) if parts[:2] == ["pelican", "plugins"] else parts[0]
    return f"{plugin}:{cls.__name__}"


def snapshot(output: Path) -> dict[str, Signature]:
    """Map every entry of `output` but folders (links not followed) to its Signature."""
    found = {}
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(output / folder) as entries:
            for item in entries:
                relative = f"{folder}{item.name}"
                if item.is_dir(follow_symlinks=False):
                    pending.append(f"{relative}/")
                    continue
                info = item.stat(follow_symlinks=False)
                found[relative] = (
                    info.st_ino,
                    info.st_size,
                    info.st_mtime_ns,
                    info.st_ctime_ns,
                )
    return found


def theme_files(settings: Mapping) -> dict[str, str]:
    """Map each theme file Pelican copies to the output to its theme-relative path.

    As StaticGenerator.generate_output and pelican.utils.copy do it: each of
    THEME_STATIC_PATHS, a file or a folder (links followed, as Pelican's
    copy follows them), into THEME_STATIC_DIR, names matching IGNORE_FILES
    left out.
    """
    theme = Path(settings["THEME"])
    target = Path(settings["THEME_STATIC_DIR"])
    ignores = settings.get("IGNORE_FILES", ())

    def ignored(name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in ignores)

    copied = {}
    for static in settings.get("THEME_STATIC_PATHS", ()):
        source = theme / static
        if ignored(source.name):
            continue
        if source.is_file():
            copied[(target / source.name).as_posix()] = static
            continue
        for folder, folders, files in os.walk(source, followlinks=True):
            folders[:] = [name for name in folders if not ignored(name)]
            for name in files:
                if not ignored(name):
                    path = Path(folder, name)
                    output = target / path.relative_to(source)
                    copied[os.path.normpath(output).replace(os.sep, "/")] = (
                        path.relative_to(theme).as_posix()
                    )
    return copied


def final_step(path: str, settings: Mapping, accounted: Iterable[str]) -> str:
    """Name the plugin that wrote `path` after the generators, or "" if none did.

    Each by its own settings, and only when it is in PLUGINS: these plugins
    write at `finalized` or later, where no signal says what they wrote.
    `accounted` holds the files whose origin is known already.
    """
    plugins = settings.get("PLUGINS", ())
    sitemap = f"sitemap.{settings.get('SITEMAP', {}).get('format', 'xml')}"
    if "pelican.plugins.sitemap" in plugins and path == sitemap:
        return "pelican.plugins.sitemap"
    index = settings.get("SEARCH_INDEX_DIR")
    if (
        "search" in plugins
        and settings.get("SEARCH_INDEX")
        and index
        and path.startswith(f"{index}/")
    ):
        return "search"
    suffix = os.path.splitext(path)[1]
    if (
        "pelican.plugins.precompress" in plugins
        and suffix in COMPRESSED
        and path.removesuffix(suffix) in accounted
    ):
        return "pelican.plugins.precompress"
    return ""


class ManifestRun:
    """One build's records: each file's origin as it is written.

    Made when every generator has its context (`start`); its receivers are
    connected for this run only, and check the signal is this run's (a
    stopped build's run, not yet collected, must record nothing of the next).
    """

    def __init__(self, generators: list) -> None:
        """Watch the generators of one run, all sharing one context and settings."""
        first = generators[0]
        self.context = first.context
        self.settings = first.settings
        # As Pelican joins it (absolute, links not resolved), so the paths its
        # signals give are inside it.
        self.output = Path(os.path.abspath(first.output_path))
        # {relative path: the origins recorded for it}
        self.claims: dict[str, set[Origin]] = {}
        # The generator whose generate_output runs now, and what it recorded.
        self.current = ""
        self.recorded_now: set[str] = set()
        # The folder as the last plugin generator left it, while nothing
        # else has written since (see _watch).
        self.last: dict[str, Signature] | None = None
        self.receivers = (
            (signals.content_written, self.record_page),
            (signals.feed_written, self.record_feed),
            (blinker.signal(LAST_STAGE), self.finish),
        )
        for signal, receiver in self.receivers:
            signal.connect(receiver)
        for generator in generators:
            if hasattr(generator, "generate_output"):
                self._watch(generator)

    def _ours(self, context: Mapping | None) -> bool:
        """Tell whether a writer's `context` is this run's (its content map)."""
        return (context or {}).get("generated_content") is self.context.get(
            "generated_content"
        )

    def _claim(self, path: str, origin: Origin) -> None:
        relative = Path(os.path.relpath(os.path.abspath(path), self.output))
        self.claims.setdefault(relative.as_posix(), set()).add(origin)
        self.recorded_now.add(relative.as_posix())

    def record_page(self, path: str, context: Mapping | None = None) -> None:
        """content_written: a page of Pelican's writer, its item's or a generator's."""
        if not self._ours(context):
            return
        item = context.get("article") or context.get("page")
        relative = os.path.relpath(os.path.abspath(path), self.output)
        own = item is not None and os.path.normpath(
            getattr(item, "save_as", "") or ""
        ) == os.path.normpath(relative)
        if own and getattr(item, "relative_source_path", None):
            self._claim(path, (CONTENT, Path(item.relative_source_path).as_posix()))
        else:
            self._claim(path, (GENERATOR, self.current or "pelican:writer"))

    def record_feed(
        self, path: str, context: Mapping | None = None, feed: object = None
    ) -> None:
        """feed_written: a feed of Pelican's writer."""
        del feed  # the feed object: its file is what the manifest lists
        if self._ours(context):
            self._claim(path, (GENERATOR, "pelican:feeds"))

    def _watch(self, generator) -> None:
        """Record what `generator` writes; a plugin's, by comparing the folder.

        Pelican's own generators write through the writer (recorded by its
        signals) and copy static files (accounted for in `attribute`); what
        else they wrote is of unknown origin. A plugin's generator may write
        files itself: what changed in the folder while it ran is its own.
        """
        original = generator.generate_output
        name = generator_name(type(generator))
        plugin = not name.startswith("pelican:")

        def generate_output(writer) -> None:
            self.current, self.recorded_now = name, set()
            # Plugins' generators run one after another: the folder as the
            # last one left it is where the next starts (one walk, not two).
            before = (self.last or snapshot(self.output)) if plugin else {}
            self.last = None
            try:
                original(writer)
            finally:
                self.current = ""
            if plugin:
                self.last = after = snapshot(self.output)
                for path, signature in after.items():
                    # Pages it wrote through the writer are recorded already.
                    if before.get(path) != signature and path not in self.recorded_now:
                        self.claims.setdefault(path, set()).add((GENERATOR, name))

        # An attribute of this generator only: Pelican makes new ones every
        # run, and this closure keeps the run alive as long as they live.
        generator.generate_output = generate_output

    def attribute(self) -> tuple[list[Entry], list[str]]:
        """Return the manifest's entries and the build's problems (see the module)."""
        static = {
            os.path.normpath(item.save_as).replace(os.sep, "/"): Path(
                item.relative_source_path
            ).as_posix()
            for item in self.context.get("staticfiles", ())
            if item.save_as and item.relative_source_path
        }
        theme = theme_files(self.settings)
        found = list(walk(self.output))
        origins: dict[str, Origin] = {}
        problems: list[str] = []
        unplaced = []
        for path, kind in found:
            if kind != FILE:
                what = "a symbolic link" if kind == SYMLINK else "not a plain file"
                problems.append(
                    f"{shown(path)} is {what}; a build publishes files only"
                )
                continue
            claims = set(self.claims.get(path, ()))
            if path in static:
                claims.add((CONTENT, static[path]))
            if path in theme:
                claims.add((THEME, theme[path]))
            if len(claims) > 1:
                written = " and ".join(
                    f"{kind} {source}" for kind, source in sorted(claims)
                )
                problems.append(f"{shown(path)} was written by both {written}")
            elif claims:
                origins[path] = claims.pop()
            else:
                unplaced.append(path)
        # Precompressed copies last: their originals are accounted for by then.
        unplaced.sort(key=lambda path: os.path.splitext(path)[1] in COMPRESSED)
        keeps_earlier = not self.settings.get("DELETE_OUTPUT_DIRECTORY", True)
        for path in unplaced:
            step = final_step(path, self.settings, origins)
            if step:
                origins[path] = (GENERATOR, step)
            elif not keeps_earlier:
                problems.append(f"{shown(path)} has no known origin")
        if MANIFEST_FILE in self.claims:
            writers = ", ".join(sorted(s for _, s in self.claims[MANIFEST_FILE]))
            problems.append(
                f"{MANIFEST_FILE} was written by {writers}: that name is the "
                "manifest's own"
            )
        entries = [
            entry(self.output, path, kind, source)
            for path, (kind, source) in origins.items()
        ]
        return entries, problems

    def finish(self, pelican) -> None:
        """At the last stage, write the manifest; log its problems as one error."""
        if getattr(pelican, "settings", None) is not self.settings:
            return
        for signal, receiver in self.receivers:
            signal.disconnect(receiver)
        entries, problems = self.attribute()
        # Written before the error is logged: a --fatal build stops at the log.
        write_manifest(self.output, entries)
        if problems:
            logger.error(
                "The build wrote files that cannot be published, because no "
                "content file, theme file or known step of the build accounts "
                "for them: %s. The manifest (%s) leaves them out, so no deploy "
                "takes them. Find what writes them and stop it, or, for a new "
                "step of the build, name its files in plugins/manifest/manifest.py "
                "(final_step).",
                "; ".join(problems),
                MANIFEST_FILE,
            )


def start(generators: list) -> None:
    """all_generators_finalized: begin this run's records (a ManifestRun)."""
    if generators:
        ManifestRun(generators)


def register() -> None:
    """Connect the plugin to Pelican."""
    # Every context is ready and no file is written yet: the generators'
    # generate_output calls, which write the site, come next.
    signals.all_generators_finalized.connect(start)
    # Its `deploy` signal comes after every other plugin's writing, minify's
    # and precompress's included (see LAST_STAGE); registering it twice is
    # harmless (it keeps a flag).
    granular_signals.register()
