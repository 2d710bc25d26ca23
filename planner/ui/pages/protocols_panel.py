"""Protocols: durations, spacing and dose; add, edit, delete an unused one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.services import clinic_settings as settings_service
from planner.services.base import ServiceError
from planner.services.clinic_settings import ProtocolInput, ProtocolSnapshot
from planner.ui.context import CLINIC, AppContext
from planner.ui.pages.common import (
    ROW_ROLE,
    Column,
    FieldErrors,
    RowTableModel,
    compact_rows,
    make_proxy,
    save_or_show,
    show_error,
    tr,
)


def protocol_columns() -> list[Column[ProtocolSnapshot]]:
    return [
        Column(tr("Protocol"), lambda p: p.name),
        Column(
            tr("Infusions"), lambda p: str(p.infusions), lambda p: p.infusions, align_right=True
        ),
        Column(
            tr("Chair time"),
            lambda p: tr("{0} + {1} + {2} min").format(
                p.prep_minutes, p.infusion_minutes, p.recovery_minutes
            ),
            lambda p: p.prep_minutes + p.infusion_minutes + p.recovery_minutes,
        ),
        Column(
            tr("Min. hours apart"),
            lambda p: f"{p.min_hours_between:g}",
            lambda p: p.min_hours_between,
            align_right=True,
        ),
        Column(
            tr("Max. per 7 days"),
            lambda p: str(p.max_per_7_days),
            lambda p: p.max_per_7_days,
            align_right=True,
        ),
        Column(
            tr("Max. gap (days)"),
            lambda p: str(p.max_gap_days),
            lambda p: p.max_gap_days,
            align_right=True,
        ),
        Column(tr("Dose"), lambda p: f"{p.dose_mg_per_kg:g} mg/kg", lambda p: p.dose_mg_per_kg),
        Column(tr("Courses"), lambda p: str(p.courses), lambda p: p.courses, align_right=True),
    ]


#: field, label, minimum, maximum, suffix, decimals
_FIELDS = (
    ("infusions", "&Infusions in a course:", 1, 200, "", 0),
    ("prep_minutes", "&Preparation:", 0, 1440, " min", 0),
    ("infusion_minutes", "In&fusion:", 1, 1440, " min", 0),
    ("recovery_minutes", "&Recovery (monitored):", 0, 1440, " min", 0),
    ("min_hours_between", "&At least … apart:", 0, 8760, " h", 1),
    ("max_per_7_days", "At &most … in 7 days:", 1, 50, "", 0),
    ("max_gap_days", "Longest &gap:", 1, 3650, " days", 0),
    ("dose_mg_per_kg", "&Dose:", 0.01, 20, " mg/kg", 2),
)


class ProtocolDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        save: Callable[[ProtocolInput], object],
        protocol: ProtocolSnapshot | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(self.tr("Edit protocol") if protocol else self.tr("New protocol"))
        self.errors = FieldErrors()
        base = protocol or ProtocolInput(name="")
        self.name = QLineEdit(base.name)
        self.name.setObjectName("protocol_name")
        form = QFormLayout(self)
        label = QLabel(self.tr("&Name:"))
        label.setBuddy(self.name)
        form.addRow(label, self.name)
        form.addRow("", self.errors.label("name", self.name))
        self.spins: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for field, text, low, high, suffix, decimals in _FIELDS:
            spin: QSpinBox | QDoubleSpinBox
            if decimals:
                spin = QDoubleSpinBox()
                spin.setDecimals(decimals)
                spin.setRange(float(low), float(high))
                spin.setValue(float(getattr(base, field)))
            else:
                spin = QSpinBox()
                spin.setRange(int(low), int(high))
                spin.setValue(int(getattr(base, field)))
            spin.setObjectName(field)
            spin.setSuffix(self.tr(suffix))
            spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
            self.spins[field] = spin
            row_label = QLabel(self.tr(text))
            row_label.setBuddy(spin)
            form.addRow(row_label, spin)
            form.addRow("", self.errors.label(field, spin))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.errors.live(lambda: settings_service.validate_protocol(self.value()))

    def value(self) -> ProtocolInput:
        values: dict[str, float | int] = {f: s.value() for f, s in self.spins.items()}
        return ProtocolInput(name=self.name.text(), **values)  # type: ignore[arg-type]

    def try_save(self) -> None:
        data = self.value()
        problems = settings_service.validate_protocol(data)
        save_or_show(self, problems, lambda: self._save(data), self.errors.show)


class ProtocolsPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model: RowTableModel[ProtocolSnapshot] = RowTableModel(protocol_columns(), self)
        self.proxy = make_proxy(self.model, self)
        self.table = QTableView()
        self.table.setObjectName("protocols_table")
        self.table.setAccessibleName(self.tr("Protocols"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_rows(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.act_new = QAction(self.tr("New &protocol…"), self)
        self.act_new.setShortcut(QKeySequence(self.tr("Ctrl+Shift+R")))
        self.act_new.triggered.connect(self.new_protocol)
        new = QPushButton(self.tr("&New protocol…"))
        new.clicked.connect(self.new_protocol)
        edit = QPushButton(self.tr("E&dit…"))
        edit.clicked.connect(self.edit_selected)
        delete = QPushButton(self.tr("De&lete"))
        delete.clicked.connect(self.delete_selected)
        buttons = QHBoxLayout()
        for b in (new, edit, delete):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(settings_service.list_protocols(self.ctx.db))

    def selected(self) -> ProtocolSnapshot | None:
        indexes = self.table.selectionModel().selectedRows()
        row = indexes[0].data(ROW_ROLE) if indexes else None
        return row if isinstance(row, ProtocolSnapshot) else None

    def _activated(self, _index: QModelIndex) -> None:
        self.edit_selected()

    def new_protocol(self) -> ProtocolDialog:
        dialog = ProtocolDialog(
            self, save=lambda d: settings_service.create_protocol(self.ctx.db, d)
        )
        dialog.accepted.connect(self._saved)
        dialog.open()
        return dialog

    def edit_selected(self) -> ProtocolDialog | None:
        p = self.selected()
        if p is None:
            return None
        dialog = ProtocolDialog(
            self,
            protocol=p,
            save=lambda d: settings_service.update_protocol(
                self.ctx.db, p.ref, d, expected_version=p.version
            ),
        )
        dialog.accepted.connect(self._saved)
        dialog.open()
        return dialog

    def delete_selected(self) -> None:
        p = self.selected()
        if p is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Delete protocol"), self.tr("Delete the protocol {0}?").format(p.name)
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            settings_service.delete_protocol(self.ctx.db, p.ref)
        except ServiceError as exc:
            show_error(self, exc)
            return
        self._saved()

    def _saved(self) -> None:
        self.refresh()
        self.ctx.hub.notify({CLINIC})
