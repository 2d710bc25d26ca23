"""Headless commands: ``python main.py [--db URL] COMMAND ...``.

Each command lives in its own module with a ``register(subparsers)`` function
that adds its parser and sets ``handler=func(args, ctx) -> int``. Exit codes:
0 success, 1 the command ran and found errors (``check``), 2 bad input.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from planner.cli.context import CliContext, CliError

COMMAND_MODULES = (
    "planner.cli.data_commands",  # load, dump, demo
    "planner.cli.check_command",  # check
    "planner.cli.export_command",  # export consent|monitoring|week|day
    "planner.cli.autoplan_command",  # autoplan
    "planner.cli.backup_command",  # backup, restore
    "planner.cli.import_command",  # import patients
    "planner.cli.audit_command",  # audit verify
    "planner.cli.clinic_commands",  # consent-template, clinic logo
    "planner.cli.report_command",  # report utilisation|staff-hours|attendance|courses
    "planner.cli.account_commands",  # account add|list|passwd|pin|disable|set
    "planner.cli.inventory_commands",  # inventory report
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise CliError(message, exit_code=2)


def build_parser() -> argparse.ArgumentParser:
    from planner import __version__

    parser = _Parser(
        prog="infusion-planner",
        description="Plan IV infusion courses for a small clinic. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="SQLAlchemy database URL (default: PLANNER_DB_URL or the SQLite file in the data folder)",
    )
    parser.add_argument(
        "--key-prompt",
        action="store_true",
        help="ask for the key of an encrypted database (sqlite+pysqlcipher:///FILE)",
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="a database with user accounts: read the password of PLANNER_ACCOUNT from "
        "standard input (see also PLANNER_PASSWORD_FILE)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    _accept_global_options_anywhere(parser)
    return parser


def _accept_global_options_anywhere(parser: argparse.ArgumentParser) -> None:
    """``--db URL`` and ``--key-prompt`` also after the command (``check --db URL``).

    Each command parser gets copies with a SUPPRESS default, so a value given
    before the command is kept when it is not repeated after it.
    """
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for sub in dict.fromkeys(action.choices.values()):
            sub.add_argument(
                "--db", metavar="URL", default=argparse.SUPPRESS, help=argparse.SUPPRESS
            )
            sub.add_argument(
                "--key-prompt",
                action="store_true",
                default=argparse.SUPPRESS,
                help=argparse.SUPPRESS,
            )
            if "--password-stdin" not in sub._option_string_actions:  # account: its own secret
                sub.add_argument(
                    "--password-stdin",
                    action="store_true",
                    default=argparse.SUPPRESS,
                    help=argparse.SUPPRESS,
                )
            _accept_global_options_anywhere(sub)


def run(argv: Sequence[str]) -> int:
    """Parse ``argv`` and run one command; never lets a traceback reach the user."""
    try:
        parser = build_parser()
        args = parser.parse_args(list(argv))
        if getattr(args, "handler", None) is None:
            parser.print_help()
            return 2
        with CliContext(
            db_url=args.db,
            key_prompt=args.key_prompt,
            password_stdin=args.password_stdin,
            stdin_taken=getattr(args, "secret_stdin", False),
        ) as ctx:
            return int(args.handler(args, ctx))
    except CliError as exc:
        from planner.cli.output import terminal_safe

        print(f"error: {terminal_safe(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (``check --json | head``): stop quietly
        _silence_stdout()
        return 141
    except Exception as exc:  # a bug, not the user's fault: log it, say where, no traceback
        return _report_unexpected(exc)


def _silence_stdout() -> None:
    """Point stdout at the null device so the final flush at exit cannot fail again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests): nothing to flush
        pass


def _report_unexpected(exc: Exception) -> int:
    import logging

    where = "the log file"
    try:
        from planner.logging_setup import setup_logging

        where = str(setup_logging())
        logging.getLogger("planner.cli").exception("unexpected error in a command")
    except Exception:  # logging itself failed: still never show a traceback
        pass
    print(
        f"error: something went wrong that should not have ({type(exc).__name__}); "
        f"nothing was saved by the failed step. Details are in {where}.",
        file=sys.stderr,
    )
    return 70
