"""``account add|list|passwd|pin|disable|set``: the people who sign in to this database.

Accounts belong to one database and are never in a dumped document. A new
password or PIN is typed twice without echo, or read from standard input with
``--password-stdin`` (one line) — never given as an argument.
"""

from __future__ import annotations

import argparse
import getpass
from collections.abc import Callable
from typing import Any

from planner.cli.context import CliContext, CliError
from planner.cli.sign_in import interactive, read_stdin_line
from planner.domain.accounts import ACCOUNT_ROLE_LABELS, ACCOUNT_ROLES
from planner.services import accounts
from planner.services.base import ServiceError


def register(subparsers: Any) -> None:
    account = subparsers.add_parser(
        "account",
        help="user accounts of this database (sign-in, roles, witnessing PINs)",
        description="Accounts are local to a database: dump and load never carry them. "
        "Once a database has an account, every command signs in (PLANNER_ACCOUNT with "
        "PLANNER_PASSWORD_FILE or --password-stdin) and the app asks for a password.",
    )
    actions = account.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="a new account (the first one must be a manager)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ACCOUNT_ROLES)
    add.add_argument("--staff", metavar="REF", help="the staff member this person is")
    _secret_option(add, "password")
    add.set_defaults(handler=cmd_add)
    lst = actions.add_parser("list", help="the accounts, their roles and staff members")
    lst.set_defaults(handler=cmd_list)
    passwd = actions.add_parser("passwd", help="a new password (your own, or anyone's as manager)")
    passwd.add_argument("name")
    _secret_option(passwd, "password")
    passwd.set_defaults(handler=cmd_passwd)
    pin = actions.add_parser("pin", help="a witnessing PIN of 4–8 digits")
    pin.add_argument("name")
    _secret_option(pin, "PIN")
    pin.set_defaults(handler=cmd_pin)
    disable = actions.add_parser("disable", help="nobody signs in as NAME any more")
    disable.add_argument("name")
    disable.set_defaults(handler=cmd_disable)
    change = actions.add_parser("set", help="change an account's role or staff member")
    change.add_argument("name")
    change.add_argument("--role", choices=ACCOUNT_ROLES)
    who = change.add_mutually_exclusive_group()
    who.add_argument("--staff", metavar="REF", help="link to this staff member")
    who.add_argument("--no-staff", action="store_true", help="link to no staff member")
    change.set_defaults(handler=cmd_set)


def _secret_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--password-stdin",
        dest="secret_stdin",
        action="store_true",
        help=f"read the new {what} from standard input (one line) instead of asking twice",
    )


def _new_secret(args: argparse.Namespace, what: str) -> str:
    if args.secret_stdin:
        return read_stdin_line(what)
    if not interactive():
        raise CliError(f"no terminal to ask for the new {what}: give it with --password-stdin")
    try:
        first = getpass.getpass(f"New {what} for {args.name}: ")
        second = getpass.getpass(f"The {what} again: ")
    except (EOFError, KeyboardInterrupt):
        raise CliError(f"no new {what} was given; nothing was changed") from None
    if first != second:
        raise CliError(f"the two {what}s differ; nothing was changed")
    return first


def _service(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except ServiceError as exc:
        raise CliError(str(exc)) from None


def cmd_add(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.open_db()
    secret = _new_secret(args, "password")
    _service(
        lambda: accounts.create_account(db, args.name, args.role, secret, staff_ref=args.staff)
    )
    print(f"account {args.name} added ({ACCOUNT_ROLE_LABELS[args.role]})")
    return 0


def cmd_list(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = accounts.list_accounts(ctx.open_db())
    if not rows:
        print("no accounts: this database is used without signing in")
    for a in rows:
        state = "" if a.active else "\tdisabled"
        pin = "PIN set" if a.has_pin else "no PIN"
        print(f"{a.name}\t{ACCOUNT_ROLE_LABELS[a.role]}\t{a.staff or '-'}\t{pin}{state}")
    return 0


def cmd_passwd(args: argparse.Namespace, ctx: CliContext) -> int:
    return _new(args, ctx, pin=False)


def cmd_pin(args: argparse.Namespace, ctx: CliContext) -> int:
    return _new(args, ctx, pin=True)


def _new(args: argparse.Namespace, ctx: CliContext, *, pin: bool) -> int:
    db = ctx.open_db()
    what = "PIN" if pin else "password"
    secret = _new_secret(args, what)
    change = accounts.set_pin if pin else accounts.set_password
    _service(lambda: change(db, args.name, secret))
    print(f"PIN of {args.name} set" if pin else f"password of {args.name} changed")
    return 0


def cmd_disable(args: argparse.Namespace, ctx: CliContext) -> int:
    db = ctx.open_db()
    _service(lambda: accounts.disable_account(db, args.name))
    print(f"account {args.name} disabled")
    return 0


def cmd_set(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.role is None and args.staff is None and not args.no_staff:
        raise CliError("give --role, --staff or --no-staff")
    db = ctx.open_db()
    if args.role is not None:
        _service(lambda: accounts.set_role(db, args.name, args.role))
    if args.staff is not None or args.no_staff:
        _service(lambda: accounts.link_staff(db, args.name, None if args.no_staff else args.staff))
    print(f"account {args.name} changed")
    return 0
