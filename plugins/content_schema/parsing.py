"""Schema-driven parsing: dataclass declarations in, typed records or problems out.

A record type is a frozen dataclass. Each field's annotation is the rule the
parser enforces (text, date, timestamp, one of some values, a list, a nested
record), a field without a default is required, and `describe()` attaches the
field's meaning for documentation and a fix for when it is missing. Unknown
keys are rejected with a "did you mean" suggestion. Nothing here raises on bad
input: every problem is reported with its file, line and field.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields, is_dataclass
import datetime as dt
import difflib
import functools
from pathlib import Path
import re
import types
import typing
from typing import Any, Literal, Union

from dateutil import parser as dateutil_parser
import yaml

from .problems import Reporter, quoted

INVALID = object()  # returned by the parser in place of a value it reported
DATE_TOPIC = "a-date-in-another-format"  # mistakes.py's entry for date messages
REFUSED_TOPIC = "content-that-is-refused"  # ... and for what is never published
# A Markdown or YAML file larger than this is a mistake or an attack: reading
# a 50 MB article took 102 s.
MAX_TEXT_BYTES = 1_000_000
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_TIME_TEXT = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)")


@dataclass(frozen=True)
class Scaffold:
    """How `make new-article` / `make new-testimonial` write a field.

    A field without one is left out of the scaffold. By default the field is
    written with the placeholder of its type, for the writer to replace.
    """

    hint: str = ""  # a comment after the value: what to write
    value: str | None = None  # a value to start from instead of the placeholder
    note: str = ""  # comment lines above the field: what to know first
    block: bool = False  # long text: a folded block, the hint as its first words
    example: bool = False  # optional: shown commented out, as an example


def describe(
    text: str,
    *,
    fix: str = "",
    set_by_loader: bool = False,
    scaffold: Scaffold | None = None,
    choices: str = "",
    written_by: str = "",
    **kwargs: Any,
) -> Any:
    """Declare a field with its meaning and, if required, how to add it.

    `set_by_loader` marks fields that the loader fills in and files may not
    set; `scaffold` says how a new file shows the field (see Scaffold);
    `choices` names where its allowed values are listed, as "file.list"
    ("taxonomy.tags") or "collection.field" ("testimonials.id"), so the
    browser editor offers them (editor.py). `written_by` names the task that
    writes the field ("make review"): files hold it, but no form shows it.
    """
    return field(
        metadata={
            "doc": text,
            "fix": fix,
            "set_by_loader": set_by_loader,
            "scaffold": scaffold,
            "choices": choices,
            "written_by": written_by,
        },
        **kwargs,
    )


@functools.cache
def field_types(cls: type) -> dict[str, Any]:
    """Return the resolved annotation of each field (cached: resolving is slow)."""
    return typing.get_type_hints(cls)


@functools.cache
def writable_fields(cls: type) -> tuple:
    """Return the fields of a record type that content files may set.

    Required fields come first, then the optional ones, each in declaration
    order (a base class's first): the order documentation lists them in.
    """
    writable = [f for f in fields(cls) if not f.metadata.get("set_by_loader")]
    return tuple(sorted(writable, key=lambda f: not is_required(f)))


def is_required(spec) -> bool:
    """Whether a field must be given: it has no default."""
    return spec.default is MISSING and spec.default_factory is MISSING


class LineMapping(dict):
    """A mapping that remembers the 1-based line of each key, and its own."""

    def __init__(self, line: int | None = None) -> None:
        """Start empty; `line` is where the mapping itself begins."""
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}


class _DuplicateKeyError(yaml.YAMLError):
    def __init__(self, key: Any, line: int) -> None:
        super().__init__(f"key {key!r} appears twice")
        self.key = key
        self.line = line


class _RefusedYAML(yaml.YAMLError):
    """YAML that content files may not use: anchors, aliases, deep nesting."""

    def __init__(self, mark, message: str) -> None:
        super().__init__(message)
        self.line = mark.line + 1 if mark else None
        self.message = message


# Deeper than any testimonial or reference needs; far below Python's recursion
# limit, which thousands of nested brackets would otherwise reach.
MAX_YAML_DEPTH = 20


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader whose mappings are LineMapping objects.

    Anchors and aliases (`&name`, `*name`) are refused: content never needs
    them, and aliases can multiply a small file into gigabytes. So is nesting
    deeper than MAX_YAML_DEPTH.
    """

    depth = 0

    def compose_node(self, parent, index):
        """Compose like PyYAML, refusing anchors, aliases and deep nesting."""
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _RefusedYAML(
                event.start_mark,
                "uses a YAML anchor or alias (a value starting with & or *), which "
                "content files may not; write the value out in full, or put it in "
                "double quotes",
            )
        if self.depth >= MAX_YAML_DEPTH:
            raise _RefusedYAML(
                event.start_mark,
                f"nests lists or fields more than {MAX_YAML_DEPTH} levels deep; a "
                "content file needs two or three",
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_line_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineMapping:
    loader.flatten_mapping(node)
    mapping = LineMapping(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, typing.Hashable):
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            )
        if key in mapping:
            raise _DuplicateKeyError(key, line)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_timestamp_as_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # PyYAML turns 2025-02-30 into a crash (ValueError) rather than an error
    # with a line; keep dates as text and let the schema check them.
    return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_line_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


# How to save a file as UTF-8 in the editors writers use.
SAVE_AS_UTF8 = (
    "save the file as UTF-8: in VS Code, click the encoding in the bottom bar, "
    "then “Save with Encoding” and “UTF-8”; in Notepad, “Save as” with Encoding "
    "“UTF-8”; in TextEdit, “Format”, “Make Plain Text”, then save with “Unicode "
    "(UTF-8)”"
)


def read_text(path: Path, report: Reporter) -> str | None:
    """Return the text of `path` as Pelican reads it, or report why it cannot.

    A byte-order mark and Windows or old Mac line endings are accepted as
    they are. Text that is not UTF-8 is reported at its first wrong
    character, with how to save the file as UTF-8; then None.
    """
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        report.add(
            None,
            "",
            f"is {size / 1_000_000:.1f} MB, more than the "
            f"{MAX_TEXT_BYTES // 1_000_000} MB a text file of the site may be; "
            "split it into several",
            topic=REFUSED_TOPIC,
        )
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        report.add(*_not_utf8(data, error.start), topic="not-saved-as-utf-8")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _not_utf8(data: bytes, start: int) -> tuple[int, str, str]:
    """Return (line, field, message) for the first byte that is not UTF-8."""
    line_start = data.rfind(b"\n", 0, start) + 1
    line = data.count(b"\n", 0, start) + 1
    column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
    # Files that are not UTF-8 are nearly always Windows-1252 (or Latin-1).
    character = data[start : start + 1].decode("cp1252", errors="replace")
    readable = character.isprintable() and character != "\ufffd"
    shown = f" (“{character}”)" if readable else ""
    message = (
        f"column {column}: a character{shown} is not saved as UTF-8, the only "
        f"encoding the site reads; {SAVE_AS_UTF8}"
    )
    return line, "", message


def tab_indented_lines(text: str) -> list[int]:
    """Return the 1-based numbers of the lines indented with a tab."""
    return [
        number
        for number, line in enumerate(text.split("\n"), 1)
        if "\t" in line[: len(line) - len(line.lstrip(" \t"))]
    ]


def load_yaml_file(path: Path, report: Reporter) -> Any:
    """Parse a YAML file with line numbers; report what is wrong and return INVALID.

    Messages are in a writer's words, never the parser's: a tab, a colon
    inside a value, a quote never closed, a line out of alignment.
    """
    text = read_text(path, report)
    if text is None:
        return INVALID
    tabbed = tab_indented_lines(text)
    for number in tabbed:
        report.add(
            number,
            "",
            "is indented with a tab; YAML files are indented with spaces only: "
            "replace the tab with spaces, as many as on the lines around it",
            topic="a-tab-in-a-yaml-file",
        )
    if tabbed:
        return INVALID
    try:
        return yaml.load(text, Loader=_LineLoader)
    except _DuplicateKeyError as error:
        report.add(error.line, str(error.key), "appears twice; keep one")
    except _RefusedYAML as error:
        report.add(error.line, "", error.message, topic=REFUSED_TOPIC)
    except yaml.MarkedYAMLError as error:
        report.add(*_yaml_syntax_problem(error, text))
    except (yaml.YAMLError, ValueError):
        report.add(None, "", YAML_LAYOUT, topic=LAYOUT_TOPIC)
    return INVALID


YAML_LAYOUT = (
    "cannot be read as `field: value` lines: check that each line lines up with "
    "the fields around it (spaces only), that a colon follows every field's name, "
    "and that every quote mark is closed"
)


def _yaml_syntax_problem(error: yaml.MarkedYAMLError, text: str) -> tuple:
    """Return (line, field, message, topic) for a YAML syntax error, plainly.

    The parser's own words name its state, not the writer's slip; the slip
    is read from the marks and from the lines of `text` they point at.
    """
    problem, context = error.problem or "", error.context or ""
    mark = error.problem_mark or error.context_mark
    lines = text.split("\n")

    def line_of(m) -> int | None:
        return m.line + 1 if m else None

    if "quoted scalar" in context:
        # The problem mark may be the end of the file; the value starts here.
        message = (
            "a quote mark that opens a value is never closed; close it at the end "
            "of the value, or remove it"
        )
        topic = "a-quote-mark-never-closed"
        return line_of(error.context_mark or mark), "", message, topic
    if "simple key" in context:
        message = (
            "is not a `field: value` line: write a colon after the field's name, "
            "e.g. place: Santa Monica, CA"
        )
        return line_of(error.context_mark or mark), "", message, LAYOUT_TOPIC
    if "mapping values are not allowed" in problem and mark:
        if _indented_under_a_value(lines, mark.line):
            message = (
                "is indented more than the field above it; line it up with the "
                "fields it belongs with (spaces only)"
            )
            return line_of(mark), "", message, LAYOUT_TOPIC
        message = (
            "a value holds a colon followed by a space (“: ”), which YAML reads as "
            'a new field; put the whole value in double quotes, e.g. place: "Santa '
            'Monica: Westside"'
        )
        return line_of(mark), "", message, "a-colon-inside-a-value"
    if "\\t" in problem or "\t" in problem:
        message = "holds a tab where YAML needs spaces; replace the tab with spaces"
        return line_of(mark), "", message, "a-tab-in-a-yaml-file"
    return line_of(mark), "", YAML_LAYOUT, LAYOUT_TOPIC


LAYOUT_TOPIC = "yaml-that-cannot-be-read"
FIELD_LINE = re.compile(r"^(?P<indent> *)[^\s:#][^:]*:(?P<value>.*)$")


def _indented_under_a_value(lines: list[str], index: int) -> bool:
    """Whether line `index` is a field indented under a field that has a value."""
    here = FIELD_LINE.match(lines[index]) if index < len(lines) else None
    above = next((line for line in reversed(lines[:index]) if line.strip()), "")
    field_above = FIELD_LINE.match(above)
    return bool(
        here
        and field_above
        and field_above["value"].strip()
        and len(here["indent"]) > len(field_above["indent"])
    )


def writer_value(value: Any) -> str:
    """Show a parsed value in a writer's words: quoted text, or what kind it is."""
    if isinstance(value, str):
        return quoted(value)
    if isinstance(value, bool):
        return "a yes/no value"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return "a value of another kind"


def type_name(annotation: Any) -> str:
    """Describe a field type in a writer's words."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return " or ".join(type_name(a) for a in members)
    if origin is Literal:
        return "one of " + ", ".join(repr(v) for v in typing.get_args(annotation))
    if origin is tuple:
        item = typing.get_args(annotation)[0]
        if typing.get_origin(item) is Literal:
            return "a list drawn from " + ", ".join(
                repr(v) for v in typing.get_args(item)
            )
        if typing.get_origin(item) in (Union, types.UnionType) or is_dataclass(item):
            return f"a list, each item {type_name(item)}"
        return f"a list of {type_name(item)}s"
    if annotation is dt.date:
        return "a date written YYYY-MM-DD"
    if annotation is dt.datetime:
        return "a date written YYYY-MM-DD, optionally with a time HH:MM"
    if annotation is str:
        return "text"
    if annotation is int:
        return "a whole number"
    if is_dataclass(annotation):
        return "a set of fields"
    return getattr(annotation, "__name__", str(annotation))


def unknown_field_message(key: str, declared: list[str]) -> str:
    """Explain an unknown key, suggesting the declared name it resembles.

    A key another generator uses (FOREIGN_KEYS) gets its own advice when the
    record has the field it maps to; any other, the closest declared name.
    """
    if foreign := _foreign(key, declared):
        return f"unknown field (another blog tool's); {foreign}"
    close = difflib.get_close_matches(key.lower(), declared, n=1, cutoff=0.6)
    hint = f"did you mean {quoted(close[0])}? " if close else ""
    return f"unknown field; {hint}the fields are: {', '.join(sorted(declared))}"


def _foreign(key: str, declared: list[str]) -> str:
    """Return FOREIGN_KEYS' advice for `key` if it applies to these fields, or ""."""
    field, advice = FOREIGN_KEYS.get(key.lower(), ("", ""))
    return advice if advice and (field is None or field in declared) else ""


def coerce(
    value: Any, annotation: Any, name: str, line: int | None, report: Reporter
) -> Any:
    """Return `value` as `annotation`, or report a problem and return INVALID."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if value is None and len(members) < len(typing.get_args(annotation)):
            return None
        return coerce(value, _member_for(value, members), name, line, report)
    if origin is Literal:
        allowed = typing.get_args(annotation)
        if isinstance(value, typing.Hashable) and value in allowed:
            return value
        report.add(
            line,
            name,
            f"{writer_value(value)} is not allowed; use {type_name(annotation)}",
        )
        return INVALID
    if origin is tuple:
        if not isinstance(value, list):
            report.add(
                line,
                name,
                f"expected {type_name(annotation)}, got {writer_value(value)}",
            )
            return INVALID
        item_type = typing.get_args(annotation)[0]
        # A list item that is a set of fields is placed at its own first line.
        items = [
            coerce(item, item_type, name, getattr(item, "line", None) or line, report)
            for item in value
        ]
        return INVALID if any(i is INVALID for i in items) else tuple(items)
    if annotation is dt.date:
        return _coerce_date(value, name, line, report)
    if annotation is dt.datetime:
        return _coerce_timestamp(value, name, line, report)
    if annotation in (int, str):
        return _coerce_scalar(value, annotation, name, line, report)
    if is_dataclass(annotation):
        return parse_record(annotation, value, report, prefix=name, line=line)
    raise TypeError(f"schema uses an unsupported type: {annotation!r}")


def _member_for(value: Any, members: list) -> Any:
    """Choose the member of a union that `value`'s shape asks for.

    A set of fields is read as the union's record type, when it has one
    (`str | Author`: a name, or an author's fields); anything else as the
    first member that is not a record, whose rule then judges it.
    """
    records = [m for m in members if is_dataclass(m)]
    others = [m for m in members if not is_dataclass(m)]
    if isinstance(value, dict) and records:
        return records[0]
    return (others or records)[0]


def _coerce_scalar(
    value: Any, kind: type, name: str, line: int | None, report: Reporter
) -> Any:
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        report.add(line, name, f"expected a whole number, got {writer_value(value)}")
        return INVALID
    if isinstance(value, str) and value.strip():
        wrapped = wrapping_quotes(value.strip())
        if wrapped:
            report.add(
                line,
                name,
                f"is wrapped in quote marks ({wrapped[0]}…{wrapped[1]}), which would "
                "be published as part of the text; remove them",
                topic="quote-marks-around-a-value",
            )
            return INVALID
        return value.strip()
    if isinstance(value, str) or value is None:
        report.add(line, name, "is empty; write the text or remove the field")
    elif isinstance(value, (bool, int, float)):
        key = name.rsplit(".", 1)[-1]
        report.add(
            line,
            name,
            f"reads as {writer_value(value)}, not as text; put the text in double "
            f'quotes: {key}: "…"',
            topic="yes-or-no-where-text-belongs",
        )
    else:
        report.add(
            line,
            name,
            f"expected text, got {writer_value(value)}; write the text on one line, "
            "in double quotes if it holds a colon",
        )
    return INVALID


# Pairs of marks that wrap a quotation, straight and typographic.
QUOTE_PAIRS = ('""', "''", "“”", "‘’", "«»", "„“", "‚‘", "»«")


def wrapping_quotes(text: str) -> str | None:
    """Return the pair of quote marks wrapping all of `text`, or None.

    Only one quotation from end to end counts: “Yes,” she said, “it helped”
    starts and ends with quote marks, but they are two quotations.
    """
    for pair in QUOTE_PAIRS:
        opener, closer = pair
        if len(text) < 2 or text[0] != opener or text[-1] != closer:
            continue
        inner = text[1:-1]
        if opener not in inner and closer not in inner:
            return pair
    return None


def _coerce_date(value: Any, name: str, line: int | None, report: Reporter) -> Any:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and DATE_TIME_TEXT.fullmatch(text):
        report.add(
            line, name, f"expected a date without a time (YYYY-MM-DD), got {text}"
        )
        return INVALID
    if isinstance(text, str) and DATE_TEXT.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    report.add(
        line,
        name,
        f"{writer_value(value)} {date_advice(text, time=False)}",
        topic=DATE_TOPIC,
    )
    return INVALID


def _coerce_timestamp(value: Any, name: str, line: int | None, report: Reporter) -> Any:
    text = value.strip() if isinstance(value, str) else ""
    match = DATE_TIME_TEXT.fullmatch(text)
    try:
        if match:
            return dt.datetime.fromisoformat(f"{match[1]}T{match[2]}")
        if DATE_TEXT.fullmatch(text):
            return dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    report.add(
        line,
        name,
        f"{writer_value(value)} {date_advice(text, time=True)}",
        topic=DATE_TOPIC,
    )
    return INVALID


# Other generators' dates: 2024-01-02T10:00:00+00:00, 2024-01-02 10:00:00 +0100, …Z
FOREIGN_TIMESTAMP = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2})?"
)
# docs/writing.md's entry (mistakes.py) on front matter written for another tool.
FOREIGN_TOPIC = "front-matter-from-another-blog-tool"
# Keys other generators (Hugo, Jekyll, WordPress exports) put in front matter,
# and what to write here instead: field it maps to, advice. Consulted before the
# fuzzy match, which would offer `date` for `draft`. A field of None: no
# equivalent here.
FOREIGN_KEYS: dict[str, tuple[str | None, str]] = {
    "draft": ("status", "to keep it a draft, write `Status: draft` instead"),
    "published": ("status", "write `Status: draft` to hide it, or remove the line"),
    "description": ("summary", "write `Summary: …` instead"),
    "excerpt": ("summary", "write `Summary: …` instead"),
    "categories": (
        "category",
        "an article has one category: write `Category: …` instead",
    ),
    "authors": ("author", "an article has one author: write `Author: …` instead"),
    "keywords": ("tags", "write `Tags: a, b` (on one line) instead"),
    "permalink": ("slug", "write `Slug: …` (the address, without slashes) instead"),
    "publishdate": ("date", "write `Date: YYYY-MM-DD` instead"),
    "lastmod": ("modified", "write `Modified: YYYY-MM-DD` instead"),
    "updated": ("modified", "write `Modified: YYYY-MM-DD` instead"),
    "cover": ("image", "write `Image: {static}/images/…` instead"),
    "featured_image": ("image", "write `Image: {static}/images/…` instead"),
    "thumbnail": ("image", "write `Image: {static}/images/…` instead"),
    "layout": (None, "the theme chooses the layout; remove the line"),
    "toc": (None, "the theme makes the table of contents; remove the line"),
}


# Two defaults that differ in every part: a part a text leaves out shows.
_PROBE_DEFAULTS = (dt.datetime(2001, 1, 1), dt.datetime(2002, 2, 2))


def date_advice(text: Any, *, time: bool) -> str:
    """Say what is wrong with a date and how to write it, from what was written.

    A date in another order (12/01/2026, December 1, 2026) is rewritten as
    YYYY-MM-DD; when day and month could be either way round, both readings
    are offered, the American one first. `time`: a time of day may follow.
    """
    text = text.strip() if isinstance(text, str) else ""
    if DATE_TEXT.fullmatch(text):
        return "is not a date that exists; check the month and the day (YYYY-MM-DD)"
    if time and (stamp := FOREIGN_TIMESTAMP.fullmatch(text)):
        return (
            "is a timestamp as Hugo, Jekyll or WordPress write it; write "
            f"it as {stamp['date']} {stamp['time']}, without the `T`, the seconds and "
            "the time zone (the site's TIMEZONE setting gives it)"
        )
    readings = []
    partial = None  # a reading that lacks the day (June 2025)
    # Year first (2026/12/01) is read one way only; otherwise month or day first.
    orders = (False,) if re.match(r"\d{4}", text) else (False, True)
    for dayfirst in orders:
        try:
            parsed = [
                dateutil_parser.parse(text, default=d, dayfirst=dayfirst)
                for d in _PROBE_DEFAULTS
            ]
        except (ValueError, OverflowError):
            continue
        first, second = (p.date() for p in parsed)
        if first == second and first not in readings:
            readings.append(first)
        elif partial:
            continue  # the first reading (month first) says it already
        elif (first.year, first.month) == (second.year, second.month):
            partial = f"has no day; write the whole date, {first:%Y-%m}-DD"
        elif (first.month, first.day) == (second.month, second.day):
            partial = f"has no year; write the whole date, YYYY-{first:%m-%d}"
    if not readings and partial:
        return partial
    if not readings:
        example = (
            "2026-03-14, or with a time 2026-03-14 09:30" if time else "2026-03-14"
        )
        return f"is not a date; write it as YYYY-MM-DD, e.g. {example}"
    options = " or ".join(
        f"{day.isoformat()} for {day:%B} {day.day}, {day.year}" for day in readings
    )
    return f"is not written as YYYY-MM-DD; write {options}"


def parse_record(
    cls: type,
    value: Any,
    report: Reporter,
    *,
    prefix: str = "",
    line: int | None = None,
    spell_key: typing.Callable[[str], str] = str,
) -> Any:
    """Build `cls` from a mapping, reporting missing, unknown and ill-typed fields.

    `spell_key` writes a field name as the file format spells keys (front
    matter capitalises them) in "add `key: …`" hints. Returns the record, or
    INVALID when anything was reported.
    """
    if not isinstance(value, dict):
        report.add(line, prefix, f"must be {type_name(cls)}, got {writer_value(value)}")
        return INVALID
    key_lines = value.key_lines if isinstance(value, LineMapping) else {}
    own_line = value.line if isinstance(value, LineMapping) else line
    hints = field_types(cls)
    declared = writable_fields(cls)
    declared_names = [f.name for f in declared]
    before = len(report.problems)
    for key in value:
        if key not in declared_names:
            report.add(
                key_lines.get(key, own_line),
                _join(prefix, str(key)),
                unknown_field_message(str(key), declared_names),
                topic=FOREIGN_TOPIC if _foreign(str(key), declared_names) else "",
            )
    kwargs = {}
    for spec in declared:
        name = _join(prefix, spec.name)
        if spec.name not in value:
            if is_required(spec):
                # A missing key has no line; point at its parent key, if any.
                fix = spec.metadata.get("fix") or f"add `{spell_key(spec.name)}: …`"
                report.add(line, name, f"missing required field; {fix}")
            continue
        key_line = key_lines.get(spec.name, own_line)
        coerced = coerce(value[spec.name], hints[spec.name], name, key_line, report)
        if coerced is not INVALID:
            kwargs[spec.name] = coerced
    if len(report.problems) > before:
        return INVALID
    return cls(**kwargs)


def salvage(cls: type, value: dict) -> Any:
    """Return the fields of `value` that read, as `cls`, after parse_record failed.

    The check goes on with these (links, images, taxonomy, testimonial ids)
    so that a writer sees every problem in one run, not a second round once
    the first is fixed. A field that does not read is None when required and
    its default otherwise. Never for building: the record may break the
    schema's promises.
    """
    hints = field_types(cls)
    values = {}
    for spec in writable_fields(cls):
        if spec.name in value:
            coerced = coerce(value[spec.name], hints[spec.name], "", None, Reporter(""))
            if coerced is not INVALID:
                values[spec.name] = coerced
                continue
        if is_required(spec):
            values[spec.name] = None
    return cls(**values)


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name
