"""Parse a clinic document: JSON, the records' own limits, refs, and what must be unique.

Every problem is reported with its JSON path, e.g.
``sessions[3].assignments[0].staff: no staff member with ref "S9"``.
"""

from __future__ import annotations

import dataclasses
import json
import typing
from collections.abc import Iterable, Sequence
from datetime import date
from types import NoneType, UnionType
from typing import Any

from pydantic import ValidationError

from planner.domain import ROLES
from planner.domain.base import (
    Invalid,
    Record,
    document_keys,
    error_path,
    hints,
    message,
    record_adapter,
)
from planner.domain.policy import Policy
from planner.interchange import FORMAT
from planner.interchange.schema import ClinicDocument

#: Errors that only repeat a problem reported where the referred-to record is.
_KNOCK_ON = "has problems of its own"


class DocumentError(ValueError):
    """A clinic document that cannot be loaded; ``problems`` lists each one with its path."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        text = "\n".join(shown) + (f"\n... and {more} more problem(s)" if more > 0 else "")
        super().__init__(text)


def json_path(loc: Iterable[Any]) -> str:
    return error_path(loc) or "(document)"


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            where = dict(pairs).get("ref")
            named = f' (in the object with ref "{where}")' if isinstance(where, str) else ""
            raise DocumentError([f'the key "{key}" appears twice in one object{named}'])
        out[key] = value
    return out


def _no_constant(name: str) -> Any:
    raise DocumentError([f"not valid JSON: {name} is not a number a document may hold"])


def read_json(text: str | bytes) -> Any:
    """Strict JSON: no duplicate keys, no NaN/Infinity; a UTF-8 byte-order mark is fine."""
    # Editors on Windows often save UTF-8 with a byte-order mark: accept it.
    if isinstance(text, bytes):
        text = text.removeprefix(b"\xef\xbb\xbf")
    else:
        text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DocumentError(["the document is empty (expected a JSON object)"])
    try:
        return json.loads(
            text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant
        )
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError([f"not valid JSON: {exc}"]) from None
    except RecursionError:
        raise DocumentError(["not valid JSON: nested too deeply"]) from None


def _locate(loc: tuple[Any, ...]) -> tuple[type, str, str]:
    """(record class, field, JSON path with the document's keys) of an error's location."""
    hint: Any = ClinicDocument
    owner: type = ClinicDocument
    name = ""
    path: list[Any] = []
    for part in loc:
        while True:
            origin = typing.get_origin(hint)
            if origin is typing.Annotated:
                hint = hint.__origin__
            elif origin in (typing.Union, UnionType):
                options = [a for a in typing.get_args(hint) if a is not NoneType]
                hint = options[0] if options else None
            else:
                break
        if isinstance(part, int):
            items = typing.get_args(hint)
            hint = items[0] if items else None
            path.append(part)
            continue
        if isinstance(hint, type) and issubclass(hint, Record) and part in hints(hint):
            owner, name = hint, str(part)
            path.append(document_keys(hint).get(name, name))
            hint = hints(hint)[name]
        else:
            path.append(part)
            owner, name, hint = ClinicDocument, "", None
    return owner, name, json_path(path)


def _problems(exc: ValidationError) -> list[str]:
    problems: list[str] = []
    knock_on: list[str] = []
    for error in exc.errors(include_url=False):
        owner, name, path = _locate(tuple(error["loc"]))
        text = message(owner, name, error)
        line = f"{path}: {text}"
        (knock_on if _KNOCK_ON in text else problems).append(line)
    return problems or knock_on


def parse_document(text: str | bytes, *, today: date | None = None) -> ClinicDocument:
    """Parse and fully validate a document; raises ``DocumentError``.

    ``today`` is the day "not in the future" is checked against (default: the clock's).
    """
    raw = read_json(text)
    if not isinstance(raw, dict):
        raise DocumentError(['(document): expected a JSON object with "format": "' + FORMAT + '"'])
    if raw.get("format") != FORMAT:
        found = raw.get("format")
        raise DocumentError(
            [f'format: expected "{FORMAT}", found {json.dumps(found, ensure_ascii=False)}']
        )
    try:
        context: dict[str, Any] = {} if today is None else {"today": today}
        document = record_adapter(ClinicDocument).validate_python(raw, context=context)
    except ValidationError as exc:
        raise DocumentError(_problems(exc)) from None
    problems = policy_problems(document.policy)
    if problems:
        raise DocumentError(problems)
    check_unique(document)
    from planner.interchange.ledger import ledger_document_problems

    problems = ledger_document_problems(document)
    if problems:
        raise DocumentError(problems)
    return document


def policy_problems(overrides: dict[str, Any]) -> list[str]:
    """Each bad key of a document's ``policy``, named by its path."""
    known = {f.name for f in dataclasses.fields(Policy)} | {"consent_template"}
    unknown = sorted(k for k in overrides if k not in known)
    if unknown:
        return [f"policy: unknown policy setting(s): {', '.join(unknown)}"]
    limits = overrides.get("concurrent_limit")
    if isinstance(limits, dict):
        roles = [
            f'policy.concurrent_limit.{role}: unknown role "{role}" (roles: {", ".join(ROLES)})'
            for role in limits
            if role not in ROLES
        ]
        if roles:
            return roles
    try:
        Policy.from_overrides(overrides)
    except Invalid as exc:
        return [f"policy.{k}: {v}" if k else f"policy: {v}" for k, v in exc.fields.items()]
    return []


def _duplicates(items: Iterable[tuple[int, str]], what: str, section: str, key: str) -> list[str]:
    seen: dict[str, int] = {}
    problems = []
    for index, value in items:
        where = f"{section}[{index}]" + (f".{key}" if key else "")
        if value in seen:
            problems.append(
                f'{where}: duplicate {what} "{value}" (already used by {section}[{seen[value]}])'
            )
        else:
            seen[value] = index
    return problems


def check_unique(doc: ClinicDocument) -> None:
    """Refs, record numbers, closure days and assignments are each given once."""
    problems: list[str] = []
    for section, what in (
        ("consent_templates", "consent template ref"),
        ("protocols", "protocol ref"),
        ("chairs", "chair ref"),
        ("staff", "staff ref"),
        ("patients", "patient ref"),
        ("courses", "course ref"),
        ("sessions", "session ref"),
    ):
        items = getattr(doc, section)
        problems += _duplicates(((i, x.ref) for i, x in enumerate(items)), what, section, "ref")
    problems += _duplicates(
        ((i, p.record_number) for i, p in enumerate(doc.patients)),
        "record number",
        "patients",
        "record_number",
    )
    problems += _duplicates(
        ((i, d.isoformat()) for i, d in enumerate(doc.clinic.closures)),
        "closure date",
        "clinic.closures",
        "",
    )
    for i, session in enumerate(doc.sessions):
        seen: set[tuple[str, str]] = set()
        for j, a in enumerate(session.assignments):
            pair = (a.staff.ref, a.role)
            if pair in seen:
                problems.append(
                    f'sessions[{i}].assignments[{j}]: "{a.staff.ref}" is assigned as {a.role} twice'
                )
            seen.add(pair)
    if problems:
        raise DocumentError(problems)
