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

import yaml

from .problems import Reporter

INVALID = object()  # returned by the parser in place of a value it reported
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
    **kwargs: Any,
) -> Any:
    """Declare a field with its meaning and, if required, how to add it.

    `set_by_loader` marks fields that the loader fills in and files may not
    set; `scaffold` says how a new file shows the field (see Scaffold).
    """
    return field(
        metadata={
            "doc": text,
            "fix": fix,
            "set_by_loader": set_by_loader,
            "scaffold": scaffold,
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


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader whose mappings are LineMapping objects."""


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


def load_yaml_file(path: Path, report: Reporter) -> Any:
    """Parse a YAML file with line numbers; report what is wrong and return INVALID."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        report.add(None, "", f"is not UTF-8 text ({error.reason}); save it as UTF-8")
        return INVALID
    try:
        return yaml.load(text, Loader=_LineLoader)
    except _DuplicateKeyError as error:
        report.add(error.line, str(error.key), "appears twice; keep one")
    except yaml.MarkedYAMLError as error:
        # "while scanning a quoted scalar" points where the bad value starts,
        # which is where the writer has to look; the problem mark may be EOF.
        mark = error.context_mark or error.problem_mark
        line = mark.line + 1 if mark else None
        what = ", ".join(part for part in (error.context, error.problem) if part)
        report.add(line, "", f"invalid YAML: {what}; check indentation and quotes")
    except (yaml.YAMLError, ValueError) as error:
        report.add(None, "", f"invalid YAML: {error}")
    return INVALID


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
        return "a set of fields (a mapping)"
    return getattr(annotation, "__name__", str(annotation))


def unknown_field_message(key: str, declared: list[str]) -> str:
    """Explain an unknown key, suggesting the declared name it resembles."""
    close = difflib.get_close_matches(key.lower(), declared, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown field; {hint}the fields are: {', '.join(sorted(declared))}"


def coerce(
    value: Any, annotation: Any, name: str, line: int | None, report: Reporter
) -> Any:
    """Return `value` as `annotation`, or report a problem and return INVALID."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if value is None and len(members) < len(typing.get_args(annotation)):
            return None
        return coerce(value, members[0], name, line, report)
    if origin is Literal:
        allowed = typing.get_args(annotation)
        if isinstance(value, typing.Hashable) and value in allowed:
            return value
        report.add(line, name, f"{value!r} is not allowed; use {type_name(annotation)}")
        return INVALID
    if origin is tuple:
        if not isinstance(value, list):
            report.add(line, name, f"expected {type_name(annotation)}, got {value!r}")
            return INVALID
        item_type = typing.get_args(annotation)[0]
        items = [coerce(item, item_type, name, line, report) for item in value]
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


def _coerce_scalar(
    value: Any, kind: type, name: str, line: int | None, report: Reporter
) -> Any:
    if kind is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        report.add(line, name, f"expected a whole number, got {value!r}")
        return INVALID
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, str):
        report.add(line, name, "is empty; write the text or remove the field")
    else:
        report.add(line, name, f"expected text, got {value!r}; put it in quotes")
    return INVALID


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
    report.add(line, name, f"{value!r} is not a valid date; write it as YYYY-MM-DD")
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
        f"{value!r} is not a valid date; write it as YYYY-MM-DD, or YYYY-MM-DD HH:MM",
    )
    return INVALID


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
        report.add(line, prefix, f"must be {type_name(cls)}, got {value!r}")
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


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name
