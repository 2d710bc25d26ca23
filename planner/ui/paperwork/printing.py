"""Print a PDF (as shown in the preview) on a QPrinter: each page rendered at printer resolution.

QtPdf renders pages to images only, so every page is drawn as an image that
fills the printable page. Underneath each image the page's own text is laid
out line by line, at the place it has on the page: a printer that produces
files (a PDF printer, an archiving queue) keeps the document searchable, while
on paper the opaque page image covers it completely.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

#: Above this, a page image gets large without looking any sharper on paper.
MAX_DPI = 300


def _tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


class PrintError(Exception):
    """The printer could not be used; the message is for the user."""


def page_orientation(document: QPdfDocument, page: int) -> QPageLayout.Orientation:
    size = document.pagePointSize(page)
    if size.width() > size.height():
        return QPageLayout.Orientation.Landscape
    return QPageLayout.Orientation.Portrait


def _text_lines(document: QPdfDocument, page: int) -> list[tuple[str, QRectF]]:
    """Each line of the page's text with its bounding box in points."""
    text = document.getAllText(page).text()
    out: list[tuple[str, QRectF]] = []
    index = 0
    for line in text.split("\n"):
        length = len(line)
        if line.strip():
            selection = document.getSelectionAtIndex(page, index, length)
            rect = selection.boundingRectangle() if selection.isValid() else QRectF()
            out.append((line.strip(), rect))
        index += length + 1
    return out


def _draw_text_layer(
    painter: QPainter, document: QPdfDocument, page: int, target: QRectF, scale: float
) -> None:
    painter.save()
    painter.setPen(QColor(0, 0, 0))
    y = target.top()
    for line, rect in _text_lines(document, page):
        if rect.isValid() and not rect.isEmpty():
            box = QRectF(
                target.left() + rect.left() * scale,
                target.top() + rect.top() * scale,
                max(rect.width() * scale, 1.0),
                max(rect.height() * scale, 1.0),
            )
        else:
            box = QRectF(target.left(), y, target.width(), 12 * scale)
        font = QFont("DejaVu Sans")
        font.setPixelSize(max(1, int(box.height() * 0.8)))
        painter.setFont(font)
        painter.drawText(box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), line)
        y = box.bottom()
    painter.restore()


def print_document(
    document: QPdfDocument,
    printer: QPrinter,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Print every page of ``document`` (or the printer's page range); returns pages printed."""
    total = document.pageCount()
    if total <= 0:
        raise PrintError(_tr("There is nothing to print: the document has no pages."))
    first, last = 0, total - 1
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(0, printer.fromPage() - 1)
        last = min(total - 1, (printer.toPage() or total) - 1)
    printer.setFullPage(True)
    printer.setPageOrientation(page_orientation(document, first))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(
            _tr("The printer “{name}” cannot be used.").format(
                name=printer.printerName() or printer.outputFileName()
            )
        )
    try:
        for number, page in enumerate(range(first, last + 1)):
            if number:
                orientation = page_orientation(document, page)
                if orientation != printer.pageLayout().orientation():
                    printer.setPageOrientation(orientation)
                printer.newPage()
            _print_page(painter, printer, document, page)
            if progress is not None:
                progress(number + 1, last - first + 1)
    finally:
        painter.end()
    return last - first + 1


def _print_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, page: int) -> None:
    area = QRectF(painter.viewport())
    points = document.pagePointSize(page)
    if points.isEmpty():
        return
    scale = min(area.width() / points.width(), area.height() / points.height())
    size = QSizeF(points.width() * scale, points.height() * scale)
    target = QRectF(
        QPointF(
            area.left() + (area.width() - size.width()) / 2,
            area.top() + (area.height() - size.height()) / 2,
        ),
        size,
    )
    painter.setWindow(painter.viewport())
    _draw_text_layer(painter, document, page, target, scale)
    dpi = min(printer.resolution(), MAX_DPI)
    pixels = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
    image = document.render(page, pixels)
    if image.isNull():
        raise PrintError(
            _tr("Page {number} could not be rendered for printing.").format(number=page + 1)
        )
    if image.hasAlphaChannel():
        opaque = QImage(image.size(), QImage.Format.Format_RGB32)
        opaque.fill(QColor("white"))
        p = QPainter(opaque)
        p.drawImage(0, 0, image)
        p.end()
        image = opaque
    painter.drawImage(target, image)
