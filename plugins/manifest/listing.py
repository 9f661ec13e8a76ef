"""The output manifest's file, and the check every deploy and the preview make.

Contract:
- A build leaves `MANIFEST_FILE` (`.manifest.jsonl`) at the top of its output
  folder: JSON Lines, UTF-8, ASCII only. The first line is the header
  `{"manifest": 1, "files": N}`; then one line per file, sorted by path:
  `{"path": "first-visit/index.html", "kind": "content",
  "source": "articles/first-visit.md", "size": 5120, "sha256": "…"}`.
  `path` is relative to the output folder, with "/"; `kind` is one of
  `KINDS`: "content" (`source` relative to the content folder), "theme"
  (relative to the theme folder) or "generator" (the step of the build that
  wrote it, e.g. "pelican:ArticlesGenerator", "images:ImagesGenerator",
  "search"). The manifest does not list itself, and is never deployed: it
  names every file, unlisted (hidden) pages included.
- `verify(output)` returns the problems that make `output` something other
  than what its build wrote, sorted by path, or [] when it is exactly that:
  no manifest (or one that cannot be read); a symbolic link anywhere (file or
  folder, never followed), or anything else that is not a plain file or
  folder; a file the manifest does not list; a listed file that is missing,
  or whose size or SHA-256 differs. `refusal` words them for the person
  deploying, naming each file.
- Not a signature: whoever can write the output folder can rewrite its
  manifest. It stops what reaches `output/` outside a build (a file copied in
  by hand, a tool writing there, a symlink), not a hostile build.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
import hashlib
import json
import os
from pathlib import Path

MANIFEST_FILE = ".manifest.jsonl"
VERSION = 1
CONTENT, THEME, GENERATOR = "content", "theme", "generator"
KINDS = (CONTENT, THEME, GENERATOR)
# What an entry holds, in the order it is written.
FIELDS = ("path", "kind", "source", "size", "sha256")
# A refusal names this many files, then says how many more there are.
NAMED = 20
REBUILD = "Rebuild with `make publish`; do not add or change files in {folder} by hand."


@dataclass(frozen=True, order=True)
class Entry:
    """One file of the output: where it came from, its size and SHA-256."""

    path: str
    kind: str
    source: str
    size: int
    sha256: str


@dataclass(frozen=True, order=True)
class Problem:
    """A file of the output that its manifest does not vouch for, and why."""

    path: str
    reason: str

    def __str__(self) -> str:
        """Return the file (none for the folder itself) and the reason, on one line."""
        return f"{shown(self.path)}: {self.reason}" if self.path else self.reason


class ManifestError(Exception):
    """The manifest is missing or cannot be read; the message says which."""


def shown(path: str) -> str:
    """Return `path` on one line: what a terminal would not show, escaped."""
    return "".join(
        character
        if character.isprintable() and character != "\\"
        else character.encode("unicode_escape").decode("ascii")
        for character in path
    )


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of the file at `path`."""
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()


def entry(output: Path, path: str, kind: str, source: str) -> Entry:
    """Describe the file `path` of `output` (as it is now) with its origin."""
    target = output / path
    return Entry(path, kind, source, target.stat().st_size, sha256_of(target))


def write_manifest(output: Path, entries: Iterable[Entry]) -> Path:
    """Write the manifest of `output` listing `entries`; return its path.

    Whole or not at all: a temporary file renamed into place, so a build
    stopped midway leaves no half manifest that would vouch for half a site.
    """
    ordered = sorted(entries)
    lines = [json.dumps({"manifest": VERSION, "files": len(ordered)})]
    lines += [
        json.dumps({name: getattr(item, name) for name in FIELDS}) for item in ordered
    ]
    target = output / MANIFEST_FILE
    partial = output / f"{MANIFEST_FILE}.partial"
    partial.write_text("\n".join(lines) + "\n", encoding="ascii")
    partial.replace(target)
    return target


def read_manifest(output: Path) -> dict[str, Entry]:
    """Return the manifest of `output` as {path: Entry}; raise ManifestError."""
    target = output / MANIFEST_FILE
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise ManifestError(f"{MANIFEST_FILE} is not a plain file")
    try:
        lines = target.read_text(encoding="ascii").splitlines()
    except FileNotFoundError:
        raise ManifestError(
            f"there is no manifest ({MANIFEST_FILE}): this folder was not made "
            "by a build, or its manifest was deleted"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise ManifestError(f"{MANIFEST_FILE} cannot be read ({error})") from None
    try:
        header = json.loads(lines[0]) if lines else {}
        entries = [_entry(json.loads(line)) for line in lines[1:]]
    except (ValueError, TypeError, KeyError) as error:
        raise ManifestError(f"{MANIFEST_FILE} is damaged ({error})") from None
    if header != {"manifest": VERSION, "files": len(entries)}:
        raise ManifestError(
            f"{MANIFEST_FILE} is damaged or of another version: its first line "
            f'should be {{"manifest": {VERSION}, "files": {len(entries)}}}'
        )
    return {item.path: item for item in entries}


def _entry(record: object) -> Entry:
    """Return one manifest line as an Entry; raise ValueError if it is not one."""
    if not isinstance(record, dict) or set(record) != set(FIELDS):
        raise ValueError(f"a line does not have the fields {', '.join(FIELDS)}")
    item = Entry(**record)
    if not (
        isinstance(item.path, str)
        and item.kind in KINDS
        and isinstance(item.source, str)
        and isinstance(item.size, int)
        and isinstance(item.sha256, str)
    ):
        raise ValueError(f"the line of {item.path!r} has a value of the wrong type")
    return item


# What `walk` finds: a plain file, a symbolic link, or anything else.
FILE, SYMLINK, OTHER = "file", "symlink", "other"


def walk(output: Path) -> Iterator[tuple[str, str]]:
    """Yield (relative path, FILE | SYMLINK | OTHER) for everything in `output`.

    Folders are entered, never through a symbolic link; the manifest itself
    is left out. Sorted, so problems come in a stable order.
    """
    pending = [""]
    while pending:
        folder = pending.pop()
        with os.scandir(output / folder if folder else output) as scanned:
            entries = sorted(scanned, key=lambda item: item.name)
        for item in entries:
            relative = f"{folder}/{item.name}" if folder else item.name
            if relative == MANIFEST_FILE:
                continue
            if item.is_symlink():
                yield relative, SYMLINK
            elif item.is_dir(follow_symlinks=False):
                pending.append(relative)
            elif item.is_file(follow_symlinks=False):
                yield relative, FILE
            else:
                yield relative, OTHER


def verify(output: Path) -> list[Problem]:
    """Return what in `output` its manifest does not vouch for (see the module)."""
    output = Path(output)
    if output.is_symlink():
        return [Problem("", "the folder itself is a symbolic link")]
    if not output.is_dir():
        return [Problem("", "there is no such folder: build the site first")]
    try:
        listed = read_manifest(output)
    except ManifestError as error:
        return [Problem(MANIFEST_FILE, str(error))]
    problems = []
    found = set()
    for relative, kind in walk(output):
        if kind == SYMLINK:
            target = os.readlink(output / relative)
            problems.append(
                Problem(
                    relative,
                    f"a symbolic link (to {shown(target)}); builds write files only",
                )
            )
            continue
        if kind == OTHER:
            problems.append(Problem(relative, "not a plain file or folder"))
            continue
        found.add(relative)
        expected = listed.get(relative)
        if expected is None:
            problems.append(
                Problem(relative, "not in the manifest: no step of the build wrote it")
            )
            continue
        try:
            same = (output / relative).stat().st_size == expected.size and (
                sha256_of(output / relative) == expected.sha256
            )
        except OSError as error:
            problems.append(Problem(relative, f"cannot be read ({error.strerror})"))
            continue
        if not same:
            problems.append(
                Problem(
                    relative,
                    "changed since the build (its size or SHA-256 is not the "
                    "manifest's)",
                )
            )
    problems += [
        Problem(relative, "in the manifest, but missing from the folder")
        for relative in sorted(set(listed) - found)
    ]
    return sorted(problems)


def refusal(output: Path, problems: list[Problem], rebuild: str = REBUILD) -> str:
    """Say, on one line, that `output` is not what its build wrote, and what to do.

    Names each file (the first NAMED, then how many more), then `rebuild`,
    the fix, in which `{folder}` is the folder's name.
    """
    folder = f"{Path(output).name}/"
    named = "; ".join(
        f"{folder}{shown(problem.path)}: {problem.reason}"
        for problem in problems[:NAMED]
    )
    more = len(problems) - NAMED
    if more > 0:
        named += f"; and {more} more"
    return f"{folder} is not exactly what the build wrote: {named}. " + rebuild.format(
        folder=folder
    )
