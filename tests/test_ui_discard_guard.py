"""Esc on a form the user has typed into asks before throwing the typing away (New fact closed at
once and dropped the statement)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from briefer.ui import messages
from briefer.ui.curation.fact_editor import FactEditorDialog


def _shown(qtbot, store) -> FactEditorDialog:  # noqa: ANN001
    dlg = FactEditorDialog(store)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def test_esc_on_an_untouched_form_closes_it_without_a_question(qtbot, store, monkeypatch) -> None:  # noqa: ANN001
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: asked.append(a[1]) or True)
    dlg = _shown(qtbot, store)
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert not dlg.isVisible() and asked == []


def test_esc_after_typing_asks_and_cancel_keeps_the_typing(qtbot, store, monkeypatch) -> None:  # noqa: ANN001
    answers = [False, True]
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: asked.append(a[2]) or answers.pop(0))
    before = store.fact_count()
    dlg = _shown(qtbot, store)
    dlg.statement_edit.setPlainText("A statement the analyst has typed.")
    qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert len(asked) == 1 and "not been saved" in asked[0]
    assert dlg.isVisible() and dlg.statement_edit.toPlainText() == "A statement the analyst has typed."
    dlg.reject()  # Cancel asks too; this time the answer is Discard
    assert len(asked) == 2 and not dlg.isVisible()
    assert store.fact_count() == before  # discarded: nothing was written


def test_a_close_the_program_makes_does_not_stop_on_the_question(qtbot, store, monkeypatch) -> None:  # noqa: ANN001
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: asked.append(a[1]) or False)
    dlg = _shown(qtbot, store)
    dlg.statement_edit.setPlainText("Typed, then the application quits.")
    dlg.close()  # not the user's close button: Qt marks it not spontaneous
    assert asked == [] and not dlg.isVisible()
