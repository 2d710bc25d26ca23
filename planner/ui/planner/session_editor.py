"""The session editor: time, chair, status, durations and staff, with live violations.

The dialog only collects input: ``draft`` is what the caller saves (through an
undo command). Staff lists offer only people holding the role and say who is
unavailable, on leave, overbooked or out of credential at that time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QColor, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.domain import MONITORING_ROLES, PSYCHIATRIST, SESSION_STATUSES
from planner.scheduling.results import SlotProposal
from planner.services.sessions import SessionDraft
from planner.services.week import (
    CourseChoice,
    SessionSnapshot,
    StaffOption,
    Violation,
    WeekSnapshot,
    staff_options,
)
from planner.ui.planner.free_slots import FreeSlotsRow, NearFinder, NextFinder
from planner.ui.widgets.date_field import DateField
from planner.ui.widgets.palette import (
    error_text_color,
    muted_text_color,
    ok_text_color,
    role_label,
    severity_text_color,
    status_label,
    warning_text_color,
)
from planner.ui.widgets.time_edit import SnapTimeEdit

DraftChecker = Callable[[SessionDraft, str | None], list[Violation]]
#: Problems that mean "this time (or chair) is taken": the editor then offers free times nearby.
TIME_TAKEN = frozenset(
    {
        "chair-double-booked",
        "patient-double-booked",
        "staff-overbooked",
        "staff-unavailable",
        "staff-on-leave",
        "outside-opening-hours",
        "clinic-closed",
    }
)


def staff_key(ref: str, role: str) -> str:
    """The item data of a staff choice: "S-001|infusion_nurse"."""
    return f"{ref}|{role}"


class SessionEditor(QDialog):
    """Edit ``session`` (or book a new one at ``start``/``chair_ref`` when it is None)."""

    def __init__(
        self,
        *,
        week: WeekSnapshot,
        checker: DraftChecker,
        session: SessionSnapshot | None = None,
        courses: list[CourseChoice] | None = None,
        start: datetime | None = None,
        chair_ref: str | None = None,
        near: NearFinder | None = None,
        after: NextFinder | None = None,
        now: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sessionEditor")
        self.now = now
        self.free = FreeSlotsRow(
            near=near, after=after, chair_names={c.ref: c.name for c in week.chairs}, parent=self
        )
        self.week = week
        self.checker = checker
        self.session = session
        self.courses = list(courses or [])
        self.violations: list[Violation] = []
        self._defaults = (20, 40, 60)
        self.setWindowTitle(
            self.tr("Session {ref}").format(ref=session.ref) if session else self.tr("New session")
        )
        self._build()
        self._load(start, chair_ref)
        self._connect()
        self._refresh_staff()
        self._revalidate()

    # -- building -------------------------------------------------------------
    def _build(self) -> None:
        self.heading = QLabel(self)
        self.heading.setObjectName("editorHeading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.course_combo = QComboBox(self)
        self.course_combo.setObjectName("courseCombo")
        self.date_edit = DateField(parent=self, name=self.tr("Start date"))
        self.time_edit = SnapTimeEdit(self)
        self.time_edit.setAccessibleName(self.tr("Start time"))
        self.chair_combo = QComboBox(self)
        for chair in self.week.chairs:
            label = f"{chair.name} ({chair.room})" if chair.room else chair.name
            self.chair_combo.addItem(label, chair.ref)
        self.status_combo = QComboBox(self)
        for status in SESSION_STATUSES:
            self.status_combo.addItem(status_label(status), status)
        self.prep_spin, self.infusion_spin, self.recovery_spin = (
            self._minutes_spin(0),
            self._minutes_spin(1),
            self._minutes_spin(0),
        )
        self.end_label = QLabel(self)
        self.psychiatrist_combo = QComboBox(self)
        self.psychiatrist_combo.setObjectName("psychiatristCombo")
        self.monitoring_combo = QComboBox(self)
        self.monitoring_combo.setObjectName("monitoringCombo")
        for combo in (self.psychiatrist_combo, self.monitoring_combo):
            combo.setMinimumWidth(280)
        self.violation_list = QListWidget(self)
        self.violation_list.setObjectName("editorViolations")
        self.violation_list.setMinimumHeight(90)
        self.violation_list.setWordWrap(True)
        self.violation_list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.violation_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("editorVerdict")

        when = QFormLayout()
        if self.session is None:
            when.addRow(self.tr("&Course:"), self.course_combo)
        else:
            self.course_combo.hide()
        row = QHBoxLayout()
        row.addWidget(self.date_edit)
        row.addWidget(self.time_edit)
        row.addStretch(1)
        start_label = QLabel(self.tr("&Start:"), self)
        start_label.setBuddy(self.date_edit)
        when.addRow(start_label, row)
        when.addRow(self.tr("C&hair:"), self.chair_combo)
        when.addRow(self.tr("S&tatus:"), self.status_combo)
        durations = QHBoxLayout()
        minutes_label = QLabel(self.tr("Minutes:"), self)
        minutes_label.setBuddy(self.prep_spin)
        for label, spin in (
            (self.tr("Preparation"), self.prep_spin),
            (self.tr("Infusion"), self.infusion_spin),
            (self.tr("Recovery"), self.recovery_spin),
        ):
            durations.addWidget(QLabel(label, self))
            durations.addWidget(spin)
            spin.setAccessibleName(self.tr("{part} minutes").format(part=label))
        when.addRow(minutes_label, durations)
        when.addRow(self.tr("Chair time:"), self.end_label)
        self.when_note = QLabel(self)
        self.when_note.setObjectName("editorWhenNote")
        self.when_note.hide()
        when.addRow("", self.when_note)
        when.addRow("", self.free)

        staff_box = QGroupBox(self.tr("Staff"), self)
        staff = QFormLayout(staff_box)
        staff.addRow(self.tr("&Psychiatrist:"), self.psychiatrist_combo)
        staff.addRow(self.tr("&Monitoring clinician:"), self.monitoring_combo)
        hint = QLabel(
            self.tr("Anesthesiologist or infusion nurse; two different people are required."), self
        )
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {muted_text_color(self.palette())}")
        staff.addRow("", hint)

        checks = QGroupBox(self.tr("Checks before saving"), self)
        checks_layout = QVBoxLayout(checks)
        checks_layout.addWidget(self.verdict)
        checks_layout.addWidget(self.violation_list)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setShortcut(QKeySequence("Ctrl+Return"))
        save.setToolTip(self.tr("Save (Ctrl+Enter)"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(when)
        layout.addWidget(staff_box)
        layout.addWidget(checks, 1)
        layout.addWidget(self.buttons)
        self.resize(560, 600)

    def _minutes_spin(self, minimum: int) -> QSpinBox:
        spin = QSpinBox(self)
        spin.setRange(minimum, 24 * 60)
        spin.setSingleStep(5)
        spin.setSuffix(self.tr(" min"))
        return spin

    # -- initial values ---------------------------------------------------------
    def _load(self, start: datetime | None, chair_ref: str | None) -> None:
        s = self.session
        if s is not None:
            start, chair_ref = s.start, s.chair_ref
            self._defaults = s.protocol_minutes
            self.prep_spin.setValue(s.prep_minutes)
            self.infusion_spin.setValue(s.infusion_minutes)
            self.recovery_spin.setValue(s.recovery_minutes)
            self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(s.status)))
        else:
            # Courses that still need sessions first, by patient; a fully booked one is offered
            # last and never chosen for the user.
            self.courses.sort(key=lambda c: (c.booked >= c.planned_infusions, c.patient_name))
            for c in self.courses:
                label = self.tr("{patient} — {protocol} ({booked} of {planned} booked)").format(
                    patient=c.patient_name,
                    protocol=c.protocol_name,
                    booked=c.booked,
                    planned=c.planned_infusions,
                )
                if c.booked >= c.planned_infusions:
                    label += self.tr(" — all booked")
                self.course_combo.addItem(label, c.ref)
            self._course_changed()
        start = start or datetime.combine(self.week.monday, time(9))
        self._last_day = start.date()
        self.date_edit.setDate(start.date())
        self.time_edit.setTime(QTime(start.hour, start.minute))
        index = self.chair_combo.findData(chair_ref)
        self.chair_combo.setCurrentIndex(max(0, index))
        self._update_heading()

    def _course(self) -> CourseChoice | None:
        ref = self.course_combo.currentData()
        return next((c for c in self.courses if c.ref == ref), None)

    def _course_changed(self) -> None:
        c = self._course()
        if c is None:
            return
        self._defaults = (c.prep_minutes, c.infusion_minutes, c.recovery_minutes)
        self.prep_spin.setValue(c.prep_minutes)
        self.infusion_spin.setValue(c.infusion_minutes)
        self.recovery_spin.setValue(c.recovery_minutes)
        self._update_heading()

    def _update_heading(self) -> None:
        s = self.session
        if s is not None:
            text = self.tr("<b>{patient}</b> — {protocol}, infusion {n} of {total}").format(
                patient=s.patient_name,
                protocol=s.protocol_name,
                n=s.number or "–",
                total=s.planned_infusions,
            )
        else:
            c = self._course()
            text = (
                self.tr("<b>{patient}</b> — {protocol}, infusion {n} of {total}").format(
                    patient=c.patient_name,
                    protocol=c.protocol_name,
                    n=c.booked + 1,
                    total=c.planned_infusions,
                )
                if c
                else self.tr("No active course to book: add a course for the patient first.")
            )
        self.heading.setText(text)

    def _connect(self) -> None:
        self.course_combo.currentIndexChanged.connect(self._course_changed)
        for signal in (
            self.date_edit.dateChanged,
            self.time_edit.timeChanged,
            self.prep_spin.valueChanged,
            self.infusion_spin.valueChanged,
            self.recovery_spin.valueChanged,
            self.course_combo.currentIndexChanged,
        ):
            signal.connect(self._refresh_staff)
            signal.connect(self._revalidate)
        self.date_edit.edited.connect(self._revalidate)
        self.free.chosen.connect(self.use_proposal)
        self.free.next_button.clicked.connect(self.find_next_free)
        for combo in (
            self.chair_combo,
            self.status_combo,
            self.psychiatrist_combo,
            self.monitoring_combo,
        ):
            combo.currentIndexChanged.connect(self._revalidate)

    # -- staff lists ------------------------------------------------------------
    def _problem_text(self, option: StaffOption) -> str:
        words = {
            "off_hours": self.tr("not working then"),
            "on_leave": self.tr("on leave"),
            "overbooked": self.tr("overbooked"),
            "credential_expired": self.tr("credential expired"),
        }
        return ", ".join(words.get(p, p) for p in option.problems)

    def _fill(self, combo: QComboBox, options: list[StaffOption], current: str | None, show_role: bool) -> None:
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(self.tr("— not assigned —"), None)
        for option in options:
            label = option.name
            if show_role:
                label += f" — {role_label(option.role)}"
            if option.problems:
                label += f"  ({self._problem_text(option)})"
            combo.addItem(label, staff_key(option.ref, option.role))
            if option.problems:
                combo.setItemData(
                    combo.count() - 1,
                    QColor(warning_text_color(combo.palette())),
                    Qt.ItemDataRole.ForegroundRole,
                )
        if current is not None:
            index = combo.findData(current)
            if index < 0:  # keep a current choice even if the person no longer qualifies
                ref, role = current.split("|", 1)
                combo.addItem(f"{ref} — {role_label(role)}", current)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        combo.blockSignals(False)

    def _refresh_staff(self) -> None:
        start = self.start
        end = start + timedelta(minutes=self._chair_minutes())
        exclude = self.session.ref if self.session else None
        current_psy = self.psychiatrist_combo.currentData()
        current_mon = self.monitoring_combo.currentData()
        if self.psychiatrist_combo.count() == 0 and self.session is not None:
            psy, mon = self.session.psychiatrist, self.session.monitoring
            current_psy = staff_key(psy.ref, psy.role) if psy else None
            current_mon = staff_key(mon.ref, mon.role) if mon else None
        self._fill(
            self.psychiatrist_combo,
            staff_options(self.week, [PSYCHIATRIST], start, end, exclude_session=exclude),
            current_psy,
            False,
        )
        self._fill(
            self.monitoring_combo,
            staff_options(self.week, list(MONITORING_ROLES), start, end, exclude_session=exclude),
            current_mon,
            True,
        )
        self.end_label.setText(f"{start:%a %d %b %H:%M}–{end:%H:%M}")

    # -- free places ----------------------------------------------------------------
    def course_ref(self) -> str:
        return self.session.course_ref if self.session else str(self.course_combo.currentData() or "")

    def use_proposal(self, p: SlotProposal) -> None:
        """Fill in a free place: its day, time, chair and both staff."""
        self.date_edit.setDate(p.start.date())
        self.time_edit.setTime(QTime(p.start.hour, p.start.minute))
        index = self.chair_combo.findData(p.chair)
        if index >= 0:
            self.chair_combo.setCurrentIndex(index)
        self._refresh_staff()
        for combo, key in (
            (self.psychiatrist_combo, staff_key(p.psychiatrist, PSYCHIATRIST)),
            (self.monitoring_combo, staff_key(p.monitoring_clinician, p.monitoring_role)),
        ):
            index = combo.findData(key)
            if index >= 0:
                combo.setCurrentIndex(index)
        self._revalidate()

    def find_next_free(self) -> None:
        """The first free place from the chosen time on (after it, when it is free already)."""
        fine = not any(v.severity == "error" and v.code in TIME_TAKEN for v in self.violations)
        after = self.start + timedelta(minutes=15) if fine else self.start
        if self.now is not None:
            after = max(after, self.now)
        self.free.find_next(self.course_ref(), after)

    # -- the result ---------------------------------------------------------------
    def _chair_minutes(self) -> int:
        return self.prep_spin.value() + self.infusion_spin.value() + self.recovery_spin.value()

    @property
    def start(self) -> datetime:
        """The chosen start (while the date field holds no readable date, the last one)."""
        d = self.date_edit.value() or self._last_day
        self._last_day = d
        t: time = self.time_edit.time().toPython()  # type: ignore[assignment]
        return datetime.combine(d, t.replace(second=0, microsecond=0))

    @property
    def draft(self) -> SessionDraft:
        course_ref = self.session.course_ref if self.session else (self.course_combo.currentData() or "")
        values = (self.prep_spin.value(), self.infusion_spin.value(), self.recovery_spin.value())
        overrides = [None if v == d else v for v, d in zip(values, self._defaults, strict=True)]
        assignments = []
        for combo in (self.psychiatrist_combo, self.monitoring_combo):
            data = combo.currentData()
            if data:
                ref, role = str(data).split("|", 1)
                assignments.append((ref, role))
        return SessionDraft(
            course_ref=course_ref,
            chair_ref=str(self.chair_combo.currentData() or ""),
            start=self.start,
            status=str(self.status_combo.currentData()),
            prep_minutes=overrides[0],
            infusion_minutes=overrides[1],
            recovery_minutes=overrides[2],
            assignments=tuple(assignments),
        )

    def _revalidate(self) -> None:
        draft = self.draft
        self.violations = self.checker(draft, self.session.ref if self.session else None) if draft.course_ref else []
        self.violation_list.clear()
        errors = [v for v in self.violations if v.severity == "error"]
        for v in self.violations:
            item = QListWidgetItem(v.message)
            item.setForeground(QColor(severity_text_color(v.severity, self.palette())))
            item.setToolTip(v.code)
            item.setData(Qt.ItemDataRole.UserRole, v.code)
            self.violation_list.addItem(item)
        if errors:
            self.verdict.setText(
                self.tr("1 error — the session can be saved, but it is not ready.")
                if len(errors) == 1
                else self.tr("{n} errors — the session can be saved, but it is not ready.").format(n=len(errors))
            )
            self.verdict.setStyleSheet(f"color: {error_text_color(self.palette())}; font-weight: bold")
        elif self.violations:
            n = len(self.violations)
            self.verdict.setText(self.tr("1 warning.") if n == 1 else self.tr("{n} warnings.").format(n=n))
            self.verdict.setStyleSheet(f"color: {warning_text_color(self.palette())}; font-weight: bold")
        else:
            self.verdict.setText(self.tr("No problems found."))
            self.verdict.setStyleSheet(f"color: {ok_text_color(self.palette())}; font-weight: bold")
        taken = any(v.severity == "error" and v.code in TIME_TAKEN for v in self.violations)
        self.free.offer_near(draft.course_ref if taken else None, self.start if taken else None)
        past = self.session is None and self.now is not None and self.start < self.now
        self.when_note.setText(self.tr("This time has already passed.") if past else "")
        self.when_note.setVisible(past)
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        readable = self.date_edit.value() is not None
        save.setEnabled(bool(draft.course_ref and draft.chair_ref and readable))
