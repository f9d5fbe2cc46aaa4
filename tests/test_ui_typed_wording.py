"""What an analyst types in the outline's editor box (a fact's wording for this briefing, an own
paragraph) is never dropped unasked.  It was: typed without Apply (Ctrl+Return), it vanished when
another row was clicked, and Ctrl+Q closed the window without the unsaved-changes question."""

from __future__ import annotations

from pathlib import Path

import window_support
from window_support import shut_windows  # noqa: F401 - autouse: shuts what a test left open

from briefer.ui import messages
from briefer.ui.mainwindow import MainWindow


def _window_with_facts(qtbot, data_dir: Path) -> MainWindow:  # noqa: ANN001
    w = window_support.open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: w.library.last_result is not None, timeout=10000)
    ids = [f.id for f in w.store.facts() if f.section == "law-summary"][:2]
    w.add_facts(ids)
    w.composer.select(0, 0)
    assert w.composer.detail.currentIndex() == 2  # the fact's wording box
    return w


def test_wording_typed_and_not_applied_is_kept_when_another_row_is_chosen(qtbot, data_dir: Path) -> None:
    w = _window_with_facts(qtbot, data_dir)
    w.composer.wording_edit.setPlainText("Typed, never applied.")
    w.composer.select(0, 1)  # the user clicks the next fact
    item = w.doc.briefing.sections[0].items[0]
    assert item.override == "Typed, never applied."
    assert w.doc.is_modified
    w.undo_action.trigger()  # one undoable step, like Apply
    assert w.doc.briefing.sections[0].items[0].override is None
    # leaving a row whose box was not touched changes nothing
    w.composer.select(0, 0)
    steps = w.doc.undo.count()
    w.composer.select(0, 1)
    assert w.doc.undo.count() == steps


def test_a_paragraph_typed_and_not_applied_is_kept_when_another_row_is_chosen(qtbot, data_dir: Path) -> None:
    w = _window_with_facts(qtbot, data_dir)
    w.composer.add_paragraph()
    pos = w.composer.current_position()
    assert pos is not None and w.composer.detail.currentIndex() == 3
    w.composer.paragraph_edit.setPlainText("Our own reading, typed and not applied.")
    w.composer.select(0, 0)
    assert w.doc.briefing.sections[pos[0]].items[pos[1]].text == "Our own reading, typed and not applied."


def test_closing_with_typed_wording_asks_to_save_it(qtbot, data_dir: Path, monkeypatch) -> None:  # noqa: ANN001
    w = _window_with_facts(qtbot, data_dir)
    w.files.write(data_dir / "b.briefing.json")  # saved: nothing else is unsaved
    assert not w.doc.is_modified
    w.composer.wording_edit.setPlainText("Typed, then Ctrl+Q.")
    asked: list[str] = []
    monkeypatch.setattr(messages, "save_changes", lambda parent, name: asked.append(name) or messages.Answer.CANCEL)
    w.close()
    assert asked and w.isVisible()  # asked, and Cancel kept the window open
    assert w.doc.briefing.sections[0].items[0].override == "Typed, then Ctrl+Q."
