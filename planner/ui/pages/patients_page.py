"""Patients: a searchable, sortable table; add/edit, archive (never delete), new course, CSV import."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QCheckBox, QMessageBox, QWidget

from planner.domain import FLAG_LABELS
from planner.domain.records import Patient
from planner.services import patients as patient_service
from planner.services.patients import PatientRow
from planner.ui.context import (
    COURSE_TARGET,
    COURSES,
    PATIENTS,
    SESSION_TARGET,
    SESSIONS,
    AppContext,
)
from planner.ui.mutation import attempt
from planner.ui.pages.common import WARN_BRUSH, Column, fmt_date, fmt_datetime, tr
from planner.ui.pages.patient_dialog import PatientDialog
from planner.ui.pages.record_list import RecordListPage

COL_NAME, COL_DOB, COL_RECORD, COL_COURSE, COL_NEXT, COL_FLAGS = range(6)


def _flags_text(r: PatientRow) -> str:
    return ", ".join(tr(FLAG_LABELS.get(f, f)) for f in r.patient.flags)


def _flags_tooltip(r: PatientRow) -> str:
    if not r.patient.flags:
        return ""
    ack = r.patient.flags_acknowledged_by or tr("not yet acknowledged")
    return _flags_text(r) + "\n" + tr("Acknowledged by: {0}").format(ack)


def patient_columns() -> list[Column[PatientRow]]:
    return [
        Column(
            tr("Name"),
            lambda r: r.patient.name + (tr(" (archived)") if r.patient.archived else ""),
        ),
        Column(
            tr("Date of birth"),
            lambda r: fmt_date(r.patient.date_of_birth),
            lambda r: r.patient.date_of_birth.isoformat(),
        ),
        Column(tr("Record number"), lambda r: r.patient.record_number),
        Column(
            tr("Active course"),
            lambda r: (
                f"{r.active_course_ref} · {r.active_course_protocol}" if r.active_course_ref else ""
            ),
        ),
        Column(
            tr("Next session"),
            lambda r: fmt_datetime(r.next_session_start),
            lambda r: r.next_session_start.isoformat() if r.next_session_start else "9999",
        ),
        Column(
            tr("Flags"),
            _flags_text,
            lambda r: len(r.patient.flags),
            background=lambda r: (
                WARN_BRUSH if r.patient.flags and not r.patient.flags_acknowledged_by else None
            ),
            tooltip=_flags_tooltip,
        ),
    ]


class PatientsPage(RecordListPage[PatientRow]):
    listens_to = frozenset({PATIENTS, COURSES, SESSIONS})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            patient_columns(),
            table_name="patients_table",
            table_label=tr("Patients"),
            search_hint=self.tr("Search name, record number… (Alt+S)"),
            sort_column=COL_NAME,
            parent=parent,
        )
        self.setObjectName("patients_page")
        self.search.setObjectName("patient_search")
        self.show_archived = QCheckBox(self.tr("Show a&rchived"))
        self.show_archived.toggled.connect(self.refresh)

        self.act_new = self.action(self.tr("&New patient…"), "Ctrl+Shift+N", self.new_patient)
        self.act_edit = self.action(self.tr("&Edit patient…"), "", self.edit_selected)
        self.act_course = self.action(self.tr("New &course…"), "Ctrl+Shift+K", self.new_course)
        self.act_archive = self.action(self.tr("&Archive or restore"), "", self.archive_selected)
        self.act_planner = self.action(
            self.tr("Show next session in &planner"), "Ctrl+Shift+J", self.show_in_planner
        )
        self.act_open_course = self.action(
            self.tr("&Open active course"), "Ctrl+Shift+O", self.open_course
        )
        self.act_import = self.action(
            self.tr("&Import patients from CSV…"), "Ctrl+Shift+I", self.import_csv
        )

        self.btn_new = self.push_button(self.tr("&New patient…"), self.new_patient)
        self.btn_edit = self.push_button(self.tr("E&dit…"), self.edit_selected)
        self.btn_course = self.push_button(self.tr("New &course…"), self.new_course)
        self.btn_archive = self.push_button(self.tr("&Archive"), self.archive_selected)
        self.btn_import = self.push_button(self.tr("&Import CSV…"), self.import_csv)
        self.btn_planner = self.push_button(
            self.tr("Show in p&lanner"),
            self.show_in_planner,
            self.tr("The patient's next session in the week planner (Ctrl+Shift+J)"),
        )
        self.btn_open_course = self.push_button(
            self.tr("Open c&ourse"),
            self.open_course,
            self.tr("The patient's active course (Ctrl+Shift+O)"),
        )
        self.lay_out(
            [
                self.btn_new,
                self.btn_edit,
                self.btn_course,
                self.btn_archive,
                self.btn_planner,
                self.btn_open_course,
                self.btn_import,
            ],
            top=self.search_row(self.show_archived),
        )
        self.setTabOrder(self.search, self.show_archived)
        self.setTabOrder(self.show_archived, self.table)
        self.setTabOrder(self.table, self.btn_new)
        self.request_refresh()

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

    # -- data ----------------------------------------------------------------------------------

    def load_rows(self) -> list[PatientRow]:
        return patient_service.list_patients(
            self.ctx.db, include_archived=self.show_archived.isChecked(), now=self.ctx.clock()
        )

    def ref_of(self, row: PatientRow) -> str:
        return row.patient.ref

    def widen(self) -> bool:
        if self.show_archived.isChecked():
            return False
        self.show_archived.setChecked(True)
        return True

    def selection_changed(self) -> None:
        chosen = self.selected()
        self.btn_edit.setEnabled(chosen is not None)
        self.btn_course.setEnabled(chosen is not None and not chosen.patient.archived)
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
        if chosen is not None and chosen.patient.archived:
            self.btn_archive.setText(self.tr("Rest&ore"))
        else:
            self.btn_archive.setText(self.tr("&Archive"))

    # -- actions -------------------------------------------------------------------------------

    def show_in_planner(self) -> None:
        """Jump to the week planner at this patient's next session."""
        chosen = self.selected()
        if chosen is not None and chosen.next_session_ref:
            self.ctx.hub.go(SESSION_TARGET, chosen.next_session_ref)

    def open_course(self) -> None:
        """Open the Courses page on this patient's active course."""
        chosen = self.selected()
        if chosen is not None and chosen.active_course_ref:
            self.ctx.hub.go(COURSE_TARGET, chosen.active_course_ref)

    def new_patient(self) -> PatientDialog:
        today = self.ctx.today()
        return self.open_new(
            Patient,
            lambda save: PatientDialog(self, today=today, save=save),
            lambda p: patient_service.create_patient(self.ctx.db, p, today=today),
            {PATIENTS},
        )

    def edit_selected(self) -> PatientDialog | None:
        chosen = self.selected()
        if chosen is None:
            return None
        today = self.ctx.today()
        return self.open_edit(
            Patient,
            chosen.patient.ref,
            lambda save: PatientDialog(self, today=today, save=save, patient=chosen),
            lambda p: patient_service.update_patient(
                self.ctx.db, p, expected_version=chosen.version, today=today
            ),
            {PATIENTS},
        )

    def archive_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        archive = not chosen.patient.archived
        if archive:
            answer = QMessageBox.question(
                self,
                self.tr("Archive patient"),
                self.tr(
                    "Archive {0}? The patient disappears from lists; their history is kept "
                    "and they can be restored with “Show archived”."
                ).format(chosen.patient.name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        attempt(
            self.ctx,
            self,
            lambda: patient_service.set_archived(self.ctx.db, chosen.patient.ref, archive),
            {PATIENTS},
        )

    def new_course(self) -> QWidget | None:
        chosen = self.selected()
        if chosen is None:
            return None
        from planner.ui.pages.new_course_dialog import NewCourseDialog

        dialog = NewCourseDialog(
            self.ctx, patient_ref=chosen.patient.ref, patient_name=chosen.patient.name, parent=self
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
