"""Living templates: each export is recorded as an edition, and the next
export says exactly what changed in between; the reverse index says which
templates and editions use a fact."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from briefer.domain.briefing import Change
from briefer.domain.models import Citation, FactStatus
from briefer.domain.template_library import TemplateLibrary
from briefer.domain.templates import begin_template_export
from briefer.domain.usage import fact_usage
from briefer.store.editions import editions, latest_edition

FIRST = date(2026, 11, 14)
SECOND = date(2026, 11, 21)


def _edit_store(store) -> dict[str, str]:
    """One change of every kind to facts the compendium (every fact) uses; returns fact id -> kind."""
    f = store.fact("risk-uncertain-accountability")
    reworded = f.statement.replace("uncertain", "merely uncertain")
    assert reworded != f.statement
    store.update_fact(f.id, f.model_copy(update={"statement": reworded}))
    g = store.fact("risk-no-safety-audit-obligation")
    store.update_fact(g.id, g.model_copy(update={"status": FactStatus.DISPUTED}))
    h = store.fact("risk-misinformation-bias-opacity")
    extra = Citation(source=h.citations[0].source, quote=h.citations[0].quote, location="para. 99")
    store.update_fact(h.id, h.model_copy(update={"citations": [*h.citations, extra]}))
    new = store.fact("risk-weak-deterrence").model_copy(update={
        "id": "risk-new-enforcement-gap", "priority": 2,
        "statement": "A new finding: no ministry has yet been given the task of checking compliance."})
    store.add_fact(new)
    store.delete_fact("risk-public-interest-vs-profit")
    return {"risk-uncertain-accountability": "reworded", "risk-no-safety-audit-obligation": "status",
            "risk-misinformation-bias-opacity": "sources", "risk-new-enforcement-gap": "added",
            "risk-public-interest-vs-profit": "removed"}


def test_first_export_has_no_previous_edition(store, data_dir: Path) -> None:
    exp = begin_template_export(store, data_dir, "compendium", today=FIRST)
    assert exp.previous is None and exp.changes == [] and exp.briefing.whats_new is None
    exp.record()
    exp.record()  # recording twice is harmless
    eds = editions(store, "compendium")
    assert len(eds) == 1 and eds[0].number == 1 and eds[0].exported_on == FIRST
    ed = latest_edition(store, "compendium")
    assert ed is not None and ed.fact_ids() == exp.briefing.fact_ids()
    assert all(len(f.content_hash) == 64 for f in ed.facts)


def test_nothing_changed_means_no_changes(store, data_dir: Path) -> None:
    begin_template_export(store, data_dir, "compendium", today=FIRST).record()
    again = begin_template_export(store, data_dir, "compendium", today=SECOND)
    assert again.previous is not None and again.changes == []
    assert again.briefing.whats_new is not None and again.briefing.whats_new.changes == []
    assert again.briefing.whats_new.since == FIRST


def test_a_budgeted_template_run_again_unchanged_picks_the_same_facts(store, data_dir: Path) -> None:
    """The length budget keeps room for "What's new", so the second edition fits the same facts."""
    first = begin_template_export(store, data_dir, "risk-watch", today=FIRST)
    first.record()
    again = begin_template_export(store, data_dir, "risk-watch", today=SECOND)
    assert again.changes == [] and again.briefing.fact_ids() == first.briefing.fact_ids()
    assert again.briefing.whats_new is not None and again.briefing.whats_new.changes == []


def test_editing_the_store_reports_exactly_the_changes_made(store, data_dir: Path) -> None:
    begin_template_export(store, data_dir, "compendium", today=FIRST).record()
    expected = _edit_store(store)
    exp = begin_template_export(store, data_dir, "compendium", today=SECOND)
    got = {c.fact_id: c.kind for c in exp.changes}
    assert got == expected
    by_id = {c.fact_id: c for c in exp.changes}
    assert by_id["risk-uncertain-accountability"].before is not None
    assert "merely uncertain" in by_id["risk-uncertain-accountability"].statement
    assert (by_id["risk-no-safety-audit-obligation"].status_before,
            by_id["risk-no-safety-audit-obligation"].status_after) == ("current", "disputed")
    assert by_id["risk-public-interest-vs-profit"].reason == "deleted from the store"
    # the briefing says so in its "What's new since" section
    wn = exp.briefing.whats_new
    assert wn is not None and wn.since == FIRST
    assert {c.fact_id: c.kind for c in wn.changes} == {**expected, "risk-misinformation-bias-opacity": "reworded"}
    assert all(isinstance(c, Change) and c.text for c in wn.changes)
    exp.record()
    # and once recorded, the next run starts from the new edition
    assert begin_template_export(store, data_dir, "compendium", today=SECOND).changes == []
    assert [e.number for e in editions(store, "compendium")] == [2, 1]


def test_a_fact_that_becomes_superseded_is_a_status_change(store, data_dir: Path) -> None:
    begin_template_export(store, data_dir, "compendium", today=FIRST).record()
    f = store.fact("risk-uncertain-accountability")
    store.update_fact(f.id, f.model_copy(update={"status": FactStatus.SUPERSEDED,
                                                 "superseded_by": "risk-weak-deterrence"}))
    exp = begin_template_export(store, data_dir, "compendium", today=SECOND)
    assert [(c.kind, c.fact_id, c.status_after) for c in exp.changes] == [
        ("status", "risk-uncertain-accountability", "superseded")]
    assert "risk-uncertain-accountability" not in exp.briefing.fact_ids()


def test_whats_new_only_when_the_switch_is_on(store, data_dir: Path) -> None:
    begin_template_export(store, data_dir, "one-page-brief", today=FIRST).record()
    store.delete_fact(begin_template_export(store, data_dir, "one-page-brief", today=FIRST).briefing.fact_ids()[0])
    exp = begin_template_export(store, data_dir, "one-page-brief", today=SECOND)
    assert exp.changes and exp.briefing.whats_new is None  # one-page-brief has no room for it


def test_cli_export_records_and_changes_reports(cli, store, data_dir: Path, tmp_path: Path) -> None:
    r = cli("changes", "--template", "compendium")
    assert r.code == 0 and "no recorded edition yet" in r.out
    r = cli("export", "--template", "compendium", "--out", str(tmp_path / "w1.md"))
    assert r.code == 0, r.err
    assert [e.number for e in editions(store, "compendium")] == [1]
    f = store.fact("risk-uncertain-accountability")
    store.update_fact(f.id, f.model_copy(update={"statement": f.statement + " Officials disagree."}))
    data = json.loads(cli("changes", "--template", "compendium", "--json").out)
    assert data["previous_edition"]["number"] == 1
    assert [(c["kind"], c["fact_id"]) for c in data["changes"]] == [("reworded", "risk-uncertain-accountability")]
    text = cli("changes", "--template", "compendium").out
    assert "reworded" in text and "Officials disagree." in text and "1 change" in text
    r = cli("export", "--template", "compendium", "--out", str(tmp_path / "w2.md"))
    assert r.code == 0, r.err
    md = (tmp_path / "w2.md").read_text(encoding="utf-8")
    assert "What\u2019s new since" in md and "Officials disagree." in md
    assert json.loads(cli("changes", "--template", "compendium", "--json").out)["changes"] == []
    hist = json.loads(cli("templates", "editions", "compendium", "--json").out)
    assert [h["number"] for h in hist] == [2, 1]


def test_a_failed_export_records_no_edition(cli, store, tmp_path: Path) -> None:
    r = cli("export", "--template", "compendium", "--out", str(tmp_path / "no-such-folder" / "w.docx"))
    assert r.code == 2
    assert editions(store, "compendium") == []


def test_renaming_a_template_keeps_its_editions(store, data_dir: Path) -> None:
    lib = TemplateLibrary(data_dir)
    lib.duplicate("compendium", "Weekly")
    begin_template_export(store, data_dir, "Weekly", today=FIRST).record()
    lib.rename("Weekly", "Weekly risk", store=store)
    exp = begin_template_export(store, data_dir, "Weekly risk", today=SECOND)
    assert exp.previous is not None and exp.previous.number == 1


def test_reverse_index(cli, store, data_dir: Path, tmp_path: Path) -> None:
    lib = TemplateLibrary(data_dir)
    t = lib.get("us-japan-cooperation").model_copy(update={"name": "Named"})
    lib.save(t)
    usage = fact_usage(store, data_dir, "ai-act-passed-may-28-2025")
    how = {(u.template, u.how) for u in usage.templates}
    assert ("us-japan-cooperation", "explicit") in how and ("Named", "explicit") in how
    # the full briefing names it in its law section; the compendium picks it by its query
    assert ("full-briefing", "explicit") in how and ("compendium", "selection") in how
    assert usage.editions == []
    begin_template_export(store, data_dir, "full-briefing", today=FIRST).record(tmp_path / "full.docx")
    usage = fact_usage(store, data_dir, "ai-act-passed-may-28-2025")
    assert [(e.template, e.number, e.output) for e in usage.editions] == [
        ("full-briefing", 1, str(tmp_path / "full.docx"))]
    # a fact no template picks
    f = store.fact("bg-digital-agency-2021")
    store.update_fact(f.id, f.model_copy(update={"status": FactStatus.SUPERSEDED}))
    assert fact_usage(store, data_dir, "bg-digital-agency-2021").templates == []
    data = json.loads(cli("templates", "uses", "ai-act-passed-may-28-2025", "--json").out)
    assert {t["template"] for t in data["templates"]} >= {"full-briefing", "us-japan-cooperation", "Named"}
    assert data["editions"][0]["template"] == "full-briefing"
    r = cli("templates", "uses", "no-such-fact")
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1


def test_changes_all_lists_every_template_with_an_edition(cli, store, data_dir: Path) -> None:
    assert "No template has a recorded edition yet." in cli("changes", "--all").out
    begin_template_export(store, data_dir, "compendium", today=FIRST).record()
    begin_template_export(store, data_dir, "us-japan-cooperation", today=FIRST).record()
    expected = _edit_store(store)
    data = {r["template"]: r for r in json.loads(cli("changes", "--all", "--json").out)}
    assert set(data) == {"compendium", "us-japan-cooperation"}
    assert {c["fact_id"]: c["kind"] for c in data["compendium"]["changes"]} == expected
    assert data["us-japan-cooperation"]["changes"] == []
    text = cli("changes", "--all").out
    assert "compendium: 5 changes since edition 1" in text and "us-japan-cooperation: 0 changes" in text
    r = cli("changes")
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1
