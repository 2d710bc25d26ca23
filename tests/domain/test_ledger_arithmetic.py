"""The balance arithmetic, property-tested: exact in micrograms, received − given − wasted,
and the first movement that would take a lot below zero is the one refused."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.inventory import (
    DrugLot,
    Movement,
    balance,
    balance_at_end_of,
    in_order,
    ledger_problems,
    overdrawn,
    to_mg,
    to_ug,
)
from planner.domain.records import StaffMember

SETTINGS = settings(max_examples=300, deadline=None)
NURSE = StaffMember(ref="S1", name="Nurse", roles=("infusion_nurse",))
START = datetime(2026, 12, 1, 8, 0)


def _lot(ref: str, vials: int, mg_per_ml: float, ml: float) -> DrugLot:
    return DrugLot(
        ref=ref,
        drug="ketamine",
        lot_number=f"N-{ref}",
        concentration_mg_per_ml=mg_per_ml,
        ml_per_vial=ml,
        vials=vials,
        received=date(2026, 11, 1),
        expires=date(2027, 11, 1),
        received_by=NURSE,
        witness=NURSE,
    )


lots = st.lists(
    st.builds(
        _lot,
        ref=st.sampled_from(["A", "B", "C"]),
        vials=st.integers(1, 20),
        mg_per_ml=st.sampled_from([10.0, 50.0, 100.0, 0.5, 12.345]),
        ml=st.sampled_from([10.0, 20.0, 5.0, 2.5, 1.001]),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda lot: lot.ref,
)
movements = st.lists(
    st.builds(
        Movement,
        lot=st.sampled_from(["A", "B", "C"]),
        at=st.integers(0, 60 * 24 * 20).map(lambda m: START + timedelta(minutes=m)),
        kind=st.sampled_from(["given", "wasted"]),
        ug=st.integers(1, 400_000),
        where=st.uuids().map(str),
    ),
    max_size=40,
)


@SETTINGS
@given(st.floats(0, 100_000).map(lambda x: round(x, 3)))
def test_milligrams_convert_exactly(mg: float) -> None:
    assert to_mg(to_ug(mg)) == mg


@SETTINGS
@given(lots, movements)
def test_the_balance_is_received_less_given_less_wasted(
    lots: list[DrugLot], moves: list[Movement]
) -> None:
    for lot in lots:
        mine = [m for m in moves if m.lot == lot.ref]
        totals = balance(lot, moves)
        assert totals.received_ug == lot.received_ug
        assert totals.given_ug == sum(m.ug for m in mine if m.kind == "given")
        assert totals.wasted_ug == sum(m.ug for m in mine if m.kind == "wasted")
        assert totals.balance_ug == totals.received_ug - totals.given_ug - totals.wasted_ug


@SETTINGS
@given(lots, movements, st.integers(0, 20))
def test_a_period_opens_with_what_was_left_before_it(
    lots: list[DrugLot], moves: list[Movement], days: int
) -> None:
    since = START.date() + timedelta(days=days)
    for lot in lots:
        whole = balance(lot, moves)
        period = balance(lot, moves, since=since)
        assert period.balance_ug == whole.balance_ug
        before = balance_at_end_of(lot, moves, since - timedelta(days=1))
        assert period.opening_ug == before


@SETTINGS
@given(lots, movements)
def test_what_is_accepted_never_goes_below_zero(lots: list[DrugLot], moves: list[Movement]) -> None:
    """Taking movements one at a time and refusing each one the rules refuse (as the services
    do), every lot's running balance stays at or above zero, and what was refused is exactly
    what would have taken a lot below zero at that moment."""
    by_ref = {lot.ref: lot for lot in lots}
    accepted: list[Movement] = []
    for m in moves:
        if m.lot not in by_ref:
            continue
        problems = ledger_problems(by_ref, [*accepted, m])
        if problems:
            # Only "more than it holds" (the lots' dates fit): on this movement or on a later
            # one it would leave short.
            assert all(key.endswith(".mg") for key in problems)
            continue
        accepted.append(m)
    for lot in lots:
        held = lot.received_ug
        for m in in_order(x for x in accepted if x.lot == lot.ref):
            held -= m.ug
            assert held >= 0
        assert balance(lot, accepted).balance_ug == held
        assert overdrawn(lot, accepted) is None


@SETTINGS
@given(lots, movements)
def test_overdrawn_names_the_first_movement_beyond_the_balance(
    lots: list[DrugLot], moves: list[Movement]
) -> None:
    for lot in lots:
        found = overdrawn(lot, moves)
        held = lot.received_ug
        for m in in_order(x for x in moves if x.lot == lot.ref):
            if m.ug > held:
                assert found == (held, m)
                break
            held -= m.ug
        else:
            assert found is None
