"""Traps a reviewer found in the briefing outline and the template dialog (issue 14 review): a new
section added out of sight, the empty-section mark and the fact counts elided away behind a long
title, and "New briefing from template" preselecting the compendium."""

from __future__ import annotations

from pathlib import Path

from window_support import open_window, shut_windows  # noqa: F401 - shut_windows: autouse


def _sections(w) -> list[str]:  # noqa: ANN001
    return [s.section for s in w.doc.briefing.sections]


# -- Add section: after the selected section, then selected ----------------------------------------


def test_add_section_goes_after_the_selected_section_and_is_selected(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    w.composer.first_start.empty_button.click()
    w.composer.add_section("risks")
    w.composer.add_section("recommendations")
    assert _sections(w) == ["risks", "recommendations"]  # each after the one added (and selected) before
    # the store's order puts the background first; the user selected "risks", so it goes right below
    w.composer.select(0, None)
    w.composer.add_section("background")
    assert _sections(w) == ["risks", "background", "recommendations"]
    assert w.composer.current_position() == (1, None)
    assert w.composer.tree.selectionModel().isSelected(w.doc.model.section_index(1))
    # an item selected: after that item's section
    w.add_facts(["risk-weak-deterrence"])
    assert _sections(w) == ["risks", "background", "recommendations"]
    w.composer.select(0, 0)
    w.composer.add_section("law-summary")
    assert _sections(w) == ["risks", "law-summary", "background", "recommendations"]
    assert w.composer.current_position() == (1, None)
    # one undo step takes the added section back
    w.undo_action.trigger()
    assert _sections(w) == ["risks", "background", "recommendations"]
    w.undo_action.trigger()  # the fact
    w.undo_action.trigger()  # the background section
    assert _sections(w) == ["risks", "recommendations"]
    # nothing selected: at the end (the store's order would put it second)
    from PySide6.QtCore import QModelIndex

    w.composer.tree.setCurrentIndex(QModelIndex())
    w.composer.tree.clearSelection()
    w.composer.add_section("law-summary")
    assert _sections(w) == ["risks", "recommendations", "law-summary"]
    assert w.composer.current_position() == (2, None)
