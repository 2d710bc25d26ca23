"""``autoplan``: place the due infusions of active courses in a period (proposal or --apply).

Without ``--apply`` nothing is written: the proposal is printed. With ``--apply``
every placed session is written in one transaction (or nothing, if the schedule
changed meanwhile). Nothing is proposed before now (``--not-before`` names another
moment). The same database at the same moment always gives the same proposal.

``--json`` prints one object::

    {"from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "applied": bool,
     "placed":   [{"course", "patient", "infusion", "start", "end", "chair",
                   "psychiatrist", "monitoring_clinician", "monitoring_role", "due"}],
     "unplaced": [{"course", "patient", "infusion", "due", "reason"}],
     "summary":  {"courses", "due", "placed", "unplaced", "not_due", "placed_after_due_day"},
     "sessions": [refs written]}            # empty unless --apply

Times are local ISO ``YYYY-MM-DDTHH:MM``; ``infusion`` is the number within the
course. Exit status: 0 done (also when some infusions could not be placed),
1 the proposal could not be saved, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime
from typing import Any

from planner.cli.arguments import parse_day, parse_moment
from planner.cli.context import CliContext, CliError
from planner.cli.output import emit_text
from planner.domain import ROLE_LABELS
from planner.scheduling.autoplan import AutoplanResult
from planner.services.base import ServiceError

#: Longest period one run plans (a quarter); longer runs would only be slower, not better.
MAX_DAYS = 92


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "autoplan",
        help="place the due infusions of active courses in a period (a proposal unless --apply)",
        description=(
            "Propose sessions for the infusions of active courses that fall due between two "
            "dates: a chair, a start time, a psychiatrist and a monitoring clinician each, "
            "within opening hours, staff hours, spacing and per-week limits. Nothing is saved "
            "without --apply. Exit status: 0 done, 1 could not save, 2 bad arguments."
        ),
    )
    parser.add_argument("--from", dest="start", type=parse_day, required=True, metavar="DATE",
                        help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end", type=parse_day, required=True, metavar="DATE",
                        help="last day, inclusive (YYYY-MM-DD)")
    parser.add_argument("--not-before", dest="not_before", type=parse_moment, metavar="TIME",
                        help="propose nothing before this local time, YYYY-MM-DDTHH:MM "
                        "(default: now; the past is never planned)")
    parser.add_argument("--apply", action="store_true",
                        help="save the proposal (all of it, in one transaction)")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.set_defaults(handler=cmd_autoplan)


def cmd_autoplan(args: argparse.Namespace, ctx: CliContext) -> int:
    start: date = args.start
    end: date = args.end
    if end < start:
        raise CliError(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    if (end - start).days + 1 > MAX_DAYS:
        raise CliError(f"plan at most {MAX_DAYS} days at a time (asked for {(end - start).days + 1})")
    from planner.services.planning import apply_autoplan, propose_autoplan

    db = ctx.open_db()
    try:
        now = args.not_before or datetime.now().replace(second=0, microsecond=0)
        result = propose_autoplan(db, start, end, not_before=now)
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    written: tuple[str, ...] = ()
    if args.apply:
        try:
            written = apply_autoplan(db, result)
        except ServiceError as exc:
            raise CliError(str(exc), exit_code=1) from None
    if args.json:
        doc = result.to_json()
        doc["applied"] = bool(args.apply)
        doc["sessions"] = list(written)
        emit_text(json.dumps(doc, ensure_ascii=False, indent=2), None, json_text=True)
    else:
        emit_text(render(result, applied=args.apply, written=written), None)
    return 0


def _day(value: date) -> str:
    return f"{value:%a} {value.day} {value:%b %Y}"


def render(result: AutoplanResult, *, applied: bool, written: tuple[str, ...] = ()) -> str:
    """The proposal as a clinic manager reads it: per day, then what could not be placed."""
    s = result.summary()
    lines = [
        f"Auto-plan {_day(result.first)} – {_day(result.last)}: "
        f"{s['placed']} of {s['due']} due infusions placed"
        + (f", {s['unplaced']} not placed" if s["unplaced"] else ""),
    ]
    if applied:
        lines.append(f"Saved {len(written)} sessions" + (f": {', '.join(written)}" if written else "."))
    else:
        lines.append("Proposal only: nothing was saved (run again with --apply to save it).")
    if s["not_due"]:
        lines.append(f"{s['not_due']} later infusions of these courses are not due in this period.")
    current = None
    for p in result.placed:
        if p.start.date() != current:
            current = p.start.date()
            lines.append("")
            lines.append(_day(current))
        role = ROLE_LABELS.get(p.monitoring_role, p.monitoring_role).lower()
        lines.append(
            f"  {p.start:%H:%M}–{p.end:%H:%M}  {p.chair:<6} {p.course} infusion {p.infusion}  "
            f"{p.patient_name or p.patient} ({p.patient})  "
            f"{p.psychiatrist_name or p.psychiatrist} (psychiatrist) + "
            f"{p.monitoring_name or p.monitoring_clinician} ({role})"
        )
    if result.unplaced:
        lines.append("")
        lines.append("Not placed:")
        lines.extend(f"  {line}" for line in result.unplaced_lines())
        for u in result.unplaced:
            lines.append(
                f"    {u.course} infusion {u.infusion} for {u.patient_name or u.patient} "
                f"({u.patient}), due {_day(u.due.date())}"
            )
    if not result.placed and not result.unplaced:
        lines.append("")
        lines.append("No infusions of active courses fall due in this period.")
    return "\n".join(lines)
