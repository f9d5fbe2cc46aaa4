"""The store contract: one suite of behaviour that every backend of
:class:`briefer.store.api.FactStore` must show.  Today there is one backend
(SQLite); issue 15 adds PostgreSQL to ``BACKENDS``.

The tests use only the interface, on a small pack of their own (not the
shipped fact pack), so a new backend runs them unchanged.  The last test keeps
SQL, connections and the store's private methods inside ``briefer/store``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from briefer.errors import NotFoundError, StoreError
from briefer.model import Citation, Fact, FactStatus, GlossaryEntry, Section, Source, SourceKind
from briefer.model.editions import EditionFact
from briefer.model.query import FactFilter
from briefer.model.records import Resolution
from briefer.store.api import FactStore

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Backend:
    name: str
    #: open (creating, empty) the store of a data folder
    open: Callable[[Path], FactStore]
    #: replace the data folder's store with a backup's (the store closed)
    restore: Callable[[Path, Path], object]


def _sqlite_open(data_dir: Path) -> FactStore:
    from briefer.store.db import open_store

    return open_store(data_dir, seed=False)


def _sqlite_restore(data_dir: Path, archive: Path) -> object:
    from briefer.store.restore import restore_backup

    return restore_backup(data_dir, archive, force=True)


def _postgresql(request: pytest.FixtureRequest) -> Backend:
    """A team library on the test cluster: a fresh database for each test, its data folder beside."""
    from briefer.store.db import open_store
    from briefer.store.team_backup import restore_team

    url = request.getfixturevalue("pg_database")("empty")
    return Backend("postgresql", lambda data_dir: open_store(data_dir, seed=False, location=url),
                   lambda data_dir, archive: restore_team(data_dir, url, archive, force=True))


#: the backends, each a name and how a test gets one
BACKENDS = [
    pytest.param(lambda request: Backend("sqlite", _sqlite_open, _sqlite_restore), id="sqlite"),
    pytest.param(_postgresql, id="postgresql", marks=pytest.mark.postgres),
]

TEXT_A = ("The Act on the Promotion of Research, Development and Utilization of AI-Related Technologies was "
          "passed by the Diet on 28 May 2025. The AI Strategy Headquarters is chaired by the Prime Minister.")
TEXT_B = "人工知能関連技術の研究開発及び活用の推進に関する法律が成立した。本部長は内閣総理大臣である。"

SECTIONS = [Section(id="law-summary", title="The law", order=1), Section(id="hq-structure", title="HQ", order=2)]
SOURCES = [
    Source(id="src-a", label="Act summary", title="Summary of the Act", kind=SourceKind.OFFICIAL_DOCUMENT,
           reliability="A", text=TEXT_A),
    Source(id="src-b", label="Japanese text", kind=SourceKind.OFFICIAL_DOCUMENT, language="ja", text=TEXT_B),
]
GLOSSARY = [GlossaryEntry(id="ai-promotion-act", kind="law", name="AI Promotion Act", aliases=["AI Act"])]


def _fact(fid: str, statement: str, *, section: str = "law-summary", source: str = "src-a",
          quote: str = "passed by the Diet on 28 May 2025", **extra: object) -> Fact:
    return Fact(id=fid, section=section, statement=statement, as_of=date(2025, 6, 1),
                citations=[Citation(source=source, quote=quote, location="para. 1")], **extra)  # type: ignore[arg-type]


FACTS = [
    _fact("act-passed", "The Diet passed the AI Promotion Act on 28 May 2025.", tags=["law:AI Promotion Act"],
          priority=5),
    _fact("hq-chair", "The Prime Minister chairs the AI Strategy Headquarters.", section="hq-structure",
          quote="chaired by the Prime Minister"),
    _fact("hq-chair-ja", "本部長は内閣総理大臣であると法律は定める。", section="hq-structure", source="src-b",
          quote="本部長は内閣総理大臣である"),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> Backend:
    return request.param(request)  # type: ignore[no-any-return]


@pytest.fixture
def store(backend: Backend, tmp_path: Path) -> Iterator[FactStore]:
    s = backend.open(tmp_path / "data")
    s.load_pack(SECTIONS, SOURCES, [f.model_copy(deep=True) for f in FACTS], GLOSSARY)
    yield s
    s.close()


def test_every_backend_offers_the_whole_interface(store: FactStore) -> None:
    members = [n for n in vars(FactStore) if not n.startswith("_") or n in ("__enter__", "__exit__")]
    missing = [n for n in members if not callable(getattr(type(store), n, None))
               and not isinstance(getattr(type(store), n, None), property)]
    assert missing == []
    assert {"path", "damaged", "notices"} <= set(vars(store))


# -- facts -----------------------------------------------------------------------------------------


def test_facts_read_back_as_written(store: FactStore) -> None:
    assert store.fact_ids() == {"act-passed", "hq-chair", "hq-chair-ja"}
    assert store.fact_count() == 3
    assert store.fact("act-passed").model_dump() == FACTS[0].model_dump()
    assert [f.id for f in store.facts(FactFilter(section="hq-structure"))] == ["hq-chair", "hq-chair-ja"]
    assert store.count(FactFilter(min_priority=5)) == 1
    assert store.facts_by_ids(["hq-chair", "nope"]).keys() == {"hq-chair"}
    assert store.tags() == [("law:AI Promotion Act", 1)]
    assert store.section_counts() == {"law-summary": 1, "hq-structure": 2}
    assert [s.id for s in store.sections()] == ["law-summary", "hq-structure"]


def _listed(fact: Fact) -> tuple[object, ...]:
    """What the library's list shows of a fact (briefer.model.rows.FactRow's fields, in order)."""
    return (fact.id, fact.section, fact.statement, fact.as_of, str(fact.status), fact.priority, fact.superseded_by,
            tuple(fact.tags), tuple(fact.source_ids))


def test_the_librarys_light_rows_list_what_its_facts_say(store: FactStore) -> None:
    # a fact citing two sources (one of them twice) and a superseded one, beside the pack's three
    store.add_fact(_fact("hq-law", "The law makes the Prime Minister the Headquarters' chair.", section="hq-structure",
                         tags=["law:AI Promotion Act", "body:AI Strategy Headquarters"], priority=4))
    both = store.fact("hq-law")
    both.citations = [Citation(source="src-b", quote="本部長は内閣総理大臣である"), *both.citations,
                      Citation(source="src-b", quote="法律が成立した")]
    store.update_fact("hq-law", both)
    old = store.fact("hq-chair")
    old.status, old.superseded_by = FactStatus.SUPERSEDED, "hq-law"
    store.update_fact("hq-chair", old)
    for flt in (None, FactFilter(section="hq-structure"), FactFilter(source="src-b"), FactFilter(status="superseded"),
                FactFilter(tag="law:AI Promotion Act"), FactFilter(min_priority=4)):
        for order in ("section", "priority", "date"):
            for limit in (None, 2):
                rows = store.library_rows(flt, order=order, limit=limit)
                assert [tuple(r) for r in rows] == \
                    [_listed(f) for f in store.facts(flt, order=order, limit=limit)], (flt, order, limit)
    by_id = {r.id: r for r in store.library_rows()}
    assert by_id["hq-law"].source_ids == ("src-b", "src-a")
    assert (by_id["hq-chair"].status, by_id["hq-chair"].superseded_by) == ("superseded", "hq-law")
    assert [(s.id, s.title, s.description, s.order) for s in store.section_rows()] == \
        [(s.id, s.title, s.description, s.order) for s in store.sections()]
    assert [(s.id, s.title, s.label, s.file, s.display_title) for s in store.source_rows()] == \
        [(s.id, s.title, s.label, s.file, s.display_title) for s in store.sources()]


def test_add_edit_delete_keep_a_history(store: FactStore) -> None:
    new = _fact("act-date", "The Act was passed by the Diet on 28 May 2025 after a long debate.")
    store.add_fact(new, analyst="ana")
    edited = new.model_copy(update={"statement": "The Diet passed the Act on 28 May 2025."})
    store.update_fact("act-date", edited, analyst="bo")
    assert store.fact("act-date").statement == "The Diet passed the Act on 28 May 2025."
    store.delete_fact("act-date", analyst="cy")
    with pytest.raises(NotFoundError):
        store.fact("act-date")
    history = store.history("act-date")
    assert [(h["action"], h["analyst"]) for h in history] == [("add", "ana"), ("edit", "bo"), ("delete", "cy")]
    assert history[1]["before"]["statement"] == new.statement
    assert history[1]["after"]["statement"] == edited.statement
    assert history[2]["after"] is None


def test_a_fact_is_refused_when_its_id_section_or_source_is_wrong(store: FactStore) -> None:
    with pytest.raises(StoreError, match="already exists"):
        store.add_fact(FACTS[0])
    with pytest.raises(NotFoundError, match="section"):
        store.add_fact(_fact("elsewhere", "A fact in a section nobody made.", section="no-such-section"))
    with pytest.raises(NotFoundError, match="unknown source"):
        store.add_fact(_fact("unsourced", "A fact citing a source nobody added.", source="no-such-source"))
    assert store.fact_count() == 3


def test_a_renamed_fact_keeps_the_facts_it_replaces(store: FactStore) -> None:
    old = store.fact("hq-chair").model_copy(update={"status": FactStatus.SUPERSEDED, "superseded_by": "act-passed"})
    store.update_fact("hq-chair", old)
    assert store.superseding("act-passed") == ["hq-chair"]
    store.update_fact("act-passed", store.fact("act-passed").model_copy(update={"id": "act-passed-may"}))
    assert store.fact("hq-chair").superseded_by == "act-passed-may"
    assert store.superseding("act-passed-may") == ["hq-chair"]


def test_an_edit_records_the_action_it_is_given(store: FactStore) -> None:
    fact = store.fact("hq-chair")
    store.update_fact("hq-chair", fact.model_copy(update={"priority": 2}), analyst="ana", action="restore 1")
    assert store.history("hq-chair")[-1]["action"] == "restore 1"


# -- search ----------------------------------------------------------------------------------------


def test_search_finds_words_prefixes_and_japanese(store: FactStore) -> None:
    assert [h.fact.id for h in store.search("Prime Minister")] == ["hq-chair"]
    hit = store.search("headquar")[0]  # the last word is a prefix
    assert hit.fact.id == "hq-chair" and "[Headquarters]" in hit.snippet
    assert [h.fact.id for h in store.search("内閣総理大臣")] == ["hq-chair-ja"]
    assert store.search("nothing-like-this") == []


def test_search_filters_before_the_limit(store: FactStore) -> None:
    for i in range(5):
        store.add_fact(_fact(f"diet-{i}", f"The Diet debated the Act, sitting number {i}."))
    store.add_fact(_fact("hq-diet", "The Diet heard the Headquarters report.", section="hq-structure"))
    hits = store.search("Diet", FactFilter(section="hq-structure"), limit=1)
    assert [h.fact.id for h in hits] == ["hq-diet"]


def test_a_search_without_snippets_finds_the_same_facts_in_the_same_order(store: FactStore) -> None:
    """A search that only counts (the window's section counts) asks for no snippet: the same hits, in the
    same order, with the same scores, each with an empty snippet."""
    for i in range(4):
        store.add_fact(_fact(f"diet-{i}", f"The Diet debated the Act 内閣総理大臣, sitting number {i}.",
                             section=SECTIONS[i % 2].id, priority=1 + i))
    for text, flt in [("Diet", None), ("headquar", None), ("Prime Minister", None), ("Di", None),
                      ("内閣総理大臣", None), ("Diet 内閣総理大臣", None), ("Diet", FactFilter(section="hq-structure")),
                      ("内閣総理大臣", FactFilter(min_priority=3)), ("nothing-like-this", None)]:
        shown = store.search(text, flt, limit=3)
        counted = store.search(text, flt, limit=3, snippets=False)
        assert [(h.fact, h.score) for h in counted] == [(h.fact, h.score) for h in shown], text
        assert all(h.snippet == "" for h in counted), text
        assert text == "nothing-like-this" or (shown and all(h.snippet for h in shown)), text


def test_a_japanese_names_facts_come_by_their_priority_as_it_is_now(store: FactStore) -> None:
    """The Japanese lookup orders by priority, with the filters before the limit; a fact whose priority
    an edit changed is ordered by its new one at once."""
    for i, p in enumerate([2, 5, 1, 4]):
        store.add_fact(_fact(f"ja-{i}", f"内閣総理大臣が会議{i}を開いた。", section=SECTIONS[i % 2].id,
                             source="src-b", quote="本部長は内閣総理大臣である", priority=p))
    ids = [h.fact.id for h in store.search("内閣総理大臣", limit=10)]
    assert ids == ["ja-1", "ja-3", "hq-chair-ja", "ja-0", "ja-2"]  # hq-chair-ja: priority 3, the default
    store.update_fact("ja-2", store.fact("ja-2").model_copy(update={"priority": 5}), analyst="test")
    store.update_fact("ja-1", store.fact("ja-1").model_copy(update={"priority": 1}), analyst="test")
    assert [h.fact.id for h in store.search("内閣総理大臣", limit=3)] == ["ja-2", "ja-3", "hq-chair-ja"]
    assert [h.fact.id for h in store.search("内閣総理大臣", FactFilter(section="hq-structure"), limit=2)] == [
        "ja-3", "hq-chair-ja"]
    assert [h.fact.id for h in store.search("総理", FactFilter(min_priority=4), limit=5)] == ["ja-2", "ja-3"]


# -- sources and glossary -------------------------------------------------------------------------


def test_sources_are_added_corrected_and_remembered(store: FactStore) -> None:
    src = Source(id="src-c", label="A newsletter", kind=SourceKind.NEWSLETTER_ANALYSIS, text="Some text here.")
    store.add_source(src, analyst="ana")
    with pytest.raises(StoreError, match="already exists"):
        store.add_source(src, analyst="ana")
    before = store.update_source(src.model_copy(update={"reliability": "B", "text": "ignored"}), analyst="bo")
    assert before.reliability == "F"
    assert store.source("src-c").reliability == "B"
    assert store.source("src-c").text == "Some text here."  # a source's text never changes
    assert [(h["action"], h["analyst"]) for h in store.source_history("src-c")] == [("add", "ana"), ("edit", "bo")]
    assert [s.id for s in store.sources()] == ["src-a", "src-b", "src-c"]
    assert store.sources()[0].text == "" and store.sources(with_text=True)[0].text == TEXT_A
    with pytest.raises(NotFoundError):
        store.source("no-such-source")


def test_imported_sources_are_found_by_their_text(store: FactStore) -> None:
    import hashlib

    assert store.source_hashes()[hashlib.sha256(TEXT_A.encode()).hexdigest()] == "src-a"
    store.record_source_import("src-a", analyst="ana", original_name="act.pdf", format="pdf", encoding="",
                               removed=[{"kind": "comment", "text": "First!"}])
    record = store.source_import("src-a")
    assert record is not None
    assert (record["original_name"], record["format"], record["removed"]) == (
        "act.pdf", "pdf", [{"kind": "comment", "text": "First!"}])
    assert store.source_import("src-b") is None


def test_glossary_entries_and_aliases(store: FactStore) -> None:
    store.add_glossary_entry(GlossaryEntry(id="ai-hq", kind="body", name="AI Strategy Headquarters"))
    store.set_aliases("ai-hq", ["AI HQ", "Headquarters"])
    assert {g.id: g.aliases for g in store.glossary()} == {"ai-promotion-act": ["AI Act"],
                                                          "ai-hq": ["AI HQ", "Headquarters"]}
    with pytest.raises(NotFoundError):
        store.set_aliases("nobody", [])


# -- curation records ---------------------------------------------------------------------------------


def test_conflict_resolutions_are_kept_and_forgotten(store: FactStore) -> None:
    res = Resolution(key="k1", kind="date", subject="passage", action="dismiss", fact_id="act-passed",
                     other_fact_id=None, alias=None, reason="same event", analyst="ana",
                     resolved_at="2025-06-02T10:00:00+00:00")
    store.record_resolution(res)
    assert store.resolutions() == {"k1": res}
    store.forget_resolution("k1")
    assert store.resolutions() == {}
    with pytest.raises(NotFoundError):
        store.forget_resolution("k1")


def test_import_candidates_wait_for_a_decision(store: FactStore) -> None:
    cid = store.add_candidate("src-a", 3, "The Act passed in May.", "passed by the Diet", "para. 1", "law-summary",
                              ["a date"], 0.8, date(2025, 5, 28), ["law:AI Promotion Act"], [])
    assert [c.id for c in store.candidates()] == [cid]
    cand = store.candidate(cid)
    assert (cand.statement, cand.as_of, cand.tags, cand.status) == (
        "The Act passed in May.", date(2025, 5, 28), ["law:AI Promotion Act"], "pending")
    store.decide_candidate(cid, "accepted", analyst="ana", fact_id="act-passed")
    assert store.candidates() == []
    assert [(c.status, c.fact_id) for c in store.candidates(status="accepted")] == [("accepted", "act-passed")]
    with pytest.raises(NotFoundError):
        store.candidate(cid + 100)


def test_an_import_stores_its_candidates_at_once_in_order_as_one_at_a_time_would(store: FactStore) -> None:
    one = store.add_candidate("src-a", 0, "The Act passed in May.", "passed by the Diet", "para. 1", "law-summary",
                              ["Act"], 2.0, date(2025, 5, 28), [], [])
    near = [{"fact": "act-passed", "similarity": 0.86, "why": "says much the same"}]
    store.add_candidates("src-b", [
        (0, "The Headquarters meets monthly.", "meets monthly", "para. 2", "hq", ["Headquarters"], 3.0, None,
         ["body:AI Strategy Headquarters"], near, "pending", None),
        (1, "Rejected \u201cstatement\u201d.", "rejected", "para. 3, under \u201cRisks\u201d", None, [], 2.5,
         date(2025, 9, 1), [], [], "rejected", None),
        (2, "Accepted statement here.", "accepted", "para. 4", "risks", ["risk"], 4.0, date(2025, 6, 4), [], [],
         "accepted", "act-passed"),
    ], analyst="ana")
    got = store.candidates(status=None)
    assert [(c.source, c.pos) for c in got] == [("src-a", 0), ("src-b", 0), ("src-b", 1), ("src-b", 2)]
    assert [c.id for c in got] == [one, one + 1, one + 2, one + 3]
    first = got[1]
    assert (first.statement, first.section, first.reason, first.score, first.as_of, first.tags, first.near,
            first.status, first.decided_at) == ("The Headquarters meets monthly.", "hq", ["Headquarters"], 3.0, None,
                                                ["body:AI Strategy Headquarters"], near, "pending", None)
    assert (got[2].location, got[2].section, got[2].status, got[2].as_of) == (
        "para. 3, under \u201cRisks\u201d", None, "rejected", date(2025, 9, 1))
    assert (got[3].status, got[3].fact_id, got[3].analyst) == ("accepted", "act-passed", "ana")
    assert got[2].decided_at and got[3].decided_at and all(c.created_at for c in got)
    assert [c.pos for c in store.candidates(source="src-b")] == [0]
    store.add_candidates("src-c", [], analyst="ana")  # nothing to store: nothing stored
    assert len(store.candidates(status=None)) == 4


# -- editions and template names ------------------------------------------------------------------------


def _edition_fact(fid: str) -> EditionFact:
    return EditionFact(fact_id=fid, section="law-summary", statement="s", status="current", statement_hash="a",
                       citations_hash="b")


def test_editions_are_numbered_per_template_and_follow_a_rename(store: FactStore) -> None:
    first = store.record_edition("Weekly", exported_on=date(2025, 6, 1), title="W1", facts=[_edition_fact("x")])
    second = store.record_edition("Weekly", exported_on=date(2025, 6, 8), title="W2",
                                  facts=[_edition_fact("x"), _edition_fact("y")])
    store.record_edition("Other", exported_on=date(2025, 6, 8), title="O1", facts=[_edition_fact("y")])
    assert (first.number, second.number) == (1, 2)
    latest = store.latest_edition("Weekly")
    assert latest is not None and latest.title == "W2" and latest.fact_ids() == ["x", "y"]
    assert [e.title for e in store.editions("Weekly")] == ["W2", "W1"]
    assert {e.title for e in store.editions_using("y")} == {"W2", "O1"}
    assert store.rename_template("Weekly", "Monthly") == 2
    assert store.latest_edition("Weekly") is None
    assert [e.number for e in store.editions("Monthly")] == [2, 1]


def test_editions_are_keyed_by_the_template_id_and_survive_a_rename_nobody_told_the_store(
        store: FactStore) -> None:
    """A template's file renamed by hand: the store never hears of it, and the editions still follow the id."""
    day = date(2025, 6, 1)
    store.record_edition("Weekly", exported_on=day, title="W1", facts=[_edition_fact("x")], template_id="t-1")
    # the same template, now called "Monthly": found by its id, numbered after its earlier edition
    latest = store.latest_edition("Monthly", "t-1")
    assert latest is not None and latest.title == "W1" and latest.template_id == "t-1"
    second = store.record_edition("Monthly", exported_on=day, title="M2", facts=[_edition_fact("y")],
                                  template_id="t-1")
    assert second.number == 2
    assert [(e.template, e.number) for e in store.editions("Monthly", "t-1")] == [("Monthly", 2), ("Monthly", 1)]
    # another template now called "Weekly" starts its own editions; the name shows the newer one's
    other = store.record_edition("Weekly", exported_on=day, title="N1", facts=[_edition_fact("z")],
                                 template_id="t-2")
    assert other.number == 1 and store.latest_edition("Weekly", "t-2").title == "N1"  # type: ignore[union-attr]
    assert store.latest_edition("Monthly", "t-1").title == "M2"  # type: ignore[union-attr]
    # an edition recorded without an id (before ids) is found by its name, and adopted by the id that
    # records next under that name
    store.record_edition("Old", exported_on=day, title="O1", facts=[_edition_fact("x")])
    assert store.latest_edition("Old", "t-3").title == "O1"  # type: ignore[union-attr]
    assert store.record_edition("Old", exported_on=day, title="O2", facts=[], template_id="t-3").number == 2
    assert [e.template_id for e in store.editions("Old", "t-3")] == ["t-3", "t-3"]
    # a rename the store is told of, with the id: the editions show the new name
    assert store.rename_template("Monthly", "Quarterly", "t-1") == 2
    assert {e.template for e in store.editions(template_id="t-1")} == {"Quarterly"}


def test_an_edition_whose_export_fails_is_not_recorded(store: FactStore) -> None:
    with pytest.raises(OSError), store.recording_edition("Weekly", exported_on=date(2025, 6, 1), title="W1",
                                                         facts=[_edition_fact("x")]):
        raise OSError("disk full")
    assert store.editions() == []


# -- transactions ------------------------------------------------------------------------------------------


def test_a_transaction_lands_whole_or_not_at_all(store: FactStore) -> None:
    with pytest.raises(RuntimeError), store.transaction():
        store.add_fact(_fact("half-1", "The first of two facts that must land together."))
        store.add_source(Source(id="half-src", label="x", kind=SourceKind.OTHER, text="x y z"), analyst="ana")
        store.delete_fact("hq-chair")
        raise RuntimeError("the second write failed")
    assert store.fact_ids() == {"act-passed", "hq-chair", "hq-chair-ja"}
    assert "half-src" not in {s.id for s in store.sources()}
    assert store.history("hq-chair") == []
    with store.transaction():
        store.add_fact(_fact("whole-1", "One of two facts that land together, both of them."))
        store.add_fact(_fact("whole-2", "The other of two facts that land together, both."))
    assert {"whole-1", "whole-2"} <= store.fact_ids()


def test_a_failed_inner_step_undoes_only_itself(store: FactStore) -> None:
    with store.transaction():
        store.add_fact(_fact("outer", "A fact written before the step that fails."))
        with pytest.raises(StoreError):
            store.add_fact(_fact("outer", "The same id again, refused."))
        store.add_fact(_fact("after", "A fact written after the step that failed."))
    assert {"outer", "after"} <= store.fact_ids()


def test_another_connection_sees_what_was_committed(store: FactStore) -> None:
    store.add_fact(_fact("seen", "A fact another connection must see once committed."))
    other = store.reopen()
    try:
        assert other.fact("seen").statement == "A fact another connection must see once committed."
        assert other.schema_version == store.schema_version
    finally:
        other.close()


# -- backup -------------------------------------------------------------------------------------------


def test_backup_and_restore_round_trip(backend: Backend, store: FactStore, tmp_path: Path) -> None:
    archive = tmp_path / "out" / "b.briefer-backup.zip"
    archive.parent.mkdir()
    info = store.backup(archive)
    assert (info.facts, info.sources) == (3, 2)
    store.delete_fact("act-passed")
    store.add_fact(_fact("after-backup", "A fact added after the backup was taken."))
    data_dir = store.path.parent
    store.close()
    backend.restore(data_dir, archive)
    again = backend.open(data_dir)
    try:
        assert again.fact_ids() == {"act-passed", "hq-chair", "hq-chair-ja"}
        assert again.fact("act-passed").model_dump() == FACTS[0].model_dump()
        assert [h["action"] for h in again.history("act-passed")] == []
    finally:
        again.close()


# -- the interface is the only way in ------------------------------------------------------------------

#: the store's private methods called, its connection reached, or SQL run
_INSIDE_ONLY = re.compile(r"\.(_q|_write_fact|_history|_insert_source|_insert_glossary|_source_history|_savepoint)\("
                          r"|\b(store|_store|s)\._conn\b|\.execute(many|script)?\(|sqlite3\.(connect|Row)\b")


def test_nothing_outside_the_store_touches_sql_connections_or_private_methods() -> None:
    found = []
    for path in sorted((ROOT / "briefer").rglob("*.py")):
        if (ROOT / "briefer" / "store") in path.parents:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if _INSIDE_ONLY.search(line.split("#", 1)[0]):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


def test_search_folds_diacritics_on_every_backend(store: FactStore) -> None:
    """As FTS5's unicode61 folds them: typed with or without the accent, the same facts."""
    store.add_fact(_fact("pm-kishida", "Prime Minister Kishidá opened the first meeting of the panel."))
    store.add_fact(_fact("vis-a-vis", "Japan keeps a neutral position vis-à-vis the other G7 members."))
    for typed in ("Kishida", "Kishidá", "KISHIDÁ", "kishid"):
        assert [h.fact.id for h in store.search(typed)] == ["pm-kishida"], typed
    hit = store.search("Kishida", mark=("[", "]"))[0]  # the snippet marks the accented word it found
    assert "[Kishidá]" in hit.snippet, hit.snippet
    for typed in ("vis-a-vis", "vis-à-vis", "neutral vis à vis"):
        assert [h.fact.id for h in store.search(typed)] == ["vis-a-vis"], typed
    assert store.search("Kishimoto") == []


def test_a_source_whose_stored_values_no_longer_parse_still_reads_with_a_note(store: FactStore) -> None:
    """A source row edited by hand or damaged (a kind or grade Briefer does not know, a date that is not
    one) reads as its fields' fallbacks, each noted with its repair; the lists, the facts citing it and an
    edit of one field work, and an edit writes only the fields it changes (the others stay as stored)."""
    with store.transaction() as conn:
        conn.execute("UPDATE sources SET kind = ?, published = ?, reliability = ? WHERE id = ?",
                     ("law", "2025-13-99", "Z", "src-a"))
    src = {s.id: s for s in store.sources()}["src-a"]
    assert (src.kind, src.published, src.reliability, src.title) == (SourceKind.OTHER, None, "F",
                                                                     "Summary of the Act")
    notes = sorted(v for k, v in store.damaged.items() if k.startswith("source:src-a:"))
    assert len(notes) == 3, store.damaged
    assert any("'law'" in n and "kind" in n and "briefer sources edit src-a --kind" in n for n in notes), notes
    assert any("'2025-13-99'" in n and "briefer sources edit src-a --published" in n for n in notes), notes
    assert any("'Z'" in n and "briefer sources grade src-a" in n for n in notes), notes
    assert store.source("src-a").text == TEXT_A and store.fact("act-passed").citations[0].source == "src-a"
    assert [r.id for r in store.source_rows()] == ["src-a", "src-b"]
    # the kind repaired: written alone, even as the value the fallback showed; the others stay as stored
    store.damaged.clear()
    store.update_source(store.source("src-a").model_copy(update={"kind": SourceKind.OTHER}), analyst="ana",
                        fields=["kind"])
    # the history keeps what the repair replaced, and what stays as stored, as stored (not as fallbacks)
    last = store.source_history("src-a")[-1]
    assert (last["before"]["kind"], last["before"]["published"], last["before"]["reliability"]) == (
        "law", "2025-13-99", "Z")
    assert (last["after"]["kind"], last["after"]["published"], last["after"]["reliability"]) == (
        "other", "2025-13-99", "Z")
    store.damaged.clear()
    src = store.source("src-a")
    assert src.kind == SourceKind.OTHER
    assert sorted(k.rsplit(":", 1)[1] for k in store.damaged) == ["published", "reliability"]
    store.update_source(src.model_copy(update={"published": date(2025, 6, 1), "reliability": "B"}),
                        analyst="ana", fields=["published", "reliability"])
    store.damaged.clear()
    assert (store.source("src-a").published, store.source("src-a").reliability) == (date(2025, 6, 1), "B")
    assert store.damaged == {}
