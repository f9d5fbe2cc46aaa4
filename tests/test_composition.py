"""Composition: nothing said twice, key points that link to where a fact is
developed, citation styles, order, the freshness line, the glossary of the
names used, and the page estimate the window, the budget and ``--dry-run``
share."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from export_support import TODAY, footnote_texts, small_briefing, small_store

from briefer.domain.briefing import Briefing, BriefingSection, FactItem, Options
from briefer.domain.document import resolve
from briefer.domain.pages import estimate
from briefer.domain.similar import claim_words, same_claim
from briefer.domain.templates import begin_template_export, group_related
from briefer.export import export_briefing
from briefer.ingest.factpack import MAX_HEADLINE_WORDS, load_headlines
from briefer.resources import resource
from briefer.store import integrity

BUILTINS = ["full-briefing", "one-page-brief", "risk-watch", "us-japan-cooperation"]
DAY = date(2025, 10, 1)

# -- headlines ------------------------------------------------------------------------------------------

#: words a headline may add to its fact's statement: attribution and the verbs that carry it
_ATTRIBUTION = {"white", "paper", "newsletter", "analysis", "report", "reports", "sources", "source", "news",
                "says", "say", "said", "notes", "warns", "argues", "cites", "judges", "recommends", "per",
                "two", "one", "most", "may"}


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def test_every_headline_belongs_to_a_fact_is_short_faithful_and_attributed(store) -> None:
    from briefer.domain.pack_rules import jargon_in, names_sources, reader_names

    headlines = load_headlines()
    assert len(headlines) >= 30
    facts = {f.id: f for f in store.facts()}
    sources = {s.id: s for s in store.sources()}
    reader = [n for s in sources.values() for n in reader_names(s)]
    allowed = {w[:5] for w in _ATTRIBUTION}
    for fid, text in headlines.items():
        assert fid in facts, f"headlines.json names {fid}, which the fact pack does not hold"
        fact = facts[fid]
        assert fact.status != "superseded", f"{fid} is superseded by {fact.superseded_by}: its headline goes"
        assert len(text.split()) <= MAX_HEADLINE_WORDS, fid
        # it says no more than its fact: at most two content words the statement does not hold
        new = _stems(text) - _stems(fact.statement) - allowed
        assert len(new) <= 3, (fid, new)
        # no attribution a reader cannot follow ("one report", "the white paper") …
        assert not jargon_in(text, reader), (fid, jargon_in(text, reader))
        # … and a claim only one source makes names that source, as its statement does
        if len(fact.source_ids) == 1:
            assert fact.source_ids[0] in names_sources(text, sources.values()), \
                f"{fid}: single-source headline does not name its source"
        assert fact.headline == text  # the pack loader applied it, and the store keeps it


#: a hedge in a statement or quote, and the word it hedges ("would seek to collaborate", "potential disclosure")
_HEDGED = re.compile(r"\b(?:seeks? to|sought to|aims? to|may|might|could|potential(?:ly)?)\s+(?:be\s+)?([a-z]+)", re.I)
_HEDGES = re.compile(r"\b(?:seeks?|sought|aims?|may|might|could|can|lets?|potential(?:ly)?|possibl[ey])\b", re.I)


def test_a_headline_keeps_the_hedge_of_what_it_repeats(store) -> None:
    """A headline that repeats a hedged word keeps a hedge: the source's "will seek to collaborate" is
    not "would collaborate", "the potential disclosure of companies" is not "disclose companies"."""
    facts = {f.id: f for f in store.facts()}
    dropped = []
    for fid, text in load_headlines().items():
        fact = facts[fid]
        for said in [fact.statement, *(c.quote for c in fact.citations)]:
            for m in _HEDGED.finditer(said):
                if re.search(r"\b" + re.escape(m.group(1)[:5].lower()), text.lower()) and not _HEDGES.search(text):
                    dropped.append((fid, m.group(0)))
    assert not dropped


@pytest.mark.parametrize(("fid", "words", "alone"), [
    ("hq-established-sept-1", "Cabinet Office", "news-kiuchi-hq"),
    ("ai-act-power-information-cooperation", "collect", "newsletter-ai-law"),
    ("ai-act-basic-law-character", "plan", "news-hq-established"),
    ("intl-eu-hard-law-vs-japan-soft-law", "voluntary", "newsletter-ai-law"),
])
def test_a_headline_attributes_what_only_one_of_its_sources_says(store, fid: str, words: str, alone: str) -> None:
    """A fact with several sources can still hold a claim only one of them makes (the Cabinet Office,
    the power to collect information, a basic plan, the voluntary design): its headline names that
    source or leaves the claim out, as its statement does."""
    from briefer.domain.pack_rules import names_sources

    fact = store.fact(fid)
    others = [c.quote for c in fact.citations if c.source != alone]
    assert not [q for q in others if words.lower() in q.lower()], "another source says it too"
    headline = load_headlines()[fid]
    if words.lower() in headline.lower():
        assert alone in names_sources(headline, store.sources()), headline


def test_headlines_live_apart_from_the_facts() -> None:
    raw = json.loads(resource("factpack/headlines.json").read_text(encoding="utf-8"))
    assert set(raw) >= {"headlines"}
    for path in sorted(resource("factpack/facts").glob("*.json")):
        assert "headline" not in path.read_text(encoding="utf-8"), f"{path.name}: headlines go in headlines.json"


# -- nothing said twice ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", BUILTINS)
def test_builtins_say_nothing_twice(store, data_dir: Path, name: str) -> None:
    exp = begin_template_export(store, data_dir, name, today=DAY)
    doc = resolve(exp.briefing, store, today=DAY)
    body = [fb for s in doc.sections for fb in s.facts()]
    ids = [fb.fact_id for fb in body]
    assert len(ids) == len(set(ids))
    # no two facts in the body make the same claim
    words = [claim_words(fb.text) for fb in body]
    assert not [(ids[i], ids[j]) for i in range(len(ids)) for j in range(i) if same_claim(words[i], words[j])]
    # a key point is a headline pointing to its section, never a copy with a second footnote
    assert doc.summary and doc.summary.points
    texts = {fb.fact_id: fb.text for fb in body}
    for p in doc.summary.points:
        if p.fact is None:
            home = next(s.number for s in doc.sections if p.fact_id in [b.fact_id for b in s.facts()])
            assert p.see == f"see \u00a7{home}"
            assert p.text != texts[p.fact_id]
        else:  # the fact appears only here, and this is its one note
            assert p.fact_id not in texts
        assert len(p.text.split()) <= MAX_HEADLINE_WORDS + 2
    # one note a fact shown, a key point that is its fact's only appearance, and a figure's sources
    assert doc.footnote_count == (len(body) + sum(1 for p in doc.summary.points if p.fact is not None)
                                  + len(doc.figures()))
    est = estimate(doc)
    assert est.footnote_words <= est.body_words, "footnotes longer than the text"


def _near_duplicates(store) -> tuple[str, str]:
    """Two current facts that make one claim in other words, in two sections (the kind of pair the
    fact audit merges; made here so the test does not hang on the pack's wording)."""
    from briefer.domain import curation

    quote = ("it also carries the risk of spreading disinformation and spawning more sophisticated criminal "
             "activity")
    first = curation.add_fact(store, curation.build_fact(
        id="test-launch-remarks", section="hq-structure", as_of=date(2025, 9, 1),
        statement="At the launch on 1 September 2025 the Chief Cabinet Secretary said AI could raise "
                  "productivity and ease labour shortages but also carries risks of disinformation and crime.",
        citations=[{"source": "news-hq-established", "quote": quote}]), analyst="Ana")
    second = curation.add_fact(store, curation.build_fact(
        id="test-launch-remarks-again", section="risks", as_of=date(2025, 9, 1),
        statement="The Chief Cabinet Secretary said at the 1 September 2025 launch that AI could lift "
                  "productivity and ease labour shortages, but carries risks of disinformation and crime.",
        citations=[{"source": "news-hq-established", "quote": quote}]), analyst="Ana")
    return first.id, second.id


def test_the_same_claim_in_two_sections_is_said_once_in_the_first(store) -> None:
    first, again = _near_duplicates(store)
    assert same_claim(claim_words(store.fact(first).statement), claim_words(store.fact(again).statement))
    b = Briefing(sections=[
        BriefingSection(section="hq-structure", items=[FactItem(fact_id=first)]),
        BriefingSection(section="risks", items=[FactItem(fact_id=again), FactItem(fact_id="risk-weak-deterrence")]),
        BriefingSection(section="law-summary", items=[FactItem(fact_id="risk-weak-deterrence")]),
    ])
    doc = resolve(b, store, today=DAY)
    assert [fb.fact_id for fb in doc.sections[0].facts()] == [first]
    assert [fb.fact_id for fb in doc.sections[1].facts()] == ["risk-weak-deterrence"]
    # the same fact named again: nothing is left in the third section, so it is not printed
    assert [s.section_id for s in doc.sections] == ["hq-structure", "risks"]
    assert doc.repeats_left_out == [(again, first)]
    # the same words in another order, or the same statement twice, are one claim too
    from briefer.domain.similar import first_of_each_claim

    text = store.fact(first).statement
    assert first_of_each_claim([("a", text), ("b", text)]) == {"b": "a"}
    assert any("same claim" in w for w in doc.warnings) and any("more than one section" in w for w in doc.warnings)
    # different claims about one subject are not merged
    assert not same_claim(claim_words(store.fact("hq-established-sept-1").statement),
                          claim_words(store.fact("hq-members-all-cabinet-ministers").statement))


def test_pinned_key_point_not_in_the_body_carries_the_one_note(store) -> None:
    b = Briefing(key_points=["hq-established-sept-1"], options=Options(summary_points=2),
                 sections=[BriefingSection(section="risks", items=[FactItem(fact_id="risk-weak-deterrence")])])
    doc = resolve(b, store, today=DAY)
    first, second = doc.summary.points
    assert first.fact_id == "hq-established-sept-1" and first.fact is not None and first.fact.note == 1
    assert first.text == store.fact("hq-established-sept-1").headline
    assert second.fact_id == "risk-weak-deterrence" and second.fact is None and second.see == "see \u00a71"
    assert doc.footnote_count == 2


# -- citations ------------------------------------------------------------------------------------------


def _styled(style: str) -> Briefing:
    b = small_briefing()
    b.options.citations = style
    return b


def test_citation_styles_full_short_and_evidence(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    quote = "Prime Minister Shigeru Ishiba will chair the AI Strategy Headquarters."
    for style in ("full", "short", "evidence"):
        doc = resolve(_styled(style), store, today=TODAY)
        out = tmp_path / f"{style}.docx"
        export_briefing(doc, out)
        notes = footnote_texts(out)
        chair = next(fb for fb in doc.fact_blocks() if fb.fact_id == "hq-chair")
        text = notes[chair.note]
        assert (quote in text) == (style == "full")
        if style != "full":
            # source, date, place: the white paper by its author's surname, the report by outlet and label
            assert text.startswith("Ichikawa, \u201cJapan\u2019s AI Governance Strategy\u201d, 17 June 2025, para. 9; ")
            # an undated source: the short note does not spend words on "n.d." (the full note says it)
            assert "Example Shimbun, [News report on the Headquarters]." in text and "n.d." not in text
        else:
            assert "[News report on the Headquarters], n.d." in text
        assert (doc.evidence_appendix is not None) == (style == "evidence")
    ev = resolve(_styled("evidence"), store, today=TODAY)
    assert ev.evidence_appendix.heading == "Appendix A. Evidence"
    assert ev.sources_appendix.heading == "Appendix B. Sources cited"
    chair_note = next(fb.note for fb in ev.fact_blocks() if fb.fact_id == "hq-chair")
    entry = next(e for e in ev.evidence if e.note == chair_note)
    assert any(quote in line for line in entry.lines) and len(entry.lines) == 2


def test_a_note_with_several_citations_is_one_paragraph_and_names_each_source_once(store, tmp_path: Path) -> None:
    b = Briefing(options=Options(citations="short"), sections=[
        BriefingSection(section="hq-structure", items=[FactItem(fact_id="hq-basic-plan-four-pillars")])])
    doc = resolve(b, store, today=DAY)
    fb = doc.sections[0].facts()[0]
    assert len(fb.citations) >= 2 and len({c.source_id for c in fb.citations}) == 1
    [note] = fb.footnote_paragraphs()
    source = fb.citations[0].short_text
    assert note.count(source) == 1 and re.search(r"paras?\. \d+(, \d+)*", note)
    out = tmp_path / "b.docx"
    export_briefing(doc, out)
    from export_support import xml

    root = xml(out, "word/footnotes.xml")
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    real = [n for n in root.findall("w:footnote", ns) if int(n.get(f"{{{ns['w']}}}id")) > 0]
    assert real and all(len(n.findall("w:p", ns)) == 1 for n in real)


def test_cli_citations_option(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    r = cli("export", "--sections", "hq-structure", "--citations", "short", "--out", str(out))
    assert r.code == 0, r.err
    notes = footnote_texts(out)
    assert notes and not any("\u201c" in t and ": \u201c" in t for t in notes.values())  # no quotes
    r = cli("export", "--sections", "hq-structure", "--citations", "ibid", "--out", str(out))
    assert r.code == 2 and "invalid choice" in r.err


# -- order ----------------------------------------------------------------------------------------------


def test_related_facts_sit_together(store) -> None:
    facts = {f.id: f for f in store.facts()}
    two_plus_two = [f.id for f in facts.values() if "event:Japan-U.S. Economic 2+2" in f.tags]
    assert len(two_plus_two) >= 2
    others = sorted((f for f in facts.values() if f.section == "us-japan-cooperation" and f.id not in two_plus_two),
                    key=lambda f: f.as_of)
    ids = [f.id for f in sorted([*others, *(facts[i] for i in two_plus_two)], key=lambda f: f.as_of)]
    grouped = group_related(ids, facts)
    at = [grouped.index(i) for i in two_plus_two]
    assert max(at) - min(at) == len(two_plus_two) - 1  # one run
    assert sorted(grouped) == sorted(ids)


# -- the cover and the glossary -------------------------------------------------------------------------


def test_the_cover_says_when_the_facts_are_older_than_the_horizon(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    b = small_briefing()
    b.cover.date_of_issue = date(2026, 12, 13)
    doc = resolve(b, store, today=TODAY)
    assert doc.cover.facts_current_text == ("Facts current as of 13 September 2025 \u2014 15 months before this "
                                            "briefing; check for later developments.")
    out = tmp_path / "b.docx"
    export_briefing(doc, out)
    import docx

    assert doc.cover.facts_current_text in [p.text for p in docx.Document(str(out)).paragraphs]
    b.cover.date_of_issue = date(2026, 9, 1)  # within twelve months: no warning
    assert resolve(b, store, today=TODAY).cover.facts_current_text == "Facts current as of 13 September 2025"
    assert "months before" in resolve(b, store, today=TODAY, horizon_months=6).cover.facts_current_text


def test_the_glossary_lists_only_names_the_briefing_uses(store) -> None:
    b = Briefing(options=Options(glossary=True), sections=[
        BriefingSection(section="hq-structure", items=[FactItem(fact_id="hq-established-sept-1")])])
    doc = resolve(b, store, today=DAY)
    names = {g.name for g in doc.glossary}
    assert names and len(names) < len(store.glossary())
    text = " ".join([*(fb.text for fb in doc.fact_blocks()), *(fb.footnote_text() for fb in doc.fact_blocks()),
                     *(p.text for p in doc.summary.points), *(s.heading for s in doc.sections)]).casefold()
    by_name = {g.name: g for g in store.glossary()}
    for name in names:
        assert any(n.casefold() in text for n in by_name[name].all_names()), name
    assert "AI Strategy Headquarters" in names
    # an edit that names someone new brings them in, as the window resolves again after each edit
    from briefer.domain.document import CachedStore

    cached = CachedStore(store, {f.id: f for f in store.facts()})
    other = next(g for g in store.glossary() if g.name not in names and g.kind == "person")
    b.sections[0].items[0].override = f"The Headquarters was set up on 1 September 2025, says {other.name}."
    assert other.name in {g.name for g in resolve(b, cached, today=DAY).glossary}
    b.sections[0].items[0].override = None
    assert {g.name for g in resolve(b, cached, today=DAY).glossary} == names


# -- the page estimate ------------------------------------------------------------------------------------


@dataclass
class _Figure:
    """A figure block as the document model will carry it: a printed height in inches."""

    height_in: float
    caption: str = "Figure 1. A timeline"
    kind: str = "figure"


def test_the_estimate_counts_figures_and_the_contents_page(store) -> None:
    b = Briefing(sections=[BriefingSection(section="risks", items=[FactItem(fact_id="risk-weak-deterrence")])])
    doc = resolve(b, store, today=DAY)
    base = estimate(doc)
    doc.sections[0].blocks.append(_Figure(height_in=9.5))  # type: ignore[arg-type]
    assert estimate(doc).pages == base.pages + 1
    doc.sections[0].blocks.pop()
    b.options.contents = False
    assert estimate(resolve(b, store, today=DAY)).pages <= base.pages


def test_dry_run_writes_nothing_and_gives_the_estimate(cli, tmp_path: Path) -> None:
    out = tmp_path / "never.docx"
    before = sorted(tmp_path.rglob("*"))
    r = cli("export", "--template", "one-page-brief", "--out", str(out), "--dry-run", "--json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert not out.exists()
    # nothing written, no edition recorded (but the store's own companions: SQLite's files, and the record
    # of the day's check of the store file, briefer.store.integrity)
    assert [p for p in sorted(tmp_path.rglob("*")) if p not in before and "-journal" not in p.name
            and not p.name.endswith(("-wal", "-shm")) and p.name != integrity.RECORD] == []
    assert json.loads(cli("templates", "editions", "one-page-brief", "--json").out) == []
    assert data["pages_estimated"] == 1 and data["over_budget"] is False
    assert data["body_words"] > 0 and data["footnote_words"] > 0 and data["facts"]
    assert {"id", "section", "priority"} <= set(data["facts"][0])
    assert data["key_points"] and all(k["text"] for k in data["key_points"])
    r = cli("export", "--template", "full-briefing", "--dry-run")
    assert r.code == 0 and "would write nothing" in r.out and "page" in r.out
    r = cli("export", "--template", "full-briefing")
    assert r.code == 2 and "--out" in r.err


def test_the_window_estimate_is_the_export_estimate(qapp, cli, store, data_dir: Path, tmp_path: Path) -> None:
    from briefer.domain.briefing_file import save_briefing_file
    from briefer.ui.briefing_model import BriefingDoc

    exp = begin_template_export(store, data_dir, "us-japan-cooperation", today=date.today())
    path = tmp_path / "note.briefing.json"
    save_briefing_file(path, exp.briefing)
    data = json.loads(cli("export", "--briefing", str(path), "--dry-run", "--json").out)
    doc = BriefingDoc(exp.briefing, store_sections=store.sections(), facts={f.id: f for f in store.facts()})
    doc.estimator = lambda b: estimate(resolve(b, store, today=date.today()))
    length = doc.length()
    assert (length.pages, length.words, length.footnote_words) == (
        data["pages_estimated"], data["body_words"], data["footnote_words"])


def test_risk_watch_leads_with_what_changed(store, data_dir: Path, tmp_path: Path) -> None:
    """The recurring risk note opens with what changed since its last edition, before its key points, in
    every format; its first edition says in one line that there is nothing to compare with yet."""
    from briefer.domain.blocks import FIRST_EDITION
    from briefer.export.html import render_html
    from briefer.export.markdown import render_markdown

    def order(text: str, *marks: str) -> list[int]:
        return [text.index(m) for m in marks]

    first = begin_template_export(store, data_dir, "risk-watch", today=DAY)
    doc = resolve(first.briefing, store, today=DAY)
    assert doc.whats_new is not None and doc.whats_new.first_edition
    md = render_markdown(doc)
    a, b = order(md, FIRST_EDITION, "## Key points")
    assert a < b and "What\u2019s new" not in md
    export_briefing(doc, tmp_path / "first.docx", layout=False)
    first.record(tmp_path / "first.docx")

    later = begin_template_export(store, data_dir, "risk-watch", today=date(2025, 10, 8))
    doc = resolve(later.briefing, store, today=date(2025, 10, 8))
    assert doc.whats_new is not None and not doc.whats_new.first_edition
    heading = doc.whats_new.heading
    assert heading.startswith("What\u2019s new since 1 October 2025")
    for text in (render_markdown(doc), render_html(doc)):
        assert FIRST_EDITION not in text
        a, b = order(text, heading, "Key points")
        assert a < b, "what changed comes after the key points"
    out = tmp_path / "later.docx"
    export_briefing(doc, out, layout=False)
    from export_support import xml

    paras = ["".join(p.itertext()) for p in xml(out, "word/document.xml").iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p")]
    assert paras.index(heading) < paras.index("Key points")
    # a briefing that does not lead with what changed keeps the key points first, and says nothing of editions
    full = resolve(begin_template_export(store, data_dir, "full-briefing", today=DAY).briefing, store, today=DAY)
    assert full.whats_new is None and FIRST_EDITION not in render_markdown(full)


def test_a_key_point_is_never_a_second_copy_of_its_fact(store) -> None:
    """A briefing made in the window from facts without a curated headline printed each fact's whole
    statement again as its key point; such a fact now gives no key point (one with a headline, or a long
    statement whose first sentence says less than the whole, still does)."""
    from briefer.domain.briefing import Briefing, BriefingSection, FactItem
    from briefer.domain.document import resolve
    from briefer.domain.key_points import copies_body

    facts = [f for f in store.facts() if f.status == "current"]
    bare = [f for f in facts if not f.headline and copies_body(f, None)][:3]
    headed = [f for f in facts if f.headline][:1]
    assert len(bare) == 3 and headed
    briefing = Briefing(sections=[BriefingSection(section=f.section, items=[FactItem(fact_id=f.id)])
                                  for f in [*bare, *headed]])
    doc = resolve(briefing, store, today=TODAY)
    points = doc.summary.points if doc.summary else []
    assert [p.fact_id for p in points] == [headed[0].id]
    assert points[0].text == headed[0].headline
    # a fact the briefing rewords keeps its point, in the analyst's words
    briefing.sections[-1].items[0].override = "Our own short wording."
    doc = resolve(briefing, store, today=TODAY)
    assert [(p.fact_id, p.text) for p in (doc.summary.points if doc.summary else [])] == [
        (headed[0].id, "Our own short wording.")]
