"""The week planner page: navigation, chair and staff views, violations, editing through undo.

It owns no data: each refresh asks ``load_week`` for a snapshot; each change
is an undo command that calls a service, after which the hub's ``changed``
signal brings the refresh.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain import SESSION_STATUSES
from planner.services.week import PatientHit, WeekSnapshot, load_week, monday_of
from planner.ui.context import AppContext
from planner.ui.planner.actions import PlannerActions
from planner.ui.planner.card_text import CARD_PARTS, CardOptions, week_labels
from planner.ui.planner.editing import PlannerEditing
from planner.ui.planner.geometry import (
    HEADER_HEIGHT,
    MAX_HOUR_HEIGHT,
    MIN_HOUR_HEIGHT,
    WeekGeometry,
    layout,
)
from planner.ui.planner.legend import LegendBar
from planner.ui.planner.staff_view import StaffWeekView
from planner.ui.planner.violations import ViolationsPanel
from planner.ui.planner.week_view import WeekView
from planner.ui.planner.what_if import WeekChecker
from planner.ui.view_settings import ViewSettings
from planner.ui.widgets.palette import note_style, status_label
from planner.ui.widgets.search_box import PatientSearchBox
from planner.ui.widgets.week_navigator import WeekNavigator

if TYPE_CHECKING:
    pass

# Only the Core-backed names of ``planner.services.week`` are imported above: the ORM-backed
# look-ups (search, courses, the rules check) are imported where used, after the first paint.

POLL_MS = 15_000
#: Settings: the zoom (the user's, every database) and what cards show (this database's).
HOUR_HEIGHT_KEY = "planner/hour_height"
LEGEND_KEY = "planner/legend"
CARDS_KEY = "planner/cards"
ZOOM_STEP = 1.25


class WeekPlannerPage(PlannerEditing, QWidget):
    """Signals: ``weekShown(WeekSnapshot)`` after every refresh, ``message(str)`` for the status bar."""

    weekShown = Signal(object)
    message = Signal(str)
    #: A change just made that the window offers to undo in its status bar (the words say what).
    undoOffered = Signal(str)

    def __init__(
        self,
        *,
        ctx: AppContext,
        undo_stack: QUndoStack,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("weekPlannerPage")
        self.ctx = ctx
        self.undo_stack = undo_stack
        self.settings = settings
        self.view_settings = ViewSettings(settings, ctx.db)
        #: Pixels per hour the user zoomed to (None: the day fits the window's height).
        self.hour_height: float | None = self.view_settings.number(HOUR_HEIGHT_KEY, None)
        self.week: WeekSnapshot | None = None
        self.checker: WeekChecker | None = None
        self.editor: QWidget | None = None
        self.move_dialog: QWidget | None = None
        self.error_box: QMessageBox | None = None
        self.ghosts: list = []
        self.autoplan_bar: QWidget | None = None
        self.day_filter: date | None = None
        self._marker: tuple[int, int] | None = None
        #: Paint the first week before the rules engine has read its context (start-up speed);
        #: ``finish_check`` then adds the violations.
        self.defer_check = False
        self._unchecked = False
        self._layout_pending = False
        self._laid_out: tuple[object, ...] | None = None
        self._build()
        self.week_view.week_scene.card_options = CardOptions.from_parts(
            self.view_settings.words(CARDS_KEY, list(CARD_PARTS), per_database=True)
        )
        self.planner_actions = PlannerActions(self)
        self._wire()
        ctx.hub.changed.connect(self._on_changed)
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        if ctx.db.is_postgres:
            self.poll_timer.start()
        self.now_timer = QTimer(self)  # moves the now line along
        self.now_timer.setInterval(60_000)
        self.now_timer.timeout.connect(self._tick)
        self.now_timer.start()
        self.navigator.set_week(ctx.today(), emit=False)

    # -- building ----------------------------------------------------------------
    def _build(self) -> None:
        self.navigator = WeekNavigator(self)
        self.view_combo = QComboBox(self)
        self.view_combo.setObjectName("viewCombo")
        self.view_combo.addItem(self.tr("Chairs"), "chairs")
        self.view_combo.addItem(self.tr("Staff"), "staff")
        self.view_combo.setToolTip(self.tr("Chair view or staff view (Ctrl+1 / Ctrl+2)"))
        self.day_combo = QComboBox(self)
        self.day_combo.setObjectName("dayCombo")
        self.day_combo.setToolTip(self.tr("Whole week, or one day with wider chair columns"))
        self.day_combo.addItem(self.tr("Whole week"), -1)
        for i, name in enumerate(
            [self.tr("Monday"), self.tr("Tuesday"), self.tr("Wednesday"), self.tr("Thursday"),
             self.tr("Friday"), self.tr("Saturday"), self.tr("Sunday")]
        ):
            self.day_combo.addItem(name, i)
        self.search = PatientSearchBox(self._find_patients, self)
        self.search.setMaximumWidth(280)
        self.search.setMinimumWidth(120)
        self.autoplan_button = QToolButton(self)
        self.autoplan_button.setObjectName("autoplanButton")
        self.autoplan_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        top = QHBoxLayout()
        top.setContentsMargins(6, 6, 6, 2)
        top.addWidget(self.navigator, 1)
        top.addWidget(self.autoplan_button)
        top.addWidget(self.day_combo)
        top.addWidget(self.view_combo)
        top.addWidget(self.search)
        self.week_view = WeekView(self)
        self.staff_view = StaffWeekView(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.week_view)
        self.stack.addWidget(self.staff_view)
        self.legend = LegendBar(self)
        self.legend.setVisible(self.view_settings.flag(LEGEND_KEY, True))
        self.violations_panel = ViolationsPanel()
        self.hint = QLabel(self)
        self.hint.setObjectName("plannerHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(note_style("plannerHint"))
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self.hint)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.legend)
        # Tab follows the top bar from left to right, then the week.
        order = [
            self.navigator.prev_button,
            self.navigator.today_button,
            self.navigator.next_button,
            self.navigator.picker,
            self.autoplan_button,
            self.day_combo,
            self.view_combo,
            self.search,
            self.week_view,
            self.staff_view,
        ]
        for first, second in zip(order, order[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self._relayout_timer = QTimer(self)
        self._relayout_timer.setSingleShot(True)
        self._relayout_timer.setInterval(0)
        self._relayout_timer.timeout.connect(self._resized)

    def _find_patients(self, text: str) -> list[PatientHit]:
        from planner.services.week import find_patients

        return find_patients(self.ctx.db, text, after=self.ctx.clock())

    def _course_record(self, course_ref: str) -> object:
        from planner.services.week import course_record

        return course_record(self.ctx.db, course_ref)

    def _wire(self) -> None:
        self.navigator.weekChanged.connect(lambda _monday: self.reload())
        self.navigator.prev_button.setDefaultAction(self.planner_actions.prev_week)
        self.navigator.next_button.setDefaultAction(self.planner_actions.next_week)
        self.navigator.today_button.setDefaultAction(self.planner_actions.today)
        self.autoplan_button.setDefaultAction(self.planner_actions.autoplan)
        self.autoplan_button.setVisible(self.planner_actions.autoplan.isEnabled())
        self.view_combo.currentIndexChanged.connect(self._view_changed)
        self.day_combo.currentIndexChanged.connect(self._day_changed)
        self.week_view.resized.connect(self._relayout_timer.start)
        self.week_view.zoomRequested.connect(self.zoom)
        self.week_view.sessionActivated.connect(self.edit_session)
        self.week_view.slotActivated.connect(self.new_session)
        self.week_view.moveRequested.connect(self.move_session)
        self.week_view.deleteRequested.connect(self.delete_session)
        self.week_view.contextRequested.connect(self._context_menu)
        self.week_view.sessionSelected.connect(lambda _ref: self.planner_actions.update_enabled())
        self.staff_view.sessionActivated.connect(self.edit_session)
        self.violations_panel.sessionClicked.connect(self.go_to_session)
        self.violations_panel.sessionOpened.connect(self.open_session)
        self.search.patientChosen.connect(self._patient_chosen)
        self.search.notFound.connect(
            lambda text: self.message.emit(self.tr('No patient matches "{text}"').format(text=text))
        )
        self.undo_stack.indexChanged.connect(self._after_undo_step)

    # -- the week ------------------------------------------------------------------
    @property
    def monday(self) -> date:
        return self.navigator.monday

    def set_week(self, day: date) -> None:
        if monday_of(day) == self.monday and self.week is not None:
            return
        self.navigator.set_week(day, emit=False)
        self.reload()

    def step_week(self, weeks: int) -> None:
        self.set_week(self.monday + timedelta(weeks=weeks))

    def go_today(self) -> None:
        self.set_week(self.ctx.today())

    def reload(self) -> None:
        """Fetch the shown week again and redraw everything from it."""
        check = not self.defer_check
        self.defer_check = False
        self.week = load_week(self.ctx.db, self.monday, check=check)
        self._unchecked = not check
        self._show_week()

    def finish_check(self) -> None:
        """Add the violations to a week that was read without them (right after the first paint)."""
        if self.week is None or not self._unchecked:
            return
        from planner.services.week import check_week

        self._unchecked = False
        self.week = check_week(self.ctx.db, self.week)
        self._show_week()

    def _show_week(self) -> None:
        assert self.week is not None
        self.checker = WeekChecker(self.week, course_lookup=self._course_record)
        self.week_view.move_checker = self.checker.move
        # The legend's staff codes first: its height is settled before the week is laid out.
        self.legend.set_labels(week_labels(self.week, self.ghosts))
        self._relayout()
        self._fill_staff_view()
        self.violations_panel.set_week(self.week)
        self._update_hint()
        self.planner_actions.update_enabled()
        self.weekShown.emit(self.week)

    def _tick(self) -> None:
        self.week_view.now = self.ctx.clock()
        self.week_view.viewport().update()

    def _update_hint(self) -> None:
        """Tell a new clinic what is missing before the week can be planned."""
        week = self.week
        missing = []
        if week is not None and not week.chairs:
            missing.append(self.tr("no chairs"))
        if week is not None and not week.opening_hours:
            missing.append(self.tr("no opening hours"))
        if missing:
            self.hint.setText(
                self.tr("This clinic has {missing} yet: add them on the “Clinic and chairs” page "
                        "to start planning.").format(missing=self.tr(" and ").join(missing))
            )
        self.hint.setVisible(bool(missing))

    def _relayout(self) -> None:
        if self.week is None:
            return
        if not self.window().isVisible():  # laid out once shown, at its real size
            self._layout_pending = True
            return
        self._layout_pending = False
        width, height, geometry = self._fit()
        self._laid_out = (self.week, width, height, self.day_filter, self.hour_height)
        self.week_view.now = self.ctx.clock()
        self.week_view.week_scene.show_week(
            self.week, geometry, today=self.ctx.today(), ghosts=self.ghosts
        )
        self.week_view.resetCachedContent()

    def _fit(self) -> tuple[int, int, WeekGeometry]:
        """The week laid out for the viewport it will have: with the scroll bars its own size
        calls for, so the blocks are built once rather than again when the bars appear."""
        assert self.week is not None
        view = self.week_view
        full = view.maximumViewportSize()  # the viewport without scroll bars
        readable = view.week_scene.card_width(self.week, self.ghosts)
        bar_height = view.horizontalScrollBar().sizeHint().height()
        bar_width = view.verticalScrollBar().sizeHint().width()
        width, height = full.width(), full.height()
        for _ in range(3):
            geometry = layout(
                self.week,
                viewport_width=max(400, width),
                viewport_height=max(300, height),
                day=self.day_filter,
                min_chair_width=readable,
                hour_height=self.hour_height,
            )
            wanted = (
                full.width() - (bar_width if math.ceil(geometry.height) > height else 0),
                full.height() - (bar_height if math.ceil(geometry.width) > width else 0),
            )
            if wanted == (width, height):
                break
            width, height = wanted
        return width, height, geometry

    def _resized(self) -> None:
        """Lay out again after a resize, unless the week is already drawn at this size."""
        viewport = self.week_view.viewport().size()
        done = self._laid_out
        if (
            done is not None
            and done[0] is self.week
            and done[1:] == (viewport.width(), viewport.height(), self.day_filter, self.hour_height)
        ):
            return
        self._relayout()

    # -- zoom and card content -------------------------------------------------------------
    def zoom(self, steps: int) -> None:
        """Taller (steps > 0) or shorter hours; the moment in the middle of the view stays put."""
        g = self.week_view.week_scene.geometry
        current = self.hour_height or (g.px_per_minute * 60 if g else 60.0)
        wanted = round(current * ZOOM_STEP**steps)
        self.set_hour_height(max(MIN_HOUR_HEIGHT, min(MAX_HOUR_HEIGHT, wanted)))

    def zoom_fit(self) -> None:
        self.set_hour_height(None)

    def set_hour_height(self, value: float | None) -> None:
        if value == self.hour_height:
            return
        view = self.week_view
        g = view.week_scene.geometry
        middle = view.mapToScene(view.viewport().rect().center())
        minute = g.first_minute + (middle.y() - HEADER_HEIGHT) / g.px_per_minute if g else None
        self.hour_height = value
        self.view_settings.set(HOUR_HEIGHT_KEY, "" if value is None else value)
        self._relayout()
        g = view.week_scene.geometry
        if g is not None and minute is not None:
            y = HEADER_HEIGHT + (minute - g.first_minute) * g.px_per_minute
            view.centerOn(middle.x(), y)
        self.message.emit(
            self.tr("Hours fit the window")
            if value is None
            else self.tr("Hour height {px} pixels").format(px=int(value))
        )

    def show_legend(self, shown: bool) -> None:
        self.legend.setVisible(shown)
        self.view_settings.set(LEGEND_KEY, shown)

    @property
    def card_options(self) -> CardOptions:
        return self.week_view.week_scene.card_options

    def set_card_options(self, options: CardOptions) -> None:
        """What the cards show under the patient; remembered for this database."""
        self.week_view.week_scene.card_options = options
        self.view_settings.set(CARDS_KEY, options.parts() or ["none"], per_database=True)
        self._laid_out = None
        self._relayout()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._layout_pending:
            self._relayout()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if self.week is not None:
            self.reload()

    def poll(self) -> None:
        """Another workstation's saves show up here: reload when the audit trail moved."""
        from planner.services.week import change_marker

        marker = change_marker(self.ctx.db)
        if self._marker is not None and marker != self._marker:
            self.reload()
        self._marker = marker

    def _fill_staff_view(self) -> None:
        """The staff view gets the week when it is shown: sizing its rows to their contents
        costs a pass over every cell, which a hidden view need not pay on every refresh."""
        shown = self.stack.currentWidget() is self.staff_view
        if shown and self.staff_view.staff_model.week is not self.week:
            self.staff_view.set_week(self.week)

    def _view_changed(self) -> None:
        self.stack.setCurrentIndex(self.view_combo.currentIndex())
        self._fill_staff_view()
        self.day_combo.setEnabled(self.view_combo.currentIndex() == 0)

    def show_chairs(self) -> None:
        self.view_combo.setCurrentIndex(0)

    def show_staff(self) -> None:
        self.view_combo.setCurrentIndex(1)

    def _day_changed(self) -> None:
        index = int(self.day_combo.currentData())
        self.day_filter = None if index < 0 else self.monday + timedelta(days=index)
        self._relayout()

    # -- selection and jumping -----------------------------------------------------------
    def selected_ref(self) -> str | None:
        return self.week_view.week_scene.selected_ref()

    def go_to_session(self, ref: str, *, keep_focus: bool = False) -> None:
        """Select ``ref`` (changing week or day filter if needed) and scroll to it."""
        if self.week is None or self.week.session(ref) is None:
            from planner.services.sessions import get_session

            try:
                row = get_session(self.ctx.db, ref)
            except Exception:  # gone meanwhile: just refresh
                self.reload()
                return
            self.set_week(row.start.date())
        s = self.week.session(ref) if self.week else None
        if s is not None and self.day_filter is not None and s.start.date() != self.day_filter:
            self.day_combo.setCurrentIndex(0)
        self.show_chairs()
        self.week_view.week_scene.select(ref)
        self.week_view.ensure_visible(ref)
        if not keep_focus:  # the search box keeps it, so Enter can go on to the next match
            self.week_view.setFocus()

    def open_session(self, ref: str) -> None:
        """Show ``ref`` in the week and open its editor (from the problems panel)."""
        self.go_to_session(ref)
        self.edit_session(ref)

    def _patient_chosen(self, hit: PatientHit, index: int = 0, count: int = 1) -> None:
        of = (
            self.tr(" ({n} of {count} matches; Enter for the next)").format(n=index + 1, count=count)
            if count > 1
            else ""
        )
        who = f"{hit.patient_name} ({hit.record_number})"  # namesakes told apart
        if hit.next_session is None:
            self.message.emit(self.tr("{name} has no sessions booked").format(name=who) + of)
            return
        self.go_to_session(hit.next_session, keep_focus=True)
        self.message.emit(
            self.tr("{name}: session on {when}").format(
                name=who, when=f"{hit.next_start:%a %d %b %H:%M}"
            )
            + of
        )

    def _after_undo_step(self, index: int) -> None:
        try:
            command = self.undo_stack.command(index - 1)
        except RuntimeError:  # the window is closing and the stack is already gone
            return
        focus = getattr(command, "focus", None)
        if focus and self.week is not None and self.week.session(focus) is not None:
            self.week_view.week_scene.select(focus)

    # -- context menu ---------------------------------------------------------------
    def _context_menu(self, ref: str | None, where: QPoint, slot: tuple[datetime, str] | None) -> None:
        menu = self.build_context_menu(ref, slot)
        if menu is not None:
            menu.exec(where)

    def build_context_menu(self, ref: str | None, slot: tuple[datetime, str] | None) -> QMenu | None:
        menu = QMenu(self)
        if ref is None:
            if slot is None:
                return None
            start, chair = slot
            new = menu.addAction(self.tr("New session here…"))
            new.triggered.connect(lambda: self.new_session(start, chair))
            return menu
        menu.addAction(self.planner_actions.edit)
        menu.addAction(self.planner_actions.record)
        status_menu = menu.addMenu(self.tr("Set status"))
        shown = self.week.session(ref) if self.week else None
        current = shown.status if shown else ""
        for status in SESSION_STATUSES:
            action = QAction(status_label(status), status_menu)
            action.setCheckable(True)
            action.setChecked(status == current)
            action.triggered.connect(lambda _checked=False, st=status: self.set_status(ref, st))
            status_menu.addAction(action)
        menu.addAction(self.planner_actions.delete)
        paper = self.planner_actions.paperwork_actions()
        if paper:
            menu.addSeparator()
            for action in paper:
                menu.addAction(action)
        return menu

    # -- auto-plan ghosts -------------------------------------------------------------------
    def set_ghosts(self, ghosts: list) -> None:
        self.ghosts = list(ghosts)
        self._relayout()


def shortcut(text: str) -> QKeySequence:
    return QKeySequence(text)
