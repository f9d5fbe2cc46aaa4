"""Each source's sentence analysis is prepared once and kept in the store (table source_analysis), so a
finder run on a store just opened reads it instead of every sentence.  What is found is the same with
prepared analyses as without (the snapshot of tests/golden/conflicts_snapshot.json), an imported source
gets its analysis in the import, and a row that no longer matches its source is made again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from briefer.domain import conflicts as finder
from briefer.domain import curation
from briefer.domain.conflicts import prepared as prep
from briefer.ingest import pipeline
from briefer.ingest.review import body_spans, store_conflicts
from briefer.store import analysis
from tests.test_conflicts_snapshot import GOLDEN, _compact, _synthetic


def _round_trip(p: prep.PreparedAnalysis) -> prep.PreparedAnalysis:
    """As the store gives it back."""
    return prep.PreparedAnalysis(p.source_id, p.text_sha1, p.year, p.digest, prep.decode(p.encoded()))


def test_prepared_analyses_find_what_reading_every_sentence_finds(store):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    sources = store.sources(with_text=True) + _synthetic(60, 40)
    for glossary, name in ((store.glossary(), "seed_and_60_synthetic"), ([], "seed_and_60_synthetic_no_glossary")):
        finder.clear_caches()
        batch = {p.source_id: _round_trip(p) for p in prep.analyse_sources(sources, glossary, body=body_spans)}
        finder.clear_caches()
        one_by_one = {s.id: _round_trip(prep.analyse_source(s, glossary, body=body_spans)) for s in sources}
        # a cold run (nothing in this process's memory) on the prepared analyses alone, made in one pass
        # or source by source
        for made in (batch, one_by_one):
            finder.clear_caches()
            got = finder.find_conflicts(sources, store.facts(), glossary, body=body_spans, prepared=made)
            assert _compact(got) == expected[name], name
        # the analyses leave out sentences that hold nothing a rule reads
        kept = sum(len(p.data["spans"]) // 2 for p in batch.values())
        assert 0 < kept < sum(len(finder.corpus._split(s.text, body_spans)) for s in sources)


def test_a_store_keeps_the_analyses_and_a_cold_run_reads_them(store):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))["seed"]
    first = [c.to_json() for c in store_conflicts(store)]
    assert first == expected
    rows = analysis.load(store)
    assert set(rows) == {s.id for s in store.sources()}
    # a cold run: the finder's memory emptied; no source is read again (the rows are current)
    finder.clear_caches()
    read: list[str] = []
    real = prep.analyse_sources
    try:
        prep.analyse_sources = lambda sources, *a, **k: read.extend(s.id for s in sources) or real(sources, *a, **k)
        assert [c.to_json() for c in store_conflicts(store)] == expected
    finally:
        prep.analyse_sources = real
    assert read == []


def test_an_import_prepares_the_new_sources_analysis(store, tmp_path):
    p = tmp_path / "wire.txt"
    p.write_text("Tokyo, 2 October 2025\n\nThe draft basic AI plan rests on five pillars, officials said. "
                 "Reader comments: great article!\n", encoding="utf-8")
    res = pipeline.commit(pipeline.prepare([p], store), store, analyst="t")
    new = res.sources[0]
    row = analysis.load(store, [new])[new]
    src = store.source(new)
    assert prep.is_current(row, src, prep.analysis_digest(store.glossary(), None, body_spans))
    spans = prep.decode(row.data)["spans"]
    kept = [src.text[a:b] for a, b in zip(spans[::2], spans[1::2], strict=True)]
    assert any("five pillars" in k for k in kept)


def test_a_stale_or_broken_row_is_made_again(store):
    store_conflicts(store)
    before = analysis.load(store)
    # a glossary change (an alias recorded): every row is made again with the new glossary
    curation.add_alias(store, "AI Strategy Headquarters", "AI HQ of Japan", kind="body", analyst="t")
    store_conflicts(store)
    after = analysis.load(store)
    digest = prep.analysis_digest(store.glossary(), None, body_spans)
    assert all(p.digest == digest != before[k].digest for k, p in after.items())
    # a row that cannot be read is left out and made again, and the conflicts are still found
    sid = next(iter(after))
    with store.transaction() as conn:
        conn.execute("UPDATE source_analysis SET data = '{not json' WHERE source_id = ?", (sid,))
    finder.clear_caches()
    found = store_conflicts(store)
    assert any(c.kind == "name" for c in found)
    assert analysis.load(store)[sid].data == after[sid].data


def test_the_digest_is_the_same_in_every_process(store):
    """A set's order changes from one process to the next (hash randomisation): a digest that followed
    it would make every kept analysis stale in the next process."""
    here = prep.analysis_digest(store.glossary(), None, body_spans)
    code = ("import sys; from briefer.domain.conflicts.prepared import analysis_digest; "
            "from briefer.ingest.review import body_spans; from briefer.ingest.factpack import open_store; "
            "s = open_store(sys.argv[1]); print(analysis_digest(s.glossary(), None, body_spans)); s.close()")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", code, str(store.path.parent)], capture_output=True, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}, check=True, cwd=Path(__file__).parents[1])
        assert out.stdout.strip() == here


def test_a_long_text_is_analysed_by_the_first_finder_run_not_in_its_import(store, tmp_path, monkeypatch):
    from briefer.ingest import review

    monkeypatch.setattr(review, "PREPARE_ON_IMPORT_MAX_CHARS", 40)
    p = tmp_path / "long.txt"
    p.write_text("Tokyo, 2 October 2025\n\nThe draft basic AI plan rests on five pillars, officials said.\n",
                 encoding="utf-8")
    new = pipeline.commit(pipeline.prepare([p], store), store, analyst="t").sources[0]
    assert new not in analysis.load(store)
    pillars = next(c for c in store_conflicts(store) if "pillar" in c.question)
    assert new in pillars.sources
    assert new in analysis.load(store)


def test_a_new_store_gets_its_seed_sources_analyses_when_it_is_seeded(tmp_path):
    """The seeding prepares the seed sources' analyses in its own transaction: the first finder run after
    install, in a new process, reads prepared rows and reads no source in full."""
    from briefer.ingest.factpack import open_store

    store = open_store(tmp_path / "data")
    try:
        rows = analysis.load(store)
        digest = prep.analysis_digest(store.glossary(), None, body_spans)
        sources = store.sources(with_text=True)
        assert set(rows) == {s.id for s in sources} and len(rows) == 5
        assert all(prep.is_current(rows[s.id], s, digest) for s in sources)
    finally:
        store.close()
    code = ("import sys, json; from briefer.domain.conflicts import prepared as prep; "
            "real = prep.analyse_sources; read = []; "
            "prep.analyse_sources = lambda s, *a, **k: read.extend(x.id for x in s) or real(s, *a, **k); "
            "from briefer.ingest.factpack import open_store; from briefer.ingest.review import store_conflicts; "
            "st = open_store(sys.argv[1]); found = store_conflicts(st); st.close(); "
            "print(json.dumps({'read': read, 'found': len(found)}))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "data")], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[1])
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["read"] == [] and got["found"] == len(json.loads(GOLDEN.read_text(encoding="utf-8"))["seed"])


def test_a_packed_row_reads_back_and_a_damaged_one_is_refused(store):
    src = store.sources(with_text=True)[0]
    p = prep.analyse_source(src, store.glossary(), body=body_spans)
    assert prep.decode(p.encoded()) == prep.decode(prep.encode(prep.decode(p.encoded())))
    assert prep.from_row(p.source_id, p.text_sha1, p.year, p.digest, p.encoded()) is not None
    tag, numbers, readings = p.encoded().split(";", 2)
    # an entry naming a sentence the row does not keep, a truncated block, another format, JSON: made again
    far = prep.encode({"spans": [0, 5], "values": ["[]"], "found": {"gloss": [7, 0]}, "keyed": {}})
    for damaged in (far, f"{tag};{numbers[:-8]};{readings}", f"P1;{numbers};{readings}", '{"spans": []}'):
        assert prep.from_row(p.source_id, p.text_sha1, p.year, p.digest, damaged) is None
