"""``export ics``: sessions as a calendar file (RFC 5545) for a staff member, a patient or all.

Without ``--with-names`` the events name no patient (calendars leave the
clinic's machines); with it, each event carries the patient's name and a
warning says so. The file is readable by its owner only.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from planner.cli.arguments import parse_day
from planner.cli.context import CliContext, CliError
from planner.cli.output import check_output, terminal_safe, write_output

NAMES_WARNING = (
    "warning: the calendar names patients (--with-names); keep it on the clinic's machines "
    "and do not share or sync it with an outside calendar service"
)


def register(kinds: Any) -> None:
    ics = kinds.add_parser(
        "ics",
        help="sessions as a calendar file (.ics) for a staff member, a patient or the clinic",
        description="Writes the sessions starting --from .. --to (both included) as an "
        "iCalendar file. Events name the session, chair and role only, unless --with-names.",
    )
    who = ics.add_mutually_exclusive_group()
    who.add_argument("--staff", metavar="REF", help="one staff member's sessions")
    who.add_argument("--patient", metavar="REF", help="one patient's sessions")
    ics.add_argument(
        "--from", dest="start", required=True, type=parse_day, metavar="DATE", help="first day"
    )
    ics.add_argument(
        "--to", dest="end", required=True, type=parse_day, metavar="DATE", help="last day"
    )
    ics.add_argument("--out", required=True, metavar="FILE", help="the .ics file to write")
    ics.add_argument(
        "--with-names",
        action="store_true",
        help="put the patients' names into the events (a warning is printed)",
    )
    ics.set_defaults(handler=cmd_ics)


def cmd_ics(args: argparse.Namespace, ctx: CliContext) -> int:
    from planner.services.base import ServiceError
    from planner.services.calendar_export import export_calendar

    if args.end < args.start:
        raise CliError(f"--to {args.end.isoformat()} is before --from {args.start.isoformat()}")
    out = args.out
    check_output(out)
    try:
        result = export_calendar(
            ctx.open_db(),
            args.start,
            args.end,
            staff_ref=args.staff,
            patient_ref=args.patient,
            with_names=args.with_names,
        )
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    if args.with_names:
        print(NAMES_WARNING, file=sys.stderr)
    write_output(out, result.data)
    whose = {"staff": f"of {result.scope.label}", "patient": f"of patient {result.scope.ref}"}
    cancelled = f", {result.cancelled} cancelled" if result.cancelled else ""
    print(
        f"wrote {result.events} session(s){cancelled} "
        f"{whose.get(result.scope.kind, 'of the whole clinic')} to {terminal_safe(out)} "
        f"(time zone {result.zone})"
    )
    return 0
