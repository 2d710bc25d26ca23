"""What a session card says about who: a patient label and staff codes no two people share.

Pure functions over the week's snapshot (no Qt), so the rules are easy to test:

- a patient is "Surname I." ("Rossi A."); when two patients of the week would read the
  same, each gets the tail of their record number ("Tanaka K. #112", "Tanaka K. #126");
- a staff member is their initials ("AS"); when two people of the week share them, the
  surname's next letters tell them apart ("ASi", "ASm") — the legend names everyone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from planner.services.week import SessionSnapshot, WeekSnapshot, initials

_TITLES = {"dr", "prof", "mr", "mrs", "ms", "mx", "rn", "md"}
#: At least this many characters of the record number are shown when names collide.
MIN_RECORD_TAIL = 3


def _words(name: str) -> list[str]:
    return [w for w in name.replace(".", " ").split() if w.lower() not in _TITLES] or [name]


def short_name(name: str) -> str:
    """"Ana Rossi" -> "Rossi A."; a single name stays as it is."""
    words = _words(name)
    if len(words) == 1:
        return words[0]
    return f"{words[-1]} {words[0][0]}."


def _distinct_tails(records: list[str]) -> dict[str, str]:
    """The shortest tails (at least ``MIN_RECORD_TAIL`` long) that tell ``records`` apart."""
    longest = max((len(r) for r in records), default=0)
    for size in range(MIN_RECORD_TAIL, longest + 1):
        tails = {r: r[-size:] for r in records}
        if len(set(tails.values())) == len(set(records)):
            return tails
    return {r: r for r in records}


def patient_labels(sessions: Iterable[SessionSnapshot]) -> dict[str, str]:
    """patient ref -> the label on their cards, unambiguous among ``sessions``' patients."""
    people: dict[str, tuple[str, str]] = {}
    for s in sessions:
        people.setdefault(s.patient_ref, (s.patient_name, s.patient_record))
    by_label: dict[str, list[str]] = {}
    for ref, (name, _record) in people.items():
        by_label.setdefault(short_name(name), []).append(ref)
    out: dict[str, str] = {}
    for label, refs in by_label.items():
        if len(refs) == 1:
            out[refs[0]] = label
            continue
        records = [people[r][1] or r for r in refs]
        tails = _distinct_tails(records)
        for ref, record in zip(refs, records, strict=True):
            out[ref] = f"{label} #{tails[record]}"
    return out


def staff_codes(names: dict[str, str]) -> dict[str, str]:
    """staff ref -> a short code, unique among ``names`` (ref -> full name)."""
    first = {ref: initials(name) for ref, name in names.items()}
    out: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    for ref, code in first.items():
        groups.setdefault(code, []).append(ref)
    for code, refs in groups.items():
        if len(refs) == 1:
            out[refs[0]] = code
            continue
        surnames = {ref: _words(names[ref])[-1] for ref in refs}
        longest = max(len(v) for v in surnames.values())
        tried = {ref: code + surnames[ref][1:2].lower() for ref in refs}
        for extra in range(2, longest):
            if len(set(tried.values())) == len(refs):
                break
            longer = {ref: code + surnames[ref][1 : 1 + extra].lower() for ref in refs}
            if len(set(longer.values())) == len(refs):
                tried = longer
        out.update(tried)
        seen: dict[str, int] = {}
        for ref in sorted(refs):  # still equal ("Ana Silva" twice): number them
            n = seen[out[ref]] = seen.get(out[ref], 0) + 1
            if n > 1:
                out[ref] = f"{out[ref]}{n}"
    return out


@dataclass(frozen=True)
class WeekLabels:
    """The week's patient labels and staff codes, made once per shown week."""

    patients: dict[str, str]
    staff: dict[str, str]
    staff_names: dict[str, str]

    def patient(self, s: SessionSnapshot) -> str:
        return self.patients.get(s.patient_ref) or short_name(s.patient_name)

    def staff_line(self, s: SessionSnapshot, missing: str) -> str:
        """"AS · LN": psychiatrist then monitoring clinician; ``missing`` for an empty role."""
        psy, mon = s.psychiatrist, s.monitoring
        parts = [self.staff.get(p.ref, p.initials) if p else missing for p in (psy, mon)]
        return " · ".join(parts)


def week_labels(week: WeekSnapshot, extra: Iterable[SessionSnapshot] = ()) -> WeekLabels:
    """Labels for ``week`` (and ``extra`` sessions shown with it, e.g. auto-plan proposals)."""
    sessions = [*week.sessions, *extra]
    names = {m.ref: m.name for m in week.staff}
    for s in sessions:
        for p in s.staff:
            names.setdefault(p.ref, p.name)
    return WeekLabels(patient_labels(sessions), staff_codes(names), names)


#: What a card may show besides the patient (the settings' keys).
CARD_STAFF, CARD_TIME, CARD_PROTOCOL = "staff", "time", "protocol"
CARD_PARTS = (CARD_STAFF, CARD_TIME, CARD_PROTOCOL)


@dataclass(frozen=True)
class CardOptions:
    """Which lines a card shows under the patient, in this order when there is room."""

    staff: bool = True
    time: bool = True
    protocol: bool = True

    @classmethod
    def from_parts(cls, parts: Iterable[str]) -> CardOptions:
        chosen = set(parts)
        return cls(**{p: p in chosen for p in CARD_PARTS})

    def parts(self) -> list[str]:
        return [p for p in CARD_PARTS if getattr(self, p)]
