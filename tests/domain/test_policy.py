"""Clinic policy: DOMAIN.md defaults, overrides, and refusal of nonsense."""

from __future__ import annotations

import pytest

from planner.domain.policy import Policy


def test_defaults_follow_the_domain() -> None:
    policy = Policy()
    assert policy.concurrent_limit == {
        "psychiatrist": 4,
        "anesthesiologist": 2,
        "infusion_nurse": 2,
    }
    assert (policy.alert_systolic_above, policy.alert_diastolic_above) == (180, 110)
    assert (policy.alert_hr_above, policy.alert_hr_below, policy.alert_spo2_below) == (120, 50, 92)
    assert (policy.fasting_solids_hours, policy.fasting_clear_liquids_hours) == (6, 2)
    assert policy.overrides() == {}


def test_overrides_merge_and_round_trip() -> None:
    policy = Policy.from_overrides(
        {"concurrent_limit": {"infusion_nurse": 1}, "paper_size": "letter"}
    )
    assert policy.limit_for("infusion_nurse") == 1
    assert policy.limit_for("psychiatrist") == 4
    assert policy.paper_size == "Letter"
    assert Policy.from_overrides(policy.overrides()) == policy


@pytest.mark.parametrize(
    "bad",
    [
        {"nonsense": 1},
        {"alert_hr_above": "high"},
        {"alert_hr_above": True},
        {"concurrent_limit": {"psychiatrist": 0}},
        {"paper_size": "A3"},
        {"consent_template": 5},
    ],
)
def test_nonsense_is_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Policy.from_overrides(bad)
