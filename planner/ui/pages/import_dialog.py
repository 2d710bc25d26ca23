"""Import patients from a CSV file: preview every row and every problem, then all or nothing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QAbstractTableModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.services.base import ServiceError
from planner.services.patient_import import (
    ENCODINGS,
    ImportPreview,
    ImportRow,
    RowProblem,
    decode_csv,
    import_patients,
    preview_patient_csv,
)
from planner.ui.context import PATIENTS, AppContext
from planner.ui.mutation import commit, show_error
from planner.ui.pages.common import Column, RowTableModel, fmt_date, tr
from planner.ui.pages.record_list import record_table
from planner.ui.widgets.allergies_field import allergies_text
from planner.ui.widgets.palette import error_text_color
from planner.ui.widgets.plural import plural


def _row_columns() -> list[Column[ImportRow]]:
    return [
        Column(tr("Line"), lambda r: str(r.line), lambda r: r.line, align_right=True),
        Column(tr("Name"), lambda r: r.data.name),
        Column(tr("Date of birth"), lambda r: fmt_date(r.data.date_of_birth)),
        Column(tr("Record number"), lambda r: r.data.record_number or tr("(automatic)")),
        Column(tr("Weight"), lambda r: f"{r.data.weight_kg:g} kg" if r.data.weight_kg else ""),
        Column(tr("Allergies"), lambda r: allergies_text(r.data.allergies)),
    ]


def _problem_columns() -> list[Column[RowProblem]]:
    return [
        Column(tr("Line"), lambda p: str(p.line), lambda p: p.line, align_right=True),
        Column(tr("Name"), lambda p: p.name),
        Column(tr("Problem"), lambda p: p.message, tooltip=lambda p: p.message),
    ]


class ImportPatientsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Import patients from CSV"))
        self.resize(760, 520)
        self.text = ""
        self.raw: bytes | None = None
        self.preview: ImportPreview | None = None
        self.imported = 0

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.dayfirst = QCheckBox(self.tr("Dates are &day/month/year"))
        self.dayfirst.toggled.connect(self._reread)
        self.encoding = QComboBox()
        self.encoding.setObjectName("import_encoding")
        self.encoding.addItem(self.tr("Detect (a file mixing encodings is refused)"), None)
        for name in ENCODINGS:
            self.encoding.addItem(name.upper() if name != "windows-1252" else "Windows-1252", name)
        self.encoding.currentIndexChanged.connect(lambda _i: self._decode_and_show())
        encoding_label = QLabel(self.tr("&Encoding:"))
        encoding_label.setBuddy(self.encoding)
        self.rows_model: RowTableModel[ImportRow] = RowTableModel(_row_columns(), self)
        self.problems_model: RowTableModel[RowProblem] = RowTableModel(_problem_columns(), self)
        self.rows_view = self._table(self.rows_model)
        self.rows_view.setAccessibleName(self.tr("Patients to add"))
        self.problems_view = self._table(self.problems_model)
        self.problems_view.setAccessibleName(self.tr("Lines with problems"))
        self.problems_label = QLabel(self.tr("Problems (fix them in the file and open it again):"))
        self.problems_label.setStyleSheet(f"color: {error_text_color(self.palette())};")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = QPushButton(self.tr("&Import"))
        self.buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.clicked.connect(self.do_import)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        options = QHBoxLayout()
        options.addWidget(self.dayfirst)
        options.addStretch(1)
        options.addWidget(encoding_label)
        options.addWidget(self.encoding)
        layout.addLayout(options)
        layout.addWidget(QLabel(self.tr("Patients to add:")))
        layout.addWidget(self.rows_view, 2)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems_view, 1)
        layout.addWidget(self.buttons)

    def _table(self, model: QAbstractTableModel) -> QTableView:
        view = record_table("import_rows")
        view.setModel(model)
        return view

    def choose_file(self) -> bool:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Open patients CSV"), str(Path.home()), self.tr("CSV files (*.csv *.txt)")
        )
        if not path:
            return False
        return self.load_file(Path(path))

    def load_file(self, path: Path) -> bool:
        try:
            self.raw = path.read_bytes()
        except OSError as exc:
            show_error(
                self, ServiceError(self.tr("Cannot read {0}: {1}").format(path, exc.strerror))
            )
            return False
        return self._decode_and_show()

    def _decode_and_show(self) -> bool:
        """Decode the file in the chosen encoding; a file that cannot be read so says why."""
        if self.raw is None:
            return False
        try:
            self.text = decode_csv(self.raw, self.encoding.currentData())
        except ServiceError as exc:
            self.text = ""
            self._show(ImportPreview((), (RowProblem(getattr(exc, "line", 1), str(exc)),)))
            return False
        self._show(preview_patient_csv(self.ctx.db, self.text, today=self.ctx.today()))
        return True

    def _reread(self, dayfirst: bool) -> None:
        if self.text and self.preview is not None and self.preview.dayfirst != dayfirst:
            self._show(
                preview_patient_csv(
                    self.ctx.db, self.text, dayfirst=dayfirst, today=self.ctx.today()
                )
            )

    def _show(self, preview: ImportPreview) -> None:
        self.preview = preview
        self.dayfirst.blockSignals(True)
        self.dayfirst.setChecked(preview.dayfirst)
        self.dayfirst.blockSignals(False)
        self.rows_model.set_rows(preview.rows)
        self.problems_model.set_rows(preview.problems)
        self.problems_label.setVisible(bool(preview.problems))
        self.problems_view.setVisible(bool(preview.problems))
        ignored = (
            self.tr(" Ignored columns: {0}.").format(", ".join(preview.ignored_columns))
            if preview.ignored_columns
            else ""
        )
        if preview.problems:
            ready = plural(
                len(preview.rows), self.tr("1 patient is ready"), self.tr("{n} patients are ready")
            )
            bad = plural(
                len(preview.problems), self.tr("1 line has problems"), self.tr("{n} lines have problems")
            )
            text = self.tr("{ready}, {bad}. Nothing is imported until every line is correct.").format(
                ready=ready, bad=bad
            )
        else:
            text = plural(
                len(preview.rows), self.tr("1 patient will be added."), self.tr("{n} patients will be added.")
            )
        self.summary.setText(
            text + self.tr(" Dates read as {0}.").format(preview.date_order()) + ignored
        )
        self.import_button.setEnabled(preview.ok)

    def do_import(self) -> None:
        if self.preview is None or not self.preview.ok:
            return
        preview = self.preview
        try:
            self.imported = commit(
                self.ctx,
                lambda: import_patients(self.ctx.db, preview, today=self.ctx.today()),
                {PATIENTS},
            )
        except ServiceError as exc:
            show_error(self, exc)
            self._show(preview_patient_csv(self.ctx.db, self.text, today=self.ctx.today()))
            return
        self.accept()
