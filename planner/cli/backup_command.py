"""``backup [--out FILE]`` and ``restore FILE``: safe copies while the app may be running."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner.cli.context import CliContext, CliError
from planner.cli.output import terminal_safe
from planner.services.backup import backup_database, restore_database
from planner.services.base import ServiceError


def register(subparsers: Any) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="write a consistent copy of the database (safe while the app is open)",
        description="Write a consistent copy of the database. SQLite: a database file "
        "(encrypted databases stay encrypted); PostgreSQL: the clinic as a JSON document. "
        "Without --out the copy goes to this database's own folder in the backups folder.",
    )
    backup.add_argument("--out", metavar="FILE", help="where to write the backup")
    backup.set_defaults(handler=cmd_backup)

    restore = subparsers.add_parser(
        "restore",
        help="replace the database with a checked backup (the current one is kept)",
        description="Check FILE (integrity, references, every table and column, schema "
        "version and that its data reads; or a full document check) and replace the "
        "database with it in one step. The current database is kept in its backups folder "
        "first and the audit trail is kept whole; nothing changes when a check fails.",
    )
    restore.add_argument("file", help="a backup made by 'backup' (database file or JSON)")
    restore.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.open_db()
    try:
        path = backup_database(db, Path(args.out) if args.out else None)
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    print(terminal_safe(f"backup written: {path}"))
    return 0


def cmd_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.open_db()
    try:
        result = restore_database(db, Path(args.file))
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    print(terminal_safe(f"restored from {result.restored_from}"))
    print(terminal_safe(f"the replaced database was kept as {result.kept}"))
    if result.carried_events:
        print(f"{result.carried_events} audit event(s) of the backup were added to the trail")
    if result.note:
        print(terminal_safe(f"note: the backup's own audit trail did not verify: {result.note}"))
    return 0
