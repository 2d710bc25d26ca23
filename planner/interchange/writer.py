"""Writing domain records as document JSON: keys, formats and omissions read off the records.

The record's field order is the key order; a field's ``Wire`` marker says how
its value is written (``09:00``, ``2026-12-01T09:00``, ``"MO"``, a ref);
``OMIT_DEFAULT`` leaves a key out while it holds its default, so a document
that was loaded dumps back byte for byte.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from datetime import date, datetime, time
from types import NoneType, UnionType
from typing import Any

from planner.domain.base import Record, document_keys, metadata
from planner.domain.fields import NOT_IN_DOCUMENT, OMIT_DEFAULT, Wire

_MISSING = object()


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, str, Any, bool, Any], ...]:
    """(attribute, key, annotation, omit-when-default, default) for each document field."""
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        meta = metadata(cls, f.name)
        if any(m is NOT_IN_DOCUMENT for m in meta):
            continue
        key = document_keys(cls).get(f.name, f.name)
        if f.default is not dataclasses.MISSING:
            default: Any = f.default
        elif f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
        else:
            default = _MISSING
        omit = any(m is OMIT_DEFAULT for m in meta)
        out.append((f.name, key, hints[f.name], omit, default))
    return tuple(out)


def to_json(value: Any, hint: Any = None) -> Any:
    """``value`` as JSON-ready data, written as its annotation ``hint`` says."""
    wire: Wire | None = None
    while typing.get_origin(hint) is typing.Annotated:
        wire = next((m for m in hint.__metadata__ if isinstance(m, Wire)), wire)
        hint = hint.__origin__
    if value is None:
        return None
    if wire is not None:
        return wire.dump(value)
    origin = typing.get_origin(hint)
    if origin in (typing.Union, UnionType):
        inner = [a for a in typing.get_args(hint) if a is not NoneType]
        return to_json(value, inner[0] if len(inner) == 1 else None)
    if isinstance(value, Record):
        return record_to_json(value)
    if isinstance(value, tuple | list):
        args = typing.get_args(hint)
        item = args[0] if args else None
        return [to_json(v, item) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    return value


def record_to_json(record: Record) -> dict[str, Any]:
    """One record as a document object (its refs to other records written as refs)."""
    out: dict[str, Any] = {}
    cls: type = type(record)
    for name, key, hint, omit, default in _plan(cls):
        value = getattr(record, name)
        if omit and default is not _MISSING and value == default:
            continue
        out[key] = to_json(value, hint)
    return out
