"""The Ketamine log page with real widgets: receiving a delivery, counting a lot (a discrepancy
needs a note), the balances the page shows."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from planner.db.engine import Database, open_database
from planner.services import accounts, inventory, session_records
from planner.ui.context import AppContext, ChangeHub
from planner.ui.inventory.count_dialog import CountDialog
from planner.ui.inventory.page import InventoryPage
from planner.ui.inventory.receive_dialog import ReceiveDialog
from planner.ui.record.witness_dialog import WitnessDialog
from tests.gui.pages_fixtures import save_screenshot
from tests.gui.record_support import answer, choose
from tests.ledger_support import dose_record, load_clinic

NOW = datetime(2026, 12, 1, 17, 0)


@pytest.fixture
def ctx(qapp: Any, tmp_path: Path) -> Iterator[AppContext]:
    db: Database = open_database(f"sqlite:///{tmp_path / 'log.sqlite3'}")
    load_clinic(db)
    yield AppContext(db=db, hub=ChangeHub(), clock=lambda: NOW)
    db.close()


def _receive(dialog: ReceiveDialog, *, witness: str | None) -> None:
    dialog.lot_number.setText("KX-2291")
    dialog.concentration.setValue(50)
    dialog.ml.setValue(10)
    dialog.vials.setValue(2)
    dialog.supplier.setText("Pharma Supply Ltd")
    choose(dialog.by, "S1")
    if witness is not None:
        assert dialog.witness.combo is not None
        choose(dialog.witness.combo, witness)


def test_a_delivery_is_received_and_counted(qtbot: Any, ctx: AppContext) -> None:
    page = InventoryPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.model.rowCount() == 0

    def receive(dialog: ReceiveDialog) -> None:
        _receive(dialog, witness=None)
        assert not dialog.save()
        assert dialog.error.text() == "A delivery needs a witness: a second person who saw it"
        choose(dialog.witness.combo, "S2")
        save_screenshot(dialog, "receive-delivery")
        assert dialog.save()

    answer(ReceiveDialog, receive)
    page.receive()
    (line,) = page.model.rows()
    assert (line.lot.ref, line.balance_ug) == ("LOT-0001", 1_000_000)
    session_records.save_record(ctx.db, "X-1", dose_record(ctx.db), expected_version=None)

    def count(dialog: CountDialog) -> None:
        assert dialog.expected.text().startswith("Balance on record at the end of that day: 950 mg")
        dialog.mg.setValue(940)
        assert "differs by -10 mg: explain it in the note" in dialog.expected.text()
        choose(dialog.by, "S1")
        choose(dialog.witness.combo, "S2")
        assert not dialog.save()
        assert "explain the discrepancy in the note" in dialog.error.text()
        dialog.note.setPlainText("a vial was dropped; broken glass witnessed")
        save_screenshot(dialog, "count")
        assert dialog.save()

    answer(CountDialog, count)
    page.count()
    page.refresh()
    (line,) = page.model.rows()
    texts = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert texts[6:] == ["1000 mg", "35 mg", "15 mg", "950 mg", "940 mg on 2026-12-01", "-10 mg"]
    save_screenshot(page, "ketamine-log-page")


def test_with_accounts_the_receipt_is_witnessed_with_a_pin(qtbot: Any, ctx: AppContext) -> None:
    accounts.create_account(ctx.db, "maria", "manager", "correct horse", staff_ref="S1")
    accounts.sign_in(ctx.db, "maria", "correct horse")
    accounts.create_account(ctx.db, "tomas", "nurse", "correct horse", staff_ref="S2")
    accounts.set_pin(ctx.db, "tomas", "8642")
    page = InventoryPage(ctx)
    qtbot.addWidget(page)

    def receive(dialog: ReceiveDialog) -> None:
        assert not dialog.by.isEnabled() and dialog.by.currentData() == "S1"
        assert dialog.witness.combo is None  # the witness confirms with their PIN instead
        _receive(dialog, witness=None)
        answer(WitnessDialog, lambda box: (box.pin.setText("8642"), box.confirm()))
        assert dialog.witness.ask()
        assert dialog.witness.label.text() == "Tomás Nuñez ✓ PIN"
        assert dialog.save()

    answer(ReceiveDialog, receive)
    page.receive()
    (lot,) = inventory.list_lots(ctx.db)
    assert lot.lot.witness is not None and lot.lot.witness.name == "Tomás Nuñez"
