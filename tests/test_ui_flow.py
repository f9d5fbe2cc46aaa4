"""The whole flow of the window, driven through its widgets as a user would:
search -> add facts -> reorder by drag and by keyboard -> reword a fact ->
undo/redo -> save -> close -> open -> the same briefing -> export to DOCX ->
save as template -> new briefing from it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import docx
import pytest
import window_support
from export_support import footnote_texts
from PySide6.QtCore import QMimeData, QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QDialog
from window_support import shut_windows  # noqa: F401 - autouse: shuts what a test left open

from briefer.ui import filedialogs, messages
from briefer.ui.briefing_model import FACTS_MIME, OUTLINE_MIME, OutlineModel
from briefer.ui.mainwindow import MainWindow
from briefer.ui.models.library import FactIdRole, FactListModel

TODAY = date(2025, 11, 1)


def open_window(qtbot, data_dir: Path, file: Path | None = None) -> MainWindow:  # noqa: ANN001
    w = window_support.open_window(qtbot, data_dir, file)
    qtbot.waitUntil(lambda: w.library.last_result is not None, timeout=10000)
    return w


def close_window(w: MainWindow) -> None:
    if w.isVisible():
        w.close()
    else:
        w.shutdown()


def search(qtbot, w: MainWindow, text: str) -> None:  # noqa: ANN001
    w.library.search.clear()
    qtbot.keyClicks(w.library.search, text)
    qtbot.waitUntil(lambda: w.library.last_result is not None and w.library.last_result.query.text == text,
                    timeout=10000)


def row_rect_center(view, row: int, col: int = FactListModel.FACT) -> QPoint:  # noqa: ANN001
    return view.visualRect(view.model().index(row, col)).center()


def outline_ids(w: MainWindow) -> list[str]:
    return w.doc.briefing.fact_ids()


def test_whole_flow_through_the_widgets(qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    assert w.windowTitle().startswith("Untitled briefing")
    assert w.library.fact_model.rowCount() >= 80  # all sections, every fact of the pack

    # -- search as you type, matches highlighted -----------------------------------------
    search(qtbot, w, "Headquarters")
    hits = w.library.fact_model.rowCount()
    assert 3 <= hits <= 200
    snippets = [w.library.fact_model.index(r, FactListModel.FACT).data(Qt.ItemDataRole.UserRole + 3)
                for r in range(hits)]
    assert any("<b>" in s.lower() and "headquarters" in s.lower() for s in snippets), snippets[:3]

    # -- add: select two rows and press the Add button --------------------------------------
    facts_view = w.library.facts
    sel = facts_view.selectionModel()
    sel.select(w.library.fact_model.index(0, 0), sel.SelectionFlag.ClearAndSelect | sel.SelectionFlag.Rows)
    sel.select(w.library.fact_model.index(1, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
    assert w.library.add_button.isEnabled()
    qtbot.mouseClick(w.library.add_button, Qt.MouseButton.LeftButton)
    picked = [w.library.fact_model.index(r, 0).data(FactIdRole) for r in (0, 1)]
    assert outline_ids(w)[:2] == picked or set(outline_ids(w)) == set(picked)
    assert w.isWindowModified()

    # -- add by double-click -----------------------------------------------------------------
    facts_view.scrollTo(w.library.fact_model.index(2, 0))
    third = w.library.fact_model.index(2, 0).data(FactIdRole)
    qtbot.mouseClick(facts_view.viewport(), Qt.MouseButton.LeftButton, pos=row_rect_center(facts_view, 2))
    qtbot.mouseDClick(facts_view.viewport(), Qt.MouseButton.LeftButton, pos=row_rect_center(facts_view, 2))
    assert third in outline_ids(w)

    # -- add with the keyboard: Enter in the fact list ------------------------------------------
    search(qtbot, w, "penalties")
    facts_view.setFocus()
    facts_view.setCurrentIndex(w.library.fact_model.index(0, FactListModel.FACT))
    sel.select(facts_view.currentIndex(), sel.SelectionFlag.ClearAndSelect | sel.SelectionFlag.Rows)
    key_fact = w.library.fact_model.index(0, 0).data(FactIdRole)
    qtbot.keyClick(facts_view, Qt.Key.Key_Return)
    assert key_fact in outline_ids(w)

    # -- add by drag from the library: the drop lands where it was dropped --------------------------
    search(qtbot, w, "Biden")
    dragged = w.library.fact_model.index(0, 0).data(FactIdRole)
    assert dragged not in outline_ids(w)
    mime = w.library.fact_model.mimeData([w.library.fact_model.index(0, 0)])
    assert mime.hasFormat(FACTS_MIME)
    model = w.doc.model
    target_section = model.index(0, 0)
    assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, 0, 0, target_section)
    assert model.dropMimeData(mime, Qt.DropAction.CopyAction, 0, 0, target_section)
    assert w.doc.briefing.sections[0].items[0].fact_id == dragged  # type: ignore[union-attr]

    n_sections = len(w.doc.briefing.sections)
    assert n_sections >= 2
    before = outline_ids(w)

    # -- reorder by keyboard: Alt+Down on the first item of the first section ---------------------
    tree = w.composer.tree
    w.composer.select(0, 0)
    tree.setFocus()
    first = w.doc.briefing.sections[0].items[0].fact_id  # type: ignore[union-attr]
    qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    sec0 = w.doc.briefing.sections[0]
    if len(sec0.items) > 1:
        assert sec0.items[1].fact_id == first  # type: ignore[union-attr]
    else:  # moved on into the next section
        assert w.doc.briefing.sections[1].items[0].fact_id == first  # type: ignore[union-attr]
    assert sorted(outline_ids(w)) == sorted(before)
    qtbot.keyClick(tree, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert outline_ids(w) == before

    # sections move too: Alt+Down on a section swaps it with the next
    w.composer.select(0, None)
    s0, s1 = w.doc.briefing.sections[0].section, w.doc.briefing.sections[1].section
    qtbot.keyClick(tree, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [s.section for s in w.doc.briefing.sections[:2]] == [s1, s0]
    w.doc.undo.undo()
    assert [s.section for s in w.doc.briefing.sections[:2]] == [s0, s1]

    # -- reorder by drag and drop inside the outline: last fact of the last section to the top -------
    last_sec = len(w.doc.briefing.sections) - 1
    last_row = len(w.doc.briefing.sections[last_sec].items) - 1
    moving = w.doc.briefing.sections[last_sec].items[last_row].fact_id  # type: ignore[union-attr]
    md = model.mimeData([model.item_index(last_sec, last_row)])
    assert md.hasFormat(OUTLINE_MIME)
    model.dropMimeData(md, Qt.DropAction.MoveAction, 0, 0, model.index(0, 0))
    assert w.doc.briefing.sections[0].items[0].fact_id == moving  # type: ignore[union-attr]
    assert sorted(outline_ids(w)) == sorted(before)

    # -- reword a fact for this briefing, in the detail editor -------------------------------------------
    w.composer.select(0, 0)
    fid = w.doc.briefing.sections[0].items[0].fact_id  # type: ignore[union-attr]
    store_text = w.store.fact(fid).statement
    assert w.composer.detail.currentIndex() == 2
    w.composer.wording_edit.setPlainText("Our own wording of this fact, for the minister.")
    qtbot.mouseClick(w.composer.apply_wording, Qt.MouseButton.LeftButton)
    idx = model.item_index(0, 0)
    assert "\u270e edited" in idx.data(Qt.ItemDataRole.DisplayRole)
    assert idx.data(OutlineModel.OverriddenRole) is True
    assert w.store.fact(fid).statement == store_text  # the store is unchanged
    assert "Reworded for this briefing" in w.composer.override_marker.text()

    # -- undo / redo through the Edit actions -------------------------------------------------------------
    w.undo_action.trigger()
    assert w.doc.briefing.sections[0].items[0].override is None  # type: ignore[union-attr]
    assert "\u270e" not in model.item_index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    w.redo_action.trigger()
    assert w.doc.briefing.sections[0].items[0].override == "Our own wording of this fact, for the minister."  # type: ignore[union-attr]

    # inline edit (F2 / double-click ends in setData) is the same undoable step
    second = model.item_index(0, 1)
    if second.isValid() and second.data(OutlineModel.KindRole) == "fact":
        assert model.setData(second, "Inline wording.")
        assert w.doc.briefing.sections[0].items[1].override == "Inline wording."  # type: ignore[union-attr]
        w.undo_action.trigger()
        assert w.doc.briefing.sections[0].items[1].override is None  # type: ignore[union-attr]

    # -- cover and summary ---------------------------------------------------------------------------------
    w.composer.tabs.setCurrentIndex(1)
    title = w.composer.cover_edits["title"]
    title.selectAll()
    qtbot.keyClicks(title, "Japan AI brief")
    assert w.doc.briefing.cover.title == "Japan AI brief"
    w.undo_action.trigger()  # typing merges into one step
    assert w.doc.briefing.cover.title != "Japan AI brief"
    w.redo_action.trigger()
    assert w.composer.cover_edits["title"].text() == "Japan AI brief"
    qtbot.keyClicks(w.composer.cover_edits["prepared_for"], "The Minister")
    w.composer.summary_edit.setPlainText("Japan chose a light-touch law; the Headquarters is the thing to watch.")
    assert w.doc.briefing.summary.startswith("Japan chose")  # type: ignore[union-attr]
    assert "words" in w.composer.length_label.text()

    # -- the preview shows it, rendered by the export renderer ----------------------------------------------
    w.preview.refresh()
    text = w.preview.browser.toPlainText()
    assert "Japan AI brief" in text and "Our own wording of this fact" in text
    assert "Notes" in text

    # -- save --------------------------------------------------------------------------------------------
    target = tmp_path / "minister.briefing.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: tmp_path / "minister")
    w.save_action.trigger()
    assert target.exists()
    assert not w.isWindowModified()
    assert w.windowTitle().startswith("minister")
    saved = json.loads(target.read_text(encoding="utf-8"))
    briefing_before = w.doc.briefing.model_dump(mode="json")
    assert saved["briefing"] == briefing_before

    # -- close (no prompt: saved) and open it again ----------------------------------------------------------
    w.close()
    assert not w.isVisible()
    w2 = open_window(qtbot, data_dir)
    monkeypatch.setattr(filedialogs, "ask_open_path", lambda *a, **k: target)
    w2.open_action.trigger()
    assert w2.doc.path == target
    assert w2.doc.briefing.model_dump(mode="json") == briefing_before
    assert not w2.isWindowModified()
    assert str(target.resolve()) in __import__("briefer.ui.settings", fromlist=["x"]).recent_files()

    # -- export to DOCX through the dialog ------------------------------------------------------------------
    from briefer.ui.dialogs.export import ExportDialog

    out = tmp_path / "out" / "minister.docx"
    out.parent.mkdir()
    captured: list[ExportDialog] = []
    monkeypatch.setattr(ExportDialog, "exec", lambda self: captured.append(self) or 0)
    qtbot.keyClick(w2, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert captured, "Ctrl+E opens the export dialog"
    dlg = captured[0]
    qtbot.addWidget(dlg)
    dlg.show()
    report = dlg.report_view.toPlainText()
    assert "wording override" in report and "Our own wording" in report
    dlg.format_combo.setCurrentIndex(dlg.format_combo.findData("docx"))
    dlg.path_edit.setText(str(out))
    qtbot.mouseClick(dlg.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.written is not None or "failed" in dlg.state_label.text(), timeout=30000)
    assert dlg.written == out, dlg.state_label.text()
    assert dlg.open_button.isVisible() and dlg.folder_button.isVisible()
    opened: list[str] = []
    monkeypatch.setattr("briefer.ui.dialogs.export.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(dlg.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dlg.folder_button, Qt.MouseButton.LeftButton)
    assert opened == [str(out), str(out.parent)]
    d = docx.Document(str(out))
    body = "\n".join(p.text for p in d.paragraphs)
    assert "Japan AI brief" in body
    assert "Our own wording of this fact, for the minister." in body
    for sec in w2.doc.briefing.sections:
        # an empty section is left out of the export (issue 14)
        assert (w2.doc.section_title(sec) in body) is not sec.is_empty()
    notes = footnote_texts(out)
    n_facts = len(w2.doc.briefing.fact_ids())
    assert len(notes) >= n_facts  # one per fact (plus the key points of a default summary)
    assert not list(out.parent.glob(".*exporting*"))  # no temporary file left behind

    # -- save as template, then a new briefing from it -------------------------------------------------------
    from briefer.ui.dialogs import template_editor as edlg
    from briefer.ui.dialogs import templates as tdlg

    def fill_and_save(self: edlg.TemplateEditor) -> int:
        qtbot.addWidget(self)
        self.name_edit.setText("Minister note")
        self.description_edit.setPlainText("The weekly note for the Minister")
        qtbot.waitUntil(lambda: self.preview is not None, timeout=20000)
        self.save()
        return self.result()

    monkeypatch.setattr(edlg.TemplateEditor, "exec", fill_and_save)
    w2.save_template_action.trigger()
    assert w2.doc.template == "Minister note"
    from briefer.domain.template_library import TemplateLibrary

    assert TemplateLibrary(data_dir).exists("Minister note")

    def pick_and_create(self: tdlg.NewFromTemplateDialog) -> int:
        qtbot.addWidget(self)
        self.list.select_name("Minister note")
        assert "weekly note" in self.details.toPlainText()
        self.create_briefing()
        qtbot.waitUntil(lambda: self.result_export is not None, timeout=20000)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(tdlg.NewFromTemplateDialog, "exec", pick_and_create)
    w2.new_from_template_action.trigger()
    assert w2.doc.template == "Minister note"
    assert w2.doc.briefing.fact_ids() == [fid for s in saved["briefing"]["sections"]
                                         for fid in [i["fact_id"] for i in s["items"] if i["kind"] == "fact"]]
    assert w2.doc.briefing.cover.title == "Japan AI brief"
    assert w2.isWindowModified()  # a new, unsaved briefing
    assert w2.doc.path is None
    monkeypatch.setattr(messages, "save_changes", lambda *a: messages.Answer.NO)
    close_window(w2)


def test_remove_and_add_sections_with_undo(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    w.composer.add_section("risks")
    w.composer.add_section("law-summary")
    assert [s.section for s in w.doc.briefing.sections] == ["risks", "law-summary"]  # after the selected one
    w.composer.select(0, None)
    w.composer.tree.setFocus()
    qtbot.keyClick(w.composer.tree, Qt.Key.Key_Delete)
    assert [s.section for s in w.doc.briefing.sections] == ["law-summary"]
    w.undo_action.trigger()
    assert [s.section for s in w.doc.briefing.sections] == ["risks", "law-summary"]
    # a paragraph of one's own, then its text edited
    w.composer.select(0, None)
    w.composer.add_paragraph()
    qtbot.keyClick(w.composer.tree.focusWidget() or w.composer.tree, Qt.Key.Key_Escape)
    item = w.doc.briefing.sections[0].items[0]
    assert item.kind == "paragraph"
    w.composer.select(0, 0)
    w.composer.paragraph_edit.setPlainText("Our reading: the Act is a framework, not a regulator.")
    w.composer.apply_paragraph.click()
    assert w.doc.briefing.sections[0].items[0].text.startswith("Our reading")  # type: ignore[union-attr]
    w.preview.refresh()
    assert "Our reading" in w.preview.browser.toPlainText()
    # a section's intro, typed, is one undo step
    w.composer.select(1, None)
    qtbot.keyClicks(w.composer.intro_edit, "Why it matters")
    assert w.doc.briefing.sections[1].intro == "Why it matters"
    w.undo_action.trigger()
    assert w.doc.briefing.sections[1].intro == ""
    w.doc.undo.setClean()
    close_window(w)


def test_footnote_click_shows_its_source_in_the_inspector(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    fid = "hq-established-sept-1"
    w.add_facts([fid])
    w.composer.tabs.setCurrentIndex(1)
    w.doc.undo.push(__import__("briefer.ui.undo_steps", fromlist=["x"]).SetOption(w.doc, "summary", False))
    w.preview.refresh()
    note = next(fb.note for fb in w.preview.document.fact_blocks() if fb.fact_id == fid)
    w.inspector.clear()
    from PySide6.QtCore import QUrl

    with qtbot.waitSignal(w.preview.footnoteClicked) as blocker:
        w.preview.browser.anchorClicked.emit(QUrl(f"#fn-{note}"))
    assert blocker.args == [fid, note]
    assert w.inspector.fact is not None and w.inspector.fact.id == fid
    details = w.inspector.summary.toPlainText()
    assert "Citations (2)" in details
    quote = w.store.fact(fid).citations[0].quote
    assert w.inspector.highlighted_quote() == quote
    # where it is used: the templates whose selection picks it (computed in a worker)
    qtbot.waitUntil(lambda: "Used by templates:" in w.inspector.summary.toPlainText(), timeout=20000)
    assert "full-briefing" in w.inspector.summary.toPlainText()
    # the second citation's quote is highlighted in its own source
    w.inspector.citation_combo.setCurrentIndex(1)
    assert w.inspector.highlighted_quote() == w.store.fact(fid).citations[1].quote
    w.doc.undo.setClean()
    w.doc._unsaved_origin = False
    close_window(w)


def test_library_filters_and_section_tree(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    lib = w.library
    counts = w.store.section_counts()
    root = lib.section_model.index(0, 0)
    assert f"({sum(counts.values()):,})" in root.data()
    risks = lib.section_model.section_row("risks")
    assert f"({counts['risks']})" in risks.data()
    lib.sections.setCurrentIndex(risks)
    qtbot.waitUntil(lambda: lib.last_result.query.filters.get("section") == "risks", timeout=5000)
    assert lib.fact_model.rowCount() == counts["risks"]
    assert lib.facts.isColumnHidden(FactListModel.SECTION)
    # status filter: disputed facts only, shown with an icon and the word
    lib.filter_button.click()
    assert lib.filters.isVisible()
    lib.sections.setCurrentIndex(lib.section_model.index(0, 0))
    lib.status_combo.setCurrentIndex(lib.status_combo.findData("disputed"))
    qtbot.waitUntil(lambda: lib.last_result.query.filters.get("status") == "disputed", timeout=5000)
    assert lib.fact_model.rowCount() >= 1
    for r in range(lib.fact_model.rowCount()):
        status = lib.fact_model.index(r, FactListModel.STATUS)
        assert status.data(Qt.ItemDataRole.DisplayRole) == "Disputed"
        assert not status.data(Qt.ItemDataRole.DecorationRole).isNull()
    # as-of range
    lib.status_combo.setCurrentIndex(0)
    lib.date_from_check.setChecked(True)
    from PySide6.QtCore import QDate

    lib.date_from.setDate(QDate(2025, 9, 1))
    qtbot.waitUntil(lambda: lib.last_result.query.filters.get("as_of_from") == date(2025, 9, 1), timeout=5000)
    assert all(lib.fact_model.fact_at(r).as_of >= date(2025, 9, 1) for r in range(lib.fact_model.rowCount()))
    # a source and a tag
    src = w.store.sources()[0].id
    lib.reset_filters()
    lib.source_combo.setCurrentIndex(lib.source_combo.findData(src))
    qtbot.waitUntil(lambda: lib.last_result.query.filters.get("source") == src, timeout=5000)
    assert lib.fact_model.rowCount() >= 1
    assert all(src in lib.fact_model.fact_at(r).source_ids for r in range(lib.fact_model.rowCount()))
    tag = "body:AI Strategy Headquarters"
    lib.source_combo.setCurrentIndex(0)
    lib.tag_combo.setCurrentIndex(lib.tag_combo.findData(tag))
    qtbot.waitUntil(lambda: lib.last_result.query.filters.get("tag") == tag, timeout=5000)
    assert lib.fact_model.rowCount() >= 1
    assert all(tag in lib.fact_model.fact_at(r).tags for r in range(lib.fact_model.rowCount()))
    # Japanese search (three characters or more)
    lib.reset_filters()
    jp = "\u6226\u7565\u672c\u90e8"  # 戦略本部, typed through an input method (QTest types ASCII only)
    lib.search.setText(jp)
    lib.search.textEdited.emit(jp)
    qtbot.waitUntil(lambda: lib.last_result.query.text == jp, timeout=5000)
    # the facts are in English: the glossary maps the Japanese name to "AI Strategy Headquarters"
    assert lib.fact_model.rowCount() >= 1
    assert "AI Strategy Headquarters" in lib.count_label.text()
    assert any("headquarters" in lib.fact_model.fact_at(r).statement.lower()
               for r in range(lib.fact_model.rowCount()))
    _ = QMimeData, QModelIndex
    close_window(w)


def test_stale_answers_are_ignored(qtbot, data_dir: Path, no_dialogs: None) -> None:
    """Typing fast: only the answer to the last query is shown."""
    w = open_window(qtbot, data_dir)
    lib = w.library
    for text in ("A", "AI", "AI S", "AI Sa", "AI Saf", "AI Safety"):
        lib.search.setText(text)
        lib.requery()
    qtbot.waitUntil(lambda: lib.last_result is not None and lib.last_result.query.text == "AI Safety", timeout=10000)
    qtbot.wait(200)
    assert lib.last_result.query.text == "AI Safety"
    assert lib.last_result.query.generation == lib._generation
    close_window(w)


def test_library_filters_by_source_reliability(qtbot, data_dir: Path, no_dialogs: None) -> None:
    w = open_window(qtbot, data_dir)
    lib = w.library
    lib.filter_button.click()
    lib.reliability_combo.setCurrentIndex(lib.reliability_combo.findData("AB"))
    qtbot.waitUntil(lambda: lib.last_result.query.filters.get("reliability") == "AB", timeout=5000)
    graded = {s.id for s in w.store.sources() if s.reliability in "AB"}
    assert graded == {"ichikawa-white-paper"}  # the only B source in the seeds
    n = lib.fact_model.rowCount()
    assert n >= 50
    assert all(graded & set(lib.fact_model.fact_at(r).source_ids) for r in range(n))
    lib.reset_filters()
    qtbot.waitUntil(lambda: "reliability" not in lib.last_result.query.filters, timeout=5000)
    assert lib.fact_model.rowCount() > n


def test_where_used_that_cannot_be_worked_out_says_so(qtbot, data_dir: Path, no_dialogs: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # a worker that fails (here: the store busy) must not leave "looking…" standing for ever
    from briefer.domain import usage
    from briefer.errors import StoreBusy

    def busy(*_a: object, **_k: object) -> object:
        raise StoreBusy("the fact store is in use by another Briefer")

    monkeypatch.setattr(usage, "fact_usage", busy)
    w = open_window(qtbot, data_dir)
    fid = "hq-established-sept-1"
    w.inspect_fact(fid)
    qtbot.waitUntil(lambda: "not worked out" in w.inspector.summary.toPlainText(), timeout=20000)
    assert "in use by another Briefer" in w.inspector.summary.toPlainText()
    close_window(w)
