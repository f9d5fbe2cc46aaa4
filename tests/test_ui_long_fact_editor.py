"""A long fact in the outline's editor: at the window's default size its store wording is elided to the
lines there is room for, and the wording box and the Revert / Apply row stay in sight.  (The detail
scrolled instead: its scroll area sized it by the store wording's every line, and at 1440 x 900 a
67-word fact left a two-line box with Revert and Apply below the fold.)"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea
from window_support import open_window, shut_windows  # noqa: F401 - autouse

from briefer.ui import undo_steps


def _in_sight(widget, area: QScrollArea) -> bool:  # noqa: ANN001
    """``widget`` lies wholly inside what ``area`` shows."""
    top = widget.mapTo(area.viewport(), QPoint(0, 0)).y()
    return top >= 0 and top + widget.height() <= area.viewport().height()


def test_a_long_fact_keeps_its_box_and_buttons_in_sight(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    w.resize(1440, 900)
    create = next(b for b in w.findChildren(QPushButton) if b.text().startswith("Create &briefing"))
    create.click()
    qtbot.waitUntil(lambda: w.doc is not None and bool(w.doc.briefing.sections), timeout=20000)
    doc = w.doc
    s, i = max(((s, i) for s, sec in enumerate(doc.briefing.sections) for i, it in enumerate(sec.items)
                if it.fact_id in doc.facts), key=lambda si: len(doc.facts[
                    doc.briefing.sections[si[0]].items[si[1]].fact_id].statement))
    fact = doc.facts[doc.briefing.sections[s].items[i].fact_id]
    assert len(fact.statement.split()) >= 50
    doc.undo.push(undo_steps.SetOverride(doc, s, i, fact.statement + " Reworded."))
    w.composer.tree.expandAll()
    w.composer.select(s, i)
    QApplication.processEvents()
    qtbot.wait(200)
    c = w.composer
    area = next(a for a in c.findChildren(QScrollArea) if a.isAncestorOf(c.detail))
    assert area.verticalScrollBar().maximum() == 0  # nothing below the fold
    for widget in (c.wording_edit, c.revert_button, c.apply_wording):
        assert widget.isVisible() and _in_sight(widget, area), widget.accessibleName() or widget.text()
    line = c.wording_edit.fontMetrics().lineSpacing()
    assert c.wording_edit.viewport().height() >= 3 * line  # a box to edit in, not a slot
    assert c.store_text.toolTip() == fact.statement  # elided: the whole wording is its tooltip
    assert c.store_text.text().endswith("\u2026")
