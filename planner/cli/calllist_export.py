"""``export calllist --date DATE --out F.pdf``: whom to call the day before, and what to say.

The file names patients and their phone numbers: it is readable by its owner only.
"""

from __future__ import annotations

import argparse
from typing import Any

from planner.cli.arguments import parse_day
from planner.cli.context import CliContext, CliError
from planner.cli.output import check_output, terminal_safe, write_output


def register(kinds: Any) -> None:
    calllist = kinds.add_parser(
        "calllist",
        help="the call list of a day: phones, arrival times, preparation, boxes to tick",
    )
    calllist.add_argument(
        "--date", required=True, type=parse_day, metavar="DATE", help="the day of the sessions"
    )
    calllist.add_argument("--out", required=True, metavar="FILE", help="PDF file to write")
    calllist.add_argument(
        "--paper",
        type=str.lower,
        choices=("a4", "letter"),
        help="paper size (default: the clinic setting)",
    )
    calllist.set_defaults(handler=cmd_calllist)


def cmd_calllist(args: argparse.Namespace, ctx: CliContext) -> int:
    from planner.services.base import ServiceError
    from planner.services.call_list import call_list, print_call_list

    out = args.out
    check_output(out)
    try:
        calls = call_list(ctx.open_db(), args.date)
        data = print_call_list(calls, paper=args.paper)
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    write_output(out, data)
    print(
        f"wrote the call list of {args.date.isoformat()} to {terminal_safe(out)} "
        f"({len(calls.calls)} session(s), {len(calls.to_call)} to call)"
    )
    return 0
