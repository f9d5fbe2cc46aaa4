"""Alt+letter in the window does what its underlined letter says: no two things in sight share a
mnemonic (Alt+O was both "Source" and "As of", Alt+T "Status" and "From a template", Alt+A "Tag" and
"Add to briefing"; Qt then only moves the focus between them)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar
from window_support import open_window, shut_windows  # noqa: F401 - autouse: the windows a test opens are closed

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def _mnemonics(w) -> dict[str, list[str]]:  # noqa: ANN001
    seen: dict[str, list[str]] = defaultdict(list)

    def note(text: str) -> None:
        m = _MNEMONIC.search(text.replace("&&", ""))
        if m:
            seen[m.group(1).lower()].append(text)

    for action in w.menuBar().actions():
        note(action.text())
    for button in w.findChildren(QAbstractButton):
        if button.isVisibleTo(w) and button.isEnabled():
            note(button.text())
    for label in w.findChildren(QLabel):
        if label.isVisibleTo(w) and label.buddy() is not None:
            note(label.text())
    for bar in w.findChildren(QTabBar):
        if bar.isVisibleTo(w):
            for i in range(bar.count()):
                note(bar.tabText(i))
    return seen


def _clashes(w) -> dict[str, list[str]]:  # noqa: ANN001
    return {k: v for k, v in _mnemonics(w).items() if len(v) > 1}


def test_no_two_things_in_sight_share_an_alt_letter(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    for size in ((1440, 900), (1024, 640)):
        w.resize(*size)
        qtbot.wait(50)
        assert _clashes(w) == {}, size  # the first start: library, first-start panel, menus
        lib = w.library
        lib.filter_button.click()  # the filters open beside the list
        qtbot.wait(50)
        assert _clashes(w) == {}, (size, "filters open")
        lib.filter_button.click()


def test_nor_when_a_briefing_is_open_and_a_section_or_fact_is_selected(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    w.composer.first_start.sections_button.click()
    qtbot.waitUntil(lambda: w.doc is not None and len(w.doc.briefing.sections) == 4, timeout=30000)
    tree = w.composer.tree
    section = tree.model().index(0, 0)
    for index in (section, tree.model().index(0, 0, section)):  # the section's page, then a fact's
        tree.setCurrentIndex(index)
        qtbot.wait(50)
        assert _clashes(w) == {}, index.data()
        w.library.filter_button.click()  # and with the library's filters open beside them
        qtbot.wait(50)
        assert _clashes(w) == {}, (index.data(), "filters open")
        w.library.filter_button.click()
