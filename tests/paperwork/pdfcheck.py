"""Reading a PDF back the way a person would check it: its text per page, its size, its structure."""

from __future__ import annotations

import io
import shutil
import subprocess
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
