"""A realistic demo clinic, deterministic for a seed, relative to "today".

4 chairs, 2 psychiatrists, 1 anesthesiologist, 3 infusion nurses, patients with
courses at different stages (some finished, some mid-induction, some starting
later, boosters), sessions from two weeks ago to ``weeks`` weeks ahead — and a
few deliberate problems in the current week for the rules to find.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from planner.interchange import FORMAT

FIRST_NAMES = (
    "Ana",
    "Ben",
    "Chloé",
    "Dmitri",
    "Elena",
    "Farah",
    "Gustav",
    "Hana",
    "Ivan",
    "Jana",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Søren",
    "Tomás",
    "Una",
    "Viktor",
    "Wiebke",
    "Ximena",
    "Yusuf",
    "Zoë",
    "Ольга",
    "Алексей",
    "Łucja",
    "Émile",
)
#: The demo's first names that are women's names (for the pregnancy check's "N/A").
FEMALE_NAMES = frozenset(
    {
        "Ana",
        "Chloé",
        "Elena",
        "Farah",
        "Hana",
        "Jana",
        "Lena",
        "Nadia",
        "Priya",
        "Rosa",
        "Una",
        "Wiebke",
        "Ximena",
        "Zoë",
        "Ольга",
        "Łucja",
    }
)
#: What the demo's patients report, in turn: one in five has allergies on file and one
#: in seven was never asked (printed "ALLERGIES NOT RECORDED — ask").
_ALLERGIES: tuple[list[str] | None, ...] = (
    [],
    ["Penicillin"],
    [],
    None,
    [],
    ["Latex", "Codeine"],
    [],
)


LAST_NAMES = (
    "Andersen",
    "Baker",
    "Castillo",
    "Dubois",
    "Eriksson",
    "Fischer",
    "García",
    "Horvat",
    "Ibrahim",
    "Jovanović",
    "Kowalski",
    "López",
    "Meyer",
    "Novák",
    "O'Brien",
    "Petrova",
    "Quinn",
    "Rossi",
    "Schäfer",
    "Tanaka",
    "Uddin",
    "Varga",
    "Walsh",
    "Yilmaz",
    "Zieliński",
    "Иванова",
    "Смирнов",
    "Nuñez",
    "Åberg",
    "Öztürk",
)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
SLOTS = (time(8), time(10), time(12), time(14), time(16))  # 2 h of chair time each
CHAIRS = 4
PSYCHIATRISTS = ("S-001", "S-002")
MONITORS = ("S-003", "S-004", "S-005", "S-006")
LIMITS = {"S-001": 4, "S-002": 4, "S-003": 2, "S-004": 2, "S-005": 2, "S-006": 2}
ROLE = {
    "S-001": "psychiatrist",
    "S-002": "psychiatrist",
    "S-003": "anesthesiologist",
    "S-004": "infusion_nurse",
    "S-005": "infusion_nurse",
    "S-006": "infusion_nurse",
}
WORKDAYS = {
    "S-001": (0, 1, 2, 3, 4),
    "S-002": (0, 1, 2, 3, 4),
    "S-003": (0, 2, 4),
    "S-004": (0, 1, 2, 3, 4),
    "S-005": (0, 1, 2, 3),
    "S-006": (1, 2, 3, 4),
}


@dataclass
class _Board:
    """Who and what is taken at each (day, slot)."""

    chairs: dict[tuple[date, int], set[int]] = field(default_factory=dict)
    staff: dict[tuple[date, int, str], int] = field(default_factory=dict)
    patients: set[tuple[date, str]] = field(default_factory=set)

    def free_chair(self, day: date, slot: int) -> int | None:
        taken = self.chairs.get((day, slot), set())
        return next((c for c in range(CHAIRS) if c not in taken), None)

    def free_staff(
        self, day: date, slot: int, pool: tuple[str, ...], leave: dict[str, tuple[date, date]]
    ) -> str | None:
        for ref in pool:
            if day.weekday() not in WORKDAYS[ref]:
                continue
            span = leave.get(ref)
            if span and span[0] <= day <= span[1]:
                continue
            if self.staff.get((day, slot, ref), 0) < LIMITS[ref]:
                return ref
        return None


def _kg(value: float) -> float | int:
    """A weight to one decimal, whole numbers without ``.0`` (as ``dump`` writes them)."""
    kg = round(value, 1)
    return int(kg) if kg.is_integer() else kg


def _closures(first: date, last: date) -> list[date]:
    days = []
    for year in range(first.year, last.year + 2):
        for month, day in ((12, 24), (12, 25), (12, 26), (12, 31), (1, 1)):
            d = date(year, month, day)
            if first - timedelta(days=7) <= d <= last + timedelta(days=7) and d.weekday() < 5:
                days.append(d)
    return sorted(set(days))


def _induction_dates(
    start: date, count: int, pattern: tuple[int, ...], closed: set[date]
) -> list[date]:
    out: list[date] = []
    day = start
    while len(out) < count:
        if day.weekday() in pattern and day not in closed:
            out.append(day)
        day += timedelta(days=1)
    return out


def _signed(planned: date, today: date, draw: float) -> str | None:
    """The consent date of a course: never after today, as the consent dialog allows.

    A course whose planned signing day is still ahead was signed today by some
    patients and not yet by others (then the Courses page shows it unsigned).
    """
    if planned > today:
        return today.isoformat() if draw > 0.5 else None
    return planned.isoformat() if draw > 0.1 or planned < today else None


def build_demo_document(*, seed: int = 1, weeks: int = 4, today: date) -> dict[str, Any]:
    """The demo clinic as an ``infusion-planner/1`` document (load it with ``load``)."""
    rng = random.Random(seed)
    monday = today - timedelta(days=today.weekday())
    # The week a manager looks at: this one, or the next one at the weekend.
    focus = monday if today.weekday() < 5 else monday + timedelta(weeks=1)
    first_day = monday - timedelta(weeks=2)
    last_day = focus + timedelta(weeks=weeks) - timedelta(days=1)
    closures = _closures(first_day, last_day)
    closed = set(closures)
    # Dr Müller is away Thu–Fri that week; late in the week or in a holiday week, from the
    # next open weekday on, so the demo always shows him booked on a day of his leave.
    leave_start = max(focus + timedelta(days=3), today)
    while leave_start.weekday() >= 5 or leave_start in closed:
        leave_start += timedelta(days=1)
    leave = {"S-002": (leave_start, leave_start + timedelta(days=1))}
    board = _Board()
    patients: list[dict[str, Any]] = []
    courses: list[dict[str, Any]] = []
    sessions: list[dict[str, Any]] = []

    def new_patient() -> str:
        n = len(patients) + 1
        ref = f"P-{n:04d}"
        first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        last = LAST_NAMES[rng.randrange(len(LAST_NAMES))]
        born = date(1950 + rng.randrange(52), 1 + rng.randrange(12), 1 + rng.randrange(28))
        escort_first = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))]
        allergies = _ALLERGIES[n % len(_ALLERGIES)]
        patients.append(
            {
                "ref": ref,
                "name": f"{first} {last}",
                "date_of_birth": born.isoformat(),
                "record_number": f"MRN-{100000 + n * 7}",
                "sex": "female" if first in FEMALE_NAMES else "male",
                "phone": f"+1 555 02{n % 100:02d}",
                "weight_kg": _kg(rng.uniform(48, 115)),
                "weight_measured": (today - timedelta(days=(n * 11) % 50)).isoformat(),
                # Not recorded is written as no key at all, as a dump writes it.
                **({} if allergies is None else {"allergies": allergies}),
                "flags": [],
                "escort": {"name": f"{escort_first} {last}", "phone": f"+1 555 01{n % 100:02d}"},
                "notes": "",
            }
        )
        return ref

    def book(
        course_ref: str, patient_ref: str, day: date, preferred: int, minutes: int = 120
    ) -> bool:
        span = max(1, -(-minutes // 120))
        for offset in range(len(SLOTS)):
            slot = (preferred + offset) % len(SLOTS)
            if slot + span > len(SLOTS) or (day, patient_ref) in board.patients:
                continue
            slots = range(slot, slot + span)
            chair = board.free_chair(day, slot)
            if chair is None or any(chair in board.chairs.get((day, s), set()) for s in slots):
                continue
            psych = board.free_staff(day, slot, PSYCHIATRISTS, leave)
            monitor = board.free_staff(day, slot, MONITORS, leave)
            if psych is None or monitor is None:
                continue
            if any(
                board.staff.get((day, s, r), 0) >= LIMITS[r]
                for s in slots
                for r in (psych, monitor)
            ):
                continue
            for s in slots:
                board.chairs.setdefault((day, s), set()).add(chair)
                for r in (psych, monitor):
                    board.staff[(day, s, r)] = board.staff.get((day, s, r), 0) + 1
            board.patients.add((day, patient_ref))
            start = datetime.combine(day, SLOTS[slot])
            status = "planned"
            if day < today:
                status = "done" if rng.random() > 0.05 else "no_show"
            elif day < monday + timedelta(days=7):
                status = "confirmed"
            sessions.append(
                {
                    "ref": f"X-{len(sessions) + 1:05d}",
                    "course": course_ref,
                    "chair": f"CH-{chair + 1:02d}",
                    "start": start.strftime("%Y-%m-%dT%H:%M"),
                    "status": status,
                    "assignments": [
                        {"staff": psych, "role": "psychiatrist"},
                        {"staff": monitor, "role": ROLE[monitor]},
                    ],
                }
            )
            return True
        return False

    # New induction courses start through the whole span, ~6 a week; boosters follow.
    boosters: list[tuple[date, str]] = []
    start = first_day - timedelta(weeks=1)
    step = 7 / 6
    k = 0
    while True:
        course_start = start + timedelta(days=int(k * step))
        if course_start > last_day - timedelta(days=2):
            break
        k += 1
        patient_ref = new_patient()
        course_ref = f"C-{len(courses) + 1:04d}"
        pattern: tuple[int, ...] = (0, 2, 4) if rng.random() < 0.5 else (1, 3)
        pain = rng.random() < 0.08
        protocol = "KET-PAIN" if pain else "KET-DEP"
        planned = 5 if pain else 6
        if pain:
            pattern = (0, 1, 2, 3, 4)
        dates = _induction_dates(course_start, planned, pattern, closed)
        consent = course_start - timedelta(days=rng.randrange(2, 8))
        booked = [d for d in dates if first_day <= d <= last_day]
        preferred = rng.randrange(len(SLOTS) - (2 if pain else 0))
        for day in booked:
            book(course_ref, patient_ref, day, preferred, 320 if pain else 120)
        finished = bool(dates) and dates[-1] < today
        courses.append(
            {
                "ref": course_ref,
                "patient": patient_ref,
                "protocol": protocol,
                "planned_infusions": planned,
                "consent_date": _signed(consent, today, rng.random()),
                "status": "completed" if finished and booked else "active",
                "pattern": "FREQ=WEEKLY;BYDAY=" + ",".join(WEEKDAY_CODES[d] for d in pattern),
            }
        )
        if not pain and dates:
            boosters.append((dates[-1] + timedelta(days=28 + rng.randrange(14)), patient_ref))

    for due, patient_ref in boosters:
        while due.weekday() >= 5 or due in closed:
            due += timedelta(days=1)
        if not (first_day <= due <= last_day):
            continue
        course_ref = f"C-{len(courses) + 1:04d}"
        courses.append(
            {
                "ref": course_ref,
                "patient": patient_ref,
                "protocol": "KET-BOOST",
                "planned_infusions": 1,
                "consent_date": _signed(due - timedelta(days=3), today, 1.0),
                "status": "completed" if due < today else "active",
            }
        )
        book(course_ref, patient_ref, due, rng.randrange(len(SLOTS)))

    _add_deliberate_problems(rng, focus, today, patients, sessions, leave)
    sessions.sort(key=lambda s: s["ref"])
    return {
        "format": FORMAT,
        "clinic": {
            "name": "Lakeside Infusion Clinic",
            "address": "12 Harbour Road, Springfield",
            "phone": "+1 555 0100",
            "opening_hours": [
                {"weekday": d, "open": "08:00", "close": "18:00"} for d in WEEKDAY_CODES[:5]
            ],
            "closures": [d.isoformat() for d in closures],
        },
        "policy": {},
        "protocols": _protocols(),
        "chairs": [
            {
                "ref": f"CH-{i + 1:02d}",
                "name": f"Chair {i + 1}",
                "room": "Room A" if i < 2 else "Room B",
            }
            for i in range(CHAIRS)
        ],
        "staff": _staff(today, leave),
        "patients": patients,
        "courses": courses,
        "sessions": sessions,
    }


def _add_deliberate_problems(
    rng: random.Random,
    monday: date,
    today: date,
    patients: list[dict[str, Any]],
    sessions: list[dict[str, Any]],
    leave: dict[str, tuple[date, date]],
) -> None:
    """A few things a planner must catch, in the week in focus (``monday``) when it still
    has sessions ahead, otherwise in the first sessions from today on (a holiday week)."""
    upcoming = [
        s
        for s in sessions
        if datetime.fromisoformat(s["start"]).date() >= today and s["status"] != "no_show"
    ]
    week = [
        s
        for s in upcoming
        if monday <= datetime.fromisoformat(s["start"]).date() < monday + timedelta(days=5)
    ]
    pool = week if len(week) >= 3 else upcoming
    if pool:
        # 1. the monitoring clinician was never assigned
        missing = pool[len(pool) // 3]
        missing["assignments"] = [a for a in missing["assignments"] if a["role"] == "psychiatrist"]
        # 2. Dr Müller is booked on a day of his leave
        on_leave_day = leave["S-002"][0]
        for s in upcoming:
            if datetime.fromisoformat(s["start"]).date() == on_leave_day and s is not missing:
                for a in s["assignments"]:
                    if a["role"] == "psychiatrist":
                        a["staff"] = "S-002"
                break
    # 3. two patients with exclusion flags, one acknowledged by a clinician
    if len(patients) >= 5:
        patients[2]["flags"] = ["uncontrolled_hypertension"]
        patients[4]["flags"] = ["psychosis_history"]
        # keys in the order ``dump`` writes them, so demo --out, load, dump gives the same file
        acknowledged: dict[str, Any] = {}
        for key, value in patients[4].items():
            acknowledged[key] = value
            if key == "flags":
                acknowledged["flags_acknowledged_by"] = "Dr Ana Silva"
        patients[4] = acknowledged
    del rng


def _protocols() -> list[dict[str, Any]]:
    return [
        {
            "ref": "KET-BOOST",
            "name": "Ketamine — maintenance booster",
            "infusions": 1,
            "prep_minutes": 20,
            "infusion_minutes": 40,
            "recovery_minutes": 60,
            "min_hours_between": 48,
            "max_per_7_days": 1,
            "max_gap_days": 42,
            "dose_mg_per_kg": 0.5,
        },
        {
            "ref": "KET-DEP",
            "name": "Ketamine — depression induction",
            "infusions": 6,
            "prep_minutes": 20,
            "infusion_minutes": 40,
            "recovery_minutes": 60,
            "min_hours_between": 48,
            "max_per_7_days": 3,
            "max_gap_days": 7,
            "dose_mg_per_kg": 0.5,
        },
        {
            "ref": "KET-PAIN",
            "name": "Ketamine — chronic pain",
            "infusions": 5,
            "prep_minutes": 20,
            "infusion_minutes": 240,
            "recovery_minutes": 60,
            "min_hours_between": 20,
            "max_per_7_days": 5,
            "max_gap_days": 3,
            "dose_mg_per_kg": 0.5,
        },
    ]


def _staff(today: date, leave: dict[str, tuple[date, date]]) -> list[dict[str, Any]]:
    names = {
        "S-001": "Dr Ana Silva",
        "S-002": "Dr Jonas Müller",
        "S-003": "Dr Kwame Mensah",
        "S-004": "Grace O'Neill",
        "S-005": "Lukas Nowak",
        "S-006": "Sofía Ramírez",
    }
    expiry = {ref: date(today.year + 2, 6, 30) for ref in names}
    expiry["S-006"] = today + timedelta(days=20)  # renewal due soon: highlighted in Staff
    out = []
    for ref, name in names.items():
        span = leave.get(ref)
        out.append(
            {
                "ref": ref,
                "name": name,
                "roles": [ROLE[ref]],
                "credential_expires": expiry[ref].isoformat(),
                "hours": [
                    {"weekday": WEEKDAY_CODES[d], "start": "08:00", "end": "18:00"}
                    for d in WORKDAYS[ref]
                ],
                "leave": [{"from": span[0].isoformat(), "to": span[1].isoformat()}] if span else [],
            }
        )
    return out
