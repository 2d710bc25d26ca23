"""Every planner action as a ``QAction`` with a keyboard shortcut (menus and buttons reuse them)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from planner.domain import SESSION_STATUSES
from planner.ui.planner.card_text import CARD_PROTOCOL, CARD_STAFF, CARD_TIME, CardOptions
from planner.ui.widgets.palette import status_label

if TYPE_CHECKING:
    from planner.ui.planner.page import WeekPlannerPage

_STATUS_KEYS = {"planned": "Alt+1", "confirmed": "Alt+2", "done": "Alt+3", "cancelled": "Alt+4", "no_show": "Alt+5"}


class PlannerActions(QObject):
    def __init__(self, page: WeekPlannerPage) -> None:
        super().__init__(page)
        self.page = page
        tr = self.tr
        self.prev_week = self._make(tr("&Previous week"), ["Ctrl+PgUp", "Alt+Left"], lambda: page.step_week(-1), "go-previous")
        self.next_week = self._make(tr("&Next week"), ["Ctrl+PgDown", "Alt+Right"], lambda: page.step_week(1), "go-next")
        self.today = self._make(tr("&Today"), ["Ctrl+T"], page.go_today, "go-home")
        # Short labels on the navigation buttons; menus keep the full names.
        self.prev_week.setIconText("◀")
        self.next_week.setIconText("▶")
        self.go_to_date = self._make(tr("&Go to date…"), ["Ctrl+G"], self._pick_date)
        self.find = self._make(tr("&Find patient…"), ["Ctrl+F"], self._find)
        self.chair_view = self._make(tr("&Chair view"), ["Ctrl+1"], page.show_chairs)
        self.staff_view = self._make(tr("&Staff view"), ["Ctrl+2"], page.show_staff)
        self.refresh = self._make(tr("&Refresh"), ["F5"], page.reload, "view-refresh")
        self.zoom_in = self._make(tr("Taller &hours"), ["Ctrl+=", "Ctrl++"], lambda: page.zoom(1), "zoom-in")
        self.zoom_out = self._make(tr("Shorter h&ours"), ["Ctrl+-"], lambda: page.zoom(-1), "zoom-out")
        self.zoom_fit = self._make(tr("Hours &fit the window"), ["Ctrl+0"], page.zoom_fit, "zoom-fit-best")
        self.legend = self._make(tr("&Legend"), ["Ctrl+L"], lambda: None)
        self.legend.setCheckable(True)
        self.legend.setChecked(page.legend.isVisibleTo(page))
        self.legend.toggled.connect(page.show_legend)
        self.card_parts: dict[str, QAction] = {}
        for part, text in (
            (CARD_STAFF, tr("Staff &initials")),
            (CARD_TIME, tr("&Time and infusion number")),
            (CARD_PROTOCOL, tr("P&rotocol")),
        ):
            action = QAction(text, self)
            action.setCheckable(True)
            action.setChecked(part in page.card_options.parts())
            action.toggled.connect(self._cards_changed)
            self.card_parts[part] = action
        self.new = self._make(tr("&New session…"), ["Ctrl+N"], lambda: page.new_session(), "document-new")
        self.edit = self._make(tr("&Edit session…"), ["Ctrl+E"], self._edit)
        self.move = self._make(tr("&Move session…"), ["Ctrl+M"], lambda: page.move_with_keyboard())
        self.next_free = self._make(
            tr("Find next &free slot for this patient…"), ["Ctrl+Shift+F"], page.find_next_free_slot
        )
        self.delete = self._make(tr("&Delete session"), ["Del"], self._delete, "edit-delete")
        # Delete only when the week itself has focus, so it never eats a key in a text field.
        self.delete.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        page.removeAction(self.delete)
        page.week_view.addAction(self.delete)
        self.status: dict[str, QAction] = {}
        for status in SESSION_STATUSES:
            self.status[status] = self._make(
                tr("Mark as {status}").format(status=status_label(status)),
                [_STATUS_KEYS[status]],
                partial(self._set_status, status),
            )
        self.autoplan = self._make(tr("&Auto-plan…"), ["Ctrl+Shift+A"], self._autoplan)
        self.record = self._make(tr("Session &record…"), ["Ctrl+R"], self._record)
        self.print_monitoring = self._make(tr("Print &monitoring sheet…"), ["Ctrl+P"], self._monitoring)
        self.print_consent = self._make(tr("Print &consent…"), ["Ctrl+Alt+P"], self._consent)
        self.print_day = self._make(tr("Print &day packet…"), ["Ctrl+Shift+P"], self._day)
        self.print_week = self._make(tr("Print &week…"), ["Ctrl+Shift+W"], self._week)
        self.session_actions = [self.edit, self.move, self.delete, self.next_free, *self.status.values(), self.record, self.print_monitoring, self.print_consent]

    def _make(
        self, text: str, keys: list[str], slot: Callable[[], object], icon: str | None = None
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setToolTip(f"{text.replace('&', '').rstrip('…')} ({keys[0]})")
        if icon:
            from PySide6.QtGui import QIcon

            if QIcon.hasThemeIcon(icon):
                action.setIcon(QIcon.fromTheme(icon))
        action.triggered.connect(lambda _checked=False: slot())
        self.page.addAction(action)
        return action

    def all(self) -> list[QAction]:
        return [a for a in self.findChildren(QAction)]

    def update_enabled(self) -> None:
        ref = self.page.selected_ref()
        for action in self.session_actions:
            action.setEnabled(ref is not None)

    def paperwork_actions(self) -> list[QAction]:
        return [self.print_monitoring, self.print_consent]

    # -- slots --------------------------------------------------------------------
    def _cards_changed(self) -> None:
        parts = [p for p, a in self.card_parts.items() if a.isChecked()]
        self.page.set_card_options(CardOptions.from_parts(parts))

    def _pick_date(self) -> None:
        picker = self.page.navigator.picker
        picker.setFocus()
        picker.edit.selectAll()

    def _find(self) -> None:
        self.page.search.setFocus()
        self.page.search.selectAll()

    def _edit(self) -> None:
        ref = self.page.selected_ref()
        if ref:
            self.page.edit_session(ref)

    def _delete(self) -> None:
        ref = self.page.selected_ref()
        if ref:
            self.page.delete_session(ref)

    def _set_status(self, status: str) -> None:
        ref = self.page.selected_ref()
        if ref:
            self.page.set_status(ref, status)

    def _autoplan(self) -> None:
        from planner.ui.planner.autoplan import start_autoplan

        start_autoplan(self.page)

    def _record(self) -> None:
        ref = self.page.selected_ref()
        if ref:
            from planner.ui.record.record_dialog import open_session_record

            open_session_record(self.page, self.page.ctx, ref)

    # The paperwork dialogs are imported on first use (they are not needed to show the week).
    def _monitoring(self) -> None:
        ref = self.page.selected_ref()
        if ref:
            from planner.ui.paperwork import preview_monitoring

            preview_monitoring(self.page, self.page.ctx, ref)

    def _consent(self) -> None:
        ref = self.page.selected_ref()
        week = self.page.week
        s = week.session(ref) if week and ref else None
        if s is not None:
            from planner.ui.paperwork import preview_consent

            preview_consent(self.page, self.page.ctx, s.course_ref)

    def _day(self) -> None:
        from planner.ui.paperwork import preview_day

        ref = self.page.selected_ref()
        week = self.page.week
        s = week.session(ref) if week and ref else None
        day = s.start.date() if s else (self.page.day_filter or self.page.ctx.today())
        preview_day(self.page, self.page.ctx, day)

    def _week(self) -> None:
        from planner.ui.paperwork import preview_week

        preview_week(self.page, self.page.ctx, self.page.monday)
