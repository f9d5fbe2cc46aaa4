"""A team library's search is one statement (briefer/store/postgres/search.py): one round trip to the
server for each search, whatever its kind, with the facts, their citations and the snippets in it; and
each of its branches (ranked, newest through the index, newest from the newest facts back, and that one's
fallback) gives what the local store's rules say."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from briefer.model import Citation, Fact, Section, Source, SourceKind
from briefer.model.query import FactFilter

pytestmark = pytest.mark.postgres


@contextmanager
def wire(store: Any) -> Iterator[dict[str, int]]:
    """What the store's connection sent and got back meanwhile, read from libpq's protocol trace:
    ``statements`` (Execute and simple Query messages sent) and ``round_trips`` (ReadyForQuery received:
    the client waited for the server once for each)."""
    from psycopg import pq

    counts = {"statements": 0, "round_trips": 0}
    pgconn = store._pg.raw.pgconn
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield counts
        finally:
            pgconn.untrace()
        trace.seek(0)
        for line in trace:
            fields = line.split("\t")
            if len(fields) > 2 and fields[0] == "F" and fields[2].strip() in ("Execute", "Query"):
                counts["statements"] += 1
            elif len(fields) > 2 and fields[0] == "B" and fields[2].strip() == "ReadyForQuery":
                counts["round_trips"] += 1


@pytest.fixture
def seeded(pg_database, tmp_path: Path):  # noqa: ANN001, ANN201
    from briefer.ingest.factpack import open_store

    s = open_store(tmp_path / "data", location=pg_database("seeded"))
    s.add_fact(Fact(id="test-japanese-hq", section="hq-structure", as_of=date(2025, 9, 1),
                    statement="The AI戦略本部 (人工知能戦略本部) met under 石破茂.",
                    citations=[Citation(source="news-kiuchi-hq", quote="Established on September 1")]))
    yield s
    s.close()


#: every kind of search: a word (a long prefix, expanded through the word list), a 2-3 letter prefix,
#: two words, a number, a Japanese name, a filter, and a query with no hit
KINDS = [("Hayashi", None), ("Kiu", None), ("AI strategy", None), ("2025", None), ("人工知能戦略本部", None),
         ("minister", FactFilter(status="disputed")), ("Ishiba", FactFilter(section="us-japan-cooperation")),
         ("zzyzx", None)]


@pytest.mark.parametrize(("text", "flt"), KINDS, ids=[k[0] for k in KINDS])
def test_a_search_is_one_statement_and_one_round_trip(seeded: Any, text: str, flt: FactFilter | None) -> None:
    with wire(seeded) as first:
        hits = seeded.search(text, flt)
    # the first search of its kind on a connection prepares its statement: one more round trip, no more
    assert first["statements"] == 1 and first["round_trips"] <= 2
    with wire(seeded) as again:
        assert seeded.search(text, flt) == hits
    assert again == {"statements": 1, "round_trips": 1}
    if text != "zzyzx":
        # the facts came whole in that one statement: their citations and snippets too
        assert hits and all(h.fact.citations for h in hits)
        assert any("[" in h.snippet for h in hits)


def _fact(fid: str, statement: str, section: str = "risks", quote: str = "a quote") -> Fact:
    return Fact(id=fid, section=section, statement=statement, as_of=date(2025, 1, 1),
                citations=[Citation(source="src", quote=quote)])


@pytest.fixture
def small(pg_database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001, ANN201
    """A library where a word in more than 20 facts is common (RANK_CAP 20: the rule, on a library small
    enough to build quickly).  Facts f-0 … f-44, oldest first:

    * "alpha" in f-0 … f-24 (25 facts: common), f-5 … f-9 in section "other";
    * "zebra" in f-3, f-10, f-22 (rare);
    * "beta" in f-24 … f-44 (21 facts, common: the newest 20 facts and one more);
    * "running" in f-25 … f-34, "runs" in f-35 … f-44 (ten facts each), "run" in f-0 … f-2: one stem,
      "run", in 23 facts (common), though no word form is in more than ten."""
    from briefer.ingest.factpack import open_store
    from briefer.store.postgres import search

    monkeypatch.setattr(search, "RANK_CAP", 20)
    s = open_store(tmp_path / "d", location=pg_database("empty"), seed=False)
    facts = []
    for i in range(45):
        words = []
        if i < 25:
            words.append("alpha")
        if i in (3, 10, 22):
            words.append("zebra")
        if i >= 24:
            words.append("beta")
        if 25 <= i < 35:
            words.append("running")
        if i >= 35:
            words.append("runs")
        if i < 3:
            words.append("run")
        facts.append(_fact(f"f-{i}", f"Fact number {i} says {' '.join(words)}.",
                           section="other" if 5 <= i < 10 else "risks"))
    s.load_pack([Section(id="risks", title="Risks"), Section(id="other", title="Other")],
                [Source(id="src", label="S", kind=SourceKind.OTHER, text="a quote")], facts, [])
    yield s
    s.close()


def _ids(hits: list[Any]) -> list[str]:
    return [h.fact.id for h in hits]


def test_every_term_rare_is_ranked(small: Any) -> None:
    hits = small.search("zebra")
    assert sorted(_ids(hits)) == ["f-10", "f-22", "f-3"] and all(h.score is not None for h in hits)
    assert all("[zebra]" in h.snippet for h in hits)


def test_a_common_term_and_a_rare_one_newest_first(small: Any) -> None:
    hits = small.search("alpha zebra")
    assert _ids(hits) == ["f-22", "f-10", "f-3"] and all(h.score is None for h in hits)


def test_common_terms_newest_first_from_the_newest_facts(small: Any) -> None:
    hits = small.search("beta", limit=4)
    assert _ids(hits) == ["f-44", "f-43", "f-42", "f-41"] and all(h.score is None for h in hits)


def test_common_terms_not_among_the_newest_facts_come_from_the_index(small: Any) -> None:
    # the newest 20 facts hold no "alpha": the first page is found through the index, newest first
    hits = small.search("alpha", limit=4)
    assert _ids(hits) == ["f-24", "f-23", "f-22", "f-21"] and all(h.score is None for h in hits)
    # filters apply before the limit on every branch
    assert _ids(small.search("alpha", FactFilter(section="other"), limit=3)) == ["f-9", "f-8", "f-7"]
    assert _ids(small.search("beta", FactFilter(section="other"))) == []
    assert _ids(small.search("alpha zebra", FactFilter(section="risks"), limit=2)) == ["f-22", "f-10"]


def test_a_term_common_only_through_its_word_forms_is_not_ranked(small: Any) -> None:
    # "running" is in 10 facts by the word list, but its stem "run" in 23 (running, runs, run): the engine
    # would rank 23 matches, more than the cap, so the search is newest first
    hits = small.search("running", limit=3)
    assert _ids(hits) == ["f-44", "f-43", "f-42"] and all(h.score is None for h in hits)
    # a page longer than the newest facts hold of it (20 of its 23): the whole page through the index, newest first
    hits = small.search("running", limit=25)
    assert _ids(hits) == [f"f-{i}" for i in range(44, 24, -1)] + ["f-2", "f-1", "f-0"]
    assert _ids(small.search("running", FactFilter(section="risks"), limit=2)) == ["f-44", "f-43"]
    # one word form alone, rare enough: ranked
    assert all(h.score is not None for h in small.search("zebr"))


def test_a_search_without_snippets_finds_the_same_facts_on_every_branch(small: Any) -> None:
    """Ranked, newest through the index, newest from the newest facts back and its fallback: without
    snippets, the same hits in the same order, each with an empty snippet, in one statement with no
    ts_headline in it (the server's costliest part of a page: ~24 us a row)."""
    from briefer.store.postgres.search import fts_statement

    for text, flt, limit in [("zebra", None, 20), ("alpha zebra", None, 20), ("beta", None, 4), ("alpha", None, 4),
                             ("alpha", FactFilter(section="other"), 3), ("running", None, 25), ("zebr", None, 20)]:
        shown = small.search(text, flt, limit=limit)
        with wire(small) as sent:
            counted = small.search(text, flt, limit=limit, snippets=False)
        assert shown and [(h.fact, h.score) for h in counted] == [(h.fact, h.score) for h in shown], text
        assert all(h.snippet == "" for h in counted) and all(h.snippet for h in shown), text
        assert sent["statements"] == 1, text
    sql, _ = fts_statement('"alpha" "zeb"*', "1 = 1", [], 20, snippets=False)  # type: ignore[misc]
    assert "ts_headline" not in sql and "ts_headline" in fts_statement('"alpha" "zeb"*', "1 = 1", [], 20)[0]  # type: ignore[index]
