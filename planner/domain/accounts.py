"""People who sign in: local accounts, their roles, and what each role may change.

Accounts live in one database only (a document never carries them: their
password hashes never leave the database). A database without accounts
works without signing in and without these checks.

What a role may do is keyed by what a change is audited as (entity and
action), so the one place every change passes through — its audit event —
is where the services check it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Final, Literal, get_args

from planner.domain.base import Record
from planner.domain.fields import Bool, Ref
from planner.domain.markers import After, Length, OneOf, Strict

AccountRole = Literal["manager", "clinician", "nurse", "front_desk", "read_only"]
ACCOUNT_ROLES: Final[tuple[str, ...]] = get_args(AccountRole)
ACCOUNT_ROLE_LABELS: Final = {
    "manager": "Manager",
    "clinician": "Clinician",
    "nurse": "Nurse",
    "front_desk": "Front desk",
    "read_only": "Read only",
}

Capability = Literal[
    "setup",  # clinic, chairs, protocols, policy, staff, consent wording, load, restore
    "accounts",  # create, change and disable other people's accounts
    "patients",
    "planning",  # courses and sessions
    "view_record",  # read a session record (and print the completed sheet)
    "record",  # check-in, vitals, medications, waste, adverse events, discharge, amendments
    "sign",  # sign and lock a session record
    "witness",  # witness a waste, a count or a receipt with one's PIN
    "inventory",  # receive lots, take counts
]
CAPABILITIES: Final[tuple[str, ...]] = get_args(Capability)

ROLE_CAPABILITIES: Final[dict[str, frozenset[str]]] = {
    "manager": frozenset(CAPABILITIES),
    "clinician": frozenset({"view_record", "record", "sign", "witness"}),
    "nurse": frozenset({"view_record", "record", "witness"}),
    "front_desk": frozenset({"patients", "planning"}),
    "read_only": frozenset({"view_record"}),
}

#: What a change needs, by the entity its audit event names (anything else: ``setup``).
ENTITY_CAPABILITY: Final[dict[str, str]] = {
    "patient": "patients",
    "course": "planning",
    "session": "planning",
    "session_record": "record",
    "lot": "inventory",
    "inventory_count": "inventory",
    "account": "accounts",
}
#: Exceptions by (entity, action).
ACTION_CAPABILITY: Final[dict[tuple[str, str], str]] = {("session_record", "sign"): "sign"}
#: Events written while someone signs in (no one is signed in yet): always allowed.
SIGN_IN_ACTIONS: Final = frozenset({"login", "login_failed", "pin_failed", "pin_locked"})
#: Changes a person may make to their own account whatever their role.
OWN_ACCOUNT_ACTIONS: Final = frozenset({"password", "pin"})

CAPABILITY_LABELS: Final = {
    "setup": "change the clinic's set-up",
    "accounts": "manage user accounts",
    "patients": "change patients",
    "planning": "plan courses and sessions",
    "view_record": "read session records",
    "record": "write session records",
    "sign": "sign session records",
    "witness": "witness controlled-substance entries",
    "inventory": "receive and count controlled substances",
}


def capability_for(entity: str, action: str) -> str:
    """The capability a change audited as ``entity``/``action`` needs."""
    return ACTION_CAPABILITY.get((entity, action)) or ENTITY_CAPABILITY.get(entity, "setup")


def may(role: str, capability: str) -> bool:
    return capability in ROLE_CAPABILITIES.get(role, frozenset())


_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _account_name(value: str) -> str:
    if not _NAME.match(value):
        raise ValueError("use letters, digits, '.', '_' or '-' (starting with a letter or digit)")
    return value


AccountName = Annotated[str, Strict(), Length(1, 40), After(_account_name)]
AccountRoleName = Annotated[str, OneOf(ACCOUNT_ROLES)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Account(Record):
    """A person who signs in; ``staff`` links them to a staff member (who they are on paper)."""

    name: AccountName
    role: AccountRoleName
    staff: Ref | None = None
    active: Bool = True
    #: Whether a witnessing PIN is set (the hashes themselves never leave the database).
    has_pin: Bool = False

    def may(self, capability: str) -> bool:
        return self.active and may(self.role, capability)


MIN_PASSWORD: Final = 8
MAX_PASSWORD: Final = 200
PIN_DIGITS: Final = (4, 8)


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot be used, or None."""
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters"
    if len(password) > MAX_PASSWORD:
        return f"a password has at most {MAX_PASSWORD} characters"
    if password != password.strip():
        return "a password must not start or end with a space"
    if any(ord(ch) < 32 for ch in password):
        return "a password must not contain control characters"
    return None


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be used as a witnessing PIN, or None."""
    low, high = PIN_DIGITS
    if not (pin.isascii() and pin.isdigit() and low <= len(pin) <= high):
        return f"a PIN is {low} to {high} digits"
    return None
