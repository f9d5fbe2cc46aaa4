"""What the analyst reads, without the program's internals: sources named by their labels (never a
seed file's number or a source id), numbers that agree with their nouns, and empty sections left
out of the briefing unless kept."""

from __future__ import annotations

from datetime import date

from briefer.domain.briefing import Briefing, BriefingSection, FactItem
from briefer.domain.document import resolve
from briefer.domain.source_names import name_sources, short_label
from briefer.domain.typography import count
from briefer.export.markdown import render_markdown

DAY = date(2025, 10, 1)


def test_notes_and_questions_name_sources_by_their_labels(store) -> None:  # noqa: ANN001
    sources = store.sources()
    notes = store.fact("bg-soft-law-approach-defined").notes
    assert "004 and 001 agree" in notes
    named = name_sources(notes, sources)
    assert "004" not in named and "001" not in named
    assert named.startswith("Report by Tagui Ichikawa")
    assert "Press digest of Asahi and Jiji reports" in named
    assert name_sources("Who heads it? (news-kiuchi-hq says both)", sources) == \
        "Who heads it? (News report on the Headquarters' launch says both)"
    # a number that is not a seed file's, and a word that merely contains an id, are left alone
    assert name_sources("In 2025, 26.7% and 005 said so; news-kiuchi-hq-2 too", sources) == \
        "In 2025, 26.7% and 005 said so; news-kiuchi-hq-2 too"


def test_an_imported_source_is_named_by_its_title_not_the_importers_stand_in(store) -> None:  # noqa: ANN001
    src = store.source("news-kiuchi-hq").model_copy(update={"label": "Imported: 000_2b21e0870ad15696.txt",
                                                           "title": "Kiuchi to head the AI HQ"})
    assert short_label(src) == "Kiuchi to head the AI HQ"


def test_count_agrees_with_its_noun() -> None:
    assert count(1, "page") == "1 page"
    assert count(2, "page") == "2 pages"
    assert count(0, "fact") == "0 facts"
    assert count(1200, "word") == "1,200 words"
    assert count(3, "summary", "summaries") == "3 summaries"


def _with_an_empty_section(store, keep: bool) -> Briefing:  # noqa: ANN001
    law = [f.id for f in store.facts() if f.section == "law-summary"][:2]
    risks = [f.id for f in store.facts() if f.section == "risks"][:1]
    return Briefing(sections=[
        BriefingSection(section="law-summary", items=[FactItem(fact_id=i) for i in law]),
        BriefingSection(section="us-japan-cooperation", keep_empty=keep),
        BriefingSection(section="risks", items=[FactItem(fact_id=i) for i in risks]),
    ])


def test_an_empty_section_is_left_out_unless_kept(store) -> None:  # noqa: ANN001
    doc = resolve(_with_an_empty_section(store, keep=False), store, today=DAY)
    assert [s.section_id for s in doc.sections] == ["law-summary", "risks"]
    assert [s.number for s in doc.sections] == [1, 2]
    # a key point names the number the reader sees
    assert {p.section_number for p in doc.summary.points} <= {1, 2}
    title = next(s.title for s in store.sections() if s.id == "us-japan-cooperation")
    assert title not in render_markdown(doc)
    kept = resolve(_with_an_empty_section(store, keep=True), store, today=DAY)
    assert [s.section_id for s in kept.sections] == ["law-summary", "us-japan-cooperation", "risks"]
    assert kept.sections[1].blocks == [] and title in render_markdown(kept)
    # an introduction is something to print: the section stays
    b = _with_an_empty_section(store, keep=False)
    b.sections[1].intro = "What the two governments agreed."
    assert len(resolve(b, store, today=DAY).sections) == 3
