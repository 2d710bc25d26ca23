"""The main window: a side bar of pages (week planner first), menus, violations dock, status bar."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
from datetime import date

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from planner.services.week import WeekSnapshot, clinic_name
from planner.ui.context import (
    CLINIC,
    COURSE_TARGET,
    PATIENT_TARGET,
    SESSION_TARGET,
    AppContext,
)
from planner.ui.planner.page import WeekPlannerPage


def first_start_geometry(area: QRect) -> tuple[QRect, bool]:
    """Window rectangle for a first start on a screen whose free area is ``area``, and whether
    to maximise: about 90% of a large screen (capped so it does not sprawl), centred."""
    if area.width() < 1100 or area.height() < 700:  # a small laptop screen: all of it
        return QRect(area), True
    width = min(1600, int(area.width() * 0.95))
    height = min(1000, int(area.height() * 0.92))
    left = area.x() + (area.width() - width) // 2
    top = area.y() + (area.height() - height) // 2
    return QRect(left, top, width, height), False


class MainWindow(QMainWindow):
    def __init__(
        self,
        *,
        ctx: AppContext,
        settings: QSettings,
        load_pages: bool = True,
        defer_checks: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.ctx = ctx
        self.settings = settings
        self.undo_stack = QUndoStack(self)
        self.planner = WeekPlannerPage(ctx=ctx, undo_stack=self.undo_stack, settings=settings)
        self.planner.defer_check = defer_checks
        self.side_bar = QListWidget(self)
        self.side_bar.setObjectName("sideBar")
        self.side_bar.setFixedWidth(136)
        self.side_bar.setSpacing(2)
        self.side_bar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget(self)
        self.page_menus: dict[int, QMenu] = {}
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.side_bar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.add_page(self.tr("Week planner"), self.planner)
        self.side_bar.currentRowChanged.connect(self._page_changed)
        self._build_dock()
        self._build_status_bar()
        self._build_menus()
        self.planner.weekShown.connect(self._week_shown)
        self.planner.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        ctx.hub.changed.connect(self._hub_changed)
        ctx.hub.navigate.connect(self.navigate)
        self._update_title()
        self._restore()
        self.side_bar.setCurrentRow(0)
        self._load_pages = load_pages
        # The violations (when deferred) and the other pages come right after the week is on screen.
        self._pages_pending = True
        self.planner.week_view.viewport().installEventFilter(self)

    # -- pages ------------------------------------------------------------------------
    def add_page(self, title: str, page: QWidget) -> int:
        index = self.stack.addWidget(page)
        item = QListWidgetItem(title.replace("&", ""), self.side_bar)
        item.setSizeHint(QSize(120, self.side_bar.fontMetrics().height() * 2))
        make = getattr(page, "menu_actions", None)
        if callable(make):
            actions = list(make())
            if actions:
                menu_title = getattr(page, "menu_title", None)
                menu = QMenu(menu_title() if callable(menu_title) else title, self)
                menu.addActions(actions)
                self.page_menus[index] = menu
                help_menu = getattr(self, "_help_menu", None)
                if help_menu is not None:
                    self.menuBar().insertMenu(help_menu.menuAction(), menu)
                else:
                    self.menuBar().addMenu(menu)
                menu.menuAction().setVisible(False)
        shortcut = QAction(self)
        shortcut.setShortcut(QKeySequence(f"Ctrl+Shift+{index + 1}"))
        shortcut.triggered.connect(lambda _c=False, i=index: self.side_bar.setCurrentRow(i))
        self.addAction(shortcut)
        item.setToolTip(f"{title} (Ctrl+Shift+{index + 1})")
        return index

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and getattr(self, "_pages_pending", False):
            self._pages_pending = False
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._after_first_paint)
        return super().eventFilter(watched, event)

    def _after_first_paint(self) -> None:
        self.planner.finish_check()
        if self._load_pages:
            self.load_pages()

    def load_pages(self) -> None:
        """Add the pages of ``planner.ui.pages`` when that package is installed."""
        if self.stack.count() > 1 or importlib.util.find_spec("planner.ui.pages") is None:
            return
        module = importlib.import_module("planner.ui.pages")
        build = getattr(module, "build_pages", None)
        if build is None:
            return
        for title, page in build(self.ctx, self):
            self.add_page(title, page)

    def page_index(self, object_name: str) -> int:
        """The side-bar row of the page called ``object_name`` (-1 when not loaded)."""
        for i in range(self.stack.count()):
            page = self.stack.widget(i)
            if page is not None and page.objectName() == object_name:
                return i
        return -1

    def navigate(self, target: str, ref: str) -> None:
        """Show ``ref``: a session in the planner, or a course / patient on its page."""
        if target == SESSION_TARGET:
            self.side_bar.setCurrentRow(0)
            self.planner.go_to_session(ref)
            return
        self.load_pages()
        name = {COURSE_TARGET: "courses_page", PATIENT_TARGET: "patients_page"}.get(target, "")
        index = self.page_index(name)
        if index < 0:
            return
        self.side_bar.setCurrentRow(index)
        page = self.stack.widget(index)
        show = getattr(page, "show_ref", None)
        if callable(show):
            show(ref)

    def _page_changed(self, index: int) -> None:
        self.stack.setCurrentIndex(index)
        for i, menu in self.page_menus.items():
            menu.menuAction().setVisible(i == index)
        self.dock.setVisible(index == 0 and self._dock_wanted)

    # -- dock, status bar, menus ----------------------------------------------------------
    def _build_dock(self) -> None:
        self.dock = QDockWidget(self.tr("Problems this week"), self)
        self.dock.setObjectName("violationsDock")
        self.dock.setWidget(self.planner.violations_panel)
        self.dock.setAllowedAreas(Qt.DockWidgetArea.BottomDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self._dock_wanted = True
        toggle = self.dock.toggleViewAction()
        toggle.setText(self.tr("&Problems panel"))
        toggle.setShortcut(QKeySequence("Ctrl+Shift+V"))
        toggle.triggered.connect(lambda checked: setattr(self, "_dock_wanted", checked))

    def _build_status_bar(self) -> None:
        self.summary = QLabel(self)
        self.summary.setObjectName("weekSummary")
        self.statusBar().addPermanentWidget(self.summary)
        self.db_label = QLabel(self.ctx.db.describe(), self)
        self.db_label.setStyleSheet("color: #5f6b7a")
        self.statusBar().addPermanentWidget(self.db_label)

    def _build_menus(self) -> None:
        a = self.planner.planner_actions
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([a.print_day, a.print_week])
        file_menu.addSeparator()
        file_menu.addAction(a.refresh)
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("&Quit"))
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        self.quit_action = quit_action

        edit_menu = bar.addMenu(self.tr("&Edit"))
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcuts([QKeySequence("Ctrl+Z")])
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit_menu.addActions([self.undo_action, self.redo_action])
        edit_menu.addSeparator()
        edit_menu.addActions([a.new, a.edit, a.delete])
        status_menu = edit_menu.addMenu(self.tr("Set &status"))
        status_menu.addActions(list(a.status.values()))
        edit_menu.addSeparator()
        edit_menu.addActions([a.record, a.print_monitoring, a.print_consent])

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions([a.chair_view, a.staff_view])
        view_menu.addSeparator()
        view_menu.addAction(self.dock.toggleViewAction())

        go_menu = bar.addMenu(self.tr("&Go"))
        go_menu.addActions([a.prev_week, a.next_week, a.today, a.go_to_date])
        go_menu.addSeparator()
        go_menu.addAction(a.find)

        plan_menu = bar.addMenu(self.tr("&Plan"))
        plan_menu.addAction(a.autoplan)

        self._help_menu = bar.addMenu(self.tr("&Help"))
        about = self._help_menu.addAction(self.tr("&About Infusion Planner"))
        about.setShortcut(QKeySequence("F1"))
        about.triggered.connect(self.show_about)
        for action in (self.undo_action, self.redo_action, quit_action, about):
            self.addAction(action)

    def show_about(self) -> None:
        if importlib.util.find_spec("planner.ui.pages.about") is not None:
            module = importlib.import_module("planner.ui.pages.about")
            module.show_about(self, self.ctx)
            return
        from planner import __version__

        QMessageBox.about(
            self,
            self.tr("About Infusion Planner"),
            self.tr(
                "<b>Infusion Planner</b> {version}<br>Plans infusion courses, staffing and "
                "paperwork for a small clinic.<br><br>Database: {db}"
            ).format(version=__version__, db=self.ctx.db.describe()),
        )

    # -- reacting -----------------------------------------------------------------------
    def _week_shown(self, week: WeekSnapshot) -> None:
        s = week.summary()
        self.summary.setText(
            self.tr("{sessions} sessions · {errors} errors · {warnings} warnings · chairs {util:.0f}% booked").format(
                sessions=s.sessions, errors=s.errors, warnings=s.warnings, util=s.utilisation
            )
        )
        self.dock.setWindowTitle(
            self.tr("Problems this week ({errors} errors, {warnings} warnings)").format(
                errors=s.errors, warnings=s.warnings
            )
        )

    def _hub_changed(self, kinds: frozenset[str]) -> None:
        if CLINIC in kinds:
            self._update_title()

    def _update_title(self) -> None:
        name = clinic_name(self.ctx.db) or self.tr("New clinic")
        self.setWindowTitle(
            self.tr("{clinic} — {db} — Infusion Planner").format(clinic=name, db=self.ctx.db.describe())
        )

    # -- settings -----------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.size_to_screen()
        state = self.settings.value("main/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        else:  # first start: the week gets most of the height
            self.resizeDocks([self.dock], [190], Qt.Orientation.Vertical)
        self._dock_wanted = self.dock.isVisibleTo(self) or state is None
        week = self.settings.value("planner/week")
        day = self.ctx.today()
        if isinstance(week, str):
            with contextlib.suppress(ValueError):
                day = date.fromisoformat(week)
        self.planner.set_week(day)

    def size_to_screen(self) -> None:
        """First start: most of the available screen, centred; maximised on a small screen."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            self.resize(1360, 860)
            return
        rect, maximise = first_start_geometry(screen.availableGeometry())
        self.resize(rect.size())
        self.move(rect.topLeft())
        if maximise:
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def save_settings(self) -> None:
        self.settings.setValue("main/geometry", self.saveGeometry())
        self.settings.setValue("main/state", self.saveState())
        self.settings.setValue("planner/week", self.planner.monday.isoformat())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.planner.poll_timer.stop()
        super().closeEvent(event)
