"""Add/edit a staff member: roles, credential expiry, weekly hours (several ranges a day), leave."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time
from typing import cast

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain import ROLES, WEEKDAY_NAMES
from planner.domain.records import Leave, StaffMember, WeeklyHours
from planner.domain.vocabulary import Role
from planner.services.staff import StaffRow, staff_problems
from planner.ui.pages.common import tr
from planner.ui.pages.record_dialog import RecordDialog
from planner.ui.widgets.limits import calendar_field, line_edit

#: Day labels with access keys that do not clash with the rest of the dialog.
_DAY_MNEMONICS = (
    "&Monday:",
    "Tu&esday:",
    "&Wednesday:",
    "T&hursday:",
    "Fr&iday:",
    "Saturday:",
    "Sunday:",
)
_RANGE = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*[-–]\s*(\d{1,2})(?::(\d{2}))?\s*$")


def parse_ranges(text: str) -> list[tuple[time, time]]:
    """``"08:00-12:00, 13:00-17:30"`` → ranges; raises ValueError naming the bad part."""
    out = []
    for part in (p for p in re.split(r"[,;]", text) if p.strip()):
        m = _RANGE.match(part)
        try:
            if not m:
                raise ValueError
            start = time(int(m[1]), int(m[2] or 0))
            end = time(int(m[3]), int(m[4] or 0))
        except ValueError:
            raise ValueError(
                tr("“{0}” is not a time range like 08:00-12:30").format(part.strip())
            ) from None
        out.append((start, end))
    return out


def format_ranges(ranges: list[tuple[time, time]]) -> str:
    return ", ".join(f"{a:%H:%M}-{b:%H:%M}" for a, b in ranges)


class StaffDialog(RecordDialog[StaffMember]):
    def __init__(
        self,
        parent: QWidget | None,
        *,
        today: date,
        save: Callable[[StaffMember], object],
        member: StaffRow | None = None,
        confirm: Callable[[StaffMember], bool] | None = None,
    ) -> None:
        super().__init__(parent, save=save, confirm=confirm)
        self.setWindowTitle(self.tr("Edit staff member") if member else self.tr("New staff member"))
        self._ref = member.member.ref if member else ""

        self.name = line_edit(StaffMember, "name")
        self.role_boxes: dict[str, QCheckBox] = {}
        roles_row = QHBoxLayout()
        for role, mnemonic in zip(
            ROLES, ("&Psychiatrist", "&Anesthesiologist", "Infusion n&urse"), strict=True
        ):
            box = QCheckBox(self.tr(mnemonic))
            box.setObjectName(f"role_{role}")
            self.role_boxes[role] = box
            roles_row.addWidget(box)
        self.expires = QLineEdit()
        self.expires.setObjectName("credential_expires")
        self.expires.setPlaceholderText(self.tr("YYYY-MM-DD (empty = none recorded)"))
        self.expires.setMaxLength(10)
        self.active = QCheckBox(self.tr("Ac&tive (can be assigned to sessions)"))
        self.active.setChecked(True)

        form = QFormLayout()
        self.add_row(form, self.tr("&Name:"), self.name, "name")
        form.addRow(self.tr("Roles:"), roles_row)
        form.addRow("", self.errors.label("roles", *self.role_boxes.values()))
        self.add_row(
            form, self.tr("&Credential / licence expires:"), self.expires, "credential_expires"
        )
        form.addRow("", self.active)

        hours_box = QGroupBox(
            self.tr("Weekly hours (e.g. 08:00-12:00, 13:00-17:00; empty = not working)")
        )
        hours_form = QFormLayout(hours_box)
        self.day_edits: list[QLineEdit] = []
        for index in range(7):
            edit = QLineEdit()
            edit.setObjectName(f"hours_{index}")
            label = QLabel(self.tr(_DAY_MNEMONICS[index]))
            label.setBuddy(edit)
            self.day_edits.append(edit)
            hours_form.addRow(label, edit)
        copy = QPushButton(self.tr("Cop&y Monday to Tuesday–Friday"))
        copy.clicked.connect(self._copy_monday)
        hours_form.addRow("", copy)
        hours_form.addRow("", self.errors.label("hours", *self.day_edits))

        leave_box = QGroupBox(self.tr("Leave (both dates included)"))
        self.leave_list = QListWidget()
        self.leave_list.setObjectName("leave_list")
        self.leave_from = calendar_field(today, "leave_from", name=self.tr("Leave from"))
        self.leave_to = calendar_field(today, "leave_to", name=self.tr("Leave to"))
        add = QPushButton(self.tr("A&dd leave"))
        add.clicked.connect(self.add_leave)
        remove = QPushButton(self.tr("Remo&ve leave"))
        remove.clicked.connect(self._remove_leave)
        leave_row = QHBoxLayout()
        from_label = QLabel(self.tr("&From:"))
        from_label.setBuddy(self.leave_from)
        to_label = QLabel(self.tr("T&o:"))
        to_label.setBuddy(self.leave_to)
        for w in (from_label, self.leave_from, to_label, self.leave_to, add, remove):
            leave_row.addWidget(w)
        leave_layout = QVBoxLayout(leave_box)
        leave_layout.addWidget(self.leave_list)
        leave_layout.addLayout(leave_row)
        leave_layout.addWidget(
            self.errors.label("leave", self.leave_list, self.leave_from, self.leave_to)
        )

        columns = QHBoxLayout()
        columns.addWidget(hours_box)
        columns.addWidget(leave_box)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(columns)
        layout.addWidget(self.buttons)
        if member is not None:
            self._fill(member.member)
        self.name.setFocus()

    def _fill(self, m: StaffMember) -> None:
        self.name.setText(m.name)
        for role in m.roles:
            if role in self.role_boxes:
                self.role_boxes[role].setChecked(True)
        if m.credential_expires:
            self.expires.setText(m.credential_expires.isoformat())
        self.active.setChecked(m.active)
        for index, edit in enumerate(self.day_edits):
            edit.setText(format_ranges([(h.start, h.end) for h in m.hours if h.weekday == index]))
        for lv in m.leave:
            self._add_leave_item(lv.start, lv.end)

    def _copy_monday(self) -> None:
        for edit in self.day_edits[1:5]:
            edit.setText(self.day_edits[0].text())

    def _add_leave_item(self, start: date, end: date) -> None:
        item = QListWidgetItem(f"{start:%Y-%m-%d} – {end:%Y-%m-%d}")
        item.setData(256, (start, end))
        self.leave_list.addItem(item)

    def add_leave(self) -> None:
        start, end = self.leave_from.value(), self.leave_to.value()
        if start is None or end is None:
            field = self.leave_from if start is None else self.leave_to
            self.errors.show({"leave": field.problem()})
            return
        if end < start:
            self.errors.show({"leave": self.tr("The leave ends before it starts.")})
            return
        self.errors.show({})
        self._add_leave_item(start, end)

    def _remove_leave(self) -> None:
        for item in self.leave_list.selectedItems():
            self.leave_list.takeItem(self.leave_list.row(item))

    def value(self) -> tuple[StaffMember, dict[str, str]]:
        """The entered staff member, and problems found while reading the fields."""
        problems: dict[str, str] = {}
        hours: list[WeeklyHours] = []
        for index, edit in enumerate(self.day_edits):
            try:
                hours += [
                    WeeklyHours(weekday=index, start=a, end=b) for a, b in parse_ranges(edit.text())
                ]
            except ValueError as exc:
                problems.setdefault("hours", f"{self.tr(WEEKDAY_NAMES[index])}: {exc}")
        leave = []
        for row in range(self.leave_list.count()):
            start, end = self.leave_list.item(row).data(256)
            leave.append(Leave(start=start, end=end))
        expires: date | None = None
        if self.expires.text().strip():
            try:
                expires = date.fromisoformat(self.expires.text().strip())
            except ValueError:
                problems["credential_expires"] = self.tr("Enter the date as YYYY-MM-DD.")
        data = StaffMember(
            ref=self._ref,
            name=self.name.text().strip(),
            roles=cast(
                "tuple[Role, ...]",
                tuple(r for r, box in self.role_boxes.items() if box.isChecked()),
            ),
            credential_expires=expires,
            hours=tuple(hours),
            leave=tuple(leave),
            active=self.active.isChecked(),
        )
        return data, problems

    def check(self, record: StaffMember) -> dict[str, str]:
        return staff_problems(record, new=not self._ref)
