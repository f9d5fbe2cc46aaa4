"""The window as the analyst sees it (issue 14, points 2, 6, 7, 8), driven through its widgets: no
internals in front of the analyst, search and filters that say what they do, the keyboard path
from search to briefing, a library list one can read."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from test_ui_flow import _shut_windows, close_window, no_dialogs, open_window, search  # noqa: F401

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
    from briefer.domain.templates import read_template_file
    from briefer.store.templates import builtin_dir
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
