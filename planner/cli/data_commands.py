"""``load``, ``dump`` and ``demo``: a whole clinic in and out as one JSON document."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from planner.cli.context import CliContext, CliError
from planner.cli.output import check_output, emit_text
from planner.interchange.validate import DocumentError, parse_document
from planner.services.base import ServiceError
from planner.services.clinic_io import document_to_json, dump_document, load_document


def register(subparsers: Any) -> None:
    load = subparsers.add_parser("load", help="import a whole clinic document (JSON)")
    load.add_argument("file", help="an infusion-planner/1 JSON file, or - for standard input")
    load.add_argument(
        "--replace",
        action="store_true",
        help="swap the whole content of a non-empty database (a backup is made first)",
    )
    load.set_defaults(handler=cmd_load)

    dump = subparsers.add_parser("dump", help="write the whole database as one JSON document")
    dump.add_argument("--out", metavar="FILE", help="file to write (default: standard output)")
    dump.set_defaults(handler=cmd_dump)

    demo = subparsers.add_parser("demo", help="fill an empty database with a realistic demo clinic")
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same clinic)")
    demo.add_argument("--weeks", type=int, default=4, help="weeks of sessions from this week on")
    demo.add_argument("--replace", action="store_true", help="replace a non-empty database")
    demo.add_argument("--out", metavar="FILE", help="write the demo document instead of loading it")
    demo.set_defaults(handler=cmd_demo)


def _read_input(name: str) -> bytes:
    from planner.cli.inputs import MB, read_input

    return read_input(name, what="a clinic document", limit=512 * MB)


def _load(ctx: CliContext, text: bytes | str, *, replace: bool, source: str) -> int:
    try:
        doc = parse_document(text)
    except DocumentError as exc:
        raise CliError(f"{source} cannot be loaded:\n{exc}") from None
    db = ctx.open_db()
    kept: list[Path] = []

    def keep_current(session: Any, empty: bool) -> None:
        """Inside the load's locked transaction: a copy of what is about to be replaced."""
        if replace and not empty:
            from planner.services.backup import safety_backup

            kept.append(safety_backup(db, session, prefix="before-replace-"))

    try:
        counts = load_document(db, doc, replace=replace, before_write=keep_current)
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    if kept:
        print(f"backup of the replaced content: {kept[0]}", file=sys.stderr)
    print("loaded " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))
    return 0


def cmd_load(args: argparse.Namespace, ctx: CliContext) -> int:
    source = "standard input" if args.file == "-" else args.file
    return _load(ctx, _read_input(args.file), replace=args.replace, source=source)


def cmd_dump(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.out not in (None, "-"):
        check_output(args.out)
    text = document_to_json(dump_document(ctx.open_db()))
    emit_text(text, args.out, json_text=True)
    return 0


def cmd_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    from planner.services.demo import build_demo_document

    if args.weeks < 1 or args.weeks > 1040:
        raise CliError("--weeks must be between 1 and 1040")
    doc = build_demo_document(seed=args.seed, weeks=args.weeks, today=date.today())
    text = document_to_json(doc)
    if args.out:
        emit_text(text, args.out, json_text=True)
        return 0
    return _load(ctx, text, replace=args.replace, source="the demo clinic")
