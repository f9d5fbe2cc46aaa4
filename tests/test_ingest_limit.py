"""A document with more candidates than an analyst can review (issue 12, point 6): the import
proposes the first MAX_CANDIDATES and says, in the CLI and in the import dialog, how many later
sentences it did not analyse.  The limit is lowered here so the documents stay small."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer.ingest import candidates as cand
from briefer.resources import seeds_dir


@pytest.fixture
def seed_text(tmp_path: Path) -> Path:
    p = tmp_path / "long.txt"
    seed = sorted(seeds_dir().glob("*.txt"))[0].read_text(encoding="utf-8")
    p.write_text(seed + "\nA closing line, so that the store does not hold this text yet.\n", encoding="utf-8")
    return p


def test_cli_import_says_how_many_sentences_were_not_analysed(cli, seed_text, monkeypatch):
    full = json.loads(cli("import", "--dry-run", "--json", str(seed_text)).out)["documents"][0]
    assert len(full["candidates"]) > 3
    assert not any(k.startswith("not analysed") for k in full["skipped_sentences"])
    monkeypatch.setattr(cand, "MAX_CANDIDATES", 3)
    capped = json.loads(cli("import", "--dry-run", "--json", str(seed_text)).out)["documents"][0]
    assert [c["quote"] for c in capped["candidates"]] == [c["quote"] for c in full["candidates"][:3]]
    why = "not analysed: the import proposes at most 3 candidates per document"
    assert capped["skipped_sentences"][why] > 0
    res = cli("import", str(seed_text))
    assert res.code == 0
    assert f"{capped['skipped_sentences'][why]:,} later sentences {why}" in res.out
    assert "3 candidate facts" in res.out


def test_import_dialog_says_how_many_sentences_were_not_analysed(qtbot, store, seed_text, monkeypatch):
    from briefer.ui.curation import ImportSourcesDialog

    monkeypatch.setattr(cand, "MAX_CANDIDATES", 2)
    dialog = ImportSourcesDialog(store)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.analysisFinished, timeout=20000) as blocker:
        dialog.add_files([seed_text])
    doc = blocker.args[0].documents[0]
    assert len(doc.candidates) == 2
    n = doc.skipped["not analysed: the import proposes at most 2 candidates per document"]
    assert f"2 candidate facts; {n:,} later sentences not analysed" in dialog.documents.item(0).text()
