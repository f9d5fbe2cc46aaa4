"""The conflicts dialog and the export dialog's quality report say what the analyst needs in the
analyst's words: a fact by its statement (its id only in a tooltip, or after it in grey), no file of
the program ("resources/vocabularies.json"), and numbers that agree with their nouns (issue 14, point 8)."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import Qt

from briefer.domain.briefing import Briefing, BriefingSection, FactItem
from briefer.ui.briefing_model import BriefingDoc, Budget

_ID = re.compile(r"(?<![\w-])[a-z0-9]+(?:-[a-z0-9]+){2,}(?![\w-])")  # a fact id: "ai-act-penalties-disputed"


def _dialog(qtbot, store):  # noqa: ANN001, ANN202
    from briefer.ui.curation import ConflictsDialog

    dialog = ConflictsDialog(store)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: bool(dialog.model.conflicts), timeout=20000)
    return dialog


def test_the_conflicts_dialog_names_facts_by_their_statements_and_no_program_file(qtbot, store) -> None:  # noqa: ANN001

    dialog = _dialog(qtbot, store)
    fact_ids = {f.id for f in store.facts()}
    assert re.fullmatch(r"\d+ conflicts: \d+ open, \d+ resolved\.", dialog.summary.text())
    assert dialog.select("Are businesses required to cooperate")
    c = dialog.current()
    assert c.resolution and "ai-act-cooperation-required-disputed" in c.resolution  # the finder's own words
    detail = " ".join(dialog.detail.toPlainText().split())
    statement = store.fact("ai-act-cooperation-required-disputed").statement
    assert "Resolved: the fact \u201c" + statement[:30] in detail
    for r in range(dialog.model.rowCount()):
        dialog.table.selectRow(r)
        shown = dialog.detail.toPlainText()
        tips = [dialog.model.index(r, col).data(Qt.ItemDataRole.ToolTipRole) or ""
                for col in range(dialog.model.columnCount())]
        for text in [shown, *tips]:
            assert ".json" not in text and "resources/" not in text, text
            assert not [i for i in _ID.findall(text) if i in fact_ids], text
    # the Fact combo lists the conflict's facts by their statements; the id is in the tooltip and is what is used
    dialog.select("Are businesses required to cooperate")
    combo = dialog.fact_combo
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts and not [t for t in texts if t in fact_ids]
    i = combo.findData("ai-act-cooperation-required-disputed")
    assert i >= 0 and combo.itemText(i).startswith(statement[:30])
    assert "ai-act-cooperation-required-disputed" in combo.itemData(i, Qt.ItemDataRole.ToolTipRole)


def test_a_fact_picked_by_its_statement_or_typed_by_id_resolves_that_fact(qtbot, store) -> None:  # noqa: ANN001
    from briefer.ui.curation.conflicts_dialog import _chosen_fact

    dialog = _dialog(qtbot, store)
    assert dialog.select("Are businesses required to cooperate")
    combo = dialog.fact_combo
    i = combo.findData("ai-act-cooperation-required-disputed")
    combo.setCurrentIndex(i)
    assert _chosen_fact(combo) == "ai-act-cooperation-required-disputed"
    combo.setCurrentText("bg-soft-law-approach-defined")  # an id typed by someone who knows it
    assert _chosen_fact(combo) == "bg-soft-law-approach-defined"


def _report(store, ids: list[str]):  # noqa: ANN001, ANN202
    from briefer.domain.document import resolve
    from briefer.ui.quality import build_report

    facts = store.facts()
    b = Briefing(sections=[BriefingSection(section="law-summary", items=[FactItem(fact_id=i) for i in ids])])
    doc = BriefingDoc(b, store_sections=store.sections(), facts={f.id: f for f in facts}, budget=Budget(None, None))
    document = resolve(b, store, today=date(2025, 10, 1))
    return build_report(doc, document, {s.id: store.source(s.id) for s in store.sources()})


def test_the_quality_report_names_a_disputed_fact_by_its_statement_the_id_after_it_in_grey(qapp, store) -> None:  # noqa: ANN001
    disputed = [f for f in store.facts() if str(f.status) == "disputed" and f.section == "law-summary"]
    one = _report(store, [disputed[0].id])
    html = one.to_html()
    assert "1 disputed fact:" in html and "fact(s)" not in html
    grey = re.search(r'<li>([^<]+) <span style="color:#777777">([^<]+)</span></li>', html)
    assert grey and grey.group(2) == disputed[0].id
    assert disputed[0].statement[:30] in grey.group(1) and disputed[0].id not in grey.group(1)
    two = _report(store, [disputed[0].id, disputed[1].id])
    assert "2 disputed facts:" in two.to_html()
    assert "1 thing to check" in one.headline()
