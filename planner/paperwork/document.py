"""Laying out sections into one PDF, each from a new page with its own page count."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from io import BytesIO
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak
from reportlab.platypus.doctemplate import PageTemplate

from planner.paperwork.fonts import register_fonts
from planner.paperwork.pages import FRAME_TOP_PAD, Page, Section, decorate, page_layout
from planner.paperwork.styles import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, page_size


class _NumberedCanvas(Canvas):
    """Keeps finished pages until ``save`` so each can say "Page x of y" of its own section."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept: list[dict[str, Any]] = []
        self.current_page: Page | None = None

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._kept.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        pages: list[Page | None] = [state.get("current_page") for state in self._kept]
        totals: dict[int, int] = {}
        for page in pages:
            if page is not None:
                totals[page.section.serial] = totals.get(page.section.serial, 0) + 1
        seen: dict[int, int] = {}
        several = len(totals) > 1
        for index, (state, page) in enumerate(zip(self._kept, pages, strict=True), start=1):
            self.__dict__.update(state)
            if page is not None:
                serial = page.section.serial
                seen[serial] = seen.get(serial, 0) + 1
                whole = (index, len(pages)) if several else None
                decorate(self, page, seen[serial], totals[serial], whole)
            Canvas.showPage(self)
        Canvas.save(self)


class _Marker(Flowable):
    """Zero-size flowable: reports progress when a section starts being laid out."""

    def __init__(self, callback: Callable[[], None]) -> None:
        super().__init__()
        self.callback = callback
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        self.callback()


def build_pdf(
    sections: Sequence[Section],
    *,
    paper: str,
    now: datetime,
    clinic: str,
    title: str,
    progress: Callable[[int, int], None] | None = None,
) -> bytes:
    """Lay out ``sections`` one after another (each from a new page) into PDF bytes."""
    register_fonts()
    if not sections:
        raise ValueError("a document needs at least one section")
    buffer = BytesIO()
    templates: list[PageTemplate] = []
    story: list[Flowable] = []
    total = len(sections)
    for serial, section in enumerate(sections):
        section.serial = serial
        size = page_size(paper, wide=section.wide)
        layout = page_layout(section, size[0] - 2 * MARGIN_X)
        frame_top = size[1] - MARGIN_TOP - layout.header_height
        frame = Frame(
            MARGIN_X,
            MARGIN_BOTTOM,
            size[0] - 2 * MARGIN_X,
            frame_top - MARGIN_BOTTOM,
            leftPadding=0,
            rightPadding=0,
            topPadding=FRAME_TOP_PAD,
            bottomPadding=0,
            id=f"body{serial}",
        )
        page = Page(section, layout, clinic, now)
        templates.append(
            PageTemplate(
                id=f"section{serial}", frames=[frame], onPage=_remember(page), pagesize=size
            )
        )
        if serial:
            story += [NextPageTemplate(f"section{serial}"), PageBreak()]
        if progress is not None:
            story.append(_Marker(_progress_step(progress, serial, total)))
        story += section.story
    doc = BaseDocTemplate(
        buffer,
        pagesize=templates[0].pagesize,
        pageTemplates=templates,
        title=title,
        author=clinic,
        creator="Infusion Planner",
        invariant=1,
        leftMargin=MARGIN_X,
        rightMargin=MARGIN_X,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
    )
    doc.build(story, canvasmaker=_NumberedCanvas)
    if progress is not None:
        progress(total, total)
    return buffer.getvalue()


def _remember(page: Page) -> Callable[[Canvas, BaseDocTemplate], None]:
    def on_page(canv: Canvas, doc: BaseDocTemplate) -> None:
        canv.current_page = page

    return on_page


def _progress_step(
    progress: Callable[[int, int], None], done: int, total: int
) -> Callable[[], None]:
    return lambda: progress(done, total)
