"""What every domain record shares: validation on demand, with messages a person can act on.

Records are frozen dataclasses; making one never validates (the rules engine
and the planner build many). Values that come from a person or a file are
checked with ``validate`` (a whole record from a mapping, e.g. a document
entry) or ``problems`` (an already built record, field by field, as the
services and dialogs do). Both read the limits from the fields' annotations.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
import warnings
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, ClassVar, NamedTuple, TypeVar

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import (
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
)
from pydantic.warnings import UnsupportedFieldAttributeWarning
from pydantic_core import core_schema

R = TypeVar("R", bound="Record")


class Record:
    """Base of the domain records: document-strict validation and record-level checks.

    ``check`` states an invariant over several fields (close after open);
    ``prepare`` fills a document's omitted value from another record (a course's
    planned infusions from its protocol) before the fields are validated.
    """

    __slots__ = ()
    __pydantic_config__: ClassVar[ConfigDict] = ConfigDict(extra="forbid")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        schema = handler(source)

        def after(value: Any) -> Any:
            value.check()
            return value

        def before(value: Any, info: ValidationInfo) -> Any:
            if isinstance(value, Mapping):
                return cls.prepare(dict(value), info.context or {})
            return value

        schema = core_schema.no_info_after_validator_function(after, schema)
        return core_schema.with_info_before_validator_function(before, schema)

    def check(self) -> None:
        """Raise ``ValueError`` when the fields do not fit together."""

    @classmethod
    def prepare(cls, data: dict[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
        return data


class Invalid(ValueError):
    """Values that break the limits; ``fields`` maps each field (or ``""``) to what is wrong."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = dict(fields)
        super().__init__("; ".join(f"{k.replace('_', ' ')}: {v}" if k else v for k, v in self.fields.items()))


class Limits(NamedTuple):
    """The numeric range and text length of a field, for spin boxes and line edits."""

    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, include_extras=True)


@functools.cache
def _adapter(cls: type, name: str) -> TypeAdapter[Any]:
    with warnings.catch_warnings():  # a field's document alias means nothing to its lone type
        warnings.simplefilter("ignore", UnsupportedFieldAttributeWarning)
        return TypeAdapter(_hints(cls)[name])


_RECORD_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def record_adapter(cls: type[R]) -> TypeAdapter[R]:
    """The (cached) validator of a whole record."""
    adapter = _RECORD_ADAPTERS.get(cls)
    if adapter is None:
        adapter = _RECORD_ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


def annotation(cls: type, name: str) -> Any:
    """The full annotation (with its limits) of field ``name`` of record ``cls``."""
    return _hints(cls)[name]


def metadata(cls: type, name: str) -> tuple[Any, ...]:
    """The flattened ``Annotated`` metadata of a field (limits, markers)."""
    return type_metadata(_hints(cls)[name])


def type_metadata(hint: Any) -> tuple[Any, ...]:
    """The flattened ``Annotated`` metadata of a type (``Annotated[int, Field(ge=1)]``)."""
    out: list[Any] = []
    while typing.get_origin(hint) is typing.Annotated:
        out.extend(hint.__metadata__)
        hint = hint.__origin__
    # ``X | None``: the limits are on X.
    for arg in typing.get_args(hint):
        if typing.get_origin(arg) is typing.Annotated:
            out.extend(arg.__metadata__)
    flat: list[Any] = []
    for item in out:
        extra = getattr(item, "metadata", None)
        if isinstance(extra, list):  # a pydantic FieldInfo groups its constraints
            flat.extend(extra)
        flat.append(item)
    return tuple(flat)


def limits(cls: type, name: str) -> Limits:
    """Range and length limits of ``cls.name`` (None where the field has none)."""
    return type_limits(_hints(cls)[name])


def type_limits(hint: Any) -> Limits:
    """Range and length limits of an annotated type (for values that are not a record's field)."""
    lo = hi = None
    min_len = max_len = None
    for item in type_metadata(hint):
        if isinstance(item, Ge):
            lo = float(item.ge)  # type: ignore[arg-type]
        elif isinstance(item, Gt):
            lo = float(item.gt)  # type: ignore[arg-type]
        elif isinstance(item, Le):
            hi = float(item.le)  # type: ignore[arg-type]
        elif isinstance(item, Lt):
            hi = float(item.lt)  # type: ignore[arg-type]
        elif isinstance(item, MinLen):
            min_len = item.min_length
        elif isinstance(item, MaxLen):
            max_len = item.max_length
    return Limits(lo, hi, min_len, max_len)


def _message(cls: type, name: str, error: Mapping[str, Any]) -> str:
    kind = str(error.get("type", ""))
    msg = str(error.get("msg", ""))
    if msg.startswith("Value error, "):
        return msg[len("Value error, ") :]
    lim = limits(cls, name) if name in _hints(cls) else Limits()
    ranged = lim.minimum is not None and lim.maximum is not None
    if ranged and kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return f"must be between {lim.minimum:g} and {lim.maximum:g}"
    if kind == "string_too_long" and lim.max_length is not None:
        return f"at most {lim.max_length} characters"
    if kind == "string_too_short" and lim.min_length == 1:
        return "must not be empty"
    if kind == "too_short" and lim.min_length == 1:
        return "needs at least one"
    if kind == "literal_error":
        return msg.replace("Input should be", "must be")
    if kind == "unexpected_keyword_argument":
        return "Extra inputs are not permitted (not a known key)"
    if kind == "missing_keyword_argument" or kind == "missing":
        return "is required"
    return msg.replace("Input should be", "should be")


def error_path(loc: Iterable[Any]) -> str:
    """A JSON path such as ``sessions[3].assignments[0].staff``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def messages(cls: type, exc: ValidationError) -> dict[str, str]:
    """Path → message for each problem pydantic found validating ``cls``."""
    out: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        field = loc[0] if loc and isinstance(loc[0], str) and len(loc) == 1 else ""
        path = error_path(loc)
        text = _message(cls, field if isinstance(field, str) else "", error)
        out.setdefault(path, text)
    return out


def validate(cls: type[R], data: Mapping[str, Any], *, context: Mapping[str, Any] | None = None) -> R:
    """A record from ``data`` (document keys), every limit checked; raises ``Invalid``."""
    try:
        return record_adapter(cls).validate_python(dict(data), context=dict(context or {}))
    except ValidationError as exc:
        raise Invalid(messages(cls, exc)) from None


def field_problem(cls: type, name: str, value: Any, *, today: date | None = None) -> str:
    """What is wrong with ``value`` as field ``name`` of ``cls`` ("" when nothing is).

    For values that arrive on their own (a session's status, a duration typed
    in the planner) rather than inside a built record.
    """
    context = {"today": today} if today is not None else {}
    try:
        _adapter(cls, name).validate_python(value, context=context)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        sub = error_path(error["loc"])
        text = _message(cls, name, error)
        return f"{sub}: {text}" if sub else text
    return ""


def problems(
    record: Record,
    *,
    skip: Iterable[str] = (),
    today: date | None = None,
) -> dict[str, str]:
    """Field → what is wrong, checking each field of a built record against its limits.

    This is what the services run on what a dialog or an import hands them (and
    what the dialogs show next to the fields). ``today`` is the clock used for
    "not in the future" limits.
    """
    cls: type = type(record)
    skipped = set(skip)
    context = {"today": today} if today is not None else {}
    out: dict[str, str] = {}
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        if not f.init or f.name in skipped:
            continue
        value = getattr(record, f.name)
        try:
            _adapter(cls, f.name).validate_python(value, context=context)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            text = _message(cls, f.name, error)
            sub = error_path(error["loc"])
            out[f.name] = f"{sub}: {text}" if sub else text
            continue
        if not _refers(cls, f.name):
            found = _part_problems(value, today)
            if found:
                out[f.name] = found
    if not out:
        try:
            record.check()
        except ValueError as exc:
            out[""] = str(exc)
    return out


def _refers(cls: type, name: str) -> bool:
    """True when ``cls.name`` refers to another record (checked on its own, not as a part)."""
    return any(isinstance(m, BeforeValidator) for m in metadata(cls, name))


def _part_problems(value: Any, today: date | None) -> str:
    """What is wrong with the records a record is made of (an escort, weekly hours), if any.

    A built record's parts are not checked field by field when the record is
    (pydantic takes a record instance as it is), so they are checked here.
    """
    parts = [("", value)] if isinstance(value, Record) else []
    if isinstance(value, tuple):
        parts = [(f"[{i}]", v) for i, v in enumerate(value) if isinstance(v, Record)]
    for where, part in parts:
        found = problems(part, today=today)
        if found:
            key, text = next(iter(found.items()))
            path = f"{where}.{key}" if where and key else where or key
            return f"{path}: {text}" if path else text
    return ""
