"""The testimonial record, declared once, and its strict YAML parser.

The dataclasses below are the schema: each field's type annotation is the rule
the parser enforces, a field without a default is required, and each field's
`doc` metadata is its meaning (content/testimonials/README.md explains the same
fields to writers). `parse_testimonial_file()` is the one entry point: it
coerces at the boundary, rejects unknown and missing keys, and returns every
problem of a file at once, each naming file, line and field.
"""

from __future__ import annotations

from dataclasses import MISSING, dataclass, field, fields
import datetime as dt
import difflib
from pathlib import Path
import re
import types
import typing
from typing import Any, Literal, Union

import yaml

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
CONSENT_SCOPES = ("website", "social", "email")


def _doc(text: str, *, fix: str = "", **kwargs: Any) -> Any:
    """Declare a dataclass field with its meaning, and how to add it if missing."""
    return field(metadata={"doc": text, "fix": fix}, **kwargs)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a content file, phrased for the writer who fixes it."""

    source: str  # path shown to the writer, e.g. content/testimonials/john.yaml
    line: int | None  # 1-based line of the offending field, when known
    field: str  # dotted field name, e.g. consent.date; "" for the whole file
    message: str  # what is wrong and how to fix it

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


@dataclass(frozen=True)
class Consent:
    """The patient's recorded written authorization to publish the testimonial.

    The signed form itself is kept outside git (it is protected health
    information); the repository holds only a pointer to it.
    """

    status: Literal["obtained", "pending"] = _doc(
        "'obtained' once the signed authorization is on file; 'pending' while it "
        "is being collected (previews only: the publish build refuses it)."
    )
    record: str | None = _doc(
        "Identifier of the signed authorization in the clinic's records.",
        default=None,
    )
    date: dt.date | None = _doc(
        "Date the authorization was signed (YYYY-MM-DD).", default=None
    )
    scope: tuple[Literal["website", "social", "email"], ...] = _doc(
        "Where the patient allowed the testimonial to appear.", default=()
    )
    expires: dt.date | None = _doc(
        "Date the authorization ends, if it has one (YYYY-MM-DD).", default=None
    )
    revoked: dt.date | None = _doc(
        "Date the patient revoked the authorization in writing, if they did.",
        default=None,
    )

    def publication_blocker(self, today: dt.date) -> str | None:
        """Say why this consent does not allow web publication today, or None."""
        if self.status != "obtained":
            return (
                "consent is still 'pending': record the signed authorization "
                "(status: obtained, record, date, scope) before publishing"
            )
        if "website" not in self.scope:
            return "the consent scope does not include 'website'"
        if self.revoked is not None and self.revoked <= today:
            return f"the patient revoked consent on {self.revoked.isoformat()}"
        if self.expires is not None and self.expires <= today:
            return f"consent expired on {self.expires.isoformat()}"
        return None


@dataclass(frozen=True)
class Testimonial:
    """A patient's account, shown on articles that list its id and on /testimonials/.

    Templates can rely on every field being present and typed as declared;
    `source` and `consent_blocker` are set by the loader, not by writers.
    """

    id: str = _doc(
        "Unique id that articles use to list this testimonial "
        "(lowercase letters, digits and hyphens)."
    )
    name: str = _doc(
        "Display name: a first name, initials or a pseudonym, as the consent allows."
    )
    place: str = _doc("Where the patient lives, as they agreed to show it.")
    condition: str = _doc("The condition the patient was treated for.")
    quote: str = _doc("The patient's words, exactly as given, without quote marks.")
    consent: Consent = _doc(
        "The recorded consent (see Consent).",
        fix="every testimonial needs a `consent:` block with status, record, date "
        "and scope (see content/testimonials/README.md)",
    )
    source: str = field(default="", compare=False)
    consent_blocker: str | None = field(default=None, compare=False)


# Fields the loader fills in; a YAML file that sets them is wrong.
LOADER_FIELDS = frozenset({"source", "consent_blocker"})


class LineMapping(dict):
    """A YAML mapping that remembers the line of each key (1-based)."""

    def __init__(self, line: int) -> None:
        """Start empty; `line` is where the mapping itself begins."""
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}


class DuplicateKeyError(yaml.YAMLError):
    """A mapping repeats a key (plain YAML would silently keep the last one)."""

    def __init__(self, key: Any, line: int) -> None:
        """Record the repeated key and the line of its second use."""
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
            raise DuplicateKeyError(key, line)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
    return mapping


def _construct_timestamp_as_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    # PyYAML turns 2025-02-30 into a crash (ValueError) rather than an error
    # with a line; keep dates as text and let the schema check them.
    return loader.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_line_mapping)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
DATE_TIME_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d.*")


class _Reporter:
    """Collects the problems of one file."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def add(self, line: int | None, name: str, message: str) -> None:
        self.problems.append(Problem(self.source, line, name, message))


def _type_name(annotation: Any) -> str:
    """Describe a field type in a writer's words."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        return " or ".join(_type_name(a) for a in members)
    if origin is Literal:
        return "one of " + ", ".join(repr(v) for v in typing.get_args(annotation))
    if origin is tuple:
        return f"a list of {_type_name(typing.get_args(annotation)[0])}s"
    if annotation is dt.date:
        return "a date written YYYY-MM-DD"
    if annotation is str:
        return "text"
    if isinstance(annotation, type) and hasattr(annotation, "__dataclass_fields__"):
        return "a set of fields (a mapping)"
    return getattr(annotation, "__name__", str(annotation))


_NOT_VALID = object()


def _coerce(
    value: Any, annotation: Any, name: str, line: int | None, report: _Reporter
) -> Any:
    """Return `value` as `annotation`, or report a problem and return _NOT_VALID."""
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType):
        members = [a for a in typing.get_args(annotation) if a is not type(None)]
        if value is None and len(members) < len(typing.get_args(annotation)):
            return None
        return _coerce(value, members[0], name, line, report)
    if origin is Literal:
        allowed = typing.get_args(annotation)
        if value in allowed:
            return value
        report.add(
            line, name, f"{value!r} is not allowed; use {_type_name(annotation)}"
        )
        return _NOT_VALID
    if origin is tuple:
        if not isinstance(value, list):
            report.add(line, name, f"expected {_type_name(annotation)}, got {value!r}")
            return _NOT_VALID
        item_type = typing.get_args(annotation)[0]
        items = [_coerce(item, item_type, name, line, report) for item in value]
        if _NOT_VALID in items:
            return _NOT_VALID
        return tuple(items)
    if annotation is dt.date:
        return _coerce_date(value, name, line, report)
    if annotation is str:
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, str):
            report.add(line, name, "is empty; write the text or remove the field")
        else:
            report.add(line, name, f"expected text, got {value!r}; put it in quotes")
        return _NOT_VALID
    if isinstance(annotation, type) and hasattr(annotation, "__dataclass_fields__"):
        return _parse_record(annotation, value, name, line, report)
    raise TypeError(f"schema uses an unsupported type: {annotation!r}")


def _coerce_date(value: Any, name: str, line: int | None, report: _Reporter) -> Any:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and DATE_TIME_TEXT.fullmatch(text):
        report.add(
            line, name, f"expected a date without a time (YYYY-MM-DD), got {text}"
        )
        return _NOT_VALID
    if isinstance(text, str) and DATE_TEXT.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    report.add(line, name, f"{value!r} is not a valid date; write it as YYYY-MM-DD")
    return _NOT_VALID


def _parse_record(
    cls: type, value: Any, prefix: str, line: int | None, report: _Reporter
) -> Any:
    """Build `cls` from a mapping, reporting missing, unknown and ill-typed fields."""
    if not isinstance(value, dict):
        report.add(line, prefix, f"must be {_type_name(cls)}, got {value!r}")
        return _NOT_VALID
    key_lines = value.key_lines if isinstance(value, LineMapping) else {}
    own_line = value.line if isinstance(value, LineMapping) else line
    hints = typing.get_type_hints(cls)
    declared = [f for f in fields(cls) if f.name not in LOADER_FIELDS]
    declared_names = {f.name for f in declared}
    before = len(report.problems)
    for key in value:
        if key not in declared_names:
            report.add(
                key_lines.get(key, own_line),
                _join(prefix, str(key)),
                _unknown_field_message(str(key), declared_names),
            )
    kwargs = {}
    for spec in declared:
        name = _join(prefix, spec.name)
        if spec.name not in value:
            if spec.default is MISSING and spec.default_factory is MISSING:
                # A missing key has no line; point at its parent key, if any.
                fix = spec.metadata.get("fix") or f"add `{spec.name}: …`"
                report.add(line, name, f"missing required field; {fix}")
            continue
        coerced = _coerce(
            value[spec.name],
            hints[spec.name],
            name,
            key_lines.get(spec.name, own_line),
            report,
        )
        if coerced is not _NOT_VALID:
            kwargs[spec.name] = coerced
    if len(report.problems) > before:
        return _NOT_VALID
    return cls(**kwargs)


def _unknown_field_message(key: str, declared: set[str]) -> str:
    close = difflib.get_close_matches(key, sorted(declared), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    return f"unknown field; {hint}the fields are: {', '.join(sorted(declared))}"


def _join(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix else name


def _check_consent(
    consent: Consent, mapping: Any, consent_line: int | None, report: _Reporter
) -> None:
    """Apply the rules that tie consent fields together."""
    lines = mapping.key_lines if isinstance(mapping, LineMapping) else {}
    if consent.status == "obtained":
        for needed in ("record", "date"):
            if getattr(consent, needed) is None:
                report.add(
                    consent_line,
                    f"consent.{needed}",
                    "required when status is 'obtained': a consent record "
                    "needs its form's identifier and the date it was signed",
                )
        if not consent.scope:
            report.add(
                consent_line,
                "consent.scope",
                "required when status is 'obtained': list where the patient "
                f"allowed the testimonial to appear ({', '.join(CONSENT_SCOPES)})",
            )
    for later in ("expires", "revoked"):
        later_date = getattr(consent, later)
        if consent.date and later_date and later_date < consent.date:
            report.add(
                lines.get(later, consent_line),
                f"consent.{later}",
                f"{later_date.isoformat()} is before the signing date "
                f"{consent.date.isoformat()}",
            )


def parse_testimonial(
    mapping: Any, source: str
) -> tuple[Testimonial | None, list[Problem]]:
    """Validate one parsed YAML document; return the record (or None) and problems."""
    report = _Reporter(source)
    if not isinstance(mapping, dict):
        report.add(
            None,
            "",
            "the file must be a set of `field: value` lines "
            f"(a YAML mapping), not {type(mapping).__name__}",
        )
        return None, report.problems
    record = _parse_record(Testimonial, mapping, "", None, report)
    if record is _NOT_VALID:
        return None, report.problems
    top_lines = mapping.key_lines if isinstance(mapping, LineMapping) else {}
    if not ID_PATTERN.fullmatch(record.id):
        report.add(
            top_lines.get("id"),
            "id",
            f"{record.id!r} is not a valid id; use lowercase letters, digits and "
            "hyphens, e.g. 'john-hancock-park'",
        )
    _check_consent(
        record.consent, mapping.get("consent"), top_lines.get("consent"), report
    )
    if report.problems:
        return None, report.problems
    return record, report.problems


def load_testimonial_file(
    path: Path, source: str
) -> tuple[Testimonial | None, list[Problem]]:
    """Read and validate one YAML file; `source` is the path shown in messages."""
    report = _Reporter(source)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        report.add(None, "", f"is not UTF-8 text ({error.reason}); save it as UTF-8")
        return None, report.problems
    try:
        mapping = yaml.load(text, Loader=_LineLoader)
    except DuplicateKeyError as error:
        report.add(error.line, str(error.key), "appears twice; keep one")
        return None, report.problems
    except yaml.MarkedYAMLError as error:
        # "while scanning a quoted scalar" points where the bad value starts,
        # which is where the writer has to look; the problem mark may be EOF.
        mark = error.context_mark or error.problem_mark
        line = mark.line + 1 if mark else None
        what = ", ".join(part for part in (error.context, error.problem) if part)
        report.add(line, "", f"invalid YAML: {what}; check indentation and quotes")
        return None, report.problems
    except yaml.YAMLError as error:
        report.add(None, "", f"invalid YAML: {error}")
        return None, report.problems
    return parse_testimonial(mapping, source)
