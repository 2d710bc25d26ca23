"""A property-based attack on the command line: hostile command lines, output paths,
documents and CSV files. For every input: exit 0, 1 or 2 with a sentence — never 70,
never a traceback — and a database row-for-row unchanged whenever the command refused
(or only read). CSV imports that succeed keep every name and date of birth exactly.

``PLANNER_FUZZ_SCALE`` multiplies the number of examples (as in ``test_fuzz``).
"""

from __future__ import annotations

import json
import os
import string
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from planner.cli import run
from planner.db.engine import Database
from planner.services.clinic_io import dump_document
from tests.factories import base_document, load_into
from tests.safety.test_fuzz import _examples, _state

#: Distinct inputs tried per attack (read by the summary).
STATS: dict[str, int] = {}
READ_ONLY = {"check", "export", "dump", "backup", "audit", "autoplan"}


def _count(name: str) -> None:
    STATS[name] = STATS.get(name, 0) + 1


@pytest.fixture
def arena(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Database, Path]]:
    """A clinic on each back-end, and a folder of hostile places to write to (the working
    folder too: a relative name lands there, never in the source tree)."""
    monkeypatch.chdir(tmp_path)
    load_into(db, base_document())
    places = tmp_path / "places"
    places.mkdir()
    os.mkfifo(places / "fifo")
    (places / "folder").mkdir()
    (places / "file.txt").write_text("not a folder")
    (places / "to-null").symlink_to("/dev/null")
    (places / "loop").symlink_to(places / "loop")
    if db.path is not None:
        (places / "to-db").symlink_to(db.path)
    yield db, places
    for leftover in places.rglob("*.tmp"):
        raise AssertionError(f"a temporary file was left: {leftover}")


def _check_outcome(code: int, err: str) -> None:
    assert code in (0, 1, 2), f"exit {code}: {err[-500:]}"
    assert "Traceback" not in err and "went wrong" not in err, err[-800:]
    if code:
        assert "error: " in err, err[-500:]
        sentence = err[err.index("error: ") + 7 :].strip()
        assert len(sentence) > 10, err


# ------------------------------------------------------------------ command lines

hostile_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", " ", "-", "--", "\x00", "\x1b[2J", "\u202e", "9" * 400, "../../etc/passwd",
         "X-1", "C-0001", "P-0001", "CH-1", "S1", "x" * 5000, "'; DROP TABLE patient; --"]
    ),
)
days = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(["9999-12-31", "0001-01-01", "1900-01-01", "2999-12-31", "3000-01-01",
                     "2026-02-30", "2026-13-01", "20261201", "1e9", "-2026-01-01"]),
    hostile_text,
)
weeks = st.one_of(
    st.builds(lambda y, w: f"{y:04d}-W{w:02d}", st.integers(0, 9999), st.integers(0, 60)),
    days,
)


@st.composite
def out_paths(draw: st.DrawFn, places: Path, db: Database) -> str:
    choice = draw(
        st.sampled_from(
            ["fifo", "folder", "file.txt/x", "to-null", "loop", "to-db", "new/deep/x.pdf",
             "fresh.pdf", "db", "wal", "long", "text", "-", "backups"]
        )
    )
    if choice == "db":
        return str(db.path) if db.path else str(places / "fresh.pdf")
    if choice == "wal":
        return f"{db.path}-wal" if db.path else str(places / "fresh.pdf")
    if choice == "long":
        return str(places / ("n" * 300))
    if choice == "text":
        name = draw(st.text(min_size=1, max_size=20).filter(lambda t: "\x00" not in t))
        return str(places / name)
    if choice == "backups":
        from planner.services.backup import database_backup_dir

        return str(database_backup_dir(db) / "auto-20200101-000000-000000.sqlite3")
    if choice == "-":
        return "-"
    return str(places / choice)


@st.composite
def command_lines(draw: st.DrawFn, places: Path, db: Database) -> list[str]:
    kind = draw(st.sampled_from(["check", "export", "autoplan", "dump", "backup", "audit",
                                 "import", "restore"]))
    if kind == "check":
        args = ["check"]
        for option in draw(st.lists(st.sampled_from(["--from", "--to", "--json"]), max_size=3)):
            args += [option] if option == "--json" else [option, draw(days)]
        return args
    if kind == "export":
        what = draw(st.sampled_from(["consent", "monitoring", "week", "day"]))
        value = {"consent": hostile_text | st.just("C-0001"),
                 "monitoring": hostile_text | st.just("X-1"),
                 "week": weeks, "day": days}[what]
        flag = {"consent": "--course", "monitoring": "--session", "week": "--week",
                "day": "--date"}[what]
        args = ["export", what, flag, draw(value), "--out", draw(out_paths(places, db))]
        return args + draw(st.sampled_from([[], ["--draft"], ["--paper", "letter"]]))
    if kind == "autoplan":
        return ["autoplan", "--from", draw(days), "--to", draw(days)] + draw(
            st.sampled_from([[], ["--json"]])
        )
    if kind in ("dump", "backup"):
        return [kind, "--out", draw(out_paths(places, db))]
    if kind == "audit":
        return ["audit", draw(st.sampled_from(["verify", "", "delete"]))]
    if kind == "import":  # (a FIFO with no writer would wait, as any reader of one does)
        source = draw(out_paths(places, db).filter(lambda p: not p.endswith("fifo")))
        return ["import", "patients", "--dry-run", source]
    return ["restore", draw(out_paths(places, db))]


@_examples(150)
@given(data=st.data())
def test_hostile_command_lines_never_crash_and_refusals_change_nothing(
    arena: tuple[Database, Path], data: st.DataObject, capsys: pytest.CaptureFixture[str]
) -> None:
    db, places = arena
    args = data.draw(command_lines(places, db))
    assume(all("\x00" not in a for a in args))  # the OS refuses NUL in an argument anyway
    _count(f"command lines ({db.engine.dialect.name})")
    before = _state(db)
    code = run(["--db", db.url, *args])
    captured = capsys.readouterr()
    _check_outcome(code, captured.err)
    if code != 0 or args[0] in READ_ONLY:
        assert _state(db) == before, f"{args} changed the database (exit {code})"
    for raw in ("\x1b", "\u202e"):
        assert raw not in captured.out + captured.err, "a control character reached the terminal"


# ---------------------------------------------------------------------- documents


@st.composite
def hostile_documents(draw: st.DrawFn) -> bytes:
    doc = base_document()
    attack = draw(st.sampled_from(
        ["duplicate-key", "deep", "huge-number", "control", "bom", "latin1", "nul",
         "empty-array", "nan", "mixed"]
    ))
    text = json.dumps(doc, ensure_ascii=False)
    if attack == "duplicate-key":
        text = text.replace('"name": "Zoë', '"name": "Someone", "name": "Zoë', 1)
    elif attack == "deep":
        depth = draw(st.integers(100, 5000))
        text = text[:-1] + ', "extra": ' + "[" * depth + "]" * depth + "}"
    elif attack == "huge-number":
        text = text.replace('"weight_kg": 70', f'"weight_kg": {draw(st.sampled_from(["1e308", "1e-300", "-0", "1" * 400, "1e999"]))}')
    elif attack == "control":
        text = text.replace("Zoë", "Zo\\u001b[2J\\u0007ë")
    elif attack == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    elif attack == "latin1":
        return text.encode("utf-8").replace("ë".encode(), b"\xeb")
    elif attack == "nul":
        text = text.replace("Zoë", "Zo\\u0000ë")
    elif attack == "empty-array":
        text = "[]"
    elif attack == "nan":
        text = text.replace('"weight_kg": 70', '"weight_kg": NaN')
    else:
        text = text[: draw(st.integers(0, len(text)))]
    return text.encode("utf-8")


@_examples(80)
@given(raw=hostile_documents())
def test_hostile_documents_through_load_replace(
    db: Database, tmp_path: Path, raw: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    _count(f"documents ({db.engine.dialect.name})")
    if not dump_document(db)["patients"]:
        load_into(db, base_document())
    path = tmp_path / "doc.json"
    path.write_bytes(raw)
    before = _state(db)
    code = run(["--db", db.url, "load", "--replace", str(path)])
    captured = capsys.readouterr()
    _check_outcome(code, captured.err)
    if code:
        assert _state(db) == before
    assert run(["--db", db.url, "audit", "verify"]) == 0
    capsys.readouterr()


# ----------------------------------------------------------------------------- CSVs

NAMES = st.text(
    alphabet=st.sampled_from(list(string.ascii_letters + " -'") + list("äöüßéèçñøåÆŁłŽžİığşОльгаΣ")),
    min_size=2, max_size=20,
).map(str.strip).filter(lambda n: len(n) >= 2 and n[0].isalpha())
FORMATS = {
    "iso": lambda d: d.isoformat(),
    "dmy": lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    "mdy": lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    "dot": lambda d: f"{d.day:02d}.{d.month:02d}.{d.year}",
    "digits": lambda d: d.strftime("%Y%m%d"),
    "text": lambda d: f"{d.day} {d:%b} {d.year}",
}


ORDER = {"dmy": "day", "dot": "day", "mdy": "month"}  # the others say it themselves


@st.composite
def csv_files(draw: st.DrawFn) -> dict[str, Any]:
    people = draw(st.lists(
        st.tuples(NAMES, st.dates(min_value=date(1920, 1, 1), max_value=date(2008, 12, 31))),
        min_size=1, max_size=8, unique_by=lambda p: p[0],
    ))
    fmt = draw(st.sampled_from(sorted(FORMATS)))
    second = draw(st.sampled_from([fmt, fmt, *sorted(FORMATS)]))  # sometimes a second format
    rows = [(name, born, fmt if i % 2 == 0 else second) for i, (name, born) in enumerate(people)]
    lines = ["name,dob,mrn"] + [
        f"{name},{FORMATS[f](born)},R-{i}" for i, (name, born, f) in enumerate(rows)
    ]
    text = "\n".join(lines) + "\n"
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "stray"]))
    refused = False
    if encoding == "cp1252":
        try:
            raw = text.encode("cp1252")
        except UnicodeEncodeError:
            raw, encoding = text.encode("utf-8"), "utf-8"
    elif encoding == "stray":  # one line written by another program, in Windows-1252
        raw = text.encode("utf-8") + b"Jos\xe9 Pe\xf1a,1970-01-01,R-99\n"
        if text.isascii():  # no UTF-8 in the file: Windows-1252 is its encoding
            rows.append(("José Peña", date(1970, 1, 1), "iso"))
        else:
            refused = True
    else:
        raw = text.encode(encoding)
    orders = {ORDER[f] for _, _, f in rows if f in ORDER}
    right = {"day": ["--dayfirst"], "month": ["--monthfirst"]}.get(next(iter(orders), ""), [])
    option = draw(st.sampled_from(["right", "none", "wrong"]))
    flags = {"right": right, "none": [],
             "wrong": ["--monthfirst"] if right == ["--dayfirst"] else ["--dayfirst"]}[option]
    slashed = [(b, f) for _, b, f in rows if f in ("dmy", "mdy")]
    # When is every date certain to be read as written? The order is stated rightly, or
    # the file's own unambiguous slashed dates state it, or no slashed date needs one.
    certain = len(orders) <= 1 and (
        option == "right"
        or (option == "none" and (not slashed or any(b.day > 12 for b, _ in slashed)))
        or not slashed
    )
    return {"raw": raw, "rows": rows, "flags": flags, "refused": refused, "certain": certain,
            "label": f"{fmt}+{second}/{encoding}/{option}"}


@_examples(200)
@given(case=csv_files())
def test_csv_imports_keep_every_name_and_birth_date_exactly(
    db: Database, tmp_path: Path, case: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    _count(f"csv files ({db.engine.dialect.name})")
    path = tmp_path / "patients.csv"
    path.write_bytes(case["raw"])
    before = _state(db)
    known = {p["record_number"] for p in dump_document(db)["patients"]}
    code = run(["--db", db.url, "import", "patients", *case["flags"], str(path)])
    captured = capsys.readouterr()
    _check_outcome(code, captured.err)
    assert "\x1b" not in captured.out
    if code:
        assert _state(db) == before
        return
    label = case["label"]
    assert not case["refused"], f"{label}: a file mixing encodings was imported"
    stored = {
        (p["name"], p["date_of_birth"])
        for p in dump_document(db)["patients"] if p["record_number"] not in known
    }
    assert {n for n, _ in stored} == {n for n, _, _ in case["rows"]}, f"{label}: names changed"
    if case["certain"]:
        expected = {(n, b.isoformat()) for n, b, _ in case["rows"]}
        assert stored == expected, f"{label}: a date of birth was read another way"
    (tmp_path / "base.json").write_text(json.dumps(base_document()), encoding="utf-8")
    assert run(["--db", db.url, "load", "--replace", str(tmp_path / "base.json")]) == 0
    capsys.readouterr()


# -------------------------------------------------------------------- day ranges


@_examples(120)
@given(
    start=st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)),
    span=st.integers(min_value=-5, max_value=400),
    kind=st.sampled_from(["check", "autoplan"]),
)
def test_any_date_range_is_answered(
    arena: tuple[Database, Path], start: date, span: int, kind: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, _ = arena
    _count("date ranges")
    try:
        end = start + timedelta(days=span)
    except OverflowError:
        end = date.max
    before = _state(db)
    code = run(["--db", db.url, kind, "--from", start.isoformat(), "--to", end.isoformat()])
    _check_outcome(code, capsys.readouterr().err)
    assert _state(db) == before
