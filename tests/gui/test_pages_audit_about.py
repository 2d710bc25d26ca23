"""Audit page (who changed what, filterable by patient and record) and Help → About."""

from __future__ import annotations

from datetime import date
from typing import Any

from planner.services.audit import list_audit
from planner.services.courses import set_course_status
from planner.services.patients import create_patient
from planner.ui.pages.about import about_html, show_about
from planner.ui.pages.audit_page import A_PATIENT, A_REF, A_USER, AuditPage, audit_columns
from planner.ui.pages.common import RowTableModel
from tests.factories import new_patient


def test_model_passes_the_model_tester(qtmodeltester: Any, small_context: Any) -> None:
    model: RowTableModel[Any] = RowTableModel(audit_columns())
    model.set_rows(list_audit(small_context.db))
    qtmodeltester.check(model)


def test_filter_by_patient_and_record(qtbot: Any, small_context: Any) -> None:
    db = small_context.db
    set_course_status(db, "C-0001", "on_hold")
    create_patient(db, new_patient("Other Person", date(1970, 1, 1)), today=date(2026, 11, 30))
    page = AuditPage(small_context)
    qtbot.addWidget(page)
    page.show()
    assert page.model.rowCount() == 3  # load, status change, new patient
    page.filter_by(patient_ref="P-0001")
    assert page.model.rowCount() == 1
    assert page.proxy.index(0, A_REF).data() == "C-0001"
    assert page.proxy.index(0, A_USER).data() == "tester"
    page.filter_by(patient_ref="", ref="P-0002")
    assert page.model.rowCount() == 1 and page.proxy.index(0, A_PATIENT).data() == "P-0002"
    page.table.selectRow(0)
    assert "Other Person" in page.details.toPlainText()
    # a change elsewhere shows up through the hub
    set_course_status(db, "C-0001", "active")
    small_context.hub.notify({"courses"})
    page.filter_by()
    assert page.model.rowCount() == 4


def test_about_shows_version_database_and_guide(qtbot: Any, small_context: Any) -> None:
    from planner import __version__

    html = about_html(small_context)
    assert __version__ in html
    assert small_context.db.describe() in html
    assert "user guide" in html.lower()
    assert "README.md#user-guide" in html  # a link to the guide in the README next to the program
    dialog = show_about(None, small_context)
    qtbot.addWidget(dialog)
    assert dialog.isVisible() and "SQLite" in dialog.label.text()
    dialog.reject()
