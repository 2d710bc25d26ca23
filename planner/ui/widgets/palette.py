"""Colours and labels for session statuses and violation severities, in one place."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

#: Base hue of each status (the infusion part of a block); tints derive from it.
STATUS_BASE = {
    "planned": "#5b9bd5",
    "confirmed": "#3aa676",
    "done": "#8a9a8c",
    "cancelled": "#b9b9b9",
    "no_show": "#b07a7a",
}
ERROR_COLOR = "#d32f2f"
WARNING_COLOR = "#e69500"
OK_COLOR = "#2e7d32"
#: The line across today's column at the present moment.
NOW_COLOR = "#e53935"


def status_label(status: str) -> str:
    labels = {
        "planned": QCoreApplication.translate("Status", "Planned"),
        "confirmed": QCoreApplication.translate("Status", "Confirmed"),
        "done": QCoreApplication.translate("Status", "Done"),
        "cancelled": QCoreApplication.translate("Status", "Cancelled"),
        "no_show": QCoreApplication.translate("Status", "No-show"),
    }
    return labels.get(status, status)


def severity_label(severity: str) -> str:
    if severity == "error":
        return QCoreApplication.translate("Severity", "Error")
    return QCoreApplication.translate("Severity", "Warning")


def role_label(role: str) -> str:
    labels = {
        "psychiatrist": QCoreApplication.translate("Role", "Psychiatrist"),
        "anesthesiologist": QCoreApplication.translate("Role", "Anesthesiologist"),
        "infusion_nurse": QCoreApplication.translate("Role", "Infusion nurse"),
    }
    return labels.get(role, role)


@lru_cache(maxsize=64)
def status_colors(status: str) -> tuple[QColor, QColor, QColor, QColor]:
    """(preparation, infusion, recovery, border) colours of a status."""
    base = QColor(STATUS_BASE.get(status, STATUS_BASE["planned"]))
    return base.lighter(165), base.lighter(118), base.lighter(140), base.darker(135)
