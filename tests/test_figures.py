"""Figures drawn from the facts: what they show comes from tagged facts, and
they reach Word (native shapes with alt text), the HTML preview (SVG) and
Markdown (the description), each with a caption and a note to its sources."""

from __future__ import annotations

import base64
import re
import zipfile
from datetime import date
from pathlib import Path

from export_support import NS, W, xml

from briefer.domain.briefing import Briefing, BriefingSection, FactItem, Options
from briefer.domain.document import resolve
from briefer.domain.figures import event_date, org_chart_from_facts, timeline_from_facts
from briefer.domain.models import Citation, Fact
from briefer.export.html import render_html
from briefer.export.markdown import render_markdown

TODAY = date(2025, 10, 1)
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def _fact(fid: str, tags: list[str], as_of: date = date(2025, 9, 1), status: str = "current") -> Fact:
    disputed = status == "disputed"
    cites = [Citation(source="src-a", quote="a quote", claim="a" if disputed else None)]
    if disputed:
        cites.append(Citation(source="src-b", quote="another quote", claim="b"))
    return Fact(id=f"fact-{fid}", section="hq-structure", statement=f"A statement for {fid}.", as_of=as_of,
                tags=tags, status=status, citations=cites)


def test_event_date_is_the_most_precise_date_tag() -> None:
    f = _fact("a", ["date:2025", "date:2025-05-28", "date:2025-05"])
    assert event_date(f) == (date(2025, 5, 28), "day")
    assert event_date(_fact("b", ["date:2017-03"])) == (date(2017, 3, 1), "month")
    assert event_date(_fact("c", [], as_of=date(2024, 4, 2))) == (date(2024, 4, 2), "day")


def test_timeline_orders_milestones_and_marks_what_is_due_and_disputed() -> None:
    facts = [
        _fact("plan", ["date:2025", "date:2025-12", "figure:timeline:Plan due"]),
        _fact("act", ["date:2025-05-28", "figure:timeline:Act passed"], status="disputed"),
        _fact("s17", ["date:2017-03", "figure:timeline:Strategy"], as_of=date(2025, 6, 17)),
        _fact("old", ["date:2016", "figure:timeline:Old"], status="superseded"),
        _fact("untagged", ["date:2020"]),
    ]
    t = timeline_from_facts(facts)
    assert [(e.label, e.date_text, e.due, e.disputed) for e in t.events] == [
        ("Strategy", "March 2017", False, False), ("Act passed", "28 May 2025", False, True),
        ("Plan due", "December 2025", True, False)]
    assert [e.label for e in timeline_from_facts(facts, include_superseded=True).events][0] == "Old"


def test_org_chart_boxes_come_from_tagged_facts_in_role_order() -> None:
    facts = [_fact("m", ["figure:hq-chart:members:All ministers"]),
             _fact("h", ["body:AI Strategy Headquarters", "figure:hq-chart:head:The Prime Minister"],
                   status="disputed"),
             _fact("x", ["figure:hq-chart:bogus:Ignored"])]
    chart = org_chart_from_facts(facts)
    assert [(b.role, b.title, b.text, b.disputed) for b in chart.boxes] == [
        ("head", "Head", "The Prime Minister", True), ("members", "Members", "All ministers", False)]



def test_the_members_answer_to_the_head_and_the_minister_responsible_stands_beside_the_line() -> None:
    """The sources: the Prime Minister heads the Headquarters "along with all cabinet members", with a
    minister "responsible"; the chart once hung the members from the minister's box, a chain of command
    no source gives."""
    from briefer.export.figure_draw import Box, Line, layout

    facts = [_fact("h", ["figure:hq-chart:head:The Prime Minister"]),
             _fact("r", ["figure:hq-chart:minister:Minoru Kiuchi"]),
             _fact("m", ["figure:hq-chart:members:All Cabinet ministers"]),
             _fact("e", ["figure:hq-chart:experts:An expert panel"])]
    pic = layout(org_chart_from_facts(facts), 6.3)
    boxes = {s.lines[1][0]: s for s in pic.shapes if isinstance(s, Box)}
    head, minister, members = boxes["The Prime Minister"], boxes["Minoru Kiuchi"], boxes["All Cabinet ministers"]
    trunk_x = head.x + head.w / 2
    # the line down from the head passes beside the minister's box, not through it
    assert not minister.x <= trunk_x <= minister.x + minister.w
    trunk = [s for s in pic.shapes if isinstance(s, Line) and s.x1 == s.x2 == trunk_x]
    reach = max(max(s.y1, s.y2) for s in trunk)
    assert min(min(s.y1, s.y2) for s in trunk) == head.y + head.h and reach < members.y
    # the minister hangs off it by an arm; the members' box below the minister's
    assert any(isinstance(s, Line) and s.y1 == s.y2 and min(s.x1, s.x2) == trunk_x
               and max(s.x1, s.x2) == minister.x for s in pic.shapes)
    assert members.y > minister.y + minister.h
    assert pic.height >= max(b.y + b.h for b in boxes.values())

def _briefing(sections: list[str], store, figures: list[str]) -> Briefing:
    return Briefing(options=Options(figures=figures), sections=[
        BriefingSection(section=s, items=[FactItem(fact_id=f.id) for f in store.facts() if f.section == s][:3])
        for s in sections])


def test_the_pack_draws_the_timeline_and_the_chart_the_issue_names(store) -> None:
    doc = resolve(_briefing(["background", "law-summary", "hq-structure"], store, ["timeline", "hq-chart"]), store,
                  today=TODAY)
    figs = doc.figures()
    assert [f.figure_id for f in figs] == ["timeline", "hq-chart"] and [f.number for f in figs] == [1, 2]
    timeline = figs[0].drawing
    dates = [(e.date_text, e.due) for e in timeline.events]
    for want in ["March 2017", "June 2019", "April 2022", "April 2024", "February 2025", "28 May 2025",
                 "1 September 2025"]:
        assert (want, False) in dates, want
    assert dates[-1] == ("December 2025", True)  # the basic plan, still due
    # near the top of its section, after the first paragraph (a heading is never left alone above it)
    assert doc.section("background").blocks[1] is figs[0] and doc.section("background").blocks[0].kind == "fact"
    chart = figs[1].drawing
    assert [b.role for b in chart.boxes] == ["head", "minister", "members", "experts"]
    assert "Ishiba" in chart.box("head").text and "Kiuchi" in chart.box("minister").text
    # a disputed head (the sources differ on who heads it) is drawn as disputed, and only then
    assert chart.box("head").disputed == (store.fact(chart.box("head").fact_id).status == "disputed")
    assert doc.section("hq-structure").blocks[1] is figs[1]
    for fig in figs:
        assert fig.height_in > 2 and fig.alt_text and fig.sources[0].startswith("Drawn from")
        assert "Sources: " in fig.sources[0]
    # footnotes renumbered in reading order, the figures' among the facts'
    notes = [b.note for b in doc.note_blocks()]
    assert notes == list(range(1, len(notes) + 1))
    assert doc.footnote_count == len(doc.fact_blocks()) + 2


def test_a_figure_s_source_note_is_written_as_the_short_footnotes_are(store) -> None:
    """The note under a figure names each source as a short footnote does (author or label, short title,
    date when known, the places), not in the full note's long form with every heading: the figure's facts
    carry their own notes, and the shorter line leaves the page budget room for facts."""
    from briefer.domain.resolving import Cleaner, format_citation

    doc = resolve(_briefing(["background", "law-summary", "hq-structure"], store, ["timeline", "hq-chart"]), store,
                  today=TODAY)
    assert doc.figures()
    for fig in doc.figures():
        note = fig.sources[0]
        cited = list(dict.fromkeys(c.source for fid in fig.fact_ids for c in store.fact(fid).citations))
        assert "under \u201c" not in note and "n.d." not in note, note
        for sid in cited:
            short = format_citation(store.source(sid), "", "", Cleaner(), "test", sid).short_text
            assert f" {short}, " in note or f" {short}." in note, (short, note)
        assert "The New AI Law That Exposed" not in note  # a long title is cut as in a short note
        assert len(note.split()) < 70, note


def test_figures_are_off_unless_the_template_switches_them_on(store) -> None:
    doc = resolve(_briefing(["background", "hq-structure"], store, []), store, today=TODAY)
    assert doc.figures() == []


def test_a_figure_without_its_section_or_enough_facts_is_skipped_with_a_note(store) -> None:
    doc = resolve(_briefing(["risks"], store, ["timeline", "hq-chart"]), store, today=TODAY)
    assert doc.figures() == []
    assert any("timeline is left out: the briefing has none of the sections" in w for w in doc.warnings)
    # too few dated milestones: only two facts keep their timeline tag
    keep = {"bg-ai-strategy-2017", "bg-ai-strategy-2019"}
    for f in store.facts():
        if f.id not in keep and any(t.startswith("figure:timeline:") for t in f.tags):
            store.update_fact(f.id, f.model_copy(update={"tags": [t for t in f.tags if not t.startswith("figure:")]}))
    doc = resolve(_briefing(["background"], store, ["timeline"]), store, today=TODAY)
    assert doc.figures() == []
    assert any("the timeline is left out: it needs at least 3 dated milestones and the facts give 2" in w
               for w in doc.warnings)


def test_word_export_draws_native_shapes_with_alt_text_caption_and_note(cli, tmp_path: Path) -> None:
    out = tmp_path / "b.docx"
    r = cli("export", "--template", "full-briefing", "--out", str(out))
    assert r.code == 0, r.err
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
    assert not any(n.startswith("word/media/") for n in names)  # vector shapes, no picture files
    root = xml(out, "word/document.xml")
    docprs = root.findall(f".//{{{WP}}}docPr")
    assert [d.get("name") for d in docprs] == ["Figure 1", "Figure 2"]
    assert "28 May 2025" in docprs[0].get("descr") and "Ishiba" in docprs[1].get("descr")
    captions = [p for p in root.findall(".//w:p", NS)
                if "".join(p.itertext()).startswith("Figure ")]
    assert len(captions) == 2
    for cap in captions:
        assert cap.find("w:pPr/w:pStyle", NS).get(f"{{{W}}}val") == "Caption"
        ref = cap.find(".//w:footnoteReference", NS)
        note = xml(out, "word/footnotes.xml").find(f"w:footnote[@w:id='{ref.get(f'{{{W}}}id')}']", NS)
        assert "Sources: " in "".join(note.itertext())
    text = "".join(root.itertext())
    for label in ("AI Technology Strategy", "AI Promotion Act passed", "Basic AI plan", "Expert group",
                  "(to be convened)", "All Cabinet ministers"):
        assert label in text


def test_html_preview_shows_the_figures_as_svg(store) -> None:
    doc = resolve(_briefing(["background", "hq-structure"], store, ["timeline", "hq-chart"]), store, today=TODAY)
    page = render_html(doc)
    images = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)"', page)
    assert len(images) == 2
    svg = base64.b64decode(images[0][0]).decode("utf-8")
    assert svg.startswith("<svg") and "March 2017" in svg and "<title>Timeline of" in svg
    assert "Figure 1. Milestones of Japan\u2019s AI policy" in page and 'href="#fn-' in page
    notes = re.findall(r'<a name="fn-(\d+)"', page)
    assert len(notes) == doc.footnote_count
    md = render_markdown(doc)
    assert "*Figure 2. How the AI Strategy Headquarters is organised, as of September 2025*[^" in md
    assert md.count("[^") == 2 * doc.footnote_count


def test_figures_round_trip_through_a_briefing_file(tmp_path: Path) -> None:
    b = Briefing(options=Options(figures=["hq-chart"]))
    assert Briefing.model_validate_json(b.model_dump_json()).options.figures == ["hq-chart"]
