"""The audit trail's hash chain: each event stores the hash of the one before it.

An event's hash is SHA-256 over the previous event's hash and a canonical
serialisation of the event (its time, signed-in user, action, entity, refs,
summary, the before/after values as sorted, compact JSON, and the computer's
login ``os_user``). Changing, removing or
reordering any event breaks the link to the next one, which
``planner.services.audit.verify_audit_chain`` reports. The first event of a
database follows ``GENESIS``.

This definition is part of the stored data: migration 0080 hashed existing
events with it, so it must never change (a new scheme would be a new column).
Appending is serialised (``lock_head``): two workstations never chain onto
the same event.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

GENESIS = "0" * 64
#: The event's own fields, in the order they are serialised.
FIELDS = (
    "at", "user", "action", "entity", "ref", "patient_ref", "summary", "before", "after",
    "os_user",
)
_TEXT_FIELDS = ("user", "action", "entity", "ref", "patient_ref", "summary")
_LOCK_KEY = zlib.crc32(b"audit_event chain")


def _json(value: Any) -> Any:
    """A before/after value as the database gives it back (keys text, tuples lists)."""
    if value is None:
        return None
    if isinstance(value, str):  # SQLite text read without the JSON type
        return json.loads(value)
    return json.loads(json.dumps(value))


def _when(value: Any) -> str:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    if isinstance(value, str):
        return _when(datetime.fromisoformat(value))
    raise TypeError(f"an audit event time must be a datetime, not {type(value).__name__}")


def canonical(event: Mapping[Any, Any], *, stored: bool = False) -> bytes:
    """The bytes an event's hash covers (missing text fields count as empty).

    ``stored``: the values were read back from the database (JSON already in the
    form it keeps), so they need no round trip through JSON first.
    """
    payload: list[Any] = [_when(event["at"])]
    payload += [str(event.get(name) or "") for name in _TEXT_FIELDS]
    if stored:
        payload += [event.get("before"), event.get("after")]
    else:
        payload += [_json(event.get("before")), _json(event.get("after"))]
    payload.append(str(event.get("os_user") or ""))
    return json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=True
    ).encode("utf-8")


def event_hash(prev_hash: str, event: Mapping[Any, Any], *, stored: bool = False) -> str:
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(event, stored=stored))
    return digest.hexdigest()


_ENCODE = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=True
).encode


def stored_hash(prev_hash: str, row: Any) -> str:
    """``event_hash`` of a row read back from ``audit_event`` (the fast path of a walk)."""
    at = row.at
    payload = [
        at.isoformat(sep=" ", timespec="microseconds") if at.tzinfo is None else _when(at),
        row.user or "", row.action or "", row.entity or "", row.ref or "",
        row.patient_ref or "", row.summary or "", row.before, row.after, row.os_user or "",
    ]
    data = prev_hash.encode("ascii") + b"\n" + _ENCODE(payload).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def lock_head(connection: Connection) -> str:
    """Take the audit trail's append lock for this transaction; return the last event's hash.

    PostgreSQL: a transaction-level advisory lock. SQLite: the database write lock,
    taken by a write that changes nothing (the rest of the transaction keeps it).
    """
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    elif dialect == "sqlite":
        connection.execute(text("UPDATE app_setting SET key = key WHERE 0"))
    head = connection.execute(
        text("SELECT event_hash FROM audit_event ORDER BY id DESC LIMIT 1")
    ).scalar()
    return str(head) if head else GENESIS


def chain(prev_hash: str, events: list[dict[str, Any]]) -> str:
    """Set ``prev_hash`` and ``event_hash`` on each of ``events`` in order; returns the last."""
    for event in events:
        event["prev_hash"] = prev_hash
        event["event_hash"] = prev_hash = event_hash(prev_hash, event)
    return prev_hash
