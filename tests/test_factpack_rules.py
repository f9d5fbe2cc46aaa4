"""The fact-checker's mechanical rules: the shipped pack keeps them, and each
rule catches the fault it names."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from briefer.domain.models import Citation, Fact, FactStatus, Source, SourceKind
from briefer.domain.pack_rules import (
    check_rules,
    country_names,
    hyphenated_countries,
    jargon_in,
    names_sources,
    per_attribution,
    quote_ends_mid_phrase,
    reader_names,
    unnamed_reports,
)
from briefer.ingest import factpack
from briefer.store.db import DB_NAME

TEXT_A = ("The law does not come with strict penalties or regulatory enforcement. Instead, it encourages "
          "business cooperation and allows the government to collect information from AI developers.")
TEXT_B = "The Headquarters was established on September 1 within the Cabinet Office, the report says."


def _sources() -> dict[str, Source]:
    return {
        "wire": Source(id="wire", label="Wire digest of Kyodo reports (no author)", kind=SourceKind.NEWS_REPORT,
                       reliability="C", text=TEXT_A),
        "prof": Source(id="prof", title="Japan and AI", label="Report by Hana Sato", author="Hana Sato",
                       kind=SourceKind.WHITE_PAPER, reliability="B", text=TEXT_B),
    }


def _fact(fid: str, statement: str, *cites: tuple[str, str], status: FactStatus = FactStatus.CURRENT) -> Fact:
    return Fact(id=fid, section="risks", statement=statement, as_of=date(2025, 9, 1), status=status,
                citations=[Citation(source=s, quote=q) for s, q in cites])


def _rules(*facts: Fact) -> list[tuple[str, str]]:
    return [(p.fact_id, p.rule) for p in check_rules(facts, _sources().values())]


# -- the shipped pack ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pack() -> factpack.FactPack:
    return factpack.load()


def test_the_shipped_pack_breaks_no_rule(pack: factpack.FactPack) -> None:
    problems = check_rules(pack.facts, pack.sources)
    assert [str(p) for p in problems] == []
    assert pack.problems == []  # the loader runs the same rules


def test_every_source_has_a_reader_name_no_other_source_shares(pack: factpack.FactPack) -> None:
    heads = {s.id: reader_names(s)[0].casefold() for s in pack.sources}
    assert len(set(heads.values())) == len(heads), heads
    for s in pack.sources:
        # the label does not adopt a claim that sources dispute, and explains its grade
        assert "Kiuchi" not in s.label and "Jonouchi" not in s.label
        assert s.notes.startswith(f"Grade {s.reliability} "), s.id
    # a text that names no outlet, author, date or source is graded below one relaying named newspapers
    by_id = {s.id: s for s in pack.sources}
    assert by_id["news-kiuchi-hq"].reliability > by_id["news-hq-established"].reliability
    assert "page" in by_id["news-hq-established"].date_note.lower()


def test_no_live_statement_calls_a_source_one_report_or_the_white_paper(pack: factpack.FactPack) -> None:
    live = [f for f in pack.facts if f.status == FactStatus.CURRENT]
    text = " ".join(f.statement for f in live).lower()
    for phrase in ("one report", "another report", "the white paper", "fact pack", "seed"):
        assert phrase not in text, phrase
    # the shipped pack goes beyond the mechanical rule (grade C or lower): every single-source claim names it
    for f in live:
        if len(f.source_ids) == 1:
            assert f.source_ids[0] in names_sources(f.statement, pack.sources), f.id


def test_merged_duplicates_point_to_the_fact_that_keeps_the_claim(pack: factpack.FactPack) -> None:
    by_id = {f.id: f for f in pack.facts}
    tiers = [f for f in pack.facts if f.status != FactStatus.SUPERSEDED and "tiered classification" in
             " ".join(c.quote for c in f.citations)]
    assert [f.id for f in tiers] == ["risk-no-risk-tiers-harmful-uses-unregulated"]
    for old in ("ai-act-no-risk-classification", "intl-eu-risk-categories-japan-none"):
        assert by_id[old].status == FactStatus.SUPERSEDED
        assert by_id[old].superseded_by == "risk-no-risk-tiers-harmful-uses-unregulated"
    for f in pack.facts:
        if f.superseded_by:
            assert by_id[f.superseded_by].status != FactStatus.SUPERSEDED, f.id


# -- each rule on a bad example ----------------------------------------------------------------------

@pytest.mark.parametrize("quote, bad", [
    ("the AI Strategy Headquarters is based on the", True),
    ("it encourages business cooperation and", True),
    ("the establishment of the \u201cAI Strategy Headquarters,\u201d", True),
    ("The law does not come with strict penalties or regulatory enforcement.", False),
    ("allows the government to collect information from AI developers", False),
])
def test_a_quote_ending_mid_phrase_is_caught(quote: str, bad: bool) -> None:
    assert (quote_ends_mid_phrase(quote) is not None) is bad


def test_quote_rule_names_the_fact_and_the_rule() -> None:
    f = _fact("cut-short", "Hana Sato says the Headquarters was established on 1 September.",
              ("prof", "The Headquarters was established on September 1 within the"))
    assert _rules(f) == [("cut-short", "quote-ends-mid-phrase")]


def test_two_live_facts_citing_one_passage_are_caught_unless_one_is_superseded() -> None:
    a = _fact("fact-a", "Hana Sato says the Headquarters was set up on 1 September.",
              ("prof", "The Headquarters was established on September 1"))
    b = _fact("fact-b", "Hana Sato places the Headquarters within the Cabinet Office.",
              ("prof", "established on September 1 within the Cabinet Office"))
    assert _rules(a, b) == [("fact-b", "quote-shared")]
    assert _rules(a, b.model_copy(update={"status": FactStatus.SUPERSEDED, "superseded_by": "fact-a"})) == []
    # the words next to each other are not a shared passage
    c = _fact("fact-c", "Hana Sato places the Headquarters within the Cabinet Office.",
              ("prof", "within the Cabinet Office"))
    assert _rules(a, c) == []


def test_a_disputed_version_may_quote_a_passage_another_fact_cites() -> None:
    a = _fact("fact-a", "Hana Sato says the Headquarters was set up on 1 September.",
              ("prof", "The Headquarters was established on September 1"))
    d = Fact(id="date-disputed", section="risks", statement="Hana Sato and the wire differ on the date.",
             as_of=date(2025, 9, 1), status=FactStatus.DISPUTED,
             citations=[Citation(source="prof", quote="established on September 1", claim="1 September"),
                        Citation(source="wire", quote="The law does not come with strict penalties", claim="x")])
    assert _rules(a, d) == []


def test_an_unattributed_claim_from_one_weak_source_is_caught() -> None:
    bare = _fact("bare", "The Act does not come with strict penalties.",
                 ("wire", "The law does not come with strict penalties or regulatory enforcement."))
    named = bare.model_copy(update={"id": "named", "statement":
                                    "A wire digest of Kyodo reports says the Act has no strict penalties."})
    assert _rules(bare) == [("bare", "unattributed-single-source")]
    assert _rules(named) == []
    # a source graded B alone, or two sources agreeing, need no name
    strong = _fact("strong", "The Headquarters was established on 1 September.",
                   ("prof", "The Headquarters was established on September 1"))
    both = _fact("both", "The Act has no strict penalties and the Headquarters sits in the Cabinet Office.",
                 ("wire", "does not come with strict penalties"), ("prof", "within the Cabinet Office"))
    assert _rules(strong, both) == []


def test_a_statement_naming_a_source_it_does_not_cite_is_caught() -> None:
    f = _fact("wrong-name", "Hana Sato says the Act has no strict penalties.",
              ("wire", "The law does not come with strict penalties or regulatory enforcement."))
    assert ("wrong-name", "attributed-to-uncited-source") in _rules(f)


@pytest.mark.parametrize("statement", [
    "The Act (called the AI Promotion Act in this fact pack) passed in May.",
    "One report says the Act passed in May; another report says June.",
    "A news report says the Act passed in May.",
    "The white paper says the Act passed in May.",
    "According to 004, the Act passed in May.",
    "The analyst reads this as a delay.",
])
def test_jargon_and_vague_attributions_are_caught(statement: str) -> None:
    assert jargon_in(statement, ["wire digest of Kyodo reports"]) != []
    f = _fact("jargon-fact", statement, ("wire", "The law does not come with strict penalties"),
              ("prof", "The Headquarters was established on September 1"))
    assert ("jargon-fact", "jargon") in _rules(f)


def test_a_reader_name_is_not_jargon() -> None:
    names = reader_names(_sources()["wire"])
    assert names[0] == "Wire digest of Kyodo reports"
    assert jargon_in("A wire digest of Kyodo reports says the Act passed in 2004 and 2025.", names) == []
    assert reader_names(_sources()["prof"])[:2] == ["Report by Hana Sato", "Sato"]


@pytest.mark.parametrize("text", [
    # the key point an earlier pack printed: whose reports?
    "Reports say the government can investigate misuse under the Act, recommend corrective action and disclose "
    "companies involved.",
    "Reports suggest that Japan's model emphasises government leadership.",
    "The Act passed in May; media reports suggest the Headquarters will meet monthly.",
])
def test_reports_say_without_naming_whose_is_caught_in_a_statement_and_a_headline(text: str) -> None:
    names = [n for s in _sources().values() for n in reader_names(s)]
    assert unnamed_reports(text, names)
    quote = ("wire", "The law does not come with strict penalties")
    said = _fact("said-so", text, quote)
    assert ("said-so", "unnamed-reports") in _rules(said)
    headlined = _fact("headlined", "A wire digest of Kyodo reports says the law has no strict penalties.", quote)
    headlined.headline = text
    problems = [p for p in check_rules([headlined], _sources().values()) if p.rule == "unnamed-reports"]
    assert [p.fact_id for p in problems] == ["headlined"]
    assert "headline" in problems[0].message and "Wire digest of Kyodo reports says" in problems[0].message


@pytest.mark.parametrize("text", [
    "A wire digest of Kyodo reports says the law has no strict penalties.",
    "The Act passed in May, Kyodo reports say.",
    'Hana Sato writes that "reports suggest" a delay.',
])
def test_reports_whose_author_is_named_pass(text: str) -> None:
    names = [n for s in _sources().values() for n in reader_names(s)]
    assert unnamed_reports(text, names) == []


@pytest.mark.parametrize("text", [
    # the key point an earlier pack opened with
    "Per Sato, the November 2023 statement encourages the two institutes to partner.",
    "The institutes will partner, per Hana Sato.",
    "As per the wire digest of Kyodo reports, the Act has no strict penalties.",
    "per Report by Hana Sato the Act passed in May.",
])
def test_an_attribution_clipped_to_per_is_caught_in_a_statement_and_a_headline(text: str) -> None:
    names = [n for s in _sources().values() for n in reader_names(s)]
    assert per_attribution(text, names)
    quote = ("prof", "The Headquarters was established on September 1 within the Cabinet Office")
    said = _fact("said-so", text, quote)
    assert ("said-so", "per-attribution") in _rules(said)
    headlined = _fact("headlined", "Hana Sato says the Headquarters was set up on 1 September.", quote)
    headlined.headline = text
    problems = [p for p in check_rules([headlined], _sources().values()) if p.rule == "per-attribution"]
    assert [p.fact_id for p in problems] == ["headlined"]
    assert "headline" in problems[0].message and "Report by Hana Sato says" in problems[0].message


@pytest.mark.parametrize("text", [
    "Hana Sato says only 26.7 per cent of respondents used generative AI.",
    "According to Hana Sato, the plan is revised once per year.",
    'Hana Sato writes that the Act applies "per the Cabinet Office" guidance.',
    "The wire digest of Kyodo reports says the law has no strict penalties.",
])
def test_per_cent_per_year_and_quoted_words_pass(text: str) -> None:
    names = [n for s in _sources().values() for n in reader_names(s)]
    assert per_attribution(text, names) == []


def test_the_packs_key_points_never_open_with_per(pack: factpack.FactPack) -> None:
    heads = {f.id: f.headline for f in pack.facts if f.headline}
    assert heads and not [h for h in heads.values() if h.casefold().startswith(("per ", "as per "))]
    assert heads["usjp-joint-statement-lead-world-in-ai"].startswith("Ichikawa (2025) reports Ishiba and Trump said")


COUNTRIES = ["Japan", "United States", "US", "U.S.", "European Union", "EU", "E.U.", "Australia", "India"]


@pytest.mark.parametrize(("text", "pairs"), [
    ("U.S.-Japan collaboration progressed.", ["U.S.-Japan"]),
    ("Talks on Japan-US trade and EU-Japan ties.", ["Japan-US", "EU-Japan"]),
    ("The Quad (the U.S.-Japan-Australia-India mechanism).", ["U.S.-Japan-Australia-India"]),
    ("U.S.\u2013Japan collaboration progressed.", []),  # the en dash
    ("Ichikawa writes of \u201cU.S.-Japan collaboration\u201d.", []),  # a quotation stays verbatim
    ("the Japan-U.S. Economic Policy Consultative Committee met", []),  # a proper name the source spells so
    ("the Japan-U.S. Working Group met", ["Japan-U.S."]),  # ... but only one the source spells so
    ("AI-related laws and the G7-led process", []),
])
def test_a_hyphen_between_countries_in_briefer_s_own_text_is_caught(text: str, pairs: list[str]) -> None:
    source = "In the context of economic security, the Japan-U.S. Economic Policy Consultative Committee."
    assert hyphenated_countries(text, COUNTRIES, [source]) == pairs


def test_the_country_pair_rule_reads_statement_headline_and_note() -> None:
    f = Fact(id="pair", section="risks", statement="The U.S.-Japan talks went well, the wire says.",
             as_of=date(2025, 9, 1), tags=["country:United States", "country:Japan"], notes="See the EU-Japan note.",
             citations=[Citation(source="wire", quote="The law does not come with strict penalties")])
    f.headline = "Japan-U.S. talks went well."
    problems = [p.message for p in check_rules([f], _sources().values()) if p.rule == "country-pair-dash"]
    assert len(problems) == 2  # "EU" is no country the facts are tagged with, so "EU-Japan" is not one
    assert "statement" in problems[0] and "U.S.\u2013Japan" in problems[0] and "headline" in problems[1]
    assert {"US", "U.S.", "Japan", "United States"} <= set(country_names([f]))


def test_briefer_s_own_titles_and_glossary_join_countries_with_an_en_dash(pack: factpack.FactPack) -> None:
    """Section titles, glossary entries and the built-in templates' text: Briefer's own, not a
    source's (the glossary's "Japan-U.S. Economic Policy Consultative Committee" is the source's own name)."""
    import json

    from briefer.resources import resource

    countries = country_names(pack.facts)
    texts = [s.text for s in pack.sources if s.text]
    own = [t for s in pack.sections for t in (s.title, s.description)]
    own += [t for g in pack.glossary for t in (g.name, *g.aliases, g.description)]

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
        return [t for v in items for t in strings(v)]

    for path in sorted(resource("templates").glob("*.json")):  # titles, descriptions, intros
        own += strings(json.loads(path.read_text(encoding="utf-8")))
    assert len(own) > 100
    assert [t for t in own if hyphenated_countries(t, countries, texts)] == []


# -- bad input: `briefer facts check` names the fact and the rule ----------------------------------

def test_facts_check_names_the_fact_and_the_rule(cli, data_dir: Path) -> None:
    with sqlite3.connect(data_dir / DB_NAME) as c:
        c.execute("UPDATE facts SET statement = 'One report says the Headquarters held its first formal meeting"
                  " in early September 2025.' WHERE id = 'hq-first-formal-meeting'")
    c.close()
    r = cli("facts", "check")
    assert r.code == 1
    assert "hq-first-formal-meeting: jargon:" in r.out
    assert "hq-first-formal-meeting: unattributed-single-source:" in r.out
    import json

    data = json.loads(cli("facts", "check", "--json").out)
    assert data["ok"] is False
    assert {(p["id"], p["rule"]) for p in data["rule_problems"]} == {
        ("hq-first-formal-meeting", "jargon"), ("hq-first-formal-meeting", "unattributed-single-source")}


def test_facts_check_passes_the_shipped_store(cli) -> None:
    r = cli("facts", "check")
    assert r.code == 0, r.out
    assert "Every fact keeps the fact-checking rules" in r.out


# -- paragraph locations count the article, not the page furniture above it ------------------------

def test_locations_skip_the_header_and_navigation_lines_of_a_web_page() -> None:
    from briefer.domain.provenance import locate

    page = ("Saturday , 13 September 2025\nHome Politics: Breaking Political News Japan Sets Up an AI Office\n\n"
            "Japan Sets Up an AI Office\n\n31\nJapan AI meeting\n\n"
            "The government set up the office on Monday. It will coordinate policy.\n\n"
            "The minister said it would report in the winter.\n\nRelated Articles\n\nOther news\n")
    assert locate(page, page.index("The government")) == "para. 1"
    assert locate(page, page.index("The minister")) == "para. 2"
    # a short line without closing punctuation inside the article is a heading, not a paragraph
    text = "Intro paragraph of the article.\nWhy Now\nSecond paragraph.\n"
    assert locate(text, text.index("Second")) == "para. 2, under \u201cWhy Now\u201d"


def test_the_press_digests_first_article_paragraph_is_para_1(pack: factpack.FactPack) -> None:
    hq = next(f for f in pack.facts if f.id == "hq-established-sept-1")
    loc = {c.source: c.location for c in hq.citations}
    assert loc["news-hq-established"] == "para. 1"
    assert loc["news-kiuchi-hq"] == "para. 1"
