"""Parse a clinic document and check everything a schema cannot: refs, duplicates, policy.

Every problem is reported with its JSON path, e.g.
``sessions[3].assignments[0].staff: no staff member with ref "S9"``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from planner.domain import ROLES
from planner.interchange import FORMAT
from planner.interchange.schema import ClinicDocument
from planner.settings import Policy


class DocumentError(ValueError):
    """A clinic document that cannot be loaded; ``problems`` lists each one with its path."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = self.problems[:20]
        more = len(self.problems) - len(shown)
        text = "\n".join(shown) + (f"\n... and {more} more problem(s)" if more > 0 else "")
        super().__init__(text)


def json_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(document)"


def parse_document(text: str | bytes) -> ClinicDocument:
    """Parse and fully validate a document; raises ``DocumentError``."""
    # Editors on Windows often save UTF-8 with a byte-order mark: accept it.
    if isinstance(text, bytes):
        text = text.removeprefix(b"\xef\xbb\xbf")
    else:
        text = text.removeprefix("\ufeff")
    if not text.strip():
        raise DocumentError(["the document is empty (expected a JSON object)"])
    try:
        raw = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DocumentError([f"not valid JSON: {exc}"]) from None
    except RecursionError:
        raise DocumentError(["not valid JSON: nested too deeply"]) from None
    if not isinstance(raw, dict):
        raise DocumentError(['(document): expected a JSON object with "format": "' + FORMAT + '"'])
    if raw.get("format") != FORMAT:
        found = raw.get("format")
        raise DocumentError(
            [f'format: expected "{FORMAT}", found {json.dumps(found, ensure_ascii=False)}']
        )
    try:
        document = ClinicDocument.model_validate_json(
            text if isinstance(text, str | bytes) else json.dumps(raw), strict=True
        )
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            msg = error["msg"]
            if msg.startswith("Value error, "):
                msg = msg[len("Value error, ") :]
            problems.append(f"{json_path(error['loc'])}: {msg}")
        raise DocumentError(problems) from None
    check_references(document)
    return document


def _duplicates(items: Iterable[tuple[int, str]], what: str, section: str, key: str) -> list[str]:
    seen: dict[str, int] = {}
    problems = []
    for index, value in items:
        if value in seen:
            problems.append(
                f'{section}[{index}].{key}: duplicate {what} "{value}" '
                f"(already used by {section}[{seen[value]}])"
            )
        else:
            seen[value] = index
    return problems


def check_references(doc: ClinicDocument) -> None:
    """Refs exist, nothing is defined twice, the policy is known; raises ``DocumentError``."""
    problems: list[str] = []
    for section, what in (
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
    problems = [p.replace("].: ", "]: ") for p in problems]

    protocols = {p.ref for p in doc.protocols}
    chairs = {c.ref for c in doc.chairs}
    staff = {s.ref: s for s in doc.staff}
    patients = {p.ref for p in doc.patients}
    courses = {c.ref for c in doc.courses}
    for i, course in enumerate(doc.courses):
        if course.patient not in patients:
            problems.append(f'courses[{i}].patient: no patient with ref "{course.patient}"')
        if course.protocol not in protocols:
            problems.append(f'courses[{i}].protocol: no protocol with ref "{course.protocol}"')
    for i, session in enumerate(doc.sessions):
        if session.course not in courses:
            problems.append(f'sessions[{i}].course: no course with ref "{session.course}"')
        if session.chair not in chairs:
            problems.append(f'sessions[{i}].chair: no chair with ref "{session.chair}"')
        seen_pairs: set[tuple[str, str]] = set()
        for j, assignment in enumerate(session.assignments):
            if assignment.staff not in staff:
                problems.append(
                    f'sessions[{i}].assignments[{j}].staff: no staff member with ref "{assignment.staff}"'
                )
            pair = (assignment.staff, assignment.role)
            if pair in seen_pairs:
                problems.append(
                    f'sessions[{i}].assignments[{j}]: "{assignment.staff}" is assigned as '
                    f"{assignment.role} twice"
                )
            seen_pairs.add(pair)
    try:
        Policy.from_overrides(doc.policy)
    except (TypeError, ValueError) as exc:
        problems.append(f"policy: {exc}")
    limits = doc.policy.get("concurrent_limit")
    if isinstance(limits, dict):
        for role in limits:
            if role not in ROLES:
                problems.append(
                    f'policy.concurrent_limit.{role}: unknown role "{role}" '
                    f"(roles: {', '.join(ROLES)})"
                )
    if problems:
        raise DocumentError(problems)
