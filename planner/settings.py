"""Where the data lives and the clinic policy (every clinical number, with defaults).

The policy defaults follow DOMAIN.md; a clinic overrides any of them in its
database (``Clinic.policy`` holds only the overrides, as JSON), so nothing
clinical is hard-coded elsewhere.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

APP_NAME = "InfusionPlanner"
APP_AUTHOR = "InfusionPlanner"
#: The desktop's name for the app: the menu entry, icon and AppStream files are named after it,
#: and Wayland matches the running window to its menu entry by it.
APP_ID = "org.infusionplanner.InfusionPlanner"
ORG_DOMAIN = "infusionplanner.org"
ENV_DB_URL = "PLANNER_DB_URL"
ENV_DATA_DIR = "PLANNER_DATA_DIR"
ENV_USER = "PLANNER_USER"


def data_dir() -> Path:
    """The user's data folder (``PLANNER_DATA_DIR`` wins, for tests and portable installs)."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = Path(override)
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def log_dir() -> Path:
    """The user's log folder; next to the data when ``PLANNER_DATA_DIR`` is set."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = Path(override) / "logs"
    else:
        import platformdirs

        path = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_db_path() -> Path:
    return data_dir() / "planner.sqlite3"


def default_db_url() -> str:
    """``PLANNER_DB_URL`` if set, else the embedded SQLite file in the data folder."""
    return os.environ.get(ENV_DB_URL) or f"sqlite:///{default_db_path()}"


def current_user() -> str:
    """Who is working: ``PLANNER_USER`` (a configured workstation user) or the OS login."""
    configured = os.environ.get(ENV_USER)
    if configured:
        return configured
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something
        return "unknown"


def _default_limits() -> dict[str, int]:
    return {"psychiatrist": 4, "anesthesiologist": 2, "infusion_nurse": 2}


@dataclass(frozen=True)
class Policy:
    """Clinic policy: every number a clinic may change. Defaults from DOMAIN.md."""

    concurrent_limit: dict[str, int] = field(default_factory=_default_limits)
    # Alert thresholds printed on the monitoring sheet.
    alert_systolic_above: int = 180
    alert_diastolic_above: int = 110
    alert_hr_above: int = 120
    alert_hr_below: int = 50
    alert_spo2_below: int = 92
    # Readiness.
    fasting_solids_hours: int = 6
    fasting_clear_liquids_hours: int = 2
    no_substances_hours: int = 24
    # Vitals grid: minutes between rows during infusion and during recovery.
    vitals_every_minutes_infusion: int = 10
    vitals_every_minutes_recovery: int = 15
    discharge_min_aldrete: int = 9
    credential_warning_days: int = 30
    paper_size: str = "A4"  # "A4" | "Letter"
    consent_template: str | None = None  # path to a clinic's own template
    backups_keep: int = 10

    @classmethod
    def from_overrides(cls, overrides: dict[str, Any] | None) -> Policy:
        """Defaults with a clinic's overrides applied; unknown keys are refused."""
        if not overrides:
            return cls()
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(f"unknown policy setting(s): {', '.join(unknown)}")
        values = dict(overrides)
        defaults = cls()
        for key, value in values.items():
            expected = getattr(defaults, key)
            if key == "consent_template":
                if value is not None and not isinstance(value, str):
                    raise ValueError("consent_template must be a file path")
            elif key == "concurrent_limit":
                if not isinstance(value, dict) or not all(
                    isinstance(v, int) and not isinstance(v, bool) and v >= 1 for v in value.values()
                ):
                    raise ValueError("concurrent_limit must map each role to a whole number ≥ 1")
            elif isinstance(expected, int) and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0
            ):
                raise ValueError(f"{key} must be a whole number ≥ 0, not {value!r}")
            elif isinstance(expected, str) and not isinstance(value, str):
                raise ValueError(f"{key} must be text, not {value!r}")
        if "concurrent_limit" in values:
            limits = _default_limits()
            limits.update({str(k): int(v) for k, v in dict(values["concurrent_limit"]).items()})
            values["concurrent_limit"] = limits
        if "paper_size" in values:
            size = str(values["paper_size"])
            if size.lower() not in ("a4", "letter"):
                raise ValueError(f"paper_size must be A4 or Letter, not {size!r}")
            values["paper_size"] = "A4" if size.lower() == "a4" else "Letter"
        return cls(**values)

    def overrides(self) -> dict[str, Any]:
        """Only the values that differ from the defaults (what the database stores)."""
        default = Policy()
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if value != getattr(default, f.name):
                out[f.name] = dict(value) if isinstance(value, dict) else value
        return out

    def limit_for(self, role: str) -> int:
        return self.concurrent_limit.get(role, 1)
