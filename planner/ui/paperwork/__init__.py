"""Paperwork from the desktop app: preview (QPdfView), Print… and Save as PDF….

Each ``preview_*`` opens a non-modal preview dialog, starts generating the
document off the GUI thread and returns the dialog.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget

from planner.ui.context import AppContext
from planner.ui.paperwork.preview_dialog import PreviewDialog

Progress = Callable[[int, int], None]


def _tr(text: str) -> str:
    return QCoreApplication.translate("Paperwork", text)


def _open(
    parent: QWidget | None,
    *,
    title: str,
    file_name: str,
    render: Callable[[bool, Progress], bytes],
    show_progress: bool = False,
) -> PreviewDialog:
    dialog = PreviewDialog(
        parent, title=title, render=render, file_name=file_name, show_progress=show_progress
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.show()
    dialog.start()
    return dialog


def file_slug(text: str) -> str:
    """"Chair 1 (Room A)" -> "chair-1-room-a": safe in a file name on every system."""
    from planner.text_search import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "x"


def monitoring_file_name(start: datetime, chair: str) -> str:
    """What a saved monitoring sheet is called: kind, date, time and chair — never the
    patient's name (files are mailed and copied; the name stays inside the document)."""
    return f"monitoring-{start:%Y-%m-%d-%H%M}-{file_slug(chair)}.pdf"


def _of_record(
    parent: QWidget | None, ctx: AppContext, ref: str, *, kind: str, title: str, file_name: str
) -> PreviewDialog:
    """The ``kind`` document ("monitoring" or "consent") of the record ``ref``."""

    def render(draft: bool, _progress: Progress) -> bytes:
        from planner.services import paperwork

        build = {"monitoring": paperwork.render_monitoring, "consent": paperwork.render_consent}
        return build[kind](ctx.db, ref, draft=draft, now=ctx.clock())

    return _open(parent, title=title, file_name=file_name, render=render)


def preview_monitoring(parent: QWidget | None, ctx: AppContext, session_ref: str) -> PreviewDialog:
    """The post-infusion monitoring sheet of one session."""
    from planner.services.base import ServiceError
    from planner.services.sessions import get_session

    try:
        row = get_session(ctx.db, session_ref)
        file_name = monitoring_file_name(row.start, row.chair.name)
        title = _tr("Monitoring sheet — {0}").format(f"{row.start:%a %d %b %H:%M} · {row.chair.name}")
    except ServiceError:  # gone: the preview says so when it tries
        file_name, title = f"monitoring-{file_slug(session_ref)}.pdf", _tr("Monitoring sheet")
    return _of_record(
        parent, ctx, session_ref, kind="monitoring", title=title, file_name=file_name
    )


def preview_consent(parent: QWidget | None, ctx: AppContext, course_ref: str) -> PreviewDialog:
    """The consent form of one course (series)."""
    return _of_record(
        parent,
        ctx,
        course_ref,
        kind="consent",
        title=_tr("Consent form — {0}").format(course_ref),
        file_name=f"consent-{ctx.today():%Y-%m-%d}-{file_slug(course_ref)}.pdf",
    )


def preview_day(parent: QWidget | None, ctx: AppContext, day: date) -> PreviewDialog:
    """The day packet: run sheet, every monitoring sheet, the consent forms still needed."""

    def render(draft: bool, progress: Progress) -> bytes:
        from planner.services.paperwork import render_day

        return render_day(ctx.db, day, draft=draft, now=ctx.clock(), progress=progress)

    return _open(
        parent,
        title=_tr("Day packet — {0}").format(f"{day:%a %d %b %Y}"),
        file_name=f"day-packet-{day:%Y-%m-%d}.pdf",
        render=render,
        show_progress=True,
    )


def preview_week(parent: QWidget | None, ctx: AppContext, monday: date) -> PreviewDialog:
    """The week schedule (any day of the week may be given; its Monday is used)."""
    monday = monday - timedelta(days=monday.weekday())

    def render(draft: bool, _progress: Progress) -> bytes:
        from planner.services.paperwork import render_week

        return render_week(ctx.db, monday, draft=draft, now=ctx.clock())

    iso = monday.isocalendar()
    return _open(
        parent,
        title=_tr("Week schedule — {0}-W{1:02d}").format(iso.year, iso.week),
        file_name=f"week-schedule-{iso.year}-W{iso.week:02d}.pdf",
        render=render,
    )


__all__ = [
    "PreviewDialog",
    "file_slug",
    "monitoring_file_name",
    "preview_consent",
    "preview_day",
    "preview_monitoring",
    "preview_week",
]
