"""The clinic policy: every clinical number a clinic may change, with its default and limits.

Defaults follow DOMAIN.md. The database (and a document's ``policy``) keeps
only the overrides; ``Policy.from_overrides`` applies them with the same
limits the Policy panel uses for its spin boxes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any

from planner.domain.base import Record, validate
from planner.domain.fields import Bool, ListLine, PaperSizeName, Phone
from planner.domain.markers import After, Before, Length, Range, Strict
from planner.domain.vocabulary import ROLES


def _default_limits() -> dict[str, int]:
    return {"psychiatrist": 4, "anesthesiologist": 2, "infusion_nurse": 2}


def _limits_with_defaults(value: Any) -> Any:
    """A partial ``{"psychiatrist": 3}`` keeps the other roles' defaults."""
    if isinstance(value, Mapping):
        unknown = [str(k) for k in value if k not in ROLES]
        if unknown:
            raise ValueError(f"unknown role(s) {', '.join(unknown)} (roles: {', '.join(ROLES)})")
        return _default_limits() | dict(value)
    return value


def _paper(value: Any) -> Any:
    """``a4``/``LETTER`` are read as A4/Letter."""
    if isinstance(value, str):
        return {"a4": "A4", "letter": "Letter"}.get(value.strip().lower(), value)
    return value


def _unique_lines(items: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(items)) != len(items):
        raise ValueError("a drug is listed twice")
    if len(items) > 8:
        raise ValueError("at most 8 drugs (the sheet has room for 8 pre-printed rows)")
    return items


#: The standing as-needed / rescue drugs at hand during ketamine sedation (DOMAIN.md):
#: pre-printed on the monitoring sheet's medications-given table.
DEFAULT_AS_NEEDED = (
    "Ondansetron 4 mg IV",
    "Midazolam 1–2 mg IV",
    "Labetalol IV",
    "Clonidine PO",
)

Count = Annotated[int, Strict()]
AsNeeded = Annotated[tuple[ListLine, ...], After(_unique_lines)]


def _known_zone(value: str) -> str:
    """An IANA time zone name (``Europe/London``); "" means the computer's own zone."""
    name = value.strip()
    if not name:
        return ""
    from zoneinfo import ZoneInfo

    try:
        if name.lower() == "localtime":  # a file name on some systems, not a zone
            raise KeyError(name)
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # not found is a KeyError, a malformed key ValueError
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA name such as Europe/London or "
            "America/New_York"
        ) from None
    return name


TimeZoneName = Annotated[str, Strict(), Length(0, 64), After(_known_zone)]
#: Patients one person of a role may look after at once.
PatientsPerPerson = Annotated[int, Strict(), Range(1, 20)]
PatientsAtOnce = Annotated[dict[str, PatientsPerPerson], Before(_limits_with_defaults)]


@dataclass(frozen=True, slots=True, kw_only=True)
class Policy(Record):
    """Clinic policy. Field order is the Policy panel's order."""

    #: Patients one person may look after at once, per role.
    concurrent_limit: PatientsAtOnce = field(default_factory=_default_limits)
    # Alert thresholds printed on the monitoring sheet.
    alert_systolic_above: Annotated[Count, Range(60, 300)] = 180
    alert_diastolic_above: Annotated[Count, Range(30, 200)] = 110
    alert_hr_above: Annotated[Count, Range(40, 250)] = 120
    alert_hr_below: Annotated[Count, Range(20, 120)] = 50
    alert_spo2_below: Annotated[Count, Range(50, 100)] = 92
    alert_rr_above: Annotated[Count, Range(10, 80)] = 24
    alert_rr_below: Annotated[Count, Range(4, 30)] = 10
    # Readiness.
    fasting_solids_hours: Annotated[Count, Range(0, 24)] = 6
    fasting_clear_liquids_hours: Annotated[Count, Range(0, 24)] = 2
    no_substances_hours: Annotated[Count, Range(0, 168)] = 24
    # Vitals grid: minutes between rows during infusion and during recovery.
    vitals_every_minutes_infusion: Annotated[Count, Range(1, 120)] = 10
    vitals_every_minutes_recovery: Annotated[Count, Range(1, 120)] = 15
    discharge_min_aldrete: Annotated[Count, Range(0, 10)] = 9
    discharge_min_padss: Annotated[Count, Range(0, 10)] = 9
    # The monitoring sheet: a weight older than this gets a "weight today" box.
    weight_max_age_days: Annotated[Count, Range(1, 3650)] = 30
    as_needed_drugs: AsNeeded = DEFAULT_AS_NEEDED
    # Vitals grid columns besides BP, HR, RR and SpO2 (EtCO2 and rhythm where monitored).
    vitals_o2_column: Bool = True
    vitals_etco2_column: Bool = False
    vitals_rhythm_column: Bool = False
    #: Printed on the consent form for questions or a crisis after hours.
    crisis_phone: Phone = ""
    credential_warning_days: Annotated[Count, Range(0, 365)] = 30
    paper_size: Annotated[PaperSizeName, Before(_paper)] = "A4"
    backups_keep: Annotated[Count, Range(1, 1000)] = 10
    #: The clinic's IANA time zone, for calendar files (the planner keeps local times without
    #: a zone); "" = the zone of the computer that writes the file.
    time_zone: TimeZoneName = ""
    # Accounts (a database with user accounts only).
    idle_lock_minutes: Annotated[Count, Range(1, 240)] = 15
    pin_attempts: Annotated[Count, Range(3, 20)] = 5
    pin_lockout_minutes: Annotated[Count, Range(1, 1440)] = 15

    @classmethod
    def prepare(cls, data: dict[str, Any], context: Mapping[str, Any]) -> dict[str, Any]:
        # Before the consent wording moved into the database, a policy could name a file.
        if "consent_template" in data:
            if data["consent_template"] is not None:
                raise ValueError(
                    "consent_template: the consent wording is kept in the database, never read "
                    "from a file a document names; import it with `consent-template import FILE`"
                )
            del data["consent_template"]
        return data

    def check(self) -> None:
        if self.alert_hr_below >= self.alert_hr_above:
            raise ValueError("the low heart-rate alert must be below the high one")
        if self.alert_rr_below >= self.alert_rr_above:
            raise ValueError("the low respiratory-rate alert must be below the high one")

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, Any] | None) -> Policy:
        """Defaults with a clinic's overrides applied; raises ``Invalid`` naming each bad key."""
        if not overrides:
            return cls()
        return validate(cls, overrides)

    def overrides(self) -> dict[str, Any]:
        """Only the values that differ from the defaults (what the database stores), by key."""
        default = Policy()
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value != getattr(default, f.name):
                if isinstance(value, dict):
                    value = dict(value)
                elif isinstance(value, tuple):
                    value = list(value)  # as it is stored (JSON) and written
                out[f.name] = value
        return dict(sorted(out.items()))

    def limit_for(self, role: str) -> int:
        return self.concurrent_limit.get(role, 1)
