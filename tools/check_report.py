"""What `make check` prints: the problems first, then to-dos, withheld, advice.

`run_check` checks all content as the build would (content_schema), prints
the findings for writers and returns the exit code; with a summary file it
also appends them as Markdown for CI's job summary (`check_summary`).
`findings_sections` renders the same findings as Markdown for the
pull-request comment too (deploy/preview_report.py), each article's reading
level (content_schema's readability.py) last.

`markdown_text` is the one owner of writer text in Markdown (this module's,
the pull-request comment's, the weekly editorial report's): it shows the
text as typed, with no markup, no @mention or issue reference, and no bare
address GitHub would autolink. `markdown_code` shows text in a code span,
where GitHub links nothing, whole: for paths, commands and the addresses
our own code gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
import re
import sys
import time
import unicodedata

from content_schema import check_content
from pelican.settings import read_settings

from tools.config import ROOT


def run_check(
    settings_file: Path,
    content: str = "",
    only: tuple[str, ...] = (),
    summary: Path | None = None,
) -> int:
    """Check all content as the build would and print the findings; return exit code.

    The problems to fix come first, each `error: path:line: field: message`,
    with their count; then the placeholders still to fill in, the
    testimonials the published site leaves out, and the advisory editorial
    report, each under its own heading. With `only`, findings are shown for
    those files alone, and the problems elsewhere are counted.
    """
    started = time.perf_counter()
    override = {"PATH": str(Path(content).resolve())} if content else {}
    result = check_content(read_settings(str(settings_file), override=override))
    elapsed = time.perf_counter() - started
    if summary:
        with summary.open("a", encoding="utf-8") as markdown:
            markdown.write(check_summary(result) + "\n")
    root = Path(content).resolve().parent if content else ROOT
    unknown = [name for name in only if not Path(name).is_file()]
    if unknown:
        _write_err(
            f"error: ONLY names {', '.join(map(repr, unknown))}, which is not a "
            "file; give paths from the top of the repository, e.g. "
            "content/articles/my-article.md"
        )
        return 2
    shown = _only_these_files(only, root)
    problems = [p for p in result.problems if shown(p.source)]
    elsewhere = len(result.problems) - len(problems)
    if problems:
        _write_err(f"{_count(len(problems), 'problem')} to fix:")
        for problem in problems:
            _write_err(f"error: {problem}")
    sections = (
        ("To fill in before publishing", "todo", result.todos),
        (
            (
                "Shown in previews only, with a badge: not publishable until "
                "consent allows"
                if result.consent_policy == "preview"
                else "Left out of the published site until consent allows (the "
                "rest publishes)"
            ),
            "withheld",
            result.withheld,
        ),
        (
            "Editorial report (advisory, does not block publishing)",
            "warning",
            result.warnings,
        ),
    )
    for heading, prefix, found in sections:
        findings = [f for f in found if shown(f.source)]
        if findings:
            _write_err(f"\n{heading}, {len(findings)}:")
            for finding in findings:
                _write_err(f"{prefix}: {finding}")
    levels = [level for level in result.readability if shown(level.source)]
    if levels:
        _write_err(
            "\nReadability (advisory, does not block publishing), "
            f"{_count(len(levels), 'article')}:"
        )
        for level in levels:
            where = f"{level.source}:{level.line}" if level.line else level.source
            _write_err(f"readability: {where}: {_level_heading(level)}")
            for sentence in level.hardest:
                _write_err(
                    f"  {level.source}:{sentence.line}: {level.sentence(sentence)}"
                )
    checked = (
        f"{_count(result.articles, 'article')}, {_count(result.pages, 'page')} and "
        f"{_count(result.testimonial_files, 'testimonial')} checked in {elapsed:.2f} s"
    )
    if elsewhere:
        _write_err(
            f"\nand {_count(elsewhere, 'problem')} in other files: run the same "
            "command without ONLY to see them."
        )
    if result.problems:
        files = len({problem.source for problem in result.problems})
        _write_err(
            f"\n{_count(len(result.problems), 'problem')} to fix in "
            f"{_count(files, 'file')} ({checked})."
        )
        return 1
    _write_err(f"\nContent OK: {checked}.")
    return 0


def _level_heading(level) -> str:
    """Return an article's reading level, leading to its hardest sentences if any."""
    return level.summary() + ("; its hardest sentences:" if level.hardest else "")


def _only_these_files(only: tuple[str, ...], root: Path):
    """Return a test of whether a finding's file is among `only` (all when empty).

    Findings name files relative to `root`, the content folder's parent.
    """
    if not only:
        return lambda _source: True
    wanted = {Path(name).resolve() for name in only}
    return lambda source: (root / source).resolve() in wanted


def _write_err(line: str) -> None:
    sys.stderr.write(line + "\n")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


# Characters that start markup anywhere in a line: emphasis, code, links,
# HTML and entities, tables, strikethrough, math. A backslash makes each
# show as itself (CommonMark lets any ASCII punctuation be escaped).
MARKUP = frozenset("\\`*_[]<>|~&$")
# What starts markup only at a line's start: a list item, a setext heading's line.
LIST_MARK = re.compile(r"^([-+=])")
NUMBER_MARK = re.compile(r"^(\d+)([.)])")
# GitHub links and notifies on @name, #12, org/repo#12 and GH-12 in text, even
# escaped; a zero-width joiner after the sign keeps them plain text.
ZWJ = "\u200d"
REFERENCE = re.compile(r"([@#]|\bGH(?=-))", re.IGNORECASE)
# GitHub's autolinker links a bare address in text, even escaped: the
# letters before `://` (http, https, ftp: any letters may precede them, so
# no word boundary), `www.`, and mailto: and xmpp: addresses. A zero-width
# joiner before the scheme's colon or www's dot leaves nothing it matches,
# and the reader sees the same text. deploy/preview_report.py puts its
# joiners at the same places, so text from here passes it unchanged.
AUTOLINK = re.compile(r"(?:https?|ftp|mailto|xmpp)(?=:)|www(?=\.)", re.IGNORECASE)


def _one_line(text: str) -> str:
    """Return `text` on one line: line breaks and invisible controls as escapes.

    A newline would end the list item (and start a heading or anything else);
    a bidirectional override would make a file name read as another.
    """
    shown = []
    for character in text:
        if character in "\n\r\t":
            shown.append({"\n": "\\n", "\r": "\\r", "\t": "\\t"}[character])
        elif unicodedata.category(character) in {"Cc", "Cf", "Zl", "Zp"}:
            shown.append(f"\\u{ord(character):04x}")
        else:
            shown.append(character)
    return "".join(shown)


def markdown_text(text: str) -> str:
    """Return writer text as Markdown that shows it as typed, never as markup.

    On one line (see _one_line), with no character that starts markup, and
    no @mention, issue reference or bare address (https://…, www.…,
    mailto:…) that GitHub would link or notify. Safe anywhere in a line, in
    link text and in a table cell. Addresses our own code writes (a
    reference's DOI link) go through markdown_code, which keeps them whole.
    """
    text = "".join(
        "\\" + character if character in MARKUP else character
        for character in _one_line(text)
    )
    text = REFERENCE.sub(lambda sign: sign[0] + ZWJ, text)
    text = AUTOLINK.sub(lambda scheme: scheme[0] + ZWJ, text)
    text = LIST_MARK.sub(r"\\\1", text)
    return NUMBER_MARK.sub(r"\1\\\2", text)


def markdown_code(text: str) -> str:
    """Return `text` as a Markdown code span that shows it exactly, on one line.

    Its fence is longer than any run of backticks in it, so none ends it
    early; GitHub neither mentions nor links inside code. Not for table
    cells: there `|` ends the cell even in code (use markdown_text).
    """
    text = _one_line(text)
    if not text:
        return ""
    fence = "`" * (max(map(len, re.findall("`+", text)), default=0) + 1)
    # Markdown removes one space each side when both are there: add them when
    # a backtick at either end would join the fence, or spaces at both ends
    # would be removed.
    padded = text.startswith("`") or text.endswith("`") or text[0] == text[-1] == " "
    space = " " if padded and text.strip() else ""
    return f"{fence}{space}{text}{space}{fence}"


def markdown_section(title: str, lines: Iterable[str], empty: str) -> list[str]:
    """Return a Markdown section: its heading, then `lines` (or `empty`)."""
    lines = list(lines)
    return [f"#### {title}", "", *(lines or [empty]), ""]


def _listed(findings) -> list[str]:
    return [f"- {markdown_text(str(finding))}" for finding in findings]


def findings_sections(result) -> list[str]:
    """Return Markdown lines for what a content check found, problems first.

    Each finding is one `file:line: field: message` item, as `make check`
    prints it; the pull-request comment and CI's job summary both use this.
    """
    lines = []
    if result.problems:
        lines += markdown_section(
            "Problems that block publishing", _listed(result.problems), ""
        )
    if result.todos:
        lines += markdown_section(
            "To fill in before publishing", _listed(result.todos), ""
        )
    if result.withheld:
        lines += markdown_section(
            "Testimonials left out of the site until their consent allows it "
            "(the rest publishes)",
            _listed(result.withheld),
            "",
        )
    lines += markdown_section(
        "Content warnings (`make check`: advisory)", _listed(result.warnings), "None."
    )
    lines += markdown_section(
        "Readability (advisory: each article's reading level, as `make check` "
        "shows it)",
        readability_lines(result.readability),
        "No article measured.",
    )
    return lines


def readability_lines(levels) -> list[str]:
    """Return Markdown list items: each article's reading level, hardest sentences.

    Every path and sentence is the pull request's text, so escaped.
    """
    lines = []
    for level in levels:
        lines.append(
            f"- {markdown_code(level.source)}: {markdown_text(_level_heading(level))}"
        )
        lines += [
            f"  - line {sentence.line}, {markdown_text(level.sentence(sentence))}"
            for sentence in level.hardest
        ]
    return lines


def check_summary(result) -> str:
    """Return the Markdown CI writes to its job summary for a content check."""
    count = len(result.problems)
    verdict = (
        f"**{count} problem{'s' if count != 1 else ''} to fix** before this can be "
        "published. Each line names the file, the line, the field and the fix; "
        "`make check` on your computer lists the same."
        if count
        else "**Content OK**: nothing blocks publishing."
    )
    return "\n".join(["### Content check", "", verdict, "", *findings_sections(result)])
