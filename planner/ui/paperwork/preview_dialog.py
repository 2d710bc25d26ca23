"""Print preview: the generated PDF in a QPdfView, with Print… and Save as PDF….

Generation runs in a thread pool; the day packet shows its progress. When the
paperwork service refuses because a session's staffing is incomplete, the
user is told what is missing and may print a draft instead.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QThreadPool, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from planner.safe_output import OutputError, write_file
from planner.services.base import ServiceError
from planner.ui.paperwork.jobs import Render, RenderJob
from planner.ui.paperwork.printing import PrintError, print_document
from planner.ui.widgets.plural import plural
from planner.ui.widgets.screen_fit import resize_to_fit

_CODE = re.compile(r"\s*\([a-z]+(?:-[a-z]+)+\)$")
_PART = re.compile(r"^(?P<ref>\S+) \((?P<who>.+), (?P<when>\d{4}-\d\d-\d\d \d\d:\d\d)\): (?P<what>.*)$")


def staffing_lines(exc: BaseException) -> list[str]:
    """What a staffing refusal says is missing, one session a line, in words (no rule codes):
    "Tue 01 Dec 09:00 · Zoë Łukasiewicz: No monitoring clinician … is assigned"."""
    summary = str(getattr(exc, "summary", "") or exc)
    lines = []
    for part in summary.split(" · "):
        m = _PART.match(part.strip())
        if m is None:
            lines.append(_CODE.sub("", part.strip()))
            continue
        when = datetime.strptime(m["when"], "%Y-%m-%d %H:%M")
        what = "; ".join(_CODE.sub("", item.strip()) for item in m["what"].split(";"))
        lines.append(f"{when:%a %d %b %H:%M} · {m['who']}: {what}")
    return [line for line in lines if line]


def _is_staffing_refusal(exc: BaseException) -> bool:
    from planner.services.paperwork import StaffingIncomplete

    return isinstance(exc, StaffingIncomplete)


class PreviewDialog(QDialog):
    """Shows one generated document; ``start()`` begins generating it."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        title: str,
        render: Render,
        file_name: str,
        show_progress: bool = False,
        pool: QThreadPool | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("paperwork_preview")
        resize_to_fit(self, 820, 940)
        self._render = render
        self._file_name = file_name
        if pool is None:  # its own pool: closing waits for this document only
            pool = QThreadPool(self)
            pool.setMaxThreadCount(1)
        self._pool = pool
        self._running: RenderJob | None = None
        self.draft = False
        self.pdf_bytes = b""
        self.error: BaseException | None = None
        #: The last (done, total) the generator reported (the day packet reports per paper).
        self.last_progress: tuple[int, int] | None = None

        self.document = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdf_view")
        self.view.setAccessibleName(self.tr("Document preview"))
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

        self.act_print = QAction(self.tr("&Print…"), self)
        self.act_print.setShortcut(QKeySequence.StandardKey.Print)
        self.act_print.triggered.connect(self.print_with_dialog)
        self.act_save = QAction(self.tr("&Save as PDF…"), self)
        self.act_save.setShortcut(QKeySequence.StandardKey.Save)
        self.act_save.triggered.connect(self.save_with_dialog)
        self.act_zoom_in = QAction(self.tr("Zoom &in"), self)
        self.act_zoom_in.setShortcut(QKeySequence.StandardKey.ZoomIn)
        self.act_zoom_in.triggered.connect(lambda: self._zoom(1.25))
        self.act_zoom_out = QAction(self.tr("Zoom &out"), self)
        self.act_zoom_out.setShortcut(QKeySequence.StandardKey.ZoomOut)
        self.act_zoom_out.triggered.connect(lambda: self._zoom(0.8))
        self.act_fit = QAction(self.tr("&Fit width"), self)
        self.act_fit.setShortcut(QKeySequence(self.tr("Ctrl+0")))
        self.act_fit.triggered.connect(lambda: self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth))
        toolbar = QToolBar()
        for action in (
            self.act_print,
            self.act_save,
            self.act_zoom_out,
            self.act_zoom_in,
            self.act_fit,
        ):
            toolbar.addAction(action)
            self.addAction(action)

        self.status = QLabel(self.tr("Preparing the document…"))
        self.status.setObjectName("preview_status")
        self.status.setWordWrap(True)  # a long refusal wraps; the dialog keeps its width
        self.status.setMinimumWidth(200)
        self.progress = QProgressBar()
        self.progress.setObjectName("preview_progress")
        self.progress.setRange(0, 0)  # busy until the first report
        self.progress.setVisible(show_progress)
        close = QPushButton(self.tr("&Close"))
        close.clicked.connect(self.reject)
        # After a staffing refusal (its message closed), the draft stays one click away.
        self.draft_again = QPushButton(self.tr("Print as &draft…"))
        self.draft_again.setObjectName("preview_draft")
        self.draft_again.clicked.connect(lambda: self.start(draft=True))
        self.draft_again.hide()
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.draft_again)
        bottom.addWidget(self.progress)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(toolbar)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)
        self._set_ready(False)

    # -- generation ---------------------------------------------------------------------------

    def start(self, *, draft: bool = False) -> None:
        """Generate the document (again) in the thread pool."""
        self.draft = draft
        self.draft_again.hide()
        self.error = None
        self._set_ready(False)
        self.status.setText(
            self.tr("Preparing the draft…") if draft else self.tr("Preparing the document…")
        )
        self.progress.setRange(0, 0)
        job = RenderJob(self._render, draft=draft)
        job.signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        job.signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self._running = job
        self._pool.start(job)

    @property
    def busy(self) -> bool:
        return self._running is not None

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.last_progress = (done, total)
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(self.tr("Preparing page {0} of {1}…").format(done, total))

    @Slot(bytes)
    def _on_finished(self, data: bytes) -> None:
        self._running = None
        self.pdf_bytes = bytes(data)
        self.document.close()
        self._buffer.close()
        self._buffer.setData(QByteArray(self.pdf_bytes))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        pages = self.document.pageCount()
        self.progress.setVisible(False)
        if pages <= 0:
            self.status.setText(self.tr("The document could not be shown."))
            return
        self.status.setText(
            (self.tr("DRAFT — ") if self.draft else "")
            + plural(pages, self.tr("1 page"), self.tr("{n} pages"))
        )
        self._set_ready(True)

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        self._running = None
        self.error = exc
        self.progress.setVisible(False)
        if _is_staffing_refusal(exc) and not self.draft:
            lines = staffing_lines(exc)
            self.status.setText(
                plural(
                    len(lines),
                    self.tr("Not printed: 1 session is missing staff."),
                    self.tr("Not printed: {n} sessions are missing staff."),
                )
            )
            self.status.setToolTip("\n".join(lines))
            self.draft_again.show()
            self._offer_draft(lines)
            return
        message = (
            str(exc)
            if isinstance(exc, ServiceError)
            else self.tr("The document could not be prepared ({0}).").format(type(exc).__name__)
        )
        self.status.setText(message)
        QMessageBox.warning(self, self.tr("Cannot prepare the document"), message)

    def _offer_draft(self, lines: list[str]) -> None:
        box = QMessageBox(self)
        box.setObjectName("staffing_refusal")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Staffing incomplete"))
        box.setTextFormat(Qt.TextFormat.RichText)
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        box.setText(
            self.tr("This paperwork cannot be printed as final. What is missing:")
            + f"<ul style='margin-left:-20px'>{items}</ul>"
        )
        box.setInformativeText(
            self.tr(
                "Assign the missing staff in the week planner, or print a draft marked "
                "“DRAFT — staffing incomplete” on every page."
            )
        )
        draft = box.addButton(self.tr("Print as &draft"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(draft)
        self.draft_button = draft
        box.buttonClicked.connect(lambda b: self.start(draft=True) if b is draft else None)
        self.refusal_box = box
        self.refusal_lines = lines
        box.open()

    def _set_ready(self, ready: bool) -> None:
        for action in (self.act_print, self.act_save):
            action.setEnabled(ready)

    def _zoom(self, factor: float) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.2, min(5.0, self.view.zoomFactor() * factor)))

    def document_text(self) -> str:
        """All text of the shown document (what a user could select and copy)."""
        return "\n".join(
            self.document.getAllText(page).text() for page in range(self.document.pageCount())
        )

    # -- output -------------------------------------------------------------------------------

    def print_with_dialog(self) -> None:
        if not self.pdf_bytes:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self._file_name.removesuffix(".pdf"))
        dialog = QPrintDialog(printer, self)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintToFile, True)
        dialog.setMinMax(1, self.document.pageCount())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.print_to(printer)

    def print_to(self, printer: QPrinter) -> bool:
        """The app's print path once a printer is chosen; tells the user about failures."""
        if not printer.docName():
            printer.setDocName(self._file_name.removesuffix(".pdf"))
        try:
            pages = print_document(self.document, printer)
        except PrintError as exc:
            QMessageBox.warning(self, self.tr("Printing failed"), str(exc))
            return False
        self.status.setText(
            plural(pages, self.tr("Sent 1 page to {where}."), self.tr("Sent {n} pages to {where}."))
            .replace("{where}", printer.printerName() or printer.outputFileName())
        )
        return True

    def save_with_dialog(self) -> None:
        if not self.pdf_bytes:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("Save as PDF"),
            str(Path.home() / self._file_name),
            self.tr("PDF documents (*.pdf)"),
        )
        if path:
            self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        if path.suffix.lower() != ".pdf":
            path = (
                path.with_suffix(path.suffix + ".pdf") if path.suffix else path.with_suffix(".pdf")
            )
        try:
            write_file(path, self.pdf_bytes)
        except OutputError as exc:
            QMessageBox.warning(self, self.tr("Not saved"), str(exc))
            return False
        self.status.setText(self.tr("Saved {0}").format(path))
        return True

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for the generation thread (closing, tests)."""
        return self._pool.waitForDone(msecs)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.wait()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self.wait()
        super().done(result)
