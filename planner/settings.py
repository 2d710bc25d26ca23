"""Where the data lives, and who is working.

The clinic policy (every clinical number, with defaults) is a domain record:
``planner.domain.policy``.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "InfusionPlanner"
APP_AUTHOR = "InfusionPlanner"
#: The desktop's name for the app: the menu entry, icon and AppStream files are named after it,
#: and Wayland matches the running window to its menu entry by it.
APP_ID = "org.infusionplanner.InfusionPlanner"
ORG_DOMAIN = "infusionplanner.org"
ENV_DB_URL = "PLANNER_DB_URL"
ENV_DATA_DIR = "PLANNER_DATA_DIR"
ENV_USER = "PLANNER_USER"


def _data_path() -> Path:
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def data_dir() -> Path:
    """The user's data folder (``PLANNER_DATA_DIR`` wins, for tests and portable installs)."""
    path = _data_path()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def log_dir() -> Path:
    """The user's log folder; next to the data when ``PLANNER_DATA_DIR`` is set."""
    override = os.environ.get(ENV_DATA_DIR)
    if override:
        path = data_dir() / "logs"  # the data folder first: owner-only, as everywhere
    else:
        import platformdirs

        path = Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def backup_root() -> Path:
    """The backups folder: one subfolder per database (see ``planner.services.backup``).

    Only named here, not created."""
    return _data_path() / "backups"


def backup_dir() -> Path:
    path = backup_root()
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def default_db_path() -> Path:
    return data_dir() / "planner.sqlite3"


def default_db_path_name() -> Path:
    """Where the default database is, without creating the data folder."""
    return _data_path() / "planner.sqlite3"


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
