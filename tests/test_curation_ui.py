"""The curation dialogs, driven the way an analyst uses them (pytest-qt,
offscreen): import with review, the fact editor with Cite selection,
history and restore, delete warnings, and the conflicts view."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from briefer.domain import curation
from briefer.domain.provenance import find_quote
from briefer.errors import KnownError
from briefer.ui import filedialogs, messages
from briefer.ui.curation import ConflictsDialog, FactEditorDialog, ImportSourcesDialog
from briefer.ui.curation.conflicts_dialog import ConflictsModel
from briefer.ui.curation.import_dialog import CandidatesModel

ARTICLE = """<html><head><meta property="og:title" content="Cabinet approves the AI Basic Plan">
<meta name="author" content="Emi Tanaka"><meta property="article:published_time" content="2025-12-23">
<script>document.title = "hacked"</script></head><body>
<nav><a href="/">Home</a> | <a href="/tech">Tech</a></nav>
<article><h1>Cabinet approves the AI Basic Plan</h1>
<p>The Cabinet on December 23, 2025 approved the AI Basic Plan drafted by the AI Strategy Headquarters.</p>
<p>The plan rests on five pillars, according to officials at the Cabinet Office.</p>
<p>Washington and Tokyo agreed to coordinate AI safety evaluations through their AI Safety Institutes.</p>
</article>
<aside class="related"><h2>Related articles</h2><p>Typhoon hits Okinawa and flights are cancelled today.</p></aside>
<div id="comments"><h3>3 Comments</h3><p>No penalties at all, so the whole plan is a toothless paper tiger.</p></div>
</body></html>"""


@pytest.fixture
def article(tmp_path: Path) -> Path:
    p = tmp_path / "plan.html"
    p.write_text(ARTICLE, encoding="utf-8")
    return p


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(messages, "error", lambda parent, title, text, informative="": seen.append(text))
    return seen


def _analysed(qtbot, dialog: ImportSourcesDialog, paths: list[Path]):
    with qtbot.waitSignal(dialog.analysisFinished, timeout=20000) as blocker:
        dialog.add_files(paths)
    return blocker.args[0]


# -- import ---------------------------------------------------------------------------------------


def test_import_dialog_review_and_commit(qtbot, qtmodeltester, store, article, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana Lyst")
    sjis = tmp_path / "kihon.txt"
    sjis.write_bytes("人工知能戦略本部は2025年12月23日に人工知能基本計画の案を取りまとめた。".encode("shift_jis"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    dialog = ImportSourcesDialog(store)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(filedialogs, "ask_open_paths", lambda *a, **k: [article, sjis, empty])
    with qtbot.waitSignal(dialog.analysisFinished, timeout=20000) as blocker:
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    plan = blocker.args[0]
    assert [d.name for d in plan.documents] == ["plan.html", "kihon.txt"]
    assert dialog.documents.count() == 3 and "empty" in dialog.documents.item(2).text()
    assert "could not be read" in dialog.status.text()
    qtmodeltester.check(dialog.model)

    dialog.documents.setCurrentRow(0)
    assert dialog.title_edit.text() == "Cabinet approves the AI Basic Plan"
    assert dialog.published_edit.text() == "2025-12-23"
    assert "navigation" in dialog.info_label.text() and "related articles" in dialog.info_label.text()
    statements = [dialog.model.value(r, "statement") for r in range(dialog.model.rowCount())]
    assert not any("Typhoon" in s or "toothless" in s or "hacked" in s for s in statements)
    # correct the metadata
    dialog.title_edit.setText("Cabinet approves Japan's AI Basic Plan")
    dialog.title_edit.editingFinished.emit()
    dialog.reliability_combo.setCurrentIndex(dialog.reliability_combo.findData("B"))
    # accept the first candidate with an edited statement and section, reject the second
    dialog.table.selectRow(0)
    dialog.statement_edit.setPlainText("The Cabinet approved the AI Basic Plan on 23 December 2025.")
    dialog.section_combo.setCurrentText("law-summary")
    qtbot.mouseClick(dialog.accept_button, Qt.MouseButton.LeftButton)
    dialog.table.selectRow(1)
    qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
    assert dialog.model.data(dialog.model.index(1, CandidatesModel.DECISION)) == "Reject"
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        result = dialog.commit()
    assert len(result.sources) == 2 and len(result.facts) == 1
    src = store.source(result.sources[0])
    assert (src.title, src.reliability, src.author) == ("Cabinet approves Japan's AI Basic Plan", "B", "Emi Tanaka")
    fact = store.fact(result.facts[0])
    assert fact.statement == "The Cabinet approved the AI Basic Plan on 23 December 2025."
    assert fact.section == "law-summary" and find_quote(src.text, fact.citations[0].quote)
    assert store.history(fact.id)[0]["analyst"] == "Ana Lyst"
    cands = curation.candidates(store, status=None, source=src.id)
    assert [c.status for c in cands][:2] == ["accepted", "rejected"] and all(
        c.status == "pending" for c in cands[2:])
    ja = store.source(result.sources[1])
    assert "人工知能戦略本部" in ja.text and ja.language == "ja"


def test_import_dialog_duplicate_is_not_imported_again(qtbot, store, article):
    first = ImportSourcesDialog(store)
    qtbot.addWidget(first)
    _analysed(qtbot, first, [article])
    first.commit()
    again = ImportSourcesDialog(store)
    qtbot.addWidget(again)
    plan = _analysed(qtbot, again, [article])
    assert plan.documents[0].duplicate_of
    assert "already in the store" in again.documents.item(0).text()
    assert not again.import_button.isEnabled()


def test_import_dialog_failure_leaves_store_as_it_was(qtbot, store, article, errors, monkeypatch):
    dialog = ImportSourcesDialog(store)
    qtbot.addWidget(dialog)
    _analysed(qtbot, dialog, [article])
    n = len(store.sources())

    def fail(*a, **k):
        raise KnownError("the fact store is busy or read-only")

    monkeypatch.setattr("briefer.ingest.pipeline.commit", fail)
    assert dialog.commit() is None
    assert errors == ["the fact store is busy or read-only"]
    assert len(store.sources()) == n


# -- the fact editor --------------------------------------------------------------------------------


def test_new_fact_cited_by_selection(qtbot, store, monkeypatch):
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana Lyst")
    dialog = FactEditorDialog(store)
    qtbot.addWidget(dialog)
    dialog.statement_edit.setPlainText("The newsletter says the Act has no legal penalties for non-compliance.")
    dialog.section_combo.setCurrentIndex(dialog.section_combo.findData("law-summary"))
    # the newsletter has an emoji flag before this passage: Qt counts it as two positions
    assert dialog.select_in_source("newsletter-ai-law", "There are no legal penalties for non-compliance.")
    assert dialog.cite_button.isEnabled()
    qtbot.mouseClick(dialog.cite_button, Qt.MouseButton.LeftButton)
    assert dialog.citations_table.rowCount() == 1
    assert dialog.citations_table.item(0, 1).text() == "There are no legal penalties for non-compliance."
    dialog.tags_edit.setText("topic:penalties; law:AI Promotion Act")
    with qtbot.waitSignal(dialog.changed):
        assert dialog.save()
    fact = store.fact(dialog._fact_id)
    assert fact.citations[0].quote == "There are no legal penalties for non-compliance."
    assert fact.citations[0].location.startswith("para.")
    assert fact.tags == ["topic:penalties", "law:AI Promotion Act"]
    assert dialog.history_table.rowCount() == 1 and dialog.history_table.item(0, 2).text() == "Ana Lyst"


def test_a_fact_without_citation_is_not_saved(qtbot, store):
    dialog = FactEditorDialog(store)
    qtbot.addWidget(dialog)
    dialog.statement_edit.setPlainText("A statement without any source at all.")
    assert not dialog.save()
    assert "citation" in dialog.message.text()
    assert dialog.cite_selection() is None  # nothing selected


def test_edit_grade_history_and_restore(qtbot, store):
    dialog = FactEditorDialog(store, "hq-established-sept-1")
    qtbot.addWidget(dialog)
    assert dialog.statement_edit.toPlainText().startswith("Japan's AI Strategy Headquarters")
    dialog.priority_spin.setValue(2)
    combo = dialog.citations_table.cellWidget(0, 3)
    combo.setCurrentIndex(combo.findData(1))  # confirmed by other sources
    with qtbot.waitSignal(dialog.changed):
        assert dialog.save()
    fact = store.fact("hq-established-sept-1")
    assert fact.priority == 2 and fact.citations[0].credibility == 1
    # source reliability, graded from the citation view
    dialog.source_combo.setCurrentIndex(dialog.source_combo.findData("news-kiuchi-hq"))
    dialog.reliability_combo.setCurrentIndex(dialog.reliability_combo.findData("B"))
    with qtbot.waitSignal(dialog.changed):
        dialog.reliability_combo.activated.emit(dialog.reliability_combo.currentIndex())
    assert store.source("news-kiuchi-hq").reliability == "B"
    # restore the version before the edit (the history of a pack fact starts with this edit)
    assert dialog.history_table.rowCount() == 1
    version = store.history("hq-established-sept-1")[0]["version"]
    dialog.history_table.selectRow(0)
    with qtbot.waitSignal(dialog.changed):
        dialog.restore(version)
    # "after" of the edit is what restore brings back; restoring needs an earlier entry for the original
    assert store.fact("hq-established-sept-1").priority == 2
    dialog.priority_spin.setValue(4)
    dialog.save()
    first = store.history("hq-established-sept-1")[0]["version"]
    dialog.restore(first)
    assert store.fact("hq-established-sept-1").priority == 2


def test_status_change_needs_a_reason_and_supersession_links(qtbot, store, errors):
    new = curation.add_fact(store, curation.build_fact(
        id="hq-established-2025", section="hq-structure",
        statement="The AI Strategy Headquarters was established on 1 September 2025.",
        citations=[{"source": "news-hq-established", "quote": "officially established the AI Strategy Headquarters"}],
        as_of=date(2025, 9, 13)), analyst="t")
    dialog = FactEditorDialog(store, "hq-established-sept-1")
    qtbot.addWidget(dialog)
    dialog.status_combo.setCurrentIndex(dialog.status_combo.findData("superseded"))
    assert dialog.superseded_combo.isEnabled()
    dialog.superseded_combo.setCurrentText(new.id)
    assert not dialog.save() and "reason" in dialog.message.text()
    dialog.reason_edit.setText("The newer report gives the year.")
    assert dialog.save()
    old = store.fact("hq-established-sept-1")
    assert old.superseded_by == new.id and "The newer report gives the year." in old.notes
    other = FactEditorDialog(store, new.id)
    qtbot.addWidget(other)
    assert "supersedes: hq-established-sept-1" in other.supersedes_label.text()


def test_delete_warns_and_names_templates(qtbot, store, monkeypatch):
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok="OK": asked.append(text) or answer[0])
    dialog = FactEditorDialog(store, "hq-established-sept-1")
    qtbot.addWidget(dialog)
    assert not dialog.delete()
    assert "full-briefing" in asked[0] and store.fact("hq-established-sept-1")
    answer[0] = True
    with qtbot.waitSignal(dialog.changed):
        assert dialog.delete()
    assert not store.facts_by_ids(["hq-established-sept-1"])


# -- conflicts --------------------------------------------------------------------------------------


def _open_conflicts(qtbot, store) -> ConflictsDialog:
    # the first search starts in the constructor: wait for it
    dialog = ConflictsDialog(store)
    qtbot.addWidget(dialog)
    if not dialog.model.conflicts:
        qtbot.waitUntil(lambda: bool(dialog.model.conflicts), timeout=20000)
    return dialog


def test_conflicts_dialog_shows_the_seed_disagreements(qtbot, qtmodeltester, store):
    dialog = _open_conflicts(qtbot, store)
    qtmodeltester.check(dialog.model)
    questions = [c.question for c in dialog.conflicts()]
    assert any("Who heads the AI Strategy Headquarters" in q for q in questions)
    assert any("Minoru Jonouchi" in q for q in questions)
    assert any("AI Action Summit" in q for q in questions)
    assert dialog.select("Who heads the AI Strategy Headquarters")
    html = dialog.detail.toPlainText()
    assert "Minoru Kiuchi" in html and "Shigeru Ishiba" in html
    # the facts quoting a side are named by their statements, not their ids (issue 14, point 8)
    assert store.fact("hq-head-disputed").statement[:40] in " ".join(html.split()) and "hq-head-disputed" not in html
    dialog.show_resolved.setChecked(False)
    assert all(c.open for c in dialog.conflicts())


def test_conflicts_dialog_gives_the_question_the_room(qtbot, store):
    """At its opening size the question (what a reader scans) is the widest column, wide enough for
    about forty characters a line, and the fact chosen to resolve shows from its start."""
    from briefer.ui.curation.conflicts_dialog import ConflictsModel

    dialog = _open_conflicts(qtbot, store)
    dialog.show()
    qtbot.waitExposed(dialog)
    widths = {col: dialog.table.columnWidth(col) for col in range(dialog.model.columnCount())}
    question = widths.pop(ConflictsModel.QUESTION)
    assert question > max(widths.values())
    assert question >= 40 * dialog.table.fontMetrics().averageCharWidth()
    assert dialog.select("Who heads the AI Strategy Headquarters")
    line = dialog.fact_combo.lineEdit()
    assert line.cursorPosition() == 0 and dialog.fact_combo.currentText().startswith(line.text()[:20])


def test_conflicts_dialog_resolves_by_dispute_and_alias(qtbot, store, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana Lyst")
    p = tmp_path / "wire.txt"
    p.write_text("Tokyo, 2 October 2025\n\nThe draft basic AI plan rests on five pillars, officials said. "
                 "Taro Kono, the digital minister, attended the meeting. "
                 "Minister for Digital Transformation Taro Konno said the plan will be revised.\n", encoding="utf-8")
    from briefer.ingest import pipeline

    res = pipeline.commit(pipeline.prepare([p], store), store, analyst="t", accept_all=True)
    five = next(f for f in res.facts if "five" in store.fact(f).statement)
    dialog = _open_conflicts(qtbot, store)
    assert dialog.select("How many pillar")
    c = dialog.current()
    assert c.open and five in c.facts
    dialog.act_dispute.setChecked(True)
    dialog.fact_combo.setCurrentText(five)
    assert not dialog.resolve()  # no reason
    dialog.reason_edit.setText("Only this wire report says five.")
    with qtbot.waitSignal(dialog.changed), qtbot.waitSignal(dialog.loaded, timeout=20000):
        assert dialog.resolve()
    assert store.fact(five).status == "disputed"
    resolved = next(x for x in dialog.conflicts() if "pillar" in x.question)
    assert not resolved.open and "Ana Lyst" in resolved.resolution
    # a name the glossary does not know: recorded as an alias
    assert dialog.select("Taro Kono")
    name = dialog.current()
    assert name.kind == "name" and name.open and dialog.act_alias.isChecked()
    dialog.canonical_combo.setCurrentText("Taro Kono")
    dialog.reason_edit.setText("Misspelling in the wire report.")
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        assert dialog.resolve()
    assert curation.find_entity(store, "Taro Konno").name == "Taro Kono"
    # and reopened
    assert dialog.select("Taro Kono")
    assert dialog.reopen_button.isEnabled()
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        assert dialog.reopen()


def test_closing_while_reading_cancels(qtbot, store, tmp_path):
    paths = []
    for i in range(30):
        p = tmp_path / f"a{i}.html"
        p.write_text(ARTICLE.replace("five pillars", f"{i} pillars"), encoding="utf-8")
        paths.append(p)
    dialog = ImportSourcesDialog(store)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.analysisFinished, timeout=30000) as blocker:
        dialog.add_files(paths)
        dialog.reject()
    assert len(blocker.args[0].documents) < 30  # stopped early, nothing stored
    assert not any(s.file and s.file.startswith("a") and s.file.endswith(".html") for s in store.sources())


def test_conflicts_dialog_shows_each_case_and_disputes_only_a_disagreement(qtbot, store):
    dialog = _open_conflicts(qtbot, store)
    assert dialog.select("Who heads the AI Strategy Headquarters")
    row = dialog.table.selectionModel().selectedRows()[0].row()
    assert dialog.model.index(row, ConflictsModel.KIND).data() == "Self-contradiction (claim)"
    assert "One source contradicting itself" in dialog.detail.toPlainText()
    assert not dialog.act_dispute.isEnabled() and dialog.act_self.isChecked()
    assert dialog.select("Minoru Jonouchi")
    assert "an alias, not a dispute" in dialog.detail.toPlainText()
    assert dialog.select("binding")
    assert dialog.current().case == "disagreement" and dialog.act_dispute.isEnabled()


def _import(store, tmp_path, name: str, text: str) -> str:
    from briefer.ingest import pipeline

    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return pipeline.commit(pipeline.prepare([p], store), store, analyst="t", accept_all=True).sources[0]


def _resolve(qtbot, dialog: ConflictsDialog, fact: str, reason: str) -> None:
    dialog.fact_combo.setCurrentText(fact)
    dialog.reason_edit.setText(reason)
    with qtbot.waitSignal(dialog.changed), qtbot.waitSignal(dialog.loaded, timeout=20000):
        assert dialog.resolve()


def test_conflicts_dialog_records_each_case_as_the_cli_does(qtbot, store, tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana Lyst")
    own = _import(store, tmp_path, "briefing-notes.txt",
                  "Briefing notes, 3 October 2025\n\nThe AI Promotion Act imposes penalties on developers who ignore "
                  "the rules. Later the same official said the AI Promotion Act has no penalties at all.\n")
    early = _import(store, tmp_path, "early.txt", "Tokyo, 20 September 2025\n\nOfficials recalled the Seoul AI "
                                                  "Summit in May 2024, where the AI Safety Institutes first met.\n")
    _import(store, tmp_path, "late.txt", "Tokyo, 21 September 2025\n\nOfficials recalled the Seoul AI Summit in "
                                         "April\u2013May 2024, where ministers spoke.\n")
    from briefer.domain.source_names import short_label

    label = short_label(store.source(own))  # as the window names a source (issue 14)
    assert label != own and not label.startswith("Imported:")
    dialog = _open_conflicts(qtbot, store)

    # one source contradicting itself: named by its label, not disputable, recorded on a fact as such
    assert dialog.select(f"({label} says both)")
    c = dialog.current()
    assert c.case == "self-contradiction" and c.open and c.source == own
    row = dialog.table.selectionModel().selectedRows()[0].row()
    assert dialog.model.index(row, ConflictsModel.SOURCES).data() == label
    assert own not in dialog.model.index(row, ConflictsModel.QUESTION).data()
    assert f"{label} says both" in dialog.detail.toPlainText() and f"{own}:" not in dialog.detail.toPlainText()
    assert not dialog.act_dispute.isEnabled() and dialog.act_self.isEnabled() and dialog.act_self.isChecked()
    fact = next(f for f in c.facts if "no penalties" in store.fact(f).statement)
    _resolve(qtbot, dialog, fact, "The same notes say both.")
    after = store.fact(fact)
    assert after.variance == "self-contradiction" and after.status != "disputed"
    claims = {x.claim for x in after.citations if x.source == own and x.claim}
    assert len(claims) == 2  # each of its two versions cited, in its own words
    from briefer.domain.variance import variance_problems
    assert variance_problems(after) == []
    done = next(x for x in dialog.conflicts() if x.key == c.key)
    assert not done.open and "one source contradicting itself" in done.resolution and "Ana Lyst" in done.resolution

    # a difference too small to matter: not disputable, recorded as minor on a fact
    assert dialog.select("Seoul AI Summit")
    m = dialog.current()
    assert m.case == "minor" and m.open
    assert not dialog.act_dispute.isEnabled() and dialog.act_minor.isChecked() and not dialog.act_self.isEnabled()
    seoul = next(f for f in m.facts if store.fact(f).citations[0].source == early)
    _resolve(qtbot, dialog, seoul, "A month either way; the summit is the same.")
    assert store.fact(seoul).variance == "minor" and store.fact(seoul).status == "current"
    assert {x.source for x in store.fact(seoul).citations} == set(m.sources)  # each side cited
    assert not next(x for x in dialog.conflicts() if x.key == m.key).open

    # a disagreement between sources: only it can be disputed, with a citation for each side
    assert dialog.select("binding")
    d = dialog.current()
    assert d.case == "disagreement" and dialog.act_dispute.isChecked() and not dialog.act_self.isEnabled()
    assert dialog.act_minor.isEnabled()
    # the seeds' record already covers it: what the store holds does not change by looking
    assert store.fact("ai-act-guidelines-binding-disputed").status == "disputed"

    # names: an alias, never a dispute
    assert dialog.select("Minoru Jonouchi")
    assert dialog.act_alias.isChecked() and not dialog.act_dispute.isEnabled() and not dialog.act_minor.isEnabled()


def test_the_cli_records_a_self_contradiction_and_refuses_to_dispute_it(cli, store, tmp_path):
    own = _import(store, tmp_path, "notes.txt",
                  "Notes, 3 October 2025\n\nThe AI Promotion Act imposes penalties on developers who ignore the "
                  "rules. Later the same official said the AI Promotion Act has no penalties at all.\n")
    from briefer.ingest.review import store_conflicts

    c = next(x for x in store_conflicts(store) if x.case == "self-contradiction" and x.source == own)
    fact = c.facts[0]
    refused = cli("conflicts", "resolve", c.key, "--dispute", fact, "--reason", "x")
    assert refused.code == 2 and "contradicting itself" in refused.err and "Traceback" not in refused.err
    assert store.fact(fact).status != "disputed"
    wrong = cli("conflicts", "resolve", c.key, "--alias", "X", "--reason", "x")
    assert wrong.code == 2 and "only names" in wrong.err
    ok = cli("conflicts", "resolve", c.key, "--self-contradiction", fact, "--reason", "The notes say both.")
    assert ok.code == 0, ok.err
    assert store.fact(fact).variance == "self-contradiction"
    assert "one source contradicting itself" in cli("conflicts", "list", "--all").out
