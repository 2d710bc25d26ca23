"""``backup [--out FILE]`` and ``restore FILE``: safe copies while the app may be running."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner.cli.context import CliContext, CliError
from planner.services.backup import backup_database, restore_database
from planner.services.base import ServiceError


def register(subparsers: Any) -> None:
    backup = subparsers.add_parser(
        "backup",
        help="write a consistent copy of the database (safe while the app is open)",
        description="Write a consistent copy of the database. SQLite: a database file "
        "(encrypted databases stay encrypted); PostgreSQL: the clinic as a JSON document. "
        "Without --out the copy goes to the backup folder.",
    )
    backup.add_argument("--out", metavar="FILE", help="where to write the backup")
    backup.set_defaults(handler=cmd_backup)

    restore = subparsers.add_parser(
        "restore",
        help="replace the database with a checked backup (the current one is kept)",
        description="Check FILE (integrity and schema version, or a full document check) and "
        "replace the database with it. The current database is saved to the backup folder "
        "first; nothing changes when the check fails.",
    )
    restore.add_argument("file", help="a backup made by 'backup' (database file or JSON)")
    restore.set_defaults(handler=cmd_restore)


def cmd_backup(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.open_db()
    try:
        path = backup_database(db, Path(args.out) if args.out else None)
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    print(f"backup written: {path}")
    return 0


def cmd_restore(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.open_db()
    try:
        result = restore_database(db, Path(args.file))
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    print(f"restored from {result.restored_from}")
    print(f"the replaced database was kept as {result.kept}")
    return 0
