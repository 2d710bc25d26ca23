"""Reading a PDF back the way a person would check it: its text per page, its size, its structure."""

from __future__ import annotations

import io
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader


def norm(text: str) -> str:
    """Whitespace collapsed, so line wrapping does not matter."""
    return " ".join(text.split())


def pages_text(pdf: bytes) -> list[str]:
    reader = PdfReader(io.BytesIO(pdf))
    return [norm(page.extract_text() or "") for page in reader.pages]


def all_text(pdf: bytes) -> str:
    return " ".join(pages_text(pdf))


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    reader = PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]


def assert_missing_nothing(text: str, expected: list[str]) -> None:
    """Every expected phrase is in ``text``; the failure lists all that are missing."""
    missing = [phrase for phrase in expected if norm(phrase) not in text]
    assert not missing, f"missing from the document: {missing}"


def qpdf_check(pdf: bytes, tmp_path: Path) -> None:
    """``qpdf --check`` passes (skipped, loudly, where qpdf is not installed)."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("QPDF NOT INSTALLED: structure not checked (apt-get install qpdf)")
    path = tmp_path / "checked.pdf"
    path.write_bytes(pdf)
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@dataclass(frozen=True)
class TextRun:
    """One piece of text as drawn: page, start and end x, baseline y, size (points)."""

    page: int
    x0: float
    x1: float
    y: float
    size: float
    text: str
    page_width: float


def text_runs(pdf: bytes) -> list[TextRun]:
    """Every horizontal piece of text with where it starts and ends (rotated text is left out).

    The end is measured with the embedded font's own widths, so text running
    past a cell or the page shows up as numbers a test can compare.
    """
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from planner.paperwork.styles import register_fonts

    register_fonts()
    runs: list[TextRun] = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        width = float(page.mediabox.width)

        def visit(
            text: str,
            cm: list[float],
            tm: list[float],
            font: dict[str, object] | None,
            size: float,
            number: int = number,
            width: float = width,
        ) -> None:
            text = text.rstrip("\n")
            if not text.strip() or font is None or abs(tm[1]) > 1e-6 or abs(cm[1]) > 1e-6:
                return
            name = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
            scale = abs(tm[0] * cm[0])
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            drawn = stringWidth(text, name, size) * scale
            runs.append(TextRun(number, x, x + drawn, y, size * scale, text, width))

        page.extract_text(visitor_text=visit)
    return runs


def layout_problems(pdf: bytes, margin: float) -> list[str]:
    """Text past the right page margin, and pieces of text drawn over each other on one line.

    Pieces that start at the same x are parts of one line of mixed fonts (the
    reader reports each part at the line's start), so only pieces starting at
    different places are compared: a cell's text running into the next cell.
    """
    runs = text_runs(pdf)
    problems = [
        f"page {r.page + 1}: {r.text!r} ends at {r.x1:.1f}, past {r.page_width - margin:.1f}"
        for r in runs
        if r.x1 > r.page_width - margin + 0.5
    ]
    by_line: dict[tuple[int, int], list[TextRun]] = {}
    for r in runs:
        by_line.setdefault((r.page, round(r.y)), []).append(r)
    for line in by_line.values():
        line.sort(key=lambda r: r.x0)
        for a, b in zip(line, line[1:], strict=False):
            if abs(a.x0 - b.x0) >= 0.5 and b.x0 < a.x1 - 0.5:
                problems.append(f"page {a.page + 1}: {a.text!r} runs into {b.text!r}")
    return problems


def _rules(page: object) -> list[tuple[float, float, float]]:
    """Horizontal lines drawn on a page as (y, x from, x to), in page coordinates."""
    from pypdf.generic import ContentStream

    contents = page.get_contents()  # type: ignore[attr-defined]
    if contents is None:
        return []
    ops = ContentStream(contents, page.pdf).operations  # type: ignore[attr-defined]
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    stack: list[list[float]] = []
    start: tuple[float, float] | None = None
    out: list[tuple[float, float, float]] = []

    def apply(x: float, y: float) -> tuple[float, float]:
        a, b, c, d, e, f = ctm
        return a * x + c * y + e, b * x + d * y + f

    for operands, op in ops:
        if op == b"q":
            stack.append(list(ctm))
        elif op == b"Q" and stack:
            ctm = stack.pop()
        elif op == b"cm":
            a2, b2, c2, d2, e2, f2 = (float(v) for v in operands)
            a, b, c, d, e, f = ctm
            ctm = [
                a2 * a + b2 * c,
                a2 * b + b2 * d,
                c2 * a + d2 * c,
                c2 * b + d2 * d,
                e2 * a + f2 * c + e,
                e2 * b + f2 * d + f,
            ]
        elif op == b"m":
            start = apply(float(operands[0]), float(operands[1]))
        elif op == b"l" and start is not None:
            end = apply(float(operands[0]), float(operands[1]))
            if abs(end[1] - start[1]) < 0.01 and abs(end[0] - start[0]) > 1:
                out.append((start[1], min(start[0], end[0]), max(start[0], end[0])))
            start = end
    return out


def overlapping_rows(pdf: bytes) -> list[str]:
    """Text that a table's horizontal rule runs through: a cell's text spilling into the next
    row (it would read as part of that row)."""
    reader = PdfReader(io.BytesIO(pdf))
    runs = text_runs(pdf)
    problems = []
    for number, page in enumerate(reader.pages):
        rules = _rules(page)
        for r in (r for r in runs if r.page == number):
            for y, x0, x1 in rules:
                crosses = r.y - 0.15 * r.size < y < r.y + 0.65 * r.size
                if crosses and x0 < r.x1 - 0.5 and r.x0 + 0.5 < x1:
                    problems.append(f"page {number + 1}: a rule runs through {r.text!r}")
                    break
    return problems
