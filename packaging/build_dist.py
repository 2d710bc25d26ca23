"""``make dist``: the self-contained app, built from a clean copy of the source.

1. The files git tracks are copied to ``build/dist-src`` (nothing untracked, no ``.venv``).
2. A separate environment, ``build/dist-venv``, gets the app from that copy with the
   ``dist`` extra (PyInstaller, its hooks, the PostgreSQL and encryption drivers).
3. PyInstaller builds ``dist/infusion-planner/`` (one folder) with ``packaging/infusion-planner.spec``.
4. On Linux the folder gets the menu entry, icons, AppStream file and the install scripts,
   each checked (``desktop-file-validate``, ``appstreamcli`` when installed), and is packed
   as ``dist/infusion-planner-VERSION-linux-ARCH.tar.gz``.

Run with any Python 3.11+: ``python packaging/build_dist.py`` (on Windows and macOS
steps 1-3 give ``dist/InfusionPlanner/`` or ``dist/Infusion Planner.app``).
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
SRC = BUILD / "dist-src"
VENV = BUILD / "dist-venv"
DIST = ROOT / "dist"
APP_ID = "org.infusionplanner.InfusionPlanner"
LINUX = sys.platform.startswith("linux")


def say(text: str) -> None:
    print(f"[dist] {text}", flush=True)


def run(*command: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    subprocess.run([str(part) for part in command], cwd=cwd, env=env, check=True)


def clean_copy() -> Path:
    """The tracked files of the checkout, as they are in the work tree, in a fresh folder."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, check=True, capture_output=True
    ).stdout.decode()
    files = [name for name in listed.split("\0") if name and (ROOT / name).is_file()]
    if not files:
        raise SystemExit("error: git lists no files here; run make dist inside the git checkout")
    if SRC.exists():
        shutil.rmtree(SRC)
    for name in files:
        target = SRC / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    note = " (with uncommitted changes to tracked files)" if dirty else ""
    say(f"clean copy: {len(files)} tracked files in {SRC.relative_to(ROOT)}{note}; "
        "a new file is part of the build once git tracks it (git add)")
    return SRC


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def build_environment(src: Path) -> Path:
    """The build environment with the app (from the clean copy) and the dist extra."""
    python = venv_python()
    if not python.exists():
        say(f"creating the build environment {VENV.relative_to(ROOT)}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
        run(python, "-m", "pip", "install", "-q", "--upgrade", "pip")
    # Not editable: the bundle must not depend on where the source was.
    run(python, "-m", "pip", "install", "-q", f"{src}[dist]")
    run(python, "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(src))
    return python


def version_of(python: Path) -> str:
    return subprocess.run(
        [str(python), "-c", "import planner; print(planner.__version__)"],
        cwd=BUILD, check=True, capture_output=True, text=True,
    ).stdout.strip()


def pyinstaller(python: Path, src: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")  # the icon renderer needs no screen
    run(
        python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", DIST, "--workpath", BUILD / "pyinstaller",
        src / "packaging" / "infusion-planner.spec",
        cwd=src, env=env,
    )


def check_metainfo_version(metainfo: Path, version: str) -> None:
    newest = re.search(r'<release version="([^"]+)"', metainfo.read_text(encoding="utf-8"))
    if newest is None or newest.group(1) != version:
        found = newest.group(1) if newest else "none"
        raise SystemExit(
            f"error: the newest <release> in {metainfo.name} is {found}, the app is {version}: "
            "add the release there"
        )


def validate(command: list[str], what: str) -> None:
    if shutil.which(command[0]) is None:
        say(f"{command[0]} is not installed: {what} not validated")
        return
    run(*command)
    say(f"{what}: valid ({command[0]})")


def linux_desktop_files(bundle: Path, src: Path, version: str) -> None:
    """Menu entry, icons, AppStream file and the install scripts inside the bundle folder."""
    linux = src / "packaging" / "linux"
    share = bundle / "share"
    if share.exists():
        shutil.rmtree(share)
    (share / "applications").mkdir(parents=True)
    (share / "metainfo").mkdir(parents=True)
    desktop = share / "applications" / f"{APP_ID}.desktop"
    shutil.copy2(linux / f"{APP_ID}.desktop", desktop)
    metainfo = share / "metainfo" / f"{APP_ID}.metainfo.xml"
    shutil.copy2(linux / f"{APP_ID}.metainfo.xml", metainfo)
    check_metainfo_version(metainfo, version)
    shutil.copytree(BUILD / "pyinstaller" / "infusion-planner" / "icons" / "hicolor", share / "icons" / "hicolor")
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy2(linux / script, bundle / script)
        (bundle / script).chmod(0o755)
    validate(["desktop-file-validate", str(desktop)], "menu entry")
    validate(["appstreamcli", "validate", "--no-net", str(metainfo)], "AppStream metainfo")


def tarball(bundle: Path, version: str) -> Path:
    arch = platform.machine() or "unknown"
    name = f"infusion-planner-{version}"
    out = DIST / f"{name}-linux-{arch}.tar.gz"
    for old in DIST.glob("infusion-planner-*-linux-*.tar.gz"):
        old.unlink()
    with tarfile.open(out, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=name)
    return out


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.lstat().st_size for p in path.rglob("*") if not p.is_symlink()) / 1e6


def main() -> int:
    started = time.perf_counter()
    BUILD.mkdir(exist_ok=True)
    src = clean_copy()
    python = build_environment(src)
    version = version_of(python)
    say(f"building Infusion Planner {version} with PyInstaller")
    pyinstaller(python, src)
    if not LINUX:
        say(f"done in {time.perf_counter() - started:.0f} s: see {DIST}")
        return 0
    bundle = DIST / "infusion-planner"
    dangling = [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]
    if dangling:
        raise SystemExit(f"error: links to left-out files in the bundle: {dangling[:5]}")
    linux_desktop_files(bundle, src, version)
    out = tarball(bundle, version)
    elapsed = time.perf_counter() - started
    say(f"bundle: {bundle.relative_to(ROOT)} ({size_mb(bundle):.0f} MB unpacked)")
    say(f"tarball: {out.relative_to(ROOT)} ({size_mb(out):.0f} MB)")
    say(f"build time: {elapsed:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
