"""Render the one icon drawing into what each desktop wants: PNG sizes, .ico, .icns.

Only the SVG is kept in the repository (resources/icons/); everything here is
derived at build time, so a change to the drawing cannot leave a stale size
behind. Qt's own SVG renderer draws each size (no extra tool needed) and Pillow
(already installed with the app's PDF library) packs the Windows and macOS files.

Run: ``python packaging/make_icons.py SVG OUT_DIR ICON_ID`` → ``OUT_DIR/hicolor/NxN/apps/<id>.png``,
``OUT_DIR/hicolor/scalable/apps/<id>.svg``, ``OUT_DIR/<id>.ico``, ``OUT_DIR/<id>.icns``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

#: The sizes a Linux icon theme (hicolor) and the desktop menus ask for.
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (32, 64, 128, 256, 512, 1024)


def _render(svg: Path, sizes: tuple[int, ...], folder: Path) -> dict[int, Path]:
    """The drawing as a PNG file per size (``folder/NxN.png``), drawn by Qt (crisp at each size)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"error: {svg} is not a drawing Qt can read")
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[int, Path] = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        out[size] = folder / f"{size}x{size}.png"
        if not image.save(str(out[size])):
            raise SystemExit(f"error: could not write {out[size]}")
    return out


def build_icons(svg: Path, out_dir: Path, icon_id: str) -> None:
    from PIL import Image

    sizes = tuple(sorted(set(PNG_SIZES) | set(ICO_SIZES) | set(ICNS_SIZES)))
    pngs = _render(svg, sizes, out_dir / "rendered")
    images = {size: Image.open(path) for size, path in pngs.items()}
    for size in PNG_SIZES:
        target = out_dir / "hicolor" / f"{size}x{size}" / "apps" / f"{icon_id}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pngs[size], target)
    scalable = out_dir / "hicolor" / "scalable" / "apps" / f"{icon_id}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    images[max(ICO_SIZES)].save(
        out_dir / f"{icon_id}.ico",
        format="ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[images[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )
    images[max(ICNS_SIZES)].save(
        out_dir / f"{icon_id}.icns",
        format="ICNS",
        append_images=[images[s] for s in ICNS_SIZES if s != max(ICNS_SIZES)],
    )


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: make_icons.py SVG OUT_DIR ICON_ID", file=sys.stderr)
        return 2
    svg, out_dir, icon_id = Path(argv[0]), Path(argv[1]), argv[2]
    out_dir.mkdir(parents=True, exist_ok=True)
    build_icons(svg, out_dir, icon_id)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
