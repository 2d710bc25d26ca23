"""What the bundle leaves out, and why: the spec passes PyInstaller's lists through ``keep``.

The app uses six Qt modules (Core, Gui, Widgets, PrintSupport, Pdf, PdfWidgets) and the
SVG icon engine. PyInstaller's Qt hooks collect every plugin of those modules, the whole
set of Qt translations and, on Linux, the build machine's own copies of the desktop's
libraries. Three rules trim that:

1. Qt plugins for other uses (embedded screens, VNC, network status, TLS, image formats the
   app never opens, the GTK theme whose GTK cannot be shipped with it) and the Qt
   translations (the app's text is English, and Qt's own dialogs fall back to it) are dropped.
2. Libraries every Linux desktop provides and that break when a bundle brings its own copy
   (graphics drivers, fonts, GLib, the C++ runtime, the print system; the list AppImages
   also leave out) come from the system.
3. A shared library nothing left in the bundle links to is dropped (e.g. the GTK theme's
   Cairo and Pango, the print system's TLS stack), found by reading each file's ELF header.
"""

from __future__ import annotations

import fnmatch
import struct
import sys
from collections.abc import Iterable
from pathlib import Path

#: Python modules the app never imports, which some dependency mentions.
EXCLUDED_MODULES = [
    "tkinter",
    "_tkinter",
    "unittest",
    "pydoc_data",
    "lib2to3",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtUiTools",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtXml",
    "PySide6.QtConcurrent",
    # Image formats the paperwork never reads (a logo is PNG or JPEG) and Pillow's GUI glue.
    "PIL._avif",
    "PIL.AvifImagePlugin",
    "PIL._webp",
    "PIL.WebPImagePlugin",
    "PIL._imagingtk",
    "PIL.ImageTk",
    "PIL.ImageQt",
]

#: Qt plugins the app does not need (paths inside the bundle, glob patterns).
DROPPED_QT_PLUGINS = [
    "*/plugins/egldeviceintegrations/*",  # full-screen embedded devices
    "*/plugins/generic/*",  # raw input devices for those
    "*/plugins/networkinformation/*",
    "*/plugins/tls/*",
    "*/plugins/platforms/libqeglfs.so",
    "*/plugins/platforms/libqlinuxfb.so",
    "*/plugins/platforms/libqminimalegl.so",
    "*/plugins/platforms/libqvkkhrdisplay.so",
    "*/plugins/platforms/libqvnc.so",
    "*/plugins/platformthemes/libqgtk3.so",  # needs the system's GTK 3 with our Cairo/Pango
    "*/plugins/wayland-shell-integration/libfullscreen-shell-v1.so",
    "*/plugins/wayland-shell-integration/libivi-shell.so",
    "*/plugins/wayland-shell-integration/libwl-shell-plugin.so",
    "*/plugins/wayland-shell-integration/libqt-shell.so",
    "*/plugins/wayland-graphics-integration-client/*-server.so",
    "*/plugins/imageformats/libqgif*",
    "*/plugins/imageformats/libqicns*",
    "*/plugins/imageformats/libqpdf*",
    "*/plugins/imageformats/libqtga*",
    "*/plugins/imageformats/libqtiff*",
    "*/plugins/imageformats/libqwbmp*",
    "*/plugins/imageformats/libqwebp*",
    "*/Qt/translations/*",
    "*/Qt/translations",
]

#: Libraries the desktop provides (AppImage's exclude list, plus the print system).
SYSTEM_LIBRARIES = [
    "libstdc++.so.*", "libgcc_s.so.*",
    "libGL.so.*", "libEGL.so.*", "libGLX.so.*", "libGLdispatch.so.*", "libOpenGL.so.*",
    "libglapi.so.*", "libgbm.so.*", "libdrm.so.*",
    "libX11.so.*", "libX11-xcb.so.*", "libxcb.so.*", "libxcb-dri2.so.*", "libxcb-dri3.so.*",
    "libICE.so.*", "libSM.so.*",
    "libfontconfig.so.*", "libfreetype.so.*", "libharfbuzz.so.*", "libfribidi.so.*",
    "libexpat.so.*", "libz.so.*",
    "libglib-2.0.so.*", "libgio-2.0.so.*", "libgobject-2.0.so.*", "libgmodule-2.0.so.*",
    "libgdk_pixbuf-2.0.so.*", "libpango-1.0.so.*", "libpangocairo-1.0.so.*",
    "libpangoft2-1.0.so.*", "libthai.so.*",
    "libp11-kit.so.*", "libgpg-error.so.*", "libcom_err.so.*", "libgmp.so.*", "libuuid.so.*",
    "libasound.so.*", "libjack.so.*", "libusb-1.0.so.*",
    "libdbus-1.so.*", "libsystemd.so.*",
    "libcups.so.*",  # talks to the system's print server: use the system's own client
]


def _matches(name: str, patterns: Iterable[str]) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def needed_libraries(path: str | Path) -> list[str]:
    """The DT_NEEDED names of an ELF file (its direct link-time dependencies); [] if not ELF."""
    data = Path(path).read_bytes()
    if data[:4] != b"\x7fELF":
        return []
    wide = data[4] == 2
    order = "<" if data[5] == 1 else ">"
    if wide:
        shoff, = struct.unpack_from(order + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x3A)
    else:
        shoff, = struct.unpack_from(order + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x2E)
    sections = []
    for index in range(shnum):
        base = shoff + index * shentsize
        if wide:
            _n, kind, _f, _a, offset, size, link = struct.unpack_from(order + "IIQQQQI", data, base)
        else:
            _n, kind, _f, _a, offset, size, link = struct.unpack_from(order + "IIIIIII", data, base)
        sections.append((kind, offset, size, link))
    names: list[str] = []
    for kind, offset, size, link in sections:
        if kind != 6:  # SHT_DYNAMIC
            continue
        strtab = sections[link][1]
        entry = struct.Struct(order + ("qQ" if wide else "iI"))
        for pos in range(offset, offset + size, entry.size):
            tag, value = entry.unpack_from(data, pos)
            if tag == 0:
                break
            if tag == 1:  # DT_NEEDED
                end = data.index(b"\0", strtab + value)
                names.append(data[strtab + value:end].decode())
    return names


def _is_root(dest: str) -> bool:
    """Files loaded by Python or Qt by path (not through another library's link table)."""
    name = Path(dest).name
    return (
        "lib-dynload/" in dest
        or "/plugins/" in dest
        or name.endswith(".abi3.so")
        or ".cpython-" in name
        or name.startswith("libpython")
    )


def _prune_unlinked(binaries: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """Only the shared libraries that something kept links to, directly or through others."""
    by_name: dict[str, tuple[str, str, str]] = {}
    for entry in binaries:
        by_name.setdefault(Path(entry[0]).name, entry)
    reached: set[str] = set()
    todo = [entry for entry in binaries if _is_root(entry[0])]
    while todo:
        entry = todo.pop()
        if entry[0] in reached:
            continue
        reached.add(entry[0])
        for needed in needed_libraries(entry[1]):
            target = by_name.get(needed)
            if target is not None and target[0] not in reached:
                todo.append(target)
    return [e for e in binaries if e[0] in reached or ".so" not in Path(e[0]).name]


def _dropped(dest: str) -> bool:
    dest = dest.replace("\\", "/")
    if _matches(dest, DROPPED_QT_PLUGINS):
        return True
    return sys.platform.startswith("linux") and _matches(Path(dest).name, SYSTEM_LIBRARIES)


def trim(
    binaries: list[tuple[str, str, str]], datas: list[tuple[str, str, str]]
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """PyInstaller's binaries and data files without what the app does not use.

    PyInstaller lists a library kept in a package folder once more as a link at the top of
    the bundle (among the data files): a link stays only when its target does.
    """
    files = [e for e in binaries if e[2] != "SYMLINK" and not _dropped(e[0])]
    if sys.platform.startswith("linux"):
        files = _prune_unlinked(files)
    kept = {e[0].replace("\\", "/") for e in files}

    def link_ok(entry: tuple[str, str, str]) -> bool:
        return entry[2] != "SYMLINK" or entry[1].replace("\\", "/") in kept

    links = [e for e in binaries if e[2] == "SYMLINK" and link_ok(e)]
    other = [e for e in datas if not _dropped(e[0]) and link_ok(e)]
    return files + links, other
