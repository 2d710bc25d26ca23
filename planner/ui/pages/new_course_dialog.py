"""New course for a patient: protocol, start, pattern; see every proposed date and its problems first.

Dates, chairs and staff come from the course planner
(``planner.services.planning``); nothing is written until "Create course".
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import QTime, QTimer
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from planner.domain import ROLE_LABELS
from planner.domain.records import Course
from planner.scheduling.results import CoursePlan, PlannedOccurrence, SlotProposal
from planner.services import planning
from planner.services.base import ServiceError, ValidationFailed
from planner.services.chairs import list_chairs
from planner.services.protocols import list_protocols
from planner.services.staff import list_staff
from planner.ui.context import COURSES, PATIENTS, SESSIONS, AppContext
from planner.ui.mutation import commit, show_error
from planner.ui.pages.common import ERROR_BRUSH, WARN_BRUSH, Column, RowTableModel, tr
from planner.ui.planner.free_slots import FreeSlotsRow
from planner.ui.widgets.limits import calendar_field, spin_box
from planner.ui.widgets.palette import error_text_color
from planner.ui.widgets.plural import plural
from planner.ui.widgets.screen_fit import resize_to_fit

#: Pattern presets the planner understands (any RRULE text may be typed instead).
PATTERNS = ("Mon/Thu", "Mon/Wed/Fri", "every 2–3 days")


#: Problems meaning the chosen time is taken: free times nearby are offered instead.
TIME_TAKEN = frozenset(
    {
        "chair-double-booked",
        "patient-double-booked",
        "missing-psychiatrist",
        "missing-monitoring-clinician",
        "outside-opening-hours",
    }
)
#: How many dates of a plan get their own "free nearby" look-up (each is a query).
NEARBY_LOOKUPS = 6


def occurrence_columns(
    names: dict[str, str], nearby: dict[int, str] | None = None
) -> list[Column[PlannedOccurrence]]:
    nearby = nearby if nearby is not None else {}

    def who(ref: str | None) -> str:
        return names.get(ref, ref) if ref else tr("— none free —")

    def problems(o: PlannedOccurrence) -> str:
        text = "; ".join(p.message for p in o.problems)
        if o.infusion in nearby:  # what to do first, then why
            text = nearby[o.infusion] + " — " + text
        return text

    def colour(o: PlannedOccurrence) -> QBrush | None:
        if o.has_errors:
            return ERROR_BRUSH
        return WARN_BRUSH if o.problems else None

    return [
        Column(tr("#"), lambda o: str(o.infusion), lambda o: o.infusion, align_right=True),
        Column(tr("Date and time"), lambda o: f"{o.start:%a %Y-%m-%d %H:%M}–{o.end:%H:%M}"),
        Column(tr("Chair"), lambda o: who(o.chair)),
        Column(tr("Psychiatrist"), lambda o: who(o.psychiatrist)),
        Column(
            tr("Monitoring clinician"),
            lambda o: (
                who(o.monitoring_clinician)
                + (
                    f" ({tr(ROLE_LABELS.get(o.monitoring_role, o.monitoring_role))})"
                    if o.monitoring_role
                    else ""
                )
            ),
        ),
        Column(tr("Problems"), problems, background=colour, tooltip=problems),
    ]


class NewCourseDialog(QDialog):
    def __init__(
        self, ctx: AppContext, *, patient_ref: str, patient_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.patient_ref = patient_ref
        self.plan: CoursePlan | None = None
        self.created: planning.CreatedCourse | None = None
        self.setWindowTitle(self.tr("New course for {0}").format(patient_name))
        resize_to_fit(self, 900, 560)

        names = {
            r.chair.ref: r.chair.name + (f" ({r.chair.room})" if r.chair.room else "")
            for r in list_chairs(ctx.db)
        }
        names.update({r.member.ref: r.member.name for r in list_staff(ctx.db)})
        #: infusion number -> "free nearby: …" for dates whose time is taken
        self.nearby: dict[int, str] = {}
        self.model: RowTableModel[PlannedOccurrence] = RowTableModel(
            occurrence_columns(names, self.nearby), self
        )

        self.protocol = QComboBox()
        self.protocol.setObjectName("protocol")
        rows = list_protocols(ctx.db)
        self._protocols = {r.protocol.ref: r.protocol for r in rows}
        for p in self._protocols.values():
            self.protocol.addItem(p.name, p.ref)
        if rows:  # the clinic's usual protocol first: the one most courses use
            usual = max(rows, key=lambda r: r.courses)
            self.protocol.setCurrentIndex(self.protocol.findData(usual.protocol.ref))
        self.protocol.currentIndexChanged.connect(self._protocol_changed)
        today = ctx.today()
        if ctx.clock().time() >= time(9):  # 09:00 today has passed: tomorrow, not the past
            today += timedelta(days=1)
        self.start_date = calendar_field(today, "start_date", name=self.tr("First infusion date"))
        self.start_time = QTimeEdit(QTime(9, 0))
        self.start_time.setDisplayFormat("HH:mm")
        self.start_time.setAccessibleName(self.tr("First infusion time"))
        self.pattern = QComboBox()
        self.pattern.setObjectName("pattern")
        self.pattern.setEditable(True)
        for text in PATTERNS:
            self.pattern.addItem(self.tr(text), text)
        self.pattern.setToolTip(self.tr("A preset, or an RRULE such as FREQ=WEEKLY;BYDAY=TU,FR"))
        self.infusions = spin_box(Course, "planned_infusions")
        self.infusions.setObjectName("infusions")
        self.consent = QCheckBox(self.tr("Consent &signed today"))
        self.allow_problems = QCheckBox(
            self.tr("Create even with problems (dates without free staff are saved unstaffed)")
        )
        self.allow_problems.toggled.connect(self._update_buttons)

        form = QFormLayout()
        for text, widget, buddy in (
            (self.tr("&Protocol:"), self.protocol, self.protocol),
            (
                self.tr("&First infusion:"),
                self._row(self.start_date, self.start_time),
                self.start_date,
            ),
            (self.tr("P&attern:"), self.pattern, self.pattern),
            (self.tr("&Infusions:"), self.infusions, self.infusions),
        ):
            label = QLabel(text)
            label.setBuddy(buddy)
            form.addRow(label, widget)
        form.addRow("", self.consent)

        self.preview_button = QPushButton(self.tr("Pre&view dates"))
        self.preview_button.clicked.connect(self.refresh_preview)
        self.table = QTableView()
        self.table.setObjectName("occurrences")
        self.table.setAccessibleName(self.tr("Proposed dates"))
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setWordWrap(True)  # a date's problems are read whole, not cut off
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.status = QLabel()
        self.status.setObjectName("plan_status")
        self.status.setWordWrap(True)
        self.free = FreeSlotsRow(
            near=self._free_near, after=self._free_after, chair_names=names, parent=self
        )
        self.free.chosen.connect(self._use_free)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = QPushButton(self.tr("&Create course"))
        self.buttons.addButton(self.create_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.clicked.connect(self.create_course)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview_button)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.free)
        layout.addWidget(self.allow_problems)
        layout.addWidget(self.buttons)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refresh_preview)
        for signal in (
            self.start_date.dateChanged,
            self.start_time.timeChanged,
            self.pattern.currentTextChanged,
            self.infusions.valueChanged,
        ):
            signal.connect(self._stale)
        self._protocol_changed()
        if not self._protocols:
            self.status.setText(self.tr("Add a protocol first (Clinic settings → Protocols)."))

    def _row(self, *widgets: QWidget) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        for w in widgets:
            row.addWidget(w)
        row.addStretch(1)
        return box

    def _protocol_changed(self) -> None:
        p = self._protocols.get(self.protocol.currentData())
        if p is not None:
            self.infusions.setValue(p.infusions)
        self._stale()

    def _stale(self) -> None:
        self.plan = None
        self._update_buttons()
        self._timer.start()

    def _start(self) -> datetime | None:
        """The first infusion's start, or None while the date cannot be read."""
        d, t = self.start_date.value(), self.start_time.time()
        return None if d is None else datetime.combine(d, time(t.hour(), t.minute()))

    def pattern_text(self) -> str:
        index = self.pattern.findText(self.pattern.currentText())
        data = self.pattern.itemData(index) if index >= 0 else None
        return str(data) if data else self.pattern.currentText().strip()

    def refresh_preview(self) -> None:
        self._timer.stop()
        protocol = self.protocol.currentData()
        start = self._start()
        if not protocol:
            return
        if start is None:
            self.plan = None
            self.model.set_rows([])
            self.status.setText(self.start_date.problem())
            self._update_buttons()
            return
        try:
            plan = planning.preview_course_plan(
                self.ctx.db,
                patient=self.patient_ref,
                protocol=protocol,
                start=start,
                pattern=self.pattern_text(),
                infusions=self.infusions.value(),
            )
        except ServiceError as exc:
            self.plan = None
            self.model.set_rows([])
            self.status.setText(str(exc))
            self.status.setStyleSheet(f"color: {error_text_color(self.palette())};")
            self._update_buttons()
            return
        self.plan = plan
        self._find_nearby(plan)
        self.model.set_rows(plan.occurrences)
        errors = sum(1 for o in plan.occurrences if o.has_errors)
        warnings = sum(1 for o in plan.occurrences if o.problems and not o.has_errors)
        n = len(plan.occurrences)
        parts = [
            plural(n, self.tr("1 date planned ({pattern})."), self.tr("{n} dates planned ({pattern}).")).format(
                pattern=plan.pattern
            )
        ]
        if errors:
            parts.append(plural(errors, self.tr("1 with errors."), self.tr("{n} with errors.")))
        if warnings:
            parts.append(plural(warnings, self.tr("1 with warnings."), self.tr("{n} with warnings.")))
        if plan.skipped:
            parts.append(
                self.tr("Skipped: {0}.").format(
                    "; ".join(f"{s.day:%a %d %b} ({s.reason})" for s in plan.skipped)
                )
            )
        self.status.setText(" ".join(parts))
        self.status.setStyleSheet(f"color: {error_text_color(self.palette())};" if errors else "")
        self._update_buttons()

    # -- free times near a taken one ------------------------------------------------------------
    def _free_near(self, _course: str, around: datetime) -> list[SlotProposal]:
        from planner.services.free_slots import nearest_free_starts

        return nearest_free_starts(
            self.ctx.db, around, patient=self.patient_ref, protocol=self.protocol.currentData(),
            not_before=self.ctx.clock(),
        )

    def _free_after(self, _course: str, after: datetime) -> SlotProposal | None:
        from planner.services.free_slots import nearest_free_starts

        found = nearest_free_starts(
            self.ctx.db, after, patient=self.patient_ref, protocol=self.protocol.currentData(),
            days=28, limit=1, not_before=max(after, self.ctx.clock()),
        )
        return found[0] if found else None

    def _find_nearby(self, plan: CoursePlan) -> None:
        """For each date whose time is taken, the nearest free times that day, in words; and
        for the first infusion, buttons that move the course's start there."""
        self.nearby.clear()
        taken = [
            o for o in plan.occurrences
            if any(p.severity == "error" and p.code in TIME_TAKEN for p in o.problems)
        ]
        first_free: list[SlotProposal] = []
        for o in taken[:NEARBY_LOOKUPS]:
            try:
                found = self._free_near("", o.start)
            except ServiceError:
                found = []
            if o is plan.occurrences[0]:
                first_free = found
            self.nearby[o.infusion] = (
                self.tr("Free nearby: {times}").format(
                    times=", ".join(f"{p.start:%H:%M}" for p in found[:3])
                )
                if found
                else self.tr("Nothing free that day")
            )
        self.free.show_proposals(first_free)

    def _use_free(self, p: SlotProposal) -> None:
        """Start the course at a free time (the rest of the dates follow the pattern)."""
        self.start_date.setDate(p.start.date())
        self.start_time.setTime(QTime(p.start.hour, p.start.minute))
        self.refresh_preview()

    def _update_buttons(self) -> None:
        ok = self.plan is not None and (not self.plan.has_errors or self.allow_problems.isChecked())
        self.create_button.setEnabled(ok)

    def create_course(self) -> None:
        if self.plan is None:
            self.refresh_preview()
        start = self._start()
        if self.plan is None or start is None:
            return
        try:
            self.created = commit(
                self.ctx,
                lambda: planning.create_course_with_sessions(
                    self.ctx.db,
                    patient=self.patient_ref,
                    protocol=self.protocol.currentData(),
                    start=start,
                    pattern=self.pattern_text(),
                    infusions=self.infusions.value(),
                    consent_date=self.ctx.today() if self.consent.isChecked() else None,
                    allow_problems=self.allow_problems.isChecked(),
                ),
                {COURSES, SESSIONS, PATIENTS},
            )
        except ValidationFailed as exc:
            self.status.setText(str(exc))
            self.status.setStyleSheet(f"color: {error_text_color(self.palette())};")
            self.refresh_preview()
            return
        except ServiceError as exc:
            show_error(self, exc)
            return
        self.accept()
