"""Ctrl+Return ("Apply", as the tooltips say) applies the text being edited in the outline's own row
(F2 or a double-click opens it) when that is open: it had applied the box under the outline instead,
said "Wording changed for this briefing", and the row's text was thrown away by the next Esc.  The
status bar says a wording changed only when one did."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QPlainTextEdit, QPushButton, QTextBrowser
from window_support import open_window, shut_windows  # noqa: F401 - autouse


def _briefing(qtbot, data_dir: Path):  # noqa: ANN001, ANN202
    w = open_window(qtbot, data_dir)
    create = next(b for b in w.findChildren(QPushButton) if b.text().startswith("Create &briefing"))
    create.click()
    qtbot.waitUntil(lambda: w.doc is not None and bool(w.doc.briefing.sections), timeout=20000)
    w.composer.tree.expandAll()
    w.composer.select(0, 0)
    return w


def test_ctrl_return_applies_the_row_being_edited(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = _briefing(qtbot, data_dir)
    said: list[str] = []
    w.composer.statusMessage.connect(said.append)
    tree, doc = w.composer.tree, w.doc
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: tree.state() == QAbstractItemView.State.EditingState, timeout=2000)
    editor = QApplication.focusWidget()
    assert isinstance(editor, (QLineEdit, QPlainTextEdit)) and tree.viewport().isAncestorOf(editor)
    editor.selectAll()
    qtbot.keyClicks(editor, "The analyst's own wording")
    steps = doc.undo.index()
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: tree.state() != QAbstractItemView.State.EditingState, timeout=2000)
    assert doc.briefing.sections[0].items[0].override == "The analyst's own wording"
    assert doc.undo.index() == steps + 1 and said[-1].startswith("Wording changed")
    assert w.composer.wording_edit.toPlainText() == "The analyst's own wording"  # the box shows it too
    qtbot.keyClick(tree, Qt.Key.Key_Escape)  # nothing left open to throw away
    assert doc.briefing.sections[0].items[0].override == "The analyst's own wording"
    # Ctrl+Return again, nothing edited: nothing changed, and the status bar says so
    w.composer.wording_edit.setFocus()
    said.clear()
    qtbot.keyClick(w.composer.wording_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(said), timeout=2000)  # a button's shortcut clicks it after a moment
    assert doc.undo.index() == steps + 1 and said == ["Nothing changed"]


def test_the_shortcut_list_gives_each_key_one_meaning_and_lists_apply(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    """F1's list gave F2 twice ("Reword for this briefing" and "Reword a fact inline") and left out
    Ctrl+Return, the key the outline's Apply buttons advertise."""
    from briefer.ui.dialogs.about import ShortcutsDialog

    w = _briefing(qtbot, data_dir)
    dlg = ShortcutsDialog(w)
    qtbot.addWidget(dlg)
    text = dlg.findChild(QTextBrowser).toPlainText()
    assert "Ctrl+Return" in text
    assert text.count("F2") == 1, text


def test_apply_shows_while_the_box_holds_what_is_not_applied(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    """Typing under the outline is applied on leaving the row, saving or exporting: Apply says, in bold
    and in its tooltip, while the box holds text the briefing does not print yet (a tester saw text
    reach the export with no sign it was pending)."""
    w = _briefing(qtbot, data_dir)
    c = w.composer
    assert not c.apply_wording.font().bold() and "not applied" not in c.apply_wording.toolTip()
    c.wording_edit.setPlainText(c.wording_edit.toPlainText() + " Pending.")
    assert c.apply_wording.font().bold() and c.apply_wording.toolTip().endswith("not applied yet")
    c.apply_wording.click()
    assert not c.apply_wording.font().bold() and "not applied" not in c.apply_wording.toolTip()
    assert w.doc.briefing.sections[0].items[0].override.endswith("Pending.")
    c.wording_edit.setPlainText(c.wording_edit.toPlainText() + " Again.")
    assert c.apply_wording.font().bold()
    w.doc.undo.undo()  # the shown item changes under the box: the box shows it, nothing is pending
    qtbot.wait(50)
    assert not c.apply_wording.font().bold()


def test_the_status_bar_says_what_undo_and_redo_did(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    """It kept saying "Wording changed for this briefing" after the change was undone."""
    w = _briefing(qtbot, data_dir)
    c = w.composer
    c.wording_edit.setPlainText("Said otherwise.")
    c.apply_wording.click()
    w.action_set.undo_action.trigger()
    assert w.status_label.text().startswith("Undone: ")
    assert w.doc.briefing.sections[0].items[0].override is None
    w.action_set.redo_action.trigger()
    assert w.status_label.text().startswith("Redone: ")
    assert w.doc.briefing.sections[0].items[0].override == "Said otherwise."
