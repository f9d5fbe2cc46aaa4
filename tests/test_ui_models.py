"""The window's item models, without a window, checked by Qt's QAbstractItemModelTester
while they change; the undo commands; the quality report."""

from __future__ import annotations

import json
from datetime import date

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from briefer.domain.briefing import Briefing, BriefingSection, FactItem, ParagraphItem
from briefer.ui import undo_steps
from briefer.ui.briefing_model import FACTS_MIME, OUTLINE_MIME, BriefingDoc, Budget, OutlineModel
from briefer.ui.models.library import FactIdRole, FactListModel, HtmlRole, SectionTreeModel

Mode = QAbstractItemModelTester.FailureReportingMode


@pytest.fixture
def doc(qapp, store):  # noqa: ANN001, ANN201
    facts = store.facts()
    by_section: dict[str, list[str]] = {}
    for f in facts:
        by_section.setdefault(f.section, []).append(f.id)
    b = Briefing(sections=[
        BriefingSection(section="law-summary", items=[FactItem(fact_id=i) for i in by_section["law-summary"][:3]]),
        BriefingSection(section="risks", items=[FactItem(fact_id=i) for i in by_section["risks"][:2]]
                        + [ParagraphItem(text="Our view.")]),
    ])
    d = BriefingDoc(b, store_sections=store.sections(), facts={f.id: f for f in facts}, budget=Budget(100, 1))
    d.fact_loader = store.facts_by_ids
    return d


def ids(doc: BriefingDoc) -> list[str]:
    return doc.briefing.fact_ids()


def test_outline_model_passes_the_model_tester_through_every_edit(qtmodeltester, doc: BriefingDoc, store) -> None:  # noqa: ANN001
    model = doc.model
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.rowCount(model.index(0, 0)) == 3
    assert model.rowCount(model.index(1, 0)) == 3
    assert "(3 facts)" in model.index(0, 0).data()
    para = model.item_index(1, 2)
    assert para.data(OutlineModel.KindRole) == "paragraph"
    assert para.data() == "Our view."  # the paragraph icon marks it, not a second "¶" in the text
    assert not para.data(Qt.ItemDataRole.DecorationRole).isNull()
    start = ids(doc)

    # add a fact from another section: a new section appears in the store's order
    us = next(f.id for f in store.facts() if f.section == "us-japan-cooperation")
    assert undo_steps.add_facts(doc, [us]) == [us]
    assert [s.section for s in doc.briefing.sections] == ["law-summary", "risks", "us-japan-cooperation"]
    assert undo_steps.add_facts(doc, [us]) == []  # already there
    # move items and sections
    undo_steps.move_by_keyboard(doc, 0, 0, +1)
    assert ids(doc)[:2] == [start[1], start[0]]
    undo_steps.move_by_keyboard(doc, 0, 2, +1)  # crosses into the next section
    assert doc.briefing.sections[1].items[0].fact_id == start[2]  # type: ignore[union-attr]
    undo_steps.move_by_keyboard(doc, 2, None, -1)
    assert [s.section for s in doc.briefing.sections] == ["law-summary", "us-japan-cooperation", "risks"]
    moved = [doc.briefing.sections[0].items[0].fact_id, doc.briefing.sections[0].items[1].fact_id]  # type: ignore[union-attr]
    doc.undo.push(undo_steps.MoveItems(doc, [(0, 0), (0, 1)], 2, 1))  # both to the last section, after its first
    assert [i.fact_id for i in doc.briefing.sections[2].items[1:3]] == moved  # type: ignore[union-attr]
    assert doc.briefing.sections[0].items == []
    doc.undo.push(undo_steps.RemoveItems(doc, [(2, 0)]))
    doc.undo.push(undo_steps.RemoveSection(doc, 1))
    doc.undo.push(undo_steps.SetOverride(doc, 1, 0, "Reworded."))
    assert "\u270e edited" in model.item_index(1, 0).data()
    doc.undo.push(undo_steps.SetSectionField(doc, 0, "heading", "The law"))
    assert model.index(0, 0).data(Qt.ItemDataRole.EditRole) == "The law"
    # undo everything, checked by the tester at every step
    while doc.undo.canUndo():
        doc.undo.undo()
    assert ids(doc) == start
    assert [s.section for s in doc.briefing.sections] == ["law-summary", "risks"]
    while doc.undo.canRedo():
        doc.undo.redo()
    assert doc.briefing.sections[0].heading == "The law"


def test_outline_drag_and_drop_mime(qtmodeltester, doc: BriefingDoc) -> None:  # noqa: ANN001
    model = doc.model
    qtmodeltester.check(model)
    start = ids(doc)
    md = model.mimeData([model.item_index(0, 2)])
    assert json.loads(bytes(md.data(OUTLINE_MIME).data())) == {"items": [[0, 2]]}
    # dropped onto the first item: lands after it
    assert model.dropMimeData(md, Qt.DropAction.MoveAction, -1, 0, model.item_index(0, 0)) is False
    assert ids(doc)[:3] == [start[0], start[2], start[1]]
    # a whole section dragged to the top
    md = model.mimeData([model.index(1, 0)])
    model.dropMimeData(md, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert doc.briefing.sections[0].section == "risks"
    # the view's clean-up after a move removes nothing (the move was done as an undoable command)
    assert model.removeRows(0, 1, QModelIndex()) is False
    assert len(doc.briefing.sections) == 2
    # facts from the library dropped between two sections go to the end of the one above
    from PySide6.QtCore import QByteArray, QMimeData

    lib = QMimeData()
    lib.setData(FACTS_MIME, QByteArray(json.dumps(["hq-established-sept-1"]).encode()))
    assert model.canDropMimeData(lib, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    model.dropMimeData(lib, Qt.DropAction.CopyAction, 1, 0, QModelIndex())
    assert doc.briefing.sections[0].items[-1].fact_id == "hq-established-sept-1"  # type: ignore[union-attr]
    doc.undo.undo()
    assert "hq-established-sept-1" not in ids(doc)


def test_inline_edit_is_an_override_and_the_store_wording_clears_it(doc: BriefingDoc) -> None:
    model = doc.model
    idx = model.item_index(0, 0)
    fid = idx.data(OutlineModel.FactIdRole)
    store_text = doc.facts[fid].statement
    assert idx.data(Qt.ItemDataRole.EditRole) == store_text
    assert model.setData(idx, "  A shorter wording.  ")
    assert doc.briefing.sections[0].items[0].override == "A shorter wording."  # type: ignore[union-attr]
    assert idx.data(OutlineModel.OverriddenRole) is True
    assert "Reworded for this briefing" in idx.data(Qt.ItemDataRole.ToolTipRole)
    assert model.setData(idx, store_text)  # typing the store's wording back is a revert
    assert doc.briefing.sections[0].items[0].override is None  # type: ignore[union-attr]
    assert doc.undo.count() == 2


def test_typing_in_a_field_merges_into_one_undo_step(doc: BriefingDoc) -> None:
    for text in ("J", "Ja", "Jap", "Japan"):
        doc.undo.push(undo_steps.SetCover(doc, "title", text))
    doc.undo.push(undo_steps.SetCover(doc, "prepared_for", "FM"))
    assert doc.undo.count() == 2
    doc.undo.undo()
    doc.undo.undo()
    assert doc.briefing.cover.title == "Japan\u2019s AI Governance"
    assert doc.is_modified is False


def test_length_against_the_budget(doc: BriefingDoc) -> None:
    length = doc.length()
    assert length.words > 100  # five statements and a paragraph
    assert length.over_words
    assert "over budget" in length.text()
    doc.budget = None
    assert "budget" not in doc.length().text()


def test_section_tree_and_fact_list_models(qapp, qtmodeltester, store) -> None:  # noqa: ANN001
    tree = SectionTreeModel()
    qtmodeltester.check(tree)
    tree.set_sections(store.sections(), store.section_counts())
    top = tree.index(0, 0)
    assert tree.rowCount(top) == len(store.sections())
    assert tree.section_row("risks").data(Qt.ItemDataRole.UserRole + 1) == "risks"
    tree.set_counts({"risks": 1})
    assert "(1)" in tree.section_row("risks").data()

    facts = FactListModel()
    # a second model in the same test: pytest-qt's fixture holds one tester
    t2 = QAbstractItemModelTester(facts, Mode.Warning)
    hits = store.search("Headquarters", limit=10, mark=("<b>", "</b>"))
    facts.set_rows([(h.fact, h.snippet) for h in hits], {hits[0].fact.id: {"stale"}})
    assert facts.rowCount() == len(hits)
    assert facts.index(0, FactListModel.STATUS).data() == "Stale"
    assert "<b>" in facts.index(0, FactListModel.FACT).data(HtmlRole)
    facts.set_in_briefing({hits[1].fact.id})
    assert facts.index(1, FactListModel.FACT).data().startswith("\u2713")
    md = facts.mimeData([facts.index(0, 0), facts.index(1, 2)])
    assert json.loads(bytes(md.data(FACTS_MIME).data())) == [hits[0].fact.id, hits[1].fact.id]
    assert facts.index(0, 0).data(FactIdRole) == hits[0].fact.id
    # a snippet's own text is escaped; only the store's marks become bold
    from briefer.ui.models.library import _escape_keep_marks

    assert _escape_keep_marks("a <x> <b>hit</b> & b") == "a &lt;x&gt; <b>hit</b> &amp; b"
    facts.set_rows([])
    assert facts.rowCount() == 0
    del t2


def test_quality_report_names_what_a_reader_should_know(doc: BriefingDoc, store) -> None:  # noqa: ANN001
    from briefer.domain.document import resolve
    from briefer.ui.quality import build_report

    disputed = next(f for f in store.facts() if str(f.status) == "disputed")
    undo_steps.add_facts(doc, [disputed.id])
    doc.undo.push(undo_steps.SetOverride(doc, 0, 0, "Reworded for the minister."))
    doc.briefing.sections[0].items.append(FactItem(fact_id="no-such-fact"))
    doc.missing.add("no-such-fact")
    doc.flags[doc.briefing.sections[0].items[1].fact_id] = {"stale"}  # type: ignore[union-attr]
    document = resolve(doc.briefing, store, today=date(2025, 11, 1))
    sources = {s.id: store.source(s.id) for s in store.sources()}
    report = build_report(doc, document, sources)
    text = report.to_text()
    assert "no longer in the store" in text and "no-such-fact" in text
    assert "disputed fact" in text and disputed.id in text
    assert "wording override" in text and "Reworded for the minister." in text
    assert "stale fact" in text
    assert "Over the length budget" in text
    assert report.problems >= 2
    assert "problem" in report.headline()
    # the problems come first, then what to check, then what is fine ("Over the length budget", the only
    # problem of a long briefing, was the last line, under 26 stale facts)
    levels = [i.level for i in report.items]
    assert levels == sorted(levels, key=("problem", "check", "ok").index)
    assert text.index("Over the length budget") < text.index("stale fact")


def test_preview_in_place_update_matches_a_full_render(qapp, doc: BriefingDoc, store) -> None:  # noqa: ANN001
    """Rewording a fact patches one paragraph of the preview; the result reads exactly as a full render."""
    from briefer.ui.panes.preview import PreviewPane

    pane = PreviewPane()
    pane.today = date(2025, 11, 1)
    pane.set_doc(doc, store)
    full_before = pane.document
    doc.undo.push(undo_steps.SetOverride(doc, 1, 1, "A wording of our own, with <angle> & ampersand."))
    pane._timer.stop()
    pane.refresh_pending()
    assert pane.document is full_before  # patched in place, not resolved again
    patched = pane.browser.toPlainText()
    assert "A wording of our own, with <angle> & ampersand." in patched
    # and it looks like its neighbours: the same character format as the fact after it
    from PySide6.QtGui import QTextCursor

    qdoc = pane.browser.document()

    def format_at(text: str):  # noqa: ANN202
        found = qdoc.find(text)
        assert not found.isNull(), text
        c = QTextCursor(qdoc)
        c.setPosition(found.selectionStart() + 3)
        f = c.charFormat()
        return f.fontPointSize(), f.fontWeight(), f.fontItalic(), f.fontFamilies()

    neighbour = doc.facts[doc.briefing.sections[1].items[0].fact_id].statement[:30]  # type: ignore[union-attr]
    assert format_at("A wording of our own") == format_at(neighbour)
    pane.refresh()
    assert pane.browser.toPlainText() == patched
    # an intro is a change of shape: a full render
    doc.undo.push(undo_steps.SetSectionField(doc, 0, "intro", "Why it matters."))
    pane.refresh_pending()
    assert pane.document is not full_before
    assert "Why it matters." in pane.browser.toPlainText()
    # undo comes back the same way
    doc.undo.undo()
    doc.undo.undo()
    pane.refresh_pending()
    assert "A wording of our own" not in pane.browser.toPlainText()
    pane.deleteLater()


def test_outline_items_keep_their_place_when_sections_move(qtbot, qtmodeltester, doc: BriefingDoc, store) -> None:  # noqa: ANN001
    """An outline row a view holds (the current row, a selection) follows its item when sections move
    or are removed and put back, and removing rows then prints no ``endRemoveRows: Invalid index``
    (the suite fails on any Qt warning)."""
    from PySide6.QtCore import QPersistentModelIndex
    from PySide6.QtWidgets import QTreeView

    model = doc.model
    view = QTreeView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.expandAll()
    qtmodeltester.check(model)
    us = next(f.id for f in store.facts() if f.section == "us-japan-cooperation")
    undo_steps.add_facts(doc, [us])  # law-summary (3), risks (3), us-japan-cooperation (1)
    view.expandAll()
    held = QPersistentModelIndex(model.item_index(1, 2))  # the analyst's paragraph in "risks"
    view.setCurrentIndex(model.item_index(1, 2))
    assert held.data(Qt.ItemDataRole.EditRole) == "Our view."
    undo_steps.move_by_keyboard(doc, 2, None, -1)  # us-japan above risks
    assert [s.section for s in doc.briefing.sections] == ["law-summary", "us-japan-cooperation", "risks"]
    assert held.isValid() and held.data(Qt.ItemDataRole.EditRole) == "Our view."
    assert held.parent().row() == 2
    assert view.currentIndex().data(Qt.ItemDataRole.EditRole) == "Our view."
    doc.undo.push(undo_steps.RemoveItems(doc, [(1, 0)]))  # the one fact of us-japan-cooperation
    assert held.data(Qt.ItemDataRole.EditRole) == "Our view."
    doc.undo.push(undo_steps.RemoveSection(doc, 0))
    assert held.data(Qt.ItemDataRole.EditRole) == "Our view." and held.parent().row() == 1
    while doc.undo.canUndo():
        doc.undo.undo()
    assert held.data(Qt.ItemDataRole.EditRole) == "Our view."
    assert view.currentIndex().data(Qt.ItemDataRole.EditRole) == "Our view."


#: every item model of the window, and the test that runs it under QAbstractItemModelTester with real data
MODEL_TESTS = {
    "OutlineModel": "test_outline_model_passes_the_model_tester_through_every_edit (inserts, removes, moves)",
    "SectionTreeModel": "test_section_tree_and_fact_list_models",
    "FactListModel": "test_section_tree_and_fact_list_models",
    "CandidatesModel": "test_curation_ui.py::test_import_dialog_review_and_commit",
    "ConflictsModel": "test_curation_ui.py::test_conflicts_dialog_shows_the_seed_disagreements",
}


def test_every_item_model_of_the_window_is_run_under_the_model_tester() -> None:
    """A new model in briefer/ui needs its model-tester test before this passes."""
    import ast
    from pathlib import Path

    ui = Path(__file__).resolve().parents[1] / "briefer" / "ui"
    found = set()
    for path in ui.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                    getattr(b, "id", getattr(b, "attr", "")).endswith(("ItemModel", "TableModel", "ListModel"))
                    for b in node.bases):
                found.add(node.name)
    assert found == set(MODEL_TESTS)
    tests = Path(__file__).read_text(encoding="utf-8") + (Path(__file__).parent / "test_curation_ui.py").read_text(
        encoding="utf-8")
    for where in MODEL_TESTS.values():
        name = where.split("::")[-1].split(" ")[0]
        body = tests.split(f"def {name}(", 1)[1].split("\ndef ", 1)[0]
        assert "qtmodeltester" in body or "QAbstractItemModelTester" in body, name


def test_the_library_shows_statements_never_a_snippet_of_tags_or_sources(qapp, store) -> None:  # noqa: ANN001
    """A fact found by its tags or its sources' names is listed by its statement (the store's snippet
    for it is cut from the tags: "AI Strategy Headquarters ; Minoru Kiuchi ; … hq-chart:…"), and its
    tooltip says where the match was."""
    import html

    from briefer.app.search import MATCHED_ELSEWHERE

    hits = store.search("Headquarters", limit=100, mark=("<b>", "</b>"))
    facts = FactListModel()
    facts.set_rows([(h.fact, h.snippet) for h in hits])
    elsewhere = [row for row, h in enumerate(hits) if h.snippet and "<b>" in h.snippet
                 and h.snippet.replace("<b>", "").replace("</b>", "").strip("\u2026 ") not in h.fact.statement]
    assert elsewhere, "the seed pack has facts found only by their tags or sources"
    for row, h in enumerate(hits):
        shown = facts.index(row, FactListModel.FACT).data(HtmlRole)
        plain = shown.replace("<b>", "").replace("</b>", "").removeprefix("\u2713 ").strip("\u2026 ")
        assert plain in html.escape(h.fact.statement), (h.fact.id, shown)
        tip = facts.index(row, FactListModel.FACT).data(Qt.ItemDataRole.ToolTipRole)
        assert (MATCHED_ELSEWHERE in tip) == (row in elsewhere)
