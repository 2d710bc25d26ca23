"""Chairs and rooms: a table with add, edit and retire (a chair with history is never deleted)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QCheckBox, QFormLayout, QWidget

from planner.domain.records import Chair
from planner.services import chairs as chair_service
from planner.services.chairs import ChairRow, chair_problems
from planner.ui.context import CHAIRS, AppContext
from planner.ui.pages.common import MUTED_BRUSH, Column, tr
from planner.ui.pages.deactivation import confirm_deactivation
from planner.ui.pages.record_dialog import RecordDialog
from planner.ui.pages.record_list import RecordListPage
from planner.ui.widgets.limits import line_edit

COL_NAME, COL_ROOM, COL_ACTIVE = range(3)


def chair_columns() -> list[Column[ChairRow]]:
    return [
        Column(
            tr("Chair"),
            lambda r: r.chair.name,
            foreground=lambda r: None if r.chair.active else MUTED_BRUSH,
        ),
        Column(tr("Room"), lambda r: r.chair.room),
        Column(tr("In use"), lambda r: tr("yes") if r.chair.active else tr("retired")),
    ]


class ChairDialog(RecordDialog[Chair]):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        save: Callable[[Chair], object],
        chair: ChairRow | None = None,
        confirm: Callable[[Chair], bool] | None = None,
    ) -> None:
        super().__init__(parent, save=save, confirm=confirm)
        self.setWindowTitle(self.tr("Edit chair") if chair else self.tr("New chair"))
        self._ref = chair.chair.ref if chair else ""
        self.name = line_edit(Chair, "name", chair.chair.name if chair else "")
        self.name.setObjectName("chair_name")
        self.room = line_edit(Chair, "room", chair.chair.room if chair else "")
        self.active = QCheckBox(self.tr("&In use"))
        self.active.setChecked(chair.chair.active if chair else True)
        form = QFormLayout(self)
        self.add_row(form, self.tr("&Name:"), self.name, "name")
        self.add_row(form, self.tr("&Room:"), self.room, "room")
        form.addRow("", self.active)
        form.addRow(self.buttons)

    def value(self) -> tuple[Chair, dict[str, str]]:
        record = Chair(
            ref=self._ref,
            name=self.name.text().strip(),
            room=self.room.text().strip(),
            active=self.active.isChecked(),
        )
        return record, {}

    def check(self, record: Chair) -> dict[str, str]:
        return chair_problems(record, new=not self._ref)


class ChairsPanel(RecordListPage[ChairRow]):
    listens_to = frozenset({CHAIRS})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            chair_columns(),
            table_name="chairs_table",
            table_label=tr("Chairs"),
            sort_column=COL_ROOM,
            stretch_all=True,
            parent=parent,
        )
        self.act_new = self.action(self.tr("New c&hair…"), self.tr("Ctrl+Shift+H"), self.new_chair)
        self.btn_edit = self.push_button(self.tr("E&dit…"), self.edit_selected)
        self.lay_out([self.push_button(self.tr("&New chair…"), self.new_chair), self.btn_edit])
        self.request_refresh()

    def load_rows(self) -> list[ChairRow]:
        return chair_service.list_chairs(self.ctx.db)

    def ref_of(self, row: ChairRow) -> str:
        return row.chair.ref

    def new_chair(self) -> ChairDialog:
        return self.open_new(
            Chair,
            lambda save: ChairDialog(self, save=save),
            lambda c: chair_service.create_chair(self.ctx.db, c),
            {CHAIRS},
        )

    def edit_selected(self) -> ChairDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None

        def confirm(edited: Chair) -> bool:
            if not chosen.chair.active or edited.active:
                return True
            still = chair_service.future_sessions_on(self.ctx.db, chosen.chair.ref)
            return confirm_deactivation(self, chosen.chair.name, still)

        return self.open_edit(
            Chair,
            chosen.chair.ref,
            lambda save: ChairDialog(self, chair=chosen, save=save, confirm=confirm),
            lambda c: chair_service.update_chair(self.ctx.db, c, expected_version=chosen.version),
            {CHAIRS},
        )
