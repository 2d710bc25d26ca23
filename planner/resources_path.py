"""Where the shipped resources (fonts, templates, icons) are, in a checkout or an install.

``resources/`` lives at the top of the source tree, next to the ``planner``
package, so a source checkout needs no install step. An installed or frozen
app may place it elsewhere; ``PLANNER_RESOURCES_DIR`` wins for both.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from pathlib import Path

ENV_RESOURCES_DIR = "PLANNER_RESOURCES_DIR"


class ResourceMissing(RuntimeError):
    """A shipped file is not where the app expects it (a broken install)."""


def _candidates() -> list[Path]:
    found: list[Path] = []
    override = os.environ.get(ENV_RESOURCES_DIR)
    if override:
        found.append(Path(override))
    package_parent = Path(__file__).resolve().parent.parent
    found.append(package_parent / "resources")  # source checkout
    frozen = getattr(sys, "_MEIPASS", None)  # one-folder / one-file bundles
    if frozen:
        found.append(Path(frozen) / "resources")
    found.append(Path(sys.executable).resolve().parent / "resources")
    found.append(Path(sys.prefix) / "share" / "infusion-planner" / "resources")
    return found


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    """The first resources folder that has fonts in it."""
    tried = _candidates()
    for path in tried:
        if (path / "fonts").is_dir():
            return path
    raise ResourceMissing(
        "the app's resources folder was not found (looked in: "
        + ", ".join(str(p) for p in tried)
        + f"); set {ENV_RESOURCES_DIR} to the folder that holds fonts/ and templates/"
    )


def resource(*parts: str) -> Path:
    """Path of one shipped file, e.g. ``resource("fonts", "DejaVuSans.ttf")``; must exist."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise ResourceMissing(f"missing resource file: {path}")
    return path
