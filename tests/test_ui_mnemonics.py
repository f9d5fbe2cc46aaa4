"""Alt+letter in the window does what its underlined letter says: no two things in sight share a
mnemonic (Alt+O was both "Source" and "As of", Alt+T "Status" and "From a template", Alt+A "Tag" and
"Add to briefing"; Qt then only moves the focus between them)."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import window_support
from PySide6.QtWidgets import QAbstractButton, QLabel, QTabBar
from window_support import open_window, shut_windows  # noqa: F401 - autouse: the windows a test opens are closed

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def _mnemonics(w) -> dict[str, list[str]]:  # noqa: ANN001
    seen: dict[str, list[str]] = defaultdict(list)

    def note(text: str) -> None:
        m = _MNEMONIC.search(text.replace("&&", ""))
        if m:
            seen[m.group(1).lower()].append(text)

    if hasattr(w, "menuBar"):  # a dialog has none
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


def test_nor_on_the_cover_tab(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    """Alt+F took the focus to "Prepared for" (all its text selected, so the next key replaced it) as often
    as it opened the File menu: the two shared the letter."""
    w = open_window(qtbot, data_dir)
    w.composer.first_start.sections_button.click()
    qtbot.waitUntil(lambda: w.doc is not None and bool(w.doc.briefing.sections), timeout=30000)
    tabs = w.composer.tabs
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        qtbot.wait(50)
        assert _clashes(w) == {}, tabs.tabText(i)


def test_no_menu_has_two_items_on_one_letter(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    """File had "Save as te&mplate…" and "&Manage templates…": Alt+F, M picked one of them by turns."""
    from PySide6.QtWidgets import QMenu

    w = open_window(qtbot, data_dir)
    for menu in w.findChildren(QMenu):
        seen: dict[str, list[str]] = defaultdict(list)
        for action in menu.actions():
            m = _MNEMONIC.search(action.text().replace("&&", ""))
            if m and action.isVisible():
                seen[m.group(1).lower()].append(action.text())
        assert {k: v for k, v in seen.items() if len(v) > 1} == {}, menu.title()


def test_nor_in_a_dialog_on_any_of_its_tabs(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QTabWidget

    from briefer.domain.template_library import TemplateLibrary
    from briefer.ui.context import WindowContext
    from briefer.ui.curation.fact_editor import FactEditorDialog
    from briefer.ui.dialogs.export import ExportDialog
    from briefer.ui.dialogs.preferences import PreferencesDialog
    from briefer.ui.dialogs.template_editor import TemplateEditor
    from briefer.ui.dialogs.templates import ManageTemplatesDialog, NewFromTemplateDialog

    w = open_window(qtbot, data_dir)
    w.composer.first_start.sections_button.click()
    qtbot.waitUntil(lambda: w.doc is not None and bool(w.doc.briefing.sections), timeout=30000)
    context = WindowContext(store=w.store, data_dir=data_dir)
    template = TemplateLibrary(data_dir).get("risk-watch")
    dialogs = [ExportDialog(w.doc, w.store, today=window_support.TODAY), PreferencesDialog(data_dir),
               FactEditorDialog(w.store, "hq-established-sept-1"), FactEditorDialog(w.store),
               ManageTemplatesDialog(w.store, data_dir), NewFromTemplateDialog(w.store, data_dir),
               TemplateEditor(context, template)]
    for dlg in dialogs:
        qtbot.addWidget(dlg)
        dlg.show()
        qtbot.waitExposed(dlg)
        tab_widgets = dlg.findChildren(QTabWidget) or [None]
        for tabs in tab_widgets:
            for i in range(tabs.count() if tabs is not None else 1):
                if tabs is not None:
                    tabs.setCurrentIndex(i)
                    qtbot.wait(20)
                assert _clashes(dlg) == {}, (type(dlg).__name__, tabs.tabText(i) if tabs is not None else "")
        dlg.hide()
