"""Start the desktop app: open the database, offer the demo clinic on a first start, show the window.

Heavy modules (paperwork, solvers, the other pages) are imported only when
used, so the first painted week comes quickly even on a large database.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from planner import __version__
from planner.logging_setup import setup_logging
from planner.resources_path import ResourceMissing, resource
from planner.services.database import Database, DatabaseError, KeyRequired, open_clinic_database
from planner.settings import APP_AUTHOR, APP_ID, APP_NAME, ORG_DOMAIN, default_db_url
from planner.ui import startup_probe
from planner.ui.context import EVERYTHING, AppContext, ChangeHub
from planner.ui.errors import ParentGetter, install_excepthook

_log = logging.getLogger("planner.ui")

FIRST_START_KEY = "first_start/{db}"
DEMO, EMPTY = "demo", "empty"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Launch", text)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="infusion-planner", add_help=False)
    parser.add_argument("--db", metavar="URL")
    args, _unknown = parser.parse_known_args(list(argv))
    return args


def make_app(argv: Sequence[str] = ()) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "infusion-planner", *argv])
    app.setOrganizationName(APP_AUTHOR)
    app.setOrganizationDomain(ORG_DOMAIN)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setApplicationDisplayName(_tr("Infusion Planner"))
    # The desktop matches the window to its menu entry (and so its icon) by this name.
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def app_icon() -> QIcon:
    """The application icon, drawn from the one SVG at whatever size the desktop asks."""
    try:
        return QIcon(str(resource("icons", "infusion-planner.svg")))
    except ResourceMissing:  # a broken install still opens, with the system's default icon
        _log.warning("application icon missing")
        return QIcon()


def _install_error_handling(parent_getter: ParentGetter) -> None:
    """Log file and a friendly dialog for unexpected errors."""
    setup_logging()
    install_excepthook(parent_getter)


def open_or_explain(url: str, parent: QWidget | None = None) -> Database | None:
    """The database, or None after telling the user clearly why it could not be opened.

    An encrypted database (``sqlite+pysqlcipher://``) asks for its key in a password
    dialog; the key lives only in the open engine, never on disk or in the log.
    """
    try:
        return open_clinic_database(url, lambda message: _ask_key(message, parent))
    except KeyRequired:
        _log.info("encrypted database not opened: no key given")
        return None
    except DatabaseError as exc:
        _log.error("cannot open database: %s", exc)
        text = str(exc)
    except Exception as exc:  # a URL SQLAlchemy cannot even parse, a missing driver …
        _log.exception("cannot open database")
        text = _tr("The database could not be opened: {error}").format(error=exc)
    box = QMessageBox(QMessageBox.Icon.Critical, _tr("Cannot open the database"), text, parent=parent)
    box.setInformativeText(
        _tr("Check the address given with --db or PLANNER_DB_URL, that the server is running, "
            "and that you may read and write the file.")
    )
    box.exec()
    return None


def _ask_key(message: str, parent: QWidget | None) -> str | None:
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    key, ok = QInputDialog.getText(
        parent, _tr("Encrypted database"), _tr(message), QLineEdit.EchoMode.Password
    )
    return key if ok and key else None


def first_start_choice(ctx: AppContext, settings: QSettings, *, parent: QWidget | None = None) -> str | None:
    """On an empty database offer the demo clinic or an empty start; the answer is remembered."""
    from planner.services.week import is_empty

    if not is_empty(ctx.db):
        return None
    key = FIRST_START_KEY.format(db=ctx.db.describe().replace("/", "|"))
    remembered = settings.value(key)
    if remembered in (DEMO, EMPTY):
        return str(remembered)
    box = QMessageBox(parent)
    box.setObjectName("firstStart")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_tr("Welcome to Infusion Planner"))
    box.setText(_tr("This database is empty."))
    box.setInformativeText(
        _tr("Load a demo clinic (chairs, staff, patients and a few weeks of sessions) to look "
            "around, or start empty and enter your own clinic.")
    )
    demo = box.addButton(_tr("Load demo clinic"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("Start empty"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(demo)
    box.exec()
    choice = DEMO if box.clickedButton() is demo else EMPTY
    settings.setValue(key, choice)
    if choice == DEMO:
        load_demo(ctx)
    return choice


def load_demo(ctx: AppContext, *, weeks: int = 4) -> None:
    """Fill the (empty) database with the demo clinic around today."""
    from planner.interchange.validate import parse_document
    from planner.services.clinic_io import document_to_json, load_document
    from planner.services.demo import build_demo_document
    from planner.ui.mutation import commit

    doc = build_demo_document(seed=1, weeks=weeks, today=ctx.today())
    commit(ctx, lambda: load_document(ctx.db, parse_document(document_to_json(doc))), EVERYTHING)


def automatic_backup(db: Database) -> None:
    """The rotating start-up backup (after the first paint; never stops the app)."""
    try:
        from planner.services.backup import automatic_backup as backup

        path = backup(db)
        if path is not None:
            _log.info("start-up backup written to %s", path)
    except Exception:
        _log.exception("start-up backup failed")


def build_window(argv: Sequence[str], *, settings: QSettings | None = None) -> tuple[QApplication, QWidget] | int:
    """Everything up to a shown main window; returns an exit code when the app cannot start."""
    app = make_app()
    if os.environ.get(startup_probe.ENV_PROBE):  # smoke tests and benchmarks only
        startup_probe.install(app)
    args = parse_args(argv)
    window_ref: list[QWidget] = []
    _install_error_handling(lambda: window_ref[0] if window_ref else None)
    db = open_or_explain(args.db or default_db_url())
    if db is None:
        return 2
    ctx = AppContext(db=db, hub=ChangeHub())
    from planner.ui.account.login_dialog import sign_in_at_start

    if not sign_in_at_start(ctx):
        db.close()
        return 0
    settings = settings or QSettings()
    first_start_choice(ctx, settings)
    from planner.ui.main_window import MainWindow

    window = MainWindow(ctx=ctx, settings=settings, defer_checks=True)
    window_ref.append(window)
    from planner.ui.account.menu import install_accounts

    install_accounts(window, ctx)  # the Account menu and the lock after idle minutes
    window.setWindowIcon(app.windowIcon())
    window.show()
    from planner.ui.gui_thread_gc import GuiThreadCollector

    GuiThreadCollector(app)  # collect garbage on this thread only (paperwork renders off it)
    QTimer.singleShot(500, lambda: automatic_backup(db))
    app.aboutToQuit.connect(db.close)
    return app, window


def run_gui(argv: Sequence[str]) -> int:
    """``python main.py [--db URL]``: the desktop app; returns the exit code."""
    # What is loaded by now (Python, SQLAlchemy, Qt's bindings) lives as long as the app:
    # the garbage collector need not scan it again in every full collection, one of which
    # would otherwise fall in the middle of start-up (and later ones in the middle of a drag).
    gc.freeze()
    built = build_window(argv)
    if isinstance(built, int):
        return built
    app, _window = built
    return int(app.exec())
