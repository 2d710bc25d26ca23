"""The session record dialog: check-in, vitals, medications, waste, adverse events, discharge,
signature — opened from the week planner and from the day's list.

Save keeps a draft; Sign and lock signs it (the session becomes done); after
that, Save is Amend…: the changes are listed with what they replace and kept
with a reason. Witnesses confirm each waste with their PIN when the database
has accounts. Nothing here decides what is allowed: the services refuse, and
the dialog shows their words.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.chart import KETAMINE, Change, SessionRecord, waste_statement
from planner.services import session_records
from planner.services.accounts import WitnessSeal
from planner.services.base import ServiceError
from planner.services.session_records import RecordView, diff
from planner.ui.context import SESSIONS, AppContext
from planner.ui.record.amend_dialog import AmendDialog
from planner.ui.record.cells import CellProblem
from planner.ui.record.forms import CheckInForm, DischargeForm, FormProblem
from planner.ui.record.grids import EventsGrid, MedicationsGrid, VitalsGrid, WasteGrid
from planner.ui.record.witness_dialog import WitnessDialog


def _json(record: SessionRecord) -> object:
    from planner.interchange.writer import record_to_json

    return record_to_json(record)


class RecordDialog(QDialog):
    def __init__(self, parent: QWidget | None, ctx: AppContext, view: RecordView) -> None:
        super().__init__(parent)
        self.setObjectName("record_dialog")
        self.ctx = ctx
        self.view = view
        self.seals: list[WitnessSeal] = []
        s = view.session
        self.day = s.start.date()
        self.setWindowTitle(self.tr("Session record — {0} — {1}").format(s.patient.name, s.ref))
        with_pin = ctx.db.actor is not None

        self.header = QLabel()
        self.header.setObjectName("record_header")
        self.header.setWordWrap(True)
        self.checkin = CheckInForm(now=ctx.clock, escort=s.patient.escort.name)
        self.vitals = VitalsGrid(view.policy, self.day)
        self.vitals.alertTyped.connect(lambda text: self._say(text, error=True))
        self.planned = QLabel()
        self.planned.setObjectName("planned_dose")
        lots = [line.lot for line in view.lots]
        self.medications = MedicationsGrid(
            day=self.day,
            lots=lots,
            staff=view.staff,
            drugs=(KETAMINE, *view.policy.as_needed_drugs),  # any other name may be typed
            planned=self.planned_mg,
            me=view.me,
        )
        self.waste = WasteGrid(
            day=self.day, lots=lots, staff=view.staff, me=view.me, with_pin=with_pin
        )
        self.waste.witnessRequested.connect(self.witness)
        self.events = EventsGrid(self.day)
        self.discharge = DischargeForm(now=ctx.clock, staff=view.staff, me=view.me)
        self.signature = QPlainTextEdit()
        self.signature.setObjectName("signature_text")
        self.signature.setReadOnly(True)
        self.checkin.weight.valueChanged.connect(lambda _v: self._show_planned())

        for grid, name in (
            (self.vitals, self.tr("Vitals")),
            (self.medications, self.tr("Medications given")),
            (self.waste, self.tr("Waste")),
            (self.events, self.tr("Adverse events")),
            (self.signature, self.tr("Signature and amendments")),
        ):
            grid.setAccessibleName(name)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.checkin, self.tr("&1 Check-in"))
        self.tabs.addTab(self._with_rows(self.vitals, self.tr("Add &row")), self.tr("&2 Vitals"))
        self.tabs.addTab(
            self._with_rows(self.medications, self.tr("Add &medication"), self.planned),
            self.tr("&3 Medications"),
        )
        self.tabs.addTab(self._with_rows(self.waste, self.tr("Add &waste")), self.tr("&4 Waste"))
        self.tabs.addTab(
            self._with_rows(self.events, self.tr("Add &event")), self.tr("&5 Adverse events")
        )
        self.tabs.addTab(self.discharge, self.tr("&6 Discharge"))
        self.tabs.addTab(self.signature, self.tr("&7 Signature"))

        self.status = QLabel()
        self.status.setObjectName("record_status")
        self.status.setWordWrap(True)
        self.save_button = QPushButton()
        self.save_button.setObjectName("record_save")
        self.save_button.clicked.connect(self.save)
        self.sign_button = QPushButton(self.tr("Sign and &lock…"))
        self.sign_button.setObjectName("record_sign")
        self.sign_button.clicked.connect(self.sign)
        print_button = QPushButton(self.tr("&Print sheet…"))
        print_button.clicked.connect(self.print_sheet)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (self.save_button, self.sign_button, print_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.resize(1100, 640)
        self.load(view)

    def _with_rows(self, grid: QWidget, label: str, above: QWidget | None = None) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        if above is not None:
            layout.addWidget(above)
        layout.addWidget(grid, 1)
        row = QHBoxLayout()
        add = QPushButton(label)
        add.clicked.connect(grid.add_row)  # type: ignore[attr-defined]
        remove = QPushButton(self.tr("Remove selected row"))
        remove.clicked.connect(grid.remove_selected)  # type: ignore[attr-defined]
        row.addWidget(add)
        row.addWidget(remove)
        row.addStretch(1)
        layout.addLayout(row)
        return page

    # -- showing -----------------------------------------------------------------------------
    def load(self, view: RecordView) -> None:
        self.view = view
        self.seals.clear()
        s, record = view.session, view.record or SessionRecord()
        p = s.patient
        staff = ", ".join(f"{a.staff.name} ({a.role.replace('_', ' ')})" for a in s.assignments)
        self.header.setText(
            f"<b>{p.name}</b> · born {p.date_of_birth:%Y-%m-%d} · record {p.record_number}<br>"
            f"{s.start:%a %Y-%m-%d %H:%M} · {s.chair.name} · {s.protocol.name} · "
            f"infusion {view.number} of {s.course.planned_infusions} · {staff}"
        )
        self.checkin.load(record.checked_in_at, record.checks)
        self.vitals.load(view.time_points, record.vitals)
        self.medications.load(record.medications)
        self.waste.load(record.waste)
        self.events.load(record.adverse_events)
        self.discharge.load(record.discharge)
        self.signature.setPlainText(self._signature_text(record))
        self._show_planned()
        signed = view.signed
        self.save_button.setText(self.tr("&Amend…") if signed else self.tr("&Save draft"))
        self.sign_button.setVisible(not signed and view.may_sign)
        self.save_button.setVisible(view.may_write)
        for page in range(self.tabs.count() - 1):
            widget = self.tabs.widget(page)
            if widget is not None:
                widget.setEnabled(view.may_write)
        self._say(self._state_text(), error=False)

    def _state_text(self) -> str:
        record = self.view.record
        if record is None:
            return self.tr("No record yet.")
        if record.signed and record.signed_by and record.signed_at:
            return self.tr("Signed by {0} at {1:%Y-%m-%d %H:%M} — changes are amendments.").format(
                record.signed_by.name, record.signed_at
            )
        return self.tr("Draft — not signed.")

    def _signature_text(self, record: SessionRecord) -> str:
        if not record.signed or record.signed_by is None or record.signed_at is None:
            return self.tr("Not signed yet.")
        lines = [f"Signed by {record.signed_by.name} at {record.signed_at:%Y-%m-%d %H:%M}."]
        for a in record.amendments:
            lines.append("")
            lines.append(f"Amended {a.at:%Y-%m-%d %H:%M} by {a.by.name}: {a.reason}")
            lines += [f"  {c.path}: {c.before!r} → {c.after!r}" for c in a.changes]
        return "\n".join(lines)

    def planned_mg(self) -> float | None:
        return self.view.planned_mg(self.checkin.weight_today())

    def _show_planned(self) -> None:
        dose, protocol = self.planned_mg(), self.view.session.protocol
        weight = self.checkin.weight_today() or self.view.session.patient.weight_kg
        if dose is None or weight is None:
            text = self.tr("Planned ketamine dose: weigh the patient ({0:g} mg/kg).").format(
                protocol.dose_mg_per_kg
            )
        else:
            text = self.tr("Planned ketamine dose: {0:g} mg ({1:g} mg/kg × {2:g} kg).").format(
                dose, protocol.dose_mg_per_kg, weight
            )
        self.planned.setText(text)
        self.medications.show_planned()

    def _say(self, text: str, *, error: bool) -> None:
        self.status.setStyleSheet("color: #b00020;" if error else "")
        self.status.setText(text[:1].upper() + text[1:] if text else "")

    # -- reading ---------------------------------------------------------------------------
    def current(self) -> SessionRecord | None:
        """The record as typed (without its signature), or None after showing what cannot be read."""
        try:
            checked_in, checks = self.checkin.read(self.day)
            record = SessionRecord(
                checked_in_at=checked_in,
                checks=checks,
                vitals=self.vitals.vitals(),
                medications=self.medications.medications(),
                waste=self.waste.waste(),
                adverse_events=self.events.events(),
                discharge=self.discharge.read(self.day),
            )
        except CellProblem as exc:
            self.tabs.setCurrentIndex(self._tab_of(exc.grid))
            exc.grid.setCurrentCell(exc.row, exc.column)
            self._say(str(exc), error=True)
            return None
        except FormProblem as exc:
            self.tabs.setCurrentIndex(self._tab_of(exc.widget))
            exc.widget.setFocus()
            self._say(str(exc), error=True)
            return None
        return record

    def _tab_of(self, widget: QWidget) -> int:
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            if page is not None and page.isAncestorOf(widget):
                return index
        return self.tabs.currentIndex()

    # -- actions ----------------------------------------------------------------------------
    def save(self) -> bool:
        record = self.current()
        if record is None:
            return False
        ref = self.view.session.ref
        try:
            if self.view.signed and self.view.record is not None:
                changes = diff(_json(self.view.record.content()), _json(record))
                if not changes:
                    self._say(self.tr("Nothing was changed."), error=False)
                    return False
                reason = self.ask_reason(changes)
                if reason is None:
                    return False
                session_records.amend_record(
                    self.ctx.db,
                    ref,
                    record,
                    reason=reason,
                    expected_version=self.view.version or 0,
                    by=self._choose_staff(self.tr("Who amends the record?")),
                    seals=self.seals,
                    clock=self.ctx.clock,
                )
            else:
                session_records.save_record(
                    self.ctx.db,
                    ref,
                    record,
                    expected_version=self.view.version,
                    seals=self.seals,
                    clock=self.ctx.clock,
                )
        except _Cancelled:
            return False
        except ServiceError as exc:
            self._say(str(exc), error=True)
            return False
        self._reload()
        self._say(self.tr("Saved."), error=False)
        return True

    def ask_reason(self, changes: Sequence[Change]) -> str | None:
        dialog = AmendDialog(self, changes)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.reason.text().strip()

    def _choose_staff(self, question: str) -> str | None:
        """Without accounts, who signs or amends is chosen; with accounts it is who is signed in."""
        if self.ctx.db.actor is not None:
            return None
        names = [s.name for s in self.view.staff]
        default = next(
            (i for i, a in enumerate(self.view.session.assignments) if a.role == "psychiatrist"), 0
        )
        chosen_name = (
            self.view.session.assignments[default].staff.name
            if self.view.session.assignments
            else ""
        )
        index = names.index(chosen_name) if chosen_name in names else 0
        name, ok = QInputDialog.getItem(self, self.tr("Signature"), question, names, index, False)
        if not ok:
            raise _Cancelled
        return next(s.ref for s in self.view.staff if s.name == name)

    def sign(self) -> bool:
        if (self.view.record is None or self._dirty()) and not self.save():
            return False
        answer = QMessageBox.question(
            self,
            self.tr("Sign and lock"),
            self.tr(
                "Sign the record of {0}? After signing, changes are amendments with a reason."
            ).format(self.view.session.ref),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            session_records.sign_record(
                self.ctx.db,
                self.view.session.ref,
                expected_version=self.view.version or 0,
                signer=self._choose_staff(self.tr("Who signs the record?")),
                clock=self.ctx.clock,
            )
        except _Cancelled:
            return False
        except ServiceError as exc:
            self._say(str(exc), error=True)
            return False
        self._reload()
        return True

    def _dirty(self) -> bool:
        record = self.current()
        return record is not None and (
            self.view.record is None or _json(record) != _json(self.view.record.content())
        )

    def witness(self, row: int) -> bool:
        waste = self.waste.row_waste(row)
        if waste is None:
            self._say(self.tr("Give the lot, amount and time of the waste first."), error=True)
            return False
        dialog = WitnessDialog(self, self.ctx, waste_statement(waste, self.view.session.ref))
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.seal is None:
            return False
        member = self.view.staff_member(dialog.seal.staff_ref)
        if member is None:
            return False
        self.seals.append(dialog.seal)
        self.waste.set_witness(row, member)
        return True

    def _reload(self) -> None:
        self.load(session_records.open_record(self.ctx.db, self.view.session.ref))
        self.ctx.hub.notify({SESSIONS})

    def print_sheet(self) -> None:
        from planner.ui.paperwork import preview_monitoring

        preview_monitoring(self, self.ctx, self.view.session.ref)


class _Cancelled(Exception):
    """The person chose not to say who signs."""


def open_session_record(parent: QWidget | None, ctx: AppContext, ref: str) -> RecordDialog | None:
    """Open the record of session ``ref`` (non-modal); a refusal is shown instead."""
    try:
        view = session_records.open_record(ctx.db, ref)
    except ServiceError as exc:
        QMessageBox.warning(
            parent, QCoreApplication.translate("Record", "Session record"), str(exc)
        )
        return None
    dialog = RecordDialog(parent, ctx, view)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.show()
    return dialog
