"""Import and conflict-finding speed (printed as JSON; run by `make bench`).

Synthetic news articles built from the seed documents' sentences (so the
vocabularies, the glossary and the conflict rules have real work to do) are
imported into a fresh store, 10 and 100 at a time (an import prepares each new
source's sentence analysis for the finder); then the conflicts over the whole
store are found, cold (the finder's memory emptied; it reads the prepared
analyses) and again.  Then a store of the seeds and 1,000 sources of 100
sentences each (100,000 sentences, drawn from the same pool), stored with
their prepared analyses (the cost per document is printed): cold in a new
process (open the store, find the conflicts: what a user waits for), and, in
this process, without prepared analyses (the cost before they were kept, and
after a glossary change), with the ratios to the 115-source figures.  Last,
one-line texts of repeated seed sentences (0.32 to 20 MB) and texts whose
sentences all differ (1 and 20 MB, and 1, 5 and 20 MB with the candidate limit
lifted), summed up under ``import_20_mb``.  Wall-clock and CPU seconds: the
machine may be shared.  ``--only import`` runs the imports alone."""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefer import resources  # noqa: E402
from briefer.domain import conflicts as conflict_finder  # noqa: E402
from briefer.domain import sentences  # noqa: E402
from briefer.domain.conflicts import finder as finder_run  # noqa: E402
from briefer.domain.models import Source  # noqa: E402
from briefer.ingest import pipeline  # noqa: E402
from briefer.ingest.factpack import open_store  # noqa: E402
from briefer.ingest.furniture import clean  # noqa: E402
from briefer.ingest.review import body_spans, store_conflicts  # noqa: E402


def corpus() -> list[str]:
    out = []
    for p in sorted(resources.seeds_dir().glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        for seg in clean(text).body():
            out += [text[s:e] for s, e in sentences.split(text, seg.start, seg.end)]
    return out


def article(rng: random.Random, pool: list[str], n: int) -> str:
    paras = "".join(f"<p>{' '.join(rng.sample(pool, 3))}</p>\n" for _ in range(n))
    return (f"<html><head><meta property='og:title' content='Synthetic report {rng.random():.8f}'>"
            f"<meta property='article:published_time' content='2025-10-{rng.randint(1, 28):02d}'></head><body>"
            f"<nav>Home | News</nav><article>{paras}</article>"
            f"<aside class='related'><h2>Related articles</h2><p>Other news today.</p></aside></body></html>")


def big_sources(rng: random.Random, pool: list[str], n: int, per: int) -> list[Source]:
    """``n`` plain-text sources of ``per`` sentences each, in paragraphs of four."""
    out = []
    for i in range(n):
        sents = [rng.choice(pool) for _ in range(per)]
        text = "\n\n".join(" ".join(sents[k : k + 4]) for k in range(0, per, 4))
        out.append(Source(id=f"synthetic-{i}", label=f"Synthetic report {i}", kind="news report", text=text))
    return out


def clear_caches() -> None:
    conflict_finder.clear_caches()


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only", choices=["conflicts", "import"], default=None,
                        help="conflicts: the finder's figures only (skips the single-line and 1-20 MB imports); "
                             "import: the 1-20 MB imports only")
    only = parser.parse_args().only
    rng = random.Random(7)
    pool = corpus()
    results: dict[str, object] = {"sentences_in_pool": len(pool)}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        if only == "import":
            print(json.dumps({"bench": "curation", **results, **imports(root, rng, pool)}, indent=2))
            return
        store = open_store(root / "data")
        t = time.perf_counter()
        store_conflicts(store)
        results["conflicts_seed_store_s"] = round(time.perf_counter() - t, 3)
        for batch in (10, 100):
            folder = root / f"batch{batch}"
            folder.mkdir()
            paths = []
            for i in range(batch):
                p = folder / f"a{i}.html"
                p.write_text(article(rng, pool, 8), encoding="utf-8")
                paths.append(p)
            size = sum(p.stat().st_size for p in paths)
            t = time.perf_counter()
            plan = pipeline.prepare(paths, store)
            t_prepare = time.perf_counter() - t
            t = time.perf_counter()
            res = pipeline.commit(plan, store, analyst="bench")
            t_commit = time.perf_counter() - t
            results[f"import_{batch}_docs"] = {
                "kb": round(size / 1024), "prepare_s": round(t_prepare, 3), "commit_s": round(t_commit, 3),
                "per_doc_ms": round(1000 * (t_prepare + t_commit) / batch, 1),
                "candidates": sum(len(d.candidates) for d in plan.documents), "sources": len(res.sources)}
            clear_caches()
            t, c = time.perf_counter(), time.process_time()
            found = store_conflicts(store)
            cold, cold_cpu = time.perf_counter() - t, time.process_time() - c
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                found = store_conflicts(store)
                runs.append(time.perf_counter() - t)
            results[f"conflicts_after_{batch}_more_docs"] = {
                "sources": len(store.sources()), "median_s": round(statistics.median(runs), 3),
                "cold_s": round(cold, 3), "cold_cpu_s": round(cold_cpu, 3),
                "conflicts": len(found), "open": sum(1 for c in found if c.open)}
        peer = results["conflicts_after_100_more_docs"]
        assert isinstance(peer, dict)
        store.close()
        results["conflicts_1000_sources"] = thousand_sources(root, rng, pool, peer)
        if only == "conflicts":
            print(json.dumps({"bench": "curation", **results}, indent=2))
            return
        results.update(imports(root, rng, pool))
    print(json.dumps({"bench": "curation", **results}, indent=2))


def imports(root: Path, rng: random.Random, pool: list[str]) -> dict[str, object]:
    """The one-line and distinct-sentence imports, and the 20 MB summary (issue 12, point 6: a 20 MB text
    imports in seconds): uncapped CPU seconds (every sentence analysed and stored), capped wall seconds
    (what a user waits for: the first 5,000 candidates analysed, the rest counted)."""
    out: dict[str, object] = {}
    out["single_line_text"] = single_line_imports(root, rng, pool)
    distinct = distinct_sentence_imports(root, random.Random(11), pool)
    out["distinct_sentences_text"] = distinct
    scaling = uncapped_scaling(root, random.Random(13), pool)
    out["distinct_sentences_uncapped_scaling"] = scaling
    capped, uncapped = distinct["20.0_mb"], scaling["20.0_mb"]
    assert isinstance(capped, dict) and isinstance(uncapped, dict)
    out["import_20_mb"] = {
        "uncapped_cpu_s": uncapped["cpu_s"], "uncapped_prepare_cpu_s": uncapped["prepare_cpu_s"],
        "uncapped_commit_cpu_s": uncapped["commit_cpu_s"], "uncapped_wall_s": uncapped["wall_s"],
        "uncapped_candidates": uncapped["candidates"], "uncapped_cpu_ms_per_candidate":
            round(1000 * uncapped["cpu_s"] / max(uncapped["candidates"], 1), 3),
        # linear means flat: CPU seconds per MB of the 1, 5 and 20 MB uncapped imports, and the ratio to 1 MB
        "uncapped_cpu_s_per_mb": {k: v["cpu_s_per_mb"] for k, v in scaling.items()
                                  if isinstance(v, dict) and "cpu_s_per_mb" in v},
        "uncapped_cpu_s_per_mb_ratio_to_1_mb": scaling["cpu_s_per_mb_ratio_to_1_mb"],
        "uncapped_repeats_marked": uncapped["repeats_marked"],
        "capped_wall_s": capped["wall_s"], "capped_cpu_s": capped["cpu_s"], "capped_candidates": capped["candidates"],
        "capped_not_analysed": capped["not_analysed"], "target_uncapped_cpu_s": 10.0,
        "how": "distinct-sentence plain text of 20 MB (seed sentences with words swapped, none twice), prepare and "
               "commit into a fresh store; uncapped: the per-document candidate limit lifted; CPU seconds are "
               "user+sys of this process (steady when the machine is shared), wall seconds are not"}
    return out


def thousand_sources(root: Path, rng: random.Random, pool: list[str], peer: dict[str, Any]) -> dict[str, object]:
    """The finder over the seeds and 1,000 sources of 100 sentences (100,000 sentences), stored as an import
    stores them, each with its prepared sentence analysis (timed: the cost an import adds per document).
    Cold: a new process opens the store and finds the conflicts, what a user waits for on a cold start.
    Then, in this process, the finder with nothing prepared and its caches emptied (the cost before the
    analyses were kept, and after a glossary change, when every analysis is made again)."""
    from briefer.domain import curation
    from briefer.ingest.review import keep_analyses_current, prepare_new_sources

    path = root / "big"
    store = open_store(path)
    big = big_sources(rng, pool, 1000, 100)
    with store.transaction():
        for src in big:
            curation.add_source(store, src, analyst="bench")
    clear_caches()
    t, c = time.perf_counter(), time.process_time()
    prepare_new_sources(store, [s.id for s in big])
    prep, prep_cpu = time.perf_counter() - t, time.process_time() - c
    # the same for documents none of whose sentences this process has read before (caches emptied each time)
    fresh, fresh_cpu = [], []
    for src in big[:20]:
        clear_caches()
        t, c = time.perf_counter(), time.process_time()
        prepare_new_sources(store, [src.id])
        fresh.append(time.perf_counter() - t)
        fresh_cpu.append(time.process_time() - c)
    sources = store.sources(with_text=True)
    facts, glossary = store.facts(), store.glossary()
    # the seeds got theirs when the store was seeded; nothing is left to prepare (a no-op, kept as a check)
    keep_analyses_current(store, sources, glossary)
    n_sent = sum(len(sentences.split(s.text)) for s in sources)
    store.close()
    cold = cold_process(path)
    # before: no prepared analyses, in this process, caches emptied
    clear_caches()
    t, c = time.perf_counter(), time.process_time()
    found = conflict_finder.find_conflicts(sources, facts, glossary, body=body_spans)
    unprepared, unprepared_cpu = time.perf_counter() - t, time.process_time() - c
    runs, cpu = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        found = conflict_finder.find_conflicts(sources, facts, glossary, body=body_spans)
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    # the facts' quotes changed (a new fact, an edited quote): the kept result no longer applies, the
    # per-source sentences and per-sentence readings still do
    recompute, recompute_cpu = [], []
    for _ in range(3):
        finder_run._RESULTS.clear()
        t, c = time.perf_counter(), time.process_time()
        again = conflict_finder.find_conflicts(sources, facts, glossary, body=body_spans)
        recompute.append(time.perf_counter() - t)
        recompute_cpu.append(time.process_time() - c)
    assert [x.to_json() for x in again] == [x.to_json() for x in found]
    assert cold["conflicts"] == len(found), (cold["conflicts"], len(found))
    return {
        "sources": len(sources), "sentences": n_sent,
        "cold_s": cold["cold_s"], "cold_cpu_s": cold["cold_cpu_s"], "cold_steps_s": cold["steps"],
        "cold_how": "a new process: open the store, store_conflicts (reads the prepared analyses); Python's own "
                    "start and module imports not counted (module imports: "
                    f"{cold['module_imports_s']} s)",
        "again_same_process_median_s": cold["again_median_s"],
        "import_prepare_per_doc_ms": round(1000 * prep / len(big), 1),
        "import_prepare_per_doc_cpu_ms": round(1000 * prep_cpu / len(big), 1),
        "import_prepare_per_doc_ms_all_sentences_new": round(1000 * statistics.median(fresh), 1),
        "import_prepare_per_doc_cpu_ms_all_sentences_new": round(1000 * statistics.median(fresh_cpu), 1),
        "prepared_rows_mb": cold["rows_mb"],
        "cold_without_prepared_s": round(unprepared, 3), "cold_without_prepared_cpu_s": round(unprepared_cpu, 3),
        "after_glossary_change_s": cold["after_glossary_change_s"],
        "after_glossary_change_cpu_s": cold["after_glossary_change_cpu_s"],
        "median_s": round(statistics.median(runs), 3), "median_cpu_s": round(statistics.median(cpu), 3),
        "after_quotes_change_median_s": round(statistics.median(recompute), 3),
        "after_quotes_change_cpu_s": round(statistics.median(recompute_cpu), 3),
        "conflicts": len(found),
        "target_s": 1.0,
        "ratio_cold_to_115_sources_cold": round(cold["cold_s"] / max(peer["cold_s"], 1e-9), 2),
        "ratio_to_115_sources_median": round(statistics.median(runs) / max(peer["median_s"], 1e-9), 2)}


_COLD = """
import json, statistics, sys, time
t0 = time.perf_counter()
from briefer.ingest.review import store_conflicts
from briefer.store import analysis
from briefer.ingest.factpack import open_store
from briefer.domain import curation
imports = time.perf_counter() - t0
t, c = time.perf_counter(), time.process_time()
store = open_store(sys.argv[1])
t_open = time.perf_counter() - t
found = store_conflicts(store)
cold, cold_cpu = time.perf_counter() - t, time.process_time() - c
# the steps, again (warm caches of SQLite and the OS, not of the finder)
t = time.perf_counter(); sources = store.sources(with_text=True); facts = store.facts(); g = store.glossary()
t_read = time.perf_counter() - t
t = time.perf_counter(); rows = analysis.load(store); t_rows = time.perf_counter() - t
mb = sum(len(r.data.encode('utf-8')) for r in rows.values()) / 1e6
runs = []
for _ in range(3):
    t = time.perf_counter(); store_conflicts(store); runs.append(time.perf_counter() - t)
# a glossary change (an alias recorded): every prepared analysis is made again, kept, and read
name = next(e.name for e in g if e.kind == "body")
curation.add_alias(store, name, "Bench Alias Headquarters", kind="body", analyst="bench")
t, c = time.perf_counter(), time.process_time(); store_conflicts(store)
t_gloss, c_gloss = time.perf_counter() - t, time.process_time() - c
store.close()
print(json.dumps({"cold_s": round(cold, 3), "cold_cpu_s": round(cold_cpu, 3), "conflicts": len(found),
                  "steps": {"open_store": round(t_open, 3), "read_sources_facts_glossary": round(t_read, 3),
                            "read_prepared_rows": round(t_rows, 3)},
                  "module_imports_s": round(imports, 3), "rows_mb": round(mb, 1),
                  "again_median_s": round(statistics.median(runs), 3), "after_glossary_change_s": round(t_gloss, 3),
                  "after_glossary_change_cpu_s": round(c_gloss, 3)}))
"""


def cold_process(path: Path) -> dict[str, Any]:
    import subprocess

    root = str(Path(__file__).resolve().parents[1])
    code = "import sys; sys.path.insert(0, sys.argv[2]); " + _COLD
    out = subprocess.run([sys.executable, "-c", code, str(path), root], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def single_line_imports(root: Path, rng: random.Random, pool: list[str]) -> dict[str, object]:
    """Import time of one-line plain texts of 0.32, 3.2 and 20 MB (seed sentences, no line breaks):
    linear means the CPU seconds per MB stay flat; the ratio compares 20 MB with 0.32 MB in this run.
    The 3.2 and 20 MB texts reach the candidate limit (``candidates`` is then 5,000; the later sentences
    are counted, not analysed)."""
    out: dict[str, object] = {}
    per_mb: dict[float, float] = {}
    for mb in (0.32, 3.2, 20.0):
        parts: list[str] = []
        size = 0
        while size < mb * 1024 * 1024:
            s = rng.choice(pool).replace("\n", " ")
            parts.append(s)
            size += len(s.encode("utf-8")) + 1
        path = root / f"one-line-{mb}.txt"
        path.write_text(" ".join(parts), encoding="utf-8")
        store = open_store(root / f"data-{mb}")
        t, cpu = time.perf_counter(), time.process_time()
        plan = pipeline.prepare([path], store)
        t_prepare = time.perf_counter() - t
        t = time.perf_counter()
        pipeline.commit(plan, store, analyst="bench")
        t_commit = time.perf_counter() - t
        cpu = time.process_time() - cpu  # CPU seconds: steady when other work shares the machine
        store.close()
        per_mb[mb] = cpu / mb
        out[f"{mb}_mb"] = {"prepare_s": round(t_prepare, 2), "commit_s": round(t_commit, 2), "cpu_s": round(cpu, 2),
                           "candidates": sum(len(d.candidates) for d in plan.documents),
                           "cpu_s_per_mb": round(per_mb[mb], 3)}
    out["cpu_s_per_mb_ratio_20_vs_0.32"] = round(per_mb[20.0] / per_mb[0.32], 2)
    return out


def distinct_sentences(rng: random.Random, pool: list[str], mb: float) -> str:
    """About ``mb`` MB of seed sentences, each with two to four words swapped for others from the seeds and
    none twice, in paragraphs of five: nothing can be reused from one sentence to the next."""
    words = sorted({w for s in pool for w in s.split()})
    seen: set[str] = set()
    paras: list[str] = []
    para: list[str] = []
    size = 0
    while size < mb * 1024 * 1024:
        ws = rng.choice(pool).replace("\n", " ").split()
        for _ in range(rng.randint(2, 4)):
            ws[rng.randrange(len(ws))] = rng.choice(words)
        s = " ".join(ws)
        if s in seen:
            continue
        seen.add(s)
        para.append(s)
        size += len(s.encode("utf-8")) + 1
        if len(para) == 5:
            paras.append(" ".join(para))
            para = []
    return "\n\n".join([*paras, " ".join(para)])


def distinct_sentence_imports(root: Path, rng: random.Random, pool: list[str]) -> dict[str, object]:
    """Import time of texts of 1 and 20 MB whose sentences all differ (paragraphs of five).  1 MB stays
    under the candidate limit, so its CPU seconds per MB are the full per-sentence cost; 20 MB has
    more sentences than the limit and says how many it left unanalysed."""
    from briefer.ingest.candidates import NOT_ANALYSED

    out: dict[str, object] = {}
    for mb in (1.0, 20.0):
        path = root / f"distinct-{mb}.txt"
        path.write_text(distinct_sentences(rng, pool, mb), encoding="utf-8")
        store = open_store(root / f"data-distinct-{mb}")
        t0, cpu = time.perf_counter(), time.process_time()
        plan = pipeline.prepare([path], store)
        t_prepare = time.perf_counter() - t0
        t = time.perf_counter()
        pipeline.commit(plan, store, analyst="bench")
        t_commit = time.perf_counter() - t
        cpu = time.process_time() - cpu
        wall = time.perf_counter() - t0
        store.close()
        doc = plan.documents[0]
        out[f"{mb}_mb"] = {"prepare_s": round(t_prepare, 2), "commit_s": round(t_commit, 2), "wall_s": round(wall, 2),
                           "cpu_s": round(cpu, 2), "cpu_s_per_mb": round(cpu / mb, 3),
                           "sentences": sum(doc.skipped.values()) + len(doc.candidates),
                           "candidates": len(doc.candidates), "not_analysed": doc.skipped.get(NOT_ANALYSED, 0)}
    return out


# -- import scaling with the candidate limit lifted (issue 12, point 6) -------------------------------------------


def uncapped_scaling(root: Path, rng: random.Random, pool: list[str],
                     sizes: tuple[float, ...] = (1.0, 5.0, 20.0)) -> dict[str, object]:
    """Import (prepare and commit) of distinct-sentence texts of 1, 5 and 20 MB with the per-document
    candidate limit lifted, so every sentence is analysed and stored: linear means the CPU seconds per MB
    stay flat (``cpu_s_per_mb_ratio_to_1_mb`` near 1; a quadratic step would give 5 and 20)."""
    from briefer.ingest import candidates

    out: dict[str, object] = {}
    per_mb: dict[float, float] = {}
    limit = candidates.MAX_CANDIDATES
    candidates.MAX_CANDIDATES = 10**9
    try:
        for mb in sizes:
            path = root / f"uncapped-{mb}.txt"
            path.write_text(distinct_sentences(rng, pool, mb), encoding="utf-8")
            store = open_store(root / f"data-uncapped-{mb}")
            t0, cpu = time.perf_counter(), time.process_time()
            plan = pipeline.prepare([path], store)
            cpu_prepare = time.process_time() - cpu
            res = pipeline.commit(plan, store, analyst="bench")
            cpu = time.process_time() - cpu
            wall = time.perf_counter() - t0
            store.close()
            doc = plan.documents[0]
            per_mb[mb] = cpu / mb
            out[f"{mb}_mb"] = {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "cpu_s_per_mb": round(per_mb[mb], 3),
                               "prepare_cpu_s": round(cpu_prepare, 2), "commit_cpu_s": round(cpu - cpu_prepare, 2),
                               "sentences": sum(doc.skipped.values()) + len(doc.candidates),
                               "candidates": len(doc.candidates), "stored_pending": res.pending,
                               "repeats_marked": sum(1 for c in doc.candidates if c.repeats is not None)}
    finally:
        candidates.MAX_CANDIDATES = limit
    first = per_mb[sizes[0]]
    out["cpu_s_per_mb_ratio_to_1_mb"] = {f"{mb}_mb": round(per_mb[mb] / first, 2) for mb in sizes}
    return out


if __name__ == "__main__":
    main()
