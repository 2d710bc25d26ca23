"""Help → About: the version, where the data lives, and the way to the user guide."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from planner.services.database import Database
from planner.ui.context import AppContext

#: The anchor of the README's "User guide" section.
GUIDE_ANCHOR = "user-guide"


def _tr(text: str) -> str:
    return QCoreApplication.translate("About", text)


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("infusion-planner")
    except PackageNotFoundError:
        from planner import __version__

        return str(__version__)


def readme_path() -> Path | None:
    """The README next to the program (a source checkout or an unpacked release), if present."""
    candidate = Path(__file__).resolve().parents[3] / "README.md"
    return candidate if candidate.is_file() else None


def user_guide_url() -> QUrl | None:
    path = readme_path()
    if path is None:
        return None
    url = QUrl.fromLocalFile(str(path))
    url.setFragment(GUIDE_ANCHOR)
    return url


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def about_html(ctx: AppContext) -> str:
    db = ctx.db
    if db.is_sqlite:
        kind = _tr("a SQLite file on this computer")
    elif db.is_postgres:
        kind = _tr("a PostgreSQL server shared by the clinic's workstations")
    else:
        kind = _tr("a database server")
    url = user_guide_url()
    if url is not None:
        guide = _tr('New here? Read the <a href="{0}">user guide</a>.').format(url.toString())
    else:
        guide = _tr(
            "New here? Read the “User guide” section of the README that came with the program."
        )
    return (
        f"<h3>{_tr('Infusion Planner')}</h3>"
        f"<p>{_tr('Version {0}').format(_escape(app_version()))}</p>"
        f"<p>{_tr('Plans IV infusion courses for a small clinic: staffing rules, the week planner and printable paperwork.')}</p>"
        f"<p><b>{_tr('Database:')}</b> {kind}<br><code>{_escape(db.describe())}</code></p>"
        f"{_folders_html(db)}"
        f"<p>{guide}</p>"
    )


def _folders_html(db: Database) -> str:
    """Where this database's start-up backups and the log file are written (the very same
    functions)."""
    from planner.logging_setup import log_file
    from planner.services.backup import database_backup_dir

    return (
        f"<p><b>{_tr('Backups:')}</b> <code>{_escape(str(database_backup_dir(db)))}</code><br>"
        f"<b>{_tr('Log file:')}</b> <code>{_escape(str(log_file()))}</code></p>"
    )


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.setWindowTitle(_tr("About Infusion Planner"))
        self.label = QLabel(about_html(ctx))
        self.label.setObjectName("about_text")
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setOpenExternalLinks(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


def show_about(parent: QWidget | None, ctx: AppContext) -> AboutDialog:
    """Open the About box (non-blocking) and return it."""
    dialog = AboutDialog(parent, ctx)
    dialog.open()
    return dialog
