"""What every list page shares: the table over a proxy, the search box, select by ref, editors.

A page says which rows to show (``load_rows``), what identifies a row
(``ref_of``), which hub words make it refresh (``listens_to``), and what its
buttons do; the table, searching, keeping the selection across refreshes,
reselecting a record after its editor saved, and ``show_ref`` (asked for by
other pages) are done here once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Generic, TypeVar

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.ui.context import AppContext
from planner.ui.mutation import commit
from planner.ui.pages.common import (
    ROW_ROLE,
    Column,
    ListPage,
    RowTableModel,
    compact_rows,
    make_proxy,
)
from planner.ui.widgets.search_filter import attach_search

R = TypeVar("R")
#: The record an editor edits, and the editor.
T = TypeVar("T")
D = TypeVar("D", bound=QDialog)


def record_table(name: str, *, stretch_all: bool = False) -> QTableView:
    """A read-only table of whole rows, one selected at a time."""
    view = QTableView()
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    compact_rows(view)
    header = view.horizontalHeader()
    if stretch_all:
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    else:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
    return view


class RecordListPage(ListPage, Generic[R]):
    """A searchable, sortable list of records with editors that reselect what they saved."""

    #: Hub words (``planner.ui.context``) whose changes this page shows.
    listens_to: frozenset[str] = frozenset()

    def __init__(
        self,
        ctx: AppContext,
        columns: Sequence[Column[R]],
        *,
        table_name: str,
        table_label: str,
        search_hint: str = "",
        sort_column: int = 0,
        sort_order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
        stretch_all: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model: RowTableModel[R] = RowTableModel(columns, self)
        self.proxy = make_proxy(self.model, self)
        self.search = QLineEdit(self)
        self.search.setObjectName(f"{table_name}_search")
        self.search.setPlaceholderText(search_hint)
        self.search.setClearButtonEnabled(True)
        self.search.setVisible(bool(search_hint))
        self.table = record_table(table_name, stretch_all=stretch_all)
        self.table.setAccessibleName(table_label)
        self.table.setModel(self.proxy)
        attach_search(self.search, self.proxy, self.table)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(sort_column, sort_order)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.table.selectionModel().selectionChanged.connect(self.selection_changed)
        ctx.hub.changed.connect(self._on_changed)

    # -- what a page defines ------------------------------------------------------------

    def load_rows(self) -> list[R]:  # pragma: no cover - every page defines it
        raise NotImplementedError

    def ref_of(self, row: R) -> str:  # pragma: no cover - every page defines it
        raise NotImplementedError

    def edit_selected(self) -> QDialog | None:
        """Open the editor of the chosen row (pages with an editor define it)."""
        return None

    def widen(self) -> bool:
        """Show more rows (archived, inactive, closed) so a record can be found; True if it did."""
        return False

    def selection_changed(self) -> None:
        """React to the chosen row (enable its buttons, show its details)."""

    # -- shared -----------------------------------------------------------------------------

    def search_row(self, *extra: QWidget) -> QHBoxLayout:
        """"Search: [box]" followed by ``extra`` widgets (filters of the page)."""
        label = QLabel(self.tr("&Search:"))
        label.setBuddy(self.search)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.search, 1)
        for widget in extra:
            row.addWidget(widget)
        return row

    def push_button(self, text: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
        """A button below the table."""
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    def lay_out(
        self,
        buttons: Sequence[QWidget],
        *,
        top: QLayout | None = None,
        trailing: Sequence[QWidget] = (),
    ) -> None:
        """The page: ``top`` (e.g. the search row), the table, then the ``buttons`` in a row
        (``trailing`` at its right end)."""
        row = QHBoxLayout()
        for widget in buttons:
            row.addWidget(widget)
        row.addStretch(1)
        for widget in trailing:
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        if top is not None:
            layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def action(self, text: str, keys: str, slot: Callable[[], object]) -> QAction:
        """A menu action of the page (with a shortcut when ``keys`` is given)."""
        act = QAction(text, self)
        if keys:
            act.setShortcut(QKeySequence(keys))
        act.triggered.connect(lambda _checked=False: slot())
        return act

    @Slot()
    def refresh(self) -> None:
        self._stale = False
        chosen = self.selected()
        self.model.set_rows(self.load_rows())
        if chosen is not None:
            self.select(self.ref_of(chosen))
        self.selection_changed()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & self.listens_to:
            self.request_refresh()

    def _activated(self, _index: QModelIndex) -> None:
        self.edit_selected()

    def selected(self) -> R | None:
        model = self.table.selectionModel()
        indexes = model.selectedRows() if model is not None else []
        return indexes[0].data(ROW_ROLE) if indexes else None

    def select(self, ref: str) -> bool:
        """Select the row of ``ref`` among those shown; False when it is not shown."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            found = index.data(ROW_ROLE)
            if found is not None and self.ref_of(found) == ref:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def show_ref(self, ref: str) -> bool:
        """Select ``ref`` (clearing the search, showing more rows if it is not shown)."""
        if self._stale:
            self.refresh()
        self.search.clear()
        if self.select(ref):
            return True
        return self.widen() and self.select(ref)

    def open_editor(self, dialog: D, saved_ref: Callable[[], str | None]) -> D:
        """Open ``dialog``; once it saved, select the record ``saved_ref()`` names."""
        dialog.accepted.connect(lambda: self._reselect(saved_ref()))
        dialog.open()
        return dialog

    def open_new(
        self,
        kind: type[T],
        make: Callable[[Callable[[T], None]], D],
        create: Callable[[T], str],
        changes: Iterable[str],
    ) -> D:
        """The dialog ``make(save)`` for a new record of ``kind``; saving runs ``create`` (a
        service call returning the new ref) on the mutation path, then selects the new record."""
        created: list[str] = []

        def save(record: T) -> None:
            created.append(commit(self.ctx, lambda: create(record), changes))

        return self.open_editor(make(save), lambda: created[-1] if created else None)

    def open_edit(
        self,
        kind: type[T],
        ref: str,
        make: Callable[[Callable[[T], None]], D],
        update: Callable[[T], object],
        changes: Iterable[str],
    ) -> D:
        """The dialog ``make(save)`` for the record ``ref`` of ``kind``; saving runs ``update``
        on the mutation path, then selects the record again."""

        def save(record: T) -> None:
            commit(self.ctx, lambda: update(record), changes)

        return self.open_editor(make(save), lambda: ref)

    def _reselect(self, ref: str | None) -> None:
        if not ref:
            return
        if self._stale:
            self.refresh()
        self.search.clear()
        self.select(ref)
