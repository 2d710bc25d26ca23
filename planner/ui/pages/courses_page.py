"""Courses: every course with infusion n of N, status and consent; its sessions; consent and status.

Printing (consent, a session's monitoring sheet) opens the paperwork preview.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QAbstractItemModel, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain import COURSE_STATUSES
from planner.services import courses as course_service
from planner.services.base import ServiceError
from planner.services.courses import CourseSessionRow, CourseView
from planner.ui.context import (
    COURSES,
    PATIENT_TARGET,
    PATIENTS,
    SESSION_TARGET,
    SESSIONS,
    AppContext,
)
from planner.ui.pages.common import (
    MUTED_BRUSH,
    ROW_ROLE,
    WARN_BRUSH,
    Column,
    ListPage,
    RowTableModel,
    compact_rows,
    fmt_date,
    fmt_datetime,
    make_proxy,
    show_error,
    tr,
)
from planner.ui.widgets.date_field import DateField
from planner.ui.widgets.search_filter import attach_search

COURSE_STATUS_LABELS = {
    "active": "Active",
    "on_hold": "On hold",
    "completed": "Completed",
    "cancelled": "Cancelled",
}
SESSION_STATUS_LABELS = {
    "planned": "Planned",
    "confirmed": "Confirmed",
    "done": "Done",
    "cancelled": "Cancelled",
    "no_show": "No-show",
}

C_PATIENT, C_COURSE, C_PROTOCOL, C_PROGRESS, C_STATUS, C_CONSENT, C_NEXT = range(7)
S_NUMBER, S_START, S_CHAIR, S_STATUS, S_STAFF = range(5)


def course_columns(ctx: AppContext) -> list[Column[CourseView]]:
    return [
        Column(tr("Patient"), lambda c: c.patient_name),
        Column(tr("Course"), lambda c: c.ref),
        Column(tr("Protocol"), lambda c: c.protocol_name),
        Column(
            tr("Infusions"),
            lambda c: tr("{0} done, {1} booked of {2}").format(
                c.done, c.scheduled, c.planned_infusions
            ),
            lambda c: c.scheduled,
        ),
        Column(tr("Status"), lambda c: tr(COURSE_STATUS_LABELS.get(c.status, c.status))),
        Column(
            tr("Consent"),
            lambda c: fmt_date(c.consent_date) or tr("not signed"),
            lambda c: c.consent_date.isoformat() if c.consent_date else "",
            background=lambda c: (
                WARN_BRUSH if c.consent_date is None and c.status == "active" else None
            ),
        ),
        Column(
            tr("Next session"),
            lambda c: fmt_datetime(s.start) if (s := c.next_session(ctx.clock())) else "",
            lambda c: s.start.isoformat() if (s := c.next_session(ctx.clock())) else "9999",
        ),
    ]


def session_columns(planned: int) -> list[Column[CourseSessionRow]]:
    return [
        Column(
            tr("Infusion"),
            lambda s: tr("{0} of {1}").format(s.number, planned) if s.number else "—",
            lambda s: s.number,
        ),
        Column(
            tr("When"),
            lambda s: f"{s.start:%a %Y-%m-%d %H:%M}–{s.end:%H:%M}",
            lambda s: s.start.isoformat(),
        ),
        Column(tr("Chair"), lambda s: s.chair_name),
        Column(
            tr("Status"),
            lambda s: tr(SESSION_STATUS_LABELS.get(s.status, s.status)),
            foreground=lambda s: MUTED_BRUSH if not s.number else None,
        ),
        Column(tr("Staff"), lambda s: ", ".join(s.staff) or tr("none assigned")),
    ]


class ConsentDialog(QDialog):
    """Ask for the date the consent was signed (or clear it); a typed date is taken as typed."""

    def __init__(self, parent: QWidget | None, current: date | None, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Consent date"))
        self.day = DateField(current or today, name=self.tr("Signed on"))
        self.day.set_range(
            None,
            today,
            too_late=self.tr("A consent cannot be signed after today ({today}).").format(
                today=today.isoformat()
            ),
        )
        self.clear = QCheckBox(self.tr("&No consent on file"))
        self.clear.toggled.connect(lambda on: self.day.setEnabled(not on))
        form = QFormLayout(self)
        label = QLabel(self.tr("&Signed on:"))
        label.setBuddy(self.day)
        form.addRow(label, self.day)
        form.addRow("", self.clear)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def accept(self) -> None:
        """Only a date that was read as typed (or no consent) is accepted."""
        if not self.clear.isChecked() and self.day.value() is None:
            self.day.setFocus()
            return
        super().accept()

    def value(self) -> date | None:
        return None if self.clear.isChecked() else self.day.value()


class CoursesPage(ListPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("courses_page")
        self.model: RowTableModel[CourseView] = RowTableModel(course_columns(ctx), self)
        self.proxy = make_proxy(self.model, self)
        self.sessions_model: RowTableModel[CourseSessionRow] = RowTableModel(
            session_columns(0), self
        )

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search patient, course, protocol…"))
        self.search.setClearButtonEnabled(True)
        search_label = QLabel(self.tr("&Search:"))
        search_label.setBuddy(self.search)
        self.only_active = QCheckBox(self.tr("Active &only"))
        self.only_active.setChecked(True)
        self.only_active.toggled.connect(self.refresh)

        self.table = self._table(self.proxy, "courses_table")
        self.table.setAccessibleName(self.tr("Courses"))
        attach_search(self.search, self.proxy, self.table)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(C_PATIENT, Qt.SortOrder.AscendingOrder)
        self.sessions = self._table(self.sessions_model, "course_sessions_table")
        self.sessions.setAccessibleName(self.tr("Sessions of the chosen course"))
        self.detail = QLabel()
        self.detail.setWordWrap(True)

        self.btn_consent = QPushButton(self.tr("Consent &date…"))
        self.btn_consent.clicked.connect(self.edit_consent)
        self.status_combo = QComboBox()
        for status in COURSE_STATUSES:
            self.status_combo.addItem(self.tr(COURSE_STATUS_LABELS[status]), status)
        status_label = QLabel(self.tr("S&tatus:"))
        status_label.setBuddy(self.status_combo)
        self.btn_status = QPushButton(self.tr("Set stat&us"))
        self.btn_status.clicked.connect(self.apply_status)
        self.act_print_consent = QAction(self.tr("Print &consent…"), self)
        self.act_print_consent.setShortcut(QKeySequence(self.tr("Ctrl+Shift+C")))
        self.act_print_consent.triggered.connect(self.print_consent)
        self.btn_print_consent = QPushButton(self.tr("Print &consent…"))
        self.btn_print_consent.clicked.connect(self.print_consent)
        self.btn_print_sheet = QPushButton(self.tr("Print &monitoring sheet…"))
        self.btn_print_sheet.clicked.connect(self.print_monitoring)
        self.act_print_sheet = QAction(self.tr("Print &monitoring sheet…"), self)
        self.act_print_sheet.setShortcut(QKeySequence(self.tr("Ctrl+Shift+M")))
        self.act_print_sheet.triggered.connect(self.print_monitoring)

        self.act_planner = QAction(self.tr("Show session in &planner"), self)
        self.act_planner.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.act_planner.triggered.connect(self.show_in_planner)
        self.btn_planner = QPushButton(self.tr("Show in p&lanner"))
        self.btn_planner.setToolTip(
            self.tr("The chosen session (or the course's next one) in the week planner (Ctrl+Shift+L)")
        )
        self.btn_planner.clicked.connect(self.show_in_planner)
        self.act_patient = QAction(self.tr("Open p&atient"), self)
        self.act_patient.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.act_patient.triggered.connect(self.open_patient)

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.only_active)
        course_buttons = QHBoxLayout()
        for w in (
            self.btn_consent,
            status_label,
            self.status_combo,
            self.btn_status,
            self.btn_print_consent,
        ):
            course_buttons.addWidget(w)
        course_buttons.addStretch(1)
        session_buttons = QHBoxLayout()
        session_buttons.addWidget(self.btn_print_sheet)
        session_buttons.addWidget(self.btn_planner)
        session_buttons.addStretch(1)

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail)
        lower_layout.addLayout(course_buttons)
        lower_layout.addWidget(self.sessions, 1)
        lower_layout.addLayout(session_buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.table.selectionModel().selectionChanged.connect(self._course_selected)
        self.sessions.selectionModel().selectionChanged.connect(self._update_buttons)
        ctx.hub.changed.connect(self._on_changed)
        self.request_refresh()

    def _table(self, model: QAbstractItemModel, name: str) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_rows(view)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        return view

    def menu_title(self) -> str:
        return self.tr("Cou&rses")

    def menu_actions(self) -> list[QAction]:
        return [self.act_print_consent, self.act_print_sheet, self.act_planner, self.act_patient]

    def show_ref(self, ref: str) -> bool:
        """Select course ``ref`` (clearing the search; showing closed courses if needed)."""
        if self._stale:
            self.refresh()
        self.search.clear()
        if self.select(ref):
            return True
        if self.only_active.isChecked():
            self.only_active.setChecked(False)
            return self.select(ref)
        return False

    def show_in_planner(self) -> None:
        """The chosen session, else the course's next (or last) one, in the week planner."""
        session = self.selected_session()
        course = self.selected()
        if session is None and course is not None and course.sessions:
            today = self.ctx.today()
            ahead = [s for s in course.sessions if s.start.date() >= today]
            session = ahead[0] if ahead else course.sessions[-1]
        if session is not None:
            self.ctx.hub.go(SESSION_TARGET, session.ref)

    def open_patient(self) -> None:
        course = self.selected()
        if course is not None:
            self.ctx.hub.go(PATIENT_TARGET, course.patient_ref)

    @Slot()
    def refresh(self) -> None:
        self._stale = False
        chosen = self.selected()
        statuses = ("active", "on_hold") if self.only_active.isChecked() else ()
        self.model.set_rows(course_service.list_courses(self.ctx.db, statuses=statuses))
        if chosen is None or not self.select(chosen.ref):
            self._course_selected()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {COURSES, SESSIONS, PATIENTS}:
            self.request_refresh()

    def selected(self) -> CourseView | None:
        indexes = self.table.selectionModel().selectedRows()
        row = indexes[0].data(ROW_ROLE) if indexes else None
        return row if isinstance(row, CourseView) else None

    def selected_session(self) -> CourseSessionRow | None:
        indexes = self.sessions.selectionModel().selectedRows()
        row = indexes[0].data(ROW_ROLE) if indexes else None
        return row if isinstance(row, CourseSessionRow) else None

    def select(self, ref: str) -> bool:
        for row in range(self.proxy.rowCount()):
            course = self.proxy.index(row, 0).data(ROW_ROLE)
            if course is not None and course.ref == ref:
                self.table.selectRow(row)
                self._course_selected()
                return True
        return False

    def _course_selected(self) -> None:
        course = self.selected()
        if course is None:
            self.sessions_model.set_rows([])
            self.detail.setText(self.tr("Choose a course to see its sessions."))
        else:
            self.sessions_model.set_columns(session_columns(course.planned_infusions))
            self.sessions_model.set_rows(course.sessions)
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(course.status)))
            self.detail.setText(
                self.tr("{0} — {1}, {2}. Pattern: {3}. Consent: {4}.").format(
                    course.patient_name,
                    course.ref,
                    course.protocol_name,
                    course.pattern or self.tr("none"),
                    fmt_date(course.consent_date) or self.tr("not signed"),
                )
            )
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        for w in (self.btn_consent, self.btn_status, self.btn_print_consent, self.status_combo):
            w.setEnabled(has)
        self.act_print_consent.setEnabled(has)
        self.act_patient.setEnabled(has)
        course = self.selected()
        self.btn_planner.setEnabled(course is not None and bool(course.sessions))
        self.act_planner.setEnabled(self.btn_planner.isEnabled())
        has_session = self.selected_session() is not None
        self.btn_print_sheet.setEnabled(has_session)
        self.act_print_sheet.setEnabled(has_session)

    def edit_consent(self) -> ConsentDialog | None:
        course = self.selected()
        if course is None:
            return None
        dialog = ConsentDialog(self, course.consent_date, self.ctx.today())

        def save() -> None:
            try:
                course_service.set_consent_date(
                    self.ctx.db,
                    course.ref,
                    dialog.value(),
                    expected_version=course.version,
                    today=self.ctx.today(),
                )
            except ServiceError as exc:
                show_error(self, exc)
                return
            self.ctx.hub.notify({COURSES})

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def apply_status(self) -> None:
        course = self.selected()
        if course is None:
            return
        try:
            course_service.set_course_status(
                self.ctx.db,
                course.ref,
                self.status_combo.currentData(),
                expected_version=course.version,
            )
        except ServiceError as exc:
            show_error(self, exc)
            return
        self.ctx.hub.notify({COURSES})

    def print_consent(self) -> QWidget | None:
        course = self.selected()
        if course is None:
            return None
        from planner.ui.paperwork import preview_consent

        return preview_consent(self, self.ctx, course.ref)

    def print_monitoring(self) -> QWidget | None:
        session = self.selected_session()
        if session is None:
            return None
        from planner.ui.paperwork import preview_monitoring

        return preview_monitoring(self, self.ctx, session.ref)
