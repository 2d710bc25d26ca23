"""The same attack on the commands that came with reports, calendars, the ketamine log,
stored consent wording, the letterhead logo and accounts: hostile dates, names, files
to read and places to write. For every input: exit 0, 1 or 2 with a sentence — never
70, never a traceback — and the database row-for-row unchanged when the command
refused or only read; no control character reaches the terminal.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from planner.cli import run
from planner.db.engine import Database
from tests.safety.test_attacks import _check_outcome, _count, arena, days, hostile_text, out_paths
from tests.safety.test_fuzz import _examples, _state

__all__ = ["arena"]  # the fixture, shared with the first attack

#: Commands that never write to the database, whatever they are given.
READ_ONLY = {"report", "export", "inventory", "account-list"}


@st.composite
def files_to_read(draw: st.DrawFn, places: Path, db: Database) -> str:
    """Things a command might be asked to read: devices, the database, folders, garbage."""
    choice = draw(
        st.sampled_from(["zero", "random", "folder", "fifo", "db", "missing", "garbage",
                         "fake-png", "big", "empty", "loop", "text"])
    )
    if choice == "zero":
        return "/dev/zero"
    if choice == "random":
        return "/dev/urandom"
    if choice == "db":
        return str(db.path) if db.path else "/etc/hostname"
    if choice == "garbage":
        path = places / "garbage.bin"
        path.write_bytes(bytes(range(256)) * 8)
        return str(path)
    if choice == "fake-png":
        path = places / "fake.png"
        path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        return str(path)
    if choice == "big":
        path = places / "big.txt"
        path.write_bytes(b"Consent wording.\n" * 80_000)  # over a mebibyte
        return str(path)
    if choice == "empty":
        path = places / "empty.txt"
        path.write_bytes(b"")
        return str(path)
    if choice == "text":
        path = places / "wording.txt"
        path.write_text(draw(st.text(max_size=200)), encoding="utf-8", errors="replace")
        return str(path)
    return str(places / {"folder": "folder", "fifo": "fifo", "missing": "nowhere",
                         "loop": "loop"}[choice])


@st.composite
def command_lines(draw: st.DrawFn, places: Path, db: Database) -> list[str]:
    kind = draw(st.sampled_from(["report", "calllist", "ics", "dispensing-log", "count-sheet",
                                 "inventory", "consent-template", "logo", "time-zone",
                                 "account-list", "account"]))
    out = ["--out", draw(out_paths(places, db))]
    if kind == "report":
        what = draw(st.sampled_from(["utilisation", "staff-hours", "attendance", "courses"])
                    | hostile_text)
        extra = draw(st.sampled_from([[], ["--json"], out, [*out, "--paper", "letter"]]))
        return ["report", what, "--from", draw(days), "--to", draw(days), *extra]
    if kind == "calllist":
        return ["export", "calllist", "--date", draw(days), *out]
    if kind == "ics":
        who = draw(st.sampled_from([[], ["--staff"], ["--patient"]]))
        if who:
            who.append(draw(hostile_text | st.sampled_from(["S1", "P-0001"])))
        names = draw(st.sampled_from([[], ["--with-names"]]))
        return ["export", "ics", *who, "--from", draw(days), "--to", draw(days), *out, *names]
    if kind == "dispensing-log":
        return ["export", "dispensing-log", "--from", draw(days), "--to", draw(days), *out]
    if kind == "count-sheet":
        return ["export", "inventory", "--date", draw(days), *out]
    if kind == "inventory":
        return ["inventory", "report", "--from", draw(days), "--to", draw(days)] + draw(
            st.sampled_from([[], ["--json"]])
        )
    if kind == "consent-template":
        action = draw(st.sampled_from(["import", "use", "remove", "list"]))
        if action == "import":
            source = draw(files_to_read(places, db))
            name = draw(st.sampled_from([[], ["--name"]]))
            if name:
                name.append(draw(hostile_text))
            protocol = draw(st.sampled_from([[], ["--protocol", "KET-6"], ["--protocol"]]))
            if protocol == ["--protocol"]:
                protocol.append(draw(hostile_text))
            return ["consent-template", "import", *name, *protocol, source]
        if action == "list":
            return ["consent-template", "list"]
        return ["consent-template", action, draw(hostile_text)]
    if kind == "logo":
        if draw(st.booleans()):
            return ["clinic", "logo", "--clear"]
        return ["clinic", "logo", draw(files_to_read(places, db))]
    if kind == "time-zone":
        zone = draw(st.sampled_from(["Europe/Berlin", "../../etc/passwd", "UTC", "Mars/Base",
                                     "/etc/localtime", "America/New_York"]) | hostile_text)
        return ["clinic", "time-zone", zone]
    if kind == "account-list":
        return ["account", "list"]
    action = draw(st.sampled_from(["disable", "set", "passwd", "pin"]))
    extra = ["--role", "nurse"] if action == "set" else []
    return ["account", action, draw(hostile_text), *extra]


@_examples(150)
@given(data=st.data())
def test_hostile_use_of_the_newer_commands_never_crashes(
    arena: tuple[Database, Path], data: st.DataObject, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db, places = arena
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal, nothing typed
    args = data.draw(command_lines(places, db))
    assume(all("\x00" not in a for a in args))  # the OS refuses NUL in an argument anyway
    _count(f"newer commands ({db.engine.dialect.name})")
    before = _state(db)
    code = run(["--db", db.url, *args])
    captured = capsys.readouterr()
    _check_outcome(code, captured.err)
    read_only = args[0] in READ_ONLY or args[:2] in (["account", "list"], ["consent-template", "list"])
    if code != 0 or read_only:
        assert _state(db) == before, f"{args} changed the database (exit {code})"
    for raw in ("\x1b", "\u202e"):
        assert raw not in captured.out + captured.err, "a control character reached the terminal"
