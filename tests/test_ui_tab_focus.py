"""Tab moves on: out of every multi-line text box of the window and its dialogs (it typed a tab
character into a new fact's statement and never reached Section) and out of the preview (it stepped
through every contents entry, "see §" and note number of the page)."""

from __future__ import annotations

import re
from pathlib import Path

import window_support
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from window_support import shut_windows  # noqa: F401 - autouse: shuts what a test left open

from briefer.ui.curation.fact_editor import FactEditorDialog

UI = Path(__file__).resolve().parents[1] / "briefer" / "ui"


def test_tab_leaves_a_new_fact_s_statement_for_the_next_field(qtbot, store) -> None:  # noqa: ANN001
    dlg = FactEditorDialog(store)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.statement_edit.setFocus()
    qtbot.waitUntil(dlg.statement_edit.hasFocus)
    qtbot.keyClicks(dlg.statement_edit, "Test")
    qtbot.keyClick(dlg.statement_edit, Qt.Key.Key_Tab)
    assert "\t" not in dlg.statement_edit.toPlainText()
    assert not dlg.statement_edit.hasFocus()
    dlg.statement_edit.clear()  # nothing typed left: closing it at the end asks no question


def test_tab_leaves_the_preview(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = window_support.open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: w.library.last_result is not None, timeout=10000)
    w.add_facts([f.id for f in w.store.facts() if f.section == "law-summary"][:3])
    page = w.preview.browser
    qtbot.waitUntil(lambda: page.toHtml().count("href") > 3, timeout=5000)  # its links: contents, "see §", notes
    page.setFocus()
    qtbot.waitUntil(page.hasFocus)
    qtbot.keyClick(page, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not page


def test_every_multi_line_text_box_lets_tab_move_on() -> None:
    """The class, in the code: each QPlainTextEdit or QTextEdit the window makes is told Tab changes focus
    (a box where a tab character is wanted would say so here)."""
    missing = []
    for path in UI.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"self\.(\w+) = Q(?:PlainTextEdit|TextEdit)\(", text):
            if f"self.{m.group(1)}.setTabChangesFocus(True)" not in text:
                missing.append(f"{path.relative_to(UI)}: {m.group(1)}")
    assert missing == []
