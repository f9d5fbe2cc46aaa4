"""The team library against the local store, in the same run (printed as JSON; run by `make bench`).

    python benchmarks/bench_team.py [--facts 100000] [--clients 10] [--think-ms 200] [--writers 20] [--library DIR]

A library of ``--facts`` synthetic facts (statements of ~25 words drawn from a Zipf-distributed vocabulary
of 30,000 made-up words, so no two statements are near-duplicates and some words are in more than 10% of
the facts, others in a handful), with citations, tags, history and editions, is built in a local store
through the store interface, then copied to a throwaway PostgreSQL cluster (tests/pg_cluster.py: initdb +
pg_ctl in a temporary folder, on a free loopback port) with ``store copy``.  On both backends:

* search: ``--clients`` processes, each with its own connection, run the same fixed mixed list of queries
  (rare word, frequent word, two words, a 3-letter prefix, a Japanese name) at once; p95 over all of
  them, and per kind.  Target: p95 <= 20 ms on PostgreSQL.  The same list from one client alone is the
  uncontended figure (ten clients on a machine with fewer cores wait for a core, whatever the engine).
  An extra figure, ``search_paced``: the same clients pausing ``--think-ms`` (200 ms) on average before
  each search, as analysts typing; the closed loop above stays the target's measure.  CPU per search:
  the clients' own, and the server's (its processes' scheduler time, when the server runs here).
* edits: ``--writers`` processes edit the same fact at once (read it and append a mark of their own, in
  one transaction), each reporting which edits succeeded; afterwards the fact is read and every
  reported success must be in it.  Lost updates = reported successes missing from the fact.  Target 0.
* copy: ``store copy`` of the library, SQLite -> PostgreSQL and PostgreSQL -> a new local folder, timed
  (wall and CPU seconds of this process; the server's share is in the wall time).

Wall-clock times: the machine may be shared, so each PostgreSQL figure comes with its SQLite peer.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(1, str(REPO / "tests"))  # pg_cluster: the tests' throwaway PostgreSQL cluster

from briefer.model import Citation, Fact, GlossaryEntry, Section, Source  # noqa: E402
from briefer.model.editions import EditionFact  # noqa: E402

SYLLABLES = [a + b for a in "bcdfghklmnprstvz" for b in ("a", "e", "i", "o", "u", "ai", "ou")]
TARGET_P95_MS = 20.0
N_SOURCES = 50
SECTIONS = ["law-summary", "hq-structure", "risks", "us-japan", "background", "outlook"]
JAPANESE = ["人工知能戦略本部", "内閣総理大臣", "基本計画", "研究開発", "推進法"]


def vocabulary(rng: random.Random, n: int) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    # sorted first: a set's order changes with each process's string hashing, and the library must be the
    # same in every run (a library built once is reused with --library; the queries name its words)
    return sorted(sorted(words), key=lambda w: rng.random())


class Words:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocab = vocabulary(rng, 30_000)
        self.cum = list(itertools.accumulate(1.0 / (r + 1) for r in range(len(self.vocab))))

    def draw(self, n: int) -> list[str]:
        total = self.cum[-1]
        return [self.vocab[bisect.bisect(self.cum, self.rng.random() * total)] for _ in range(n)]


def build_library(data_dir: Path, n_facts: int, words: Words) -> dict[str, Any]:
    """A local library of ``n_facts`` facts, through the store interface; returns what it holds."""
    from briefer.store.db import open_store

    sections = [Section(id=s, title=s.replace("-", " ").title(), order=i) for i, s in enumerate(SECTIONS)]
    sources = [Source(id=f"source-{i}", label=f"Source {i}", title=" ".join(words.draw(6)).title(),
                      outlet=f"Outlet {i % 7}", kind="news report", reliability="BC"[i % 2],
                      published=date(2025, 1, 1) + timedelta(days=i * 5),
                      text=" ".join(words.draw(400)) + " " + JAPANESE[i % len(JAPANESE)])
               for i in range(N_SOURCES)]
    glossary = [GlossaryEntry(id="hq", kind="body", name="AI Strategy Headquarters", japanese="人工知能戦略本部",
                              aliases=["the Headquarters"])]
    facts = []
    for i in range(n_facts):
        statement = " ".join(words.draw(25)).capitalize() + "."
        if i % 50 == 0:
            statement += f" {JAPANESE[i % len(JAPANESE)]}。"
        cites = [Citation(source=f"source-{(i + k) % N_SOURCES}", quote=" ".join(words.draw(12)),
                          location=f"para. {1 + (i + k) % 40}") for k in range(1 + i % 2)]
        facts.append(Fact(id=f"fact-{i}", section=SECTIONS[i % len(SECTIONS)], statement=statement,
                          as_of=date(2025, 1, 1) + timedelta(days=i % 330), priority=1 + i % 5, citations=cites,
                          tags=[f"topic:{words.draw(1)[0]}", f"body:{['Cabinet', 'Diet', 'MEXT'][i % 3]}"]))
    t0 = time.perf_counter()
    store = open_store(data_dir, seed=False)
    try:
        store.load_pack(sections, sources, facts, glossary)
        with store.transaction():  # some history: 1% of the facts edited once
            for i in range(0, n_facts, 100):
                f = facts[i]
                store.update_fact(f.id, f.model_copy(update={"notes": "checked"}), analyst="bench")
        for n in range(1, 4):
            store.record_edition("Weekly", exported_on=date(2025, 6, n), title=f"Weekly {n}", facts=[
                EditionFact(fact_id=f.id, section=f.section, statement=f.statement, status="current",
                            statement_hash=str(n), citations_hash=str(n)) for f in facts[n * 100: n * 100 + 60]])
        built = time.perf_counter() - t0
        return {"facts": store.fact_count(), "build_s": round(built, 1)}
    finally:
        store.close()


def reused_library(data_dir: Path, n_facts: int) -> dict[str, Any] | None:
    """What a library built by an earlier run (``--library``) holds, when it has ``n_facts`` facts; else None
    (and the folder is emptied for a new one)."""
    import shutil

    from briefer.store.db import DB_NAME, open_store

    if not (data_dir / DB_NAME).exists():
        return None
    store = open_store(data_dir, seed=False)
    try:
        n = store.fact_count()
    finally:
        store.close()
    if n == n_facts:
        return {"facts": n, "reused": str(data_dir)}
    shutil.rmtree(data_dir)
    return None


KINDS = ["rare_word", "frequent_word", "two_words", "prefix_3", "japanese"]


def query_list(words: Words, n: int) -> list[str]:
    """A fixed mixed list: rare and frequent words, two words, a 3-letter prefix, a Japanese name."""
    rng = random.Random(99)
    vocab = words.vocab
    kinds = [
        lambda: vocab[rng.randint(5000, 29_000)],  # rare
        lambda: vocab[rng.randint(0, 20)],  # frequent
        lambda: f"{vocab[rng.randint(50, 3000)]} {vocab[rng.randint(0, 200)]}",  # two words
        lambda: vocab[rng.randint(0, 5000)][:3],  # prefix, as typed
        lambda: rng.choice(JAPANESE),
    ]
    return [kinds[i % len(kinds)]() for i in range(n)]


# -- worker processes ---------------------------------------------------------------------------


#: names the local data folder a team library is opened with (its templates and backups would live there);
#: set by main() in the run's temporary folder, inherited by the worker processes
ANALYST_ENV = "BRIEFER_BENCH_ANALYST_DIR"


def _analyst_dir() -> Path:
    return Path(os.environ[ANALYST_ENV])


def _open(where: str) -> Any:
    from briefer.store.library import open_location, parse_location

    return open_location(parse_location(where), create=False, data_dir=_analyst_dir())


def _server_cpu(store: Any) -> float | None:
    """CPU seconds (user + system) the team library's server process for this connection has used, read from
    /proc when the server runs here and lets this user read it; None for a local store or elsewhere.  The
    scheduler's own count (schedstat, in nanoseconds) where the kernel keeps it, else the clock ticks of
    /proc/PID/stat (1/100 s: a tenth of a millisecond a search over a client's 100)."""
    try:
        pid = store._pg.raw.info.backend_pid
    except AttributeError:
        return None
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        pass
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _wire_counts(store: Any, queries: list[str]) -> dict[str, float] | None:
    """Statements sent and round trips made per search on a team library's connection, read from libpq's
    protocol trace over one untimed pass of ``queries`` (as tests/test_team_search_plan.py counts them)."""
    try:
        from psycopg import pq

        pgconn = store._pg.raw.pgconn
    except (AttributeError, ImportError):
        return None
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            for q in queries:
                store.search(q, limit=20)
        finally:
            pgconn.untrace()
        trace.seek(0)
        fields = [line.split("\t") for line in trace]
    sent = sum(1 for f in fields if len(f) > 2 and f[0] == "F" and f[2].strip() in ("Execute", "Query"))
    trips = sum(1 for f in fields if len(f) > 2 and f[0] == "B" and f[2].strip() == "ReadyForQuery")
    return {"statements_per_search": round(sent / len(queries), 2),
            "round_trips_per_search": round(trips / len(queries), 2)}


def _search_client(where: str, queries: list[str], start: Any, out: Any, wire: bool, think_ms: float = 0.0,
                   seed: int = 0) -> None:
    store = _open(where)
    pause = random.Random(seed)
    try:
        for q in queries[:20]:  # warm: the page cache and the connection
            store.search(q, limit=20)
        start.wait()
        ms = []
        cpu, server = time.process_time(), _server_cpu(store)
        for i, q in enumerate(queries):
            if think_ms:  # an analyst typing: a pause (random, think_ms on average) before each search
                time.sleep(pause.expovariate(1000.0 / think_ms))
            t = time.perf_counter()
            store.search(q, limit=20)
            ms.append((i % len(KINDS), (time.perf_counter() - t) * 1000))
        cpu = time.process_time() - cpu
        server_after = _server_cpu(store)
        out.put({"ms": ms, "client_cpu_s": cpu,
                 "server_cpu_s": None if server is None or server_after is None else server_after - server,
                 "wire": _wire_counts(store, queries) if wire else None})
    finally:
        store.close()


def _writer(where: str, fact_id: str, me: int, edits: int, start: Any, out: Any) -> None:
    from briefer.errors import KnownError

    store = _open(where)
    ok, failed = [], 0
    try:
        start.wait()
        t0 = time.perf_counter()
        for j in range(edits):
            mark = f"w{me}e{j}"
            try:
                with store.transaction():
                    fact = store.fact(fact_id)
                    store.update_fact(fact_id, fact.model_copy(update={"notes": f"{fact.notes} {mark}"}),
                                      analyst=f"writer {me}")
                ok.append(mark)
            except KnownError:
                failed += 1  # reported to the writer: a conflict or a busy store, not a silent loss
        out.put({"ok": ok, "failed": failed, "seconds": time.perf_counter() - t0})
    finally:
        store.close()


def search_p95(where: str, queries: list[str], clients: int, think_ms: float = 0.0) -> dict[str, Any]:
    """``clients`` processes searching at once: closed loop (each sends its next search as soon as the last
    came back), or with ``think_ms`` a pause before each search, as analysts typing."""
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(clients)
    out = ctx.Queue()
    # one client alone also counts the statements and round trips of a search (untimed, after its timed pass)
    procs = [ctx.Process(target=_search_client, args=(where, queries, start, out, clients == 1 and not think_ms,
                                                      think_ms, n))
             for n in range(clients)]
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    timed = list(itertools.chain.from_iterable(r["ms"] for r in results))
    report = {"clients": clients, **({"think_ms": think_ms} if think_ms else {}), "queries": len(timed),
              **_stats([ms for _, ms in timed]),
              "by_kind": {kind: _stats([ms for k, ms in timed if k == i]) for i, kind in enumerate(KINDS)},
              # CPU per search (ms): the clients' own (SQLite's engine runs in them), and the server's for a team
              # library when it can be read here; unlike wall-clock times, these hold on a shared machine
              "client_cpu_ms_per_search": round(sum(r["client_cpu_s"] for r in results) * 1000 / len(timed), 2)}
    if all(r["server_cpu_s"] is not None for r in results):
        report["server_cpu_ms_per_search"] = round(sum(r["server_cpu_s"] for r in results) * 1000 / len(timed), 2)
    if results[0]["wire"]:
        report.update(results[0]["wire"])
    return report


def _stats(ms: list[float]) -> dict[str, float]:
    ms = sorted(ms)
    return {"median_ms": round(statistics.median(ms), 2), "p95_ms": round(ms[max(0, int(len(ms) * 0.95) - 1)], 2),
            "max_ms": round(ms[-1], 2)}


def edits(where: str, fact_id: str, writers: int, per_writer: int) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    start = ctx.Barrier(writers)
    out = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(where, fact_id, i, per_writer, start, out)) for i in range(writers)]
    for p in procs:
        p.start()
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    store = _open(where)
    try:
        landed = set(store.fact(fact_id).notes.split())
    finally:
        store.close()
    reported = [m for r in results for m in r["ok"]]
    seconds = max(r["seconds"] for r in results)
    return {"writers": writers, "edits_tried": writers * per_writer, "reported_ok": len(reported),
            "reported_failed": sum(r["failed"] for r in results),
            "landed": sum(1 for m in reported if m in landed),
            "lost_updates": sum(1 for m in reported if m not in landed),
            "edits_per_s": round(len(reported) / seconds, 1), "seconds": round(seconds, 2)}


def timed_copy(src: str, dst: str) -> dict[str, Any]:
    from briefer.store.library import copy_between

    t, c = time.perf_counter(), time.process_time()
    report = copy_between(src, dst, data_dir=_analyst_dir())
    return {"wall_s": round(time.perf_counter() - t, 2), "cpu_s": round(time.process_time() - c, 2),
            "facts": report.tables["facts"].rows,
            "rows": sum(s.rows for s in report.tables.values())}


def team_available() -> str | None:
    """Why the PostgreSQL half cannot run here, or None."""
    try:
        import psycopg  # noqa: F401

        import briefer.store.postgres  # noqa: F401
    except ImportError as exc:
        return f"no PostgreSQL backend in this Briefer ({exc})"
    return None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--facts", type=int, default=100_000, help="facts in the library (default 100,000)")
    ap.add_argument("--clients", type=int, default=10, help="concurrent search clients")
    ap.add_argument("--queries", type=int, default=100, help="queries per search client")
    ap.add_argument("--think-ms", type=float, default=200.0,
                    help="the paced measure's mean pause before each search (0: no paced measure)")
    ap.add_argument("--writers", type=int, default=20, help="concurrent writers")
    ap.add_argument("--edits", type=int, default=10, help="edits per writer")
    ap.add_argument("--library", type=Path, default=None,
                    help="a folder to keep the built local library in and reuse on the next run (built anew "
                         "when it holds none of --facts facts)")
    args = ap.parse_args()
    words = Words(random.Random(20251201))
    queries = query_list(words, args.queries)
    report: dict[str, Any] = {"bench": "team", "facts": args.facts, "target_search_p95_ms": TARGET_P95_MS}
    with tempfile.TemporaryDirectory(prefix="briefer-bench-team-") as tmp:
        local = args.library or Path(tmp) / "local"
        os.environ[ANALYST_ENV] = str(Path(tmp) / "analyst")
        report["library"] = reused_library(local, args.facts) or build_library(local, args.facts, words)
        report["sqlite"] = {"search": search_p95(str(local), queries, args.clients),
                            "search_1_client": search_p95(str(local), queries, 1),
                            **paced(str(local), queries, args),
                            "edits": edits(str(local), "fact-7", args.writers, args.edits)}
        report["copy_sqlite_to_sqlite"] = timed_copy(str(local), str(Path(tmp) / "offline"))
        why = team_available()
        if why:
            report["postgresql"] = {"skipped": why}
        else:
            report["postgresql"] = team_half(Path(tmp), local, queries, args)
            pg = report["postgresql"]
            report["ratios"] = {
                "search_p95_pg_to_sqlite": round(pg["search"]["p95_ms"] / report["sqlite"]["search"]["p95_ms"], 2),
                "edits_per_s_pg_to_sqlite": round(pg["edits"]["edits_per_s"]
                                                  / max(report["sqlite"]["edits"]["edits_per_s"], 1e-9), 2),
                "copy_to_pg_to_sqlite_copy": round(pg["copy_sqlite_to_pg"]["wall_s"]
                                                   / report["copy_sqlite_to_sqlite"]["wall_s"], 2),
            }
            report["meets_targets"] = {"search_p95": pg["search"]["p95_ms"] <= TARGET_P95_MS,
                                       "no_lost_update": pg["edits"]["lost_updates"] == 0}
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


def paced(where: str, queries: list[str], args: argparse.Namespace) -> dict[str, Any]:
    """An extra figure beside the closed loop (which stays the target's measure): the same clients, each
    pausing ``--think-ms`` on average before each search, as analysts typing in the search field."""
    return {"search_paced": search_p95(where, queries, args.clients, args.think_ms)} if args.think_ms else {}


def team_half(tmp: Path, local: Path, queries: list[str], args: argparse.Namespace) -> dict[str, Any]:
    import pg_cluster

    with pg_cluster.cluster() as server:
        server.psql("CREATE DATABASE bench")
        url = server.url(db="bench")
        out: dict[str, Any] = {"copy_sqlite_to_pg": timed_copy(str(local), url)}
        out["search"] = search_p95(url, queries, args.clients)
        out["search_1_client"] = search_p95(url, queries, 1)
        out.update(paced(url, queries, args))
        out["edits"] = edits(url, "fact-7", args.writers, args.edits)
        out["copy_pg_to_sqlite"] = timed_copy(url, str(tmp / "from-team"))
        return out


if __name__ == "__main__":
    main()
