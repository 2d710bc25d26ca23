"""``export consent|monitoring|week|day``: printable paperwork as PDF files.

The file is written only when the whole document was built (temp file +
rename): an unknown ref, an unreadable template or incomplete staffing leave
no file behind.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from planner.cli.arguments import parse_day, parse_week
from planner.cli.context import CliContext, CliError
from planner.cli.output import terminal_safe, write_output

#: Exit code when staffing is incomplete (the command ran and found errors, as ``check``).
EXIT_STAFFING = 1


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export",
        help="write paperwork as PDF (consent form, monitoring sheet, week schedule, day packet)",
    )
    kinds = export.add_subparsers(dest="kind", metavar="DOCUMENT", parser_class=type(export))
    kinds.required = True

    consent = kinds.add_parser("consent", help="consent form of one course (series)")
    consent.add_argument("--course", required=True, metavar="REF", help="course ref, e.g. C-0001")
    _common(consent)

    monitoring = kinds.add_parser(
        "monitoring", help="post-infusion monitoring sheet of one session"
    )
    monitoring.add_argument("--session", required=True, metavar="REF", help="session ref, e.g. X-1")
    _common(monitoring)

    week = kinds.add_parser("week", help="week schedule, one landscape page per day")
    week.add_argument(
        "--week", required=True, metavar="WEEK", help="ISO week (2026-W49) or a date in it"
    )
    _common(week)

    day = kinds.add_parser(
        "day", help="day packet: run sheet, monitoring sheets, consent forms still needed"
    )
    day.add_argument("--date", required=True, metavar="DATE", help="the day, e.g. 2026-12-01")
    _common(day)

    from planner.cli import calllist_export, ics_export

    calllist_export.register(kinds)
    ics_export.register(kinds)

    from planner.cli.inventory_commands import register_exports

    register_exports(kinds)  # dispensing-log, inventory


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE", help="PDF file to write")
    parser.add_argument(
        "--draft",
        action="store_true",
        help="print even if staffing is incomplete, marked DRAFT on every page",
    )
    parser.add_argument(
        "--paper",
        type=str.lower,
        choices=("a4", "letter"),
        help="paper size (default: the clinic setting)",
    )
    parser.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace, ctx: CliContext) -> int:
    from planner.paperwork.week import iso_week_label
    from planner.safe_output import OutputError, check_target
    from planner.services import paperwork
    from planner.services.base import ServiceError

    try:
        check_target(args.out)  # refuse a bad place before the work of rendering
    except OutputError as exc:
        raise CliError(str(exc)) from None
    try:  # checked here (not by argparse) so the sentence comes first, before any usage
        week = parse_week(args.week) if args.kind == "week" else None
        day = parse_day(args.date) if args.kind == "day" else None
    except argparse.ArgumentTypeError as exc:
        raise CliError(str(exc)) from None
    db = ctx.open_db()
    options: dict[str, Any] = {"draft": args.draft, "paper": args.paper}
    try:
        if args.kind == "consent":
            data = paperwork.render_consent(db, args.course, **options)
            what = f"consent form of course {args.course}"
        elif args.kind == "monitoring":
            data = paperwork.render_monitoring(db, args.session, **options)
            what = f"monitoring sheet of session {args.session}"
        elif args.kind == "week":
            assert week is not None
            data = paperwork.render_week(db, week, **options)
            what = f"week schedule {iso_week_label(week)}"
        else:
            assert day is not None
            data = paperwork.render_day(db, day, **options)
            what = f"day packet of {day.isoformat()}"
    except paperwork.StaffingIncomplete as exc:
        raise CliError(
            f"{exc.what} cannot be printed: staffing is incomplete — {exc.summary}. "
            "Assign the missing staff, or add --draft to print a marked draft.",
            exit_code=EXIT_STAFFING,
        ) from None
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    write_output(args.out, data)
    print(terminal_safe(f"wrote {what} to {args.out}"), file=sys.stdout)
    return 0
