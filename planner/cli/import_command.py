"""``import patients FILE.csv``: preview every row, then import all of them or none."""

from __future__ import annotations

import argparse
from typing import Any

from planner.cli.context import CliContext, CliError
from planner.cli.output import terminal_safe
from planner.services.base import ServiceError
from planner.services.patient_import import (
    ENCODINGS,
    ImportPreview,
    decode_csv,
    import_patients,
    preview_patient_csv,
)

PREVIEW_ROWS = 20


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import records from a file (patients from CSV)",
        description="Import patients from a CSV file. The file is checked first and every bad "
        "row is named with the reason; if any row is bad nothing is imported.",
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", parser_class=type(parser))
    kinds.required = True
    patients = kinds.add_parser(
        "patients",
        help="patients from a CSV file (name, date of birth, record number, weight, ...)",
        description="Columns are matched by their header: name / full name; dob / date of "
        "birth / birth date; mrn / record number; weight / weight (kg); escort name; escort "
        "phone; notes; flags (separated by ';'). Slashed dates like 03/04/1980 are read day "
        "first or month first as the file's own unambiguous dates show, else as the "
        "computer's locale writes them (month first in the US); --dayfirst or --monthfirst "
        "decides. A date that does not fit the order is an error, never turned around; a "
        "file writing dates in both orders is refused, naming a line of each.",
    )
    patients.add_argument("file", help="the CSV file, or - for standard input")
    patients.add_argument(
        "--dry-run", action="store_true", help="only show the preview; import nothing"
    )
    patients.add_argument(
        "--encoding",
        choices=sorted(ENCODINGS),
        type=str.lower,
        help="the file's encoding (default: UTF-8 or UTF-16 by their marks, Windows-1252 for "
        "a file with no UTF-8 at all; a file mixing them is refused)",
    )
    order = patients.add_mutually_exclusive_group()
    order.add_argument(
        "--dayfirst", dest="dayfirst", action="store_const", const=True, default=None,
        help="read 03/04/1980 as 3 April 1980",
    )
    order.add_argument(
        "--monthfirst", dest="dayfirst", action="store_const", const=False,
        help="read 03/04/1980 as 4 March 1980",
    )
    patients.set_defaults(handler=cmd_import_patients)


def _read(name: str) -> bytes:
    from planner.cli.inputs import MB, read_input

    return read_input(name, what="a CSV file", limit=64 * MB)


def describe_preview(preview: ImportPreview, *, limit: int = PREVIEW_ROWS) -> str:
    """The preview as text: what each column means, the rows to add, every bad row and why."""
    out: list[str] = []
    if preview.columns:
        out.append(
            "columns: " + ", ".join(f"{h} → {f.replace('_', ' ')}" for h, f in preview.columns.items())
        )
    if preview.ignored_columns:
        out.append("ignored columns: " + ", ".join(preview.ignored_columns))
    out.append(f"dates read as {preview.date_order()}")
    out.append(f"{len(preview.rows)} patient(s) ready to import")
    for row in preview.rows[:limit]:
        d = row.data
        born = d.date_of_birth.isoformat() if d.date_of_birth else "?"
        extra = f", record {d.record_number}" if d.record_number else ""
        out.append(f"  line {row.line}: {d.name}, born {born}{extra}")
    if len(preview.rows) > limit:
        out.append(f"  ... and {len(preview.rows) - limit} more")
    if preview.problems:
        out.append(f"{len(preview.problems)} row(s) with problems:")
        out.extend(f"  {p}" for p in preview.problems)
    return terminal_safe("\n".join(out))


def cmd_import_patients(args: argparse.Namespace, ctx: CliContext) -> int:
    data = _read(args.file)
    db = ctx.open_db()
    try:
        preview = preview_patient_csv(
            db, decode_csv(data, args.encoding), dayfirst=args.dayfirst
        )
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    print(describe_preview(preview))
    if preview.problems:
        raise CliError(
            f"nothing imported: {len(preview.problems)} row(s) have problems (listed above)"
        )
    if args.dry_run:
        print("dry run: nothing imported")
        return 0
    try:
        added = import_patients(db, preview)
    except ServiceError as exc:
        raise CliError(str(exc)) from None
    print(f"imported {added} patient(s)")
    return 0
