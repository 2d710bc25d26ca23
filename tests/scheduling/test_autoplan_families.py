"""The auto-planner on every family of the benchmark: optimal in miniature, deterministic,
within the rules, progress and cancelling, and an honest reason for what it leaves out."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from bench.autoplan_families import FAMILIES, build, family, small
from bench.records import opening
from bench.records import staff as staff_member
from planner.scheduling import PlanningCancelled, autoplan, greedy_autoplan
from planner.scheduling.autoplan import AutoplanResult
from planner.scheduling.rules_bridge import NewSession, check_sessions, planner_breaks
from planner.scheduling.search import Solver

from .brute import Exhaustive
from .support import MONDAY, clinic, course, staff

CASES = [(f.name, seed) for f in FAMILIES for seed in (0, 1)]


def _sessions(result: AutoplanResult) -> list[NewSession]:
    return [
        NewSession(f"NEW-{i}", p.course, p.chair, p.start,
                   ((p.psychiatrist, "psychiatrist"), (p.monitoring_clinician, p.monitoring_role)))
        for i, p in enumerate(result.placed)
    ]


@pytest.mark.parametrize(("name", "seed"), CASES, ids=[f"{n}-{s}" for n, s in CASES])
def test_in_miniature_every_family_gets_the_most_an_exhaustive_search_finds(name: str, seed: int) -> None:
    inst = build(small(family(name)), seed)
    result = autoplan(inst.clinic, inst.first, inst.last, step=60)
    best = Exhaustive(inst.clinic, inst.first, inst.last, 60).solve()
    assert len(result.placed) == best
    assert planner_breaks(check_sessions(inst.clinic, _sessions(result))) == []
    # The bound the search stops at never cuts below what is possible.
    assert Solver(inst.clinic, inst.first, inst.last, step=60).bound >= best


@pytest.mark.parametrize("name", ["independent-week", "course-stages", "two-roles", "month"])
def test_family_plans_are_deterministic_within_the_rules_and_beat_the_greedy(name: str) -> None:
    inst = build(family(name), 0)
    first = autoplan(inst.clinic, inst.first, inst.last, budget=4000)
    assert autoplan(inst.clinic, inst.first, inst.last, budget=4000) == first
    assert planner_breaks(check_sessions(inst.clinic, _sessions(first))) == []
    assert len(first.placed) >= len(greedy_autoplan(inst.clinic, inst.first, inst.last).placed)
    assert all(u.reason and "infeasible" not in u.reason for u in first.unplaced)


def test_progress_goes_forward_to_the_end_and_changes_nothing() -> None:
    inst = build(family("split-shifts"), 0)
    seen: list[tuple[int, int]] = []
    watched = autoplan(inst.clinic, inst.first, inst.last, budget=3000,
                       progress=lambda done, total: seen.append((done, total)))
    assert watched == autoplan(inst.clinic, inst.first, inst.last, budget=3000)
    assert len(seen) > 10
    assert {total for _done, total in seen} == {3000}
    dones = [done for done, _total in seen]
    assert dones == sorted(dones) and dones[0] == 0 and dones[-1] == 3000


def test_a_progress_callback_can_stop_the_planner() -> None:
    inst = build(family("independent-week"), 0)
    calls = []

    def stop_half_way(done: int, total: int) -> None:
        calls.append(done)
        if done > total // 2:
            raise PlanningCancelled

    with pytest.raises(PlanningCancelled):
        autoplan(inst.clinic, inst.first, inst.last, budget=3000, progress=stop_half_way)
    assert calls[-1] > 1500 and calls[-1] < 3000


# -- why not ----------------------------------------------------------------------------------
def test_a_full_chair_is_named_as_the_reason() -> None:
    # One chair, open 08:00-12:00 on Monday only: two 2-hour sessions, three courses.
    spec = clinic(chairs=("CH-1",), opening_hours=opening([(0, time(8), time(12))]),
                  staff=(staff("D1", "psychiatrist"), staff("N1", "infusion_nurse"), staff("N2", "infusion_nurse")),
                  courses=tuple(course(f"C{i}", 1) for i in range(3)))
    result = autoplan(spec, MONDAY, MONDAY)
    assert len(result.placed) == 2
    assert result.unplaced_lines() == ["1 infusion could not be placed: no chair free on Mon morning"]


def test_one_person_holding_both_roles_is_named_when_nobody_else_is_free() -> None:
    both = staff_member("B1", "Dr Both", ("psychiatrist", "anesthesiologist"), MONDAY + timedelta(days=400),
                        [(d, time(8), time(18)) for d in range(5)])
    # The nurse only works the first two hours; after that Dr Both is alone.
    nurse = staff("N1", "infusion_nurse", [(0, time(8), time(10))])
    spec = clinic(staff=(both, nurse), courses=tuple(course(f"C{i}", 1) for i in range(3)),
                  concurrent_limit={"psychiatrist": 4, "anesthesiologist": 1, "infusion_nurse": 1})
    result = autoplan(spec, MONDAY, MONDAY)
    assert len(result.placed) == 1
    assert result.placed[0].start == datetime.combine(MONDAY, time(8))
    assert {u.reason for u in result.unplaced} == {
        "the only person free on Mon for either role is Dr Both, and a session needs two different people"
    }
