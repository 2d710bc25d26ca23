"""A document's controlled-substance log checked as a whole: every rule the services apply.

Run after the records themselves are valid: lot refs given once; every lot,
count and waste witnessed by a second person; ketamine drawn from a lot of
ketamine; nothing given or wasted from a lot before it was received, after it
expired, or beyond what it holds at that moment; a count that differs from the
balance explained. Each problem is named by its JSON path.
"""

from __future__ import annotations

from planner.domain.chart import entry_problems, movements
from planner.domain.inventory import (
    Movement,
    balance_at_end_of,
    count_problem,
    ledger_problems,
    witness_problem,
)
from planner.interchange.schema import ClinicDocument


def ledger_document_problems(doc: ClinicDocument) -> list[str]:
    from planner.interchange.validate import _duplicates as duplicates

    inventory = doc.inventory
    problems = duplicates(
        ((i, lot.ref) for i, lot in enumerate(inventory.lots)), "lot ref", "inventory.lots", "ref"
    )
    for i, lot in enumerate(inventory.lots):
        problem = witness_problem(lot.received_by, lot.witness, f"the receipt of lot {lot.ref}")
        if problem:
            problems.append(f"inventory.lots[{i}].witness: {problem}")
    moves: list[Movement] = []
    for i, session in enumerate(doc.sessions):
        if session.record is None:
            continue
        where = f"sessions[{i}].record."
        problems += [
            f"{path}: {text}" for path, text in entry_problems(session.record, where).items()
        ]
        moves += movements(session.record, where, session.ref)
    lots = {lot.ref: lot for lot in inventory.lots}
    problems += [f"{path}: {text}" for path, text in ledger_problems(lots, moves).items()]
    for i, count in enumerate(inventory.counts):
        path = f"inventory.counts[{i}]"
        problem = witness_problem(count.by, count.witness, "a count")
        if problem:
            problems.append(f"{path}.witness: {problem}")
        if count.day < count.lot.received:
            problems.append(
                f"{path}.date: lot {count.lot.ref} was received on "
                f"{count.lot.received:%Y-%m-%d}, after the count"
            )
            continue
        problem = count_problem(count, balance_at_end_of(count.lot, moves, count.day))
        if problem:
            problems.append(f"{path}.note: {problem}")
    return problems
