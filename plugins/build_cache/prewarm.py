"""Read and typeset the sources a build has not cached yet, on every core.

Contract: `prewarm(settings, memo)` runs where build_cache switches the
caches on (`get_generators`: settings filled in, plugins registered, before
any generator opens its reader cache). It lists the article and page sources
whose reader-cache entry is missing or stale, and, when there are at least
BUILD_CACHE_PREWARM_MIN of them and more than one process is allowed
(BUILD_CACHE_PROCESSES), reads them in worker processes forked from this
one: Pelican's own Readers.read_file, so Markdown, our reader plugins and
Typogrify run exactly as in the build. The workers hand back what Pelican
would have cached (each file's content and metadata, stamped with its
modification time) and the Typogrify results (build_cache's memo); both are
put in place before the generators start, which then find every file
cached. The generators still read, check and shape every source themselves:
this only moves the parsing earlier, so the output is byte for byte the
serial build's (tests/test_build_cache.py builds both and compares).

A file a worker cannot read is left out and read by the build itself, which
then reports its problem as usual.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
import contextlib
import logging
import multiprocessing
import os
from pathlib import Path
import pickle
import tempfile

from pelican.contents import Article, Page
from pelican.readers import Readers
from pelican.urlwrappers import URLWrapper

# Pelican's reader cache files, one per generator (generators.py names them).
CACHE_FILES = {
    "articles": "ArticlesGenerator-Readers",
    "pages": "PagesGenerator-Readers",
}
CONTENT_CLASSES = {"articles": Article, "pages": Page}
# Sources per task sent to a worker: enough to make the hand-over cheap.
CHUNK = 25

logger = logging.getLogger(__name__)


def processes(settings: dict) -> int:
    """Return how many processes may read: BUILD_CACHE_PROCESSES, or every core."""
    wanted = settings["BUILD_CACHE_PROCESSES"]
    if wanted:
        return wanted
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def sources(settings: dict) -> dict[str, list[str]]:
    """Map "articles" and "pages" to the absolute paths of their source files."""
    root = Path(settings["PATH"]).resolve()
    extensions = set(Readers(settings).extensions)
    found: dict[str, list[str]] = {}
    for kind, paths, excludes in (
        ("articles", settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"]),
        ("pages", settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"]),
    ):
        excluded = [root / exclude for exclude in excludes]
        files = set()
        for folder in paths:
            for path in (root / folder).rglob("*"):
                if (
                    path.is_file()
                    and path.suffix.lstrip(".") in extensions
                    and not any(path.is_relative_to(e) for e in excluded)
                    and not any(part.startswith(".") for part in path.parts)
                ):
                    files.add(str(path))
        found[kind] = sorted(files)
    return found


def _load(path: Path) -> dict:
    try:
        with path.open("rb") as stored:
            # Pelican's own cache file, in the build's cache folder.
            cache = pickle.load(stored)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
        return {}
    return cache if isinstance(cache, dict) else {}


def _save(path: Path, cache: dict) -> None:
    """Write `cache` whole or not at all (temporary file, then renamed)."""
    handle, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stored:
            pickle.dump(cache, stored)
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(partial)


def _stale(cache: dict, path: str) -> bool:
    entry = cache.get(path)
    try:
        return entry is None or entry[0] != os.path.getmtime(path)
    except OSError:
        return False  # gone: the build will say so


# A worker's job, set in each worker process by `_start_worker` (never in
# the build's own process).
_JOB: dict = {}


def _start_worker(settings: dict, memo) -> None:
    """In a new worker: keep the build's settings and Typogrify memo (forked)."""
    _JOB.update(settings=settings, memo=memo)


def _read(task: tuple[str, list[str]]) -> tuple[str, dict, dict]:
    """In a worker: read `task`'s files; return (kind, cache entries, typography)."""
    kind, paths = task
    settings, memo = _JOB["settings"], _JOB["memo"]
    known_before = set(memo.known)
    readers = Readers({**settings, "LOAD_CONTENT_CACHE": False}, CACHE_FILES[kind])
    root = settings["PATH"]
    for path in paths:
        # Anything a file raises here, the build raises again, reading it itself.
        with contextlib.suppress(Exception):
            readers.read_file(
                base_path=root,
                path=os.path.relpath(path, root),
                content_class=CONTENT_CLASSES[kind],
            )
    typography = {key: memo.known[key] for key in set(memo.known) - known_before}
    entries = dict(readers._cache)
    _point_settings(entries, None)  # the parent has them: not sent back
    return kind, entries, typography


def _point_settings(entries: dict, settings: dict | None) -> None:
    """Make the tags, categories and authors in `entries` hold `settings`.

    Each one holds the build's settings, as read in the build itself: sent
    without them, and given back the build's own object (not a copy per
    worker, which would also make the cache file as large as the copies).
    """
    for _stamp, (_content, metadata) in entries.values():
        for value in metadata.values():
            for entry in value if isinstance(value, (list, tuple)) else (value,):
                if isinstance(entry, URLWrapper):
                    entry.settings = settings


def prewarm(settings: dict, memo) -> int:
    """Read every uncached source in worker processes; return how many were sent."""
    workers = processes(settings)
    if workers < 2 or not settings["CACHE_CONTENT"]:
        return 0
    cache_folder = Path(settings["CACHE_PATH"])
    caches = {kind: _load(cache_folder / name) for kind, name in CACHE_FILES.items()}
    tasks = []
    for kind, paths in sources(settings).items():
        missing = [path for path in paths if _stale(caches[kind], path)]
        tasks += [(kind, missing[i : i + CHUNK]) for i in range(0, len(missing), CHUNK)]
    sent = sum(len(paths) for _kind, paths in tasks)
    if sent < settings["BUILD_CACHE_PREWARM_MIN"]:
        return 0
    # Logging in the workers is off: the build logs each file's warnings
    # itself when it reads it (from the cache, or again if a worker failed).
    root_logger = logging.getLogger()
    level = root_logger.level
    try:
        root_logger.setLevel(logging.CRITICAL + 1)
        # Forked, so the workers have this build's plugins, readers and memo
        # as they are now, without pickling them.
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_start_worker,
            initargs=(settings, memo),
        ) as pool:
            for kind, entries, typography in pool.map(_read, tasks):
                _point_settings(entries, settings)
                caches[kind].update(entries)
                memo.known.update(typography)
    finally:
        root_logger.setLevel(level)
    for kind, name in CACHE_FILES.items():
        _save(cache_folder / name, caches[kind])
    return sent
