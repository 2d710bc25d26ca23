"""``report KIND --from DATE --to DATE [--json] [--out FILE]``: the clinic's reports.

Text on the screen by default; ``--json`` for the documented JSON form;
``--out F.pdf`` (without ``--json``) for the PDF with its charts. Files are
written whole or not at all, readable by their owner only (reports name
patients).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from planner.cli.arguments import parse_day
from planner.cli.context import CliContext, CliError
from planner.cli.output import check_output, emit_text, terminal_safe, write_output
from planner.reports import REPORT_KINDS, REPORT_TITLES


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "report",
        help="chair utilisation, staff hours, attendance or courses over a period",
        description="Reports over the days from --from to --to (both included): "
        + "; ".join(f"{k}: {REPORT_TITLES[k].lower()}" for k in REPORT_KINDS)
        + ". The JSON form is described in the README (Reports).",
    )
    parser.add_argument("kind", choices=REPORT_KINDS, metavar="KIND", help=", ".join(REPORT_KINDS))
    parser.add_argument(
        "--from", dest="start", required=True, type=parse_day, metavar="DATE", help="first day"
    )
    parser.add_argument(
        "--to", dest="end", required=True, type=parse_day, metavar="DATE", help="last day"
    )
    parser.add_argument("--json", action="store_true", help="the report as JSON")
    parser.add_argument(
        "--out", metavar="FILE", help="write to FILE: a PDF, or the JSON with --json"
    )
    parser.add_argument(
        "--paper",
        type=str.lower,
        choices=("a4", "letter"),
        help="paper size of the PDF (default: the clinic setting)",
    )
    parser.set_defaults(handler=cmd_report)


def cmd_report(args: argparse.Namespace, ctx: CliContext) -> int:
    from planner.services.base import ServiceError
    from planner.services.reports import render_report, run_report

    if args.end < args.start:
        raise CliError(f"--to {args.end.isoformat()} is before --from {args.start.isoformat()}")
    if args.out not in (None, "-"):
        check_output(args.out)
    db = ctx.open_db()
    try:
        result = run_report(db, args.kind, args.start, args.end)
        if args.json:
            text = json.dumps(result.data, indent=2, ensure_ascii=False)
            emit_text(text, args.out, json_text=True)
        elif args.out:
            data = render_report(result, paper=args.paper)
        else:
            emit_text(format_text(result.view), None)
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    if args.out and not args.json:
        write_output(args.out, data)
    if args.out:
        print(
            terminal_safe(f"wrote the {REPORT_TITLES[args.kind].lower()} report to {args.out}"),
            file=sys.stdout,
        )
    return 0


def format_text(view: Any) -> str:
    """A report view as plain text: title, summary, each table with aligned columns."""
    lines = [f"{view.title} — {view.period}", *view.summary]
    for table in view.tables:
        lines += ["", table.title]
        rows = [table.columns, *table.rows]
        if len(rows) == 1:
            lines.append("  nothing in this period")
            continue
        widths = [max(len(r[c]) for r in rows) for c in range(len(table.columns))]
        for row in rows:
            cells = [
                cell.rjust(w) if c in table.numeric else cell.ljust(w)
                for c, (cell, w) in enumerate(zip(row, widths, strict=True))
            ]
            lines.append("  " + "  ".join(cells).rstrip())
    if view.notes:
        lines += ["", *view.notes]
    return "\n".join(lines)
