"""The Word export: what a reader opening the file would see, checked with
python-docx and with independent readers (docx2python, pandoc)."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import docx
import pypandoc
import pytest
from docx2python import docx2python
from export_support import NS, TODAY, W, footnote_texts, part, small_briefing, small_store, style_ids, used_styles, xml

from briefer.domain.briefing import Briefing, BriefingSection, FactItem
from briefer.domain.compose import briefing_from_sections
from briefer.domain.document import resolve
from briefer.domain.models import REQUIRED_SECTIONS
from briefer.domain.typography import smart_quotes
from briefer.export import export_briefing
from briefer.export.docx_reference import STYLES, default_reference

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def default_export(cli, tmp_path: Path, store) -> tuple[Path, object]:
    out = tmp_path / "briefing.docx"
    r = cli("export", "--out", str(out))
    assert r.code == 0, r.err
    document = resolve(briefing_from_sections(store, None), store, today=date.today())
    return out, document


def test_default_export_has_required_sections_and_a_footnote_on_every_fact(default_export, store) -> None:
    out, document = default_export
    d = docx.Document(str(out))  # python-docx re-opens it
    headings = [p.text for p in d.paragraphs if p.style.name == "Heading 1"]
    titles = {s.id: s.title for s in store.sections()}
    for sid in REQUIRED_SECTIONS:
        assert any(h.endswith(titles[sid]) for h in headings), f"missing section {sid}"
    assert "Appendix A. Sources cited" in headings
    assert len(d.tables) == 2  # sources and glossary

    with docx2python(out) as read:
        body_text = "\n".join(str(x) for x in _flatten(read.body))
        notes = [n for n in _flatten(read.footnotes) if n.startswith("footnote")]
    # one footnote a fact: a key point points to the section that develops its fact and has no note
    assert document.summary.points and all(p.fact is None and p.see for p in document.summary.points)
    n_facts = sum(len(s.facts()) for s in document.sections)
    assert n_facts == document.footnote_count > 140
    body_ids = [fb.fact_id for s in document.sections for fb in s.facts()]
    assert len(body_ids) == len(set(body_ids))  # no fact twice
    assert len(notes) == n_facts
    assert body_text.count("----footnote") == n_facts
    for sec in document.sections:
        for fb in sec.facts():
            assert smart_quotes(fb.text) in body_text  # typeset: straight quotes become curly


def _flatten(nested) -> list[str]:
    if isinstance(nested, str):
        return [nested]
    out: list[str] = []
    for item in nested:
        out.extend(_flatten(item))
    return out


def test_pandoc_reads_headings_facts_and_footnotes(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    doc = resolve(small_briefing(), store, today=TODAY)
    out = tmp_path / "b.docx"
    export_briefing(doc, out)
    md = pypandoc.convert_file(str(out), "markdown", extra_args=["--wrap=none"])
    assert "# 1. The AI Promotion Act (2025)" in md
    assert "# 2. Who runs the Headquarters" in md
    assert "The Prime Minister (石破茂) chairs the Headquarters.[^" in md
    notes = re.findall(r"^\[\^(\d+)\]:", md, flags=re.M)
    assert len(notes) == doc.footnote_count == 4  # the 4 facts (superseded left out); key points have none
    assert "An old statement" not in md
    # the disputed fact's footnote gives each version with its source: in quotation marks only the one
    # in its source's words ("Minister Kiuchi will head it."), the other as the curator's summary
    assert re.search(r"Version 1, given by 1 source in substance: The Prime Minister heads it\. ", md)
    assert re.search(r"Version 2, given by 1 source: [\u201c\"]Minister Kiuchi will head it\.[\u201d\"]", md)


def test_footnote_texts_cite_outlet_title_author_date_quote(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    doc = resolve(small_briefing(), store, today=TODAY)
    out = tmp_path / "b.docx"
    export_briefing(doc, out)
    notes = footnote_texts(out)
    assert sorted(notes) == list(range(1, 5))
    by_fact = {fb.fact_id: fb.note for fb in doc.sections[1].facts()}
    chair = notes[by_fact["hq-chair"]]
    # both citations in one footnote; the white paper has title, author and date, no outlet
    assert "\u201cJapan\u2019s AI Governance Strategy\u201d, Tagui Ichikawa, 17 June 2025, para. 9:" in chair
    # the news report: outlet known, no title (its label in brackets), no date (n.d.)
    assert "Example Shimbun, [News report on the Headquarters], n.d.:" in chair
    # the long quote is shortened with an ellipsis
    assert "\u2026\u201d" in chair and "across society" not in chair
    disputed = notes[by_fact["hq-head-disputed"]]
    assert disputed.startswith("Disputed: the sources give 2 different versions, the one most sources give first.")
    body = "".join(xml(out, "word/document.xml").itertext())
    assert "Disputed Reports differ on who heads the Headquarters." in body


def test_every_style_used_exists_in_the_reference_document(tmp_path: Path) -> None:
    ref_ids = style_ids(default_reference())
    assert set(STYLES) <= set(ref_ids), set(STYLES) - set(ref_ids)
    store = small_store(tmp_path / "d")
    out = tmp_path / "b.docx"
    export_briefing(resolve(small_briefing(), store, today=TODAY), out)
    used = used_styles(out)
    assert used <= set(ref_ids), used - set(ref_ids)
    # named styles only: no direct run or paragraph formatting in the body
    body = part(out, "word/document.xml").decode()
    for direct in ("<w:b/>", "<w:i/>", "<w:sz ", "<w:color ", "<w:rFonts ", "<w:jc ", "<w:spacing "):
        assert direct not in body
    # the requested styles are all there, under their Word names
    names = set(ref_ids.values())
    for name in ("Title", "Subtitle", "heading 1", "heading 2", "heading 3", "Body Text", "List Bullet",
                 "footnote text", "footnote reference", "caption", "Marking", "Briefer Table"):
        assert name in names


def test_reference_docx_is_what_the_script_generates(tmp_path: Path) -> None:
    out = tmp_path / "ref.docx"
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_reference_docx.py"), str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == default_reference().read_bytes(), "run 'make reference-doc' and commit the result"


def test_japanese_font_and_language_on_the_styles() -> None:
    root = xml(default_reference(), "word/styles.xml")
    defaults = root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    assert defaults.find("w:rFonts", NS).get(f"{{{W}}}eastAsia") == "IPAexGothic"
    assert defaults.find("w:lang", NS).get(f"{{{W}}}eastAsia") == "ja-JP"
    for fonts in root.iter(f"{{{W}}}rFonts"):
        assert fonts.get(f"{{{W}}}eastAsia") == "IPAexGothic"


def test_contents_links_to_bookmarks_on_headings(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    out = tmp_path / "b.docx"
    export_briefing(resolve(small_briefing(), store, today=TODAY), out)
    root = xml(out, "word/document.xml")
    links = {h.get(f"{{{W}}}anchor"): "".join(h.itertext()) for h in root.iter(f"{{{W}}}hyperlink")
             if not "".join(h.itertext()).startswith("see \u00a7")}  # the key points' links to their sections
    marks = {b.get(f"{{{W}}}name"): b for b in root.iter(f"{{{W}}}bookmarkStart")}
    # the key points stand on the cover page, before the contents, which list them all the same (page 1)
    assert list(links.values()) == ["Key points", "1. The AI Promotion Act (2025)", "2. Who runs the Headquarters",
                                    "3. Risks and gaps", "Appendix A. Sources cited", "Appendix B. Glossary of names"]
    for anchor, text in links.items():
        heading = marks[anchor].getparent()
        assert "".join(heading.itertext()) == text
    # no field in the body that Word would ask to update
    assert root.find(".//w:fldSimple", NS) is None and root.find(".//w:instrText", NS) is None
    settings = part(out, "word/settings.xml").decode()
    assert "updateFields" not in settings


def test_header_footer_marking_and_page_x_of_y(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    out = tmp_path / "b.docx"
    export_briefing(resolve(small_briefing(), store, today=TODAY), out)
    header = "".join(xml(out, "word/header1.xml").itertext())
    assert "INTERNAL \u2014 NOT FOR DISTRIBUTION" in header and "Japan\u2019s AI Governance" in header
    footer = xml(out, "word/footer1.xml")
    instr = [t.text.strip() for t in footer.iter(f"{{{W}}}instrText")]
    assert instr == ["PAGE", "NUMPAGES"]
    assert "".join(footer.itertext()).startswith("Page  PAGE 1 of  NUMPAGES 1")
    assert "INTERNAL" in "".join(footer.itertext())

    b = small_briefing()
    b.cover.marking = ""
    export_briefing(resolve(b, store, today=TODAY), out)
    assert "INTERNAL" not in part(out, "word/header1.xml").decode()
    assert "INTERNAL" not in part(out, "word/footer1.xml").decode()


def test_cover_summary_and_properties(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    out = tmp_path / "b.docx"
    doc = resolve(small_briefing(), store, today=TODAY)
    export_briefing(doc, out)
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs]
    assert texts[:7] == ["Briefing", "Japan\u2019s AI Governance", "The Act, the Headquarters and the risks",
                         "Prepared for: The Minister", "Prepared by: Policy Unit", "Date of issue: 1 October 2025",
                         "Facts current as of 13 September 2025"]
    # default key points: the most important fact of each of the first sections, in the briefing's order,
    # each pointing to the section that develops it (no second footnote)
    key = [p.text for p in d.paragraphs if p.style.name == "Key Point"]
    assert key == ["The Ishiba Cabinet approved the bill in February 2025. (see \u00a71)",
                   "The Prime Minister (石破茂) chairs the Headquarters. (see \u00a72)"]
    cp = d.core_properties
    assert cp.title == "Japan\u2019s AI Governance"
    assert cp.subject == "The Act, the Headquarters and the risks"
    assert cp.author == "Policy Unit"
    assert "Who runs the Headquarters" in cp.keywords
    assert cp.created is not None

    b = small_briefing()
    b.summary = "Bottom line: the Act is a basic law.\n\nIt sets up a Headquarters."
    export_briefing(resolve(b, store, today=TODAY), out)
    d = docx.Document(str(out))
    assert [p.text for p in d.paragraphs if p.style.name == "Summary Text"] == [
        "Bottom line: the Act is a basic law.", "It sets up a Headquarters."]
    assert "Bottom line up front" in [p.text for p in d.paragraphs if p.style.name == "Heading 1"]


def test_sources_and_glossary_appendices(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    out = tmp_path / "b.docx"
    export_briefing(resolve(small_briefing(), store, today=TODAY), out)
    d = docx.Document(str(out))
    sources, glossary = d.tables
    rows = [[c.text for c in r.cells] for r in sources.rows]
    assert rows[0] == ["Title", "Outlet", "Author", "Date", "Kind", "Reliability"]
    assert rows[1:] == [
        ["Japan\u2019s AI Governance Strategy", "not stated", "Tagui Ichikawa", "17 June 2025", "white paper",
         "B \u2014 Usually reliable"],
        ["[News report on the Headquarters]", "Example Shimbun", "not stated", "not stated", "news report",
         "C \u2014 Fairly reliable"],
    ]
    grows = [[c.text for c in r.cells] for r in glossary.rows]
    assert ["Shigeru Ishiba", "Prime Minister Ishiba", "石破茂", "person"] in grows


def test_superseded_left_out_unless_asked_and_missing_facts_reported(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    b = small_briefing()
    b.options.include_superseded = True
    b.sections.append(BriefingSection(section="risks", items=[FactItem(fact_id="deleted-since")]))
    doc = resolve(b, store, today=TODAY)
    assert any("deleted-since" in w and "not in the store" in w for w in doc.warnings)
    out = tmp_path / "b.docx"
    result = export_briefing(doc, out)
    assert any("deleted-since" in w for w in result.warnings)
    body = "".join(xml(out, "word/document.xml").itertext())
    assert "Superseded An old statement that a newer fact replaces." in body
    assert any("Superseded by fact hq-chair" in t for t in footnote_texts(out).values())


def test_control_characters_are_removed_and_reported(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    b = small_briefing()
    b.cover.title = "Bad\x00title\x1b"
    b.sections[0].items[1].text = "Para\x0bgraph with \ud800 lone surrogate"
    doc = resolve(b, store, today=TODAY)
    assert any("the title" in w for w in doc.warnings)
    out = tmp_path / "b.docx"
    result = export_briefing(doc, out)
    assert result.warnings
    d = docx.Document(str(out))
    assert d.core_properties.title == "Badtitle"
    assert "Paragraph with lone surrogate" in [p.text for p in d.paragraphs]


def test_the_renderer_cleans_text_it_is_handed_directly(tmp_path: Path) -> None:
    """Even a document built by hand (not through resolve) cannot corrupt the file."""
    store = small_store(tmp_path / "d")
    doc = resolve(small_briefing(), store, today=TODAY)
    doc.sections[0].blocks[0].text = "evil\x01text"
    out = tmp_path / "b.docx"
    result = export_briefing(doc, out)
    assert any("removed 1 character" in w for w in result.warnings)
    assert "eviltext" in "".join(xml(out, "word/document.xml").itertext())


def test_user_reference_doc_restyles_the_output(tmp_path: Path, cli) -> None:
    # a user's reference: python-docx's default template with a red Heading 1
    ref = tmp_path / "house.docx"
    d = docx.Document()
    d.styles["Heading 1"].font.color.rgb = docx.shared.RGBColor(0xFF, 0, 0)
    d.sections[0].page_width = docx.shared.Mm(216)
    d.save(str(ref))
    out = tmp_path / "b.docx"
    r = cli("export", "--sections", "risks", "--out", str(out), "--reference-doc", str(ref))
    assert r.code == 0, r.err
    assert "has no" in r.err and "Marking" in r.err  # styles it lacks were filled in, and said so
    styles = part(out, "word/styles.xml").decode()
    assert 'w:val="FF0000"' in styles  # their heading colour
    reopened = docx.Document(str(out))
    assert abs(reopened.sections[0].page_width - docx.shared.Mm(216)) < docx.shared.Mm(1)  # their page width
    assert used_styles(out) <= set(style_ids(out))
    assert any(p.style.name == "List Bullet" for p in reopened.paragraphs)
    # the copied bullet list points at a numbering definition that exists
    numbering = part(out, "word/numbering.xml").decode()
    ids = style_ids(out)
    bullet_id = next(k for k, v in ids.items() if v == "List Bullet")
    num = xml(out, "word/styles.xml").find(f"w:style[@w:styleId='{bullet_id}']/w:pPr/w:numPr/w:numId", NS)
    if num is not None:
        assert f'w:numId="{num.get(f"{{{W}}}val")}"' in numbering


def test_bad_reference_doc_is_one_clear_error(tmp_path: Path, cli) -> None:
    bad = tmp_path / "not.docx"
    bad.write_text("hello")
    r = cli("export", "--out", str(tmp_path / "b.docx"), "--reference-doc", str(bad))
    assert r.code == 2 and r.err.count("\n") == 1 and "not a .docx file" in r.err
    r = cli("export", "--out", str(tmp_path / "b.docx"), "--reference-doc", str(tmp_path / "missing.docx"))
    assert r.code == 2 and "does not exist" in r.err
    assert not (tmp_path / "b.docx").exists()


def test_package_is_well_formed(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    out = tmp_path / "b.docx"
    export_briefing(resolve(small_briefing(), store, today=TODAY), out)
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        names = set(zf.namelist())
    assert {"word/footnotes.xml", "word/settings.xml", "docProps/core.xml", "word/numbering.xml"} <= names
    settings = part(out, "word/settings.xml").decode()
    assert '<w:footnote w:id="-1"/><w:footnote w:id="0"/>' in settings
    root = xml(out, "word/footnotes.xml")
    assert root.nsmap.get("r") and root.nsmap.get("w")


def test_empty_briefing_exports(tmp_path: Path) -> None:
    store = small_store(tmp_path / "d")
    out = tmp_path / "b.docx"
    result = export_briefing(resolve(Briefing(), store, today=TODAY), out)
    assert result.footnotes == 0
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs]
    assert Briefing().cover.title in texts  # the cover is there
    # with no fact there is no date the facts are current as of: the cover says nothing (issue 14)
    assert not any("Facts current as of" in t or "unknown" in t for t in texts)


def test_python_docx_is_not_imported_at_start_up() -> None:
    code = ("import sys, briefer.cli; briefer.cli.build_parser(); "
            "print(any(m == 'docx' or m.startswith(('docx.', 'lxml')) for m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert r.stdout.strip() == "False"


def test_reference_without_list_bullet_gets_briefer_bullets(tmp_path: Path) -> None:
    d = docx.Document()
    for name in ("List Bullet", "Heading 1"):
        el = d.styles[name].element
        el.getparent().remove(el)
    ref = tmp_path / "plain.docx"
    d.save(str(ref))
    store = small_store(tmp_path / "d")
    out = tmp_path / "b.docx"
    result = export_briefing(resolve(small_briefing(), store, today=TODAY), out, reference_doc=ref)
    assert any("\u201cList Bullet\u201d" in w and "\u201cHeading 1\u201d" in w for w in result.warnings)
    ids = style_ids(out)
    bullet_id = next(k for k, v in ids.items() if v == "List Bullet")
    num_id = xml(out, "word/styles.xml").find(f"w:style[@w:styleId='{bullet_id}']/w:pPr/w:numPr/w:numId", NS)
    numbering = xml(out, "word/numbering.xml")
    num = numbering.find(f"w:num[@w:numId='{num_id.get(f'{{{W}}}val')}']", NS)
    abstract = num.find("w:abstractNumId", NS).get(f"{{{W}}}val")
    lvl = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract}']/w:lvl", NS)
    assert lvl.find("w:numFmt", NS).get(f"{{{W}}}val") == "bullet"
    # abstract definitions stay before the num elements (schema order)
    tags = [etree_local(el) for el in numbering]
    assert tags == sorted(tags, key=lambda t: t != "abstractNum")
    reopened = docx.Document(str(out))
    assert any(p.style.name == "Heading 1" for p in reopened.paragraphs)


def etree_local(el) -> str:
    return el.tag.rsplit("}", 1)[-1]


def test_whats_new_block_in_every_format(tmp_path: Path) -> None:
    from briefer.domain.briefing import Change, WhatsNew
    from briefer.export.html import render_html
    from briefer.export.markdown import render_markdown

    store = small_store(tmp_path / "d")
    b = small_briefing()
    b.options.whats_new = True
    b.whats_new = WhatsNew(since=date(2025, 9, 1), changes=[
        Change(kind="added", fact_id="hq-chair", text="The Prime Minister chairs the Headquarters."),
        Change(kind="removed", fact_id="gone", text="An old fact was withdrawn."),
    ])
    # kept although empty (an empty section is left out unless kept): its heading is what is checked
    b.sections.append(BriefingSection(section="not-in-store", heading=None, items=[], keep_empty=True))
    doc = resolve(b, store, today=TODAY)
    out = tmp_path / "b.docx"
    export_briefing(doc, out)
    d = docx.Document(str(out))
    texts = [p.text for p in d.paragraphs]
    assert "What\u2019s new since 1 September 2025" in texts
    assert "Added: The Prime Minister chairs the Headquarters." in texts
    assert "Removed: An old fact was withdrawn." in texts
    assert "4. Not in store" in texts  # a section the store lacks keeps a readable heading
    links = ["".join(h.itertext()) for h in xml(out, "word/document.xml").iter(f"{{{W}}}hyperlink")]
    contents = [link for link in links if not link.startswith("see \u00a7")]  # not the key points' pointers
    assert contents[:2] == ["Key points", "What\u2019s new since 1 September 2025"]
    assert "Added:</span> The Prime Minister chairs" in render_html(doc)
    assert "- **Removed:** An old fact was withdrawn." in render_markdown(doc)
