"""The CSV import's optional columns: sex, phone, the day the weight was measured, allergies.

An empty allergies cell means "not recorded" (the sheets say "ask"), "none" or "NKDA" means
no known drug allergies, and names are separated by ";". A bad value names its line and
column, and nothing is imported.
"""

from __future__ import annotations

from datetime import date

import pytest

from planner.db.engine import Database
from planner.services.base import ValidationFailed
from planner.services.patient_import import header_field, import_patients, preview_patient_csv
from planner.services.patients import list_patients

TODAY = date(2026, 11, 29)


def test_the_new_columns_are_read_and_stored(db: Database) -> None:
    text = (
        "Name,DOB,Sex,Phone,Weight (kg),Weighed on,Allergies\n"
        "Anna Berg,1980-03-25,F,+46 8 123 456,70,2026-11-01,none\n"
        "Bo Dahl,1979-04-03,male,,80,,Penicillin; Latex\n"
        "Cy Ek,1979-04-03,,,,,\n"
        "Di Fo,1979-04-03,Other,,,,NKDA\n"
    )
    preview = preview_patient_csv(db, text, today=TODAY)
    assert preview.problems == ()
    assert {"sex", "phone", "weight_measured", "allergies"} <= set(preview.columns.values())
    assert import_patients(db, preview, today=TODAY) == 4
    stored = {r.patient.name: r.patient for r in list_patients(db)}
    anna, bo, cy, di = (stored[n] for n in ("Anna Berg", "Bo Dahl", "Cy Ek", "Di Fo"))
    assert (anna.sex, anna.phone, anna.weight_measured, anna.allergies) == (
        "female",
        "+46 8 123 456",
        date(2026, 11, 1),
        (),
    )
    assert (bo.sex, bo.weight_measured, bo.allergies) == ("male", None, ("Penicillin", "Latex"))
    assert (cy.sex, cy.phone, cy.allergies) == ("unknown", "", None)  # not recorded: ask
    assert (di.sex, di.allergies) == ("other", ())


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Gender", "sex"),
        ("Mobile", "phone"),
        ("Telephone", "phone"),
        ("Escort phone", "escort_phone"),
        ("Date weighed", "weight_measured"),
        ("Weighed on (DD/MM/YYYY)", "weight_measured"),
        ("Drug allergies", "allergies"),
    ],
)
def test_headers_of_the_new_columns(header: str, field: str) -> None:
    assert header_field(header) == field


def test_bad_values_name_their_line_and_nothing_is_imported(sqlite_db: Database) -> None:
    text = (
        "name,dob,sex,weight,weighed on,allergies\n"
        "Ann,1980-01-01,q,70,,\n"
        "Bea,1980-01-01,f,70,yesterday,\n"
        "Cat,1980-01-01,f,,2026-11-01,\n"
        "Dot,1980-01-01,f,70,2026-12-01,\n"
        "Eve,1980-01-01,f,70,,Latex;latex;Latex\n"
        "Fay,1980-01-01,f,70,,Codeine\n"
    )
    preview = preview_patient_csv(sqlite_db, text, dayfirst=True, today=TODAY)
    said = {p.line: p.message for p in preview.problems}
    assert said == {
        2: "sex 'q' is not one of female, male, other (or empty: not recorded)",
        3: "weight measured: 'yesterday' is not a date",
        4: "weight measured: a date needs the weight that was measured",
        5: "weight measured: is in the future",
        6: "allergies: an allergy is listed twice",
    }
    assert [r.data.name for r in preview.rows] == ["Fay"]
    assert not preview.ok
    with pytest.raises(ValidationFailed, match="nothing imported"):
        import_patients(sqlite_db, preview, today=TODAY)
    assert list_patients(sqlite_db) == []
