"""Courses: every course with infusion n of N, status and consent; its sessions; consent and status.

Printing (consent, a session's monitoring sheet) opens the paperwork preview.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from planner.domain import COURSE_STATUSES
from planner.domain.fields import FIRST_DAY
from planner.services import courses as course_service
from planner.services.courses import CourseSessionRow, CourseView
from planner.ui.context import (
    COURSES,
    PATIENT_TARGET,
    PATIENTS,
    SESSION_TARGET,
    SESSIONS,
    AppContext,
)
from planner.ui.mutation import attempt
from planner.ui.pages.common import (
    MUTED_BRUSH,
    ROW_ROLE,
    WARN_BRUSH,
    Column,
    RowTableModel,
    fmt_date,
    fmt_datetime,
    tr,
)
from planner.ui.pages.record_list import RecordListPage, record_table
from planner.ui.widgets.date_field import DateField

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
    def next_start(v: CourseView) -> str:
        s = v.next_session(ctx.clock())
        return s.session.start.isoformat() if s else "9999"

    return [
        Column(tr("Patient"), lambda v: v.course.patient.name),
        Column(tr("Course"), lambda v: v.course.ref),
        Column(tr("Protocol"), lambda v: v.course.protocol.name),
        Column(
            tr("Infusions"),
            lambda v: tr("{0} done, {1} booked of {2}").format(
                v.done, v.scheduled, v.course.planned_infusions
            ),
            lambda v: v.scheduled,
        ),
        Column(
            tr("Status"), lambda v: tr(COURSE_STATUS_LABELS.get(v.course.status, v.course.status))
        ),
        Column(
            tr("Consent"),
            lambda v: fmt_date(v.course.consent_date) or tr("not signed"),
            lambda v: v.course.consent_date.isoformat() if v.course.consent_date else "",
            background=lambda v: (
                WARN_BRUSH if v.course.consent_date is None and v.course.status == "active" else None
            ),
        ),
        Column(
            tr("Next session"),
            lambda v: fmt_datetime(s.session.start) if (s := v.next_session(ctx.clock())) else "",
            next_start,
        ),
    ]


def session_columns(planned: int) -> list[Column[CourseSessionRow]]:
    return [
        Column(
            tr("Infusion"),
            lambda r: tr("{0} of {1}").format(r.number, planned) if r.number else "—",
            lambda r: r.number,
        ),
        Column(
            tr("When"),
            lambda r: f"{r.session.start:%a %Y-%m-%d %H:%M}–{r.session.end:%H:%M}",
            lambda r: r.session.start.isoformat(),
        ),
        Column(tr("Chair"), lambda r: r.session.chair.name),
        Column(
            tr("Status"),
            lambda r: tr(SESSION_STATUS_LABELS.get(r.session.status, r.session.status)),
            foreground=lambda r: MUTED_BRUSH if not r.number else None,
        ),
        Column(tr("Staff"), lambda r: ", ".join(r.staff_labels()) or tr("none assigned")),
    ]


class ConsentDialog(QDialog):
    """Ask for the date the consent was signed (or clear it); a typed date is taken as typed."""

    def __init__(self, parent: QWidget | None, current: date | None, today: date) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Consent date"))
        self.day = DateField(current or today, name=self.tr("Signed on"))
        self.day.set_range(
            FIRST_DAY,
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


class CoursesPage(RecordListPage[CourseView]):
    listens_to = frozenset({COURSES, SESSIONS, PATIENTS})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            course_columns(ctx),
            table_name="courses_table",
            table_label=tr("Courses"),
            search_hint=self.tr("Search patient, course, protocol…"),
            sort_column=C_PATIENT,
            parent=parent,
        )
        self.setObjectName("courses_page")
        self.sessions_model: RowTableModel[CourseSessionRow] = RowTableModel(
            session_columns(0), self
        )
        self.only_active = QCheckBox(self.tr("Active &only"))
        self.only_active.setChecked(True)
        self.only_active.toggled.connect(self.refresh)

        self.sessions = record_table("course_sessions_table")
        self.sessions.setAccessibleName(self.tr("Sessions of the chosen course"))
        self.sessions.setModel(self.sessions_model)
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
        self.act_print_consent = self.action(
            self.tr("Print &consent…"), self.tr("Ctrl+Shift+C"), self.print_consent
        )
        self.btn_print_consent = QPushButton(self.tr("Print &consent…"))
        self.btn_print_consent.clicked.connect(self.print_consent)
        self.btn_print_sheet = QPushButton(self.tr("Print &monitoring sheet…"))
        self.btn_print_sheet.clicked.connect(self.print_monitoring)
        self.act_print_sheet = self.action(
            self.tr("Print &monitoring sheet…"), self.tr("Ctrl+Shift+M"), self.print_monitoring
        )
        self.act_planner = self.action(
            self.tr("Show session in &planner"), "Ctrl+Shift+L", self.show_in_planner
        )
        self.btn_planner = QPushButton(self.tr("Show in p&lanner"))
        self.btn_planner.setToolTip(
            self.tr("The chosen session (or the course's next one) in the week planner (Ctrl+Shift+L)")
        )
        self.btn_planner.clicked.connect(self.show_in_planner)
        self.act_patient = self.action(self.tr("Open p&atient"), "Ctrl+Shift+U", self.open_patient)

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
        layout.addLayout(self.search_row(self.only_active))
        layout.addWidget(splitter, 1)

        self.sessions.selectionModel().selectionChanged.connect(self._update_session_buttons)
        self.request_refresh()

    def menu_title(self) -> str:
        return self.tr("Cou&rses")

    def menu_actions(self) -> list[QAction]:
        return [self.act_print_consent, self.act_print_sheet, self.act_planner, self.act_patient]

    def load_rows(self) -> list[CourseView]:
        statuses = ("active", "on_hold") if self.only_active.isChecked() else ()
        return course_service.list_courses(self.ctx.db, statuses=statuses)

    def ref_of(self, row: CourseView) -> str:
        return row.course.ref

    def widen(self) -> bool:
        if not self.only_active.isChecked():
            return False
        self.only_active.setChecked(False)
        return True

    def show_in_planner(self) -> None:
        """The chosen session, else the course's next (or last) one, in the week planner."""
        row = self.selected_session()
        view = self.selected()
        if row is None and view is not None and view.sessions:
            today = self.ctx.today()
            ahead = [s for s in view.sessions if s.session.start.date() >= today]
            row = ahead[0] if ahead else view.sessions[-1]
        if row is not None:
            self.ctx.hub.go(SESSION_TARGET, row.session.ref)

    def open_patient(self) -> None:
        view = self.selected()
        if view is not None:
            self.ctx.hub.go(PATIENT_TARGET, view.course.patient.ref)

    def selected_session(self) -> CourseSessionRow | None:
        indexes = self.sessions.selectionModel().selectedRows()
        row = indexes[0].data(ROW_ROLE) if indexes else None
        return row if isinstance(row, CourseSessionRow) else None

    def selection_changed(self) -> None:
        """The chosen course's sessions and details; what applies to it."""
        view = self.selected()
        if view is None:
            self.sessions_model.set_rows([])
            self.detail.setText(self.tr("Choose a course to see its sessions."))
        else:
            course = view.course
            self.sessions_model.set_columns(session_columns(course.planned_infusions))
            self.sessions_model.set_rows(view.sessions)
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(course.status)))
            self.detail.setText(
                self.tr("{0} — {1}, {2}. Pattern: {3}. Consent: {4}.").format(
                    course.patient.name,
                    course.ref,
                    course.protocol.name,
                    course.pattern or self.tr("none"),
                    fmt_date(course.consent_date) or self.tr("not signed"),
                )
            )
        for w in (self.btn_consent, self.btn_status, self.btn_print_consent, self.status_combo):
            w.setEnabled(view is not None)
        self.act_print_consent.setEnabled(view is not None)
        self.act_patient.setEnabled(view is not None)
        self.btn_planner.setEnabled(view is not None and bool(view.sessions))
        self.act_planner.setEnabled(self.btn_planner.isEnabled())
        self._update_session_buttons()

    def _update_session_buttons(self) -> None:
        has_session = self.selected_session() is not None
        self.btn_print_sheet.setEnabled(has_session)
        self.act_print_sheet.setEnabled(has_session)

    def edit_consent(self) -> ConsentDialog | None:
        view = self.selected()
        if view is None:
            return None
        dialog = ConsentDialog(self, view.course.consent_date, self.ctx.today())

        def save() -> None:
            attempt(
                self.ctx,
                self,
                lambda: course_service.set_consent_date(
                    self.ctx.db,
                    view.course.ref,
                    dialog.value(),
                    expected_version=view.version,
                    today=self.ctx.today(),
                ),
                {COURSES},
            )

        dialog.accepted.connect(save)
        dialog.open()
        return dialog

    def apply_status(self) -> None:
        view = self.selected()
        if view is None:
            return
        attempt(
            self.ctx,
            self,
            lambda: course_service.set_course_status(
                self.ctx.db,
                view.course.ref,
                self.status_combo.currentData(),
                expected_version=view.version,
            ),
            {COURSES},
        )

    def print_consent(self) -> QWidget | None:
        view = self.selected()
        if view is None:
            return None
        from planner.ui.paperwork import preview_consent

        return preview_consent(self, self.ctx, view.course.ref)

    def print_monitoring(self) -> QWidget | None:
        row = self.selected_session()
        if row is None:
            return None
        from planner.ui.paperwork import preview_monitoring

        return preview_monitoring(self, self.ctx, row.session.ref)
