"""What the rules read, as ``typing.Protocol``s.

ORM instances (``planner.db.models``), the snapshot records of
``planner.rules.records`` and a test's own dataclasses all fit, so the rules
never depend on a database session. Members are read-only properties: the
rules never write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import Protocol


class ChairLike(Protocol):
    @property
    def ref(self) -> str: ...
    @property
    def name(self) -> str: ...


class HoursLike(Protocol):
    """One range of weekly availability (``weekday`` 0 = Monday)."""

    @property
    def weekday(self) -> int: ...
    @property
    def start_time(self) -> time: ...
    @property
    def end_time(self) -> time: ...


class LeaveLike(Protocol):
    """Leave; both dates inclusive."""

    @property
    def start_date(self) -> date: ...
    @property
    def end_date(self) -> date: ...


class StaffLike(Protocol):
    @property
    def ref(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def roles(self) -> Sequence[str]: ...
    @property
    def credential_expires(self) -> date | None: ...
    @property
    def hours(self) -> Sequence[HoursLike]: ...
    @property
    def leave(self) -> Sequence[LeaveLike]: ...


class AssignmentLike(Protocol):
    @property
    def staff(self) -> StaffLike: ...
    @property
    def role(self) -> str: ...


class PatientLike(Protocol):
    @property
    def ref(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def flags(self) -> Sequence[str]: ...
    @property
    def flags_acknowledged_by(self) -> str: ...


class ProtocolLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def infusions(self) -> int: ...
    @property
    def min_hours_between(self) -> float: ...
    @property
    def max_per_7_days(self) -> int: ...
    @property
    def max_gap_days(self) -> int: ...


class CourseLike(Protocol):
    @property
    def ref(self) -> str: ...
    @property
    def patient(self) -> PatientLike: ...
    @property
    def protocol(self) -> ProtocolLike: ...
    @property
    def planned_infusions(self) -> int: ...
    @property
    def status(self) -> str: ...


class SessionLike(Protocol):
    """An infusion session; ``end`` is the end of chair time (prep + infusion + recovery)."""

    @property
    def ref(self) -> str: ...
    @property
    def start(self) -> datetime: ...
    @property
    def end(self) -> datetime: ...
    @property
    def status(self) -> str: ...
    @property
    def chair(self) -> ChairLike: ...
    @property
    def course(self) -> CourseLike: ...
    @property
    def assignments(self) -> Sequence[AssignmentLike]: ...


class OpeningHoursLike(Protocol):
    @property
    def weekday(self) -> int: ...
    @property
    def open_time(self) -> time: ...
    @property
    def close_time(self) -> time: ...


class ClinicDataLike(Protocol):
    """Everything a check needs. ``closures`` holds dates or objects with ``.day``
    (and optionally ``.reason``). Optional extras read with ``getattr``:
    ``staff`` and ``chairs`` (so a what-if can use a staff member or chair with
    no session yet)."""

    @property
    def sessions(self) -> Iterable[SessionLike]: ...
    @property
    def opening_hours(self) -> Iterable[OpeningHoursLike]: ...
    @property
    def closures(self) -> Iterable[object]: ...
