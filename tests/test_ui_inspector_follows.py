"""The inspector follows the briefing: a wording applied, undone or reverted, the fact taken out of
the briefing or its section renamed, and the inspected fact's "This briefing's wording" and "In this
briefing" say what the briefing now holds (they kept the old ones until another fact was selected);
the citation the user was reading stays the one shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QPushButton
from window_support import open_window, shut_windows  # noqa: F401 - autouse

from briefer.ui import undo_steps


def _shown(w) -> str:  # noqa: ANN001
    return w.inspector.summary.toPlainText()


def test_the_inspector_shows_the_briefing_as_it_now_is(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    create = next(b for b in w.findChildren(QPushButton) if b.text().startswith("Create &briefing"))
    create.click()
    qtbot.waitUntil(lambda: w.doc is not None and bool(w.doc.briefing.sections), timeout=20000)
    doc = w.doc
    s, i = next((s, i) for s, sec in enumerate(doc.briefing.sections) for i, it in enumerate(sec.items)
                if it.kind == "fact" and len(doc.facts[it.fact_id].citations) >= 2)
    fid = doc.briefing.sections[s].items[i].fact_id
    w.composer.tree.expandAll()
    w.composer.select(s, i)
    qtbot.waitUntil(lambda: w.inspector.fact is not None and w.inspector.fact.id == fid, timeout=5000)
    title = doc.section_title(doc.briefing.sections[s])
    assert "This briefing's wording" not in _shown(w) and f"In this briefing: {title}" in _shown(w)
    w.inspector.citation_combo.setCurrentIndex(1)  # reading the second citation

    doc.undo.push(undo_steps.SetOverride(doc, s, i, "A wording of the analyst's."))
    assert "This briefing's wording: A wording of the analyst's." in _shown(w)
    assert w.inspector.citation_combo.currentIndex() == 1  # still the citation being read
    doc.undo.undo()
    assert "This briefing's wording" not in _shown(w)

    doc.undo.push(undo_steps.SetSectionField(doc, s, "heading", "A heading of my own"))
    assert "In this briefing: A heading of my own" in _shown(w)

    # shown from the preview's note (the outline's selection elsewhere), then taken out of the briefing
    w.composer.tree.setCurrentIndex(QModelIndex())
    w.inspection.footnote_clicked(fid, 1)
    doc.undo.push(undo_steps.RemoveItems(doc, [(s, i)]))
    assert "In this briefing: not in this briefing" in _shown(w)
    assert w.inspector.fact.id == fid  # the same fact, still inspected
    doc.undo.undo()
    assert "In this briefing: A heading of my own" in _shown(w)
