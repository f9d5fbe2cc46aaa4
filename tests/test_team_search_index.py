"""A team library's text indexes are whole once a library came in (the seed pack of a new library, or a
``store copy``): nothing is left in their pending lists.  GIN keeps new entries in an unsorted pending list
(up to 4 MB) that every search reads through until a vacuum merges it; a library just copied in was
searched through ~3,000 facts' worth of it (2.4 ms of server CPU a search at 100,000 facts instead of
1.5: benchmarks/bench_team.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from briefer.cli import main
from briefer.model import Citation, Fact

pytestmark = pytest.mark.postgres

INDEXES = ("fact_fts_tsv", "fact_cjk_trgm")


def _pending(url: str) -> dict[str, int]:
    """Pages each text index holds in its pending list (emptied by the reading: the server's own
    ``gin_clean_pending_list`` says how many it merged)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return {name: conn.execute("SELECT gin_clean_pending_list(%s::regclass)", (name,)).fetchone()[0]
                for name in INDEXES}


def _search_ids(location: str | Path, data: Path, text: str) -> list[str]:
    from briefer.store.db import open_store

    if isinstance(location, Path):  # a local store: its own folder
        store = open_store(location, create=False, seed=False)
    else:
        store = open_store(data, location=location, create=False, seed=False)
    try:
        return sorted(h.fact.id for h in store.search(text, limit=500))
    finally:
        store.close()


def test_a_new_team_library_is_seeded_with_whole_text_indexes(pg_database: Any, tmp_path: Path) -> None:
    from briefer.ingest.factpack import open_store

    url = pg_database("blank")
    open_store(tmp_path / "analyst", location=url).close()  # the first open creates and seeds it
    assert _pending(url) == {"fact_fts_tsv": 0, "fact_cjk_trgm": 0}
    assert _search_ids(url, tmp_path / "analyst", "Headquarters")


def test_a_library_copied_in_has_whole_text_indexes_and_searches_as_before(
        data_dir: Path, pg_database: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from briefer.store.db import open_store

    store = open_store(data_dir, create=False, seed=False)
    try:  # Japanese too, for the trigram index
        store.add_fact(Fact(id="test-japanese-hq", section="hq-structure", as_of=date(2025, 9, 1),
                            statement="The AI戦略本部 (人工知能戦略本部) met under 石破茂.",
                            citations=[Citation(source="news-kiuchi-hq", quote="Established on September 1")]))
    finally:
        store.close()
    url = pg_database("blank")
    local = tmp_path / "analyst"
    assert main(["--data-dir", str(local), "store", "copy", "--from", str(data_dir), "--to", url]) == 0, \
        capsys.readouterr().err
    assert _pending(url) == {"fact_fts_tsv": 0, "fact_cjk_trgm": 0}
    for text in ("Headquarters", "strategy", "人工知能戦略本部"):
        found = _search_ids(url, local, text)
        assert found and found == _search_ids(data_dir, local, text)


def test_an_edit_afterwards_goes_to_the_pending_list_as_the_server_does_it(pg_database: Any, tmp_path: Path) -> None:
    """(What the two tests above read is real: an edit made after the library came in is pending until a
    vacuum, or until the list is full, as PostgreSQL does it for any GIN index.)"""
    from briefer.store.db import open_store

    url = pg_database("seeded")
    store = open_store(tmp_path / "analyst", location=url, create=False, seed=False)
    try:
        fact = store.facts()[0]
        store.update_fact(fact.id, fact.model_copy(update={"statement": "A statement edited afterwards."}),
                          analyst="test")
    finally:
        store.close()
    assert _pending(url)["fact_fts_tsv"] > 0
