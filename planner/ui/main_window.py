"""The main window: a side bar of pages (week planner first), menus, violations dock, status bar."""

from __future__ import annotations

from datetime import timedelta

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
    QPushButton,
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
from planner.ui.widgets.palette import muted_text_color
from planner.ui.widgets.plural import plural

#: Whether the problems panel is shown on the week planner (the user's choice, any page).
PANEL_KEY = "main/problems_panel"
#: How long the status bar offers to undo a deletion.
UNDO_OFFER_MS = 12_000


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
        self.side_bar.setAccessibleName(self.tr("Pages"))
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
        self.planner.undoOffered.connect(self.offer_undo)
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
        """Add the pages beside the planner (imported now: they are not needed for the first paint)."""
        if self.stack.count() > 1:
            return
        from planner.ui.pages import build_pages

        for title, page in build_pages(self.ctx, self):
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

    def offer_undo(self, text: str) -> None:
        """Say in the status bar what was just done, with an Undo button for a while."""
        self.statusBar().showMessage(text, UNDO_OFFER_MS)
        self.undo_button.show()
        self._undo_offer.start()

    def _build_status_bar(self) -> None:
        self.undo_button = QPushButton(self.tr("&Undo"), self)
        self.undo_button.setObjectName("statusUndo")
        self.undo_button.setToolTip(self.tr("Undo the change just made (Ctrl+Z)"))
        self.undo_button.clicked.connect(self.undo_stack.undo)
        self.undo_button.clicked.connect(self.undo_button.hide)
        self.undo_button.hide()
        self.statusBar().addPermanentWidget(self.undo_button)  # beside a message, not hidden by it
        self._undo_offer = QTimer(self)
        self._undo_offer.setSingleShot(True)
        self._undo_offer.setInterval(UNDO_OFFER_MS)
        self._undo_offer.timeout.connect(self.undo_button.hide)
        self.summary = QLabel(self)
        self.summary.setObjectName("weekSummary")
        self.statusBar().addPermanentWidget(self.summary)
        self.db_label = QLabel(self.ctx.db.describe(), self)
        self.db_label.setStyleSheet(f"color: {muted_text_color(self.palette())}")
        self.statusBar().addPermanentWidget(self.db_label)

    def _build_menus(self) -> None:
        a = self.planner.planner_actions
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addActions([a.print_day, a.print_week])
        self.call_list_action = file_menu.addAction(self.tr("Call &list for the day…"))
        self.call_list_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.call_list_action.triggered.connect(self.show_call_list)
        self.addAction(self.call_list_action)
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
        edit_menu.addActions([a.new, a.edit, a.move, a.delete])
        status_menu = edit_menu.addMenu(self.tr("Set &status"))
        status_menu.addActions(list(a.status.values()))
        edit_menu.addSeparator()
        edit_menu.addActions([a.record, a.print_monitoring, a.print_consent])

        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addActions([a.chair_view, a.staff_view])
        view_menu.addSeparator()
        view_menu.addActions([a.zoom_in, a.zoom_out, a.zoom_fit, a.legend])
        cards_menu = view_menu.addMenu(self.tr("&Cards show"))
        cards_menu.setObjectName("cardsMenu")
        cards_menu.addActions(list(a.card_parts.values()))
        view_menu.addSeparator()
        view_menu.addAction(self.dock.toggleViewAction())

        go_menu = bar.addMenu(self.tr("&Go"))
        go_menu.addActions([a.prev_week, a.next_week, a.today, a.go_to_date])
        go_menu.addSeparator()
        go_menu.addAction(a.find)

        plan_menu = bar.addMenu(self.tr("&Plan"))
        plan_menu.addActions([a.next_free, a.autoplan])

        self._help_menu = bar.addMenu(self.tr("&Help"))
        about = self._help_menu.addAction(self.tr("&About Infusion Planner"))
        about.setShortcut(QKeySequence("F1"))
        about.triggered.connect(self.show_about)
        for action in (self.undo_action, self.redo_action, quit_action, about):
            self.addAction(action)

    def show_call_list(self) -> QWidget:
        """The call list of the planner's day: the selected session's, the day shown, else
        tomorrow (patients are called the day before)."""
        from planner.ui.pages.call_list_dialog import open_call_list

        week, ref = self.planner.week, self.planner.selected_ref()
        shown = week.session(ref) if week is not None and ref else None
        if shown is not None:
            day = shown.start.date()
        else:
            day = self.planner.day_filter or self.ctx.today() + timedelta(days=1)
        return open_call_list(self, self.ctx, self.undo_stack, day)

    def show_about(self) -> None:
        from planner.ui.pages.about import show_about

        show_about(self, self.ctx)

    # -- reacting -----------------------------------------------------------------------
    def _week_shown(self, week: WeekSnapshot) -> None:
        s = week.summary()
        sessions = plural(s.sessions, self.tr("1 session"), self.tr("{n} sessions"))
        errors = plural(s.errors, self.tr("1 error"), self.tr("{n} errors"))
        warnings = plural(s.warnings, self.tr("1 warning"), self.tr("{n} warnings"))
        self.summary.setText(
            self.tr("{sessions} · {errors} · {warnings} · chairs {util:.0f}% booked").format(
                sessions=sessions, errors=errors, warnings=warnings, util=s.utilisation
            )
        )
        self.dock.setWindowTitle(
            self.tr("Problems this week ({errors}, {warnings})").format(errors=errors, warnings=warnings)
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
        else:  # first start: the week gets most of the height (more so on a small screen)
            screen = self.screen() or QGuiApplication.primaryScreen()
            tall = screen.availableGeometry().height() if screen is not None else 900
            self.resizeDocks([self.dock], [190 if tall >= 900 else 140], Qt.Orientation.Vertical)
        # Whether the problems panel is wanted is kept apart from the window state: that
        # state, saved on another page, has the panel hidden only because that page hides it.
        wanted = self.settings.value(PANEL_KEY)
        self._dock_wanted = str(wanted).lower() not in ("false", "0") if wanted is not None else True
        self.dock.setVisible(self._dock_wanted)
        # Every start opens on today's week: the week last seen belonged to a moment (and
        # maybe to another database), today's is the one a manager comes to plan.
        self.planner.set_week(self.ctx.today())

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
        self.settings.setValue(PANEL_KEY, self._dock_wanted)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.planner.poll_timer.stop()
        super().closeEvent(event)
