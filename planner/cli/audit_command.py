"""``audit verify``: check the audit trail's hash chain; exit 1 naming the first broken link."""

from __future__ import annotations

import argparse
from typing import Any

from planner.cli.context import CliContext
from planner.cli.output import terminal_safe

#: Exit code when the chain is broken (the command ran and found an error, as ``check``).
EXIT_BROKEN = 1


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "audit",
        help="the audit trail (verify that no event was changed or removed)",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", parser_class=type(parser))
    actions.required = True
    verify = actions.add_parser(
        "verify",
        help="recompute the audit trail's hash chain",
        description="Recompute the hash of every audit event in order. Exit status: 0 the "
        "trail is intact, 1 an event was changed, removed or reordered (the first broken "
        "link is named), 2 bad arguments.",
    )
    verify.set_defaults(handler=cmd_verify)


def cmd_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    from planner.services.audit import verify_audit_chain

    result = verify_audit_chain(ctx.open_db())
    print(terminal_safe(result.sentence()))
    return 0 if result.ok else EXIT_BROKEN
