"""A table's search box: rows matching every typed word (accents and case aside); Enter
moves the selection to the next matching row.

``FoldingFilterProxy`` replaces Qt's fixed-string filter (which tells "nunez" from
"Nuñez"); ``attach_search`` wires a line edit to it and to the table it filters.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTableView, QWidget

from planner.text_search import matches

AnyIndex = QModelIndex | QPersistentModelIndex


class FoldingFilterProxy(QSortFilterProxyModel):
    """Keeps the rows in which every word of the query appears in some column's text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.query = ""

    def set_query(self, text: str) -> None:
        if text == self.query:
            return
        self.beginFilterChange()
        self.query = text
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:  # noqa: N802
        if not self.query.strip():
            return True
        model = self.sourceModel()
        texts = []
        for column in range(model.columnCount(source_parent)):
            value = model.index(source_row, column, source_parent).data(Qt.ItemDataRole.DisplayRole)
            if value:
                texts.append(str(value))
        return matches(self.query, *texts)


def select_next_row(table: QTableView) -> int:
    """Select the row after the selected one (the first after the last); -1 when none shown."""
    model = table.model()
    count = model.rowCount() if model is not None else 0
    if not count:
        return -1
    rows = table.selectionModel().selectedRows() if table.selectionModel() else []
    row = (rows[0].row() + 1) % count if rows else 0
    table.selectRow(row)
    table.scrollTo(model.index(row, 0), QAbstractItemView.ScrollHint.EnsureVisible)
    return row


def attach_search(edit: QLineEdit, proxy: FoldingFilterProxy, table: QTableView) -> None:
    """Typing filters ``table`` through ``proxy``; Enter selects the next matching row."""
    edit.textChanged.connect(proxy.set_query)
    edit.returnPressed.connect(lambda: select_next_row(table))
    if not edit.toolTip():
        edit.setToolTip(
            edit.tr("Shows the rows with every word typed (accents and capitals do not matter); "
                    "Enter selects the next one")
        )
