"""Patients: a searchable, sortable table; add/edit, archive (never delete), new course, CSV import."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain import FLAG_LABELS
from planner.services import patients as patient_service
from planner.services.base import ServiceError
from planner.services.patients import PatientInput, PatientRow
from planner.ui.context import (
    COURSE_TARGET,
    COURSES,
    PATIENTS,
    SESSION_TARGET,
    SESSIONS,
    AppContext,
)
from planner.ui.pages.common import (
    ROW_ROLE,
    WARN_BRUSH,
    Column,
    ListPage,
    RowTableModel,
    compact_rows,
    fmt_date,
    fmt_datetime,
    make_proxy,
    show_error,
    tr,
)
from planner.ui.pages.patient_dialog import PatientDialog
from planner.ui.widgets.search_filter import attach_search

COL_NAME, COL_DOB, COL_RECORD, COL_COURSE, COL_NEXT, COL_FLAGS = range(6)


def _flags_text(p: PatientRow) -> str:
    return ", ".join(tr(FLAG_LABELS.get(f, f)) for f in p.flags)


def _flags_tooltip(p: PatientRow) -> str:
    if not p.flags:
        return ""
    ack = p.flags_acknowledged_by or tr("not yet acknowledged")
    return _flags_text(p) + "\n" + tr("Acknowledged by: {0}").format(ack)


def patient_columns() -> list[Column[PatientRow]]:
    return [
        Column(tr("Name"), lambda p: p.name + (tr(" (archived)") if p.archived else "")),
        Column(
            tr("Date of birth"),
            lambda p: fmt_date(p.date_of_birth),
            lambda p: p.date_of_birth.isoformat(),
        ),
        Column(tr("Record number"), lambda p: p.record_number),
        Column(
            tr("Active course"),
            lambda p: (
                f"{p.active_course_ref} · {p.active_course_protocol}" if p.active_course_ref else ""
            ),
        ),
        Column(
            tr("Next session"),
            lambda p: fmt_datetime(p.next_session_start),
            lambda p: p.next_session_start.isoformat() if p.next_session_start else "9999",
        ),
        Column(
            tr("Flags"),
            _flags_text,
            lambda p: len(p.flags),
            background=lambda p: WARN_BRUSH if p.flags and not p.flags_acknowledged_by else None,
            tooltip=_flags_tooltip,
        ),
    ]


class PatientsPage(ListPage):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("patients_page")
        self.model: RowTableModel[PatientRow] = RowTableModel(patient_columns(), self)
        self.proxy = make_proxy(self.model, self)

        self.search = QLineEdit()
        self.search.setObjectName("patient_search")
        self.search.setPlaceholderText(self.tr("Search name, record number… (Alt+S)"))
        self.search.setClearButtonEnabled(True)
        search_label = QLabel(self.tr("&Search:"))
        search_label.setBuddy(self.search)
        self.show_archived = QCheckBox(self.tr("Show a&rchived"))
        self.show_archived.toggled.connect(self.refresh)

        self.table = QTableView()
        self.table.setObjectName("patients_table")
        self.table.setAccessibleName(self.tr("Patients"))
        self.table.setModel(self.proxy)
        attach_search(self.search, self.proxy, self.table)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        compact_rows(self.table)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)

        self.act_new = self._action(self.tr("&New patient…"), "Ctrl+Shift+N", self.new_patient)
        self.act_edit = self._action(self.tr("&Edit patient…"), "", self.edit_selected)
        self.act_course = self._action(self.tr("New &course…"), "Ctrl+Shift+K", self.new_course)
        self.act_archive = self._action(self.tr("&Archive or restore"), "", self.archive_selected)
        self.act_planner = self._action(
            self.tr("Show next session in &planner"), "Ctrl+Shift+J", self.show_in_planner
        )
        self.act_open_course = self._action(
            self.tr("&Open active course"), "Ctrl+Shift+O", self.open_course
        )
        self.act_import = self._action(
            self.tr("&Import patients from CSV…"), "Ctrl+Shift+I", self.import_csv
        )

        buttons = QHBoxLayout()
        self.btn_new = QPushButton(self.tr("&New patient…"))
        self.btn_new.clicked.connect(self.new_patient)
        self.btn_edit = QPushButton(self.tr("E&dit…"))
        self.btn_edit.clicked.connect(self.edit_selected)
        self.btn_course = QPushButton(self.tr("New &course…"))
        self.btn_course.clicked.connect(self.new_course)
        self.btn_archive = QPushButton(self.tr("&Archive"))
        self.btn_archive.clicked.connect(self.archive_selected)
        self.btn_import = QPushButton(self.tr("&Import CSV…"))
        self.btn_import.clicked.connect(self.import_csv)
        self.btn_planner = QPushButton(self.tr("Show in p&lanner"))
        self.btn_planner.setToolTip(self.tr("The patient's next session in the week planner (Ctrl+Shift+J)"))
        self.btn_planner.clicked.connect(self.show_in_planner)
        self.btn_open_course = QPushButton(self.tr("Open c&ourse"))
        self.btn_open_course.setToolTip(self.tr("The patient's active course (Ctrl+Shift+O)"))
        self.btn_open_course.clicked.connect(self.open_course)
        for b in (
            self.btn_new,
            self.btn_edit,
            self.btn_course,
            self.btn_archive,
            self.btn_planner,
            self.btn_open_course,
            self.btn_import,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.show_archived)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.search, self.show_archived)
        self.setTabOrder(self.show_archived, self.table)
        self.setTabOrder(self.table, self.btn_new)

        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        ctx.hub.changed.connect(self._on_changed)
        self.request_refresh()

    def _action(self, text: str, keys: str, slot: object) -> QAction:
        action = QAction(text, self)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return action

    def menu_title(self) -> str:
        return self.tr("Pa&tients")

    def menu_actions(self) -> list[QAction]:
        return [
            self.act_new,
            self.act_edit,
            self.act_course,
            self.act_archive,
            self.act_planner,
            self.act_open_course,
            self.act_import,
        ]

    def show_ref(self, ref: str) -> bool:
        """Select patient ``ref`` (clearing the search; showing archived ones if needed)."""
        if self._stale:
            self.refresh()
        self.search.clear()
        if self.select(ref):
            return True
        if not self.show_archived.isChecked():
            self.show_archived.setChecked(True)
            return self.select(ref)
        return False

    # -- data ----------------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        self._stale = False
        selected = self.selected()
        rows = patient_service.list_patients(
            self.ctx.db, include_archived=self.show_archived.isChecked(), now=self.ctx.clock()
        )
        self.model.set_rows(rows)
        if selected is not None:
            self.select(selected.ref)
        self._update_buttons()

    def _on_changed(self, kinds: frozenset[str]) -> None:
        if kinds & {PATIENTS, COURSES, SESSIONS}:
            self.request_refresh()

    def selected(self) -> PatientRow | None:
        indexes = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not indexes:
            return None
        row = indexes[0].data(ROW_ROLE)
        return row if isinstance(row, PatientRow) else None

    def select(self, ref: str) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            patient = index.data(ROW_ROLE)
            if patient is not None and patient.ref == ref:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return True
        return False

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.btn_edit.setEnabled(chosen is not None)
        self.btn_course.setEnabled(chosen is not None and not chosen.archived)
        self.btn_archive.setEnabled(chosen is not None)
        self.btn_planner.setEnabled(chosen is not None and chosen.next_session_ref is not None)
        self.btn_open_course.setEnabled(chosen is not None and chosen.active_course_ref is not None)
        for action, button in (
            (self.act_edit, self.btn_edit),
            (self.act_course, self.btn_course),
            (self.act_archive, self.btn_archive),
            (self.act_planner, self.btn_planner),
            (self.act_open_course, self.btn_open_course),
        ):
            action.setEnabled(button.isEnabled())
        if chosen is not None and chosen.archived:
            self.btn_archive.setText(self.tr("Rest&ore"))
        else:
            self.btn_archive.setText(self.tr("&Archive"))

    # -- actions -------------------------------------------------------------------------------

    def show_in_planner(self) -> None:
        """Jump to the week planner at this patient's next session."""
        patient = self.selected()
        if patient is not None and patient.next_session_ref:
            self.ctx.hub.go(SESSION_TARGET, patient.next_session_ref)

    def open_course(self) -> None:
        """Open the Courses page on this patient's active course."""
        patient = self.selected()
        if patient is not None and patient.active_course_ref:
            self.ctx.hub.go(COURSE_TARGET, patient.active_course_ref)

    def _activated(self, _index: QModelIndex) -> None:
        self.edit_selected()

    def new_patient(self) -> PatientDialog:
        created: list[str] = []

        def save(data: PatientInput) -> None:
            created.append(
                patient_service.create_patient(self.ctx.db, data, today=self.ctx.today())
            )

        dialog = PatientDialog(self, today=self.ctx.today(), save=save)
        dialog.accepted.connect(lambda: self._saved(created[-1] if created else None))
        dialog.open()
        return dialog

    def edit_selected(self) -> PatientDialog | None:
        patient = self.selected()
        if patient is None:
            return None

        def save(data: PatientInput) -> None:
            patient_service.update_patient(
                self.ctx.db,
                patient.ref,
                data,
                expected_version=patient.version,
                today=self.ctx.today(),
            )

        dialog = PatientDialog(self, today=self.ctx.today(), save=save, patient=patient)
        dialog.accepted.connect(lambda: self._saved(patient.ref))
        dialog.open()
        return dialog

    def _saved(self, ref: str | None) -> None:
        self.ctx.hub.notify({PATIENTS})
        if ref:
            self.search.clear()
            self.select(ref)

    def archive_selected(self) -> None:
        patient = self.selected()
        if patient is None:
            return
        archive = not patient.archived
        if archive:
            answer = QMessageBox.question(
                self,
                self.tr("Archive patient"),
                self.tr(
                    "Archive {0}? The patient disappears from lists; their history is kept "
                    "and they can be restored with “Show archived”."
                ).format(patient.name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        try:
            patient_service.set_archived(self.ctx.db, patient.ref, archive)
        except ServiceError as exc:
            show_error(self, exc)
            return
        self.ctx.hub.notify({PATIENTS})

    def new_course(self) -> QWidget | None:
        patient = self.selected()
        if patient is None:
            return None
        from planner.ui.pages.new_course_dialog import NewCourseDialog

        dialog = NewCourseDialog(
            self.ctx, patient_ref=patient.ref, patient_name=patient.name, parent=self
        )
        dialog.open()
        return dialog

    def import_csv(self) -> QWidget | None:
        from planner.ui.pages.import_dialog import ImportPatientsDialog

        dialog = ImportPatientsDialog(self.ctx, parent=self)
        if not dialog.choose_file():
            return None
        dialog.open()
        return dialog
