"""Chairs and rooms: a table with add, edit and retire (a chair with history is never deleted)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.services import chairs as chair_service
from planner.services.chairs import ChairInput, ChairSnapshot
from planner.ui.context import CHAIRS, AppContext
from planner.ui.pages.common import (
    MUTED_BRUSH,
    ROW_ROLE,
    Column,
    FieldErrors,
    RowTableModel,
    compact_rows,
    make_proxy,
    save_or_show,
    tr,
)

COL_NAME, COL_ROOM, COL_ACTIVE = range(3)


def chair_columns() -> list[Column[ChairSnapshot]]:
    return [
        Column(
            tr("Chair"), lambda c: c.name, foreground=lambda c: None if c.active else MUTED_BRUSH
        ),
        Column(tr("Room"), lambda c: c.room),
        Column(tr("In use"), lambda c: tr("yes") if c.active else tr("retired")),
    ]


class ChairDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        save: Callable[[ChairInput], object],
        chair: ChairSnapshot | None = None,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self.setWindowTitle(self.tr("Edit chair") if chair else self.tr("New chair"))
        self.errors = FieldErrors()
        self.name = QLineEdit(chair.name if chair else "")
        self.name.setObjectName("chair_name")
        self.room = QLineEdit(chair.room if chair else "")
        self.active = QCheckBox(self.tr("&In use"))
        self.active.setChecked(chair.active if chair else True)
        form = QFormLayout(self)
        name_label = QLabel(self.tr("&Name:"))
        name_label.setBuddy(self.name)
        room_label = QLabel(self.tr("&Room:"))
        room_label.setBuddy(self.room)
        form.addRow(name_label, self.name)
        form.addRow("", self.errors.label("name", self.name))
        form.addRow(room_label, self.room)
        form.addRow("", self.errors.label("room", self.room))
        form.addRow("", self.active)
        self.buttons = buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.errors.live(lambda: chair_service.validate_chair(self.value()))

    def value(self) -> ChairInput:
        return ChairInput(self.name.text(), self.room.text(), self.active.isChecked())

    def try_save(self) -> None:
        data = self.value()
        problems = chair_service.validate_chair(data)
        save_or_show(self, problems, lambda: self._save(data), self.errors.show)


class ChairsPanel(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model: RowTableModel[ChairSnapshot] = RowTableModel(chair_columns(), self)
        self.proxy = make_proxy(self.model, self)
        self.table = QTableView()
        self.table.setObjectName("chairs_table")
        self.table.setAccessibleName(self.tr("Chairs"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_ROOM, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_rows(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.act_new = QAction(self.tr("New c&hair…"), self)
        self.act_new.setShortcut(QKeySequence(self.tr("Ctrl+Shift+H")))
        self.act_new.triggered.connect(self.new_chair)
        new = QPushButton(self.tr("&New chair…"))
        new.clicked.connect(self.new_chair)
        self.btn_edit = QPushButton(self.tr("E&dit…"))
        self.btn_edit.clicked.connect(self.edit_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(new)
        buttons.addWidget(self.btn_edit)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_rows(chair_service.list_chairs(self.ctx.db))

    def selected(self) -> ChairSnapshot | None:
        indexes = self.table.selectionModel().selectedRows()
        row = indexes[0].data(ROW_ROLE) if indexes else None
        return row if isinstance(row, ChairSnapshot) else None

    def _activated(self, _index: QModelIndex) -> None:
        self.edit_selected()

    def new_chair(self) -> ChairDialog:
        dialog = ChairDialog(self, save=lambda data: chair_service.create_chair(self.ctx.db, data))
        dialog.accepted.connect(self._saved)
        dialog.open()
        return dialog

    def edit_selected(self) -> ChairDialog | None:
        chair = self.selected()
        if chair is None:
            return None
        dialog = ChairDialog(
            self,
            chair=chair,
            save=lambda data: chair_service.update_chair(
                self.ctx.db, chair.ref, data, expected_version=chair.version
            ),
        )
        dialog.accepted.connect(self._saved)
        dialog.open()
        return dialog

    def _saved(self) -> None:
        self.refresh()
        self.ctx.hub.notify({CHAIRS})
