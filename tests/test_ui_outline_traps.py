"""Traps a reviewer found in the briefing outline and the template dialog (issue 14 review): a new
section added out of sight, the empty-section mark and the fact counts elided away behind a long
title, and "New briefing from template" preselecting the compendium."""

from __future__ import annotations

from pathlib import Path

from window_support import open_window, shut_windows  # noqa: F401 - shut_windows: autouse

from briefer.ui.dialogs.templates import NameRole


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


# -- New briefing from template: the recommended brief, then the user's last choice ----------------


def _new_from_template(qtbot, store, data_dir: Path):  # noqa: ANN001, ANN202
    from briefer.ui.dialogs.templates import NewFromTemplateDialog

    dlg = NewFromTemplateDialog(store, data_dir)
    qtbot.addWidget(dlg)
    return dlg


def test_new_from_template_offers_the_recommended_brief_then_the_last_one_used(qtbot, store,  # noqa: ANN001
                                                                              data_dir: Path) -> None:
    from briefer.domain.template_library import TemplateLibrary

    dlg = _new_from_template(qtbot, store, data_dir)
    names = [dlg.list.item(i).data(NameRole) for i in range(dlg.list.count())]
    assert names[0] == "compendium"  # first by name: every fact in the store, not the brief to send
    assert dlg.list.current_name() == "full-briefing"
    assert "Create" in dlg.create_button.text() and dlg.create_button.isEnabled()
    assert dlg.details.toPlainText().startswith("full-briefing")
    # a briefing made from another template: that one is offered next time
    dlg.list.select_name("risk-watch")
    dlg.create_button.click()
    qtbot.waitUntil(lambda: dlg.result_export is not None, timeout=30000)
    assert dlg.result_export.template.name == "risk-watch"
    assert _new_from_template(qtbot, store, data_dir).list.current_name() == "risk-watch"
    # cancelling remembers nothing
    dlg = _new_from_template(qtbot, store, data_dir)
    dlg.list.select_name("compendium")
    dlg.reject()
    assert _new_from_template(qtbot, store, data_dir).list.current_name() == "risk-watch"
    # a template of the user's, remembered by its id: renamed, it is still the one offered
    lib = TemplateLibrary(data_dir)
    lib.duplicate("one-page-brief", "Minister note")
    dlg = _new_from_template(qtbot, store, data_dir)
    dlg.list.select_name("Minister note")
    dlg.create_button.click()
    qtbot.waitUntil(lambda: dlg.result_export is not None, timeout=30000)
    lib.rename("Minister note", "Note for the minister")
    assert _new_from_template(qtbot, store, data_dir).list.current_name() == "Note for the minister"
    # gone: the recommended brief again
    lib.delete("Note for the minister")
    assert _new_from_template(qtbot, store, data_dir).list.current_name() == "full-briefing"


# -- the outline's section rows: the count and the empty mark stay whole, the title is elided -------


def _row_option(tree, index):  # noqa: ANN001, ANN202
    """The option the view paints ``index`` with: the view's own, at the row's real rectangle."""
    from PySide6.QtWidgets import QStyleOptionViewItem

    opt = QStyleOptionViewItem()
    tree.initViewItemOption(opt)
    opt.rect = tree.visualRect(index)
    return opt


def _shown(w, sec: int):  # noqa: ANN001, ANN202
    from PySide6.QtGui import QFont, QFontMetrics

    tree = w.composer.tree
    idx = w.doc.model.section_index(sec)
    lay = tree.itemDelegate().section_layout(_row_option(tree, idx), idx)
    font = QFont(tree.font())
    font.setBold(False)
    # the count is drawn whole, inside the row, right of the title
    assert QFontMetrics(font).horizontalAdvance(lay.count) <= lay.count_rect.width()
    assert lay.count_rect.right() <= tree.viewport().width()
    assert lay.title_rect.right() < lay.count_rect.left()
    # and painted there: dark pixels (text) at the right end of the row
    img = tree.viewport().grab().toImage()
    r = lay.count_rect
    assert any(img.pixelColor(x, y).lightness() < 160
               for x in range(r.left(), r.right()) for y in range(r.top(), r.bottom())), lay
    return lay


def test_a_long_titled_sections_count_and_empty_mark_stay_visible(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    from PySide6.QtCore import Qt

    w = open_window(qtbot, data_dir)
    w.composer.first_start.empty_button.click()
    w.composer.add_section("background")  # "Background: Japan's AI strategies and the soft-law approach"
    w.composer.add_section("law-summary")
    w.add_facts([f.id for f in w.store.facts() if f.section == "law-summary"][:6])
    assert _sections(w) == ["background", "law-summary"]
    title = w.doc.section_title(w.doc.briefing.sections[0])
    for size in ((1440, 900), (1024, 640)):
        w.resize(*size)
        qtbot.wait(50)
        empty = _shown(w, 0)
        assert empty.count.startswith("empty \u2014 left out")
        if size == (1440, 900):
            assert empty.count == "empty \u2014 left out of the briefing"
        assert empty.title.endswith("\u2026") and empty.title != title  # the title gives way
        full = _shown(w, 1)
        assert full.count == "6 facts"
        # the whole title and mark are in the tooltip and the accessible name
        idx = w.doc.model.section_index(0)
        assert idx.data(Qt.ItemDataRole.ToolTipRole).startswith(f"{title} (empty \u2014 left out of the briefing)")
        assert idx.data(Qt.ItemDataRole.AccessibleTextRole) == (
            f"Section {title}, empty, left out of the briefing")
    # kept: the mark says so
    w.composer.select(0, None)
    w.composer.keep_empty_check.click()
    assert _shown(w, 0).count == "empty \u2014 kept"
