"""One core behind both shells: the CLI and the window's library give the same answers
(the glossary for Japanese names, every filter before the limit), the export format
registry feeds the CLI, the export dialog and the prewarm list, and a bug in the CLI
is one line, a please-report hint and exit status 70."""

from __future__ import annotations

import json
import sqlite3
import sys
import textwrap
from pathlib import Path

import pytest

from briefer.app.search import fact_filter, read_japanese, search_facts


def _ids(r) -> list[str]:  # noqa: ANN001
    assert r.code == 0, r.err
    return [f["id"] for f in json.loads(r.out)]


def test_a_japanese_name_finds_its_facts_through_the_glossary(cli) -> None:  # noqa: ANN001
    r = cli("facts", "search", "城内", "--json")
    ids = _ids(r)
    assert ids, "城内 (Kiuchi) finds the facts about Minoru Kiuchi"
    facts = json.loads(r.out)
    assert all("Kiuchi" in f["statement"] or any("Kiuchi" in t for t in f["tags"]) for f in facts)
    assert "Minoru Kiuchi" in r.err  # the note says how the query was read
    text = cli("facts", "search", "城内")
    assert text.code == 0 and "Minoru Kiuchi" in text.err and f"{len(ids)} result" in text.out


def test_a_common_word_is_not_read_as_every_name_that_holds_it(cli, store) -> None:  # noqa: ANN001
    r = cli("facts", "search", "戦略", "--json")
    assert _ids(r) == []
    assert "several names" in r.err
    # the five glossary names holding 戦略 are not searched: no fact about "AI" turns up
    reading = read_japanese("戦略", [(g.japanese, g.name) for g in store.glossary() if g.japanese])
    assert reading.names == [] and "several names" in reading.note
    # a whole name (or one only it holds) still stands for that name
    pairs = [("人工知能戦略本部", "AI Strategy Headquarters"), ("AI戦略会議", "AI Strategy Council")]
    assert read_japanese("人工知能戦略本部の会合", pairs).names == ["AI Strategy Headquarters"]
    assert read_japanese("戦略本部", pairs).names == ["AI Strategy Headquarters"]


def test_filters_apply_before_the_limit(cli, store) -> None:  # noqa: ANN001
    r = cli("facts", "search", "Japan", "--reliability", "B", "--limit", "3", "--json")
    facts = json.loads(r.out)
    assert r.code == 0 and len(facts) == 3
    graded_b = {s.id for s in store.sources() if s.reliability == "B"}
    assert all(any(c["source"] in graded_b for c in f["citations"]) for f in facts)
    # the same count as the store has when nothing limits it
    every = search_facts(store, "Japan", fact_filter(reliability="B"), limit=1000).hits
    assert len(every) >= 3
    one = cli("facts", "search", "Japan", "--min-credibility", "2", "--limit", "2", "--json")
    assert one.code == 0 and len(json.loads(one.out)) == min(2, len(search_facts(
        store, "Japan", fact_filter(min_credibility=2), limit=1000).hits))


def test_a_bad_grade_is_one_clear_line(cli) -> None:  # noqa: ANN001
    r = cli("facts", "search", "Japan", "--reliability", "Z")
    assert r.code == 2 and r.err.strip() == "briefer: error: reliability grades are A to F, not Z"


def test_the_window_and_the_cli_give_the_same_results(qtbot, cli, store) -> None:  # noqa: ANN001
    from briefer.ui.workers import Query, QueryRunner

    runner = QueryRunner()  # what the library's query thread runs its queries with
    for text, filters, limit in [("城内", {}, 20), ("Japan", {"reliability": "B"}, 3), ("戦略", {}, 20)]:
        result = runner.run(store, Query(1, text, filters, limit=limit))
        argv = ["facts", "search", text, "--limit", str(limit), "--json"]
        if "reliability" in filters:
            argv += ["--reliability", filters["reliability"]]
        assert [f.id for f, _ in result.rows] == _ids(cli(*argv)), text


def test_the_windows_counts_are_right_and_searched_without_snippets(qtbot, store, monkeypatch) -> None:  # noqa: ANN001
    """The section tree's counts and "n in all sections" as the CLI counts them; their searches ask for no
    snippet, and with only the section chosen the library is searched once for both."""
    from briefer.model.query import FactFilter
    from briefer.ui.workers import Query, QueryRunner

    runner = QueryRunner()
    searched: list[tuple[FactFilter | None, bool]] = []
    real = store.search

    def spy(text: str, flt: FactFilter | None = None, **kw: object) -> object:
        if kw["limit"] == runner.COUNT_LIMIT:
            searched.append((flt, bool(kw.get("snippets", True))))
        return real(text, flt, **kw)

    monkeypatch.setattr(store, "search", spy)
    everything = search_facts(store, "Headquarters", limit=runner.COUNT_LIMIT).hits
    per: dict[str, int] = {}
    for h in everything:
        per[h.fact.section] = per.get(h.fact.section, 0) + 1
    assert len(per) > 1
    searched.clear()
    result = runner.run(store, Query(1, "Headquarters", {"section": "risks"}, counts=True))
    assert result.section_counts == per and result.everywhere == len(everything)
    assert searched == [(FactFilter(), False)]
    graded = search_facts(store, "Headquarters", FactFilter(reliability="A"), limit=runner.COUNT_LIMIT).hits
    searched.clear()
    result = runner.run(store, Query(1, "Headquarters", {"section": "risks", "reliability": "A"}, counts=True))
    assert sum(result.section_counts.values()) == len(graded) < len(everything) == result.everywhere
    assert searched == [(FactFilter(reliability="A"), False), (None, False)]


def test_stale_is_a_filter_the_store_applies(cli, store) -> None:  # noqa: ANN001
    from datetime import date

    from briefer.domain.freshness import is_stale

    stale = fact_filter(stale=True, today=date(2026, 3, 1), horizon_months=6)
    facts = store.facts(stale)
    assert facts and all(is_stale(f, date(2026, 3, 1), 6) for f in facts)
    assert len(facts) == sum(1 for f in store.facts() if is_stale(f, date(2026, 3, 1), 6))


# -- the export format registry ------------------------------------------------------------------


@pytest.fixture
def plain_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN201
    """A new export format: one writer module and one registry entry, nothing else."""
    from briefer.export import formats

    (tmp_path / "plain_writer.py").write_text(textwrap.dedent('''
        def render_plain(document):
            return "\\n".join(s.numbered_heading for s in document.sections) + "\\n"
    '''), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    entry = formats.ExportFormat("txt", "Plain text (.txt)", (".txt",), "Text files", "plain_writer:render_plain",
                                 preload=("plain_writer",))
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, entry))
    yield entry
    sys.modules.pop("plain_writer", None)


def test_every_format_is_a_cli_choice_and_a_dialog_entry(qtbot, store) -> None:  # noqa: ANN001
    from briefer.cli import build_parser
    from briefer.domain.briefing import Briefing
    from briefer.export import format_for, formats
    from briefer.ui.briefing_model import BriefingDoc
    from briefer.ui.dialogs.export import ExportDialog

    parser = build_parser(["export"])
    doc = BriefingDoc(Briefing(), store_sections=store.sections(), facts={})
    dlg = ExportDialog(doc, store)
    qtbot.addWidget(dlg)
    codes = [dlg.format_combo.itemData(i) for i in range(dlg.format_combo.count())]
    assert codes == [f.code for f in formats.FORMATS]
    for f in formats.FORMATS:
        args = parser.parse_args(["export", "--format", f.code, "--out", "x" + f.extension])
        assert args.format == f.code
        for ext in f.extensions:
            assert format_for(Path("b" + ext)) == f.code
        dlg.format_combo.setCurrentIndex(codes.index(f.code))
        assert dlg.path_edit.text().endswith(f.extension)
        assert dlg.reference_edit.isEnabled() == f.reference_doc
        assert f.file_filter == f"{f.filter_name} ({' '.join('*' + e for e in f.extensions)})"


def test_a_new_format_needs_only_its_entry(qtbot, cli, store, tmp_path: Path, plain_format,  # noqa: ANN001
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.domain.briefing import Briefing
    from briefer.ui import filedialogs, prewarm
    from briefer.ui.briefing_model import BriefingDoc
    from briefer.ui.dialogs.export import ExportDialog

    out = tmp_path / "brief.txt"
    r = cli("export", "--sections", "law-summary,hq-structure", "--out", str(out))
    assert r.code == 0, r.err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert "1. The AI Promotion Act (2025)" in lines and "2. The AI Strategy Headquarters" in lines
    r = cli("export", "--sections", "law-summary", "--format", "txt", "--out", str(tmp_path / "b.out"))
    assert r.code == 0 and (tmp_path / "b.out").exists(), r.err
    r = cli("export", "--sections", "law-summary", "--reference-doc", "x.docx", "--out", str(tmp_path / "c.txt"))
    assert r.code == 2 and "--reference-doc only applies to .docx and .pdf exports" in r.err
    # the dialog lists it with its file filter, and the worker's modules are preloaded
    doc = BriefingDoc(Briefing(), store_sections=store.sections(), facts={})
    dlg = ExportDialog(doc, store)
    qtbot.addWidget(dlg)
    i = dlg.format_combo.findData("txt")
    assert i >= 0 and dlg.format_combo.itemText(i) == "Plain text (.txt)"
    dlg.format_combo.setCurrentIndex(i)
    assert dlg.path_edit.text().endswith(".txt") and not dlg.reference_edit.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda parent, title, flt, start: asked.append(flt))
    dlg._browse()
    assert asked == ["Text files (*.txt);;All files (*)"]
    assert "plain_writer" in prewarm._group("export")


# -- bugs in the CLI ------------------------------------------------------------------------------


def test_a_bug_in_the_cli_is_one_line_a_hint_and_exit_70(cli, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    from briefer.commands import facts

    def broken(ctx, args):  # noqa: ANN001, ANN202
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(facts, "facts_show", broken)
    r = cli("facts", "show", "hq-legal-basis")
    assert r.code == 70
    lines = r.err.strip().splitlines()
    assert lines[0] == "briefer: internal error: ZeroDivisionError: division by zero"
    assert "please report" in lines[1] and len(lines) == 2 and "Traceback" not in r.err


def test_a_wrong_query_is_a_bug_and_a_busy_store_is_the_environment(tmp_path: Path) -> None:
    from briefer.errors import BugError, DiskFull, KnownError, StoreBusy, StoreCorrupt, StoreReadOnly
    from briefer.store.db import store_error

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a)")
    with pytest.raises(sqlite3.OperationalError) as info:
        conn.execute("SELECT nope FROM t")
    assert isinstance(store_error(info.value, tmp_path / "db"), BugError)
    cases = {"database is locked": StoreBusy, "attempt to write a readonly database": StoreReadOnly,
             "database or disk is full": DiskFull, "database disk image is malformed": StoreCorrupt}
    advice = set()
    for text, cls in cases.items():
        err = store_error(sqlite3.OperationalError(text), tmp_path / "db")
        assert type(err) is cls and isinstance(err, KnownError), text
        advice.add(err.advice)
    assert len(advice) == len(cases)  # each kind says what to do about it


def test_one_rule_for_deleting_a_fact_something_uses(qtbot, cli, store, data_dir: Path) -> None:  # noqa: ANN001
    from briefer.app.curation import dependents
    from briefer.ui.curation import FactEditorDialog

    deps = dependents(store, data_dir, "hq-legal-basis")
    assert deps.any and deps.templates, "a built-in template selects the fact"
    r = cli("facts", "delete", "hq-legal-basis")
    assert r.code == 2 and deps.sentence() in r.err and "--force" in r.err
    assert cli("facts", "show", "hq-legal-basis").code == 0  # not deleted
    dialog = FactEditorDialog(store, "hq-legal-basis")
    qtbot.addWidget(dialog)
    assert dialog.usage_warning() == deps.sentence(lambda name: f"\u201c{name}\u201d")
    r = cli("facts", "delete", "hq-legal-basis", "--force")
    assert r.code == 0 and "was used by" in r.out
    assert cli("facts", "show", "hq-legal-basis").code == 2


def test_the_window_and_export_dry_run_give_the_same_page_estimate(qtbot, cli, store, data_dir: Path,  # noqa: ANN001
                                                                    tmp_path: Path) -> None:
    from briefer.domain.briefing_file import save_briefing_file
    from briefer.ui.mainwindow import MainWindow

    ids = [f.id for f in store.facts(limit=60)]
    w = MainWindow(data_dir)
    w.show()
    try:
        with qtbot.waitSignal(w.ready, timeout=30000):
            w.start()
        w.add_facts(ids)
        shown = w.doc.length()
        est = w.doc.estimator(w.doc.briefing)
        path = tmp_path / "b.briefing.json"
        save_briefing_file(path, w.doc.briefing, template=None, store=w.store)
        r = cli("export", "--briefing", str(path), "--dry-run", "--json")
        assert r.code == 0, r.err
        data = json.loads(r.out)
        assert est.pages >= 2 and data["pages_estimated"] == est.pages
        assert (data["body_words"], data["footnote_words"]) == (est.body_words, est.footnote_words)
        assert f"{est.pages} pages" in shown.text()
    finally:
        w.doc._unsaved_origin = False
        w.doc.undo.setClean()
        w.shutdown()
        w.hide()
        w.deleteLater()
