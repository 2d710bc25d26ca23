"""Keyboard-only use: every page's mnemonics are unambiguous (with the menu bar's), every page
menu is reachable by a mnemonic and each of its actions has a shortcut or a mnemonic."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtWidgets import QAbstractButton, QLabel, QTabWidget, QWidget

_MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def page_mnemonics(page: QWidget) -> list[tuple[str, str]]:
    """(key, text) of what Alt+key reaches on the visible part of ``page``."""
    out: list[tuple[str, str]] = []
    for w in page.findChildren(QWidget):
        if not w.isVisibleTo(page):
            continue
        labelled = isinstance(w, QLabel) and w.buddy() is not None
        text = w.text() if isinstance(w, QAbstractButton) or labelled else ""  # type: ignore[attr-defined]
        key = mnemonic(text)
        if key:
            out.append((key, text))
    for tabs in page.findChildren(QTabWidget):
        if tabs.isVisibleTo(page):
            for i in range(tabs.count()):
                key = mnemonic(tabs.tabText(i))
                if key:
                    out.append((key, tabs.tabText(i)))
    return out


def _loaded(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window.stack.count() > 1)


def test_page_menus_have_mnemonics_and_keys(qtbot: Any, main_window: Any) -> None:
    _loaded(qtbot, main_window)
    assert main_window.page_menus  # the pages bring menus
    for index, menu in main_window.page_menus.items():
        main_window.side_bar.setCurrentRow(index)
        titles = [a.text() for a in main_window.menuBar().actions() if a.isVisible()]
        keys = [mnemonic(t) for t in titles]
        assert None not in keys, titles
        assert len(keys) == len(set(keys)), titles  # Alt+key opens exactly one menu
        inside = [mnemonic(a.text()) for a in menu.actions() if not a.isSeparator()]
        assert None not in inside, [a.text() for a in menu.actions()]
        assert len(inside) == len(set(inside)), [a.text() for a in menu.actions()]


def test_mnemonics_on_each_page_are_unambiguous(qtbot: Any, main_window: Any) -> None:
    _loaded(qtbot, main_window)
    clashes = []
    for index in range(main_window.stack.count()):
        main_window.side_bar.setCurrentRow(index)
        page = main_window.stack.widget(index)
        menu_keys = {
            mnemonic(a.text()): a.text() for a in main_window.menuBar().actions() if a.isVisible()
        }
        tabs = page.findChildren(QTabWidget)
        for tab in range(tabs[0].count() if tabs else 1):
            if tabs:
                tabs[0].setCurrentIndex(tab)
            seen: dict[str, str] = {}
            for key, text in page_mnemonics(page):
                if key in seen or key in menu_keys:
                    clashes.append((index, tab, text, seen.get(key) or menu_keys[key]))
                seen[key] = text
    assert clashes == [], "\n".join(map(str, clashes))


def test_planner_tab_order_follows_the_top_bar(qtbot: Any, main_window: Any) -> None:
    page = main_window.planner
    expected = [
        page.navigator.prev_button,
        page.navigator.today_button,
        page.navigator.next_button,
        page.navigator.picker,
        page.autoplan_button,
        page.day_combo,
        page.view_combo,
        page.search,
        page.week_view,
    ]
    for first, second in zip(expected, expected[1:], strict=False):
        assert first.nextInFocusChain() is second or _next_focusable(first) is second, (
            first.objectName(),
            second.objectName(),
        )
    assert not page.violations_panel.table.tabKeyNavigation()  # Tab leaves the problems table


def _next_focusable(widget: Any) -> Any:
    """The next widget in the focus chain that takes Tab focus (skipping internal children)."""
    from PySide6.QtCore import Qt

    current = widget.nextInFocusChain()
    while current is not widget:
        if current.focusPolicy() & Qt.FocusPolicy.TabFocus and not widget.isAncestorOf(current):
            return current
        current = current.nextInFocusChain()
    return None
