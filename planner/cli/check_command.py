"""``check``: every rule on the sessions of a date range; exit 1 when any error is found."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from planner.cli.arguments import parse_day
from planner.cli.context import CliContext, CliError
from planner.cli.output import emit_text
from planner.rules import text
from planner.rules.violation import Violation
from planner.services.base import ServiceError
from planner.services.checking import CheckReport, run_check


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check",
        help="check sessions against the staffing rule and every schedule conflict",
        description=(
            "Check the sessions starting in a date range (all sessions when no range is given). "
            "Exit status: 0 no errors (warnings allowed), 1 errors found, 2 bad arguments."
        ),
    )
    parser.add_argument(
        "--from", dest="start", type=parse_day, metavar="DATE", help="first day (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--to", dest="end", type=parse_day, metavar="DATE", help="last day, inclusive (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--json", action="store_true", help="print a JSON array of violations instead of text"
    )
    parser.set_defaults(handler=cmd_check)


def cmd_check(args: argparse.Namespace, ctx: CliContext) -> int:
    start: date | None = args.start
    end: date | None = args.end
    if start is not None and end is not None and end < start:
        raise CliError(f"--to {end.isoformat()} is before --from {start.isoformat()}")
    db = ctx.open_db()
    try:
        report = run_check(db, start, end)
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    if args.json:
        emit_text(
            json.dumps([v.to_dict() for v in report.violations], indent=2, ensure_ascii=False),
            None,
            json_text=True,
        )
    else:
        emit_text(format_report(report), None)
    return 1 if any(v.is_error for v in report.violations) else 0


def _range_label(report: CheckReport) -> str:
    if report.start is None and report.end is None:
        return "all dates"
    if report.start is None:
        return f"up to {text.day(report.end)}"  # type: ignore[arg-type]
    if report.end is None:
        return f"from {text.day(report.start)}"
    if report.start == report.end:
        return text.day(report.start)
    return f"{text.day(report.start)} – {text.day(report.end)}"


def format_report(report: CheckReport) -> str:
    """Violations grouped by day, then by session, then a one-line summary."""
    lines: list[str] = []
    by_session: dict[str, list[Violation]] = {}
    for v in report.violations:
        by_session.setdefault(v.session, []).append(v)
    current_day: date | None = None
    width = max((len(v.code) for v in report.violations), default=0)
    for ref, found in by_session.items():
        info = report.sessions[ref]
        if info.start.date() != current_day:
            current_day = info.start.date()
            if lines:
                lines.append("")
            lines.append(text.day(current_day))
        lines.append(
            f"  {text.span(info.start, info.end)}  {ref}  {info.patient} · {info.chair} · "
            f"course {info.course}"
        )
        for v in found:
            lines.append(f"    {v.severity:<7}  {v.code:<{width}}  {v.message}")
    errors = sum(1 for v in report.violations if v.is_error)
    warnings = len(report.violations) - errors
    checked = text.plural(report.checked, "session")
    if lines:
        lines.append("")
        lines.append(
            f"{checked} checked ({_range_label(report)}): {text.plural(errors, 'error')}, "
            f"{text.plural(warnings, 'warning')} in {text.plural(len(by_session), 'session')}."
        )
    elif report.checked:
        lines.append(f"No problems found: {checked} checked ({_range_label(report)}).")
    else:
        lines.append(f"No sessions to check ({_range_label(report)}).")
    return "\n".join(lines) + "\n"
