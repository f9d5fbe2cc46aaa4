"""How long a briefing is: body words, footnote words and the printed pages.

:func:`estimate` lays a :class:`~briefer.domain.document.Document` out the
way Word and LibreOffice set it with Briefer's reference document: A4, the
reference document's margins, fonts (Caladea/Cambria for text, Carlito/Calibri
for headings), sizes and paragraph spacing; lines broken word by word from the
fonts' advance widths; footnotes placed on the page of their reference;
headings kept with the next paragraph; page breaks where the renderer puts
them (after the cover, before the appendices); tables row by row.  The window's
live estimate, the length budget a template is fitted to and ``briefer export
--dry-run`` all use this one function, and a test checks it against
LibreOffice's page count (within 10%).

Pure and fast: paragraphs are measured once and remembered, so an edit costs
the one paragraph it changes plus the page walk.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefer.domain.document import Document

#: points in a twip
_TW = 1 / 20
#: the text block of the reference document (A4, margins 1247/1247/1418/1304 twips)
PAGE_WIDTH = (11906 - 2 * 1247) * _TW
PAGE_HEIGHT = (16838 - 1418 - 1304) * _TW

#: advance widths (thousandths of an em) of the printable ASCII characters, from Caladea and
#: Carlito, the metric-compatible fonts of Cambria and Calibri that LibreOffice uses for them
_WIDTHS: dict[str, tuple[int, ...]] = {
    "serif": (
        220, 286, 393, 619, 506, 890, 687, 237, 382, 382, 427, 554, 205, 329, 206, 490,
        517, 362, 472, 461, 492, 475, 470, 470, 485, 478, 264, 264, 554, 554, 554, 422,
        885, 599, 579, 519, 625, 540, 509, 539, 696, 343, 304, 630, 501, 888, 693, 599,
        533, 599, 613, 453, 557, 687, 598, 889, 571, 557, 507, 350, 490, 350, 554, 371,
        151, 470, 520, 421, 520, 441, 313, 459, 554, 277, 255, 525, 271, 813, 558, 480,
        520, 501, 396, 392, 325, 546, 470, 720, 483, 482, 428, 387, 316, 387, 712,
    ),
    "serif-bold": (
        220, 335, 422, 618, 543, 976, 740, 251, 408, 408, 453, 592, 232, 311, 230, 505,
        533, 458, 507, 508, 553, 520, 538, 494, 556, 534, 280, 280, 592, 592, 592, 452,
        921, 653, 634, 551, 664, 559, 534, 586, 719, 358, 340, 680, 541, 845, 686, 647,
        593, 647, 640, 473, 587, 695, 632, 959, 616, 587, 554, 368, 505, 368, 592, 371,
        184, 525, 568, 450, 570, 513, 335, 508, 600, 308, 297, 589, 311, 891, 604, 530,
        573, 559, 454, 444, 365, 609, 519, 779, 525, 521, 464, 393, 320, 393, 592,
    ),
    "sans": (
        226, 326, 401, 498, 507, 715, 682, 221, 303, 303, 498, 498, 250, 306, 252, 386,
        507, 507, 507, 507, 507, 507, 507, 507, 507, 507, 268, 268, 498, 498, 498, 463,
        894, 579, 544, 533, 615, 488, 459, 631, 623, 252, 319, 520, 420, 855, 646, 662,
        517, 673, 543, 459, 487, 642, 567, 890, 519, 487, 468, 307, 386, 307, 498, 498,
        291, 479, 525, 423, 525, 498, 305, 471, 525, 229, 239, 455, 229, 799, 525, 527,
        525, 525, 349, 391, 335, 525, 452, 715, 433, 453, 395, 314, 460, 314, 498,
    ),
    "sans-bold": (
        226, 326, 438, 498, 507, 729, 705, 233, 312, 312, 498, 498, 258, 306, 267, 430,
        507, 507, 507, 507, 507, 507, 507, 507, 507, 507, 276, 276, 498, 498, 498, 463,
        898, 606, 561, 529, 630, 488, 459, 637, 631, 267, 331, 547, 423, 874, 659, 676,
        532, 686, 563, 473, 495, 653, 591, 906, 551, 520, 478, 325, 430, 325, 498, 498,
        300, 494, 537, 418, 537, 503, 316, 474, 537, 246, 255, 480, 246, 813, 537, 538,
        537, 537, 355, 399, 347, 537, 473, 745, 459, 474, 397, 344, 475, 344, 498,
    ),
}
#: line height of each font in ems (ascent + descent)
_LINE = {"serif": 1.15, "sans": 1.221}
#: width of characters outside ASCII: typographic punctuation about an en, Japanese a full em
_WIDE = 1000
_OTHER = 520
#: pair kerning sets text about this much narrower than the sum of the advance widths (measured in LibreOffice)
KERNING = 0.98


@dataclass(frozen=True, slots=True)
class ParaStyle:
    font: str  # "serif" or "sans"
    size: float  # points
    before: float = 0.0
    after: float = 6.0
    line: float = 1.1  # multiple of the font's line height
    indent: float = 0.0  # left + right indents, points
    bold: bool = False
    #: the paragraph stays on the page of the next one (keepNext)
    keep_next: bool = False


STYLES: dict[str, ParaStyle] = {
    "CoverKicker": ParaStyle("sans", 10, 0, 0, 1.1, bold=True),
    "Title": ParaStyle("sans", 28, 120, 8, 1.0, bold=True),
    #: the title of a compact cover (a one-page brief), when the reference document has the style
    "TitleCompact": ParaStyle("sans", 28, 120, 8, 1.0, bold=True),
    "Subtitle": ParaStyle("sans", 15, 0, 24, 1.1),
    "CoverDetails": ParaStyle("sans", 11, 0, 3, 1.1),
    "Heading1": ParaStyle("sans", 15, 18, 8, 1.05, bold=True, keep_next=True),
    "BodyText": ParaStyle("serif", 10.5, 0, 7, 1.1),
    "SectionIntro": ParaStyle("serif", 10.5, 0, 8, 1.1),
    "ListBullet": ParaStyle("serif", 10.5, 0, 5, 1.1, indent=357 * _TW),
    "SummaryText": ParaStyle("serif", 10.5, 0, 0, 1.15, indent=(227 + 113) * _TW),
    "KeyPoint": ParaStyle("serif", 10.5, 0, 0, 1.15, indent=(584 + 113) * _TW),
    "FootnoteText": ParaStyle("serif", 8, 0, 2, 1.0),
    "Caption": ParaStyle("sans", 9, 6, 4, 1.1, bold=True, keep_next=True),
    "TOC1": ParaStyle("sans", 11, 0, 4, 1.1),
    "TableText": ParaStyle("serif", 8.5, 0, 0, 1.0),
    "TableHeading": ParaStyle("sans", 8.5, 0, 0, 1.0, bold=True),
}
_SANS_HINTS = ("calibri", "carlito", "arial", "helvetica", "liberation sans", "segoe", "sans", "gothic", "verdana",
               "tahoma", "aptos")


@dataclass(frozen=True)
class Layout:
    """Page geometry and paragraph styles a document is set in."""

    width: float
    height: float
    styles: dict[str, ParaStyle]
    #: the reference document has a TitleCompact style, which the compact cover's title uses
    compact_title: bool = False


DEFAULT_LAYOUT = Layout(PAGE_WIDTH, PAGE_HEIGHT, STYLES)


def layout_from_parts(styles_xml: bytes, page_setup: str) -> Layout:
    """The layout of a reference document: its page size and margins (``page_setup``: the sectPr
    children as XML text) and, for each of Briefer's paragraph styles, the size, font, spacing and
    indents its styles part gives (following basedOn).  Anything it does not say keeps Briefer's value."""
    import re

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def num(el: etree._Element | None, attr: str) -> float | None:
        if el is None:
            return None
        v = el.get(w + attr)
        try:
            return float(v) if v is not None else None
        except ValueError:
            return None

    try:
        root = etree.fromstring(styles_xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return DEFAULT_LAYOUT
    by_id = {el.get(w + "styleId"): el for el in root.iter(w + "style")}

    def own(el: etree._Element) -> dict[str, object]:
        out: dict[str, object] = {}
        ppr, rpr = el.find(w + "pPr"), el.find(w + "rPr")
        sp = ppr.find(w + "spacing") if ppr is not None else None
        if sp is not None:
            for key in ("before", "after"):
                v = num(sp, key)
                if v is not None:
                    out[key] = v * _TW
            line, rule = num(sp, "line"), sp.get(w + "lineRule", "auto")
            if line is not None:
                out["line"] = line / 240 if rule == "auto" else -line * _TW  # negative: points, not a multiple
        ind = ppr.find(w + "ind") if ppr is not None else None
        if ind is not None:
            for key in ("left", "right"):
                v = num(ind, key) if num(ind, key) is not None else num(ind, "start" if key == "left" else "end")
                if v is not None:
                    out[key] = v * _TW
        if rpr is not None:
            sz = num(rpr.find(w + "sz"), "val")
            if sz is not None:
                out["size"] = sz / 2
            fonts = rpr.find(w + "rFonts")
            if fonts is not None and fonts.get(w + "ascii"):
                out["font"] = fonts.get(w + "ascii")
            b = rpr.find(w + "b")
            if b is not None:
                out["bold"] = b.get(w + "val", "true") not in ("0", "false")
        keep = ppr.find(w + "keepNext") if ppr is not None else None
        if keep is not None:
            out["keep_next"] = keep.get(w + "val", "true") not in ("0", "false")
        return out

    defaults: dict[str, object] = {"before": 0.0, "after": 0.0, "line": 1.0, "left": 0.0, "right": 0.0,
                                   "size": 10.0, "font": "Times New Roman", "bold": False, "keep_next": False}
    dd = root.find(w + "docDefaults")
    if dd is not None:
        fake = etree.Element(w + "style")
        for child in (dd.find(f"{w}pPrDefault/{w}pPr"), dd.find(f"{w}rPrDefault/{w}rPr")):
            if child is not None:
                fake.append(child.__copy__())
        defaults.update(own(fake))

    def resolved(sid: str, depth: int = 0) -> dict[str, object]:
        el = by_id.get(sid)
        if el is None or depth > 20:
            return dict(defaults)
        base = el.find(w + "basedOn")
        out = resolved(base.get(w + "val"), depth + 1) if base is not None else dict(defaults)
        out.update(own(el))
        return out

    styles: dict[str, ParaStyle] = {}
    for name, ours in STYLES.items():
        if name not in by_id:
            styles[name] = styles["Title"] if name == "TitleCompact" and "Title" in styles else ours
            continue
        r = resolved(name)
        font = str(r["font"]).casefold()
        size = float(r["size"])  # type: ignore[arg-type]
        line = float(r["line"])  # type: ignore[arg-type]
        if line < 0:  # an exact line height in points, as a multiple of the font's natural line
            line = -line / (size * _LINE["sans" if any(h in font for h in _SANS_HINTS) else "serif"])
        styles[name] = ParaStyle(
            "sans" if any(h in font for h in _SANS_HINTS) else "serif", size,
            float(r["before"]), float(r["after"]), line,  # type: ignore[arg-type]
            float(r["left"]) + float(r["right"]), bool(r["bold"]), bool(r["keep_next"]))  # type: ignore[arg-type]

    def attr(tag: str, name: str, default: float) -> float:
        m = re.search(rf"<w:{tag}\b[^>]*\bw:{name}=\"(-?\d+)\"", page_setup)
        return float(m.group(1)) if m else default

    width = (attr("pgSz", "w", 11906) - attr("pgMar", "left", 1247) - attr("pgMar", "right", 1247)) * _TW
    height = (attr("pgSz", "h", 16838) - attr("pgMar", "top", 1418) - attr("pgMar", "bottom", 1304)) * _TW
    return Layout(width, height, styles, "TitleCompact" in by_id)


@lru_cache(maxsize=8)
def _layout_of(path: str, mtime: float) -> Layout:
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            styles_xml = zf.read("word/styles.xml")
            document = zf.read("word/document.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return DEFAULT_LAYOUT
    import re

    sect = document.rsplit("<w:sectPr", 1)[-1]
    page = "".join(re.findall(r"<w:(?:pgSz|pgMar)\b[^>]*/>", sect))
    return layout_from_parts(styles_xml, page)


def reference_layout(path: str | None = None) -> Layout:
    """The layout of reference document ``path`` (Briefer's own when None), read once."""
    import os

    from briefer import resources

    p = path or str(resources.resource("reference.docx"))
    try:
        mtime = os.stat(p).st_mtime
    except OSError:
        return DEFAULT_LAYOUT
    return _layout_of(p, mtime)


#: the footnote separator and the gap above the first note on a page
FOOTNOTE_SEPARATOR = 14.0
#: a table cell's left + right margins (Briefer Table: 100 twips each), and its top + bottom
#: margins (60 twips each) with the rule under the row
CELL_MARGIN = 2 * 100 * _TW
ROW_RULE = 2 * 60 * _TW + 0.5
#: the footnote number and space in front of a note's text
_NOTE_MARK = "00 "

#: a printed page holds this many words of body text at most (used only where no document exists yet)
WORDS_PER_PAGE = 560


def _char_width(font: str, ch: str) -> int:
    table = _WIDTHS[font]
    o = ord(ch)
    if 32 <= o < 127:
        return table[o - 32]
    if o >= 0x2E80:
        return _WIDE
    return _OTHER


@lru_cache(maxsize=65536)
def _word_width(font: str, word: str) -> float:
    return sum(_char_width(font, ch) for ch in word) * KERNING / 1000


def count_lines(text: str, style_name: str, width: float = PAGE_WIDTH, layout: Layout | None = None) -> int:
    """The lines ``text`` takes in paragraph style ``style_name`` across ``width`` points
    (greedy word wrap, as Word and LibreOffice break lines)."""
    return _count_lines(text, (layout or DEFAULT_LAYOUT).styles[style_name], width)


@lru_cache(maxsize=32768)
def _count_lines(text: str, st: ParaStyle, width: float) -> int:
    font = st.font + ("-bold" if st.bold else "")
    avail = max(10.0, width - st.indent) / st.size  # in ems
    space = _char_width(font, " ") / 1000
    lines, used = 1, 0.0
    for word in text.split():
        w = _word_width(font, word)
        if used == 0.0:
            used = w
            while used > avail:  # a word longer than the line is broken
                lines += 1
                used -= avail
        elif used + space + w <= avail:
            used += space + w
        else:
            lines += 1
            used = w
    return lines


def line_height(style_name: str, layout: Layout | None = None) -> float:
    st = (layout or DEFAULT_LAYOUT).styles[style_name]
    return st.size * _LINE[st.font] * st.line


@dataclass(slots=True)
class _Item:
    """One unit the page walk places: a paragraph (with its footnote's height) or a page break."""

    height_lines: int = 0
    line: float = 0.0
    before: float = 0.0
    after: float = 0.0
    note: float = 0.0
    keep_next: bool = False
    page_break: bool = False
    #: a table row: never split; the header row's height repeats on a new page
    row: bool = False
    header: float = 0.0
    #: a figure or other block of fixed height (points)
    fixed: float = 0.0


_L: Layout = DEFAULT_LAYOUT  # the layout _items is laying out (set by estimate, under _LOCK)
_LOCK = threading.Lock()


def _para(text: str, style: str, note: float = 0.0, keep_next: bool | None = None) -> _Item:
    """A paragraph of ``style``; it keeps with the next one when its style says so (or ``keep_next``)."""
    st = _L.styles[style]
    keep = st.keep_next if keep_next is None else keep_next
    return _Item(_count_lines(text, st, _L.width), line_height(style, _L), st.before, st.after, note, keep)


def _note_height(paragraphs: Iterable[str]) -> float:
    h = 0.0
    st = _L.styles["FootnoteText"]
    for i, p in enumerate(paragraphs):
        text = (_NOTE_MARK + p) if i == 0 else p
        h += _count_lines(text, st, _L.width) * line_height("FootnoteText", _L) + st.after
    return h


def _table_rows(cols: list[int], header: list[str], rows: list[list[str]]) -> list[_Item]:
    widths = [_L.width * c / 5000 - CELL_MARGIN for c in cols]

    def height(cells: list[str], style: str) -> float:
        st = _L.styles[style]
        n = max(_count_lines(v or " ", st, w) for v, w in zip(cells, widths, strict=False))
        return n * line_height(style, _L) + ROW_RULE

    head = height(header, "TableHeading")
    out = [_Item(fixed=head, row=True)]
    out += [_Item(fixed=height(r, "TableText"), row=True, header=head) for r in rows]
    return out


@dataclass
class Estimate:
    """What a briefing will be when printed."""

    pages: int
    #: words a reader reads in the body: key points, what's new, headings, intros, facts, paragraphs
    body_words: int
    #: words in the footnotes
    footnote_words: int
    #: words in the appendices (evidence, sources, glossary)
    appendix_words: int = 0
    #: fact ids in the body, in order
    fact_ids: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"pages_estimated": self.pages, "body_words": self.body_words, "footnote_words": self.footnote_words,
                "appendix_words": self.appendix_words}


def _words(text: str) -> int:
    return len(text.split())


def _items(doc: Document) -> tuple[list[_Item], int, int, int]:
    from briefer.domain.document import FactBlock, ParagraphBlock

    items: list[_Item] = []
    body = notes = appendix = 0
    c = doc.cover
    if c.page:
        items.append(_para("Briefing", "CoverKicker"))
        items.append(_para(c.title, "Title"))
        items.append(_para(c.subtitle or " ", "Subtitle"))
        for label, value in (("Prepared for", c.prepared_for), ("Prepared by", c.prepared_by),
                             ("Date of issue", c.date_of_issue_text)):
            if value:
                items.append(_para(f"{label}: {value}", "CoverDetails"))
        items.append(_para(c.facts_current_text, "CoverDetails"))
        items.append(_Item(page_break=True))
    else:
        items.append(_para(c.title, "TitleCompact" if _L.compact_title else "Title"))
        if c.subtitle:
            items.append(_para(c.subtitle, "Subtitle"))
        details = [f"{label}: {value}" for label, value in (
            ("Prepared for", c.prepared_for), ("Prepared by", c.prepared_by),
            ("Date of issue", c.date_of_issue_text)) if value]
        items.append(_para(" \u00b7 ".join([*details, c.facts_current_text]), "CoverDetails"))
    if doc.contents:
        items.append(_para("Contents", "Heading1"))
        items += [_para(e.heading, "TOC1") for e in doc.contents]
    if doc.summary:
        sm = doc.summary
        items.append(_para(sm.heading, "Heading1"))
        body += _words(sm.heading)
        for p in sm.paragraphs:
            items.append(_para(p, "SummaryText"))
            body += _words(p)
        for kp in sm.points:
            if kp.fact is not None:
                fp = kp.fact.footnote_paragraphs()
                items.append(_para(kp.fact.text + " 0", "KeyPoint", _note_height(fp)))
                body += _words(kp.fact.text)
                notes += sum(_words(p) for p in fp)
            else:
                text = f"{kp.text} ({kp.see})"
                items.append(_para(text, "KeyPoint"))
                body += _words(text)
        if items and sm.points:
            items[-1].after = 8.0  # the box's last line
    if doc.whats_new:
        wn = doc.whats_new
        items.append(_para(wn.heading, "Heading1"))
        body += _words(wn.heading)
        for line in wn.lines or []:
            text = f"{line.label}: {line.text}"
            items.append(_para(text, "ListBullet"))
            body += _words(text)
        if not wn.lines:
            items.append(_para("No changes to the facts in this briefing.", "BodyText"))
    for sec in doc.sections:
        items.append(_para(sec.numbered_heading, "Heading1"))
        body += _words(sec.numbered_heading)
        if sec.intro:
            items.append(_para(sec.intro, "SectionIntro"))
            body += _words(sec.intro)
        fact_style = "ListBullet" if sec.layout == "bullets" else "BodyText"
        for b in sec.blocks:
            height_in = getattr(b, "height_in", None)
            if isinstance(b, FactBlock):
                fp = b.footnote_paragraphs()
                text = (f"{b.marker} " if b.marker else "") + b.text + " 00"
                items.append(_para(text, fact_style, _note_height(fp)))
                body += _words(b.text)
                notes += sum(_words(p) for p in fp)
            elif isinstance(b, ParagraphBlock):
                items.append(_para(b.text, "BodyText"))
                body += _words(b.text)
            elif height_in:  # a figure (caption included)
                items.append(_Item(fixed=float(height_in) * 72 + 6))
                caption = getattr(b, "caption", "") or ""
                body += _words(caption)
                fp = b.footnote_paragraphs() if hasattr(b, "footnote_paragraphs") else []
                if fp:
                    items[-1].note = _note_height(fp)
                    notes += sum(_words(p) for p in fp)
        if not sec.blocks:
            items.append(_para("No facts selected for this section.", "BodyText"))
    if doc.evidence_appendix and doc.evidence:
        items.append(_Item(page_break=True))
        items.append(_para(doc.evidence_appendix.heading, "Heading1"))
        for ev in doc.evidence:
            items.append(_para(f"Note {ev.note}. {ev.fact_text}", "BodyText"))
            items += [_para(line, "ListBullet") for line in ev.lines]
            appendix += _words(ev.fact_text) + sum(_words(x) for x in ev.lines)
    if doc.sources_appendix and doc.sources:
        from briefer.domain.document import RELIABILITY_NOTE

        items.append(_Item(page_break=True))
        items.append(_para(doc.sources_appendix.heading, "Heading1"))
        items.append(_para("Table 1. The sources cited in this briefing", "Caption"))
        rows = [[r.title, r.outlet, r.author, r.date_text, r.kind, r.reliability_text] for r in doc.sources]
        items += _table_rows([1350, 550, 650, 850, 650, 950], ["Title", "Outlet", "Author", "Date", "Kind",
                                                                "Reliability"], rows)
        items.append(_para(RELIABILITY_NOTE, "SectionIntro"))
        appendix += sum(_words(" ".join(r)) for r in rows)
    if doc.glossary_appendix and doc.glossary:
        from briefer.domain.document import GLOSSARY_NOTE

        items.append(_para(doc.glossary_appendix.heading, "Heading1"))
        items.append(_para("Table 2. Names, the other renderings the sources use, and the name in Japanese",
                           "Caption"))
        rows = [[g.name, g.aliases, g.japanese, g.kind] for g in doc.glossary]
        items += _table_rows([1300, 1900, 1000, 800], ["Name", "Also rendered as", "Japanese", "Kind"], rows)
        items.append(_para(GLOSSARY_NOTE, "SectionIntro"))
        appendix += sum(_words(" ".join(r)) for r in rows)
    return items, body, notes, appendix


def _walk(items: list[_Item], page_height: float = PAGE_HEIGHT, trace: list[tuple[int, float, float]] | None = None
          ) -> int:
    """Place ``items`` on pages as a word processor does; the number of pages.  ``trace`` collects
    (page, body height used, footnote height used) after each item."""
    pages, used, notes = 1, 0.0, 0.0
    top = True  # nothing placed on this page yet
    #: the space before a paragraph is dropped at the top of a page the text flowed onto (not at the start
    #: of the document or after a page break, where Word and LibreOffice keep it)
    flowed = False

    def new_page(flow: bool = True) -> None:
        nonlocal pages, used, notes, top, flowed
        pages += 1
        used, notes, top, flowed = 0.0, 0.0, True, flow

    for i, it in enumerate(items):
        if trace is not None and i:
            trace.append((pages, used, notes))
        if it.page_break:
            if not top or pages == 1:
                new_page(flow=False)
            continue
        note = it.note + (FOOTNOTE_SEPARATOR if it.note and notes == 0.0 else 0.0)
        if it.fixed:
            h = it.fixed
            if used + notes + h + note > page_height and not top:
                new_page()
                if it.row and it.header:
                    used += it.header
                note = it.note + (FOOTNOTE_SEPARATOR if it.note else 0.0)
            used += h
            notes += note
            top = False
            continue
        before = 0.0 if top and flowed else it.before
        body = it.height_lines * it.line
        need = before + body + it.after
        if it.keep_next:
            # kept with what follows: every paragraph of the chain, and the first lines of the one after it
            j = i + 1
            while j < len(items) and not items[j].page_break:
                nxt = items[j]
                if nxt.fixed:
                    need += nxt.fixed
                    break
                if nxt.keep_next:
                    need += nxt.before + nxt.height_lines * nxt.line + nxt.after
                    j += 1
                    continue
                need += nxt.before + min(2, max(1, nxt.height_lines)) * nxt.line
                break
        if used + notes + need + note <= page_height:
            used += before + body + it.after
            notes += note
            top = False
            continue
        room = page_height - used - notes - before
        fit = int(room // it.line) if it.line else 0
        if not it.keep_next and it.height_lines >= 4 and fit >= 2 and it.height_lines - fit >= 2 and not top:
            # split: the last lines and the footnote go to the next page
            new_page()
            used = (it.height_lines - fit) * it.line + it.after
            notes = it.note + (FOOTNOTE_SEPARATOR if it.note else 0.0)
            top = False
            continue
        if not top:
            new_page()
            before = 0.0
        used += before + body + it.after
        notes += it.note + (FOOTNOTE_SEPARATOR if it.note else 0.0)
        while used + notes > page_height:  # taller than a page
            used -= page_height
            pages += 1
            used = max(used, 0.0)
            notes = 0.0
        top = False
    if trace is not None and items:
        trace.append((pages, used, notes))
    return pages


def estimate(doc: Document, layout: Layout | None = None) -> Estimate:
    """The printed length of ``doc`` set in ``layout`` (Briefer's reference document when None):
    pages, body words and footnote words."""
    global _L
    with _LOCK:  # _items reads the layout from _L
        _L = layout or reference_layout()
        items, body, notes, appendix = _items(doc)
        height = _L.height
    pages = _walk(items, height)
    fact_ids = [b.fact_id for s in doc.sections for b in s.facts()]
    return Estimate(pages, body, notes, appendix, fact_ids)
