"""The measures the page estimate (:mod:`briefer.domain.pages`) sets text with: page geometry,
paragraph styles (from the reference document), the fonts' advance widths and line breaking."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    pass

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


class ParaStyle(NamedTuple):
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
    #: a compact document (a one-page brief): see COMPACT
    "Heading1Compact": ParaStyle("sans", 13, 10, 5, 1.05, bold=True, keep_next=True),
    "BodyTextCompact": ParaStyle("serif", 9.5, 0, 5, 1.1),
    "ListBulletCompact": ParaStyle("serif", 9.5, 0, 3, 1.1, indent=357 * _TW),
    "KeyPointCompact": ParaStyle("serif", 9.5, 0, 0, 1.15, indent=(584 + 113) * _TW),
    "FootnoteText": ParaStyle("serif", 8, 0, 2, 1.0),
    "Caption": ParaStyle("sans", 9, 6, 4, 1.1, bold=True, keep_next=True),
    "TOC1": ParaStyle("sans", 11, 0, 4, 1.1),
    "TableText": ParaStyle("serif", 8.5, 0, 0, 1.0),
    "TableHeading": ParaStyle("sans", 8.5, 0, 0, 1.0, bold=True),
}
#: the styles a compact document (``Options.compact``: the one-page brief) is set in instead: a size
#: smaller and tighter, so one page holds what a one-page brief must say.  The DOCX writer and the page
#: estimate both take the style names from here.
COMPACT: dict[str, str] = {"Heading1": "Heading1Compact", "BodyText": "BodyTextCompact",
                           "ListBullet": "ListBulletCompact", "KeyPoint": "KeyPointCompact"}


def compact_style(style: str, compact: bool) -> str:
    """The style a paragraph of ``style`` is set in: its compact stand-in in a compact document."""
    return COMPACT.get(style, style) if compact else style


_SANS_HINTS = ("calibri", "carlito", "arial", "helvetica", "liberation sans", "segoe", "sans", "gothic", "verdana",
               "tahoma", "aptos")


class Layout(NamedTuple):
    """Page geometry and paragraph styles a document is set in."""

    width: float
    height: float
    styles: dict[str, ParaStyle]
    #: the reference document has a TitleCompact style, which the compact cover's title uses
    compact_title: bool = False


DEFAULT_LAYOUT = Layout(PAGE_WIDTH, PAGE_HEIGHT, STYLES)


def _parse_styles(styles_xml: bytes) -> tuple[Any, Callable[[str], Any]] | None:
    """The root of a styles part and the element factory of the parser that read it, or None when it is not
    XML.  The standard library's parser reads it (every page estimate reads Briefer's own reference, and an
    export that uses that reference then never loads lxml); a part that declares a DOCTYPE, which a Word
    styles part never has (or one in another encoding), is read by lxml with its entities left unresolved,
    as a house document's parts are."""
    if styles_xml.lstrip()[:1] == b"<" and b"<!DOCTYPE" not in styles_xml:  # UTF-8 without a DTD
        from xml.etree import ElementTree

        try:
            return ElementTree.fromstring(styles_xml), ElementTree.Element
        except ElementTree.ParseError:
            return None
    from lxml import etree

    try:
        return etree.fromstring(styles_xml, etree.XMLParser(resolve_entities=False, no_network=True)), etree.Element
    except etree.XMLSyntaxError:
        return None


def layout_from_parts(styles_xml: bytes, page_setup: str) -> Layout:
    """The layout of a reference document: its page size and margins (``page_setup``: the sectPr
    children as XML text) and, for each of Briefer's paragraph styles, the size, font, spacing and
    indents its styles part gives (following basedOn).  Anything it does not say keeps Briefer's value."""
    import re

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

    def num(el: Any, attr: str) -> float | None:
        if el is None:
            return None
        v = el.get(w + attr)
        try:
            return float(v) if v is not None else None
        except ValueError:
            return None

    parsed = _parse_styles(styles_xml)
    if parsed is None:
        return DEFAULT_LAYOUT
    root, make_element = parsed
    by_id = {el.get(w + "styleId"): el for el in root.iter(w + "style")}

    def own(el: Any) -> dict[str, object]:
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
        fake = make_element(w + "style")
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
    table = _WIDTHS[font]  # _char_width of each character, added up in one loop
    total = 0
    for ch in word:
        o = ord(ch)
        total += table[o - 32] if 32 <= o < 127 else _WIDE if o >= 0x2E80 else _OTHER
    return total * KERNING / 1000


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
