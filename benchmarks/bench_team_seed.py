"""Creating a new team library: schema, roles and the seed fact pack, against a new local store in the
same run (printed as JSON; run by `make bench`).

    python benchmarks/bench_team_seed.py [--repeat 3]

A throwaway PostgreSQL cluster (tests/pg_cluster.py) gets a new empty database per run, opened with
Briefer's own first open (``open_store``: migrations, roles, triggers, the seed pack); the local peer
is a new data folder.  Reported per backend: the median of ``--repeat`` runs of the wall time and of
this process's CPU time (user + sys); for the team library also the client's round trips to the
server (each statement sent and waited for: ``execute``; an ``executemany`` or a ``COPY`` block counts
once, psycopg sends them as one pipeline or stream), and how many of them the seed pack's loading
(``load_pack``, with the prepared analyses) takes.  The machine may be shared: wall times come with
their local peer; round trips do not depend on the load.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(1, str(REPO / "tests"))  # pg_cluster: the tests' throwaway PostgreSQL cluster


class RoundTrips:
    """Counts the statements psycopg sends (see the module docstring), while installed."""

    def __init__(self) -> None:
        import psycopg

        self.n = 0
        self._saved: list[tuple[Any, str, Any]] = []
        self._targets = [(psycopg.Cursor, "execute"), (psycopg.Cursor, "executemany"), (psycopg.Cursor, "copy")]

    def __enter__(self) -> RoundTrips:
        for cls, name in self._targets:
            orig = getattr(cls, name)
            self._saved.append((cls, name, orig))

            def counted(*a: Any, _orig: Any = orig, **kw: Any) -> Any:
                self.n += 1
                return _orig(*a, **kw)

            setattr(cls, name, counted)
        return self

    def __exit__(self, *exc: object) -> None:
        for cls, name, orig in self._saved:
            setattr(cls, name, orig)


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


def _seed_counter() -> dict[str, int]:
    """Round trips inside the team store's load_pack (+ the pack's prepared analyses), per run."""
    from briefer.store import db

    counts = {"seed": 0}
    orig = db._seed

    def seed(store: Any, loader: Any) -> None:
        with RoundTrips() as rt:
            orig(store, loader)
        counts["seed"] += rt.n

    db._seed = seed  # type: ignore[assignment]
    return counts


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    import pg_cluster

    from briefer.ingest.factpack import open_store

    out: dict[str, Any] = {"benchmark": "team_seed"}
    with tempfile.TemporaryDirectory() as tmp, pg_cluster.cluster() as server:
        local_wall, local_cpu, team_wall, team_cpu, trips, seed_trips = [], [], [], [], [], []
        seeds = _seed_counter()
        for i in range(args.repeat):
            folder = Path(tmp) / f"local{i}"
            w0, c0 = time.perf_counter(), _cpu()
            with open_store(folder) as store:
                n_local = store.fact_count()
            local_wall.append(time.perf_counter() - w0)
            local_cpu.append(_cpu() - c0)

            server.psql(f"CREATE DATABASE seed{i}")
            before = seeds["seed"]
            w0, c0 = time.perf_counter(), _cpu()
            with RoundTrips() as rt, open_store(Path(tmp) / f"team{i}", location=server.url(db=f"seed{i}")) as team:
                n_team = team.fact_count()
            team_wall.append(time.perf_counter() - w0)
            team_cpu.append(_cpu() - c0)
            trips.append(rt.n)
            seed_trips.append(seeds["seed"] - before)
            assert n_team == n_local, (n_team, n_local)
        out.update({
            "facts": n_local,
            "local_wall_s": round(statistics.median(local_wall), 3),
            "local_cpu_s": round(statistics.median(local_cpu), 3),
            "team_wall_s": round(statistics.median(team_wall), 3),
            "team_cpu_s": round(statistics.median(team_cpu), 3),
            "team_round_trips": int(statistics.median(trips)),
            "team_seed_round_trips": int(statistics.median(seed_trips)),
            "team_to_local_wall": round(statistics.median(team_wall) / statistics.median(local_wall), 2),
            "team_to_local_cpu": round(statistics.median(team_cpu) / statistics.median(local_cpu), 2),
        })
    print(json.dumps(out))


if __name__ == "__main__":
    main()
