"""What the clinic looks back on and prepares for: reports, the call list, their numbers.

Pure computation over domain records (no database, no Qt, no reportlab): the
services read the records in one transaction and hand them here; the PDF
builders (:mod:`planner.paperwork.report_pdf`) and the Reports page draw the
same :class:`~planner.reports.view.ReportView`.
"""

from __future__ import annotations

#: The report kinds, in the order the command line and the Reports page offer them.
REPORT_KINDS = ("utilisation", "staff-hours", "attendance", "courses")

REPORT_TITLES = {
    "utilisation": "Chair utilisation",
    "staff-hours": "Staff hours",
    "attendance": "Attendance",
    "courses": "Courses",
}

__all__ = ["REPORT_KINDS", "REPORT_TITLES"]
