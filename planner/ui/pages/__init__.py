"""The pages beside the week planner: patients, courses, staff, clinic settings, audit, reports.

``build_pages`` makes them for the main window's side bar; a page may offer
``menu_actions()`` for the window's menus.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from planner.ui.context import AppContext


def build_pages(ctx: AppContext, parent: QWidget) -> list[tuple[str, QWidget]]:
    """(title, page) in side-bar order; each page refreshes itself on ``ctx.hub.changed``."""
    from planner.ui.inventory.page import InventoryPage
    from planner.ui.pages.audit_page import AuditPage
    from planner.ui.pages.clinic_page import ClinicPage
    from planner.ui.pages.courses_page import CoursesPage
    from planner.ui.pages.patients_page import PatientsPage
    from planner.ui.pages.reports_page import ReportsPage
    from planner.ui.pages.staff_page import StaffPage
    from planner.ui.record.day_page import DayRecordsPage

    def tr(text: str) -> str:
        return QCoreApplication.translate("Pages", text)

    return [
        (tr("Patients"), PatientsPage(ctx, parent)),
        (tr("Courses"), CoursesPage(ctx, parent)),
        (tr("Staff"), StaffPage(ctx, parent)),
        (tr("Clinic and chairs"), ClinicPage(ctx, parent)),
        (tr("Audit trail"), AuditPage(ctx, parent)),
        (tr("Reports"), ReportsPage(ctx, parent)),
        (tr("Session records"), DayRecordsPage(ctx, parent)),
        (tr("Ketamine log"), InventoryPage(ctx, parent)),
    ]
