"""The window as the analyst sees it (issue 14, points 2, 6, 7, 8), driven through its widgets: no
internals in front of the analyst, search and filters that say what they do, the keyboard path
from search to briefing, a library list one can read."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_ui_flow import close_window, open_window, search
from window_support import shut_windows  # noqa: F401 - autouse: shuts what a test left open

from briefer.ui.briefing_model import OutlineModel
from briefer.ui.mainwindow import MainWindow


def _done(w: MainWindow) -> None:
    if w.doc is not None:
        w.doc.undo.setClean()
        w.doc._unsaved_origin = False
    close_window(w)


# -- point 8: no internals in front of the analyst ------------------------------------------------


def test_the_source_pane_shows_the_document_not_its_markup(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    fact = next(f for f in w.store.facts()
                if f.citations[0].source == "ichikawa-white-paper" and f.id == "bg-soft-law-approach-defined")
    w.inspection.inspect_fact(fact.id)
    shown = w.inspector.source_text.toPlainText()
    assert shown.startswith("This report explains")
    for internal in ("layout: post", "###", "![", "imgur", "<excerpt/>", "__"):
        assert internal not in shown, internal
    assert w.inspector.highlighted_quote() == fact.citations[0].quote
    # the pack's notes name sources by the seed files' numbers; the analyst reads their labels
    details = w.inspector.summary.toPlainText()
    assert "Analyst notes:" in details
    assert "004" not in details and "001" not in details
    assert "Press digest of Asahi and Jiji reports" in details
    _done(w)


def test_an_empty_section_is_marked_and_left_out_unless_kept(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    w.add_facts(["hq-established-sept-1"])
    w.composer.add_section("risks")
    titles = [w.doc.section_title(s) for s in w.doc.briefing.sections]
    risks = titles[[s.section for s in w.doc.briefing.sections].index("risks")]
    sec = [s.section for s in w.doc.briefing.sections].index("risks")
    row = w.doc.model.section_index(sec)
    assert row.data() == f"{risks}  (empty \u2014 left out of the briefing)"
    assert "leave it out" in row.data(Qt.ItemDataRole.ToolTipRole)
    w.preview.refresh()
    assert risks not in w.preview.browser.toPlainText()
    # kept: printed, heading and all, and one undo step takes it back
    w.composer.select(sec, None)
    assert w.composer.keep_empty_check.isVisible() and not w.composer.keep_empty_check.isChecked()
    w.composer.keep_empty_check.click()
    assert w.doc.briefing.sections[sec].keep_empty
    assert row.data() == f"{risks}  (empty \u2014 kept)"
    w.preview.refresh()
    assert risks in w.preview.browser.toPlainText()
    w.undo_action.trigger()
    assert not w.doc.briefing.sections[sec].keep_empty and not w.composer.keep_empty_check.isChecked()
    _done(w)


def test_the_sources_tab_says_the_table_is_switched_off(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    w.preview.refresh()
    assert "No sources cited yet" in w.preview.sources.toPlainText()
    w.add_facts(["hq-established-sept-1"])
    w.preview.refresh()
    assert "Sources" in w.preview.sources.toPlainText()
    w.composer.tabs.setCurrentIndex(1)
    w.composer.cover.option_checks["sources_appendix"].click()
    assert not w.doc.briefing.options.sources_appendix
    w.preview.refresh()
    text = w.preview.sources.toPlainText()
    assert "The sources table is switched off" in text and "No sources cited yet" not in text
    _done(w)


def test_a_paragraph_shows_one_pilcrow(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    w.add_facts(["hq-established-sept-1"])
    w.composer.select(0, 0)
    w.composer.add_paragraph()
    qtbot.keyClick(w.composer.tree.focusWidget() or w.composer.tree, Qt.Key.Key_Escape)
    idx = w.doc.model.item_index(0, 1)
    assert idx.data(OutlineModel.KindRole) == "paragraph"
    assert "\u00b6" not in idx.data() and not idx.data(Qt.ItemDataRole.DecorationRole).isNull()
    _done(w)


def test_the_conflicts_dialog_names_sources_by_their_labels(qtbot, store) -> None:  # noqa: ANN001
    from briefer.ui.curation import ConflictsDialog
    from briefer.ui.curation.conflicts_dialog import ConflictsModel

    dialog = ConflictsDialog(store)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.model.conflicts), timeout=20000)
    ids = {s.id for s in store.sources()}
    shown = [dialog.model.index(r, ConflictsModel.SOURCES).data() for r in range(dialog.model.rowCount())]
    questions = [dialog.model.index(r, ConflictsModel.QUESTION).data() for r in range(dialog.model.rowCount())]
    for text in shown + questions:
        assert not any(sid in text for sid in ids), text
    assert any("Report by Tagui Ichikawa" in t for t in shown)
    assert dialog.select("Who heads the AI Strategy Headquarters")
    detail = dialog.detail.toPlainText()
    assert "News report on the Headquarters' launch says both" in detail
    assert not any(sid in detail for sid in ids)


def test_an_imported_source_starts_ungraded(qtbot, store, tmp_path: Path) -> None:  # noqa: ANN001
    from briefer.ui.curation import ImportSourcesDialog

    page = tmp_path / "plan.md"
    page.write_text("# Cabinet approves the AI Basic Plan\n\nThe Cabinet on December 23, 2025 approved the AI "
                    "Basic Plan drafted by the AI Strategy Headquarters, officials said on Tuesday.\n",
                    encoding="utf-8")
    dialog = ImportSourcesDialog(store)
    qtbot.addWidget(dialog)
    assert dialog.reliability_combo.currentData() == "F"
    assert dialog.reliability_combo.currentText() == "F \u2014 Reliability cannot be judged"
    with qtbot.waitSignal(dialog.analysisFinished, timeout=20000):
        dialog.add_files([page])
    dialog.documents.setCurrentRow(0)
    assert dialog.reliability_combo.currentData() == "F"


def test_a_one_page_budget_says_one_page(qapp, store) -> None:  # noqa: ANN001
    from briefer.domain.template_library import builtin_dir
    from briefer.domain.templates import read_template_file
    from briefer.ui.dialogs.templates import describe

    one = next(t for t in map(read_template_file, sorted(builtin_dir().glob("*.json")))
               if t.length.target_pages == 1)
    text = describe(one)
    assert "<b>Length:</b> 1 page" in text and "1 pages" not in text
    two = one.model_copy(update={"length": one.length.model_copy(update={"target_pages": 2, "target_words": 1})})
    assert "2 pages" in describe(two) and "1 words" not in describe(two) and "1 word" in describe(two)


def test_open_conflicts_in_the_inspector_name_sources_by_label(store, monkeypatch) -> None:  # noqa: ANN001
    from dataclasses import replace

    from briefer.ingest import review
    from briefer.ui.factflags import compute_conflicts

    # the seeds' conflicts are all resolved: as if none were
    found = review.store_conflicts(store)
    monkeypatch.setattr(review, "store_conflicts", lambda _s: [replace(c, status="open") for c in found])
    lines = [line for found in compute_conflicts(store).values() for line in found]
    assert lines
    ids = {s.id for s in store.sources()}
    assert not [line for line in lines if any(sid in line for sid in ids)]
    assert any("News report on the Headquarters' launch says both" in line for line in lines)


# -- point 2: search and filters that say what they are doing ---------------------------------------


def _settled(qtbot, lib) -> None:  # noqa: ANN001
    """The list shows the answer to the last change (a query waits for the pane's timer, then the thread)."""
    qtbot.waitUntil(lambda: not lib._timer.isActive() and lib.last_result is not None
                    and lib.last_result.query.generation == lib._generation, timeout=10000)


def test_a_narrowed_search_says_so_and_widens_in_one_click(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    lib = w.library
    search(qtbot, w, "Headquarters")
    everywhere = lib.fact_model.rowCount()
    per_section: dict[str, int] = {}
    for r in range(everywhere):
        sid = lib.fact_model.fact_at(r).section
        per_section[sid] = per_section.get(sid, 0) + 1
    # the tree counts what the search finds in each section
    assert lib.section_model.index(0, 0).data() == f"All sections ({everywhere})"
    for sid, n in per_section.items():
        assert lib.section_model.section_row(sid).data().endswith(f"({n})")
    risks = lib.section_model.section_row("risks")
    title = lib.section_model.title_of("risks")
    lib.sections.setCurrentIndex(risks)
    _settled(qtbot, lib)
    n = lib.fact_model.rowCount()
    assert n == per_section.get("risks", 0) < everywhere
    label = lib.count_label.text()
    assert label.startswith(f"{n} in {title} \u2014 {everywhere} in all sections: ") and label.endswith(">show</a>")
    assert lib.count_label.textFormat() == Qt.TextFormat.RichText  # the link is one
    lib.count_label.linkActivated.emit("widen")
    _settled(qtbot, lib)
    assert lib.fact_model.rowCount() == everywhere
    assert lib.last_result.query.filters.get("section") is None
    assert "show</a>" not in lib.count_label.text()
    # a line without a link is plain text: what the analyst typed shows as typed, markup and all
    assert lib.count_label.textFormat() == Qt.TextFormat.PlainText
    search(qtbot, w, "Headquarters <b>&amp;")
    _settled(qtbot, lib)
    assert "\u201cHeadquarters <b>&amp;\u201d" in lib.count_label.text()
    assert lib.count_label.textFormat() == Qt.TextFormat.PlainText
    # browsing, the tree gives the store's counts again
    lib.search.clear()
    _settled(qtbot, lib)
    counts = w.store.section_counts()
    assert lib.section_model.section_row("risks").data().endswith(f"({counts['risks']})")
    _done(w)


def test_collapsed_filters_show_they_are_on_and_clear_in_one_click(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    lib = w.library
    total = lib.fact_model.rowCount()
    list_at = lib.facts.geometry()
    lib.filter_button.click()
    assert lib.filters.isVisible()
    assert lib.facts.geometry() == list_at  # opening the filters moves nothing
    lib.status_combo.setCurrentIndex(lib.status_combo.findData("disputed"))
    _settled(qtbot, lib)
    lib.filter_button.click()
    assert not lib.filters.isVisible()
    assert lib.filter_button.text() == "Filters (1)" and lib.filter_button.font().bold()
    assert "Disputed" in lib.filter_button.toolTip()
    assert lib.clear_filters_button.isVisible()
    assert "with the filter" in lib.count_label.text() and "in the whole library" in lib.count_label.text()
    qtbot.mouseClick(lib.clear_filters_button, Qt.MouseButton.LeftButton)
    _settled(qtbot, lib)
    assert lib.filter_button.text() == "Filters" and not lib.clear_filters_button.isVisible()
    assert lib.fact_model.rowCount() == total
    _done(w)


def test_the_status_filter_speaks_the_rows_words(qtbot, data_dir: Path, no_dialogs: None) -> None:
    from briefer.ui import icons
    from briefer.ui.models.library import FactListModel

    w = open_window(qtbot, data_dir)
    lib = w.library
    offered = [lib.status_combo.itemText(i) for i in range(1, lib.status_combo.count())]
    assert offered == ["Current", "Stale", "Conflict", "Disputed", "Superseded"]
    assert set(offered) <= {label for _n, label, _c in icons.STATUS_LOOK.values()}
    seen = {}
    for word in ("Stale", "Current", "Disputed"):
        lib.status_combo.setCurrentIndex(lib.status_combo.findText(word))
        _settled(qtbot, lib)
        rows = lib.fact_model.rowCount()
        assert rows >= 1, word
        assert {lib.fact_model.index(r, FactListModel.STATUS).data() for r in range(rows)} == {word}
        seen[word] = rows
    # every current fact of the store is either current or stale in the list
    lib.status_combo.setCurrentIndex(0)
    _settled(qtbot, lib)
    words = [lib.fact_model.index(r, FactListModel.STATUS).data() for r in range(lib.fact_model.rowCount())]
    assert words.count("Stale") == seen["Stale"] and words.count("Current") == seen["Current"]
    _done(w)


# -- point 7: the keyboard path from search to briefing ---------------------------------------------


def test_down_selects_the_first_result_and_enter_adds_it(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    lib = w.library
    w.composer.dismiss_first_start()
    lib.search.setFocus()
    qtbot.keyClicks(lib.search, "Headquarters")
    _settled(qtbot, lib)
    qtbot.keyClick(lib.search, Qt.Key.Key_Down)
    assert lib.facts.hasFocus()
    assert [i.row() for i in lib.facts.selectionModel().selectedRows()] == [0]
    first = lib.fact_model.fact_at(0).id
    qtbot.keyClick(lib.facts, Qt.Key.Key_Down)  # the analyst moves to the second result
    second = lib.fact_model.fact_at(1).id
    # back in the search box, Enter adds the selected result and leaves the box ready for the next search
    lib.search.setFocus()
    qtbot.keyClick(lib.search, Qt.Key.Key_Return)
    assert w.doc.briefing.fact_ids() == [second]
    assert lib.search.hasFocus() and lib.search.selectedText() == "Headquarters"
    # typed and Enter at once: the first result of what was typed, once its answer is in
    lib.facts.clearSelection()
    qtbot.keyClicks(lib.search, "penalties")
    qtbot.keyClick(lib.search, Qt.Key.Key_Return)
    _settled(qtbot, lib)
    qtbot.waitUntil(lambda: len(w.doc.briefing.fact_ids()) == 2, timeout=10000)
    top = lib.fact_model.fact_at(0).id
    assert top != first and sorted(w.doc.briefing.fact_ids()) == sorted([second, top])
    _done(w)


def test_after_delete_the_next_row_is_selected(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    ids = [f.id for f in w.store.facts() if f.section == "risks"][:3]
    w.add_facts(ids)
    w.composer.select(0, 0)
    w.composer.tree.setFocus()
    qtbot.keyClick(w.composer.tree, Qt.Key.Key_Delete)
    assert w.doc.briefing.fact_ids() == ids[1:]
    current = w.composer.tree.currentIndex()
    assert current.data(OutlineModel.FactIdRole) == ids[1]
    assert w.composer.tree.selectionModel().isSelected(current)
    qtbot.keyClick(w.composer.tree, Qt.Key.Key_Down)
    qtbot.keyClick(w.composer.tree, Qt.Key.Key_Delete)  # the last row: the one above is selected
    assert w.doc.briefing.fact_ids() == [ids[1]]
    assert w.composer.tree.currentIndex().data(OutlineModel.FactIdRole) == ids[1]
    _done(w)


def test_add_all_shown_is_a_button_and_a_menu_item_with_a_shortcut(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    lib = w.library
    lib.sections.setCurrentIndex(lib.section_model.section_row("risks"))
    _settled(qtbot, lib)
    n = lib.fact_model.rowCount()
    assert lib.add_all_button.isVisible() and lib.add_all_button.isEnabled()
    assert lib.add_all_button.text() == f"Add all show&n ({n})"
    facts_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "F&acts" or "Facts" in a.text())
    item = next(a for a in facts_menu.actions() if a.text() == "Add all &shown")
    assert item.shortcut().toString() == "Ctrl+Shift+A"
    qtbot.mouseClick(lib.add_all_button, Qt.MouseButton.LeftButton)
    assert sorted(w.doc.briefing.fact_ids()) == sorted(lib.shown_fact_ids())
    assert len(w.doc.briefing.fact_ids()) == n
    w.undo_action.trigger()
    assert w.doc.briefing.fact_ids() == []  # one undo step
    item.trigger()
    assert len(w.doc.briefing.fact_ids()) == n
    _done(w)


def test_a_first_four_section_briefing_takes_three_clicks(qtbot, data_dir: Path, no_dialogs: None) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from briefer.ui.dialogs.templates import NewFromTemplateDialog

    w = open_window(qtbot, data_dir)
    panel = w.composer.first_start
    assert panel.isVisible() and panel.template_button.isVisible() and panel.empty_button.isVisible()
    clicks = []

    def in_the_dialog() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, NewFromTemplateDialog):
            QTimer.singleShot(50, in_the_dialog)
            return
        item = next(dlg.list.item(i) for i in range(dlg.list.count())
                    if dlg.list.item(i).text().startswith("full-briefing"))
        qtbot.mouseClick(dlg.list.viewport(), Qt.MouseButton.LeftButton, pos=dlg.list.visualItemRect(item).center())
        clicks.append("full-briefing")
        qtbot.mouseClick(dlg.create_button, Qt.MouseButton.LeftButton)
        clicks.append("Create briefing")

    QTimer.singleShot(0, in_the_dialog)
    clicks.append("Start from a template")
    qtbot.mouseClick(panel.template_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.doc is not None and len(w.doc.briefing.sections) >= 4, timeout=30000)
    assert clicks == ["Start from a template", "full-briefing", "Create briefing"]
    assert all(s.items for s in w.doc.briefing.sections)  # four sections and more, each with facts
    assert not panel.isVisible() and w.composer.tree.isVisible()
    _done(w)


def test_start_empty_goes_to_the_search_box(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    panel = w.composer.first_start
    assert panel.isVisible()
    qtbot.mouseClick(panel.empty_button, Qt.MouseButton.LeftButton)
    assert not panel.isVisible() and w.composer.tree.isVisible()
    assert w.library.search.hasFocus()
    _done(w)


# -- point 6: a library list one can read -------------------------------------------------------------


@pytest.mark.parametrize("size", [(1024, 640), (1440, 900)])
def test_the_library_list_gives_the_statement_the_width(qtbot, data_dir: Path, no_dialogs: None, size) -> None:  # noqa: ANN001
    from PySide6.QtWidgets import QApplication

    from briefer.ui.models.library import FactListModel

    w = open_window(qtbot, data_dir)
    w.resize(*size)
    w.splitter.setSizes([int(size[0] * 0.38), int(size[0] * 0.31), int(size[0] * 0.31)])
    QApplication.processEvents()
    lib = w.library
    view, header = lib.facts, lib.facts.header()
    fm = view.fontMetrics()
    status, fact, source = (header.sectionSize(c) for c in (FactListModel.STATUS, FactListModel.FACT,
                                                             FactListModel.SOURCE))
    # the status is an icon: its column is no wider than the icon and a margin; the word stays for the ear
    assert status <= view.style().pixelMetric(view.style().PixelMetric.PM_SmallIconSize) + 12
    idx = lib.fact_model.index(0, FactListModel.STATUS)
    word = idx.data()
    assert word in ("Current", "Stale", "Disputed", "Superseded", "Conflict")
    assert idx.data(Qt.ItemDataRole.AccessibleTextRole).startswith(f"{word} fact")
    assert idx.data(Qt.ItemDataRole.ToolTipRole).startswith(word)
    # the statement: the widest column, two lines a row, at least 40 characters shown
    assert fact > source and not view.isColumnHidden(FactListModel.SOURCE)
    assert view.sizeHintForRow(0) >= 2 * fm.lineSpacing()
    assert 2 * fact // fm.averageCharWidth() >= 40
    # the source by its short label
    first = lib.fact_model.fact_at(0)
    label = lib.fact_model.index(0, FactListModel.SOURCE).data()
    assert label == "Report by Tagui Ichikawa" or label in {s.label for s in w.store.sources()}
    assert first.source_ids[0] not in label
    _done(w)
