"""The clinic's own consent wording, kept in the database and chosen per protocol.

A template is imported once from a file the user picks (read here, with a size
limit, as UTF-8 text); from then on the app never reads a path for it, so no
document or setting can make it print an arbitrary local file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from planner.db import mapping, models
from planner.db.engine import Database
from planner.domain.base import problems
from planner.domain.records import ConsentTemplate
from planner.resources_path import ResourceMissing, resource
from planner.services.base import (
    REF_PREFIX,
    NotFound,
    ServiceError,
    ValidationFailed,
    next_ref,
    record_audit,
    unit_of_work,
)

#: The largest wording file read (bytes); the text itself is limited by the record.
MAX_FILE_BYTES = 1024 * 1024
DEFAULT_TEMPLATE = ("templates", "consent_default.md")
#: The built-in wording per protocol indication (alternatives and benefits differ).
DEFAULT_TEMPLATES = {"pain": ("templates", "consent_pain.md")}


@dataclass(frozen=True)
class TemplateRow:
    template: ConsentTemplate
    #: Refs of the protocols that print it.
    protocols: tuple[str, ...]


def read_wording_file(path: str | Path) -> str:
    """The text of a wording file a person chose (UTF-8, at most 1 MiB, a regular file)."""
    file = Path(path).expanduser()
    try:
        if not file.is_file():
            raise ValidationFailed(f"{file} is not a file.", {"file": "not a regular file"})
        if file.stat().st_size > MAX_FILE_BYTES:
            raise ValidationFailed(
                f"{file} is larger than {MAX_FILE_BYTES // 1024} KiB; a consent wording is text.",
                {"file": "too large"},
            )
        return file.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise ValidationFailed(
            f"{file} is not UTF-8 text; save it as UTF-8 and import it again.",
            {"file": "not UTF-8 text"},
        ) from None
    except OSError as exc:
        raise ValidationFailed(f"{file} cannot be read: {exc.strerror or exc}.") from None


def default_wording(indication: str = "depression") -> str:
    """The shipped consent wording for a protocol's indication (used by protocols without a
    template of their own); depression's unless there is one for the indication."""
    try:
        return resource(*DEFAULT_TEMPLATES.get(indication, DEFAULT_TEMPLATE)).read_text(
            encoding="utf-8"
        )
    except ResourceMissing as exc:
        raise ServiceError(str(exc)) from None


def list_templates(db: Database) -> list[TemplateRow]:
    with db.begin() as session:
        templates = mapping.read_consent_templates(session)
        users: dict[int, list[str]] = {}
        for tid, ref in session.execute(
            select(models.Protocol.consent_template_id, models.Protocol.ref).order_by(
                models.Protocol.ref
            )
        ):
            if tid is not None:
                users.setdefault(tid, []).append(ref)
        return [TemplateRow(t, tuple(users.get(i, ()))) for i, t in templates.items()]


def import_template(db: Database, name: str, text: str, *, protocols: Sequence[str] = ()) -> str:
    """Store a wording under ``name`` and make ``protocols`` print it; returns its ref."""
    record = ConsentTemplate(ref="new", name=name.strip(), text=text)
    found = problems(record, skip=["ref"])
    if found:
        raise ValidationFailed(
            "The consent wording cannot be saved: "
            + "; ".join(f"{k}: {v}" for k, v in found.items()),
            found,
        )
    with unit_of_work(db) as session:
        row = models.ConsentTemplate(
            ref=next_ref(session, models.ConsentTemplate, *REF_PREFIX["consent_template"])
        )
        mapping.write_consent_template(row, record)
        session.add(row)
        session.flush()
        for ref in protocols:
            protocol = session.scalars(
                select(models.Protocol).where(models.Protocol.ref == ref)
            ).first()
            if protocol is None:
                raise NotFound(f"no protocol with ref {ref!r}")
            protocol.consent_template = row
        record_audit(
            session,
            action="create",
            entity="consent_template",
            ref=row.ref,
            summary=f"imported consent wording {record.name}"
            + (f" for {', '.join(protocols)}" if protocols else ""),
            after={"name": record.name, "characters": len(text), "protocols": list(protocols)},
        )
        return row.ref


def use_template(db: Database, protocol_ref: str, template_ref: str | None) -> None:
    """Make a protocol print a template (None: the built-in wording)."""
    with unit_of_work(db) as session:
        protocol = session.scalars(
            select(models.Protocol).where(models.Protocol.ref == protocol_ref)
        ).first()
        if protocol is None:
            raise NotFound(f"no protocol with ref {protocol_ref!r}")
        template = None
        if template_ref is not None:
            template = session.scalars(
                select(models.ConsentTemplate).where(models.ConsentTemplate.ref == template_ref)
            ).first()
            if template is None:
                raise NotFound(f"no consent template with ref {template_ref!r}")
        before = protocol.consent_template.ref if protocol.consent_template else None
        protocol.consent_template = template
        record_audit(
            session,
            action="update",
            entity="protocol",
            ref=protocol_ref,
            summary=f"{protocol.name}: consent wording "
            + (template.name if template else "built-in"),
            before={"consent_template": before},
            after={"consent_template": template_ref},
        )


def delete_template(db: Database, ref: str) -> None:
    """Remove a template no protocol uses."""
    with unit_of_work(db) as session:
        row = session.scalars(
            select(models.ConsentTemplate).where(models.ConsentTemplate.ref == ref)
        ).first()
        if row is None:
            raise NotFound(f"no consent template with ref {ref!r}")
        used = session.scalar(
            select(func.count())
            .select_from(models.Protocol)
            .where(models.Protocol.consent_template_id == row.id)
        )
        if used:
            raise ServiceError(
                f"Consent wording {row.name} is used by {used} protocol(s); choose another "
                "wording for them first."
            )
        record_audit(
            session,
            action="delete",
            entity="consent_template",
            ref=ref,
            summary=f"deleted consent wording {row.name}",
            before={"name": row.name},
        )
        session.delete(row)
