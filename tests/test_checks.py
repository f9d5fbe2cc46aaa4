"""The provenance check: quotes against sources, disputes and alias conflicts."""

from __future__ import annotations

from datetime import date

from briefer.domain.checks import alias_conflicts, run_checks
from briefer.domain.models import Citation, Fact, GlossaryEntry, Source, SourceKind
from briefer.domain.provenance import find_quote, locate, normalise, quote_in


def _src(text: str, sid: str = "s1") -> Source:
    return Source(id=sid, label="A source", kind=SourceKind.OTHER, text=text)


def test_normalise_folds_only_whitespace_quotes_and_dashes() -> None:
    assert normalise("  The \u201cAI\u00a0Law\u201d \u2014 passed\n\n in May ") == 'The "AI Law" - passed in May'
    assert quote_in("Japan\u2019s first law", "Japan's first  law")
    assert not quote_in("Japan\u2019s first law", "Japan's first laws")
    assert not quote_in("penalties", "Penalties")  # case is not normalised


def test_find_quote_maps_back_to_original_offsets() -> None:
    text = "Intro.\n\nThe  \u201cAI Law\u201d was\npassed in May."
    start, end = find_quote(text, 'the "AI Law" was passed'.replace("the", "The"))
    assert text[start:end] == "The  \u201cAI Law\u201d was\npassed"
    assert find_quote(text, "passed in June") is None


def test_locate_counts_paragraphs_after_front_matter_and_names_the_heading() -> None:
    text = "---\ntitle: x\n---\n\n### Background\n\nFirst para.\n\nSecond para here.\n"
    assert locate(text, text.index("Second")) == "para. 2, under \u201cBackground\u201d"
    assert locate("One.\nTwo.\n", 6) == "para. 2"


def test_an_italic_subheading_is_named_but_not_a_caption_or_an_emphasised_sentence() -> None:
    text = ("### Recent Trends\n\nOpening para.\n\n#### Cooperation\n\n_Collaboration During the Biden Years_\n\n"
            "Biden para.\n\n![chart](x.png)\n_Japan's Neutral Position_\n\nAfter the chart.\n\n"
            "_\u25b2 Table 4: Outline of the Act_\n\nAfter the table.\n\n_This was, in short, a turning point._\n\n"
            "Last para.\n")
    biden = "para. 2, under \u201cCollaboration During the Biden Years\u201d"
    assert locate(text, text.index("Biden para")) == biden
    # an italic line under an image is its caption; one that begins like a caption is one too; an
    # italic sentence is emphasis: none of them heads what follows
    assert locate(text, text.index("After the chart")) == biden.replace("para. 2", "para. 3")
    assert locate(text, text.index("After the table")) == biden.replace("para. 2", "para. 4")
    assert locate(text, text.index("Last para")) == biden.replace("para. 2", "para. 5")
    # the standfirst above the article's first paragraph is not a heading either
    assert locate("_A Report on Things_\n\nFirst para.\n", 25) == "para. 1"


def test_the_white_paper_s_biden_era_paragraph_is_located_under_its_own_subheading() -> None:
    from briefer.ingest.factpack import load

    pack = load()
    fact = next(f for f in pack.facts if f.id == "usjp-dialogue-on-digital-economy")
    assert fact.citations[0].location == (
        "para. 42, under \u201cU.S.-Japan Collaboration on AI During the Biden Administration\u201d")
    captions = [c.location for f in pack.facts for c in f.citations if "Table" in (c.location or "")]
    assert captions == []

def test_a_tampered_quote_is_caught() -> None:
    src = _src("The law does not come with strict penalties or regulatory enforcement.")
    good = Fact(id="ok-fact", section="risks", statement="No strict penalties in the law.", as_of=date(2025, 5, 28),
                citations=[Citation(source="s1", quote="does not come with strict penalties")])
    bad = good.model_copy(update={"id": "bad-fact", "citations": [
        Citation(source="s1", quote="does not come with any penalties")]})
    report = run_checks([good, bad], [src], [])
    assert not report.ok
    assert [(p.fact_id, p.reason) for p in report.quote_problems] == [("bad-fact", "the quote is not in the source")]
    assert report.citations_checked == 2


def test_alias_conflicts_need_two_sources_with_nothing_in_common() -> None:
    sources = [_src("Minister Minoru Kiuchi and the Cabinet Office (CAO).", "sa"),
               _src("Minister Minoru Jonouchi and the Cabinet Office.", "sb"),
               _src("The CAO and the Cabinet Office again.", "sc")]
    glossary = [GlossaryEntry(id="kiuchi", kind="person", name="Minoru Kiuchi", aliases=["Minoru Jonouchi"]),
                GlossaryEntry(id="cao", kind="body", name="Cabinet Office", aliases=["CAO"])]
    conflicts = alias_conflicts(glossary, sources)
    assert [c.entry.id for c in conflicts] == ["kiuchi"]
    assert conflicts[0].names == {"Minoru Kiuchi": ["sa"], "Minoru Jonouchi": ["sb"]}


def test_shipped_pack_passes_and_reports_its_disagreements(store) -> None:
    report = run_checks(store.facts(), store.sources(with_text=True), store.glossary())
    assert report.ok, report.quote_problems
    # the minister's two renderings are an alias and the summit's two datings a minor difference:
    # neither is a dispute; each is reported in its own kind
    disputed = {f.id for f in report.disputed}
    assert {"ai-act-penalties-disputed", "ai-act-guidelines-binding-disputed"} <= disputed
    assert not {"hq-responsible-minister-disputed", "intl-paris-summit-date", "hq-head-disputed"} & disputed
    assert [f.id for f in report.aliases] == ["hq-responsible-minister-disputed"]
    assert [f.id for f in report.minor] == ["intl-paris-summit-date"]
    assert "hq-head-disputed" in {f.id for f in report.self_contradictions}
    assert report.variance_problems == []
    entities = {c.entry.name for c in report.alias_conflicts}
    assert {"Minoru Kiuchi", "AI Promotion Act", "AI Strategy Headquarters", "AI Guidelines for Business"} <= entities
