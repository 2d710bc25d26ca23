"""Shared fixtures: fresh settings and data folder per test, databases on SQLite and PostgreSQL."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

import planner.ui  # noqa: E402,F401  (keeps None alive under PySide6 6.12 on Python 3.11)
from planner.db.engine import Database, open_database  # noqa: E402
from tests.databases import SqliteTemplate, migrated_sqlite, reset_postgres, use_sqlite_template  # noqa: E402

PG_URL_ENV = "PLANNER_TEST_PG_URL"
_pg_skips: list[str] = []


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "qtbot" in names or "qapp" in names or "qtmodeltester" in names:
            item.add_marker(pytest.mark.gui)
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("db_url") == "postgres":
            item.add_marker(pytest.mark.postgres)


def pytest_report_header() -> str:
    url = os.environ.get(PG_URL_ENV)
    if url:
        return f"PostgreSQL tests: ON ({url.split('@')[-1]})"
    return f"PostgreSQL tests: OFF — {PG_URL_ENV} is not set, every postgres test is SKIPPED"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _pg_skips:
        terminalreporter.write_sep("!", "PostgreSQL NOT TESTED", red=True, bold=True)
        terminalreporter.write_line(
            f"{len(_pg_skips)} database test(s) were skipped on PostgreSQL because "
            f"{PG_URL_ENV} is not set. Run .ci/run (or start a server and set it) to test them."
        )


@pytest.fixture(autouse=True)
def _gc_on_the_gui_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """As in the app: in Qt tests, garbage is collected on the GUI thread only."""
    names = request.fixturenames
    if not ("qtbot" in names or "qapp" in names or "qtmodeltester" in names):
        yield
        return
    from planner.ui.gui_thread_gc import GuiThreadCollector

    request.getfixturevalue("qapp")
    collector = GuiThreadCollector(interval_ms=100)
    try:
        yield
    finally:
        collector.stop()
        collector.deleteLater()


@pytest.fixture(autouse=True)
def fresh_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own data folder and user name; nothing touches the real profile."""
    data = tmp_path / "planner-data"
    monkeypatch.setenv("PLANNER_DATA_DIR", str(data))
    monkeypatch.setenv("PLANNER_USER", "tester")
    monkeypatch.delenv("PLANNER_DB_URL", raising=False)
    return data


@pytest.fixture(scope="session", autouse=True)
def _database_template(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One migrated SQLite template per test session (made when a test first needs it)."""
    use_sqlite_template(SqliteTemplate(tmp_path_factory.mktemp("template")))


def _postgres_url(request: pytest.FixtureRequest) -> str:
    url = os.environ.get(PG_URL_ENV)
    if not url:
        _pg_skips.append(request.node.nodeid)
        pytest.skip(f"PostgreSQL NOT TESTED: {PG_URL_ENV} is not set")
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to a migrated database without data: a SQLite file, then the real PostgreSQL server."""
    if request.param == "sqlite":
        return migrated_sqlite(tmp_path / "clinic.sqlite3")
    url = _postgres_url(request)
    reset_postgres(url)
    return url


@pytest.fixture(params=["sqlite", "postgres"])
def empty_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to a database with no schema at all (for the migrations themselves)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    url = _postgres_url(request)
    reset_postgres(url, migrated=False)
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    """A fresh, migrated database on each back-end."""
    database = open_database(db_url)
    yield database
    database.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    """A fresh, migrated SQLite database (for tests that are about the core, not the back-end)."""
    database = open_database(migrated_sqlite(tmp_path / "clinic.sqlite3"))
    yield database
    database.close()
