"""The team library on PostgreSQL (issue 15, points 1 and 2): opening creates and seeds it as a new
local store is seeded, writers are serialized so parallel processes lose nothing, every write
increments a version, and history names the database user beside the analyst."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[1]


def _open(url: str, data_dir: Path, **kw: object):  # noqa: ANN202
    from briefer.ingest.factpack import open_store

    return open_store(data_dir, location=url, **kw)  # type: ignore[arg-type]


def test_an_empty_team_database_gets_the_schema_and_the_same_seed_pack_as_a_new_local_store(
        pg_database, tmp_path: Path) -> None:  # noqa: ANN001
    from briefer.ingest.factpack import open_store

    url = pg_database("blank")
    team = _open(url, tmp_path / "team-data")
    local = open_store(tmp_path / "local-data")
    n = local.fact_count()
    try:
        assert team.schema_version == local.schema_version
        assert team.fact_count() == local.fact_count() > 100
        assert [f.model_dump() for f in team.facts()] == [f.model_dump() for f in local.facts()]
        assert [s.model_dump() for s in team.sources(with_text=True)] == [
            s.model_dump() for s in local.sources(with_text=True)]
        assert team.glossary() == local.glossary()
        assert team.tags() == local.tags()
        assert team.location == url
        assert team.path.parent == tmp_path / "team-data"  # templates, settings and backups stay local
    finally:
        team.close()
        local.close()
    again = _open(url, tmp_path / "team-data")  # opened again: not seeded twice
    try:
        assert again.fact_count() == n
        assert again.history(again.facts()[0].id) == []
    finally:
        again.close()


def test_search_on_the_team_library_finds_what_the_local_store_finds(pg_database, tmp_path: Path) -> None:  # noqa: ANN001
    from briefer.app.search import search_facts
    from briefer.ingest.factpack import open_store
    from briefer.model.query import FactFilter

    team = _open(pg_database("seeded"), tmp_path / "team")
    local = open_store(tmp_path / "local")
    try:
        for query, flt in [("城内", None), ("Kiuchi", None), ("headquar", None), ("内閣総理大臣", None),
                           ("Prime Minister", FactFilter(section="hq-structure")),
                           ("AI", FactFilter(status="disputed"))]:
            assert ({h.fact.id for h in search_facts(team, query, flt, limit=500).hits}
                    == {h.fact.id for h in search_facts(local, query, flt, limit=500).hits}), query
        kiuchi = search_facts(team, "城内", limit=50)
        assert kiuchi.hits and all("Kiuchi" in h.fact.statement + " ".join(h.fact.tags) for h in kiuchi.hits)
        strategy = search_facts(team, "戦略", limit=500)  # part of several names: not every fact about AI
        assert len(strategy.hits) < team.count(None) / 2 and "type more of the name" in strategy.note
        hit = team.search("headquar", mark=("<b>", "</b>"))[0]
        assert "<b>Headquarters</b>" in hit.snippet
        limited = team.search("Headquarters", FactFilter(section="hq-structure"), limit=2)
        assert len(limited) == 2 and {h.fact.section for h in limited} == {"hq-structure"}
    finally:
        team.close()
        local.close()


def test_every_write_increments_the_version_and_history_names_the_database_user(
        pg_database, tmp_path: Path) -> None:  # noqa: ANN001
    from briefer.domain import curation

    store = _open(pg_database("seeded"), tmp_path / "d")
    try:
        fid = store.facts()[0].id
        first = store.fact_version(fid)
        curation.tag_fact(store, fid, add=["topic:one"], analyst="Ana")
        curation.tag_fact(store, fid, add=["topic:two"], analyst="Bo")
        now = store.fact_version(fid)
        assert now.version == first.version + 2
        assert (now.analyst, now.changed_by) == ("Bo", store.database_user)
        assert [h["changed_by"] for h in store.history(fid)] == [store.database_user] * 2
        src = store.sources()[0]
        before = store.source_version(src.id).version
        store.update_source(src.model_copy(update={"notes": "checked"}), analyst="Ana")
        assert store.source_version(src.id).version == before + 1
    finally:
        store.close()


def test_the_local_store_keeps_versions_too(store) -> None:  # noqa: ANN001
    from briefer.domain import curation

    fid = store.facts()[0].id
    v = store.fact_version(fid).version
    curation.tag_fact(store, fid, add=["topic:one"], analyst="Ana")
    now = store.fact_version(fid)
    assert (now.version, now.analyst, now.changed_by) == (v + 1, "Ana", "")


def test_twenty_processes_tagging_one_fact_lose_nothing(pg_database, tmp_path: Path) -> None:  # noqa: ANN001
    url = pg_database("seeded")
    store = _open(url, tmp_path / "d")
    fid = store.facts()[0].id
    store.close()
    env = {**os.environ, "BRIEFER_ANALYST": "Parallel"}

    def tag(n: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "briefer", "--data-dir", str(tmp_path / f"d{n}"), "--store", url,
                               "facts", "tag", fid, "--add", f"topic:t{n}"], capture_output=True, text=True,
                              timeout=240, env=env, cwd=REPO)

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(tag, range(20)))
    applied = {n for n, r in enumerate(results) if r.returncode == 0}
    refused = {n: r.stderr for n, r in enumerate(results) if r.returncode != 0}
    assert all(r.returncode in (0, 2) for r in results), [r.stderr for r in results]
    assert all(err.count("\n") == 1 and "briefer: error:" in err for err in refused.values())
    store = _open(url, tmp_path / "d")
    try:
        tags = set(store.fact(fid).tags)
        assert {f"topic:t{n}" for n in applied} <= tags  # every change reported as done is there
        assert not {f"topic:t{n}" for n in refused} & tags  # and none reported as refused
        assert len(applied) == 20  # on one server nothing needs refusing: the writers wait their turn
        assert len([h for h in store.history(fid) if h["analyst"] == "Parallel"]) == 20
    finally:
        store.close()



def _tag_at_once(url: str, data_dir: str, fid: str, n: int, barrier) -> str:  # noqa: ANN001
    """One writer: connected first, then all start their read-modify-write together."""
    from briefer.domain import curation
    from briefer.errors import KnownError
    from briefer.ingest.factpack import open_store

    store = open_store(Path(data_dir), location=url)
    try:
        barrier.wait(timeout=120)
        curation.tag_fact(store, fid, add=[f"topic:p{n}"], analyst=f"writer {n}")
        return "applied"
    except KnownError as exc:
        return f"refused: {exc}"
    finally:
        store.close()


def test_twenty_writers_starting_together_lose_nothing_and_history_holds_the_true_before(
        pg_database, tmp_path: Path) -> None:  # noqa: ANN001
    import multiprocessing

    url = pg_database("seeded")
    store = _open(url, tmp_path / "d")
    fact = store.facts()[0]
    store.close()
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        barrier = manager.Barrier(20)
        with ctx.Pool(20) as pool:
            results = pool.starmap(_tag_at_once, [(url, str(tmp_path / "d"), fact.id, n, barrier) for n in range(20)])
    assert results == ["applied"] * 20
    store = _open(url, tmp_path / "d")
    try:
        assert set(store.fact(fact.id).tags) == set(fact.tags) | {f"topic:p{n}" for n in range(20)}
        history = store.history(fact.id)
        assert len(history) == 20 and store.fact_version(fact.id).version == 21
        for earlier, later in zip(history, history[1:], strict=False):  # each change saw the one before it
            assert later["before"]["tags"] == earlier["after"]["tags"]
    finally:
        store.close()
