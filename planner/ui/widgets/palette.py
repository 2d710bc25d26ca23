"""Colours and labels for session statuses and violation severities, in one place."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor, QPalette

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


# -- light and dark desktops ---------------------------------------------------------------------
#: Highlighted cells and banners keep a light background on every desktop, with dark text
#: of their own: their colour carries the meaning, and dark text on it reads on any theme.
ON_LIGHT_TEXT = "#1f2328"
WARN_BACKGROUND = "#fff1c2"
ERROR_BACKGROUND = "#ffd6d6"
NOTE_BACKGROUND = "#fff8e1"
NOTE_BORDER = "#e6c56e"


def is_dark(palette: QPalette) -> bool:
    """True on a dark desktop theme (light text on a dark window)."""
    return palette.color(QPalette.ColorRole.Window).lightness() < palette.color(
        QPalette.ColorRole.WindowText
    ).lightness()


def error_text_color(palette: QPalette) -> str:
    """Red text that reads on the window's own background, light or dark."""
    return "#ff8a80" if is_dark(palette) else "#b00020"


def warning_text_color(palette: QPalette) -> str:
    """Amber text that reads on the window's own background."""
    return "#ffb74d" if is_dark(palette) else "#8a4b00"


def ok_text_color(palette: QPalette) -> str:
    return "#81c784" if is_dark(palette) else "#2e7d32"


def severity_text_color(severity: str, palette: QPalette | None = None) -> str:
    """The colour of an error's or a warning's words on the window's (or a list's) background."""
    palette = palette if palette is not None else app_palette()
    return error_text_color(palette) if severity == "error" else warning_text_color(palette)


def app_palette() -> QPalette:
    """The application's palette (for item models, which have no widget of their own)."""
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.palette()


def note_style(name: str) -> str:
    """A style sheet for a highlighted note ``#name``: a light tint with its own dark text,
    readable on light and dark desktops alike."""
    return (
        f"#{name} {{ background: {NOTE_BACKGROUND}; color: {ON_LIGHT_TEXT}; "
        f"border: 1px solid {NOTE_BORDER}; border-radius: 4px; padding: 6px; }}"
    )


def muted_text_color(palette: QPalette) -> str:
    """Secondary text (hints, paths) that still reads on the window's background."""
    return "#a3aab4" if is_dark(palette) else "#5f6b7a"


def _luminance(color: QColor) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.red()) + 0.7152 * channel(color.green()) + 0.0722 * channel(color.blue())


def contrast(first: QColor | str, second: QColor | str) -> float:
    """WCAG contrast ratio of two colours (1 to 21; 4.5 is enough for normal text)."""
    a, b = _luminance(QColor(first)), _luminance(QColor(second))
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)
