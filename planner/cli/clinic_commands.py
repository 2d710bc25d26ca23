"""``consent-template import|list|remove|use``, ``clinic logo`` and ``clinic time-zone``: what a
clinic prints and the zone its calendar files carry, stored once.

The wording and the logo are read from the file named here, once, checked, and
kept in the database: nothing later reads a path for them.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from planner.cli.context import CliContext, CliError
from planner.domain.fields import MAX_LOGO_BYTES, check_image
from planner.services import clinic, consent_templates
from planner.services.base import NotFound, ServiceError


def register(subparsers: Any) -> None:
    template = subparsers.add_parser(
        "consent-template",
        help="import, list or remove the clinic's own consent wording",
        description="The consent wording is kept in the database. Import a UTF-8 text file "
        "(the same format as the built-in wording) once and choose which protocols print it.",
    )
    actions = template.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser("import", help="store a wording file in the database")
    imp.add_argument("file", help="a UTF-8 text file (at most 1 MiB)")
    imp.add_argument("--name", help="what to call it (default: the file name)")
    imp.add_argument(
        "--protocol",
        action="append",
        default=[],
        metavar="REF",
        help="a protocol that prints this wording (repeat; default: none)",
    )
    imp.set_defaults(handler=cmd_import)
    lst = actions.add_parser("list", help="the stored wordings and the protocols using them")
    lst.set_defaults(handler=cmd_list)
    rm = actions.add_parser("remove", help="delete a wording no protocol uses")
    rm.add_argument("ref")
    rm.set_defaults(handler=cmd_remove)
    use = actions.add_parser("use", help="make a protocol print a wording (or the built-in one)")
    use.add_argument("protocol", metavar="PROTOCOL_REF")
    use.add_argument("ref", nargs="?", help="the wording's ref; leave out for the built-in wording")
    use.set_defaults(handler=cmd_use)

    clinic = subparsers.add_parser("clinic", help="the clinic's letterhead")
    clinic_actions = clinic.add_subparsers(dest="action", metavar="ACTION", required=True)
    logo = clinic_actions.add_parser("logo", help="store the letterhead logo (PNG or JPEG)")
    group = logo.add_mutually_exclusive_group(required=True)
    group.add_argument("file", nargs="?", help="a PNG or JPEG image (at most 1 MiB)")
    group.add_argument("--clear", action="store_true", help="print no logo")
    logo.set_defaults(handler=cmd_logo)
    zone = clinic_actions.add_parser(
        "time-zone",
        help="the clinic's time zone for calendar files (show it without NAME)",
        description="Calendar files carry the clinic's time zone. Without one set, the zone of "
        "the computer that writes the file is used.",
    )
    zone_choice = zone.add_mutually_exclusive_group()
    zone_choice.add_argument("name", nargs="?", help="an IANA name, e.g. Europe/London")
    zone_choice.add_argument(
        "--computer", action="store_true", help="use the zone of the computer writing the file"
    )
    zone.set_defaults(handler=cmd_time_zone)


def _service(action: Any) -> Any:
    try:
        return action()
    except NotFound as exc:
        raise CliError(str(exc), exit_code=2) from None
    except ServiceError as exc:
        raise CliError(str(exc), exit_code=2) from None


def cmd_import(args: argparse.Namespace, ctx: CliContext) -> int:
    text = _service(lambda: consent_templates.read_wording_file(args.file))
    name = args.name or Path(args.file).stem
    db = ctx.open_db()
    ref = _service(
        lambda: consent_templates.import_template(db, name, text, protocols=args.protocol)
    )
    print(f"consent wording {ref} stored ({len(text)} characters)")
    return 0


def cmd_list(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = consent_templates.list_templates(ctx.open_db())
    if not rows:
        print("no consent wording of the clinic's own: every protocol prints the built-in one")
    for row in rows:
        used = ", ".join(row.protocols) or "no protocol"
        print(f"{row.template.ref}\t{row.template.name}\t{len(row.template.text)} characters\t{used}")
    return 0


def cmd_remove(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.open_db()
    _service(lambda: consent_templates.delete_template(db, args.ref))
    print(f"consent wording {args.ref} removed")
    return 0


def cmd_use(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.open_db()
    _service(lambda: consent_templates.use_template(db, args.protocol, args.ref))
    print(f"{args.protocol} prints " + (args.ref or "the built-in wording"))
    return 0


def cmd_logo(args: argparse.Namespace, ctx: CliContext) -> int:
    data: bytes | None = None
    if not args.clear:
        file = Path(args.file)
        try:
            if not file.is_file():
                raise CliError(f"{file} is not a file", exit_code=2)
            if file.stat().st_size > MAX_LOGO_BYTES:
                raise CliError(
                    f"the logo is larger than {MAX_LOGO_BYTES // 1024} KiB", exit_code=2
                )
            data = check_image(file.read_bytes())
        except OSError as exc:
            raise CliError(f"cannot read {file}: {exc.strerror or exc}", exit_code=2) from None
        except ValueError as exc:
            raise CliError(str(exc), exit_code=2) from None
    db = ctx.open_db()
    _service(lambda: clinic.set_logo(db, data))
    print("logo stored" if data else "logo removed")
    return 0


def cmd_time_zone(args: argparse.Namespace, ctx: CliContext) -> int:
    from planner.domain.base import Invalid
    from planner.domain.policy import Policy
    from planner.interchange.ics import computer_zone_name

    db = ctx.open_db()
    if args.name is None and not args.computer:
        zone = clinic.get_policy(db).time_zone
        here = computer_zone_name() or "unknown"
        print(zone or f"not set: this computer's zone is used ({here})")
        return 0
    name = "" if args.computer else args.name.strip()
    try:
        Policy.from_overrides({"time_zone": name})
    except Invalid as exc:
        raise CliError("; ".join(exc.fields.values()), exit_code=2) from None
    _service(lambda: clinic.set_time_zone(db, name))
    print(f"time zone set to {name}" if name else "time zone: this computer's")
    return 0
