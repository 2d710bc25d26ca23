"""Chairs: the record's limits, names unique regardless of case, retired instead of deleted."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.db.engine import Database
from planner.domain.records import Chair
from planner.services.base import ConcurrentEdit, ValidationFailed
from planner.services.chairs import create_chair, list_chairs, update_chair


def test_chair_names_unique_and_retire(db: Database) -> None:
    ref = create_chair(db, Chair(ref="", name="Recliner 1", room="Room B"))
    with pytest.raises(ValidationFailed) as caught:
        create_chair(db, Chair(ref="", name="recliner 1"))
    assert "already called" in caught.value.fields["name"]
    with pytest.raises(ValidationFailed) as caught:
        create_chair(db, Chair(ref="", name="", room="x" * 201))
    assert set(caught.value.fields) == {"name", "room"}
    (row,) = list_chairs(db)
    assert row.chair.ref == ref
    update_chair(db, replace(row.chair, active=False), expected_version=row.version)
    assert list_chairs(db, include_inactive=False) == []
    with pytest.raises(ConcurrentEdit):
        update_chair(db, replace(row.chair, name="Recliner 2"), expected_version=row.version)
