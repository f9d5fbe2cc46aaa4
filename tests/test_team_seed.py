"""A new team library is seeded in a handful of COPYs instead of a round trip per row (issue 15,
leftover): what it holds is exactly what a new local store holds — every table, the search tables,
the word counts — and it takes new facts afterwards."""

from __future__ import annotations

import pytest

from briefer.ingest.factpack import open_store
from briefer.store.copy import _read_back

pytestmark = pytest.mark.postgres


def _words(store) -> list[tuple[str, int]]:  # noqa: ANN001
    return [(str(r[0]), int(r[1])) for r in store._q("SELECT word, n FROM fts_words WHERE n > 0 ORDER BY word")]


def test_a_new_team_library_holds_what_a_new_local_store_holds(pg_database, tmp_path) -> None:  # noqa: ANN001
    url = pg_database("blank")
    with open_store(tmp_path / "local") as local, open_store(tmp_path / "team", location=url) as team:
        assert team.fact_count() == local.fact_count() > 100
        want, got = _read_back(local), _read_back(team)
        for table, summed in want.tables.items():
            assert (got.of(table).rows, got.of(table).total) == (summed.rows, summed.total), table
        assert want.of("source_analysis").rows > 0  # the pack's prepared analyses came in too
        assert _words(team) == sorted(_words(local))
        for q in ("Headquarters", "Kiuchi", "Ishiba", "promot"):
            assert team.search(q, limit=50) != [], q
            assert {h.fact.id for h in team.search(q, limit=500)} == {h.fact.id for h in local.search(q, limit=500)}
        # the id sequences were moved past the rows that came in: the next fact gets a key of its own
        fact = team.facts(limit=1)[0]
        team.add_fact(fact.model_copy(update={"id": "seed-check-new-fact"}), analyst="Ana")
        assert team.fact("seed-check-new-fact").statement == fact.statement
        assert team.history("seed-check-new-fact")[-1]["changed_by"] == team.database_user
