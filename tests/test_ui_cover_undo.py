"""Ctrl+Z in a cover field or the summary undoes the briefing's edit, as Edit > Undo does: the box's own
undo had put the old text back in the box only, so the box and the briefing disagreed and the title
kept its "*" after undoing back to the saved briefing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from window_support import open_window, shut_windows  # noqa: F401 - autouse

from briefer.ui import filedialogs


def test_ctrl_z_in_a_cover_field_is_the_briefing_s_undo(qtbot, data_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                       monkeypatch) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    create = next(b for b in w.findChildren(QPushButton) if b.text().startswith("Create &briefing"))
    create.click()
    qtbot.waitUntil(lambda: w.doc is not None and bool(w.doc.briefing.sections), timeout=20000)
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: tmp_path / "b.briefing.json")
    assert w.files.save_as() and not w.isWindowModified()
    w.composer.tabs.setCurrentIndex(1)
    cover = w.composer.cover
    box = cover.cover_edits["prepared_for"]
    box.setFocus()
    qtbot.keyClicks(box, "Deputy Director")
    assert w.doc.briefing.cover.prepared_for == "Deputy Director" and w.isWindowModified()
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not w.isWindowModified(), timeout=2000)
    assert box.text() == "" and not w.doc.briefing.cover.prepared_for  # the box and the briefing agree
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: w.isWindowModified(), timeout=2000)
    assert box.text() == "Deputy Director" == w.doc.briefing.cover.prepared_for
    # the summary box likewise
    w.doc.undo.undo()
    summary = cover.summary_edit
    summary.setFocus()
    qtbot.keyClicks(summary, "Bottom line")
    assert w.doc.briefing.summary == "Bottom line"
    qtbot.keyClick(summary, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: summary.toPlainText() == "", timeout=2000)
    assert not w.doc.briefing.summary and not w.isWindowModified()


def test_ctrl_z_in_a_section_s_introduction_is_the_briefing_s_undo(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    create = next(b for b in w.findChildren(QPushButton) if b.text().startswith("Create &briefing"))
    create.click()
    qtbot.waitUntil(lambda: w.doc is not None and bool(w.doc.briefing.sections), timeout=20000)
    tree = w.composer.tree
    tree.setCurrentIndex(tree.model().index(0, 0))  # the first section's page
    intro = w.composer.intro_edit
    before = w.doc.briefing.sections[0].intro
    intro.setFocus()
    qtbot.keyClicks(intro, "Why it matters")
    assert w.doc.briefing.sections[0].intro == (before or "") + "Why it matters"
    qtbot.keyClick(intro, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: w.doc.briefing.sections[0].intro == before, timeout=2000)
    assert intro.toPlainText() == (before or "")
