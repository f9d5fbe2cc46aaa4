"""Document -> Word (.docx).

The package is written part by part: the body, footnotes, header and footer
XML are built as text here (python-docx's high-level API costs about 1 ms a
paragraph and has no footnotes, fields, bookmarks or hyperlinks), and the
styles, bullet numbering, fonts, theme and page set-up come from the reference
document (:mod:`briefer.export.docx_reference`).  Every paragraph and run uses
a named style; nothing is formatted directly.

What Word and LibreOffice see:
- native footnotes (``word/footnotes.xml``), one per fact, every citation in it;
- contents as hyperlinks to bookmarks on the headings: right the moment the
  file opens, no "update fields" prompt;
- "Page X of Y" from PAGE / NUMPAGES fields in the footer, the title and the
  handling marking in the header, the marking again in the footer;
- core properties: title, subject, author, keywords, created.

Text safety: characters XML cannot hold are removed wherever text is written,
and counted, so a bad character can never corrupt the file.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import IO

from briefer.domain.document import (
    FIRST_EDITION,
    Document,
    FactBlock,
    FigureBlock,
    ParagraphBlock,
    SectionBlock,
    bookmark_name,
    sources_table,
)
from briefer.domain.page_metrics import compact_style
from briefer.domain.pages import KEPT_ROWS
from briefer.domain.typography import smart_quotes, unbroken_dates
from briefer.export.docx_reference import STYLES, R, Reference, W

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_WS = re.compile(r"[\t\r\n]+")
_SUSPECT = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff]")

_CT_BASE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL_BASE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_DECL = f'xmlns:w="{W}" xmlns:r="{R}"'
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

#: table columns of the sources appendix: heading, share of the width in fiftieths of a percent


class _Writer:
    """Builds the XML text of one export; counts characters it had to remove."""

    def __init__(self, ref: Reference, toc_pages: Mapping[str, int] | None = None,
                 page_count: int | None = None) -> None:
        self.s = ref.style_ids
        #: anchor -> page of each contents entry; None: contents as a plain list of links
        self.toc_pages = toc_pages
        self.page_count = page_count
        self.text_width = _text_width(ref.page_setup)
        self.removed = 0
        self.used_styles: set[str] = set()
        self._bookmark = 0
        self._break_pending = False
        self.has_drawing = False
        #: a compact document is set in the compact styles (briefer.domain.page_metrics.COMPACT)
        self.compact = False

    # -- primitives ------------------------------------------------------------

    def esc(self, text: str) -> str:
        # one scan in the usual case: no control character, no surrogate, no tab or newline
        if _SUSPECT.search(text):
            text, n = _ILLEGAL.subn("", text)
            self.removed += n
            text = _WS.sub(" ", text)
        return smart_quotes(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def style(self, sid: str) -> str:
        sid = compact_style(sid, self.compact)
        self.used_styles.add(sid)
        return self.s[sid]

    def run(self, text: str, rstyle: str | None = None) -> str:
        if not text:
            return ""
        rpr = f'<w:rPr><w:rStyle w:val="{self.style(rstyle)}"/></w:rPr>' if rstyle else ""
        return f'<w:r>{rpr}<w:t xml:space="preserve">{self.esc(text)}</w:t></w:r>'

    def para(self, pstyle: str, inner: str, *, keep_next: bool = False, break_before: bool = False,
             keep_lines: bool = False) -> str:
        # pagination lives on the paragraph, not only in its style: a house reference document's
        # Heading 1 without keepNext must not strand a heading at the foot of a page
        flow = (("<w:keepNext/>" if keep_next else "") + ("<w:keepLines/>" if keep_lines else "")
                + ("<w:pageBreakBefore/>" if break_before else ""))
        return f'<w:p><w:pPr><w:pStyle w:val="{self.style(pstyle)}"/>{flow}</w:pPr>{inner}</w:p>'

    def text_para(self, pstyle: str, text: str, *, keep_next: bool = False, break_before: bool = False) -> str:
        return self.para(pstyle, self.run(text), keep_next=keep_next, break_before=break_before)

    def bookmarked(self, pstyle: str, text: str, anchor: str, *, break_before: bool = False) -> str:
        self._bookmark += 1
        bid = self._bookmark
        return self.para(
            pstyle,
            f'<w:bookmarkStart w:id="{bid}" w:name="{bookmark_name(anchor)}"/>{self.run(text)}'
            f'<w:bookmarkEnd w:id="{bid}"/>', keep_next=True, break_before=break_before,
        )

    def take_break(self) -> bool:
        """True once after the cover page: the next heading starts a new page (pageBreakBefore)."""
        pending, self._break_pending = self._break_pending, False
        return pending

    def note_ref(self, note: int) -> str:
        return (f'<w:r><w:rPr><w:rStyle w:val="{self.style("FootnoteReference")}"/></w:rPr>'
                f'<w:footnoteReference w:id="{note}"/></w:r>')

    def field(self, instr: str, shown: str) -> str:
        return (f'<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> {instr} '
                f'</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                f'<w:r><w:t>{shown}</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')

    # -- blocks ------------------------------------------------------------------

    def fact(self, fb: FactBlock, pstyle: str) -> str:
        marker = fb.marker
        inner = self.run(marker, "DisputedMarker") + self.run(" ") if marker else ""
        return self.para(pstyle, inner + self.run(fb.text) + self.note_ref(fb.note))

    def cover(self, doc: Document) -> list[str]:
        c = doc.cover
        if not c.page:  # a compact block: the title line, then who and when on one line
            details = [f"{label}: {value}" for label, value in (
                ("Prepared for", c.prepared_for), ("Prepared by", c.prepared_by),
                ("Date of issue", c.date_of_issue_text)) if value]
            return [self.text_para("TitleCompact", unbroken_dates(c.title)),
                    *([self.text_para("Subtitle", c.subtitle)] if c.subtitle else []),
                    self.text_para("CoverDetails", " \u00b7 ".join([*details, c.facts_current_text]
                                                                   if c.facts_current_text else details))]
        out = [self.text_para("CoverKicker", "Briefing"), self.text_para("Title", unbroken_dates(c.title)),
               self.text_para("Subtitle", c.subtitle)]
        for label, value in (("Prepared for", c.prepared_for), ("Prepared by", c.prepared_by),
                             ("Date of issue", c.date_of_issue_text)):
            if value:
                out.append(self.para("CoverDetails", self.run(f"{label}: ", "CoverLabel") + self.run(value)))
        if c.facts_current_text:
            out.append(self.text_para("CoverDetails", c.facts_current_text))
        return out

    def contents(self, doc: Document) -> list[str]:
        if not doc.contents:
            return []
        out = [self.text_para("TOCHeading", "Contents", keep_next=True, break_before=self.take_break())]
        link_style = self.style("Hyperlink")
        if self.toc_pages is None:
            # no layout to take page numbers from: headings as links, nothing for Word to update
            for entry in doc.contents:
                out.append(self.para(
                    "TOC1",
                    f'<w:hyperlink w:anchor="{bookmark_name(entry.anchor)}" w:history="1"><w:r><w:rPr>'
                    f'<w:rStyle w:val="{link_style}"/></w:rPr><w:t xml:space="preserve">{self.esc(entry.heading)}'
                    '</w:t></w:r></w:hyperlink>',
                ))
            return out
        # Word's own TOC field, its result already holding the page numbers of a real layout: not dirty,
        # no updateFields in the settings, so Word opens it as it is and asks nothing
        tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{self.text_width}"/></w:tabs>'
        toc_style = self.style("TOC1")
        last = len(doc.contents) - 1
        for i, entry in enumerate(doc.contents):
            name = bookmark_name(entry.anchor)
            page = self.toc_pages.get(entry.anchor)
            begin = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC '
                     '\\o "1-1" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                     if i == 0 else "")
            end = '<w:r><w:fldChar w:fldCharType="end"/></w:r>' if i == last else ""
            out.append(
                f'<w:p><w:pPr><w:pStyle w:val="{toc_style}"/>{tabs}</w:pPr>{begin}'
                f'<w:hyperlink w:anchor="{name}" w:history="1"><w:r><w:rPr><w:rStyle w:val="{link_style}"/>'
                f'</w:rPr><w:t xml:space="preserve">{self.esc(entry.heading)}</w:t></w:r><w:r><w:tab/></w:r>'
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                f'<w:r><w:instrText xml:space="preserve"> PAGEREF {name} \\h </w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                # "00" holds the width of a two-digit number while the layout pass measures the pages
                f'<w:r><w:t>{page if page is not None else "00"}</w:t></w:r>'
                f'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>{end}</w:p>'
            )
        return out

    def summary(self, doc: Document) -> list[str]:
        sm = doc.summary
        if sm is None:
            return []
        out = [self.bookmarked("Heading1", sm.heading, sm.anchor, break_before=self.take_break())]
        out += [self.text_para("SummaryText", p) for p in sm.paragraphs]
        for kp in sm.points:
            if kp.fact is not None:  # the point is the fact's only appearance: it keeps its note
                out.append(self.fact(kp.fact, "KeyPoint"))
                continue
            see = self.run(kp.see)
            if kp.anchor:
                see = (f'<w:hyperlink w:anchor="{bookmark_name(kp.anchor)}" w:history="1"><w:r><w:rPr>'
                       f'<w:rStyle w:val="{self.style("Hyperlink")}"/></w:rPr><w:t xml:space="preserve">'
                       f'{self.esc(kp.see)}</w:t></w:r></w:hyperlink>')
            out.append(self.para("KeyPoint", self.run(kp.text + " (") + see + self.run(")")))
        return out

    def whats_new(self, doc: Document) -> list[str]:
        wn = doc.whats_new
        if wn is None:
            return []
        if wn.first_edition:
            return [self.text_para("BodyText", FIRST_EDITION, break_before=self.take_break())]
        out = [self.bookmarked("Heading1", wn.heading, wn.anchor, break_before=self.take_break())]
        if not wn.lines:
            out.append(self.text_para("BodyText", "No changes to the facts in this briefing."))
        for line in wn.lines:
            out.append(self.para("WhatsNewItem", self.run(f"{line.label}: ", "CoverLabel") + self.run(line.text)))
        return out

    def section(self, sec: SectionBlock) -> list[str]:
        out = [self.bookmarked("Heading1", sec.numbered_heading, sec.anchor, break_before=self.take_break())]
        if sec.intro:
            out.append(self.text_para("SectionIntro", sec.intro, keep_next=True))
        fact_style = "ListBullet" if sec.layout == "bullets" else "BodyText"
        for b in sec.blocks:
            if isinstance(b, FactBlock):
                out.append(self.fact(b, fact_style))
            elif isinstance(b, ParagraphBlock):
                out.append(self.text_para("BodyText", b.text))
            elif isinstance(b, FigureBlock):
                out += self.figure(b)
        if not sec.blocks:
            out.append(self.text_para("BodyText", "No facts selected for this section."))
        return out

    def figure(self, fig: FigureBlock) -> list[str]:
        """The caption with the sources' footnote, then the drawing as native vector shapes (alt text on it),
        in one paragraph that is never split (keepLines).

        The caption comes first, as in a CRS report.  Caption and drawing share a paragraph because
        LibreOffice keeps neither a caption under an inline drawing nor one above it with its figure
        (keepNext is not honoured next to a paragraph holding only a drawing): either way, one could be
        left alone at the foot or the top of a page."""
        from briefer.export.figure_draw import drawingml, layout

        self.has_drawing = True
        pic = layout(fig.drawing, self.text_width / 1440)
        styles = {"strong": self.style("FigureStrong"), "inverse": self.style("FigureInverse")}
        art = drawingml(pic, shape_id=fig.number, name=f"Figure {fig.number}", alt=fig.alt_text,
                        para=self.style("FigureText"), styles=styles, esc=self.esc)
        # the Caption style keeps with the next paragraph (a table's caption does): a figure need not
        return [f'<w:p><w:pPr><w:pStyle w:val="{self.style("Caption")}"/><w:keepNext w:val="0"/><w:keepLines/>'
                f"</w:pPr>{self.run(fig.label)}{self.note_ref(fig.note)}<w:r><w:br/></w:r><w:r>{art}</w:r></w:p>"]

    def table(self, cols: list[tuple[str, int]], rows: list[list[str]], *, keep_with_next: bool = False) -> str:
        """``keep_with_next``: the last two rows stay on the page of the paragraph after the table (a note on
        the table: never alone at the top of a page, nor with a lone row above it); see :data:`KEPT_ROWS`."""
        # grid in twips over a ~16.6 cm text block; Word and LibreOffice refit it to the page from tcW
        grid = "".join(f'<w:gridCol w:w="{w * 9412 // 5000}"/>' for _, w in cols)
        parts = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="{self.style("BrieferTable")}"/><w:tblW w:w="5000" w:type="pct"/>'
            '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            f'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>',
            # no row splits across a page; the header row repeats on every page the table runs onto
            '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>',
        ]
        widths = [f'<w:tcPr><w:tcW w:w="{w}" w:type="pct"/></w:tcPr>' for _, w in cols]
        for (head, _), tcpr in zip(cols, widths, strict=True):
            parts.append(f"<w:tc>{tcpr}{self.text_para('TableHeading', head)}</w:tc>")
        parts.append("</w:tr>")
        cell_style = self.style("TableText")
        for n, row in enumerate(rows, 1):
            parts.append("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
            keep = "<w:keepNext/>" if keep_with_next and n > len(rows) - KEPT_ROWS else ""
            for value, tcpr in zip(row, widths, strict=True):
                parts.append(f'<w:tc>{tcpr}<w:p><w:pPr><w:pStyle w:val="{cell_style}"/>{keep}</w:pPr>'
                             f'{self.run(value)}</w:p></w:tc>')
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        return "".join(parts)

    def appendices(self, doc: Document) -> list[str]:
        out: list[str] = []
        if doc.evidence_appendix and doc.evidence:
            app = doc.evidence_appendix
            out += ['<w:p><w:r><w:br w:type="page"/></w:r></w:p>',  # the appendix starts a page
                    self.bookmarked("Heading1", app.heading, app.anchor)]
            for ev in doc.evidence:
                out.append(self.para("BodyText", self.run(f"Note {ev.note}. ", "CoverLabel") + self.run(ev.fact_text)))
                out += [self.text_para("ListBullet", line) for line in ev.lines]
        if doc.sources_appendix and doc.sources:
            app, table = doc.sources_appendix, sources_table(doc.sources)
            out += [self.bookmarked("Heading1", app.heading, app.anchor, break_before=True),
                    self.text_para("Caption", f"Table 1. The {len(doc.sources)} source"
                                   f"{'s' if len(doc.sources) != 1 else ''} cited in this briefing"),
                    self.table(table.columns, table.rows, keep_with_next=True),
                    self.text_para("SectionIntro", table.note)]
        if doc.glossary_appendix and doc.glossary:
            app, names = doc.glossary_appendix, doc.glossary_as_table()
            out += [self.bookmarked("Heading1", app.heading, app.anchor, break_before=self.take_break()),
                    self.text_para("Caption", names.caption),
                    self.table(names.columns, names.rows, keep_with_next=True),
                    self.text_para("SectionIntro", names.note)]
        return out

    # -- parts -------------------------------------------------------------------

    def document_xml(self, doc: Document, page_setup: str) -> str:
        body: list[str] = []
        body += self.cover(doc)
        if doc.key_points_on_cover:  # the point on page one: the key points under the title
            body += self.summary(doc)
        self._break_pending = doc.cover.page  # a cover page of its own: the next heading starts page 2
        body += self.contents(doc)
        if doc.key_points_on_cover:
            body += self.whats_new(doc)
        elif doc.whats_new_first:  # a note that leads with what changed
            body += self.whats_new(doc)
            body += self.summary(doc)
        else:
            body += self.summary(doc)
            body += self.whats_new(doc)
        for sec in doc.sections:
            body += self.section(sec)
        body += self.appendices(doc)
        sect = (
            '<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader1"/>'
            '<w:headerReference w:type="first" r:id="rIdHeader2"/>'
            '<w:footerReference w:type="default" r:id="rIdFooter1"/>'
            '<w:footerReference w:type="first" r:id="rIdFooter2"/>'
            + _sect_children(page_setup) + "</w:sectPr>"
        )
        ns = _NS_DECL
        if self.has_drawing:  # the figures drew with figure_draw: a document without any never loads it
            from briefer.export.figure_draw import NS_DRAWING

            ns = f"{_NS_DECL} {NS_DRAWING}"
        return f"{_DECL}<w:document {ns}><w:body>{''.join(body)}{sect}</w:body></w:document>"

    def footnotes_xml(self, doc: Document) -> str:
        out = [
            f"{_DECL}<w:footnotes {_NS_DECL}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r>'
            "</w:p></w:footnote>"
        ]
        ref_style = self.style("FootnoteReference")
        text_style = self.style("FootnoteText")
        for fb in doc.note_blocks():
            paras = fb.footnote_paragraphs()
            out.append(f'<w:footnote w:id="{fb.note}">')
            for i, text in enumerate(paras):
                mark = (f'<w:r><w:rPr><w:rStyle w:val="{ref_style}"/></w:rPr><w:footnoteRef/></w:r>'
                        '<w:r><w:t xml:space="preserve"> </w:t></w:r>') if i == 0 else ""
                out.append(f'<w:p><w:pPr><w:pStyle w:val="{text_style}"/></w:pPr>{mark}{self.run(text)}</w:p>')
            out.append("</w:footnote>")
        out.append("</w:footnotes>")
        return "".join(out)

    def header_xml(self, doc: Document, *, first: bool) -> str:
        paras = []
        if doc.cover.marking:
            paras.append(self.text_para("Marking", doc.cover.marking))
        if not first:
            paras.append(self.text_para("Header", doc.cover.title))
        return f"{_DECL}<w:hdr {_NS_DECL}>{''.join(paras) or '<w:p/>'}</w:hdr>"

    def footer_xml(self, doc: Document) -> str:
        page = self.para("Footer", self.run("Page ") + self.field("PAGE", "1") + self.run(" of ")
                         + self.field("NUMPAGES", str(self.page_count or 1)))
        marking = self.text_para("Marking", doc.cover.marking) if doc.cover.marking else ""
        return f"{_DECL}<w:ftr {_NS_DECL}>{page}{marking}</w:ftr>"




def _text_width(page_setup: str) -> int:
    """The width of the text block in twips: page width less the side margins (A4 and 2.2 cm by default)."""
    def attr(el: str, name: str, default: int) -> int:
        m = re.search(rf"<w:{el}\b[^>]*\bw:{name}=\"(\d+)\"", page_setup)
        return int(m.group(1)) if m else default

    return max(attr("pgSz", "w", 11906) - attr("pgMar", "left", 1247) - attr("pgMar", "right", 1247), 1440)


def _sect_children(page_setup: str) -> str:
    """Page set-up with <w:titlePg/> in its schema place (after cols, before docGrid)."""
    m = re.search(r"<w:docGrid\b", page_setup)
    if m:
        return page_setup[: m.start()] + "<w:titlePg/>" + page_setup[m.start():]
    return page_setup + "<w:titlePg/>"


def _esc_attr(text: str) -> str:
    text = smart_quotes(_ILLEGAL.sub("", text))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def _core_xml(doc: Document, created: datetime) -> str:
    p = doc.properties
    stamp = created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (
        f"{_DECL}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_esc_attr(p.title)}</dc:title><dc:subject>{_esc_attr(p.subject)}</dc:subject>"
        f"<dc:creator>{_esc_attr(p.author)}</dc:creator><cp:keywords>{_esc_attr(p.keywords)}</cp:keywords>"
        f"<cp:lastModifiedBy>{_esc_attr(p.author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "</cp:coreProperties>"
    )


def _app_xml() -> str:
    from briefer import __version__

    return (
        f"{_DECL}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">"
        f"<Application>Briefer {__version__}</Application><DocSecurity>0</DocSecurity></Properties>"
    )


_SETTINGS = (
    f"{_DECL}<w:settings {_NS_DECL}>"
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat>'
    '<w:themeFontLang w:val="en-GB" w:eastAsia="ja-JP"/>'
    "</w:settings>"
)


def _content_types(has_numbering: bool, has_fonts: bool, has_theme: bool) -> str:
    over = [
        ("/word/document.xml", f"{_CT_BASE}.document.main+xml"),
        ("/word/styles.xml", f"{_CT_BASE}.styles+xml"),
        ("/word/settings.xml", f"{_CT_BASE}.settings+xml"),
        ("/word/footnotes.xml", f"{_CT_BASE}.footnotes+xml"),
        ("/word/header1.xml", f"{_CT_BASE}.header+xml"),
        ("/word/header2.xml", f"{_CT_BASE}.header+xml"),
        ("/word/footer1.xml", f"{_CT_BASE}.footer+xml"),
        ("/word/footer2.xml", f"{_CT_BASE}.footer+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
    ]
    if has_numbering:
        over.append(("/word/numbering.xml", f"{_CT_BASE}.numbering+xml"))
    if has_fonts:
        over.append(("/word/fontTable.xml", f"{_CT_BASE}.fontTable+xml"))
    if has_theme:
        over.append(("/word/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"))
    return (
        f'{_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in over)
        + "</Types>"
    )


_ROOT_RELS = (
    f'{_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL_BASE}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL_BASE}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)


def _document_rels(has_numbering: bool, has_fonts: bool, has_theme: bool) -> str:
    rels = [
        ("rIdStyles", "styles", "styles.xml"),
        ("rIdSettings", "settings", "settings.xml"),
        ("rIdFootnotes", "footnotes", "footnotes.xml"),
        ("rIdHeader1", "header", "header1.xml"),
        ("rIdHeader2", "header", "header2.xml"),
        ("rIdFooter1", "footer", "footer1.xml"),
        ("rIdFooter2", "footer", "footer2.xml"),
    ]
    if has_numbering:
        rels.append(("rIdNumbering", "numbering", "numbering.xml"))
    if has_fonts:
        rels.append(("rIdFonts", "fontTable", "fontTable.xml"))
    if has_theme:
        rels.append(("rIdTheme", "theme", "theme/theme1.xml"))
    return (
        f'{_DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="{i}" Type="{_REL_BASE}/{t}" Target="{target}"/>' for i, t, target in rels)
        + "</Relationships>"
    )


def docx_parts(doc: Document, ref: Reference, *, created: datetime | None = None,
               toc_pages: Mapping[str, int] | None = None,
               page_count: int | None = None) -> tuple[dict[str, bytes], int]:
    """Every part of the package, and how many characters had to be removed from the text.

    ``toc_pages`` (anchor -> page, from :mod:`briefer.export.layout`) makes the contents a TOC field
    holding those numbers; an empty mapping writes placeholders for the layout pass to measure."""
    w = _Writer(ref, toc_pages, page_count)
    w.compact = doc.cover.compact
    parts: dict[str, bytes] = {}
    has_num, has_fonts, has_theme = (ref.numbering_xml is not None, ref.font_table_xml is not None,
                                     ref.theme_xml is not None)
    parts["[Content_Types].xml"] = _content_types(has_num, has_fonts, has_theme).encode()
    parts["_rels/.rels"] = _ROOT_RELS.encode()
    parts["docProps/core.xml"] = _core_xml(doc, created or datetime.now(UTC)).encode()
    parts["docProps/app.xml"] = _app_xml().encode()
    parts["word/document.xml"] = w.document_xml(doc, ref.page_setup).encode()
    parts["word/_rels/document.xml.rels"] = _document_rels(has_num, has_fonts, has_theme).encode()
    parts["word/styles.xml"] = ref.styles_xml
    parts["word/settings.xml"] = _SETTINGS.encode()
    parts["word/footnotes.xml"] = w.footnotes_xml(doc).encode()
    parts["word/header1.xml"] = w.header_xml(doc, first=False).encode()
    parts["word/header2.xml"] = w.header_xml(doc, first=True).encode()
    footer = w.footer_xml(doc).encode()
    parts["word/footer1.xml"] = footer
    parts["word/footer2.xml"] = footer
    if ref.numbering_xml is not None:
        parts["word/numbering.xml"] = ref.numbering_xml
    if ref.font_table_xml is not None:
        parts["word/fontTable.xml"] = ref.font_table_xml
    if ref.theme_xml is not None:
        parts["word/theme/theme1.xml"] = ref.theme_xml
    unknown = w.used_styles - STYLES.keys()
    assert not unknown, f"renderer used styles missing from STYLES: {unknown}"
    return parts, w.removed


def write_docx(doc: Document, fh: IO[bytes], ref: Reference, *, created: datetime | None = None,
               compresslevel: int = 1, toc_pages: Mapping[str, int] | None = None,
               page_count: int | None = None) -> list[str]:
    """Write ``doc`` as a .docx package to the open binary file ``fh``; return warnings.

    Deflate level 1: a third of level 6's time for files about a fifth larger (XML compresses well
    either way)."""
    parts, removed = docx_parts(doc, ref, created=created, toc_pages=toc_pages, page_count=page_count)
    with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    warnings = list(ref.warnings)
    if removed:
        warnings.append(f"removed {removed} character{'s' if removed != 1 else ''} that a Word document cannot "
                        "hold (control characters or broken surrogates)")
    return warnings
