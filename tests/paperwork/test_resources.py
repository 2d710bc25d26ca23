"""The shipped fonts and consent wording are found from a source checkout, or where told."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planner import resources_path
from planner.resources_path import ENV_RESOURCES_DIR, ResourceMissing, resource, resources_dir

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_lookup() -> object:
    resources_dir.cache_clear()
    yield None
    resources_dir.cache_clear()


def test_a_source_checkout_finds_fonts_licence_and_template(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ENV_RESOURCES_DIR, raising=False)
    assert resources_dir() == ROOT / "resources"
    assert resource("fonts", "DejaVuSans.ttf").stat().st_size > 100_000
    assert "Bitstream" in resource("fonts", "LICENSE-DejaVu.txt").read_text(encoding="utf-8")
    assert "[[signatures]]" in resource("templates", "consent_default.md").read_text(
        encoding="utf-8"
    )


def test_the_environment_points_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "resources" / "fonts", tmp_path / "fonts")
    monkeypatch.setenv(ENV_RESOURCES_DIR, str(tmp_path))
    assert resources_dir() == tmp_path
    with pytest.raises(ResourceMissing, match="consent_default.md"):
        resource("templates", "consent_default.md")


def test_a_broken_install_says_where_it_looked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(resources_path, "_candidates", lambda: [tmp_path / "nowhere"])
    with pytest.raises(ResourceMissing, match="nowhere"):
        resources_dir()
