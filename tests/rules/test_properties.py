"""Property tests: the sort/sweep logic agrees with plain O(n^2) references on random schedules."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.policy import Policy
from planner.domain.records import Chair, Session
from planner.rules import IncrementalChecker, check
from planner.rules.sweeps import overlapping_pairs, overloads
from tests.rules.builders import clinic, course, patient, session, staff

SETTINGS = settings(max_examples=150, deadline=None)

intervals = st.lists(
    st.tuples(st.integers(0, 60), st.integers(0, 20)).map(lambda t: (t[0], t[0] + t[1])),
    max_size=14,
)


def ref_pairs(items: list[tuple[int, int, int]]) -> set[frozenset[int]]:
    out = set()
    for i, (s1, e1, k1) in enumerate(items):
        for s2, e2, k2 in items[i + 1 :]:
            if s1 < e1 and s2 < e2 and s1 < e2 and s2 < e1:
                out.add(frozenset((k1, k2)))
    return out


@SETTINGS
@given(intervals)
def test_overlapping_pairs_match_all_pairs_reference(spans: list[tuple[int, int]]) -> None:
    items = [(s, e, k) for k, (s, e) in enumerate(spans)]
    fast = overlapping_pairs(items)
    assert len(fast) == len({frozenset(p) for p in fast})  # each pair once
    assert {frozenset(p) for p in fast} == ref_pairs(items)


def ref_overloads(
    items: list[tuple[int, int, int, int]],
) -> dict[int, tuple[int, int, int, set[int]]]:
    """key -> (first overloaded instant, peak, limit at first peak, others), probing every start."""
    out: dict[int, tuple[int, int, int, set[int]]] = {}
    for t in sorted({s for s, e, _, _ in items if s < e}):
        active = [(k, lim) for s, e, k, lim in items if s <= t < e]
        limit = min(lim for _, lim in active)
        if len(active) <= limit:
            continue
        for k, _ in active:
            others = {o for o, _ in active if o != k}
            if k not in out:
                out[k] = (t, len(active), limit, others)
            else:
                first, peak, plimit, seen = out[k]
                seen |= others
                if len(active) > peak:
                    peak, plimit = len(active), limit
                out[k] = (first, peak, plimit, seen)
    return out


@SETTINGS
@given(intervals, st.lists(st.integers(1, 3), min_size=14, max_size=14))
def test_overloads_match_reference(spans: list[tuple[int, int]], limits: list[int]) -> None:
    items = [(s, e, k, limits[k]) for k, (s, e) in enumerate(spans)]
    fast = overloads(items)
    ref = ref_overloads(items)
    assert set(fast) == set(ref)
    for key, (first, peak, limit, others) in ref.items():
        got = fast[key]
        assert (got.start, got.peak, got.limit, got.others) == (first, peak, limit, others)
        assert items[key][0] <= got.start < got.end <= items[key][1]


# -- whole-engine properties on random clinics ------------------------------------------

CHAIRS = [Chair(ref=f"CH-{i}", name=f"Chair {i}") for i in range(1, 4)]
PSYCHS = [staff(f"D{i}", f"Dr {i}", ["psychiatrist"]) for i in range(2)]
NURSES = [staff(f"N{i}", f"Nurse {i}", ["infusion_nurse", "anesthesiologist"]) for i in range(3)]
COURSES = [course(f"C-{i}", patient(f"P-{i}", f"Patient {i}")) for i in range(4)]
DAY = datetime(2026, 12, 1, 8, 0)

session_specs = st.lists(
    st.tuples(
        st.integers(0, 36),  # start, in 15-minute steps from 08:00
        st.integers(0, 2),  # chair
        st.integers(0, 3),  # course (= patient)
        st.integers(0, 1),  # psychiatrist
        st.integers(0, 2),  # nurse
        st.sampled_from(["infusion_nurse", "anesthesiologist"]),
        st.sampled_from(["planned", "planned", "done", "cancelled", "no_show"]),
        st.sampled_from([(20, 40, 60), (0, 30, 0), (10, 40, 30)]),
    ),
    max_size=12,
)


def build(specs: list[Any]) -> list[Session]:
    return [
        session(
            f"X-{i}",
            DAY + timedelta(minutes=15 * slot),
            chair=CHAIRS[chair],
            course=COURSES[c],
            team=[(PSYCHS[p], "psychiatrist"), (NURSES[n], role)],
            status=status,
            minutes=minutes,
        )
        for i, (slot, chair, c, p, n, role, status, minutes) in enumerate(specs)
    ]


def overlap(a: Session, b: Session) -> bool:
    return a.start < b.end and b.start < a.end


def reference_conflicts(sessions: list[Session], policy: Policy) -> set[tuple[str, str, str]]:
    """(session, code, related-or-staff) by brute force over all pairs and every start instant."""
    live = [s for s in sessions if s.status not in ("cancelled", "no_show")]
    out: set[tuple[str, str, str]] = set()
    for a in live:
        for b in live:
            if a is b or not overlap(a, b):
                continue
            if a.chair.ref == b.chair.ref:
                out.add((a.ref, "chair-double-booked", b.ref))
            if a.course.patient.ref == b.course.patient.ref:
                out.add((a.ref, "patient-double-booked", b.ref))
    members = {x.staff.ref for s in live for x in s.assignments}
    for m in members:
        mine = [s for s in live if any(x.staff.ref == m for x in s.assignments)]
        for t in {s.start for s in mine}:
            active = [s for s in mine if s.start <= t < s.end]
            limit = min(
                policy.limit_for(x.role) for s in active for x in s.assignments if x.staff.ref == m
            )
            if len(active) > limit:
                out.update((s.ref, "staff-overbooked", m) for s in active)
    return out


def fast_conflicts(found: list[Any]) -> set[tuple[str, str, str]]:
    out = set()
    for v in found:
        if v.code == "staff-overbooked":
            out.add((v.session, v.code, v.staff))
        elif v.code in ("chair-double-booked", "patient-double-booked"):
            out.update((v.session, v.code, r) for r in v.related)
    return out


@SETTINGS
@given(session_specs, st.integers(1, 3))
def test_check_matches_brute_force_conflicts(specs: list[Any], nurse_limit: int) -> None:
    policy = Policy.from_overrides(
        {"concurrent_limit": {"infusion_nurse": nurse_limit, "psychiatrist": 2}}
    )
    sessions = build(specs)
    found = check(clinic(*sessions), policy)
    assert fast_conflicts(found) == reference_conflicts(sessions, policy)


@SETTINGS
@given(session_specs)
def test_incremental_agrees_with_full_check(specs: list[Any]) -> None:
    sessions = build(specs)
    data = clinic(*sessions)
    full = check(data)
    checker = IncrementalChecker(data)
    for s in sessions:
        assert checker.violations(s.ref) == [v for v in full if v.session == s.ref]
    assert checker.check_all() == full


@SETTINGS
@given(session_specs, st.integers(0, 36), st.integers(0, 2))
def test_what_if_equals_checking_the_moved_schedule(
    specs: list[Any], slot: int, chair: int
) -> None:
    sessions = [s for s in build(specs) if s.status not in ("cancelled", "no_show")]
    if not sessions:
        return
    target = sessions[0]
    new_start = DAY + timedelta(minutes=15 * slot)
    moved = dataclasses.replace(target, start=new_start, chair=CHAIRS[chair])
    expected = [v for v in check(clinic(moved, *sessions[1:])) if v.session == target.ref]
    checker = IncrementalChecker(clinic(*sessions))
    assert checker.what_if(target.ref, start=new_start, chair=CHAIRS[chair].ref) == expected
    assert checker.check_candidate(moved) == expected
