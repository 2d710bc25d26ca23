"""Accounts in the app with real widgets: the first manager from the Clinic page, signing in at
start, the witness's PIN at the chair, and the lock after idle minutes that keeps what was typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLabel

from planner.db.engine import Database, open_database
from planner.services import accounts, session_records
from planner.ui.account.accounts_panel import AccountsPanel
from planner.ui.account.idle_lock import IdleLock
from planner.ui.account.login_dialog import LoginDialog, sign_in_at_start
from planner.ui.record.record_dialog import RecordDialog
from planner.ui.record.witness_dialog import WitnessDialog
from tests.gui.pages_fixtures import save_screenshot
from tests.gui.record_support import answer, choose, ledger_context

PASSWORD = "correct horse"


@pytest.fixture
def db(qapp: Any, tmp_path: Path) -> Iterator[Database]:
    database = open_database(f"sqlite:///{tmp_path / 'accounts.sqlite3'}")
    yield database
    database.close()


@pytest.fixture
def staffed(db: Database) -> Any:
    """The ledger clinic with a manager (Dr Silva, S1, signed in) and a nurse witness (S3)."""
    ctx = ledger_context(db)
    accounts.create_account(db, "maria", "manager", PASSWORD, staff_ref="S1")
    accounts.sign_in(db, "maria", PASSWORD)
    accounts.create_account(db, "grace", "nurse", PASSWORD, staff_ref="S3")
    accounts.set_pin(db, "grace", "2468")
    return ctx


def test_the_clinic_page_offers_to_create_the_first_manager(qtbot: Any, db: Database) -> None:
    ctx = ledger_context(db)
    panel = AccountsPanel(ctx)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.stack.currentIndex() == 0 and panel.create_first.isVisible()
    save_screenshot(panel, "accounts-none")

    def fill(dialog: QDialog) -> None:
        save_screenshot(dialog, "first-manager")
        dialog.name.setText("maria")  # type: ignore[attr-defined]
        choose(dialog.staff, "S1")  # type: ignore[attr-defined]
        dialog.password.setText(PASSWORD)  # type: ignore[attr-defined]
        dialog.again.setText("correct hors")  # type: ignore[attr-defined]
        assert not dialog.save()  # type: ignore[attr-defined]
        assert dialog.error.text() == "The two passwords differ"  # type: ignore[attr-defined]
        dialog.again.setText(PASSWORD)  # type: ignore[attr-defined]
        assert dialog.save()  # type: ignore[attr-defined]

    answer(QDialog, fill)
    panel.first_manager()
    assert ctx.db.actor is not None and (ctx.db.actor.name, ctx.db.actor.role) == (
        "maria",
        "manager",
    )
    assert panel.stack.currentIndex() == 1
    assert (
        panel.table.item(0, 0).text() == "maria" and panel.table.item(0, 2).text() == "Dr Ana Silva"
    )
    save_screenshot(panel, "accounts-list")


def test_signing_in_at_start(qtbot: Any, db: Database) -> None:
    ctx = ledger_context(db)
    assert sign_in_at_start(ctx)  # no accounts: nobody signs in
    accounts.create_account(db, "maria", "manager", PASSWORD)

    def wrong_then_right(dialog: LoginDialog) -> None:
        dialog.account.setText("maria")
        dialog.password.setText("wrong")
        assert not dialog.sign_in()
        assert dialog.error.text().startswith("Wrong account name or password")
        assert dialog.password.text() == ""
        save_screenshot(dialog, "login")
        dialog.password.setText(PASSWORD)
        dialog.sign_in()

    answer(LoginDialog, wrong_then_right)
    assert sign_in_at_start(ctx)
    assert ctx.db.actor is not None and ctx.db.actor.name == "maria"


def test_the_witness_confirms_a_waste_with_their_pin(qtbot: Any, staffed: Any) -> None:
    dialog = RecordDialog(None, staffed, session_records.open_record(staffed.db, "X-1"))
    qtbot.addWidget(dialog)
    dialog.show()
    row = dialog.medications.add_row()
    dialog.medications.item(row, 3).setText("35")
    dialog.medications.item(row, 5).setText("09:20")
    row = dialog.waste.add_row()
    assert not dialog.waste.cellWidget(row, 3).isEnabled()  # who wastes: who is signed in
    dialog.waste.item(row, 1).setText("15")
    dialog.waste.item(row, 2).setText("10:02")

    def wrong_then_right(box: WitnessDialog) -> None:
        assert box.account.currentData() == "grace"  # maria (signed in) is not offered
        assert "waste of 15 mg from lot LOT-0001 (KX-2291) at 2026-12-01 10:02 by Dr Ana Silva" in (
            box.statement
        )
        box.pin.setText("1111")
        assert not box.confirm()
        assert box.error.text() == "Wrong PIN for grace (4 attempts left)"
        save_screenshot(box, "witness-pin")
        box.pin.setText("2468")
        box.confirm()

    answer(WitnessDialog, wrong_then_right)
    assert dialog.witness(row)
    assert dialog.waste.item(row, 4).text() == "Grace Okafor ✓ PIN"
    dialog.waste.item(row, 1).setText("16")  # changed after witnessing
    assert dialog.waste.item(row, 4).text() == "changed — witness again"
    assert not dialog.save()
    assert "a waste needs a witness" in dialog.status.text()
    dialog.waste.item(row, 1).setText("15")
    answer(WitnessDialog, lambda box: (box.pin.setText("2468"), box.confirm()))
    assert dialog.witness(row)
    assert dialog.save(), dialog.status.text()
    saved = session_records.open_record(staffed.db, "X-1").record
    assert saved is not None
    assert [(w.mg, w.by.name, w.witness.name if w.witness else None) for w in saved.waste] == [
        (15.0, "Dr Ana Silva", "Grace Okafor")
    ]


def test_the_app_locks_after_idle_minutes_and_keeps_what_was_typed(
    qtbot: Any, staffed: Any
) -> None:
    now = [1000.0]
    dialog = RecordDialog(None, staffed, session_records.open_record(staffed.db, "X-1"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(1)
    dialog.vitals.item(0, 2).setText("131")  # typed, not saved
    lock = IdleLock(staffed, clock=lambda: now[0], check_every_ms=3_600_000)
    lock.check()
    now[0] += 14 * 60
    lock.check()
    assert not lock.locked  # 14 of the policy's 15 minutes
    now[0] += 60
    lock.check()
    assert lock.locked and lock.dialog is not None and lock.dialog.isVisible()
    covers = dialog.findChildren(QLabel, "lock_cover")
    assert covers and covers[0].isVisible() and covers[0].geometry() == dialog.rect()
    intro = lock.dialog.findChild(QLabel, "form_intro")
    assert intro is not None
    assert "locked after 15 minutes without use. maria, enter your password" in intro.text()
    save_screenshot(lock.dialog, "unlock")
    lock.dialog.password.setText("wrong password")
    assert not lock.dialog.sign_in()
    assert lock.locked
    lock.dialog.password.setText(PASSWORD)
    assert lock.dialog.sign_in()
    qtbot.waitUntil(lambda: not lock.locked)
    qtbot.waitUntil(
        lambda: not [w for w in QApplication.allWidgets() if w.objectName() == "lock_cover"]
    )
    assert dialog.isVisible() and dialog.vitals.item(0, 2).text() == "131"
    assert staffed.db.actor is not None and staffed.db.actor.name == "maria"


def test_a_front_desk_account_cannot_open_a_record(qtbot: Any, staffed: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    from planner.ui.record.record_dialog import open_session_record

    accounts.create_account(staffed.db, "fred", "front_desk", PASSWORD)
    accounts.sign_in(staffed.db, "fred", PASSWORD)
    seen: list[str] = []
    answer(QMessageBox, lambda box: (seen.append(box.text()), box.accept()))
    assert open_session_record(None, staffed, "X-1") is None
    assert seen == ["fred (Front desk) may not read session records; nothing was changed"]
