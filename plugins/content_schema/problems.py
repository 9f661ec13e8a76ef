"""What a content check reports: problems for writers, the error that stops a build."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, phrased for the writer who fixes it."""

    source: str  # path shown to the writer, e.g. content/testimonials/john.yaml
    line: int | None  # 1-based line of the offending field, when known
    field: str  # dotted field name, e.g. consent.date; "" for the whole file
    message: str  # what is wrong and how to fix it
    # Which writer mistake this is, when it is one of mistakes.py's table:
    # the docs section that explains it (help_anchor).
    topic: str = ""

    def __str__(self) -> str:
        """Format as `path:line: field: message` (line and field when known)."""
        location = f"{self.source}:{self.line}" if self.line else self.source
        return ": ".join(part for part in (location, self.field, self.message) if part)


class ContentError(Exception):
    """Content that must not be built; carries every problem found in the run."""

    def __init__(self, problems: list[Problem]) -> None:
        """Keep the problems in the order they were found."""
        self.problems = tuple(problems)
        count = len(self.problems)
        heading = f"{count} content problem{'s' if count != 1 else ''} to fix:"
        super().__init__("\n".join([heading, *(f"  {p}" for p in self.problems)]))


class Reporter:
    """Collects the problems of one source file."""

    def __init__(self, source: str) -> None:
        """Report problems against `source`, the path writers see."""
        self.source = source
        self.problems: list[Problem] = []

    def add(self, line: int | None, name: str, message: str, topic: str = "") -> None:
        """Record one problem at `line` (or None) in field `name`."""
        self.problems.append(Problem(self.source, line, name, message, topic))


def quoted(text: object) -> str:
    r"""Quote writer text in a message: 'like this', with nothing escaped.

    Python's repr would show a tab as \t; a writer sees it named, [tab], and
    any other invisible character as [invisible character].
    """
    shown = "".join(_visible(character) for character in str(text))
    return f'"{shown}"' if "'" in shown and '"' not in shown else f"'{shown}'"


def _visible(character: str) -> str:
    if character == "\t":
        return "[tab]"
    if character == " " or character.isprintable():
        return character
    return "[invisible character]"
