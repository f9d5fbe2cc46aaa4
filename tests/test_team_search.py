"""Search on a team library keeps the local store's rules (issue 15, point 1): the local store's own
search tests (tests/test_store.py) run unchanged on a seeded team library, and the two that depend
on the engine's scores are restated for ``ts_rank`` (higher is better, where bm25 is lower)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import test_store as local

from briefer.model import Citation, Fact, FactStatus, Section, Source, SourceKind

pytestmark = pytest.mark.postgres


@pytest.fixture
def store(pg_database, tmp_path: Path):  # noqa: ANN001, ANN201
    from briefer.ingest.factpack import open_store

    s = open_store(tmp_path / "data", location=pg_database("seeded"))
    yield s
    s.close()


# the local store's tests, on the team library
test_add_update_delete_keep_history_and_search_in_step = local.test_add_update_delete_keep_history_and_search_in_step
test_a_failed_write_changes_nothing = local.test_a_failed_write_changes_nothing
test_search_matches_english_word_forms = local.test_search_matches_english_word_forms
test_search_filters = local.test_search_filters
test_search_finds_japanese_substrings = local.test_search_finds_japanese_substrings
test_search_does_not_choke_on_fts_syntax = local.test_search_does_not_choke_on_fts_syntax
test_long_and_one_letter_prefixes_expand_to_whole_words = local.test_long_and_one_letter_prefixes_expand_to_whole_words
test_the_word_list_follows_edits_and_deletes = local.test_the_word_list_follows_edits_and_deletes
test_filters_by_source_reliability_and_citation_credibility = (
    local.test_filters_by_source_reliability_and_citation_credibility)


def test_search_finds_names_and_prefixes_and_ranks(store) -> None:  # noqa: ANN001
    ids = [h.fact.id for h in store.search("Kiuchi")]
    assert "hq-responsible-minister-disputed" in ids
    assert set(ids) <= {h.fact.id for h in store.search("Kiu")}
    hits = store.search("Hayashi", limit=3)
    assert len(hits) == 3 and all(h.score is not None for h in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)  # ts_rank: higher is better
    assert "[Hayashi]" in " ".join(h.snippet for h in hits)


def test_statement_words_weigh_more_than_quotes(pg_database, tmp_path: Path) -> None:  # noqa: ANN001
    from briefer.ingest.factpack import open_store

    s = open_store(tmp_path / "d", location=pg_database("empty"), seed=False)
    try:
        s.load_pack([Section(id="risks", title="Risks")],
                    [Source(id="src", label="S", kind=SourceKind.OTHER, text="a quote about deepfakes here")],
                    [_fact("in-quote", "A statement about something else entirely.", quote="a quote about deepfakes"),
                     _fact("in-statement", "Deepfakes are the statement's subject.", quote="a quote about")], [])
        assert [h.fact.id for h in s.search("deepfakes")] == ["in-statement", "in-quote"]
    finally:
        s.close()


def test_common_terms_are_not_ranked_but_newest_first(pg_database, tmp_path: Path,  # noqa: ANN001
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.ingest.factpack import open_store
    from briefer.store.postgres import search as team

    monkeypatch.setattr(team, "RANK_CAP", 20)  # the rule, on a library small enough to build quickly
    s = open_store(tmp_path / "d", location=pg_database("empty"), seed=False)
    try:
        s.load_pack([Section(id="risks", title="Risks")],
                    [Source(id="src", label="S", kind=SourceKind.OTHER, text="common word")],
                    [_fact(f"f-{i}", f"A common word number {i}.") for i in range(30)], [])
        hits = s.search("common", limit=5)
        assert [h.fact.id for h in hits] == [f"f-{i}" for i in range(29, 24, -1)]
        assert all(h.score is None for h in hits) and "[common]" in hits[0].snippet
        ranked = s.search("17", limit=5)
        assert [h.fact.id for h in ranked] == ["f-17"] and ranked[0].score is not None
    finally:
        s.close()


def _fact(fid: str, statement: str, quote: str = "common word") -> Fact:
    return Fact(id=fid, section="risks", statement=statement, as_of=date(2025, 1, 1),
                citations=[Citation(source="src", quote=quote)])


#: words of the seed pack: between them they find facts of every kind it holds (disputed ones with a
#: variance, with notes, with several citations, a Japanese name)
_SEED_WORDS = ["Headquarters", "minister", "law", "AI", "Japan", "disputed", "strategy", "人工知能"]


def test_found_facts_are_the_facts_as_stored(store) -> None:  # noqa: ANN001
    """Each fact a search returns is the fact as the library holds it, made the same way as when it is
    read by its id: every field and citation, the same fields set, in the same order."""
    hits = [h for word in _SEED_WORDS for h in store.search(word, limit=200)]
    assert len(hits) > 100 and any(h.fact.variance is not None for h in hits)
    assert any(len(h.fact.citations) > 1 for h in hits) and any(h.fact.notes for h in hits)
    for h in hits:
        stored = store.fact(h.fact.id)
        assert h.fact == stored and repr(h.fact) == repr(stored)
        assert h.fact.model_fields_set == stored.model_fields_set and list(vars(h.fact)) == list(vars(stored))
        assert [vars(c) for c in h.fact.citations] == [vars(c) for c in stored.citations]
        assert [c.model_fields_set for c in h.fact.citations] == [c.model_fields_set for c in stored.citations]


def test_search_leaves_out_a_damaged_fact_and_names_it(store) -> None:  # noqa: ANN001
    """A fact whose stored date cannot be read is left out of a search, one whose tags cannot be read is
    found with no tags, and both are named in ``damaged`` with their repair, as on a local store."""
    found = [h.fact.id for h in store.search("Headquarters", limit=200)]
    bad_tags, bad_date = found[0], found[1]
    with store.transaction():
        store._pg.run("UPDATE facts SET tags = '[not json' WHERE id = %s", (bad_tags,))
        store._pg.run("UPDATE facts SET as_of = '2025-13-99' WHERE id = %s", (bad_date,))
    hits = {h.fact.id: h.fact for h in store.search("Headquarters", limit=200)}
    assert bad_date not in hits and set(hits) == set(found) - {bad_date}
    assert hits[bad_tags].tags == []
    assert "briefer facts tag" in store.damaged[bad_tags] and "2025-13-99" in store.damaged[bad_date]


def test_trusted_models_are_made_as_model_construct_makes_them() -> None:
    """The search's quick maker of facts and citations gives what pydantic's model_construct gives, and
    is model_construct itself for values it cannot take as they are (a field missing, out of order)."""
    from pydantic import BaseModel, Field

    from briefer.store.postgres.search import trusted

    cite = {"source": "src", "quote": "a quote", "location": "p. 1", "claim": None, "credibility": 2}
    values = {"id": "f-1", "section": "risks", "statement": "A statement of ten letters.",
              "citations": [trusted(Citation)(dict(cite))], "as_of": date(2025, 1, 2), "tags": ["a:b"],
              "status": FactStatus.DISPUTED, "priority": 4, "notes": "n", "superseded_by": None, "variance": None,
              "headline": None}
    made, built = trusted(Fact)(dict(values)), Fact.model_construct(**values)
    assert made == built and repr(made) == repr(built) and made.model_dump() == built.model_dump()
    assert made.model_fields_set == built.model_fields_set == set(Fact.model_fields)
    assert list(vars(made)) == list(vars(built))
    partial = {k: v for k, v in values.items() if k != "notes"}  # a default to fill in: model_construct's work
    assert trusted(Fact)(dict(partial)).notes == "" and "notes" not in trusted(Fact)(dict(partial)).model_fields_set

    class Aliased(BaseModel):
        name: str = Field(alias="n")

    assert trusted(Aliased)({"n": "x"}).name == "x"  # an alias: model_construct reads it


def test_the_japanese_lookup_orders_by_the_priority_the_server_keeps(store, tmp_path: Path) -> None:  # noqa: ANN001
    """The CJK table keeps each fact's priority for the Japanese lookup's order (step 13), kept by the server:
    a priority changed in SQL (an admin in psql) orders the fact at once, and a library upgraded from step 12
    has every row's priority filled in."""
    from briefer.ingest.factpack import open_store

    for i in range(3):
        store.add_fact(Fact(id=f"ja-{i}", section="hq-structure", as_of=date(2025, 9, 1), priority=3 - i,
                            statement=f"人工知能戦略本部の会合 {i}。",
                            citations=[Citation(source="news-kiuchi-hq", quote="Established on September 1")]))
    hits = store.search("人工知能", limit=200)
    assert [h.fact.id for h in hits] == ["ja-0", "ja-1", "ja-2"]
    last = hits[-1].fact.id
    with store.transaction():
        store._pg.run("UPDATE facts SET priority = CASE WHEN id = %s THEN 5 ELSE 1 END"
                      " WHERE id = ANY(%s)", (last, [h.fact.id for h in hits]))
    assert [h.fact.id for h in store.search("人工知能", limit=200)][0] == last
    with store.transaction():  # the library as step 12 left it
        store._pg.run("DROP TRIGGER briefer_cjk_priority ON fact_cjk; DROP TRIGGER briefer_fact_priority ON facts;"
                      " DROP FUNCTION briefer_cjk_priority, briefer_fact_priority;"
                      " ALTER TABLE fact_cjk DROP COLUMN priority")
        store._pg.run("UPDATE briefer_meta SET value = '12' WHERE key = 'schema'")
    upgraded = open_store(tmp_path / "again", location=store.location)
    try:
        assert upgraded._pg.run("SELECT value FROM briefer_meta WHERE key = 'schema'") == [("13",)]
        assert upgraded._pg.run("SELECT count(*) FROM fact_cjk c JOIN facts f USING (rowid)"
                                " WHERE c.priority <> f.priority") == [(0,)]
        assert [h.fact.id for h in upgraded.search("人工知能", limit=200)][0] == last
    finally:
        upgraded.close()
