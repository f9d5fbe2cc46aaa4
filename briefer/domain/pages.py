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
the one paragraph it changes plus the page walk.  The fonts' measures and the styles live in
:mod:`briefer.domain.page_metrics`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from briefer.domain.page_metrics import (  # noqa: F401 -- re-exported: the import paths callers use
    _NOTE_MARK,
    CELL_MARGIN,
    DEFAULT_LAYOUT,
    FOOTNOTE_SEPARATOR,
    KERNING,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    ROW_RULE,
    STYLES,
    WORDS_PER_PAGE,
    Layout,
    ParaStyle,
    _count_lines,
    compact_style,
    count_lines,
    layout_from_parts,
    line_height,
    reference_layout,
)
from briefer.model.plain import Plain

__all__ = [  # the names this module offers (its own and the re-exported)
    "CELL_MARGIN",
    "DEFAULT_LAYOUT",
    "Estimate",
    "FOOTNOTE_SEPARATOR",
    "KERNING",
    "Layout",
    "PAGE_HEIGHT",
    "PAGE_WIDTH",
    "ParaStyle",
    "ROW_RULE",
    "STYLES",
    "WORDS_PER_PAGE",
    "count_lines",
    "estimate",
    "layout_from_parts",
    "line_height",
    "reference_layout",
]

if TYPE_CHECKING:
    from briefer.domain.document import Document


class _Item(Plain):
    """One unit the page walk places: a paragraph (with its footnote's height) or a page break."""

    __slots__ = ("height_lines", "line", "before", "after", "note", "keep_next", "page_break", "row", "header", "fixed")
    _fields = __slots__
    height_lines: int
    line: float
    before: float
    after: float
    note: float
    keep_next: bool
    page_break: bool
    #: a table row: never split; the header row's height repeats on a new page
    row: bool
    header: float
    #: a figure or other block of fixed height (points)
    fixed: float

    def __init__(self, height_lines: int = 0, line: float = 0.0, before: float = 0.0, after: float = 0.0,
                       note: float = 0.0, keep_next: bool = False, page_break: bool = False, row: bool = False,
                       header: float = 0.0, fixed: float = 0.0) -> None:
        self.height_lines, self.line, self.before, self.after, self.note = height_lines, line, before, after, note
        self.keep_next, self.page_break, self.row, self.header, self.fixed = keep_next, page_break, row, header, fixed


_L: Layout = DEFAULT_LAYOUT  # the layout _items is laying out (set by estimate, under _LOCK)
#: the document is compact: its paragraphs are set in their compact styles (set by estimate, under _LOCK)
_COMPACT = False
_LOCK = threading.Lock()


def _para(text: str, style: str, note: float = 0.0, keep_next: bool | None = None) -> _Item:
    """A paragraph of ``style``; it keeps with the next one when its style says so (or ``keep_next``).
    In a compact document the style's compact stand-in sets it (page_metrics.COMPACT)."""
    style = compact_style(style, _COMPACT)
    st = _L.styles[style]
    keep = st.keep_next if keep_next is None else keep_next
    return _Item(_count_lines(text, st, _L.width), line_height(style, _L), st.before, st.after, note, keep)


#: a fact's paragraph as the page walk places it, with its footnote's height and words, by everything that sets
#: them (its text, its styles, the text width and its footnote): the length budget lays out the same facts at
#: every trial, and a fact is measured once
_FACT_ITEMS: dict[tuple[object, ...], tuple[int, float, float, float, float, bool, int]] = {}
_MAX_FACT_ITEMS = 20_000


def _fact_para(text: str, style: str, footnote: list[str]) -> tuple[_Item, int]:
    """The paragraph of a fact (``text`` as it is set, marker and note number included) in ``style`` with its
    footnote; and the footnote's words."""
    st = _L.styles[compact_style(style, _COMPACT)]
    key = (text, st, _L.styles["FootnoteText"], _L.width, *footnote)
    made = _FACT_ITEMS.get(key)
    if made is None:
        it = _para(text, style, _note_height(footnote))
        if len(_FACT_ITEMS) >= _MAX_FACT_ITEMS:
            _FACT_ITEMS.clear()
        made = _FACT_ITEMS[key] = (it.height_lines, it.line, it.before, it.after, it.note, it.keep_next,
                                   sum(_words(p) for p in footnote))
    return _Item(*made[:6]), made[6]


def _note_height(paragraphs: Iterable[str]) -> float:
    h = 0.0
    st = _L.styles["FootnoteText"]
    for i, p in enumerate(paragraphs):
        text = (_NOTE_MARK + p) if i == 0 else p
        h += _count_lines(text, st, _L.width) * line_height("FootnoteText", _L) + st.after
    return h


#: a noted table's last rows that keep with the note under it (the Word export marks them keep-with-next)
KEPT_ROWS = 2


def _table_rows(cols: list[int], header: list[str], rows: list[list[str]]) -> list[_Item]:
    widths = [_L.width * c / 5000 - CELL_MARGIN for c in cols]

    def height(cells: list[str], style: str) -> float:
        st = _L.styles[style]
        n = max(_count_lines(v or " ", st, w) for v, w in zip(cells, widths, strict=False))
        return n * line_height(style, _L) + ROW_RULE

    head = height(header, "TableHeading")
    out = [_Item(fixed=head, row=True)]
    out += [_Item(fixed=height(r, "TableText"), row=True, header=head, keep_next=n >= len(rows) - KEPT_ROWS)
            for n, r in enumerate(rows)]
    return out


class Estimate(Plain):
    """What a briefing will be when printed."""

    _fields = ("pages", "body_words", "footnote_words", "appendix_words", "fact_ids")
    pages: int
    #: words a reader reads in the body: key points, what's new, headings, intros, facts, paragraphs
    body_words: int
    #: words in the footnotes
    footnote_words: int
    #: words in the appendices (evidence, sources, glossary)
    appendix_words: int
    #: fact ids in the body, in order
    fact_ids: list[str]

    def __init__(self, pages: int, body_words: int, footnote_words: int, appendix_words: int = 0,
                       fact_ids: list[str] | None = None) -> None:
        self.pages, self.body_words, self.footnote_words = pages, body_words, footnote_words
        self.appendix_words = appendix_words
        self.fact_ids = [] if fact_ids is None else fact_ids

    def to_json(self) -> dict[str, object]:
        return {"pages_estimated": self.pages, "body_words": self.body_words, "footnote_words": self.footnote_words,
                "appendix_words": self.appendix_words}


@lru_cache(maxsize=32768)
def _words(text: str) -> int:
    return len(text.split())


def _summary_items(doc: Document, items: list[_Item]) -> tuple[int, int]:
    """The key points' paragraphs; (body words, note words)."""
    body = notes = 0
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
    return body, notes


def _whats_new_items(doc: Document, items: list[_Item]) -> int:
    """The \"What's new\" paragraphs; body words."""
    body = 0
    if doc.whats_new:
        wn = doc.whats_new
        if wn.first_edition:
            from briefer.domain.document import FIRST_EDITION

            items.append(_para(FIRST_EDITION, "BodyText"))
            return _words(FIRST_EDITION)
        items.append(_para(wn.heading, "Heading1"))
        body += _words(wn.heading)
        for line in wn.lines or []:
            text = f"{line.label}: {line.text}"
            items.append(_para(text, "ListBullet"))
            body += _words(text)
        if not wn.lines:
            items.append(_para("No changes to the facts in this briefing.", "BodyText"))
    return body


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
        if c.facts_current_text:
            items.append(_para(c.facts_current_text, "CoverDetails"))
        if doc.key_points_on_cover:  # under the title, on the cover page
            point_words, point_notes = _summary_items(doc, items)
            body, notes = body + point_words, notes + point_notes
        items.append(_Item(page_break=True))
    else:
        items.append(_para(c.title, "TitleCompact" if _L.compact_title else "Title"))
        if c.subtitle:
            items.append(_para(c.subtitle, "Subtitle"))
        details = [f"{label}: {value}" for label, value in (
            ("Prepared for", c.prepared_for), ("Prepared by", c.prepared_by),
            ("Date of issue", c.date_of_issue_text)) if value]
        items.append(_para(" \u00b7 ".join([*details, c.facts_current_text] if c.facts_current_text else details),
                           "CoverDetails"))
    if doc.contents:
        items.append(_para("Contents", "Heading1"))
        items += [_para(e.heading, "TOC1") for e in doc.contents]
    if doc.whats_new_first:
        body += _whats_new_items(doc, items)
    if not doc.key_points_on_cover:
        point_words, point_notes = _summary_items(doc, items)
        body, notes = body + point_words, notes + point_notes
    if not doc.whats_new_first:
        body += _whats_new_items(doc, items)
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
                item, note_words = _fact_para((f"{b.marker} " if b.marker else "") + b.text + " 00", fact_style,
                                              b.footnote_paragraphs())
                items.append(item)
                body += _words(b.text)
                notes += note_words
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
        from briefer.domain.document import sources_table

        table = sources_table(doc.sources)
        items.append(_Item(page_break=True))
        items.append(_para(doc.sources_appendix.heading, "Heading1"))
        items.append(_para("Table 1. The sources cited in this briefing", "Caption"))
        items += _table_rows([w for _, w in table.columns], table.headings, table.rows)
        items.append(_para(table.note, "SectionIntro"))
        appendix += sum(_words(" ".join(r)) for r in table.rows)
    if doc.glossary_appendix and doc.glossary:
        names = doc.glossary_as_table()
        items.append(_para(doc.glossary_appendix.heading, "Heading1"))
        items.append(_para(names.caption, "Caption"))
        items += _table_rows([w for _, w in names.columns], names.headings, names.rows)
        items.append(_para(names.note, "SectionIntro"))
        appendix += sum(_words(" ".join(r)) for r in names.rows)
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
            h = need = it.fixed
            j = i + 1
            while it.keep_next and j < len(items) and not items[j].page_break:
                # a kept row: the rows kept after it and the first lines of the note under the table
                nxt = items[j]
                if not nxt.fixed:
                    need += nxt.before + min(2, max(1, nxt.height_lines)) * nxt.line
                    break
                need += nxt.fixed
                if not nxt.keep_next:
                    break
                j += 1
            if used + notes + need + note > page_height and not top:
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
    global _L, _COMPACT
    with _LOCK:  # _items reads the layout from _L
        _L = layout or reference_layout()
        _COMPACT = doc.cover.compact
        items, body, notes, appendix = _items(doc)
        height = _L.height
    pages = _walk(items, height)
    fact_ids = [b.fact_id for s in doc.sections for b in s.facts()]
    return Estimate(pages, body, notes, appendix, fact_ids)
