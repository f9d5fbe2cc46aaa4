"""What the live updates' triggers cost a writer (issue 15, point 4), and how soon a listener hears.

On a throwaway PostgreSQL cluster (tests/pg_cluster.py), the same writes — N facts inserted, one
citation each, each fact updated, a statement per row as the store writes them — into a library
without the triggers and into one with them (briefer.store.postgres.notify), alternated twice; and
the time from a commit to the listener's socket waking.  Prints JSON; the figure that matters is the
ratio measured in the same run (the machine may be loaded).

    python benchmarks/bench_live_notify.py [N]
"""

from __future__ import annotations

import json
import select
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

SCHEMA = """
CREATE TABLE sources (id text PRIMARY KEY, version integer NOT NULL DEFAULT 1);
CREATE TABLE facts (rowid bigserial PRIMARY KEY, id text NOT NULL UNIQUE, statement text NOT NULL,
                    version integer NOT NULL DEFAULT 1);
CREATE TABLE citations (fact bigint NOT NULL REFERENCES facts(rowid) ON DELETE CASCADE, pos integer NOT NULL,
                        source text NOT NULL REFERENCES sources(id), quote text NOT NULL, PRIMARY KEY (fact, pos));
CREATE TABLE fact_tags (fact bigint NOT NULL REFERENCES facts(rowid) ON DELETE CASCADE, tag text NOT NULL,
                        PRIMARY KEY (tag, fact));
"""


def _writes(url: str, n: int) -> float:
    import psycopg

    with psycopg.connect(url) as conn:
        cur = conn.cursor()
        t0 = time.perf_counter()
        cur.executemany("INSERT INTO facts (id, statement) VALUES (%s, %s)", [(f"f{i}", f"fact {i}") for i in range(n)])
        cur.executemany("INSERT INTO citations VALUES ((SELECT rowid FROM facts WHERE id = %s), 0, 's1', 'quote')",
                        [(f"f{i}",) for i in range(n)])
        cur.executemany("UPDATE facts SET statement = %s, version = version + 1 WHERE id = %s",
                        [(f"fact {i}, reworded", f"f{i}") for i in range(n)])
        conn.commit()
        return time.perf_counter() - t0


def main() -> None:
    import pg_cluster
    import psycopg

    from briefer.store.postgres import notify

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    out: dict[str, object] = {"benchmark": "live_notify", "rows": n}
    with pg_cluster.cluster() as server:
        times: dict[str, list[float]] = {"without": [], "with": []}
        for round_ in range(2):
            for variant in ("without", "with"):
                db = f"bench_{variant}_{round_}"
                with psycopg.connect(server.url(), autocommit=True) as admin:
                    admin.execute(f"CREATE DATABASE {db}")
                with psycopg.connect(server.url(db=db)) as conn:
                    conn.execute(SCHEMA)
                    if variant == "with":
                        notify.install(conn)
                    conn.execute("INSERT INTO sources (id) VALUES ('s1')")
                    conn.commit()
                times[variant].append(_writes(server.url(db=db), n))
        without, with_ = sum(times["without"]), sum(times["with"])
        out["writes_s_without_triggers"] = round(without, 3)
        out["writes_s_with_triggers"] = round(with_, 3)
        out["ratio_with_to_without"] = round(with_ / without, 2)
        # a commit to the listener's socket waking (what the window waits before it refreshes)
        url = server.url(db="bench_with_1")
        listener = notify.PgListener(lambda: psycopg.connect(url))
        lags = []
        try:
            with psycopg.connect(url, autocommit=True) as writer:
                for i in range(50):
                    t0 = time.perf_counter()
                    writer.execute("UPDATE facts SET version = version + 1 WHERE id = %s", (f"f{i}",))
                    select.select([listener.fileno()], [], [], 10)
                    lags.append(time.perf_counter() - t0)
                    listener.drain()
        finally:
            listener.close()
        lags.sort()
        out["commit_to_listener_ms_median"] = round(statistics.median(lags) * 1000, 2)
        out["commit_to_listener_ms_p95"] = round(lags[int(len(lags) * 0.95) - 1] * 1000, 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
