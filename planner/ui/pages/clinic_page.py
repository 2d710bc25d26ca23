"""Clinic settings page: details and paper, opening hours and closures, chairs, protocols, policy."""

from __future__ import annotations

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
from planner.services import clinic_settings as settings_service
from planner.services import consent_templates
from planner.services.base import ServiceError, ValidationFailed
from planner.services.clinic_settings import ClinicInfo, OpeningRange
from planner.ui.context import CHAIRS, CLINIC, AppContext
from planner.ui.pages.broken_sessions import RuleImpact
from planner.ui.pages.chairs_panel import ChairsPanel
from planner.ui.pages.common import FieldErrors, show_error
from planner.ui.pages.policy_panel import PolicyPanel
from planner.ui.pages.protocols_panel import ProtocolsPanel
from planner.ui.pages.staff_dialog import format_ranges, parse_ranges
from planner.ui.widgets.date_field import DateField

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
        self._version = 0
        self.name = QLineEdit()
        self.name.setObjectName("clinic_name")
        self.address = QPlainTextEdit()
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(60)
        self.phone = QLineEdit()
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
        self.save_button = QPushButton(self.tr("&Save clinic details"))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()

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
        form.addRow(_buddy(self.tr("Clinic &name:"), self.name), self.name)
        form.addRow("", self.errors.label("name", self.name))
        form.addRow(_buddy(self.tr("A&ddress:"), self.address), self.address)
        form.addRow(_buddy(self.tr("Phone n&umber:"), self.phone), self.phone)
        form.addRow(_buddy(self.tr("&Logo image:"), self.logo), logo_row)
        form.addRow("", self.errors.label("logo", self.logo))
        form.addRow(_buddy(self.tr("Pape&r size:"), self.paper), self.paper)
        form.addRow(_buddy(self.tr("Consent &template:"), self.template), template_row)
        form.addRow("", self.errors.label("consent_template", self.template))
        form.addRow(self.save_button, self.status)
        self.load()

    def load(self) -> None:
        info = settings_service.get_clinic(self.ctx.db)
        policy = settings_service.get_policy(self.ctx.db)
        self._version = info.version
        self.name.setText(info.name)
        self.address.setPlainText(info.address)
        self.phone.setText(info.phone)
        self._set_logo(info.logo)
        self.paper.setCurrentIndex(max(0, self.paper.findData(policy.paper_size)))
        self._show_templates()
        self.errors.clear()

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

    def _show_templates(self) -> None:
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
            protocols = [p.ref for p in settings_service.list_protocols(self.ctx.db)]
            consent_templates.import_template(
                self.ctx.db, Path(path).stem, text, protocols=protocols
            )
        except ServiceError as exc:
            self.errors.show({"consent_template": str(exc)})
            return
        self._show_templates()

    def save(self) -> bool:
        info = ClinicInfo(
            name=self.name.text(),
            address=self.address.toPlainText(),
            phone=self.phone.text(),
            logo=self._logo,
            version=self._version,
        )
        try:
            settings_service.update_clinic(self.ctx.db, info)
            settings_service.update_policy(
                self.ctx.db,
                paper_size=self.paper.currentData(),
            )
        except ValidationFailed as exc:
            self.errors.show(exc.fields)
            if not exc.fields:
                show_error(self, exc)
            return False
        except ServiceError as exc:
            show_error(self, exc)
            return False
        self.load()
        self.status.setText(self.tr("Saved."))
        self.ctx.hub.notify({CLINIC})
        return True


class HoursPanel(QWidget):
    """Weekly opening hours (one or more ranges a day) and closure days."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.errors = FieldErrors()
        self.impact = RuleImpact(ctx)
        hours_box = QGroupBox(self.tr("Opening hours (e.g. 08:00-18:00; empty = closed)"))
        form = QFormLayout(hours_box)
        self.day_edits: list[QLineEdit] = []
        for index, text in enumerate(_DAYS):
            edit = QLineEdit()
            edit.setObjectName(f"open_{index}")
            self.day_edits.append(edit)
            form.addRow(_buddy(self.tr(text), edit), edit)
        form.addRow("", self.errors.label("opening_hours", *self.day_edits))
        self.save_hours_button = QPushButton(self.tr("&Save opening hours"))
        self.save_hours_button.clicked.connect(self.save_hours)
        form.addRow("", self.save_hours_button)

        closures_box = QGroupBox(self.tr("Closure days"))
        self.closures = QListWidget()
        today = ctx.today()
        self.closure_day = DateField(today, name=self.tr("Closure day"))
        self.closure_reason = QLineEdit()
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
        self.load()

    def load(self) -> None:
        ranges = settings_service.get_opening_hours(self.ctx.db)
        for index, edit in enumerate(self.day_edits):
            edit.setText(format_ranges([(r.open, r.close) for r in ranges if r.weekday == index]))
        self.closures.clear()
        for c in settings_service.list_closures(self.ctx.db):
            item = QListWidgetItem(f"{c.day:%a %Y-%m-%d}" + (f" — {c.reason}" if c.reason else ""))
            item.setData(256, c.day.isoformat())
            self.closures.addItem(item)

    def save_hours(self) -> bool:
        """Save the opening hours; then list the booked sessions they now leave outside."""
        ranges: list[OpeningRange] = []
        for index, edit in enumerate(self.day_edits):
            try:
                ranges += [OpeningRange(index, a, b) for a, b in parse_ranges(edit.text())]
            except ValueError as exc:
                self.errors.show({"opening_hours": str(exc)})
                return False
        before = self.impact.before()
        try:
            settings_service.set_opening_hours(self.ctx.db, ranges)
        except ValidationFailed as exc:
            self.errors.show(exc.fields)
            return False
        except ServiceError as exc:
            show_error(self, exc)
            return False
        self.errors.clear()
        self.ctx.hub.notify({CLINIC})
        self.impact.report(self, before)
        return True

    def add_closure(self) -> None:
        day = self.closure_day.value()
        if day is None:
            self.errors.show({"day": self.closure_day.problem()})
            return
        before = self.impact.before()
        try:
            settings_service.add_closure(self.ctx.db, day, self.closure_reason.text())
        except ValidationFailed as exc:
            self.errors.show({"day": str(exc)})
            return
        except ServiceError as exc:
            show_error(self, exc)
            return
        self.errors.clear()
        self.closure_reason.clear()
        self.ctx.hub.notify({CLINIC})
        self.impact.report(self, before)

    def remove_closure(self) -> None:
        for item in self.closures.selectedItems():
            try:
                settings_service.remove_closure(self.ctx.db, date.fromisoformat(item.data(256)))
            except ServiceError as exc:
                show_error(self, exc)
        self.ctx.hub.notify({CLINIC})


class ClinicPage(QWidget):
    """Everything the clinic sets up once: one tab per area."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("clinic_page")
        self.details = DetailsPanel(ctx)
        self.hours = HoursPanel(ctx)
        self.chairs = ChairsPanel(ctx)
        self.protocols = ProtocolsPanel(ctx)
        self.policy = PolicyPanel(ctx)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.details, self.tr("Clinic details"))
        self.tabs.addTab(self.hours, self.tr("Opening hours"))
        self.tabs.addTab(self.chairs, self.tr("Chairs"))
        self.tabs.addTab(self.protocols, self.tr("Protocols"))
        self.tabs.addTab(self.policy, self.tr("Policy"))
        from planner.ui.account.accounts_panel import AccountsPanel

        self.accounts = AccountsPanel(ctx)
        self.tabs.addTab(self.accounts, self.tr("Accounts"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        ctx.hub.changed.connect(self._on_changed)

    def menu_title(self) -> str:
        return self.tr("&Clinic")

    def menu_actions(self) -> list[QAction]:
        return [self.chairs.act_new, self.protocols.act_new]

    @Slot(object)
    def _on_changed(self, kinds: frozenset[str]) -> None:
        if CLINIC in kinds:
            self.hours.load()
            self.protocols.refresh()
            self.policy.load()
        if CHAIRS in kinds:
            self.chairs.refresh()
