"""Importing patients from a CSV file: a preview naming every bad row, then all-or-nothing.

Headers are matched loosely ("Full name", "DOB", "Birth date", "MRN",
"Record number", "Weight (kg)", "Escort phone", ...). Optional columns: sex,
phone, the day the weight was measured, and allergies ("none" = no known drug
allergies, an empty cell = not recorded, names separated by ";"). Dates are read with
dateutil in the common formats; for slashed dates like ``03/04/1980`` the
order is, in turn: the caller's choice (``dayfirst``), what the file's own
unambiguous dates show (a ``25/03/1980`` means day first), and finally the
user's locale (month first in the US and a few other countries, day first
elsewhere). The preview says which order it used. ``import_patients`` writes
every row of a clean preview in one transaction, or nothing.
"""

from __future__ import annotations

import csv
import io
import locale
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

from dateutil import parser as date_parser
from sqlalchemy import select

from planner.db.engine import Database
from planner.db.models import Patient as PatientRowModel
from planner.domain import FLAG_LABELS, PATIENT_FLAGS
from planner.domain.records import Escort, Patient
from planner.domain.vocabulary import SEXES, Flag, Sex
from planner.services.base import (
    REF_PREFIX,
    ValidationFailed,
    next_ref,
    record_audit,
    retry_on_ref_clash,
    unit_of_work,
)
from planner.services.editing import refuse
from planner.services.patients import add_patient, patient_problems

#: Normalised header (lower case, letters and digits only) → Patient field.
HEADER_ALIASES: dict[str, str] = {
    **dict.fromkeys(
        ("name", "fullname", "patient", "patientname", "patientfullname"), "name"
    ),
    **dict.fromkeys(
        ("dob", "dateofbirth", "birthdate", "birthday", "born", "birth"), "date_of_birth"
    ),
    **dict.fromkeys(
        (
            "mrn", "recordnumber", "record", "recordno", "medicalrecordnumber",
            "medicalrecord", "chartnumber", "patientid", "id",
        ),
        "record_number",
    ),
    **dict.fromkeys(("weight", "weightkg", "kg", "bodyweight"), "weight_kg"),
    **dict.fromkeys(
        (
            "weightmeasured", "weightmeasuredon", "weightdate", "weighed", "weighedon",
            "dateweighed", "weighingdate", "weightdated",
        ),
        "weight_measured",
    ),
    **dict.fromkeys(("sex", "gender", "sexatbirth"), "sex"),
    **dict.fromkeys(
        (
            "phone", "telephone", "tel", "phonenumber", "mobile", "mobilephone", "cell",
            "cellphone", "patientphone", "patienttel", "patientmobile",
        ),
        "phone",
    ),
    **dict.fromkeys(
        ("allergies", "allergy", "drugallergies", "drugallergy", "knownallergies", "allergicto"),
        "allergies",
    ),
    **dict.fromkeys(
        ("escort", "escortname", "companion", "companionname", "driver", "drivername"),
        "escort_name",
    ),
    **dict.fromkeys(
        ("escortphone", "escorttel", "escortnumber", "companionphone", "driverphone"),
        "escort_phone",
    ),
    **dict.fromkeys(("notes", "note", "comments", "comment", "remarks"), "notes"),
    **dict.fromkeys(
        ("flags", "flag", "contraindications", "contraindication", "alerts"), "flags"
    ),
    **dict.fromkeys(("flagsacknowledgedby", "acknowledgedby"), "flags_acknowledged_by"),
    # A name split over two columns is joined ("First name" + "Last name").
    **dict.fromkeys(("firstname", "givenname", "forename", "first", "given"), "first_name"),
    **dict.fromkeys(
        ("lastname", "surname", "familyname", "last", "family"), "last_name"
    ),
}
REQUIRED = ("name", "date_of_birth")
#: Columns holding dates (their headers may carry a format hint such as "(DD/MM/YYYY)").
_DATES = ("date_of_birth", "weight_measured")
MAX_ROWS = 20000
#: Locales whose users write month/day/year.
MONTH_FIRST_COUNTRIES = frozenset({"US", "PH", "FM", "MH", "PW", "BZ"})
#: A format hint in a header, e.g. "Date of birth (MM/DD/YYYY)" or "DOB [dd.mm.yyyy]".
_HINT = re.compile(r"[(\[]([^)\]]*)[)\]]")


@dataclass(frozen=True)
class ImportRow:
    """One good row: its line in the file and what will be saved."""

    line: int
    data: Patient


@dataclass(frozen=True)
class RowProblem:
    """Why a line cannot be imported (``line`` 1 is the header)."""

    line: int
    message: str
    name: str = ""

    def __str__(self) -> str:
        who = f" ({self.name})" if self.name else ""
        return f"line {self.line}{who}: {self.message}"


@dataclass(frozen=True)
class ImportPreview:
    rows: tuple[ImportRow, ...]
    problems: tuple[RowProblem, ...]
    columns: dict[str, str] = field(default_factory=dict)  # header → field
    ignored_columns: tuple[str, ...] = ()
    dayfirst: bool = True

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    def date_order(self) -> str:
        return "day/month/year" if self.dayfirst else "month/day/year"


def normalise_header(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower().replace("(kg)", "kg"))


def header_field(header: str) -> str | None:
    """The field a column header names: exact alias, or a date of birth with a format hint.

    Only dates drop their bracketed hint: "Weight (lbs)" must not be read as kilograms.
    """
    target = HEADER_ALIASES.get(normalise_header(header))
    if target is None and _HINT.search(header):
        bare = HEADER_ALIASES.get(normalise_header(_HINT.sub("", header)))
        target = bare if bare in _DATES else None
    return target


def hinted_dayfirst(header: str) -> bool | None:
    """The date order a header's format hint states: "(DD/MM/YYYY)" True, "(MM/DD/YYYY)" False."""
    for hint in _HINT.findall(header.lower()):
        compact = re.sub(r"(.)\1+", r"\1", re.sub(r"[^dmy]", "", hint))  # dd/mm/yyyy -> dmy
        if compact.startswith("dm") or compact.startswith("ydm"):
            return True
        if compact.startswith("md") or compact.startswith("ymd"):
            return False
    return None


def locale_dayfirst() -> bool:
    """Day first unless the user's locale is one that writes month/day/year."""
    try:
        name = locale.getlocale(locale.LC_TIME)[0] or locale.getlocale()[0] or ""
    except ValueError:
        name = ""
    country = name.replace("-", "_").split("_")[-1].split(".")[0].upper() if "_" in name else ""
    return country not in MONTH_FIRST_COUNTRIES


#: Encodings a user may name (``--encoding``); the keys are what they type.
ENCODINGS = {"utf-8": "utf-8-sig", "windows-1252": "cp1252", "utf-16": "utf-16"}
#: A complete multi-byte UTF-8 character: seen in a file, it shows the file is UTF-8.
_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


class EncodingProblem(ValidationFailed):
    """The file's bytes cannot be read as text without a guess; ``line`` is where."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_csv(data: bytes, encoding: str | None = None) -> str:
    """Text of a CSV file, never decoded by a guess that could change a name.

    ``encoding`` (``utf-8``, ``windows-1252``, ``utf-16``) is used as given. Otherwise:
    UTF-16 with its BOM (a spreadsheet's "Unicode text"), UTF-8 (with or without BOM),
    or Windows-1252 for a file with no UTF-8 character at all. A UTF-8 file with one
    stray byte that is not UTF-8 is refused, naming the line: reading it all as
    Windows-1252 would turn every "ü" into "Ã¼".
    """
    if encoding is not None:
        codec = ENCODINGS.get(encoding.lower().replace("_", "-").replace("cp1252", "windows-1252"))
        if codec is None:
            raise ValidationFailed(
                f"unknown encoding {encoding!r}; use one of: {', '.join(ENCODINGS)}"
            )
        try:
            return data.decode(codec)
        except UnicodeDecodeError as exc:
            line = _line_of(data, exc.start)
            raise EncodingProblem(
                f"line {line} is not valid {encoding} text (byte 0x{data[exc.start]:02X}); "
                "nothing was imported",
                line,
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and not data.startswith(b"\xff\xfe\x00\x00"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = ""
        if any(sep in text for sep in ",;\t|"):  # a CSV has columns; random bytes rarely do
            return text
        raise ValidationFailed("the file is not text in UTF-8, UTF-16 or Windows-1252 encoding")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad_line, bad_byte = _line_of(data, exc.start), data[exc.start]
    if data.startswith(b"\xef\xbb\xbf") or _UTF8_SEQUENCE.search(data):
        raise EncodingProblem(
            f"line {bad_line} is not valid UTF-8 (byte 0x{bad_byte:02X}) although the rest of "
            "the file is UTF-8: the file mixes two encodings, and guessing could change a "
            "name. Correct that line, or, if the whole file is Windows-1252, choose that "
            "encoding (--encoding windows-1252)",
            bad_line,
        )
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = _line_of(data, exc.start)
        raise EncodingProblem(
            f"the file is not text in UTF-8 or Windows-1252 encoding (line {line}, "
            f"byte 0x{data[exc.start]:02X})",
            line,
        ) from None


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    sample = text[:8192]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        return csv.excel


#: 25/12/1980, 12-25-1980, 25.12.1980, 1980-12-25, 1980 12 25 (a midnight time may follow).
_NUMERIC_DATE = re.compile(
    r"^\s*(\d{1,4})([-/. ])(\d{1,2})\2(\d{1,4})(?:[ T]0?0:00(?::00(?:\.0+)?)?)?\s*$"
)


def date_evidence(value: str) -> bool | None:
    """What one date says about the order: True day first (25/12/1980), False month first
    (12/25/1980), None either way (03/04/1980, 1980-12-25, 25 Dec 1980)."""
    match = _NUMERIC_DATE.match(value)
    if not match or len(match.group(1)) == 4:
        return None
    first, second = int(match.group(1)), int(match.group(3))
    if first > 12 >= second:
        return True
    if second > 12 >= first:
        return False
    return None


def guess_dayfirst(values: list[str]) -> bool | None:
    """What the file's unambiguous dates say (None when they do not say, or disagree)."""
    found = {date_evidence(v) for v in values} - {None}
    return found.pop() if len(found) == 1 else None


def mixed_orders(dates: list[tuple[int, str]]) -> str | None:
    """A sentence naming lines when the file writes dates both day first and month first."""
    day = next(((n, v) for n, v in dates if date_evidence(v) is True), None)
    month = next(((n, v) for n, v in dates if date_evidence(v) is False), None)
    if day is None or month is None:
        return None
    return (
        f"the dates of birth are written in two orders: day first on line {day[0]} "
        f"({day[1].strip()!r}) and month first on line {month[0]} ({month[1].strip()!r}); "
        "every other slashed date could be read either way. Write them all in one order "
        "(best: 1980-12-25) and import again"
    )


def _digits_only(text: str) -> date:
    """``19800102``: read only as year-month-day, and only when no other reading fits."""
    hint = "write it with separators, e.g. 1980-01-31"
    if len(text) != 8:
        raise ValueError(f"{text!r} is only digits; {hint}")

    def valid(year: str, month: str, day: str) -> date | None:
        try:
            found = date(int(year), int(month), int(day))
        except ValueError:
            return None
        return found if found.year >= 1800 else None

    iso = valid(text[:4], text[4:6], text[6:])
    others = [valid(text[4:], text[2:4], text[:2]), valid(text[4:], text[:2], text[2:4])]
    if iso is not None and not any(others):
        return iso
    raise ValueError(f"{text!r} is only digits and could be read more than one way; {hint}")


def _numeric(match: re.Match[str], text: str, dayfirst: bool) -> date:
    a, separator, b, c = match.groups()
    if len(a) == 4:  # 1980-12-25, 1980/12/25, 1980 12 25: always year, month, day
        year, month, day, order = a, b, c, "year-month-day"
    elif len(a) > 2:
        raise ValueError(f"{text!r} is not a date")
    else:
        if len(c) == 2:
            raise ValueError(f"{text!r} has a two-digit year; write the year in full")
        if len(c) != 4:
            raise ValueError(f"{text!r} is not a full date (day, month and year)")
        first = dayfirst or separator == "."  # 31.12.1980 is day first wherever used
        day, month = (a, b) if first else (b, a)
        year, order = c, "day/month/year" if first else "month/day/year"
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(f"{text!r} is not a date (read as {order})") from None


def parse_date(value: str, *, dayfirst: bool) -> date:
    """A full date in a common format; raises ValueError with a readable reason.

    Numbers are read strictly in the given order — ``12/25/1980`` read day first is an
    error, never quietly turned into 25 December — and digits alone only as year,
    month, day when that is the only reading.
    """
    text = value.strip()
    if not text:
        raise ValueError("a date of birth is required")
    if text.isdigit():
        return _digits_only(text)
    match = _NUMERIC_DATE.match(text)
    if match:
        return _numeric(match, text, dayfirst)
    if not re.search(r"[^\W\d_]", text):  # no month name: a form this import does not read
        raise ValueError(
            f"{text!r} is not a date in a form this import reads "
            "(e.g. 1980-12-31, 31/12/1980 or 31 Dec 1980)"
        )
    try:
        one = date_parser.parse(text, dayfirst=dayfirst, default=datetime(2000, 1, 1))
        two = date_parser.parse(text, dayfirst=dayfirst, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError, TypeError):
        raise ValueError(f"{text!r} is not a date") from None
    if one != two:
        raise ValueError(f"{text!r} is not a full date (day, month and year)")
    if one.time() != datetime.min.time():
        raise ValueError(f"{text!r} is a time, not a date of birth")
    return one.date()


def parse_weight(value: str) -> float | None:
    text = value.strip().lower()
    if not text:
        return None
    text = re.sub(r"\s*(kg|kgs|kilograms?)\.?$", "", text).replace(",", ".")
    try:
        weight = float(text)
    except ValueError:
        raise ValueError(f"weight {value.strip()!r} is not a number of kg") from None
    if weight != weight or weight in (float("inf"), float("-inf")):
        raise ValueError(f"weight {value.strip()!r} is not a number of kg")
    return weight


_FLAG_WORDS = {normalise_header(k): k for k in PATIENT_FLAGS} | {
    normalise_header(label): key for key, label in FLAG_LABELS.items()
}


#: What a sex cell may say (any case), by the value the record keeps; empty = not recorded.
_SEX_WORDS = {
    "female": "female", "f": "female", "woman": "female",
    "male": "male", "m": "male", "man": "male",
    "other": "other", "x": "other", "diverse": "other",
    "unknown": "unknown", "u": "unknown", "notrecorded": "unknown", "": "unknown",
}
#: Allergy cells that mean "no known drug allergies" (as opposed to an empty cell: not asked).
_NO_ALLERGIES = frozenset(
    {"none", "no", "nil", "nka", "nkda", "noknownallergies", "noknowndrugallergies", "noneknown"}
)


def parse_sex(value: str) -> str:
    """``F``/``female``/``m``/``other``… → the record's word; an empty cell is "unknown"."""
    sex = _SEX_WORDS.get(normalise_header(value))
    if sex is None:
        raise ValueError(
            f"sex {value.strip()!r} is not one of {', '.join(SEXES[:-1])} (or empty: not recorded)"
        )
    return sex


def parse_allergies(value: str) -> tuple[str, ...] | None:
    """An empty cell: not recorded (None); "none"/"NKDA": no known drug allergies (());
    otherwise the names, separated by ";"."""
    if not value.strip():
        return None
    if normalise_header(value) in _NO_ALLERGIES:
        return ()
    return tuple(name.strip() for name in value.split(";") if name.strip())


def parse_measured(value: str, *, dayfirst: bool) -> date | None:
    """The day a weight was measured (None for an empty cell)."""
    if not value.strip():
        return None
    return parse_date(value, dayfirst=dayfirst)


def parse_flags(value: str) -> tuple[str, ...]:
    parts = [p.strip() for p in re.split(r"[;|,]", value) if p.strip()]
    flags: list[str] = []
    unknown: list[str] = []
    for part in parts:
        key = _FLAG_WORDS.get(normalise_header(part))
        if key is None:
            unknown.append(part)
        elif key not in flags:
            flags.append(key)
    if unknown:
        raise ValueError(f"unknown flag(s): {', '.join(unknown)}")
    return tuple(flags)


def preview_patient_csv(
    db: Database, text: str, *, dayfirst: bool | None = None, today: date | None = None
) -> ImportPreview:
    """Read ``text`` as a patients CSV; every good row and every bad one with its reason."""
    today = today or date.today()
    text = text.removeprefix("\ufeff").replace("\x00", "")
    try:
        reader = csv.reader(io.StringIO(text), _dialect(text))
        lines = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        return ImportPreview((), (RowProblem(1, f"the file is not readable as CSV: {exc}"),))
    lines = [(n, row) for n, row in lines if any(cell.strip() for cell in row)]
    if not lines:
        return ImportPreview((), (RowProblem(1, "the file is empty"),))
    header_line, header = lines[0]
    columns: dict[int, str] = {}
    names: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[RowProblem] = []
    hinted: bool | None = None
    for index, title in enumerate(header):
        target = header_field(title)
        if target is None or target in columns.values():
            if title.strip():
                ignored.append(title.strip())
            continue
        columns[index] = target
        names[title.strip()] = target
        if target == "date_of_birth":
            hinted = hinted_dayfirst(title)
    split_name = "name" not in columns.values() and {"first_name", "last_name"} <= set(
        columns.values()
    )
    if not split_name:
        for index in [i for i, f in columns.items() if f in ("first_name", "last_name")]:
            title = header[index].strip()
            names.pop(title, None)
            ignored.append(title)
            del columns[index]
    present = set(columns.values()) | ({"name"} if split_name else set())
    missing = [f for f in REQUIRED if f not in present]
    if missing:
        wanted = {"name": "name column", "date_of_birth": "date of birth column (DOB)"}
        problems.append(
            RowProblem(
                header_line,
                "the header has no " + " and no ".join(wanted[m] for m in missing)
                + f" (found: {', '.join(h.strip() for h in header if h.strip()) or 'nothing'})",
            )
        )
        return ImportPreview((), tuple(problems), names, tuple(ignored), dayfirst is not False)
    body = lines[1:]
    if len(body) > MAX_ROWS:
        problems.append(RowProblem(header_line, f"more than {MAX_ROWS} rows; split the file"))
        return ImportPreview((), tuple(problems), names, tuple(ignored), dayfirst is not False)
    dob_index = next(i for i, f in columns.items() if f == "date_of_birth")
    dates = [(line, row[dob_index]) for line, row in body if dob_index < len(row)]
    mixed = mixed_orders(dates)
    if mixed:  # whatever order is chosen, some identities would be guessed: refuse
        problems.append(RowProblem(header_line, mixed))
    if dayfirst is None:
        dayfirst = hinted
    if dayfirst is None:
        guessed = guess_dayfirst([value for _, value in dates])
        dayfirst = locale_dayfirst() if guessed is None else guessed
    rows: list[ImportRow] = []
    seen_numbers: dict[str, int] = {}
    with db.begin() as session:
        for line, cells in body:
            values = {f: cells[i].strip() for i, f in columns.items() if i < len(cells)}
            if split_name:
                values["name"] = " ".join(
                    v for v in (values.get("first_name", ""), values.get("last_name", "")) if v
                )
            name = values.get("name", "")
            if len(cells) > len(header) and any(c.strip() for c in cells[len(header):]):
                problems.append(RowProblem(line, "more values than the header has columns", name))
                continue
            row_problems: list[str] = []
            born: date | None = None
            weight: float | None = None
            measured: date | None = None
            sex = "unknown"
            flags: tuple[str, ...] = ()
            try:
                born = parse_date(values.get("date_of_birth", ""), dayfirst=dayfirst)
            except ValueError as exc:
                row_problems.append(f"date of birth: {exc}")
            try:
                weight = parse_weight(values.get("weight_kg", ""))
            except ValueError as exc:
                row_problems.append(str(exc))
            try:
                measured = parse_measured(values.get("weight_measured", ""), dayfirst=dayfirst)
            except ValueError as exc:
                row_problems.append(f"weight measured: {exc}")
            try:
                sex = parse_sex(values.get("sex", ""))
            except ValueError as exc:
                row_problems.append(str(exc))
            try:
                flags = parse_flags(values.get("flags", ""))
            except ValueError as exc:
                row_problems.append(str(exc))
            data = Patient(
                ref="",
                name=name,
                date_of_birth=today if born is None else born,
                record_number=values.get("record_number", ""),
                sex=cast("Sex", sex),
                phone=values.get("phone", ""),
                weight_kg=weight,
                weight_measured=measured,
                allergies=parse_allergies(values.get("allergies", "")),
                flags=cast("tuple[Flag, ...]", flags),
                flags_acknowledged_by=values.get("flags_acknowledged_by", ""),
                escort=Escort(
                    name=values.get("escort_name", ""), phone=values.get("escort_phone", "")
                ),
                notes=values.get("notes", ""),
            )
            found = patient_problems(data, today=today, session=session, new=True)
            if born is None:
                found.pop("date_of_birth", None)  # already said why
            row_problems += [f"{k.replace('_', ' ')}: {v}" for k, v in found.items()]
            number = data.record_number
            if number and number in seen_numbers:
                row_problems.append(
                    f"record number {number} is also on line {seen_numbers[number]}"
                )
            elif number:
                seen_numbers[number] = line
            if row_problems:
                problems.append(RowProblem(line, "; ".join(row_problems), name[:60]))
            else:
                rows.append(ImportRow(line, data))
    if not body:
        problems.append(RowProblem(header_line, "the file has a header but no patients"))
    return ImportPreview(tuple(rows), tuple(problems), names, tuple(ignored), dayfirst)


def import_patients(
    db: Database, preview: ImportPreview, *, today: date | None = None, user: str | None = None
) -> int:
    """Save every row of a clean preview in one transaction; returns how many were added.

    Rows are checked again inside the transaction (another workstation may have
    added a record number since the preview); any problem saves nothing.
    """
    if preview.problems:
        raise ValidationFailed(
            "nothing imported — "
            + (
                "1 row has problems: "
                if len(preview.problems) == 1
                else f"{len(preview.problems)} rows have problems: "
            )
            + "; ".join(str(p) for p in preview.problems[:5])
        )
    if not preview.rows:
        raise ValidationFailed("nothing to import: the file has no patients")
    when = today or date.today()
    # Another workstation adding a patient at the same moment takes our first ref: retry.
    return retry_on_ref_clash(lambda: _import_rows(db, preview, today=when, user=user))


def _import_rows(db: Database, preview: ImportPreview, *, today: date, user: str | None) -> int:
    with unit_of_work(db) as session:
        taken = set(session.scalars(select(PatientRowModel.record_number)).all())
        prefix, width = REF_PREFIX["patient"]
        first = int(next_ref(session, PatientRowModel, prefix, width).split("-")[-1])
        for offset, row in enumerate(preview.rows):
            problems = patient_problems(row.data, today=today, new=True)
            ref = f"{prefix}-{first + offset:0{width}d}"
            number = row.data.record_number or f"MRN-{ref}"
            if number in taken:
                problems["record_number"] = f"record number {number} is already in use"
            refuse(problems, f"nothing imported — line {row.line}")
            taken.add(number)
            add_patient(
                session,
                PatientRowModel(ref=ref),
                row.data,
                summary=f"imported patient {row.data.name} (CSV line {row.line})",
                user=user,
            )
        record_audit(
            session,
            action="import",
            entity="patient",
            summary=f"imported {len(preview.rows)} patient(s) from CSV",
            after={"patients": len(preview.rows)},
            user=user,
        )
    return len(preview.rows)
