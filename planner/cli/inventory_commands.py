"""``inventory report`` and ``export dispensing-log|inventory``: the ketamine log on paper and as data.

The report's JSON (``--json``) is an array with one object per lot:
``lot``, ``drug``, ``lot_number``, ``expires``, ``opening_mg``, ``received_mg``,
``given_mg``, ``wasted_mg``, ``balance_mg``, ``counted_mg`` (the latest count
on or before ``--to``, or null), ``counted_on`` and ``discrepancy_mg`` (that
count less the balance at the end of its day, or null).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from planner.cli.arguments import parse_day
from planner.cli.context import CliContext, CliError
from planner.cli.output import check_output, terminal_safe, write_output
from planner.services.base import ServiceError


def register(subparsers: Any) -> None:
    inventory = subparsers.add_parser("inventory", help="the controlled-substance (ketamine) log")
    actions = inventory.add_subparsers(dest="action", metavar="ACTION", required=True)
    report = actions.add_parser(
        "report", help="per lot: received, given, wasted, balance, latest count, discrepancy"
    )
    report.add_argument("--from", dest="since", type=parse_day, metavar="DATE")
    report.add_argument("--to", dest="until", type=parse_day, metavar="DATE")
    report.add_argument("--json", action="store_true", help="one JSON object per lot")
    report.set_defaults(handler=cmd_report)


def register_exports(kinds: Any) -> None:
    """``export dispensing-log`` and ``export inventory`` (added to the ``export`` command)."""
    log = kinds.add_parser(
        "dispensing-log", help="every administration and waste of a period, with lot balances"
    )
    log.add_argument("--from", dest="since", type=parse_day, required=True, metavar="DATE")
    log.add_argument("--to", dest="until", type=parse_day, required=True, metavar="DATE")
    _paper_and_out(log)
    log.set_defaults(handler=cmd_export_ledger)
    sheet = kinds.add_parser("inventory", help="the count sheet for a physical inventory")
    sheet.add_argument("--date", dest="day", type=parse_day, required=True, metavar="DATE")
    _paper_and_out(sheet)
    sheet.set_defaults(handler=cmd_export_ledger)


def _paper_and_out(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE", help="PDF file to write")
    parser.add_argument(
        "--paper", type=str.lower, choices=("a4", "letter"), help="default: the clinic setting"
    )


def cmd_report(args: argparse.Namespace, ctx: CliContext) -> int:
    from planner.services.inventory import inventory_report

    if args.since and args.until and args.until < args.since:
        raise CliError("--to must not be before --from")
    try:
        lines = inventory_report(ctx.open_db(), since=args.since, until=args.until)
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    rows = [line.as_json() for line in lines]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("no lots received")
        return 0
    head = ("lot", "lot number", "received", "given", "wasted", "balance", "counted", "discrepancy")
    print("\t".join(head))
    for r in rows:
        counted = "-" if r["counted_mg"] is None else f"{r['counted_mg']} mg ({r['counted_on']})"
        gap = "-" if r["discrepancy_mg"] is None else f"{r['discrepancy_mg']} mg"
        cells = (r["received_mg"], r["given_mg"], r["wasted_mg"], r["balance_mg"])
        print("\t".join((r["lot"], r["lot_number"], *(f"{x} mg" for x in cells), counted, gap)))
    return 0


def cmd_export_ledger(args: argparse.Namespace, ctx: CliContext) -> int:
    from planner.services.ledger_paperwork import render_count_sheet, render_dispensing_log

    check_output(args.out)
    if args.kind == "dispensing-log" and args.until < args.since:
        raise CliError("--to must not be before --from")
    db = ctx.open_db()
    try:
        if args.kind == "dispensing-log":
            data = render_dispensing_log(db, args.since, args.until, paper=args.paper)
            what = f"dispensing log {args.since:%Y-%m-%d} to {args.until:%Y-%m-%d}"
        else:
            data = render_count_sheet(db, args.day, paper=args.paper)
            what = f"count sheet of {args.day:%Y-%m-%d}"
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    write_output(args.out, data)
    print(f"wrote {what} to {terminal_safe(args.out)}", file=sys.stdout)
    return 0
