"""Staff: roles, credential expiry (expiring soon highlighted), weekly hours, leave, this week's load."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from planner.domain import ROLE_LABELS, WEEKDAYS
from planner.domain.records import StaffMember
from planner.services import staff as staff_service
from planner.services.base import ServiceError
from planner.services.clinic import get_policy
from planner.services.rule_impact import BrokenSession
from planner.services.staff import StaffRow, credential_state
from planner.ui.context import CLINIC, SESSIONS, STAFF, AppContext
from planner.ui.mutation import attempt, show_error
from planner.ui.pages.broken_sessions import RuleImpact
from planner.ui.pages.common import (
    ERROR_BRUSH,
    MUTED_BRUSH,
    WARN_BRUSH,
    Column,
    fmt_date,
    tr,
)
from planner.ui.pages.deactivation import confirm_deactivation
from planner.ui.pages.record_list import RecordListPage
from planner.ui.pages.staff_dialog import StaffDialog

COL_NAME, COL_ROLES, COL_CREDENTIAL, COL_HOURS, COL_LOAD, COL_LEAVE, COL_ACTIVE = range(7)


def _hours_text(r: StaffRow) -> str:
    hours = r.member.hours
    days = sorted({h.weekday for h in hours})
    total = sum(
        (h.end.hour * 60 + h.end.minute) - (h.start.hour * 60 + h.start.minute) for h in hours
    )
    if not days:
        return tr("no hours set")
    return tr("{0} h/week ({1})").format(
        f"{total / 60:g}", " ".join(WEEKDAYS[d].title() for d in days)
    )


def _load_text(m: StaffRow) -> str:
    """Sessions this week and their chair time against the hours on duty."""
    text = tr("1 session · {1} of {2} h") if m.week_sessions == 1 else tr("{0} sessions · {1} of {2} h")
    return text.format(
        m.week_sessions, f"{m.week_minutes / 60:.1f}", f"{m.week_available_minutes / 60:.1f}"
    )


def staff_columns(today: date, warning_days: int) -> list[Column[StaffRow]]:
    def state(r: StaffRow) -> str:
        return credential_state(r.member.credential_expires, today, warning_days)

    def credential_text(r: StaffRow) -> str:
        s = state(r)
        if s == "missing":
            return tr("not recorded")
        suffix = {"expired": tr(" — EXPIRED"), "expiring": tr(" — expires soon")}.get(s, "")
        return fmt_date(r.member.credential_expires) + suffix

    return [
        Column(
            tr("Name"),
            lambda r: r.member.name,
            foreground=lambda r: None if r.member.active else MUTED_BRUSH,
        ),
        Column(
            tr("Roles"), lambda r: ", ".join(tr(ROLE_LABELS.get(x, x)) for x in r.member.roles)
        ),
        Column(
            tr("Credential expires"),
            credential_text,
            lambda r: r.member.credential_expires.isoformat() if r.member.credential_expires else "0",
            background=lambda r: {
                "expired": ERROR_BRUSH,
                "expiring": WARN_BRUSH,
                "missing": WARN_BRUSH,
            }.get(state(r)),
        ),
        Column(tr("Weekly hours"), _hours_text, lambda r: len(r.member.hours)),
        Column(tr("This week"), _load_text, lambda r: r.week_minutes),
        Column(
            tr("Leave this week"),
            lambda r: ", ".join(d.strftime("%a") for d in r.week_leave_days),
            lambda r: len(r.week_leave_days),
        ),
        Column(tr("Active"), lambda r: tr("yes") if r.member.active else tr("no")),
    ]


class StaffPage(RecordListPage[StaffRow]):
    listens_to = frozenset({STAFF, SESSIONS, CLINIC})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            [],
            table_name="staff_table",
            table_label=tr("Staff"),
            search_hint=self.tr("Search name or role…"),
            sort_column=COL_NAME,
            parent=parent,
        )
        self.setObjectName("staff_page")
        #: Hours, leave and deactivating can break booked sessions: they are listed after saving.
        self.impact = RuleImpact(ctx)
        self.show_inactive = QCheckBox(self.tr("Show &inactive"))
        self.show_inactive.toggled.connect(self.refresh)
        self.week_label = QLabel()

        self.act_new = self.action(self.tr("New &staff member…"), self.tr("Ctrl+Shift+S"), self.new_staff)
        self.act_edit = self.action(self.tr("&Edit staff member…"), "", self.edit_selected)
        self.act_active = self.action(self.tr("&Deactivate or reactivate"), "", self.toggle_active)
        self.btn_new = self.push_button(self.tr("&New staff member…"), self.new_staff)
        self.btn_edit = self.push_button(self.tr("E&dit…"), self.edit_selected)
        self.btn_active = self.push_button(self.tr("De&activate"), self.toggle_active)
        self.lay_out(
            [self.btn_new, self.btn_edit, self.btn_active],
            top=self.search_row(self.show_inactive),
            trailing=[self.week_label],
        )
        self.request_refresh()

    def menu_title(self) -> str:
        return self.tr("S&taff")

    def menu_actions(self) -> list[QAction]:
        return [self.act_new, self.act_edit, self.act_active]

    def load_rows(self) -> list[StaffRow]:
        today = self.ctx.today()
        policy = get_policy(self.ctx.db)
        self.model.set_columns(staff_columns(today, policy.credential_warning_days))
        monday = today - timedelta(days=today.weekday())
        self.week_label.setText(
            self.tr("Load of the week {0} – {1}").format(
                f"{monday:%d %b}", f"{monday + timedelta(days=6):%d %b %Y}"
            )
        )
        return staff_service.list_staff(
            self.ctx.db, week_of=today, include_inactive=self.show_inactive.isChecked()
        )

    def ref_of(self, row: StaffRow) -> str:
        return row.member.ref

    def selection_changed(self) -> None:
        chosen = self.selected()
        self.btn_edit.setEnabled(chosen is not None)
        self.btn_active.setEnabled(chosen is not None)
        self.btn_active.setText(
            self.tr("Re&activate")
            if chosen is not None and not chosen.member.active
            else self.tr("De&activate")
        )
        self.act_edit.setEnabled(chosen is not None)
        self.act_active.setEnabled(chosen is not None)

    def new_staff(self) -> StaffDialog:
        return self.open_new(
            StaffMember,
            lambda save: StaffDialog(self, today=self.ctx.today(), save=save),
            lambda m: staff_service.create_staff(self.ctx.db, m),
            {STAFF},
        )

    def edit_selected(self) -> StaffDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        before: list[frozenset[BrokenSession] | None] = []

        def update(m: StaffMember) -> None:
            before.append(self.impact.before())
            staff_service.update_staff(self.ctx.db, m, expected_version=chosen.version)

        dialog = self.open_edit(
            StaffMember,
            chosen.member.ref,
            lambda save: StaffDialog(
                self,
                today=self.ctx.today(),
                save=save,
                member=chosen,
                confirm=lambda m: m.active or self.confirm_deactivation(chosen.member),
            ),
            update,
            {STAFF},
        )
        dialog.accepted.connect(lambda: self.impact.report(self, before[-1] if before else None))
        return dialog

    def confirm_deactivation(self, member: StaffMember) -> bool:
        """Deactivating someone still booked: list their sessions to come and ask."""
        if not member.active:
            return True
        try:
            still = staff_service.future_sessions_of(self.ctx.db, member.ref)
        except ServiceError as exc:
            show_error(self, exc)
            return False
        return confirm_deactivation(self, member.name, still)

    def toggle_active(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        member = chosen.member
        before = self.impact.before()
        if member.active and not self.confirm_deactivation(member):
            return
        done = attempt(
            self.ctx,
            self,
            lambda: staff_service.set_staff_active(self.ctx.db, member.ref, not member.active),
            {STAFF},
        )
        if not done:
            return
        if member.active and not self.show_inactive.isChecked():
            self.show_inactive.setChecked(True)  # still listed, greyed
        self.impact.report(self, before)
