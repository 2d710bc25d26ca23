"""Clinic settings page: details and paper, opening hours and closures, chairs, protocols, policy.

The clinic's details, opening hours and policy are one form with one Save: they
are saved together (``save_clinic_settings``) against the version they were
read at, so a refused part saves nothing and the next Save still works.
Chairs, protocols and closure days are lists with their own actions.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from planner.domain.fields import MAX_LOGO_BYTES, check_image
from planner.domain.records import Clinic, OpeningHours
from planner.services import clinic as clinic_service
from planner.services import consent_templates
from planner.services.base import ServiceError, ValidationFailed
from planner.services.clinic import ClinicSettings
from planner.services.protocols import list_protocols
from planner.ui.account.accounts_panel import AccountsPanel
from planner.ui.context import CLINIC, AppContext
from planner.ui.mutation import attempt, commit, show_error
from planner.ui.pages.broken_sessions import RuleImpact
from planner.ui.pages.chairs_panel import ChairsPanel
from planner.ui.pages.common import FieldErrors
from planner.ui.pages.policy_panel import PolicyPanel
from planner.ui.pages.protocols_panel import ProtocolsPanel
from planner.ui.pages.staff_dialog import format_ranges, parse_ranges
from planner.ui.widgets.limits import calendar_field, line_edit

_DAYS = ("&Monday:", "&Tuesday:", "&Wednesday:", "Thu&rsday:", "Fr&iday:", "Sat&urday:", "Su&nday:")


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


class DetailsPanel(QWidget):
    """Letterhead (name, address, phone, logo), paper size and consent template."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.errors = FieldErrors()
        self.name = line_edit(Clinic, "name")
        self.name.setObjectName("clinic_name")
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(60)
        self.phone = line_edit(Clinic, "phone")
        self.logo = QLabel()
        self._logo: bytes | None = None
        logo_browse = QPushButton(self.tr("&Browse…"))
        logo_browse.clicked.connect(self._browse_logo)
        logo_clear = QPushButton(self.tr("No logo"))
        logo_clear.clicked.connect(lambda: self._set_logo(None))
        self.paper = QComboBox()
        self.paper.addItem(self.tr("A4"), "A4")
        self.paper.addItem(self.tr("US Letter"), "Letter")
        self.template = QLabel()
        template_browse = QPushButton(self.tr("Imp&ort wording…"))
        template_browse.clicked.connect(self._browse_template)

        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(logo_browse)
        logo_row.addWidget(logo_clear)
        template_row = QHBoxLayout()
        template_row.addWidget(self.template, 1)
        template_row.addWidget(template_browse)
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        for label, widget, field in (
            (self.tr("Clinic &name:"), self.name, "name"),
            (self.tr("A&ddress:"), self.address, "address"),
            (self.tr("Phone n&umber:"), self.phone, "phone"),
        ):
            form.addRow(_buddy(label, widget), widget)
            form.addRow("", self.errors.label(field, widget))
        form.addRow(_buddy(self.tr("&Logo image:"), self.logo), logo_row)
        form.addRow("", self.errors.label("logo"))
        form.addRow(_buddy(self.tr("Pape&r size:"), self.paper), self.paper)
        form.addRow("", self.errors.label("paper_size", self.paper))
        form.addRow(_buddy(self.tr("Consent &template:"), self.template), template_row)
        form.addRow("", self.errors.label("consent_template"))

    def show_settings(self, settings: ClinicSettings) -> None:
        clinic = settings.clinic
        self.name.setText(clinic.name)
        self.address.setPlainText(clinic.address)
        self.phone.setText(clinic.phone)
        self._set_logo(clinic.logo)
        self.paper.setCurrentIndex(max(0, self.paper.findData(settings.policy.paper_size)))
        self.show_templates()

    def value(self, shown: Clinic) -> Clinic:
        """``shown`` with the letterhead entered here."""
        return dataclasses.replace(
            shown,
            name=self.name.text().strip(),
            address=self.address.toPlainText().strip(),
            phone=self.phone.text().strip(),
            logo=self._logo,
        )

    def _set_logo(self, data: bytes | None) -> None:
        self._logo = data
        if data is None:
            self.logo.setText(self.tr("no logo"))
        else:
            self.logo.setText(self.tr("a logo image (%n KiB)", "", max(1, len(data) // 1024)))

    def _browse_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the clinic logo"), "", self.tr("Images (*.png *.jpg *.jpeg)")
        )
        if not path:
            return
        try:
            file = Path(path)
            if file.stat().st_size > MAX_LOGO_BYTES:
                raise ValueError(f"the logo is larger than {MAX_LOGO_BYTES // 1024} KiB")
            self._set_logo(check_image(file.read_bytes()))
        except (OSError, ValueError) as exc:
            self.errors.show({"logo": str(exc)})

    def show_templates(self) -> None:
        rows = consent_templates.list_templates(self.ctx.db)
        used = [f"{r.template.name} ({', '.join(r.protocols)})" for r in rows if r.protocols]
        self.template.setText("; ".join(used) if used else self.tr("the built-in wording"))

    def _browse_template(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the consent wording"),
            "",
            self.tr("Templates (*.txt *.md);;All files (*)"),
        )
        if not path:
            return
        try:
            text = consent_templates.read_wording_file(path)
            protocols = [r.protocol.ref for r in list_protocols(self.ctx.db)]
            commit(
                self.ctx,
                lambda: consent_templates.import_template(
                    self.ctx.db, Path(path).stem, text, protocols=protocols
                ),
                {CLINIC},
            )
        except ServiceError as exc:
            self.errors.show({"consent_template": str(exc)})
            return
        self.show_templates()


class HoursPanel(QWidget):
    """Weekly opening hours (one or more ranges a day) and closure days."""

    def __init__(self, ctx: AppContext, impact: RuleImpact, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.errors = FieldErrors()
        #: Closures can break booked sessions: they are listed after the change.
        self.impact = impact
        hours_box = QGroupBox(self.tr("Opening hours (e.g. 08:00-18:00; empty = closed)"))
        form = QFormLayout(hours_box)
        self.day_edits: list[QLineEdit] = []
        for index, text in enumerate(_DAYS):
            edit = QLineEdit()
            edit.setObjectName(f"open_{index}")
            self.day_edits.append(edit)
            form.addRow(_buddy(self.tr(text), edit), edit)
        form.addRow("", self.errors.label("opening_hours", *self.day_edits))

        closures_box = QGroupBox(self.tr("Closure days"))
        self.closures = QListWidget()
        self.closure_day = calendar_field(ctx.today(), "closure_day", name=self.tr("Closure day"))
        self.closure_reason = QLineEdit()
        self.closure_reason.setMaxLength(200)
        self.closure_reason.setPlaceholderText(self.tr("reason (optional)"))
        add = QPushButton(self.tr("&Add closure"))
        add.clicked.connect(self.add_closure)
        remove = QPushButton(self.tr("Remove c&losure"))
        remove.clicked.connect(self.remove_closure)
        row = QHBoxLayout()
        row.addWidget(_buddy(self.tr("Da&y:"), self.closure_day))
        row.addWidget(self.closure_day)
        row.addWidget(self.closure_reason, 1)
        row.addWidget(add)
        row.addWidget(remove)
        closures_layout = QVBoxLayout(closures_box)
        closures_layout.addWidget(self.closures)
        closures_layout.addLayout(row)
        closures_layout.addWidget(self.errors.label("day", self.closure_day))

        layout = QHBoxLayout(self)
        layout.addWidget(hours_box)
        layout.addWidget(closures_box, 1)
        self.load_closures()

    def show_settings(self, settings: ClinicSettings) -> None:
        ranges = settings.clinic.opening_hours
        for index, edit in enumerate(self.day_edits):
            edit.setText(format_ranges([(r.open, r.close) for r in ranges if r.weekday == index]))

    def value(self) -> list[OpeningHours]:
        """The ranges typed; ValueError naming the first one that is not a time range."""
        ranges: list[OpeningHours] = []
        for index, edit in enumerate(self.day_edits):
            ranges += [
                OpeningHours(weekday=index, open=a, close=b) for a, b in parse_ranges(edit.text())
            ]
        return ranges

    def load_closures(self) -> None:
        self.closures.clear()
        for c in clinic_service.list_closures(self.ctx.db):
            item = QListWidgetItem(f"{c.day:%a %Y-%m-%d}" + (f" — {c.reason}" if c.reason else ""))
            item.setData(256, c.day.isoformat())
            self.closures.addItem(item)

    def add_closure(self) -> None:
        """Close the clinic on the day typed; then list the booked sessions on that day."""
        day = self.closure_day.value()
        if day is None:
            self.errors.show({"day": self.closure_day.problem()})
            return
        before = self.impact.before()
        try:
            commit(
                self.ctx,
                lambda: clinic_service.add_closure(self.ctx.db, day, self.closure_reason.text()),
                {CLINIC},
            )
        except ValidationFailed as exc:
            self.errors.show({"day": str(exc)})
            return
        except ServiceError as exc:
            show_error(self, exc)
            return
        self.errors.clear()
        self.closure_reason.clear()
        self.impact.report(self, before)

    def remove_closure(self) -> None:
        days = [date.fromisoformat(item.data(256)) for item in self.closures.selectedItems()]
        for day in days:
            self._remove(day)

    def _remove(self, day: date) -> None:
        attempt(self.ctx, self, lambda: clinic_service.remove_closure(self.ctx.db, day), {CLINIC})


class ClinicPage(QWidget):
    """Everything the clinic sets up once: one tab per area; details, hours and policy saved as one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("clinic_page")
        #: Saved hours or a new closure day can break booked sessions: they are listed after.
        self.impact = RuleImpact(ctx)
        self.details = DetailsPanel(ctx)
        self.hours = HoursPanel(ctx, self.impact)
        self.chairs = ChairsPanel(ctx)
        self.protocols = ProtocolsPanel(ctx)
        self.policy = PolicyPanel()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.details, self.tr("Clinic details"))
        self.tabs.addTab(self.hours, self.tr("Opening hours"))
        self.tabs.addTab(self.chairs, self.tr("Chairs"))
        self.tabs.addTab(self.protocols, self.tr("Protocols"))
        self.tabs.addTab(self.policy, self.tr("Policy"))
        self.accounts = AccountsPanel(ctx)
        self.tabs.addTab(self.accounts, self.tr("Accounts"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.save_button = QPushButton(self.tr("&Save clinic settings"))
        self.save_button.setToolTip(self.tr("Saves the clinic details, opening hours and policy"))
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(self.tr("Bac&k to saved"))
        self.revert_button.setToolTip(self.tr("Show the saved settings (unsaved changes are lost)"))
        self.revert_button.clicked.connect(self.load)
        self.status = QLabel()
        self.save_bar = QWidget()
        bar = QHBoxLayout(self.save_bar)
        bar.setContentsMargins(8, 0, 8, 8)
        bar.addWidget(self.save_button)
        bar.addWidget(self.revert_button)
        bar.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.save_bar)
        self.settings: ClinicSettings
        self.load()
        ctx.hub.changed.connect(self._on_changed)

    def menu_title(self) -> str:
        return self.tr("&Clinic")

    def menu_actions(self) -> list[QAction]:
        return [self.chairs.act_new, self.protocols.act_new]

    def _tab_changed(self, _index: int) -> None:
        self.save_bar.setVisible(self.tabs.currentWidget() in (self.details, self.hours, self.policy))

    @Slot()
    def load(self) -> None:
        """Show the saved settings (and remember the version they were read at)."""
        self.settings = clinic_service.get_clinic_settings(self.ctx.db)
        self.details.show_settings(self.settings)
        self.hours.show_settings(self.settings)
        self.policy.show_policy(self.settings.policy)
        self.show_problems({})

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each problem next to its field, on the first tab that has one."""
        for panel in (self.details, self.hours, self.policy):
            panel.errors.show(problems)
        for panel in (self.details, self.hours, self.policy):
            if panel.errors.visible():
                self.tabs.setCurrentWidget(panel)
                break

    def save(self) -> bool:
        """Save details, opening hours and policy in one go; False (nothing saved) if refused."""
        self.status.clear()
        try:
            hours = self.hours.value()
        except ValueError as exc:
            self.show_problems({"opening_hours": str(exc)})
            return False
        details = self.details.value(self.settings.clinic)
        policy = dataclasses.replace(self.policy.value(), paper_size=self.details.paper.currentData())
        shown = self.settings
        hours_changed = sorted(hours, key=lambda r: (r.weekday, r.open)) != list(
            shown.clinic.opening_hours
        )
        # Only new hours or a new policy (e.g. patients at once) can break booked sessions.
        before = self.impact.before() if hours_changed or policy != shown.policy else None
        try:
            commit(
                self.ctx,
                lambda: clinic_service.save_clinic_settings(
                    self.ctx.db,
                    details=details,
                    opening_hours=hours,
                    policy=policy,
                    expected_version=self.settings.version,
                ),
                {CLINIC},
            )
        except ValidationFailed as exc:
            self.show_problems(exc.fields)
            if not exc.fields:
                show_error(self, exc)
            return False
        except ServiceError as exc:
            show_error(self, exc)
            return False
        self.load()
        self.status.setText(self.tr("Saved."))
        self.impact.report(self, before)
        return True

    @Slot(object)
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if CLINIC in kinds:
            self.hours.load_closures()
            self.details.show_templates()
