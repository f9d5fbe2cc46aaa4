"""Disputes that mean what they say: the four cases in the pack, in `facts check`, in the store and in
the exported briefing; and footnote quotes that keep the words that prove the point."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefer.domain import curation
from briefer.domain.document import MAX_QUOTE_CHARS, shorten_quote
from briefer.domain.models import FactStatus, Variance
from briefer.domain.quotes import _norm, _weights, quote_window
from briefer.domain.variance import fact_versions, variance_problems
from briefer.ingest import factpack

MINISTER = "hq-responsible-minister-disputed"


@pytest.fixture(scope="module")
def pack():
    return factpack.load()


def _fact(pack, fid):
    return next(f for f in pack.facts if f.id == fid)


# -- the pack ----------------------------------------------------------------------------------------


def test_every_recorded_case_keeps_its_rules(pack):
    broken = {f.id: variance_problems(f, glossary=pack.glossary) for f in pack.facts}
    assert {k: v for k, v in broken.items() if v} == {}


def test_the_pack_records_each_case(pack):
    cases = {f.id: f.variance for f in pack.facts if f.variance}
    assert cases[MINISTER] == Variance.ALIAS
    assert cases["hq-head-disputed"] == Variance.SELF_CONTRADICTION
    assert cases["ai-act-in-force-self-contradiction"] == Variance.SELF_CONTRADICTION
    assert cases["intl-paris-summit-date"] == Variance.MINOR
    disputes = {f for f, v in cases.items() if v == Variance.DISAGREEMENT}
    assert disputes == {"ai-act-penalties-disputed", "ai-act-soft-or-hard-law-disputed",
                        "ai-act-guidelines-binding-disputed", "ai-act-cooperation-required-disputed",
                        "ai-act-regulatory-role-disputed"}
    # only a disagreement between sources is disputed
    assert {f.id for f in pack.facts if f.status == FactStatus.DISPUTED} == disputes


def test_a_disputes_versions_are_in_the_sources_words_most_supported_first(pack):
    f = _fact(pack, "ai-act-penalties-disputed")
    vs = fact_versions(f)
    assert [len(v.sources) for v in vs] == [3, 1]
    assert vs[1].claim == "does not impose heavy penalties for every misstep"
    assert not any("implying" in (c.claim or "") for c in f.citations)


@pytest.mark.parametrize("change, rule", [
    # the old version of the penalties dispute: an inference inside a version
    (lambda f: f.citations[3].model_copy(update={"claim": "no heavy penalties (implying some penalties may exist)"}),
     "inference"),
    # one source on both sides
    (lambda f: f.citations[0].model_copy(update={"source": "news-hq-first-meeting",
                                                 "quote": "does not impose heavy penalties"}), "more than one side"),
    # a version that is the analyst's words, not the source's
    (lambda f: f.citations[0].model_copy(update={"claim": "the Act is toothless"}), "not in the words"),
])
def test_a_broken_dispute_is_named(pack, change, rule):
    f = _fact(pack, "ai-act-penalties-disputed")
    cites = list(f.citations)
    new = change(f)
    idx = 3 if "implying" in (new.claim or "") else 0
    cites[idx] = new
    problems = variance_problems(f.model_copy(update={"citations": cites}))
    assert any(rule in p for p in problems), problems


def test_an_alias_or_one_source_is_never_a_dispute(pack):
    alias = _fact(pack, MINISTER).model_copy(update={"status": FactStatus.DISPUTED})
    assert any("only a disagreement between sources is disputed" in p for p in variance_problems(alias))
    one = _fact(pack, "ai-act-in-force-self-contradiction").model_copy(
        update={"status": FactStatus.DISPUTED, "variance": Variance.DISAGREEMENT})
    assert any("at least two sources" in p for p in variance_problems(one))


# -- facts check, the store ---------------------------------------------------------------------------


def test_facts_check_lists_each_case_and_exits_0(cli):
    r = cli("facts", "check", "--today", "2025-10-01")
    assert r.code == 0, r.err
    out = r.out
    assert "5 disputed facts" in out and "2 internal inconsistencies" in out
    assert "1 alias recorded" in out and "1 difference too small to matter" in out
    dispute = out[out.index("disputed facts"):out.index("internal inconsistencies")]
    assert MINISTER not in dispute and "hq-head-disputed" not in dispute
    assert "\u201cno legal penalties\u201d \u2014 3 sources" in dispute
    data = json.loads(cli("facts", "check", "--json", "--today", "2025-10-01").out)
    assert [a["id"] for a in data["aliases"]] == [MINISTER]
    assert {s["id"] for s in data["self_contradictions"]} == {"hq-head-disputed",
                                                            "ai-act-in-force-self-contradiction"}
    assert data["rule_problems"] == []


def test_a_broken_rule_fails_facts_check_and_names_the_fact(cli, store):
    curation.change_fact(store, MINISTER, analyst="t", status=FactStatus.DISPUTED)
    r = cli("facts", "check", "--today", "2025-10-01")
    assert r.code == 1
    out = " ".join(r.out.split())
    assert f"{MINISTER}: it is marked disputed but recorded as an alias (one name, rendered differently)" in out


def test_the_case_round_trips_through_the_store_and_json(cli, store):
    assert store.fact(MINISTER).variance == Variance.ALIAS
    curation.change_fact(store, "intl-paris-summit-date", analyst="t", priority=1)
    assert store.fact("intl-paris-summit-date").variance == Variance.MINOR
    shown = json.loads(cli("facts", "show", "hq-head-disputed", "--json").out)
    assert shown["variance"] == "self-contradiction" and shown["status"] == "current"


# -- the exported briefing ----------------------------------------------------------------------------


def _export_md(cli, tmp_path: Path, template: str) -> str:
    out = tmp_path / f"{template}.md"
    r = cli("export", "--template", template, "--format", "md", "--out", str(out))
    assert r.code == 0, r.err
    return out.read_text(encoding="utf-8")


@pytest.fixture
def full_md(cli, tmp_path: Path) -> str:
    """The full briefing: fitted to its budget, so it may leave some of the cases out."""
    return _export_md(cli, tmp_path, "full-briefing")


@pytest.fixture
def compendium_md(cli, tmp_path: Path) -> str:
    """The compendium: every fact, so every case is in it."""
    return _export_md(cli, tmp_path, "compendium")


def test_the_full_briefing_never_calls_the_ministers_name_disputed(full_md):
    text_lines = [line for line in full_md.splitlines() if "DISPUTED" in line.upper()]
    for line in text_lines:
        assert not re.search(r"Kiuchi|Jonouchi|minister responsible|who heads", line, re.I), line
    # a rendering, when the briefing has one, is explained once, in a note
    assert len([line for line in full_md.splitlines() if "Rendering:" in line]) <= 1


def test_every_fact_shows_each_case_for_what_it_is(compendium_md):
    md = compendium_md
    for line in (line for line in md.splitlines() if "DISPUTED" in line.upper()):
        assert not re.search(r"Kiuchi|Jonouchi|minister responsible|who heads", line, re.I), line
    # the rendering is explained once, in the fact's note, with the Japanese name
    lines = [line for line in md.splitlines() if "Rendering:" in line]
    assert len(lines) == 1 and lines[0].startswith("[^")  # a footnote
    notes = [lines[0][lines[0].index("Rendering:"):]]
    assert "\u201cMinoru Jonouchi\u201d" in notes[0] and "\u57ce\u5185\u5b9f" in notes[0]
    assert "not a dispute" in notes[0]
    heads = [line for line in md.splitlines() if line.startswith("- ") and "at the helm" in line]
    assert heads and not any("DISPUTED" in line for line in heads)
    assert "Internal inconsistency, not a dispute between sources" in md
    paris = [line for line in md.splitlines() if line.startswith("- ") and "January\u2013February 2025" in line]
    assert paris and not any("DISPUTED" in line for line in paris)
    assert "the difference does not change the fact, so it is not marked disputed" in md
    # one note: the versions follow each other in it.  Only one of the three sources says "no legal
    # penalties" (003; 004 "does not include any new legal regulations or penalties", 000 "lacks
    # enforceable penalties"), so that version is the curator's summary, not a quotation of all three
    m = re.search(r"Version 1, given by (\d) sources in substance: no legal penalties \u2014[^\n]*?\s"
                  r"Version 2, given by 1 source: \u201cdoes not impose heavy penalties for every misstep\u201d",
                  md)
    assert m and m.group(1) == "3"
    assert "\u201cno legal penalties\u201d" not in md


# -- the quote window (point 4) -----------------------------------------------------------------------


@pytest.mark.parametrize("fid, words", [
    ("usjp-japan-can-coordinate-bilaterally-us-eu", "coordinate bilaterally with the United States"),
    ("bg-sector-specific-regulation", "actively discussed and even implemented"),
    ("ai-act-article-7-business-responsibilities", "prevent infringement of citizens"),
    ("bg-first-measures-2015-society-5", "Society 5.0"),
])
def test_a_shortened_quote_keeps_the_words_that_support_the_statement(pack, fid, words):
    f = _fact(pack, fid)
    quote = next(" ".join(c.quote.split()) for c in f.citations if words in " ".join(c.quote.split()))
    assert len(quote) > MAX_QUOTE_CHARS and words not in shorten_quote(quote)  # past the old cut
    kept = quote_window(quote, f.statement)
    assert words in kept and len(kept) <= MAX_QUOTE_CHARS
    assert kept.startswith("\u2026") or kept.endswith("\u2026")
    assert kept.strip("\u2026") in quote  # still verbatim


def test_the_window_never_keeps_less_support_than_the_first_cut(pack):
    def support(text: str, weights: dict[str, float]) -> float:
        return sum(weights.get(_norm(t), 0.0) for t in re.findall(r"[\w\u2019'-]+", text))

    for f in pack.facts:
        for c in f.citations:
            q = " ".join(c.quote.split())
            target = c.claim or f.statement
            if len(q) <= MAX_QUOTE_CHARS:
                assert quote_window(q, target) == q
                continue
            w = _weights(target)
            assert support(quote_window(q, target), w) >= support(shorten_quote(q), w) - 1.0, f.id


def test_the_footnote_uses_the_window(cli, tmp_path: Path):
    out = tmp_path / "us.md"
    assert cli("export", "--sections", "us-japan-cooperation", "--format", "md", "--out", str(out)).code == 0
    text = out.read_text(encoding="utf-8")
    assert "coordinate bilaterally with the United States and the European Union" in text


def test_a_version_is_in_quotation_marks_only_when_each_of_its_sources_says_it_in_those_words(
        pack, compendium_md, full_md):
    """Only 003 says "no legal penalties" (004: "does not include any new legal regulations or penalties";
    000: "lacks enforceable penalties"): a note that put those words in quotation marks before the three
    sources' names put them in the mouths of two that never used them."""
    from briefer.domain.variance import in_words, key

    checked = 0
    for f in (f for f in pack.facts if f.status == "disputed"):
        for v in fact_versions(f):
            verbatim = all(in_words(v.claim, key(f.citations[k].quote)) for k in v.citations)
            n = len(v.sources)
            given = f"given by {n} source{'s' if n != 1 else ''}"
            want = f"{given}: \u201c{v.claim}\u201d \u2014" if verbatim else f"{given} in substance: {v.claim} \u2014"
            assert want in compendium_md, (f.id, want)
            checked += 1
    assert checked >= 8
    # the short notes of the full briefing: the same rule in one sentence
    assert "Sources differ: no legal penalties (in substance: " in full_md
    assert "\u201cno legal penalties\u201d" not in full_md and "\u201cno legal penalties\u201d" not in compendium_md
