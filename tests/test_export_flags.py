"""Exporting a briefing that uses superseded, disputed or stale facts says so."""

from __future__ import annotations

import json
from pathlib import Path

from briefer.domain.briefing import Briefing, BriefingSection, FactItem
from briefer.domain.briefing_file import save_briefing_file


def _briefing_file(tmp_path: Path, store, fact_ids: list[str]) -> Path:
    b = Briefing(sections=[BriefingSection(section="hq-structure", items=[FactItem(fact_id=f) for f in fact_ids])])
    return save_briefing_file(tmp_path / "b.briefing.json", b, store=store)


def test_a_superseded_fact_in_a_briefing_is_named_on_export(cli, store, tmp_path: Path) -> None:
    path = _briefing_file(tmp_path, store, ["hq-established-sept-1", "hq-members-all-cabinet-ministers"])
    store.close()
    r = cli("facts", "supersede", "hq-members-all-cabinet-ministers", "hq-established-sept-1",
            "--reason", "test replacement")
    assert r.code == 0, r.err
    out = tmp_path / "b.docx"
    r = cli("export", "--briefing", str(path), "--out", str(out))
    assert r.code == 0, r.err
    assert "hq-members-all-cabinet-ministers is superseded by hq-established-sept-1" in r.err
    assert "left out" in r.err
    r = cli("export", "--briefing", str(path), "--out", str(out), "--force", "--json")
    flags = json.loads(r.out)["flags"]
    assert any(f["fact_id"] == "hq-members-all-cabinet-ministers" and f["kind"] == "superseded"
               and f["replacement"] == "hq-established-sept-1" for f in flags)


def test_disputed_and_stale_facts_are_counted(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BRIEFER_STALE_MONTHS", "600")
    r = cli("export", "--sections", "law-summary", "--out", str(tmp_path / "a.docx"))
    assert r.code == 0
    # only disagreements between sources count: the minister's two renderings are not disputed
    assert "5 facts are disputed" in r.err and "stale" not in r.err
    monkeypatch.setenv("BRIEFER_STALE_MONTHS", "1")
    r = cli("export", "--sections", "hq-structure", "--out", str(tmp_path / "a.docx"), "--force")
    assert "facts are stale" in r.err


def test_a_graded_citation_shows_its_admiralty_code_in_the_footnote(store) -> None:
    from datetime import date

    from briefer.domain.document import resolve

    fact = store.fact("hq-established-sept-1")
    fact.citations[0].credibility = 2  # news-kiuchi-hq is graded D
    store.update_fact(fact.id, fact)
    b = Briefing(sections=[BriefingSection(section="hq-structure", items=[FactItem(fact_id=fact.id)])])
    doc = resolve(b, store, today=date(2025, 10, 1))
    notes = [c.text for c in doc.sections[0].facts()[0].citations]
    assert notes[0].endswith("(graded D2)") and not notes[1].endswith(")")
