"""Signing in for a command, when the database has user accounts.

Never from the command line itself (it would stay in the shell history and
the process list). In order: the account from ``PLANNER_ACCOUNT`` (or asked on
a terminal), the password from standard input with ``--password-stdin``, from
the file ``PLANNER_PASSWORD_FILE`` (readable by its owner only), or asked on a
terminal without echo. A database without accounts asks for nothing.
"""

from __future__ import annotations

import getpass
import os
import stat
import sys
from pathlib import Path

from planner.cli.context import CliError
from planner.db.engine import Database

ENV_ACCOUNT = "PLANNER_ACCOUNT"
ENV_PASSWORD_FILE = "PLANNER_PASSWORD_FILE"

HOW = (
    f"sign in with {ENV_ACCOUNT}=name and either {ENV_PASSWORD_FILE}=/path/to/file (readable "
    "by its owner only) or --password-stdin"
)


def interactive() -> bool:
    """Whether a person at a terminal can be asked (a hidden prompt needs one)."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def read_stdin_line(what: str) -> str:
    """One line of standard input, without its line ending."""
    line = sys.stdin.readline()
    if not line:
        raise CliError(f"--password-stdin: standard input gave no {what}")
    return line.rstrip("\r\n")


def read_password_file(name: str) -> str:
    """The first line of the password file, refused when others could read it."""
    path = Path(name).expanduser()
    try:
        info = path.stat()
    except OSError as exc:
        raise CliError(f"{ENV_PASSWORD_FILE}: cannot read {path}: {exc.strerror}") from None
    if not stat.S_ISREG(info.st_mode):
        raise CliError(f"{ENV_PASSWORD_FILE}: {path} is not a file")
    if os.name == "posix":
        if info.st_mode & 0o077:
            raise CliError(
                f"{ENV_PASSWORD_FILE}: {path} can be read by others (mode "
                f"{stat.S_IMODE(info.st_mode):03o}); make it readable by its owner only: "
                f"chmod 600 {path}"
            )
        if info.st_uid != os.getuid():
            raise CliError(f"{ENV_PASSWORD_FILE}: {path} belongs to someone else")
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"{ENV_PASSWORD_FILE}: cannot read {path}: {exc}") from None
    return text.splitlines()[0] if text else ""


def sign_in_for_command(db: Database, *, password_stdin: bool, stdin_taken: bool = False) -> None:
    """Sign in to ``db`` for this command if it has accounts; exit 2 with a sentence if not possible.

    ``stdin_taken``: the command itself reads a secret from standard input.
    """
    from planner.services.account_presence import database_has_accounts
    from planner.services.accounts import AuthenticationFailed, sign_in

    if not database_has_accounts(db):
        return
    name = os.environ.get(ENV_ACCOUNT, "").strip()
    if not name:
        if not interactive():
            raise CliError(f"this database has user accounts: {HOW} (see the README)")
        name = input("Account: ").strip()
    if password_stdin and stdin_taken:
        raise CliError(
            f"standard input gives the new password or PIN here: sign in with {ENV_PASSWORD_FILE}"
        )
    if password_stdin:
        password = read_stdin_line("password")
    elif os.environ.get(ENV_PASSWORD_FILE):
        password = read_password_file(os.environ[ENV_PASSWORD_FILE])
    elif interactive():
        password = getpass.getpass(f"Password for {name}: ")
    else:
        raise CliError(f"no password for {name}: {HOW}")
    try:
        sign_in(db, name, password)
    except AuthenticationFailed as exc:
        raise CliError(f"cannot sign in as {name}: {exc}") from None
