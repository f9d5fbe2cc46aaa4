"""Conflicts between sources: the seeds' disagreements are found (with and
without the glossary's alias table), resolved, and shown by the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from briefer.domain import curation
from briefer.domain.conflict_resolution import resolve_conflict
from briefer.domain.conflicts import find_conflicts
from briefer.domain.models import FactStatus
from briefer.ingest import pipeline
from briefer.ingest.review import body_spans, store_conflicts


def _by_question(conflicts, *words):
    hits = [c for c in conflicts if all(w.lower() in (c.question + " " + c.subject).lower() for w in words)]
    assert hits, f"no conflict about {words}: {[c.question for c in conflicts]}"
    return hits[0]


def _values(c) -> set[str]:
    return {s.value for s in c.sides}


@pytest.fixture
def seed_conflicts(store):
    return store_conflicts(store)


def test_minister_name_kiuchi_jonouchi(seed_conflicts):
    c = _by_question(seed_conflicts, "Minoru Jonouchi")
    assert _values(c) == {"Minoru Kiuchi", "Minoru Jonouchi"}
    assert c.kind == "name"
    assert "news-kiuchi-hq" in c.sources and "news-hq-established" in c.sources
    assert "hq-responsible-minister-disputed" in c.facts
    assert not c.open and "alias recorded" in c.resolution


def test_who_heads_the_headquarters_is_one_report_contradicting_itself(seed_conflicts):
    heads = [c for c in seed_conflicts if c.question.startswith("Who heads the AI Strategy Headquarters")]
    # the report that says Kiuchi "will head" it also puts Ishiba "at the helm": its own inconsistency,
    # not a disagreement between sources (the other three agree on the Prime Minister)
    assert [c.case for c in heads] == ["self-contradiction"]
    c = heads[0]
    assert c.source == "news-kiuchi-hq" and c.sources == ["news-kiuchi-hq"]
    assert _values(c) == {"Shigeru Ishiba", "Minoru Kiuchi"}
    assert "hq-head-disputed" in c.facts
    assert not c.open and "hq-head-disputed records it as a self-contradiction" in c.resolution


def test_every_seed_conflict_is_in_its_case(seed_conflicts):
    case = {c.question: c.case for c in seed_conflicts}
    assert case["Are these names of one person: \u201cMinoru Jonouchi\u201d, \u201cMinoru Kiuchi\u201d?"] == "alias"
    assert _by_question(seed_conflicts, "AI Action Summit").case == "minor"
    for topic in ("penalties", "guidelines", "cooperate"):
        c = _by_question(seed_conflicts, topic)
        assert c.case == "disagreement" and len(c.sides) == 2
        # a source is never on both sides of a disagreement
        assert not set(c.sides[0].sources) & set(c.sides[1].sources)


def test_the_seeds_disagreements_on_guidelines_and_cooperation(seed_conflicts):
    g = _by_question(seed_conflicts, "guidelines", "binding")
    sides = {s.value: set(s.sources) for s in g.sides}
    assert sides == {"binding": {"news-hq-first-meeting", "news-hq-established"},
                     "not binding": {"ichikawa-white-paper"}}
    assert "ai-act-guidelines-binding-disputed" in g.facts and not g.open
    c = _by_question(seed_conflicts, "required to cooperate")
    sides = {s.value: set(s.sources) for s in c.sides}
    assert sides == {"required": {"news-hq-first-meeting", "news-hq-established"},
                     "expected": {"news-kiuchi-hq", "newsletter-ai-law"}}
    assert "ai-act-cooperation-required-disputed" in c.facts and not c.open


def test_act_title_renderings(seed_conflicts):
    c = _by_question(seed_conflicts, "AI Promotion Act", "names")
    values = _values(c)
    assert "Law on the Research, Development, and Application of Artificial Intelligence-Related Technologies" in values
    assert "Act on Promotion of Research and Development and Utilization of AI-Related Technologies" in values
    assert ("Act on the Promotion of Research and Development and Application of Artificial Intelligence-Related "
            "Technologies") in values
    assert len(c.sources) >= 4


def test_strategy_or_strategic_headquarters(seed_conflicts):
    c = next(c for c in seed_conflicts if c.kind == "name" and c.subject == "AI Strategy Headquarters")
    assert {"AI Strategy Headquarters", "AI Strategic Headquarters"} <= _values(c)
    strategic = next(s for s in c.sides if s.value == "AI Strategic Headquarters")
    assert "ichikawa-white-paper" in strategic.sources


def test_guidelines_for_business_names(seed_conflicts):
    c = _by_question(seed_conflicts, "AI Guidelines for Business")
    assert _values(c) == {"AI Guidelines for Business", "Guidelines for AI Business Operators"}


def test_paris_summit_date(seed_conflicts):
    c = _by_question(seed_conflicts, "AI Action Summit", "When")
    assert c.kind == "date"
    assert _values(c) == {"February 2025", "January\u2013February 2025"}
    assert "intl-paris-summit-date" in c.facts


def test_penalties_or_not(seed_conflicts):
    c = _by_question(seed_conflicts, "penalties")
    assert c.kind == "claim" and c.case == "disagreement"
    none = next(s for s in c.sides if s.value == "no penalties")
    some = next(s for s in c.sides if s.value != "no penalties")
    assert {"newsletter-ai-law", "ichikawa-white-paper", "news-kiuchi-hq"} <= set(none.sources)
    # the newsletter also says "not … strict penalties": that is inside "no penalties", so it stands there only
    assert some.value == "no heavy penalties" and some.sources == ["news-hq-first-meeting"]
    assert "ai-act-penalties-disputed" in c.facts


def test_reader_comments_are_not_evidence(seed_conflicts):
    for c in seed_conflicts:
        for s in c.sides:
            for _src, sentence in s.quotes:
                assert "Expectation of cooperation?" not in sentence and "Strong laws" not in sentence


def test_found_without_the_alias_table(store):
    """The heuristics find the seeds' name disagreements even with an empty glossary."""
    found = find_conflicts(store.sources(with_text=True), store.facts(), [], {}, body=body_spans)
    names = [_values(c) for c in found if c.kind == "name"]
    assert {"Minoru Kiuchi", "Minoru Jonouchi"} in names
    assert any({"AI Strategy Headquarters", "AI Strategic Headquarters"} <= v for v in names)
    assert any({"AI Guidelines for Business", "Guidelines for AI Business Operators"} == v for v in names)
    assert any(len([n for n in v if "Related Technologies" in n]) >= 3 for v in names)
    kiuchi = next(c for c in found if _values(c) == {"Minoru Kiuchi", "Minoru Jonouchi"})
    assert kiuchi.open and "same given name" in kiuchi.basis


def test_agreeing_dates_are_not_conflicts(seed_conflicts):
    # 28 May 2025 / May 28, 2025 / May 2025 for the Act's passage; "September 1" for the HQ
    assert not any(c.kind == "date" and "Promotion Act" in c.subject for c in seed_conflicts)
    assert not any(c.kind == "date" and "Headquarters" in c.subject for c in seed_conflicts)


# -- new documents bring new conflicts ------------------------------------------------------------


def _import(store, tmp_path: Path, name: str, text: str) -> str:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    res = pipeline.commit(pipeline.prepare([p], store), store, analyst="t")
    return res.sources[0]


def test_imported_article_with_other_numbers_and_penalties(store, tmp_path):
    _import(store, tmp_path, "wire.txt",
            "Tokyo, 2 October 2025\n\nThe draft basic AI plan rests on five pillars, officials said. "
            "The AI Promotion Act imposes fines of up to 10 million yen on developers who refuse to cooperate.\n")
    found = store_conflicts(store)
    pillars = _by_question(found, "pillar")
    assert pillars.open and _values(pillars) == {"four pillars", "five pillars"}
    pen = _by_question(found, "penalties")
    assert pen.open and "penalties" in _values(pen)  # a new disagreeing side re-opens the question


def test_open_conflict_resolution_by_dispute_supersede_alias_dismiss(store, tmp_path):
    src = _import(store, tmp_path, "wire.txt",
                  "Tokyo, 2 October 2025\n\nThe draft basic AI plan rests on five pillars, officials said.\n")
    fact = curation.add_fact(store, curation.build_fact(
        id="plan-five-pillars", section="hq-structure", statement="Officials said the draft plan has five pillars.",
        citations=[{"source": src, "quote": "The draft basic AI plan rests on five pillars"}],
        as_of=date(2025, 10, 2)), analyst="t")
    c = _by_question(store_conflicts(store), "pillar")
    assert "plan-five-pillars" in c.facts and c.open
    resolve_conflict(store, c, action="dispute", fact_id=fact.id, reason="Only one report says five.",
                              analyst="Ana")
    again = next(x for x in store_conflicts(store) if x.key == c.key)
    assert not again.open and "marked disputed" in again.resolution and "Ana" in again.resolution
    assert store.fact(fact.id).status == FactStatus.DISPUTED and "Only one report" in store.fact(fact.id).notes
    curation.forget_resolution(store, c.key)
    resolve_conflict(store, again, action="supersede", fact_id=fact.id,
                              other_fact_id="hq-basic-plan-four-pillars",
                              reason="The plan's own outline lists four.", analyst="Ana")
    assert store.fact(fact.id).superseded_by == "hq-basic-plan-four-pillars"
    assert curation.supersedes(store, "hq-basic-plan-four-pillars") == [fact.id]


def test_alias_resolution_records_the_alias(store, tmp_path):
    found = find_conflicts(store.sources(with_text=True), store.facts(), [], {}, body=body_spans)
    kiuchi = next(c for c in found if _values(c) == {"Minoru Kiuchi", "Minoru Jonouchi"})
    resolve_conflict(store, kiuchi, action="alias", canonical="Minoru Kiuchi",
                              reason="Two readings of 城内実.", analyst="Ana")
    entry = curation.find_entity(store, "Minoru Jonouchi")
    assert entry is not None and entry.name == "Minoru Kiuchi"
    with pytest.raises(Exception, match="reason"):
        resolve_conflict(store, kiuchi, action="dismiss", reason=" ", analyst="Ana")


# -- CLI -----------------------------------------------------------------------------------------


def test_facts_check_lists_the_seed_disagreements(cli):
    r = cli("facts", "check", "--today", "2025-10-01")
    assert r.code == 0, r.err
    for needle in ("Minoru Jonouchi", "Who heads the AI Strategy Headquarters?", "AI Action Summit",
                   "penalties", "AI Strategic Headquarters", "Guidelines for AI Business Operators",
                   "Law on the Research, Development, and Application"):
        assert needle in r.out, needle


def test_facts_check_json_keeps_old_keys_and_adds_new(cli):
    r = cli("facts", "check", "--json", "--today", "2025-10-01")
    data = json.loads(r.out)
    for key in ("ok", "facts_checked", "citations_checked", "quote_problems", "disputed", "alias_conflicts"):
        assert key in data
    assert data["ok"] is True
    kinds = {c["kind"] for c in data["conflicts"]}
    assert {"name", "date", "claim"} <= kinds
    assert data["stale_after_months"] == 12 and data["today"] == "2025-10-01"
    assert {"id": "bg-ai-strategy-2017", "as_of": "2017-03-01", "age_months": 103} in data["stale"]


def test_conflicts_cli_resolve_and_reopen(cli, tmp_path):
    p = tmp_path / "wire.txt"
    p.write_text("Tokyo, 2 October 2025\n\nThe draft basic AI plan rests on five pillars, officials said.\n",
                 encoding="utf-8")
    assert cli("import", str(p)).code == 0
    listed = json.loads(cli("conflicts", "list", "--json").out)
    pillars = next(c for c in listed if "pillar" in c["question"])
    r = cli("conflicts", "resolve", pillars["key"], "--dismiss", "--reason", "Different draft.")
    assert r.code == 0, r.err
    assert pillars["key"] not in {c["key"] for c in json.loads(cli("conflicts", "list", "--json").out)}
    resolved = json.loads(cli("conflicts", "list", "--all", "--json").out)
    assert any(c["key"] == pillars["key"] and "not a contradiction" in c["resolution"] for c in resolved)
    assert cli("conflicts", "reopen", pillars["key"]).code == 0
    assert cli("conflicts", "resolve", "name:nothing:0", "--dismiss", "--reason", "x").code == 2


def test_a_different_survey_figure_is_found(store, tmp_path):
    _import(store, tmp_path, "survey.txt",
            "Tokyo, 3 November 2025\n\nOnly 30.2% of survey respondents in Japan said they use generative AI, "
            "far below the rates in the United States and China.\n")
    c = _by_question(store_conflicts(store), "Which figure")
    assert _values(c) == {"26.7%", "30.2%"} and c.open
    assert "news-kiuchi-hq" in c.sources and "adoption-genai-use-26-7-percent" in c.facts


def test_seed_store_has_no_open_conflicts_and_no_false_figures(seed_conflicts):
    assert [c.question for c in seed_conflicts if c.open] == []
    assert not any("Which figure" in c.question for c in seed_conflicts)


# -- the same kinds of case in newly imported documents -------------------------------------------


def _new(found, seed_keys):
    return [c for c in found if c.key not in seed_keys]


def test_imported_documents_bring_each_kind_as_an_open_candidate(store, tmp_path):
    seed = {c.key for c in store_conflicts(store)}
    a = _import(store, tmp_path, "a.txt",
                "Tokyo, 3 October 2025\n\nDigital minister Yamada Taro (山田太郎) opened the forum on AI. "
                "The AI Strategy Headquarters is headed by Hanako Sato, officials said. "
                "The guidelines under the AI Promotion Act are legally binding guidelines for developers.\n")
    b = _import(store, tmp_path, "b.txt",
                "Osaka, 4 October 2025\n\nDigital minister Taro Yamata (山田太郎) spoke to reporters. "
                "The AI Promotion Act imposes penalties on developers who ignore the rules. "
                "Later the same official said the AI Promotion Act has no penalties at all.\n")
    found = _new(store_conflicts(store), seed)
    # an alias by a shared Japanese name, never a dispute
    alias = _by_question(found, "山田太郎")
    assert alias.case == "alias" and _values(alias) == {"Yamada Taro", "Taro Yamata"} and alias.open
    # a name in a role: the new report disagrees with the seeds on who heads the Headquarters
    head = _by_question(found, "Who heads")
    assert head.case == "disagreement" and "Hanako Sato" in _values(head) and head.open
    assert a in head.sources and "news-hq-established" in head.sources
    # bindingness: the new report against Ichikawa
    binding = _by_question(store_conflicts(store), "guidelines", "binding")
    assert binding.case == "disagreement" and binding.open and a in binding.sources
    assert "ichikawa-white-paper" in binding.sources
    # one imported source contradicting itself: its own case, and it is on no side of the disagreement
    own = [c for c in found if c.case == "self-contradiction" and c.source == b]
    assert own and _values(own[0]) == {"penalties", "no penalties"} and own[0].open
    pen = [c for c in found if "penalties" in c.question and c.case == "disagreement"]
    assert all(b not in c.sources for c in pen)


def test_an_imported_date_that_differs_is_a_disagreement_and_a_nested_one_is_minor(store, tmp_path):
    seed = {c.key for c in store_conflicts(store)}
    a = _import(store, tmp_path, "early.txt",
                "Tokyo, 20 September 2025\n\nThe AI Strategy Headquarters was established on 1 September 2025 "
                "within the Cabinet Office. Officials recalled the Seoul AI Summit in May 2024.\n")
    b = _import(store, tmp_path, "late.txt",
                "Tokyo, 21 September 2025\n\nThe AI Strategy Headquarters was established on 15 September 2025 "
                "within the Cabinet Office. Officials recalled the Seoul AI Summit in April\u2013May 2024.\n")
    found = _new(store_conflicts(store), seed)
    c = _by_question(found, "AI Strategy Headquarters", "date")
    assert c.case == "disagreement" and _values(c) == {"1 September 2025", "15 September 2025"} and c.open
    assert set(c.sources) == {a, b}
    seoul = _by_question(found, "Seoul AI Summit")
    assert seoul.case == "minor" and _values(seoul) == {"May 2024", "April\u2013May 2024"}


def test_disputing_needs_a_disagreement_and_cites_each_side(store, tmp_path):
    src = _import(store, tmp_path, "wire.txt",
                  "Tokyo, 2 October 2025\n\nThe draft basic AI plan rests on five pillars, officials said.\n")
    fact = curation.add_fact(store, curation.build_fact(
        id="plan-five-pillars", section="hq-structure", statement="Officials said the draft plan has five pillars.",
        citations=[{"source": src, "quote": "The draft basic AI plan rests on five pillars"}],
        as_of=date(2025, 10, 2)), analyst="t")
    c = _by_question(store_conflicts(store), "pillar")
    resolve_conflict(store, c, action="dispute", fact_id=fact.id, reason="Two counts.", analyst="Ana")
    after = store.fact(fact.id)
    assert after.status == FactStatus.DISPUTED and after.variance == "disagreement"
    assert {x.source for x in after.citations} == {src, "news-hq-first-meeting"}  # a citation for each side
    assert all(x.claim for x in after.citations)
    from briefer.domain.variance import variance_problems
    assert variance_problems(after) == []
    own = next(x for x in store_conflicts(store) if x.case == "self-contradiction" and x.source == "news-kiuchi-hq")
    with pytest.raises(Exception, match="contradicting itself"):
        resolve_conflict(store, own, action="dispute", fact_id="hq-head-disputed", reason="x", analyst="A")
    alias = next(x for x in store_conflicts(store) if x.case == "alias")
    with pytest.raises(Exception, match="alias"):
        resolve_conflict(store, alias, action="dispute", fact_id="hq-head-disputed", reason="x",
                                  analyst="A")


def test_conflicts_list_names_the_case_and_an_import_is_a_candidate(cli, tmp_path):
    out = " ".join(cli("conflicts", "list", "--all").out.split())
    assert "[resolved] one source contradicting itself: Who heads the AI Strategy Headquarters?" in out
    assert "[resolved] one name rendered differently (an alias, not a dispute):" in out

    def disputed() -> set[str]:
        return {f["id"] for f in json.loads(cli("facts", "list", "--status", "disputed", "--json").out)}

    before = disputed()
    p = tmp_path / "wire.txt"
    p.write_text("Tokyo, 2 October 2025\n\nThe AI Promotion Act imposes fines of up to 10 million yen on "
                 "developers.\n", encoding="utf-8")
    assert cli("import", str(p)).code == 0
    out = " ".join(cli("conflicts", "list").out.split())
    assert "[OPEN] candidate disagreement between sources, for the analyst to confirm: Does the law provide " \
           "penalties" in out
    # nothing was marked disputed by the import: that is the analyst's to confirm
    assert disputed() == before


def test_the_governments_role_regulator_or_facilitator_is_found_in_a_new_document(store, tmp_path):
    # the seeds' recorded dispute (001 "aims to regulate", 003 "a facilitator rather than a regulator") is
    # found and resolved by the fact recording it
    seed = store_conflicts(store)
    role = _by_question(seed, "regulate", "facilitate")
    assert not role.open and "ai-act-regulatory-role-disputed" in role.resolution
    assert {s.value: s.sources for s in role.sides} == {"regulates": ["news-hq-established"],
                                                        "facilitates": ["newsletter-ai-law"]}
    # a new document, in words of its own, puts the government on the regulator's side: a candidate again
    new = _import(store, tmp_path, "wire.txt",
                  "Tokyo, 5 October 2025\n\nUnder the AI Promotion Act the Cabinet Office will supervise AI "
                  "developers, officials said, and the Headquarters will hold supervisory powers over them.\n")
    role = _by_question(store_conflicts(store), "regulate", "facilitate")
    assert role.open and role.case == "disagreement"
    regulates = next(s for s in role.sides if s.value == "regulates")
    assert new in regulates.sources and "news-hq-established" in regulates.sources
    assert any(src == new and "supervisory powers" in text for src, text in regulates.quotes)
    assert "newsletter-ai-law" in next(s for s in role.sides if s.value == "facilitates").sources
    # and one saying the opposite in other words joins the facilitator's side
    other = _import(store, tmp_path, "other.txt",
                    "Osaka, 6 October 2025\n\nThe AI Promotion Act casts the state as a promoter rather than a "
                    "watchdog: ministers will not regulate the industry, a spokesperson said.\n")
    role = _by_question(store_conflicts(store), "regulate", "facilitate")
    assert other in next(s for s in role.sides if s.value == "facilitates").sources


def test_the_seeds_disagree_on_soft_or_hard_law_and_the_finder_finds_it(store, tmp_path):
    # 001 relays "a key milestone in Japan's transition from soft law to hard law"; 004 and 003 read the Act
    # as continuing the soft-law approach: a disagreement between sources, each side cited, recorded by
    # the fact ai-act-soft-or-hard-law-disputed (so the seed store has no open conflict)
    c = _by_question(store_conflicts(store), "soft law", "hard law")
    assert c.case == "disagreement" and c.kind == "claim" and c.subject == "AI Promotion Act: soft or hard law"
    sides = {s.value: set(s.sources) for s in c.sides}
    assert sides == {"soft law": {"ichikawa-white-paper", "newsletter-ai-law"}, "hard law": {"news-hq-established"}}
    assert [s.value for s in c.sides] == ["soft law", "hard law"]  # the version most sources support first
    hard = next(s for s in c.sides if s.value == "hard law")
    assert any("from soft law to hard law" in text for _src, text in hard.quotes)
    soft = next(s for s in c.sides if s.value == "soft law")
    assert any(src == "newsletter-ai-law" and "instead of hard law" in text for src, text in soft.quotes)
    assert not c.open and "ai-act-soft-or-hard-law-disputed" in c.resolution
    # a new document, in words of its own, on the hard-law side: a candidate for the analyst again
    new = _import(store, tmp_path, "wire.txt",
                  "Tokyo, 6 October 2025\n\nThe AI Promotion Act imposes binding obligations on AI developers, "
                  "a government official said.\n")
    c = _by_question(store_conflicts(store), "soft law", "hard law")
    assert c.open and c.case == "disagreement"
    hard = next(s for s in c.sides if s.value == "hard law")
    assert set(hard.sources) == {"news-hq-established", new}
    assert any(src == new and "imposes binding obligations" in text for src, text in hard.quotes)
    assert all(s.quotes for s in c.sides)  # a citation for each side
