"""A bug in a command is logged with a clear message, never shown as a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_an_unexpected_failure_is_logged_not_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fresh_environment: Path
) -> None:
    from planner.cli import _report_unexpected

    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        code = _report_unexpected(exc)
    assert code == 70
    err = capsys.readouterr().err
    assert "Traceback" not in err and "RuntimeError" in err
    logs = list(fresh_environment.rglob("*.log"))
    assert logs and "boom" in logs[0].read_text(encoding="utf-8")
