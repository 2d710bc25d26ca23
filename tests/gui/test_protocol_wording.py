"""The protocol dialog says what a protocol treats and which consent wording it prints: the
built-in wording for its indication, or one of the clinic's own stored wordings."""

from __future__ import annotations

from typing import Any

from planner.services import consent_templates as ct
from planner.services.protocols import list_protocols
from planner.ui.pages.clinic_page import ClinicPage
from planner.ui.pages.protocols_panel import ProtocolDialog
from tests.gui.pages_fixtures import show_page


def _page(qtbot: Any, ctx: Any) -> ClinicPage:
    page = show_page(qtbot, ClinicPage(ctx))
    page.tabs.setCurrentWidget(page.protocols)
    return page


def _only(ctx: Any) -> Any:
    (row,) = list_protocols(ctx.db)
    return row.protocol


def test_indication_and_wording_are_chosen_saved_and_kept(qtbot: Any, small_context: Any) -> None:
    ref = ct.import_template(small_context.db, "Pain clinic wording", "Our own words for pain.")
    page = _page(qtbot, small_context)
    panel = page.protocols
    assert panel.select(_only(small_context).ref)
    dialog = panel.edit_selected()
    assert isinstance(dialog, ProtocolDialog)
    assert dialog.indication.currentData() == "depression"
    assert [dialog.wording.itemText(i) for i in range(dialog.wording.count())] == [
        "The built-in wording for depression",
        "Pain clinic wording",
    ]
    dialog.indication.setCurrentIndex(dialog.indication.findData("pain"))
    assert dialog.wording.itemText(0) == "The built-in wording for chronic pain"
    dialog.wording.setCurrentIndex(1)
    assert dialog.try_save()
    saved = _only(small_context)
    assert saved.indication == "pain"
    assert saved.consent_template is not None and saved.consent_template.ref == ref
    assert ct.list_templates(small_context.db)[0].protocols == (saved.ref,)

    dialog = panel.edit_selected()  # an edit of the name keeps both
    assert dialog.indication.currentData() == "pain" and dialog.wording.currentIndex() == 1
    dialog.name.setText("Ketamine for pain")
    assert dialog.try_save()
    kept = _only(small_context)
    assert (kept.name, kept.indication, kept.consent_template) == (
        "Ketamine for pain",
        "pain",
        saved.consent_template,
    )

    dialog = panel.edit_selected()
    dialog.wording.setCurrentIndex(0)  # back to the built-in wording (for pain)
    assert dialog.try_save()
    assert _only(small_context).consent_template is None
    assert ct.list_templates(small_context.db)[0].protocols == ()


def test_a_new_protocol_prints_the_built_in_wording_unless_another_is_chosen(
    qtbot: Any, small_context: Any
) -> None:
    page = _page(qtbot, small_context)
    panel = page.protocols
    dialog = panel.new_protocol()
    assert dialog.wording.currentIndex() == 0 and dialog.wording.count() == 1
    dialog.name.setText("Ketamine, other indication")
    dialog.indication.setCurrentIndex(dialog.indication.findData("other"))
    assert dialog.try_save()
    made = {r.protocol.name: r.protocol for r in list_protocols(small_context.db)}
    assert made["Ketamine, other indication"].indication == "other"
    assert made["Ketamine, other indication"].consent_template is None
