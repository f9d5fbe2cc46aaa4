"""The fact store: creation, migrations, refusing newer/corrupt files, writing, search."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from briefer.domain.models import Citation, Fact
from briefer.errors import NotFoundError, SchemaTooNewError, StoreError
from briefer.ingest.factpack import open_store
from briefer.store import migrations
from briefer.store.db import DB_NAME, RANK_CAP, FactFilter, fts_query


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_new_store_is_seeded_from_the_pack_in_wal_mode(tmp_path: Path) -> None:
    with open_store(tmp_path / "new") as s:
        assert s.schema_version == migrations.LATEST
        assert s.fact_count() >= 80
        assert len(s.sources()) == 5
        mode = s._conn.execute("PRAGMA journal_mode").fetchone()[0]
        assert mode == "wal"


def test_the_store_never_creates_an_empty_store_unless_told(tmp_path: Path, data_dir: Path) -> None:
    """The store does not read the fact pack (ingest does): opened without a loader, a new
    store is refused rather than left empty; seed=False makes an empty one on purpose."""
    from briefer.store import db

    with pytest.raises(TypeError, match="seed="):
        db.open_store(tmp_path / "new")
    assert not (tmp_path / "new" / DB_NAME).exists()
    with db.open_store(tmp_path / "new", seed=False) as s:
        assert s.fact_count() == 0 and s.sections() == []
    with db.open_store(data_dir) as s:  # a store that holds facts opens without one
        assert s.fact_count() >= 80


def _make_v1_store(path: Path) -> None:
    """A store as the first release wrote it: schema 1 with one fact."""
    conn = sqlite3.connect(path, isolation_level=None)
    for stmt in migrations.MIGRATIONS[1].split(";"):
        if stmt.strip():
            conn.execute(stmt)
    conn.execute("INSERT INTO sections (id, title, ord) VALUES ('risks', 'Risks', 40)")
    conn.execute("INSERT INTO sources (id, label, kind, text)"
                 " VALUES ('s1', 'A note', 'other', 'The sky is blue today.')")
    conn.execute("INSERT INTO facts (id, section, statement, as_of)"
                 " VALUES ('sky-blue', 'risks', 'The sky was blue.', '2025-01-02')")
    conn.execute("INSERT INTO citations (fact, pos, source, quote) VALUES (1, 0, 's1', 'The sky is blue')")
    conn.execute("INSERT INTO fact_fts (rowid, statement, quotes, tags, sources)"
                 " VALUES (1, 'The sky was blue.', 'The sky is blue', '', 'A note')")
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def test_opening_an_older_schema_migrates_it_and_keeps_a_backup(tmp_path: Path) -> None:
    d = tmp_path / "data"
    d.mkdir()
    _make_v1_store(d / DB_NAME)
    before = _digest(d / DB_NAME)
    with open_store(d) as s:
        assert s.schema_version == migrations.LATEST
        assert s.fact("sky-blue").statement == "The sky was blue."
        assert s.fact_count() == 1  # an existing store is not re-seeded
        s.history("sky-blue")  # the table added by a later migration exists
    backups = list(d.glob(f"{DB_NAME}.v1-*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as b:
        assert b.execute("PRAGMA user_version").fetchone()[0] == 1
        assert b.execute("SELECT statement FROM facts").fetchone()[0] == "The sky was blue."
    assert before  # the original was read, then upgraded in place


def test_a_failed_migration_leaves_the_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "data"
    d.mkdir()
    _make_v1_store(d / DB_NAME)
    monkeypatch.setitem(migrations.MIGRATIONS, 2, "CREATE TABLE broken (;")
    import briefer.store.db as db

    monkeypatch.setattr(db, "MIGRATIONS", migrations.MIGRATIONS)
    with pytest.raises(StoreError, match="schema 2"):
        open_store(d)
    with sqlite3.connect(d / DB_NAME) as c:
        assert c.execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_store_from_a_newer_briefer_is_refused_and_untouched(tmp_path: Path) -> None:
    d = tmp_path / "data"
    with open_store(d):
        pass
    with sqlite3.connect(d / DB_NAME) as c:
        c.execute(f"PRAGMA user_version = {migrations.LATEST + 1}")
    c.close()
    for extra in d.glob(f"{DB_NAME}-*"):
        extra.unlink()
    before, names = _digest(d / DB_NAME), sorted(p.name for p in d.iterdir())
    with pytest.raises(SchemaTooNewError, match="newer Briefer"):
        open_store(d)
    assert _digest(d / DB_NAME) == before
    assert sorted(p.name for p in d.iterdir()) == names  # the refused open added nothing


@pytest.mark.parametrize("content", [b"this is not a database\n" * 10, b"SQLite format 3\x00" + b"\xff" * 5000])
def test_a_corrupt_store_is_reported_and_left_as_it_was(tmp_path: Path, content: bytes) -> None:
    d = tmp_path / "data"
    d.mkdir()
    (d / DB_NAME).write_bytes(content)
    with pytest.raises(StoreError, match="left as it is"):
        open_store(d)
    assert (d / DB_NAME).read_bytes() == content
    assert sorted(p.name for p in d.iterdir()) == [DB_NAME]


def test_a_folder_where_the_database_should_be(tmp_path: Path) -> None:
    d = tmp_path / "data"
    (d / DB_NAME).mkdir(parents=True)
    with pytest.raises(StoreError, match="is a folder"):
        open_store(d)


def test_a_data_folder_that_is_a_file_or_cannot_be_made(tmp_path: Path) -> None:
    f = tmp_path / "afile"
    f.write_text("x")
    with pytest.raises(StoreError, match="is a file"):
        open_store(f)
    with pytest.raises(StoreError, match="cannot create the data folder"):
        open_store(f / "sub")
    assert f.read_text() == "x"


def _fact(fid: str, statement: str, quote: str = "Established on September 1", **kw) -> Fact:
    return Fact(id=fid, section=kw.pop("section", "hq-structure"), statement=statement,
                citations=[Citation(source="news-kiuchi-hq", quote=quote)], as_of=date(2025, 9, 1), **kw)


def test_add_update_delete_keep_history_and_search_in_step(store) -> None:
    store.add_fact(_fact("test-zebra-fact", "Zebras were consulted on the plan."), analyst="A. Analyst")
    assert [h.fact.id for h in store.search("zebras")] == ["test-zebra-fact"]
    new = _fact("test-zebra-fact", "Giraffes were consulted on the plan.")
    store.update_fact("test-zebra-fact", new, analyst="B. Analyst")
    assert store.search("zebras") == []
    assert [h.fact.id for h in store.search("giraffe")] == ["test-zebra-fact"]
    store.delete_fact("test-zebra-fact")
    assert store.search("giraffe") == []
    hist = store.history("test-zebra-fact")
    assert [h["action"] for h in hist] == ["add", "edit", "delete"]
    assert hist[1]["analyst"] == "B. Analyst"
    assert hist[1]["before"]["statement"] == "Zebras were consulted on the plan."
    with pytest.raises(NotFoundError):
        store.fact("test-zebra-fact")


def test_a_failed_write_changes_nothing(store) -> None:
    n = store.fact_count()
    with pytest.raises(NotFoundError, match="unknown source"):
        store.add_fact(Fact(id="bad-source-fact", section="risks", statement="A fact with a bad source.",
                            citations=[Citation(source="no-such-source", quote="whatever")], as_of=date(2025, 1, 1)))
    with pytest.raises(NotFoundError, match="section"):
        store.add_fact(_fact("bad-section-fact", "A fact in a section that is not there.", section="nowhere"))
    assert store.fact_count() == n
    assert store.search("bad source") == []


# -- search ------------------------------------------------------------------------------------


def test_search_matches_english_word_forms(store) -> None:
    hits = store.search("penalty")
    assert hits, "searching 'penalty' must find facts saying 'penalties'"
    assert any("penalties" in (h.fact.statement + " ".join(c.quote for c in h.fact.citations)).lower()
               for h in hits)


def test_search_finds_names_and_prefixes_and_ranks(store) -> None:
    ids = [h.fact.id for h in store.search("Kiuchi")]
    assert "hq-responsible-minister-disputed" in ids
    prefix = [h.fact.id for h in store.search("Kiu")]
    assert set(ids) <= set(prefix)
    hits = store.search("Hayashi", limit=3)
    assert len(hits) == 3 and all(h.score is not None for h in hits)
    assert [h.score for h in hits] == sorted(h.score for h in hits)  # bm25: lower is better
    assert "[Hayashi]" in " ".join(h.snippet for h in hits)


def test_search_filters(store) -> None:
    hits = store.search("Ishiba", FactFilter(section="us-japan-cooperation"))
    assert hits and all(h.fact.section == "us-japan-cooperation" for h in hits)
    hits = store.search("minister", FactFilter(status="disputed"))
    assert hits and all(str(h.fact.status) == "disputed" for h in hits)
    hits = store.search("AI", FactFilter(source="ichikawa-white-paper"), limit=50)
    assert hits and all("ichikawa-white-paper" in h.fact.source_ids for h in hits)


def test_search_finds_japanese_substrings(store) -> None:
    store.add_fact(_fact("test-japanese-hq", "The AI戦略本部 (人工知能戦略本部) met under 石破茂.",
                         tags=["person:Shigeru Ishiba"]))
    for q in ("戦略本部", "戦略", "石破茂", "人工知能"):
        assert [h.fact.id for h in store.search(q)] == ["test-japanese-hq"], q
    assert store.search("本部長") == []
    assert [h.fact.id for h in store.search("Ishiba 石破")] == ["test-japanese-hq"]


@pytest.mark.parametrize("query", ['"', '*', '-', '(', ':', 'a"b', '"penalty', 'NEAR(', 'AND', 'OR NOT',
                                   'minister:', '-penalty', '(risk', '^', 'law*', "'", "\\", "%", "_", "\x00"])
def test_search_does_not_choke_on_fts_syntax(store, query: str) -> None:
    store.search(query)  # must not raise


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('penalty "AND" (risk') == '"penalty" "AND" "risk"*'
    assert fts_query("*-:") is None


def test_common_terms_are_not_ranked_but_newest_first(tmp_path: Path) -> None:
    with open_store(tmp_path / "big", seed=False) as s:
        with s.transaction() as c:
            c.execute("INSERT INTO sections (id, title, ord) VALUES ('risks', 'Risks', 1)")
            c.execute("INSERT INTO sources (id, label, kind, text) VALUES ('s', 'S', 'other', 'common word')")
            for i in range(RANK_CAP + 500):
                s._write_fact(c, Fact.model_construct(
                    id=f"f-{i}", section="risks", statement=f"A common word number {i}.", as_of=date(2025, 1, 1),
                    status="current", priority=3, notes="", superseded_by=None, tags=[],
                    citations=[Citation.model_construct(source="s", quote="common word", location="", claim=None,
                                                         credibility=None)]))
        hits = s.search("common", limit=10)
        # too common to rank (bm25 would count every match): the newest matches come first, unscored
        assert [h.fact.id for h in hits] == [f"f-{i}" for i in range(RANK_CAP + 499, RANK_CAP + 489, -1)]
        assert all(h.score is None for h in hits)
        assert "[common]" in hits[0].snippet
        # a rarer term in the same store is ranked
        ranked = s.search("2077", limit=5)
        assert [h.fact.id for h in ranked] == ["f-2077"] and ranked[0].score is not None


def test_long_and_one_letter_prefixes_expand_to_whole_words(store) -> None:
    assert "hq-responsible-minister-disputed" in [h.fact.id for h in store.search("Jonou")]
    assert store.search("penalt") and store.search("p")
    assert store.search("Jonouchiz") == []


def test_the_word_list_follows_edits_and_deletes(store) -> None:
    def n(word: str) -> int:
        row = store._conn.execute("SELECT n FROM fts_words WHERE word = ?", (word,)).fetchone()
        return row[0] if row else 0

    store.add_fact(_fact("test-okapi-fact", "Okapis were briefed on the plan."))
    assert n("okapis") == 1
    assert [h.fact.id for h in store.search("okap")] == ["test-okapi-fact"]
    store.update_fact("test-okapi-fact", _fact("test-okapi-fact", "Tapirs were briefed on the plan."))
    assert (n("okapis"), n("tapirs")) == (0, 1)
    assert store.search("okap") == []
    store.delete_fact("test-okapi-fact")
    assert n("tapirs") == 0


def test_migrating_an_older_store_fills_the_word_list(tmp_path: Path) -> None:
    d = tmp_path / "data"
    d.mkdir()
    _make_v1_store(d / DB_NAME)
    with open_store(d) as s:
        assert s._conn.execute("SELECT n FROM fts_words WHERE word = 'sky'").fetchone()["n"] == 1
        assert [h.fact.id for h in s.search("Skyw")] == []
        assert [h.fact.id for h in s.search("sky")] == ["sky-blue"]


def test_filters_by_source_reliability_and_citation_credibility(store) -> None:
    b_only = store.facts(FactFilter(reliability="AB"))
    assert b_only and all("ichikawa-white-paper" in f.source_ids for f in b_only)
    assert store.facts(FactFilter(reliability="A")) == []
    assert store.facts(FactFilter(min_credibility=2)) == []  # the pack grades no citation yet
    fact = store.fact("hq-established-sept-1")
    fact.citations[0].credibility = 2
    store.update_fact(fact.id, fact)
    assert [f.id for f in store.facts(FactFilter(min_credibility=2))] == ["hq-established-sept-1"]
    assert store.facts(FactFilter(min_credibility=1)) == []


def test_every_field_of_a_fact_has_its_column(store) -> None:
    """A field added to the model without a migration fails here, not in a user's store."""
    from briefer.model import Fact
    from briefer.store.sqlite_base import FACT_FIELDS

    assert set(FACT_FIELDS) == set(Fact.model_fields) - {"citations"}
    columns = {r["name"] for r in store._conn.execute("PRAGMA table_info(facts)")}
    assert set(FACT_FIELDS) <= columns
