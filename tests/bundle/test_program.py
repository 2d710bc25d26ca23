"""The program a clinic installs does what the source does: the same commands, the same window.

Every test runs twice, as separate processes with a fresh home folder and a bare
environment (no Python paths, no project folder): once from the source
(``python main.py``) and once as the bundle ``make dist`` built. The bundle is
the ``.tar.gz`` named by ``PLANNER_BUNDLE``, unpacked and installed with its own
``install.sh`` into the test's home, as a clinic would (``make dist-check`` sets
it); without it the bundle runs are skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner import __version__
from planner.settings import APP_ID
from tests.paperwork.pdfcheck import all_text, assert_missing_nothing

ROOT = Path(__file__).resolve().parents[2]
ENV_BUNDLE = "PLANNER_BUNDLE"
TIMEOUT = 240  # seconds for one run (a first start of the bundle unpacks nothing, but CI is slow)


@dataclass
class Program:
    """One way to start the app, run in its own bare environment."""

    kind: str
    argv: list[str]
    home: Path

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            "HOME": str(self.home),
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8",
        }
        env.update(extra)
        return env

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.argv, *args],
            cwd=self.home,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )

    @property
    def data_dir(self) -> Path:
        return self.home / ".local" / "share" / "InfusionPlanner"

    @property
    def log_file(self) -> Path:
        return self.home / ".local" / "state" / "InfusionPlanner" / "log" / "planner.log"


def _bundle_archive() -> Path | None:
    value = os.environ.get(ENV_BUNDLE)
    if not value:
        return None
    path = Path(value)
    assert path.is_file(), f"{ENV_BUNDLE}={value}: no such file (run make dist first)"
    return path


def install_bundle(archive: Path, where: Path, home: Path) -> Path:
    """Unpack the archive and run its install.sh for ``home``; the installed launcher."""
    with tarfile.open(archive) as tar:
        tar.extractall(where, filter="tar")
    (folder,) = [p for p in where.iterdir() if p.is_dir()]
    home.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["sh", str(folder / "install.sh")],
        env={"HOME": str(home), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
        capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )
    assert done.returncode == 0, done.stderr
    return home / ".local" / "bin" / "infusion-planner"


@pytest.fixture(scope="session")
def installed_bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    archive = _bundle_archive()
    if archive is None:
        pytest.skip(f"no bundle to test: run make dist, then make dist-check (sets {ENV_BUNDLE})")
    base = tmp_path_factory.mktemp("bundle")
    return install_bundle(archive, base / "unpacked", base / "installer-home")


@pytest.fixture(params=["source", "bundle"])
def program(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Program]:
    home = tmp_path / "home"
    home.mkdir()
    if request.param == "source":
        yield Program("source", [sys.executable, str(ROOT / "main.py")], home)
    else:
        launcher: Path = request.getfixturevalue("installed_bundle")
        yield Program("bundle", [str(launcher)], home)


def test_version_is_the_package_version(program: Program) -> None:
    done = program.run("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"infusion-planner {__version__}"


def _a_fully_staffed_day(doc: dict) -> tuple[str, list[str]]:
    """A date whose every booked session has both roles, and its patients' names."""
    courses = {c["ref"]: c["patient"] for c in doc["courses"]}
    names = {p["ref"]: p["name"] for p in doc["patients"]}
    by_day: dict[str, list[dict]] = {}
    for session in doc["sessions"]:
        if session.get("status", "planned") not in ("cancelled", "no_show"):
            by_day.setdefault(session["start"][:10], []).append(session)
    for day, sessions in sorted(by_day.items()):
        staffed = all(
            {"psychiatrist"} <= {a["role"] for a in s.get("assignments", [])}
            and {a["role"] for a in s.get("assignments", [])} & {"anesthesiologist", "infusion_nurse"}
            for s in sessions
        )
        if staffed and len(sessions) >= 2:
            return day, sorted({names[courses[s["course"]]] for s in sessions})
    raise AssertionError("the demo clinic has no fully staffed day")


def test_demo_check_and_day_packet(program: Program) -> None:
    demo = program.run("demo")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.startswith("loaded ") and "sessions" in demo.stdout
    assert (program.data_dir / "planner.sqlite3").is_file()

    check = program.run("check")
    assert check.returncode == 1, check.stderr  # the demo clinic has a few deliberate problems
    assert "sessions checked" in check.stdout and "missing-" in check.stdout
    problems = json.loads(program.run("check", "--json").stdout)
    assert problems and all("code" in p and "severity" in p for p in problems)

    dump = program.run("dump", "--out", "clinic.json")
    assert dump.returncode == 0, dump.stderr
    doc = json.loads((program.home / "clinic.json").read_text(encoding="utf-8"))
    day, patients = _a_fully_staffed_day(doc)
    export = program.run("export", "day", "--date", day, "--out", "day.pdf")
    assert export.returncode == 0, export.stderr
    text = all_text((program.home / "day.pdf").read_bytes())
    assert_missing_nothing(text, ["Run sheet", doc["clinic"]["name"], day, *patients])


def test_encrypted_and_shared_database_drivers_are_there(program: Program) -> None:
    url = f"sqlite+pysqlcipher://:clinic-key@/{program.home / 'clinic.db'}"
    assert program.run("--db", url, "demo").returncode == 0
    assert not (program.home / "clinic.db").read_bytes().startswith(b"SQLite format 3")
    check = program.run("--db", url, "check")
    assert check.returncode == 1 and "sessions checked" in check.stdout, check.stderr
    wrong = program.run("--db", url.replace("clinic-key", "guess"), "check")
    assert wrong.returncode == 2 and "wrong key" in wrong.stderr
    # No server on port 1: the PostgreSQL driver is there and says it could not connect.
    server = program.run("--db", "postgresql+psycopg://planner@127.0.0.1:1/clinic", "check")
    assert server.returncode == 2
    assert "connection failed" in server.stderr and "Traceback" not in server.stderr


def test_first_start_offers_the_demo_and_paints_the_week(program: Program) -> None:
    """A first start with no terminal: the data folder is made, the demo offer appears, the
    week is painted, and the backup and the log land where Help → About says."""
    done = program.run(QT_QPA_PLATFORM="offscreen", PLANNER_EXIT_AFTER_FIRST_PAINT="1")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "first-start offer: This database is empty. → Load demo clinic"
    painted = lines[1]
    assert painted.startswith("first week painted: ") and not painted.endswith(" 0 sessions")
    assert (program.data_dir / "planner.sqlite3").is_file()
    assert list((program.data_dir / "backups").rglob("auto-*.sqlite3"))  # per database
    assert program.log_file.is_file()
    assert "Traceback" not in done.stderr


def _png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_install_puts_the_app_in_the_menu_and_uninstall_removes_it(tmp_path: Path) -> None:
    archive = _bundle_archive()
    if archive is None:
        pytest.skip(f"no bundle to test: run make dist, then make dist-check (sets {ENV_BUNDLE})")
    home = tmp_path / "home"
    launcher = install_bundle(archive, tmp_path / "unpacked", home)
    app_dir = home / ".local" / "opt" / "infusion-planner"
    share = home / ".local" / "share"
    desktop = share / "applications" / f"{APP_ID}.desktop"
    entry = desktop.read_text(encoding="utf-8")
    assert f'Exec="{app_dir / "infusion-planner"}"' in entry
    assert f"Icon={APP_ID}" in entry and "Name=Infusion Planner" in entry
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        icon = share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        assert _png_size(icon) == (size, size)
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    metainfo = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    assert f'<release version="{__version__}"' in metainfo.read_text(encoding="utf-8")
    for command in (["desktop-file-validate", str(desktop)],
                    ["appstreamcli", "validate", "--no-net", str(metainfo)]):
        if shutil.which(command[0]):
            checked = subprocess.run(command, capture_output=True, text=True, check=False)
            assert checked.returncode == 0, checked.stdout + checked.stderr
    assert launcher.resolve() == (app_dir / "infusion-planner").resolve()
    version = subprocess.run([str(launcher), "--version"], env={"HOME": str(home)},
                             capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert version.stdout.strip() == f"infusion-planner {__version__}"

    # The clinic's data outlives the program.
    data = home / ".local" / "share" / "InfusionPlanner"
    assert subprocess.run([str(launcher), "demo"], env={"HOME": str(home)}, capture_output=True,
                          timeout=TIMEOUT, check=False).returncode == 0
    removed = subprocess.run(["sh", str(app_dir / "uninstall.sh")], env={"HOME": str(home), "PATH": "/usr/bin:/bin"},
                             capture_output=True, text=True, timeout=TIMEOUT, check=False)
    assert removed.returncode == 0, removed.stderr
    assert "data was kept" in removed.stdout
    assert not app_dir.exists() and not launcher.is_symlink() and not desktop.exists()
    assert not metainfo.exists()
    assert not list((share / "icons").rglob(f"{APP_ID}.*"))
    assert (data / "planner.sqlite3").is_file()
