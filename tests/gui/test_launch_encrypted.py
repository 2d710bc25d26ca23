"""Opening an encrypted database from the app: the key is asked for in a password dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit

pytest.importorskip("sqlcipher3", reason="encryption NOT TESTED: the 'encryption' extra is missing")

from planner.db.crypto import encrypted_url  # noqa: E402
from planner.db.engine import open_database  # noqa: E402
from planner.services.clinic_io import dump_document  # noqa: E402
from planner.ui.launch import open_or_explain  # noqa: E402
from tests.factories import base_document, load_into  # noqa: E402

KEY = "s3cret key"


def _answer_key_dialogs(answers: list[str | None], seen: list[str]) -> None:
    """Type each answer into the next password dialog (None = Cancel)."""

    def answer() -> None:
        dialog = next(
            (w for w in QApplication.topLevelWidgets() if isinstance(w, QInputDialog) and w.isVisible()),
            None,
        )
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        seen.append(dialog.labelText())
        assert dialog.textEchoMode() == QLineEdit.EchoMode.Password
        value = answers.pop(0)
        if value is None:
            dialog.reject()
        else:
            dialog.setTextValue(value)
            dialog.accept()
        if answers:
            QTimer.singleShot(20, answer)

    QTimer.singleShot(20, answer)


def test_key_is_asked_and_a_wrong_one_asked_again(qtbot: object, tmp_path: Path) -> None:
    path = tmp_path / "clinic.db"
    db = open_database(encrypted_url(path, KEY))
    load_into(db, base_document())
    db.close()
    seen: list[str] = []
    _answer_key_dialogs(["wrong", KEY], seen)
    opened = open_or_explain(f"sqlite+pysqlcipher:///{path}")
    assert opened is not None
    try:
        assert dump_document(opened)["patients"][0]["ref"] == "P-0001"
        assert KEY not in opened.describe()
    finally:
        opened.close()
    assert "encrypted" in seen[0]
    assert "did not open it" in seen[1]


def test_cancel_opens_nothing(qtbot: object, tmp_path: Path) -> None:
    path = tmp_path / "clinic.db"
    open_database(encrypted_url(path, KEY)).close()
    _answer_key_dialogs([None], [])
    assert open_or_explain(f"sqlite+pysqlcipher:///{path}") is None
