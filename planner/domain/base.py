"""What every domain record shares: validation on demand, with messages a person can act on.

Records are frozen dataclasses; making one never validates (the rules engine
and the planner build many). Values that come from a person or a file are
checked with ``validate`` (a whole record from a mapping, e.g. a document
entry) or ``problems`` (an already built record, field by field, as the
services and dialogs do). Both read the limits from the fields' annotations;
the validation library is loaded on first use only.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypeVar

from planner.domain.markers import Before, Key, Length, Range

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler, TypeAdapter, ValidationError, ValidationInfo
    from pydantic_core import CoreSchema

R = TypeVar("R", bound="Record")


class Record:
    """Base of the domain records: document-strict validation and record-level checks.

    ``check`` states an invariant over several fields (close after open);
    ``prepare`` fills a document's omitted value from another record (a course's
    planned infusions from its protocol) before the fields are validated.
    """

    __slots__ = ()
    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        schema = handler(source)
        keys = document_keys(cls)

        def after(value: Any) -> Any:
            value.check()
            return value

        def before(value: Any, info: ValidationInfo) -> Any:
            if isinstance(value, Mapping):
                data = dict(value)
                for name, key in keys.items():
                    if name in data:  # only the document's key is accepted
                        data[f"{name} (use {key!r})"] = data.pop(name)
                    if key in data:
                        data[name] = data.pop(key)
                return cls.prepare(data, info.context or {})
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
        super().__init__(
            "; ".join(f"{k.replace('_', ' ')}: {v}" if k else v for k, v in self.fields.items())
        )


class Limits(NamedTuple):
    """The numeric range and text length of a field, for spin boxes and line edits."""

    minimum: float | None = None
    maximum: float | None = None
    min_length: int | None = None
    max_length: int | None = None


_HINTS: dict[type, dict[str, Any]] = {}
_KEYS: dict[type, dict[str, str]] = {}
_FIELD_ADAPTERS: dict[tuple[type, str], TypeAdapter[Any]] = {}
_RECORD_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def hints(cls: type) -> dict[str, Any]:
    """The annotations of a record's fields, with their markers (cached)."""
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls, include_extras=True)
    return found


def metadata(cls: type, name: str) -> tuple[Any, ...]:
    """The markers of a field (its ``Annotated`` metadata, also inside ``X | None``)."""
    return type_metadata(hints(cls)[name])


def type_metadata(hint: Any) -> tuple[Any, ...]:
    """The markers of an annotated type (``Annotated[int, Range(1, 20)]``)."""
    out: list[Any] = []
    while typing.get_origin(hint) is typing.Annotated:
        out.extend(hint.__metadata__)
        hint = hint.__origin__
    for arg in typing.get_args(hint):
        while typing.get_origin(arg) is typing.Annotated:
            out.extend(arg.__metadata__)
            arg = arg.__origin__
    return tuple(out)


def document_keys(cls: type) -> dict[str, str]:
    """Field name -> document key, for the fields whose key differs (``Key`` marker)."""
    found = _KEYS.get(cls)
    if found is None:
        found = {}
        for f in dataclasses.fields(cls):
            key = next((m.name for m in metadata(cls, f.name) if isinstance(m, Key)), None)
            if key is not None:
                found[f.name] = key
        _KEYS[cls] = found
    return found


def limits(cls: type, name: str) -> Limits:
    """Range and length limits of ``cls.name`` (None where the field has none)."""
    return type_limits(hints(cls)[name])


def type_limits(hint: Any) -> Limits:
    """Range and length limits of an annotated type (for values that are not a record's field)."""
    out = Limits()
    for item in type_metadata(hint):
        if isinstance(item, Range):
            out = out._replace(minimum=float(item.minimum), maximum=float(item.maximum))
        elif isinstance(item, Length):
            out = out._replace(min_length=item.minimum, max_length=item.maximum)
    return out


def record_adapter(cls: type[R]) -> TypeAdapter[R]:
    """The (cached) validator of a whole record."""
    adapter = _RECORD_ADAPTERS.get(cls)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _RECORD_ADAPTERS[cls] = TypeAdapter(cls)
    return adapter


def _field_adapter(cls: type, name: str) -> TypeAdapter[Any]:
    adapter = _FIELD_ADAPTERS.get((cls, name))
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _FIELD_ADAPTERS[(cls, name)] = TypeAdapter(hints(cls)[name])
    return adapter


def message(cls: type, name: str, error: Mapping[str, Any]) -> str:
    """One validation error of field ``cls.name`` in words a clinic manager understands."""
    kind = str(error.get("type", ""))
    msg = str(error.get("msg", ""))
    if msg.startswith("Value error, "):
        return msg[len("Value error, ") :]
    lim = limits(cls, name) if name in hints(cls) else Limits()
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
    if kind in ("missing_keyword_argument", "missing"):
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


def _messages(cls: type, exc: ValidationError) -> dict[str, str]:
    out: dict[str, str] = {}
    keys = {v: k for k, v in document_keys(cls).items()}
    for error in exc.errors(include_url=False):
        loc = tuple(keys.get(p, p) if isinstance(p, str) else p for p in error["loc"])
        field = str(loc[0]) if len(loc) == 1 and isinstance(loc[0], str) else ""
        out.setdefault(error_path(loc), message(cls, field, error))
    return out


def validate(cls: type[R], data: Mapping[str, Any], *, context: Mapping[str, Any] | None = None) -> R:
    """A record from ``data`` (document keys), every limit checked; raises ``Invalid``."""
    from pydantic import ValidationError

    try:
        return record_adapter(cls).validate_python(dict(data), context=dict(context or {}))
    except ValidationError as exc:
        raise Invalid(_messages(cls, exc)) from None


def field_problem(cls: type, name: str, value: Any, *, today: date | None = None) -> str:
    """What is wrong with ``value`` as field ``name`` of ``cls`` ("" when nothing is).

    For values that arrive on their own (a session's status, a duration typed
    in the planner) rather than inside a built record.
    """
    from pydantic import ValidationError

    context = {"today": today} if today is not None else {}
    try:
        _field_adapter(cls, name).validate_python(value, context=context)
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        sub = error_path(error["loc"])
        text = message(cls, name, error)
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
    "not in the future" limits. The records a record is made of (an escort,
    weekly hours) are checked field by field too.
    """
    skipped = set(skip)
    out: dict[str, str] = {}
    for f in dataclasses.fields(record):  # type: ignore[arg-type]
        if not f.init or f.name in skipped:
            continue
        value = getattr(record, f.name)
        found = field_problem(type(record), f.name, value, today=today)
        if not found and not _refers(type(record), f.name):
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
    return any(isinstance(m, Before) for m in metadata(cls, name))


def _part_problems(value: Any, today: date | None) -> str:
    """What is wrong with the records a record is made of, if anything.

    The validator takes a record instance as it is, so the parts of a built
    record (its escort, its weekly hours) are checked here, field by field.
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
