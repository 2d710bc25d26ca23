"""The record's grids: vitals (checked against the alert thresholds as typed), medications
given, waste of the remainder, adverse events.

Each grid loads part of a ``SessionRecord`` and gives it back as domain
records; a cell it cannot read raises ``CellProblem`` and turns red.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHeaderView, QPushButton, QTableWidget, QWidget

from planner.domain.base import limits
from planner.domain.chart import (
    KETAMINE,
    ROUTES,
    AdverseEvent,
    Medication,
    Vitals,
    Waste,
    alerts,
)
from planner.domain.inventory import DrugLot
from planner.domain.policy import Policy
from planner.domain.records import StaffMember
from planner.paperwork.timepoints import TimePoint
from planner.ui.record.cells import (
    STATE_ROLE,
    CellProblem,
    cell_text,
    combo_data,
    fmt_clock,
    fmt_number,
    mark,
    on_day,
    read_cell,
    read_clock,
    read_mg,
    read_whole,
    staff_combo,
    text_item,
)

VITAL_FIELDS = ("systolic", "diastolic", "heart_rate", "spo2", "respiratory_rate", "moaas")
_FIRST_VALUE = 2
NOTE_COLUMN = _FIRST_VALUE + len(VITAL_FIELDS)


class _Grid(QTableWidget):
    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.verticalHeader().hide()
        self.setTabKeyNavigation(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)

    def cell_state(self, row: int, column: int) -> str:
        """How a cell is marked: "invalid", "alert", "needed" or ""."""
        item = self.item(row, column)
        return str(item.data(STATE_ROLE) or "") if item is not None else ""

    def set_text(self, row: int, column: int, text: str) -> None:
        item = self.item(row, column)
        if item is None:
            self.setItem(row, column, text_item(text))
        else:
            item.setText(text)

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.selectedIndexes()}, reverse=True):
            self.removeRow(row)


class VitalsGrid(_Grid):
    """One row per pre-printed time point of the protocol, plus extra rows."""

    HEADERS = (
        "Time point",
        "Time",
        "Systolic",
        "Diastolic",
        "HR",
        "SpO₂",
        "RR",
        "MOAA/S",
        "Note (needed when out of range)",
        "Entered by",
    )

    #: A value outside the alert thresholds was typed (the message says which and what to do).
    alertTyped = Signal(str)

    def __init__(self, policy: Policy, day: date, parent: QWidget | None = None) -> None:
        super().__init__(self.HEADERS, parent)
        self.setObjectName("vitals_grid")
        self.policy = policy
        self.day = day
        self._checking = False
        self.itemChanged.connect(lambda item: self.check_row(item.row()))

    def load(self, points: Sequence[TimePoint], vitals: Sequence[Vitals]) -> None:
        self._checking = True
        self.setRowCount(0)
        left = list(vitals)
        for point in points:
            found = next((v for v in left if point.planned and v.time == point.planned), None)
            if found is not None:
                left.remove(found)
            self._append(point.label, found, planned=point.planned)
        for v in sorted(left, key=lambda v: v.time):
            self._append("Extra", v)
        self._checking = False
        for row in range(self.rowCount()):
            self.check_row(row)

    def add_row(self) -> int:
        self._append("Extra", None)
        return self.rowCount() - 1

    def _append(self, label: str, v: Vitals | None, *, planned: object = None) -> None:
        row = self.rowCount()
        self.insertRow(row)
        was, self._checking = self._checking, True
        self.setItem(row, 0, text_item(label, editable=False))
        when = v.time if v is not None else planned
        self.setItem(row, 1, text_item(fmt_clock(when) if when else ""))  # type: ignore[arg-type]
        for i, name in enumerate(VITAL_FIELDS):
            self.setItem(row, _FIRST_VALUE + i, text_item(fmt_number(getattr(v, name, None))))
        self.setItem(row, NOTE_COLUMN, text_item(v.note if v else ""))
        self.setItem(row, NOTE_COLUMN + 1, text_item(v.entered_by if v else "", editable=False))
        self._checking = was

    def check_row(self, row: int) -> None:
        """Mark the row's cells as they are typed: unreadable, out of range, alert, note needed."""
        if self._checking or row < 0:
            return
        self._checking = True
        try:
            values: dict[str, int | None] = {}
            for i, name in enumerate(VITAL_FIELDS):
                column = _FIRST_VALUE + i
                item = self.item(row, column)
                try:
                    value = read_whole(cell_text(self, row, column))
                except ValueError as exc:
                    mark(item, "invalid", str(exc))
                    continue
                low, high = limits(Vitals, name)[:2]
                if (
                    value is not None
                    and low is not None
                    and high is not None
                    and not (low <= value <= high)
                ):
                    mark(item, "invalid", f"must be between {low:g} and {high:g}")
                    continue
                values[name] = value
                mark(item, "")
            try:
                read_clock(cell_text(self, row, 1))
                mark(self.item(row, 1), "")
            except ValueError as exc:
                mark(self.item(row, 1), "invalid", str(exc))
            probe = Vitals(time=datetime.combine(self.day, time()), **values)  # type: ignore[arg-type]
            found = alerts(probe, self.policy)
            for name, message in found.items():
                mark(
                    self.item(row, _FIRST_VALUE + VITAL_FIELDS.index(name)),
                    "alert",
                    f"Alert: {message} — call the psychiatrist and add a note",
                )
            note = self.item(row, NOTE_COLUMN)
            if found and not cell_text(self, row, NOTE_COLUMN).strip():
                mark(note, "needed", "A value is outside the alert thresholds: say what was done")
                self.alertTyped.emit(
                    f"Alert: {'; '.join(found.values())} — call the psychiatrist and add a note"
                )
            else:
                mark(note, "")
        finally:
            self._checking = False

    def vitals(self) -> tuple[Vitals, ...]:
        out: list[Vitals] = []
        for row in range(self.rowCount()):
            values = {
                name: read_cell(self, row, _FIRST_VALUE + i, read_whole)
                for i, name in enumerate(VITAL_FIELDS)
            }
            note = cell_text(self, row, NOTE_COLUMN).strip()
            if all(v is None for v in values.values()) and not note:
                continue
            when = read_cell(self, row, 1, read_clock)
            if when is None:
                mark(self.item(row, 1), "invalid", "give the time these were measured")
                raise CellProblem(self, row, 1, "give the time these vitals were measured")
            out.append(Vitals(time=on_day(self.day, when), note=note, **values))  # type: ignore[arg-type]
        return tuple(sorted(out, key=lambda v: v.time))


def lot_combo(lots: Sequence[DrugLot], chosen: str | None, *, optional: bool) -> QComboBox:
    combo = QComboBox()
    if optional:
        combo.addItem("— no lot (as-needed drug)", None)
    for lot in lots:
        combo.addItem(
            f"{lot.ref} — {lot.lot_number} ({lot.concentration_mg_per_ml:g} mg/mL)", lot.ref
        )
    index = combo.findData(chosen)
    combo.setCurrentIndex(max(index, 0))
    return combo


class MedicationsGrid(_Grid):
    """Ketamine drawn from a lot (the planned dose beside it) and as-needed drugs."""

    HEADERS = ("Drug", "Lot", "Planned", "mg given", "Route", "Start", "Stop", "Given by")

    def __init__(
        self,
        *,
        day: date,
        lots: Sequence[DrugLot],
        staff: Sequence[StaffMember],
        drugs: Sequence[str],
        planned: Callable[[], float | None],
        me: str | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.HEADERS, parent)
        self.setObjectName("medications_grid")
        self.day, self.lots, self.staff, self.drugs = day, list(lots), list(staff), list(drugs)
        self.planned, self.me = planned, me

    def load(self, medications: Sequence[Medication]) -> None:
        self.setRowCount(0)
        for m in medications:
            self.add_row(m)

    def add_row(self, m: Medication | None = None) -> int:
        row = self.rowCount()
        self.insertRow(row)
        drug = QComboBox()
        drug.setEditable(True)
        drug.addItems(self.drugs)
        drug.setCurrentText(m.drug if m else KETAMINE)
        self.setCellWidget(row, 0, drug)
        known = [lot for lot in self.lots]
        if m is not None and m.lot is not None and m.lot.ref not in {x.ref for x in known}:
            known.append(m.lot)  # a lot used up or expired since: still shown
        # A new row is ketamine from the first usable lot; an as-needed drug has none.
        chosen = (m.lot.ref if m.lot else None) if m else (known[0].ref if known else None)
        self.setCellWidget(row, 1, lot_combo(known, chosen, optional=True))
        self.setItem(row, 2, text_item("", editable=False))
        self.setItem(row, 3, text_item(fmt_number(m.mg) if m else ""))
        route = QComboBox()
        route.addItems(list(ROUTES))
        route.setCurrentText(m.route if m else "IV")
        self.setCellWidget(row, 4, route)
        self.setItem(row, 5, text_item(fmt_clock(m.start) if m else ""))
        self.setItem(row, 6, text_item(fmt_clock(m.end) if m else ""))
        self.setCellWidget(
            row, 7, staff_combo(self.staff, m.by.ref if m else self.me, optional=False)
        )
        drug.currentTextChanged.connect(lambda _t: self.show_planned())
        self.show_planned()
        return row

    def show_planned(self) -> None:
        """The planned dose beside each ketamine row."""
        dose = self.planned()
        for row in range(self.rowCount()):
            widget = self.cellWidget(row, 0)
            is_ketamine = (
                isinstance(widget, QComboBox)
                and widget.currentText().strip().casefold() == KETAMINE
            )
            text = (
                f"{dose:g} mg"
                if is_ketamine and dose is not None
                else ("weigh first" if is_ketamine else "")
            )
            self.set_text(row, 2, text)

    def medications(self) -> tuple[Medication, ...]:
        lots = {lot.ref: lot for lot in self.lots}
        staff = {s.ref: s for s in self.staff}
        out: list[Medication] = []
        for row in range(self.rowCount()):
            drug_widget = self.cellWidget(row, 0)
            drug = drug_widget.currentText().strip() if isinstance(drug_widget, QComboBox) else ""
            mg = read_cell(self, row, 3, read_mg)
            start = read_cell(self, row, 5, read_clock)
            end = read_cell(self, row, 6, read_clock)
            if not drug and mg is None:
                continue
            if mg is None:
                mark(self.item(row, 3), "invalid", "how many mg were given?")
                raise CellProblem(self, row, 3, f"{drug or 'a drug'}: how many mg were given?")
            if start is None:
                mark(self.item(row, 5), "invalid", "when was it started?")
                raise CellProblem(self, row, 5, f"{drug}: when was it started?")
            lot_ref = combo_data(self, row, 1)
            route = self.cellWidget(row, 4)
            out.append(
                Medication(
                    drug=drug,
                    lot=lots.get(str(lot_ref)) if lot_ref else None,
                    mg=float(mg),  # type: ignore[arg-type]
                    route=route.currentText() if isinstance(route, QComboBox) else "IV",
                    start=on_day(self.day, start),  # type: ignore[arg-type]
                    end=on_day(self.day, end),  # type: ignore[arg-type]
                    by=staff[str(combo_data(self, row, 7))],
                )
            )
        return tuple(out)


class WasteGrid(_Grid):
    """The remainder wasted, each row witnessed by a second person (with their PIN, with accounts)."""

    HEADERS = ("Lot", "mg wasted", "Time", "Wasted by", "Witness", "")
    #: Asks for the witness of a row (the dialog opens the PIN prompt).
    witnessRequested = Signal(int)

    def __init__(
        self,
        *,
        day: date,
        lots: Sequence[DrugLot],
        staff: Sequence[StaffMember],
        me: str | None,
        with_pin: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(self.HEADERS, parent)
        self.setObjectName("waste_grid")
        self.day, self.lots, self.staff, self.me, self.with_pin = (
            day,
            list(lots),
            list(staff),
            me,
            with_pin,
        )
        #: Row -> staff ref of the witness who confirmed it with their PIN.
        self.witnessed: dict[int, str] = {}
        self.itemChanged.connect(lambda item: self._changed(item.row()))

    def load(self, waste: Sequence[Waste]) -> None:
        self.setRowCount(0)
        self.witnessed.clear()
        for w in waste:
            row = self.add_row(w)
            if w.witness is not None and self.with_pin:
                self.witnessed[row] = w.witness.ref
                self.set_text(row, 4, w.witness.name)

    def add_row(self, w: Waste | None = None) -> int:
        row = self.rowCount()
        self.insertRow(row)
        known = list(self.lots)
        if w is not None and w.lot.ref not in {x.ref for x in known}:
            known.append(w.lot)
        lot = lot_combo(known, w.lot.ref if w else None, optional=False)
        lot.currentIndexChanged.connect(lambda _i, r=row: self._changed(r))
        self.setCellWidget(row, 0, lot)
        self.setItem(row, 1, text_item(fmt_number(w.mg) if w else ""))
        self.setItem(row, 2, text_item(fmt_clock(w.time) if w else ""))
        by = staff_combo(self.staff, w.by.ref if w else self.me, optional=False)
        by.setEnabled(not self.with_pin)  # with accounts: whoever is signed in wastes
        self.setCellWidget(row, 3, by)
        if self.with_pin:
            self.setItem(row, 4, text_item("not witnessed yet", editable=False))
            button = QPushButton(self.tr("Witness…"))
            button.setObjectName(f"witness_{row}")
            button.clicked.connect(lambda _c=False, r=row: self.witnessRequested.emit(r))
            self.setCellWidget(row, 5, button)
        else:
            witness = staff_combo(
                self.staff, w.witness.ref if w and w.witness else None, optional=True
            )
            self.setCellWidget(row, 4, witness)
        return row

    def _changed(self, row: int) -> None:
        """A witnessed row that changes must be witnessed again."""
        if self.with_pin and row in self.witnessed:
            del self.witnessed[row]
            self.set_text(row, 4, "changed — witness again")

    def set_witness(self, row: int, staff: StaffMember) -> None:
        self.blockSignals(True)
        self.witnessed[row] = staff.ref
        self.set_text(row, 4, f"{staff.name} ✓ PIN")
        self.blockSignals(False)

    def waste(self) -> tuple[Waste, ...]:
        lots = {lot.ref: lot for lot in self.lots}
        staff = {s.ref: s for s in self.staff}
        out: list[Waste] = []
        for row in range(self.rowCount()):
            mg = read_cell(self, row, 1, read_mg)
            when = read_cell(self, row, 2, read_clock)
            if mg is None and when is None:
                continue
            if mg is None or when is None:
                column = 1 if mg is None else 2
                mark(self.item(row, column), "invalid", "needed")
                raise CellProblem(self, row, column, "a waste needs its amount and its time")
            witness_ref = self.witnessed.get(row) if self.with_pin else combo_data(self, row, 4)
            out.append(
                Waste(
                    lot=lots[str(combo_data(self, row, 0))],
                    mg=float(mg),  # type: ignore[arg-type]
                    time=on_day(self.day, when),  # type: ignore[arg-type]
                    by=staff[str(combo_data(self, row, 3))],
                    witness=staff.get(str(witness_ref)) if witness_ref else None,
                )
            )
        return tuple(out)

    def row_waste(self, row: int) -> Waste | None:
        """The waste of one row as typed (for the witness to confirm), or None if incomplete."""
        try:
            lots = {lot.ref: lot for lot in self.lots}
            staff = {s.ref: s for s in self.staff}
            mg = read_cell(self, row, 1, read_mg)
            when = read_cell(self, row, 2, read_clock)
        except CellProblem:
            return None
        if mg is None or when is None:
            return None
        return Waste(
            lot=lots[str(combo_data(self, row, 0))],
            mg=float(mg),  # type: ignore[arg-type]
            time=on_day(self.day, when),  # type: ignore[arg-type]
            by=staff[str(combo_data(self, row, 3))],
        )


class EventsGrid(_Grid):
    HEADERS = ("Time", "What happened", "Serious", "Action taken")

    def __init__(self, day: date, parent: QWidget | None = None) -> None:
        super().__init__(self.HEADERS, parent)
        self.setObjectName("events_grid")
        self.day = day

    def load(self, events: Sequence[AdverseEvent]) -> None:
        self.setRowCount(0)
        for e in events:
            self.add_row(e)

    def add_row(self, e: AdverseEvent | None = None) -> int:
        row = self.rowCount()
        self.insertRow(row)
        self.setItem(row, 0, text_item(fmt_clock(e.time) if e else ""))
        self.setItem(row, 1, text_item(e.description if e else ""))
        serious = text_item("")
        serious.setFlags(serious.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        serious.setCheckState(Qt.CheckState.Checked if e and e.serious else Qt.CheckState.Unchecked)
        self.setItem(row, 2, serious)
        self.setItem(row, 3, text_item(e.action if e else ""))
        return row

    def events(self) -> tuple[AdverseEvent, ...]:
        out: list[AdverseEvent] = []
        for row in range(self.rowCount()):
            when = read_cell(self, row, 0, read_clock)
            what = cell_text(self, row, 1).strip()
            if when is None and not what:
                continue
            if when is None:
                mark(self.item(row, 0), "invalid", "when did it happen?")
                raise CellProblem(self, row, 0, "an adverse event needs its time")
            item = self.item(row, 2)
            out.append(
                AdverseEvent(
                    time=on_day(self.day, when),  # type: ignore[arg-type]
                    description=what,
                    serious=item is not None and item.checkState() == Qt.CheckState.Checked,
                    action=cell_text(self, row, 3).strip(),
                )
            )
        return tuple(out)
