"""Build cache: reuse the expensive work of earlier builds, never their stale output.

Contract:
- When Pelican asks for generators (`get_generators`: after every plugin's
  `initialized` has filled in its defaults, before any generator opens its
  cache) the build's fingerprint is taken: every setting but the
  output and cache folders, every file of the theme and of the plugin folders,
  and the versions of the packages that shape the output. CACHE_PATH becomes
  `CACHE_PATH/<fingerprint>`, so a change to any of those inputs starts an
  empty cache: an entry written under other settings, templates or code can
  never be read. The newest BUILD_CACHE_KEEP fingerprint folders are kept.
- Pelican's reader cache is switched on there (Markdown is parsed once per
  source file; Pelican checks each file's modification time).
- Sources not cached yet are read and typeset in worker processes first,
  one per core (prewarm.py), so a cold build parses on every core.
- Typography: Pelican applies Typogrify after its reader cache, to every text
  on every build. Typogrify's results are kept in `typography.pickle`, keyed by
  the text and Typogrify's options, and returned unchanged: the output is
  Typogrify's own, byte for byte.
- `cache_folder(settings, name)` is a folder other plugins may keep files in,
  valid for this fingerprint; `shared_cache_folder(settings, name)` one kept
  whatever the fingerprint, for content-addressed files (images keeps its
  copies and social cards there, so a theme or settings change redraws
  none that it does not change).
- A cache never fails a build: `typography.pickle` is written to a temporary
  file and renamed into place (a full disk or a stopped build leaves the old
  file whole); one that cannot be read, or written, is passed over with one
  line on NOTICES_LOGGER (below WARNING: a `--fatal warnings` build goes on).
  Pelican's own reader cache is Pelican's: tools/build.py deletes one it
  cannot unpickle and builds again.
"""

from __future__ import annotations

import contextlib
import hashlib
from importlib import metadata
import json
import logging
import os
from pathlib import Path
import pickle
import shutil
import tempfile
import time
import types

from content_schema.settings import fill_in
from pelican import signals
import smartypants
import typogrify.filters

from .prewarm import prewarm
from .settings import DEFAULTS, problems

# The setting that keeps CACHE_PATH as the site gave it, once CACHE_PATH
# names the fingerprint's folder; and the folder under it kept whatever the
# fingerprint, with its files' lifetime when unused.
CACHE_ROOT = "BUILD_CACHE_ROOT"
SHARED = "shared"
SHARED_DAYS = 30
# Settings that say where files go, or whether the search index is made now,
# not what the cached files contain. (The development server builds without
# the index and makes it after the reload: the same cache must serve both.)
# CONTENT_RECORDS is content_schema's parse of the content, not a setting:
# Pelican's reader cache checks the content files themselves.
UNFINGERPRINTED = frozenset(
    {
        "OUTPUT_PATH",
        "CACHE_PATH",
        CACHE_ROOT,
        "CACHE_CONTENT",
        "LOAD_CONTENT_CACHE",
        "SEARCH_INDEX",
        "CONTENT_RECORDS",
        # How many processes read the sources, not what they read.
        "BUILD_CACHE_PROCESSES",
        "BUILD_CACHE_PREWARM_MIN",
    }
)
# Packages whose version changes the HTML, the images or the search index.
PACKAGES = (
    "pelican",
    "markdown",
    "typogrify",
    "smartypants",
    "jinja2",
    "pillow",
    "pygments",
    "pagefind",
)
TYPOGRAPHY_FILE = "typography.pickle"
# Notices for the writer, logged below WARNING (tools/build.py prints them).
NOTICES_LOGGER = "build_cache.notices"
notices = logging.getLogger(NOTICES_LOGGER)
# What unpickling a damaged file may raise (truncated: EOFError; garbage: the rest).
UNREADABLE = (
    OSError,
    pickle.UnpicklingError,
    EOFError,
    ValueError,
    TypeError,
    AttributeError,
    ImportError,
    IndexError,
    KeyError,
)
FINGERPRINT_LENGTH = 16


def _stable(value: object) -> str:
    """Describe a setting value the same way in every process."""
    if isinstance(value, types.ModuleType):
        return value.__name__
    if callable(value):
        return (
            f"{getattr(value, '__module__', '')}.{getattr(value, '__qualname__', '')}"
        )
    return repr(value)


def _tree_digest(digest, folder: Path) -> None:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(folder).as_posix().encode())
            digest.update(path.read_bytes())


def fingerprint(settings: dict) -> str:
    """Return a digest of everything, but the folders, that decides a build's output."""
    digest = hashlib.sha256()
    fingerprinted = {
        key: value for key, value in settings.items() if key not in UNFINGERPRINTED
    }
    digest.update(json.dumps(fingerprinted, sort_keys=True, default=_stable).encode())
    _tree_digest(digest, Path(settings["THEME"]))
    for folder in settings.get("PLUGIN_PATHS", ()):
        _tree_digest(digest, Path(folder))
    for package in PACKAGES:
        try:
            digest.update(f"{package}=={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package} absent".encode())
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def cache_folder(settings: dict, name: str) -> Path:
    """Return (creating it) a folder of this build's cache for one kind of file."""
    folder = Path(settings["CACHE_PATH"]) / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shared_cache_folder(settings: dict, name: str) -> Path:
    """Return (creating it) a cache folder kept whatever the fingerprint.

    For content-addressed files only: each file's name must be a digest of
    everything it is made from (its source, options, the code and the
    package versions that make it), since no fingerprint guards it. A file
    no build has used for SHARED_DAYS days is deleted (`_prune_shared`).
    """
    folder = Path(settings[CACHE_ROOT]) / SHARED / name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _prune_shared(base: Path, days: float = SHARED_DAYS) -> None:
    """Delete the shared cache's files not used for `days` days."""
    shared = base / SHARED
    if not shared.is_dir():
        return
    oldest = time.time() - days * 86400
    for path in shared.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink()


def _prune(base: Path, keep: int) -> None:
    folders = sorted(
        (path for path in base.iterdir() if path.is_dir() and path.name != SHARED),
        key=lambda path: path.stat().st_mtime,
        reverse=True,
    )
    for stale in folders[keep:]:
        shutil.rmtree(stale, ignore_errors=True)


class TypographyMemo:
    """Typogrify's results, remembered per text and options, kept between builds."""

    def __init__(self) -> None:
        """Start empty and inactive: `load` begins a build."""
        self.path: Path | None = None
        self.known: dict[str, str] = {}
        self.used: set[str] = set()

    def load(self, path: Path) -> None:
        """Start a build whose results live in `path`."""
        self.path, self.used = path, set()
        self.known = {}
        try:
            with path.open("rb") as stored:
                # Our own file, in the build's cache folder: trusted as the build is.
                known = pickle.load(stored)
        except FileNotFoundError:
            return  # the first build with these inputs
        except UNREADABLE as error:
            notices.info(
                "Build cache: %s could not be read (%s); building without it, "
                "it is written anew.",
                path,
                type(error).__name__,
            )
            return
        if isinstance(known, dict):
            self.known = known

    def save(self) -> None:
        """Keep what this build used, and only that, so the file cannot grow forever."""
        if self.path is None:
            return
        kept = {key: self.known[key] for key in self.used}
        path, self.path = self.path, None
        # A temporary file of its own, renamed into place: two builds sharing
        # the cache, a full disk or a stopped build never leave half a file.
        try:
            handle, partial = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".partial", dir=path.parent
            )
        except OSError as error:
            notices.info("Build cache: %s not saved (%s).", path, error.strerror)
            return
        try:
            with os.fdopen(handle, "wb") as stored:
                pickle.dump(kept, stored, protocol=pickle.HIGHEST_PROTOCOL)
            os.chmod(partial, 0o644)  # mkstemp's 0600, as any other cache file
            os.replace(partial, path)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(partial)
            notices.info("Build cache: %s not saved (%s).", path, error.strerror)

    def apply(self, original, text, *arguments, **options):
        """Return `original(text, …)`, computed once per text and options."""
        if self.path is None or not isinstance(text, str):
            return original(text, *arguments, **options)
        key = hashlib.sha256(
            "\0".join(
                (
                    text,
                    repr(arguments),
                    repr(sorted(options.items())),
                    str(int(smartypants.Attr.default)),
                )
            ).encode()
        ).hexdigest()
        self.used.add(key)
        if key not in self.known:
            self.known[key] = original(text, *arguments, **options)
        return self.known[key]


def _install_memo(memo: TypographyMemo) -> None:
    """Route Typogrify through `memo` for this build (until `_remove_memo`).

    Pelican imports `typogrify` from typogrify.filters inside every call of
    Readers.read_file, so replacing the module attribute reaches it. The
    memo lives on the wrapper, not in this module: a build installs its own,
    replacing whatever an earlier build (even a failed one) left.
    """
    original = getattr(
        typogrify.filters.typogrify, "original", typogrify.filters.typogrify
    )

    def memoised_typogrify(text, *arguments, **options):
        return memo.apply(original, text, *arguments, **options)

    memoised_typogrify.original = original
    memoised_typogrify.memo = memo
    typogrify.filters.typogrify = memoised_typogrify


def _remove_memo() -> TypographyMemo | None:
    """Give Typogrify back its own function; return the memo the build used."""
    installed = typogrify.filters.typogrify
    typogrify.filters.typogrify = getattr(installed, "original", installed)
    return getattr(installed, "memo", None)


def start(pelican) -> None:
    """Point the build at its fingerprint's cache and switch the caches on.

    Connected to `get_generators` and returns no generator.
    """
    settings = pelican.settings
    fill_in(settings, "build_cache", DEFAULTS, problems)
    base = Path(settings["CACHE_PATH"])
    settings[CACHE_ROOT] = str(base)
    settings["CACHE_PATH"] = str(base / fingerprint(settings))
    Path(settings["CACHE_PATH"]).mkdir(parents=True, exist_ok=True)
    # Touch: pruning keeps the folders used most recently.
    Path(settings["CACHE_PATH"]).touch()
    _prune(base, settings["BUILD_CACHE_KEEP"])
    _prune_shared(base)
    settings["CACHE_CONTENT"] = True
    settings["LOAD_CONTENT_CACHE"] = True
    settings["CONTENT_CACHING_LAYER"] = "reader"
    settings["GZIP_CACHE"] = False  # faster to read; disk is cheap
    memo = TypographyMemo()
    memo.load(Path(settings["CACHE_PATH"]) / TYPOGRAPHY_FILE)
    _install_memo(memo)
    # Markdown and Typogrify for every uncached source, on every core.
    prewarm(settings, memo)


def finish(_pelican) -> None:
    """Store this build's typography for the next one; uninstall the memo."""
    memo = _remove_memo()
    if memo is not None:
        memo.save()


def register() -> None:
    """Connect the plugin to Pelican."""
    signals.get_generators.connect(start)
    signals.finalized.connect(finish)
