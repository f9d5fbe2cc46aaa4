"""Search latency of the fact store on synthetic stores, against a LIKE scan.

    python benchmarks/bench_store.py [--sizes 100000,1000000] [--queries 200]

Prints one JSON object.  Each store holds facts of ~40 words drawn from a
Zipf-distributed vocabulary, so some words are in more than 10% of the facts
and others in a handful.  For each kind of query (rare word, frequent word,
two words, 3-character prefix) it times Store.search (FTS5, bm25 ranking
only when no term is in more than RANK_CAP facts, newest first otherwise;
prefixes FTS5 has no index for expanded through the word list; snippets;
facts loaded) and, in the
same run, a plain ``LIKE '%word%'`` scan returning the same number of rows.
Targets: p95 <= 16 ms at 100,000 facts and <= 50 ms at 1,000,000.

Also the time to open each store: the first open of a day, which reads the whole file
(``briefer.store.integrity``: SQLite's quick_check), against the later opens, which do not.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from briefer.store import words as word_list  # noqa: E402
from briefer.store.db import RANK_CAP, open_store  # noqa: E402

SYLLABLES = [a + b for a in "bcdfghklmnprstvz" for b in ("a", "e", "i", "o", "u", "ai", "ou")]
TARGET_P95_MS = {100_000: 16.0, 1_000_000: 50.0}


def vocabulary(rng: random.Random, n: int) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words, key=lambda w: rng.random())


def build(path: Path, n_facts: int, vocab: list[str], cum: list[float], rng: random.Random) -> dict[int, int]:
    """Fill a store with ``n_facts`` synthetic facts; return how many facts each word rank is in."""
    store = open_store(path, seed=False)
    doc_freq: dict[int, int] = {}
    with store.transaction() as c:
        c.execute("INSERT INTO sections (id, title, ord) VALUES ('risks', 'Risks', 1)")
        c.execute("INSERT INTO sources (id, label, kind, text) VALUES ('bench', 'Bench source', 'other', '')")
    batch = 20_000
    total = cum[-1]
    for start in range(0, n_facts, batch):
        facts, cites, fts = [], [], []
        for rowid in range(start + 1, min(start + batch, n_facts) + 1):
            ranks = [bisect.bisect(cum, rng.random() * total) for _ in range(40)]
            for r in set(ranks):
                doc_freq[r] = doc_freq.get(r, 0) + 1
            words = [vocab[r] for r in ranks]
            statement = " ".join(words[:30]).capitalize() + "."
            quote = " ".join(words[30:])
            facts.append((rowid, f"fact-{rowid}", "risks", statement, "2025-01-01", "current", 3, "", None, "[]"))
            cites.append((rowid, 0, "bench", quote, "para. 1", None, None))
            fts.append((rowid, statement, quote, "", "Bench source"))
        with store.transaction() as c:
            c.executemany("INSERT INTO facts (rowid, id, section, statement, as_of, status, priority, notes,"
                          " superseded_by, tags) VALUES (?,?,?,?,?,?,?,?,?,?)", facts)
            c.executemany("INSERT INTO citations (fact, pos, source, quote, location, claim, credibility)"
                          " VALUES (?,?,?,?,?,?,?)", cites)
            c.executemany("INSERT INTO fact_fts (rowid, statement, quotes, tags, sources) VALUES (?,?,?,?,?)", fts)
            word_list.add_many(c, (" ".join(row[1:]) for row in fts))
    with store.transaction() as c:
        c.execute("INSERT INTO fact_fts(fact_fts) VALUES ('optimize')")
    store.close()
    return doc_freq


def queries(vocab: list[str], doc_freq: dict[int, int], n_facts: int, n: int,
            rng: random.Random) -> dict[str, list[str]]:
    frequent = [vocab[r] for r, df in doc_freq.items() if df > n_facts * 0.10]
    # the rarest words present: in at most 0.02% of the facts (at least the 500 rarest)
    by_df = sorted((df, r) for r, df in doc_freq.items() if df >= 1)
    rare = [vocab[r] for df, r in by_df if df <= max(20, n_facts * 0.0002)] or [vocab[r] for _, r in by_df[:500]]
    medium = [vocab[r] for r, df in doc_freq.items() if n_facts * 0.001 <= df <= n_facts * 0.05]
    prefixes = sorted({w[:3] for w in vocab})
    return {
        "rare_word": [rng.choice(rare) for _ in range(n)],
        "frequent_word": [rng.choice(frequent) for _ in range(n)],
        "two_words": [f"{rng.choice(medium)} {rng.choice(medium + frequent)}" for _ in range(n)],
        "prefix_3": [rng.choice(prefixes) for _ in range(n)],
    }, {"frequent_words": len(frequent), "rare_words": len(rare)}


def stats(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {
        "median_ms": round(statistics.median(ms), 3),
        "p95_ms": round(ms[max(0, int(len(ms) * 0.95) - 1)], 3),
        "max_ms": round(ms[-1], 3),
    }


def measure(path: Path, qs: dict[str, list[str]], limit: int) -> dict[str, dict]:
    store = open_store(path, seed=False)
    conn = store._conn
    for q in itertools.islice(itertools.chain(*qs.values()), 50):  # warm the page cache
        store.search(q, limit=limit)
    out: dict[str, dict] = {}
    for kind, items in qs.items():
        fts_ms, like_ms, results = [], [], []
        for q in items:
            t = time.perf_counter()
            hits = store.search(q, limit=limit)
            fts_ms.append((time.perf_counter() - t) * 1000)
            results.append(len(hits))
            words = q.split()
            where = " AND ".join("(statement LIKE ? OR EXISTS (SELECT 1 FROM citations c WHERE c.fact = f.rowid"
                                 " AND c.quote LIKE ?))" for _ in words)
            args = [a for w in words for a in (f"%{w}%", f"%{w}%")]
            t = time.perf_counter()
            conn.execute(f"SELECT id, statement FROM facts f WHERE {where} LIMIT ?", (*args, limit)).fetchall()
            like_ms.append((time.perf_counter() - t) * 1000)
        out[kind] = {
            "fts": stats(fts_ms),
            "like_scan": stats(like_ms),
            "p95_ratio_fts_to_like": round(stats(fts_ms)["p95_ms"] / max(stats(like_ms)["p95_ms"], 1e-9), 4),
            "mean_results": round(sum(results) / len(results), 2),
        }
    store.close()
    return out


def measure_open(path: Path, runs: int = 5) -> dict[str, dict]:
    """Opening the store (and closing it): the day's first open, which checks the whole file, and the
    open after it, which does not (briefer.store.integrity); warm page cache for both."""
    from briefer.store import integrity

    open_store(path, seed=False).close()
    first, later = [], []
    for _ in range(runs):
        (path / integrity.RECORD).unlink(missing_ok=True)
        t = time.perf_counter()
        open_store(path, seed=False).close()
        first.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        open_store(path, seed=False).close()
        later.append((time.perf_counter() - t) * 1000)
    return {"first_open_of_the_day": stats(first), "later_open": stats(later),
            "ratio_later_to_first": round(statistics.median(later) / statistics.median(first), 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--limit", type=int, default=20)
    args = ap.parse_args()
    rng = random.Random(20250901)
    vocab = vocabulary(rng, 30_000)
    cum = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(vocab))))
    report: dict = {"benchmark": "store_search", "rank_cap": RANK_CAP, "limit": args.limit,
                    "queries_per_kind": args.queries, "sizes": {}}
    tmp = Path(tempfile.mkdtemp(prefix="briefer-bench-"))
    try:
        for n in (int(s) for s in args.sizes.split(",")):
            path = tmp / f"store-{n}"
            t = time.perf_counter()
            doc_freq = build(path, n, vocab, cum, rng)
            build_s = time.perf_counter() - t
            qs, counts = queries(vocab, doc_freq, n, args.queries, rng)
            results = measure(path, qs, args.limit)
            target = TARGET_P95_MS.get(n)
            report["sizes"][str(n)] = {
                "build_s": round(build_s, 1),
                "db_mb": round(sum(f.stat().st_size for f in path.iterdir()) / 2**20, 1),
                **counts,
                "target_p95_ms": target,
                "meets_target": None if target is None else all(r["fts"]["p95_ms"] <= target
                                                                for r in results.values()),
                "kinds": results,
                "open": measure_open(path),
            }
            shutil.rmtree(path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
