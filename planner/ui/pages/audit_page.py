"""The audit trail: who changed what and when, filterable by patient, record and text."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from planner.services.audit import AuditRow, ChainCheck, list_audit, verify_audit_chain
from planner.ui.context import EVERYTHING, AppContext
from planner.ui.pages.common import Column, tr
from planner.ui.pages.record_list import RecordListPage
from planner.ui.widgets.plural import plural
from planner.ui.worker_slices import short_gil_slices


class _ChainSignals(QObject):
    done = Signal(object)  # a ChainCheck


class _VerifyJob(QRunnable):
    """The full walk of the hash chain, off the GUI thread (a long trail takes seconds)."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = _ChainSignals()
        self._ctx = ctx

    def run(self) -> None:
        try:
            with short_gil_slices():
                result = verify_audit_chain(self._ctx.db)
        except Exception as exc:  # the database went away: say so instead of a result
            result = ChainCheck(0, 0, f"it could not be read ({type(exc).__name__})")
        self.signals.done.emit(result)


A_WHEN, A_USER, A_ACTION, A_WHAT, A_REF, A_PATIENT, A_SUMMARY = range(7)
#: How many events the view shows at most (newest first).
LIMIT = 2000


def audit_columns() -> list[Column[AuditRow]]:
    return [
        Column(
            tr("When"),
            lambda e: f"{e.at:%Y-%m-%d %H:%M:%S}",
            lambda e: f"{e.at.isoformat()}#{e.id:012d}",
        ),
        Column(tr("Who"), lambda e: e.user),
        Column(tr("Action"), lambda e: e.action),
        Column(tr("What"), lambda e: e.entity),
        Column(tr("Record"), lambda e: e.ref),
        Column(tr("Patient"), lambda e: e.patient_ref),
        Column(tr("Summary"), lambda e: e.summary, tooltip=lambda e: e.summary),
    ]


def _pretty(value: dict[str, Any] | None) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str) if value else "—"


class AuditPage(RecordListPage[AuditRow]):
    listens_to = EVERYTHING

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            audit_columns(),
            table_name="audit_table",
            table_label=tr("Audit events"),
            sort_column=A_WHEN,
            sort_order=Qt.SortOrder.DescendingOrder,
            parent=parent,
        )
        self.setObjectName("audit_page")

        self.patient = QLineEdit()
        self.patient.setObjectName("audit_patient")
        self.patient.setPlaceholderText(self.tr("e.g. P-0001"))
        self.record = QLineEdit()
        self.record.setObjectName("audit_record")
        self.record.setPlaceholderText(self.tr("session, course, staff… e.g. X-00012"))
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("words in the summary or user"))
        refresh = QPushButton(self.tr("&Refresh"))
        refresh.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        for label_text, edit in (
            (self.tr("P&atient:"), self.patient),
            (self.tr("Re&cord:"), self.record),
            (self.tr("&Text:"), self.text),
        ):
            label = QLabel(label_text)
            label.setBuddy(edit)
            filters.addWidget(label)
            filters.addWidget(edit, 1)
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self._debounce)
        filters.addWidget(refresh)

        self.details = QPlainTextEdit()
        self.details.setAccessibleName(self.tr("Values before and after"))
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(
            self.tr("Choose an event to see the values before and after.")
        )
        self.count = QLabel()
        #: The hash chain's verification, the same sentence as ``audit verify``.
        self.chain = QLabel()
        self.chain.setObjectName("audit_chain")
        self.chain.setWordWrap(True)
        self.chain.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_button = QPushButton(self.tr("Verify the &whole trail"))
        self.verify_button.setObjectName("audit_verify")
        self.verify_button.clicked.connect(self.verify_all)
        self.last_check: ChainCheck | None = None
        self._pool = QThreadPool(self)
        self._verifying = False

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        layout = QVBoxLayout(self)
        chain_row = QHBoxLayout()
        chain_row.addWidget(self.chain, 1)
        chain_row.addWidget(self.verify_button)
        layout.addLayout(chain_row)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.refresh)
        self.request_refresh()

    def _debounce(self) -> None:
        self._timer.start()

    def filter_by(self, *, patient_ref: str = "", ref: str = "") -> None:
        """Show only the events of one patient and/or one record (e.g. from another page)."""
        self.patient.setText(patient_ref)
        self.record.setText(ref)
        self.refresh()

    def ref_of(self, row: AuditRow) -> str:
        return str(row.id)

    def load_rows(self) -> list[AuditRow]:
        self._timer.stop()
        rows = list_audit(
            self.ctx.db,
            patient_ref=self.patient.text(),
            ref=self.record.text(),
            text=self.text.text(),
            limit=LIMIT,
        )
        shown = plural(len(rows), self.tr("1 event"), self.tr("{n} events"))
        if len(rows) >= LIMIT:
            shown += self.tr(" (the newest {0}; narrow the filter to see older ones)").format(LIMIT)
        self.count.setText(shown)
        if self.last_check is not None and self.last_check.ok:
            # Only the events added since the last walk (and the last one still unchanged).
            self._show_chain(verify_audit_chain(self.ctx.db, since=self.last_check))
        elif self.last_check is None:
            self.verify_all()
        return rows

    @Slot()
    def verify_all(self) -> None:
        """Walk the whole chain again, in the background (the same check as ``audit verify``)."""
        if self._verifying:
            return
        self._verifying = True
        self.verify_button.setEnabled(False)
        self.chain.setText(self.tr("Verifying the audit trail…"))
        self.chain.setStyleSheet("")
        job = _VerifyJob(self.ctx)
        job.signals.done.connect(self._verified)
        self._pool.start(job)

    @Slot(object)
    def _verified(self, check: ChainCheck) -> None:
        self._verifying = False
        self.verify_button.setEnabled(True)
        self._show_chain(check)

    def wait(self, msecs: int = 60000) -> bool:
        """Wait for a running verification (closing, tests)."""
        return self._pool.waitForDone(msecs)

    def _show_chain(self, check: ChainCheck) -> None:
        self.last_check = check
        self.chain.setText(check.sentence())
        self.chain.setStyleSheet(
            "" if check.ok else "QLabel { color: #b00020; font-weight: bold; }"
        )

    def selection_changed(self) -> None:
        """The chosen event's values before and after."""
        event = self.selected()
        if event is None:
            self.details.clear()
            return
        self.details.setPlainText(
            f"{event.summary}\n\n"
            + self.tr("Before:")
            + f"\n{_pretty(event.before)}\n\n"
            + self.tr("After:")
            + f"\n{_pretty(event.after)}"
        )
