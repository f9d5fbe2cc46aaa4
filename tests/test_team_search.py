"""Search on a team library keeps the local store's rules (issue 15, point 1): the local store's own
search tests (tests/test_store.py) run unchanged on a seeded team library, and the two that depend
on the engine's scores are restated for ``ts_rank`` (higher is better, where bm25 is lower)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import test_store as local

from briefer.model import Citation, Fact, Section, Source, SourceKind

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
