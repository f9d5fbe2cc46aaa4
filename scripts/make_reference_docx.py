#!/usr/bin/env python3
"""Generate Briefer's reference document, ``resources/reference.docx``.

The DOCX renderer takes every style, the bullet numbering, the font table and
the page set-up from this file, exactly as it would from a user's own
``--reference-doc``.  The file is generated, never hand-edited: change the
definitions below and run ``make reference-doc``.

The look: a policy-shop briefing.  Sans-serif headings in a deep navy, a
serif body, a shaded "key points" box, a red handling marking, footnotes in a
smaller size, tables with a navy header row and hairline rules.  Japanese text
uses IPAexGothic through ``w:eastAsia`` on the document defaults and every
style that names a font, with ``ja-JP`` as the East Asian language.

Usage: python scripts/make_reference_docx.py [OUT.docx]
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

BODY_FONT = "Cambria"
HEAD_FONT = "Calibri"
CJK_FONT = "IPAexGothic"
NAVY = "1F3864"
ACCENT = "2E5C8A"
GREY = "595959"
RED = "A50021"
BOX = "EEF2F7"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def fonts(latin: str) -> str:
    return f'<w:rFonts w:ascii="{latin}" w:hAnsi="{latin}" w:eastAsia="{CJK_FONT}" w:cs="{latin}"/>'


def para_style(sid: str, name: str, *, based: str | None = "Normal", nxt: str | None = None, ppr: str = "",
               rpr: str = "", ui: int | None = None, qformat: bool = True, unhide: bool = False) -> str:
    # children in CT_Style's schema order (name, basedOn, next, uiPriority, unhideWhenUsed, qFormat, pPr, rPr):
    # Word offers to repair a styles part whose elements are out of order
    default = ' w:default="1"' if sid == "Normal" else ""
    parts = [f'<w:style w:type="paragraph"{default} w:styleId="{sid}"><w:name w:val="{name}"/>']
    if based:
        parts.append(f'<w:basedOn w:val="{based}"/>')
    if nxt:
        parts.append(f'<w:next w:val="{nxt}"/>')
    if ui is not None:
        parts.append(f'<w:uiPriority w:val="{ui}"/>')
    if unhide:
        parts.append("<w:unhideWhenUsed/>")
    if qformat:
        parts.append("<w:qFormat/>")
    if ppr:
        parts.append(f"<w:pPr>{ppr}</w:pPr>")
    if rpr:
        parts.append(f"<w:rPr>{rpr}</w:rPr>")
    parts.append("</w:style>")
    return "".join(parts)


def char_style(sid: str, name: str, rpr: str, *, ui: int | None = None) -> str:
    ui_xml = f'<w:uiPriority w:val="{ui}"/>' if ui is not None else ""
    return (f'<w:style w:type="character" w:styleId="{sid}"><w:name w:val="{name}"/>'
            f'<w:basedOn w:val="DefaultParagraphFont"/>{ui_xml}<w:rPr>{rpr}</w:rPr></w:style>')


def heading(level: int, size: int, *, before: int, after: int, color: str = NAVY, italic: bool = False,
            border: bool = False) -> str:
    bdr = (f'<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="3" w:color="{ACCENT}"/></w:pBdr>'
           if border else "")
    return para_style(
        f"Heading{level}", f"heading {level}", nxt="BodyText", ui=9,
        ppr=f'<w:keepNext/><w:keepLines/>{bdr}<w:spacing w:before="{before}" w:after="{after}" w:line="252" '
            f'w:lineRule="auto"/><w:outlineLvl w:val="{level - 1}"/>',
        rpr=f'{fonts(HEAD_FONT)}<w:b/><w:bCs/>{"<w:i/>" if italic else ""}<w:color w:val="{color}"/>'
            f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>',
    )


def styles_xml() -> str:
    lang = '<w:lang w:val="en-GB" w:eastAsia="ja-JP" w:bidi="ar-SA"/>'
    defaults = (
        f'<w:docDefaults><w:rPrDefault><w:rPr>{fonts(BODY_FONT)}<w:sz w:val="21"/><w:szCs w:val="21"/>'
        f'{lang}</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" '
        'w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )
    table_style = (
        '<w:style w:type="table" w:styleId="BrieferTable"><w:name w:val="Briefer Table"/>'
        '<w:basedOn w:val="TableNormal"/><w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        '<w:rPr><w:sz w:val="17"/><w:szCs w:val="17"/></w:rPr>'
        '<w:tblPr><w:tblBorders>'
        f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{NAVY}"/>'
        f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{NAVY}"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>'
        '</w:tblBorders><w:tblCellMar><w:top w:w="60" w:type="dxa"/><w:left w:w="100" w:type="dxa"/>'
        '<w:bottom w:w="60" w:type="dxa"/><w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:pPr><w:keepNext/></w:pPr><w:rPr><w:b/><w:bCs/>'
        '<w:color w:val="FFFFFF"/></w:rPr><w:trPr><w:tblHeader/></w:trPr>'
        f'<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="{NAVY}"/></w:tcPr></w:tblStylePr>'
        '</w:style>'
    )
    table_normal = (
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
        '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" '
        'w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    )
    styles = [
        para_style("Normal", "Normal", based=None, ui=0, rpr=""),
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        '<w:unhideWhenUsed/></w:style>',
        table_normal,
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>',
        para_style("Title", "Title", nxt="Subtitle", ui=10,
                   ppr='<w:spacing w:before="2400" w:after="160" w:line="240" w:lineRule="auto"/>',
                   rpr=f'{fonts(HEAD_FONT)}<w:b/><w:bCs/><w:color w:val="{NAVY}"/><w:kern w:val="28"/>'
                       '<w:sz w:val="56"/><w:szCs w:val="56"/>'),
        # the compact cover of a one-page brief: the title heads page 1, so no drop from the top margin
        para_style("TitleCompact", "Title Compact", based="Title", nxt="CoverDetails", ui=10,
                   ppr='<w:keepNext/><w:spacing w:before="0" w:after="60"/>',
                   rpr='<w:sz w:val="40"/><w:szCs w:val="40"/>'),
        para_style("Subtitle", "Subtitle", nxt="CoverDetails", ui=11,
                   ppr=f'<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="12" w:color="{NAVY}"/></w:pBdr>'
                       '<w:spacing w:before="0" w:after="480"/>',
                   rpr=f'{fonts(HEAD_FONT)}<w:color w:val="{ACCENT}"/><w:sz w:val="30"/><w:szCs w:val="30"/>'),
        para_style("CoverKicker", "Cover Kicker", nxt="Title",
                   ppr='<w:spacing w:before="0" w:after="0"/>',
                   rpr=f'{fonts(HEAD_FONT)}<w:b/><w:bCs/><w:caps/><w:color w:val="{ACCENT}"/><w:spacing w:val="30"/>'
                       '<w:sz w:val="20"/><w:szCs w:val="20"/>'),
        para_style("CoverDetails", "Cover Details",
                   ppr='<w:spacing w:before="0" w:after="60"/>',
                   rpr=f'{fonts(HEAD_FONT)}<w:color w:val="262626"/><w:sz w:val="22"/><w:szCs w:val="22"/>'),
        char_style("CoverLabel", "Cover Label",
                   f'<w:b/><w:bCs/><w:color w:val="{NAVY}"/>'),
        heading(1, 30, before=360, after=160, border=True),
        heading(2, 24, before=240, after=100),
        heading(3, 22, before=200, after=80, color=ACCENT, italic=True),
        para_style("BodyText", "Body Text", ui=1,
                   ppr='<w:spacing w:before="0" w:after="140"/>'),
        para_style("SectionIntro", "Section Intro", nxt="BodyText",
                   ppr='<w:keepNext/><w:spacing w:before="0" w:after="160"/>',
                   rpr=f'<w:i/><w:iCs/><w:color w:val="{GREY}"/>'),
        para_style("ListBullet", "List Bullet", ui=1,
                   ppr='<w:numPr><w:numId w:val="1"/></w:numPr><w:spacing w:before="0" w:after="100"/>'
                       '<w:ind w:left="357" w:hanging="357"/>'),
        para_style("SummaryText", "Summary Text",
                   ppr=f'<w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="{NAVY}"/></w:pBdr>'
                       f'<w:shd w:val="clear" w:color="auto" w:fill="{BOX}"/>'
                       '<w:spacing w:before="0" w:after="0" w:line="276" w:lineRule="auto"/>'
                       '<w:ind w:left="227" w:right="113"/>'),
        para_style("KeyPoint", "Key Point", based="ListBullet",
                   ppr=f'<w:pBdr><w:left w:val="single" w:sz="24" w:space="8" w:color="{NAVY}"/></w:pBdr>'
                       f'<w:shd w:val="clear" w:color="auto" w:fill="{BOX}"/>'
                       '<w:spacing w:before="0" w:after="0" w:line="276" w:lineRule="auto"/>'
                       '<w:ind w:left="584" w:right="113" w:hanging="357"/>'),
        # a document without a cover page (a one-page brief) is set a size smaller, tighter: the styles below
        # stand in for Heading1, BodyText, ListBullet and KeyPoint there (briefer.domain.page_metrics.COMPACT)
        para_style("Heading1Compact", "Heading 1 Compact", based="Heading1", nxt="ListBulletCompact", ui=9,
                   ppr='<w:spacing w:before="200" w:after="100"/>', rpr='<w:sz w:val="26"/><w:szCs w:val="26"/>'),
        para_style("BodyTextCompact", "Body Text Compact", based="BodyText", ui=1,
                   ppr='<w:spacing w:before="0" w:after="100"/>', rpr='<w:sz w:val="19"/><w:szCs w:val="19"/>'),
        para_style("ListBulletCompact", "List Bullet Compact", based="ListBullet", ui=1,
                   ppr='<w:spacing w:before="0" w:after="60"/>', rpr='<w:sz w:val="19"/><w:szCs w:val="19"/>'),
        para_style("KeyPointCompact", "Key Point Compact", based="KeyPoint",
                   rpr='<w:sz w:val="19"/><w:szCs w:val="19"/>'),
        para_style("FootnoteText", "footnote text", ui=99,
                   ppr='<w:spacing w:before="0" w:after="40" w:line="240" w:lineRule="auto"/>',
                   rpr='<w:sz w:val="16"/><w:szCs w:val="16"/>', unhide=True),
        char_style("FootnoteReference", "footnote reference", '<w:vertAlign w:val="superscript"/>', ui=99),
        para_style("Caption", "caption", nxt="BodyText", ui=35,
                   ppr='<w:keepNext/><w:spacing w:before="120" w:after="80"/>',
                   rpr=f'{fonts(HEAD_FONT)}<w:b/><w:bCs/><w:color w:val="{NAVY}"/><w:sz w:val="18"/>'
                       '<w:szCs w:val="18"/>'),
        para_style("Marking", "Marking",
                   ppr='<w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/>',
                   rpr=f'{fonts(HEAD_FONT)}<w:b/><w:bCs/><w:caps/><w:color w:val="{RED}"/><w:spacing w:val="20"/>'
                       '<w:sz w:val="16"/><w:szCs w:val="16"/>'),
        para_style("Header", "header", ui=99, qformat=False,
                   ppr='<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="BFBFBF"/></w:pBdr>'
                       '<w:tabs><w:tab w:val="center" w:pos="4513"/><w:tab w:val="right" w:pos="9026"/></w:tabs>'
                       '<w:spacing w:before="0" w:after="0"/>',
                   rpr=f'{fonts(HEAD_FONT)}<w:color w:val="{GREY}"/><w:sz w:val="16"/><w:szCs w:val="16"/>'),
        para_style("Footer", "footer", ui=99, qformat=False,
                   ppr='<w:pBdr><w:top w:val="single" w:sz="4" w:space="4" w:color="BFBFBF"/></w:pBdr>'
                       '<w:spacing w:before="0" w:after="0"/><w:jc w:val="center"/>',
                   rpr=f'{fonts(HEAD_FONT)}<w:color w:val="{GREY}"/><w:sz w:val="16"/><w:szCs w:val="16"/>'),
        para_style("TOCHeading", "TOC Heading", based="Heading1", nxt="Normal", ui=39,
                   ppr='<w:outlineLvl w:val="9"/>'),
        para_style("TOC1", "toc 1", nxt="Normal", ui=39,
                   ppr='<w:spacing w:before="0" w:after="80"/><w:ind w:left="0"/>',
                   rpr=f'{fonts(HEAD_FONT)}<w:sz w:val="22"/><w:szCs w:val="22"/>'),
        char_style("Hyperlink", "Hyperlink", f'<w:color w:val="{NAVY}"/>', ui=99),
        char_style("DisputedMarker", "Disputed Marker",
                   f'{fonts(HEAD_FONT)}<w:b/><w:bCs/><w:caps/><w:color w:val="{RED}"/><w:sz w:val="17"/>'
                   '<w:szCs w:val="17"/>'),
        # a figure's paragraph (the drawing) stays with its caption below
        para_style("Figure", "Figure", nxt="Caption",
                   ppr='<w:keepNext/><w:spacing w:before="160" w:after="0" w:line="240" w:lineRule="auto"/>'
                       '<w:jc w:val="center"/>'),
        para_style("FigureText", "Figure Text",
                   ppr='<w:spacing w:before="0" w:after="0" w:line="228" w:lineRule="auto"/><w:jc w:val="center"/>',
                   rpr=f'{fonts(HEAD_FONT)}<w:color w:val="1A1A1A"/><w:sz w:val="16"/><w:szCs w:val="16"/>'),
        char_style("FigureStrong", "Figure Strong", f'<w:b/><w:bCs/><w:color w:val="{NAVY}"/>'),
        char_style("FigureInverse", "Figure Inverse", '<w:b/><w:bCs/><w:color w:val="FFFFFF"/>'),
        para_style("TableText", "Table Text",
                   ppr='<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
                   rpr='<w:sz w:val="17"/><w:szCs w:val="17"/>'),
        para_style("TableHeading", "Table Heading", based="TableText",
                   ppr='<w:keepNext/>',
                   # its own colour: white on the navy header row whatever colour a house Normal gives text
                   rpr=f'{fonts(HEAD_FONT)}<w:b/><w:bCs/><w:color w:val="FFFFFF"/>'),
        para_style("WhatsNewItem", "Whats New Item", based="ListBullet"),
        table_style,
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:styles xmlns:w="{W_NS}" xmlns:r="{R_NS}">' + defaults
        + '<w:latentStyles w:defLockedState="0" w:defUIPriority="99" w:defSemiHidden="0" '
          'w:defUnhideWhenUsed="0" w:defQFormat="0" w:count="376"/>'
        + "".join(styles) + "</w:styles>"
    )


NUMBERING = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:numbering xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
    '<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:pStyle w:val="ListBullet"/>'
    f'<w:lvlText w:val="\u25aa"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="357" w:hanging="357"/></w:pPr>'
    f'<w:rPr><w:color w:val="{NAVY}"/></w:rPr></w:lvl>'
    '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
)

FONT_TABLE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:fonts xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
    f'<w:font w:name="{BODY_FONT}"><w:panose1 w:val="02040503050406030204"/><w:charset w:val="00"/>'
    '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>'
    f'<w:font w:name="{HEAD_FONT}"><w:panose1 w:val="020F0502020204030204"/><w:charset w:val="00"/>'
    '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    f'<w:font w:name="{CJK_FONT}"><w:altName w:val="IPAexゴシック"/><w:charset w:val="80"/>'
    '<w:family w:val="modern"/><w:pitch w:val="variable"/></w:font>'
    '</w:fonts>'
)

def theme_xml() -> str:
    """An Office theme whose fonts and colours are the styles' own (Word requires a theme part)."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    colours = [("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
               ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
               ("dk2", f'<a:srgbClr val="{NAVY}"/>'), ("lt2", f'<a:srgbClr val="{BOX}"/>'),
               ("accent1", f'<a:srgbClr val="{ACCENT}"/>'), ("accent2", f'<a:srgbClr val="{RED}"/>'),
               ("accent3", '<a:srgbClr val="7F7F7F"/>'), ("accent4", '<a:srgbClr val="BF9000"/>'),
               ("accent5", '<a:srgbClr val="538135"/>'), ("accent6", '<a:srgbClr val="8064A2"/>'),
               ("hlink", f'<a:srgbClr val="{NAVY}"/>'), ("folHlink", '<a:srgbClr val="7030A0"/>')]
    clr = "".join(f"<a:{n}>{c}</a:{n}>" for n, c in colours)

    def font(latin: str) -> str:
        return (f'<a:latin typeface="{latin}"/><a:ea typeface=""/><a:cs typeface=""/>'
                f'<a:font script="Jpan" typeface="{CJK_FONT}"/>')

    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = ('<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
            '<a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>')
    fmt = ("<a:fmtScheme name=\"Briefer\"><a:fillStyleLst>" + solid * 3 + "</a:fillStyleLst><a:lnStyleLst>"
           + "".join(line.format(w=w) for w in (6350, 12700, 19050)) + "</a:lnStyleLst><a:effectStyleLst>"
           + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3 + "</a:effectStyleLst><a:bgFillStyleLst>"
           + solid * 3 + "</a:bgFillStyleLst></a:fmtScheme>")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<a:theme xmlns:a="{a}" name="Briefer"><a:themeElements><a:clrScheme name="Briefer">{clr}</a:clrScheme>'
        f'<a:fontScheme name="Briefer"><a:majorFont>{font(HEAD_FONT)}</a:majorFont>'
        f'<a:minorFont>{font(BODY_FONT)}</a:minorFont></a:fontScheme>{fmt}</a:themeElements>'
        '<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>'
    )


# A4, 2.2 cm side margins; the renderer takes page size and margins from here
SECT_PR = (
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1418" w:right="1247" w:bottom="1304" w:left="1247" w:header="624" w:footer="567" '
    'w:gutter="0"/><w:cols w:space="708"/><w:docGrid w:linePitch="360"/></w:sectPr>'
)


def sample_document() -> str:
    """A page showing every style, so a designer can open the file and adjust it in Word."""

    def p(style: str, text: str) -> str:
        return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    body = [
        p("Marking", "Internal \u2014 not for distribution"),
        p("CoverKicker", "Briefing"),
        p("Title", "Title of the briefing"),
        p("Subtitle", "Subtitle"),
        p("TitleCompact", "Title of a one-page brief"),
        '<w:p><w:pPr><w:pStyle w:val="CoverDetails"/></w:pPr><w:r><w:rPr><w:rStyle w:val="CoverLabel"/></w:rPr>'
        '<w:t xml:space="preserve">Prepared for: </w:t></w:r><w:r><w:t>Cover details</w:t></w:r></w:p>',
        p("TOCHeading", "Contents"),
        p("TOC1", "1. A contents entry"),
        p("SummaryText", "Summary text (bottom line up front)."),
        p("KeyPoint", "A key point."),
        p("Heading1", "1. Heading 1"),
        p("SectionIntro", "A section introduction."),
        p("ListBullet", "A fact as a bullet; AI戦略本部 and 石破茂 in Japanese."),
        '<w:p><w:pPr><w:pStyle w:val="ListBullet"/></w:pPr><w:r><w:rPr><w:rStyle w:val="DisputedMarker"/>'
        '</w:rPr><w:t xml:space="preserve">Disputed </w:t></w:r><w:r><w:t>A disputed fact.</w:t></w:r></w:p>',
        p("BodyText", "Body text: an analyst's paragraph."),
        p("Heading1Compact", "1. Heading 1 of a one-page brief"),
        p("KeyPointCompact", "A key point of a one-page brief."),
        p("ListBulletCompact", "A fact as a bullet in a one-page brief."),
        p("BodyTextCompact", "Body text of a one-page brief."),
        p("Heading2", "Heading 2"),
        p("Heading3", "Heading 3"),
        p("WhatsNewItem", "A line of \u201cwhat\u2019s new\u201d."),
        p("Caption", "Caption"),
        '<w:tbl><w:tblPr><w:tblStyle w:val="BrieferTable"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLook w:val="0420" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid><w:gridCol w:w="4706"/><w:gridCol w:w="4706"/>'
        '</w:tblGrid>'
        '<w:tr><w:trPr><w:tblHeader/></w:trPr><w:tc><w:tcPr><w:tcW w:w="2500" w:type="pct"/></w:tcPr>'
        + p("TableHeading", "Table heading") + '</w:tc><w:tc><w:tcPr><w:tcW w:w="2500" w:type="pct"/></w:tcPr>'
        + p("TableHeading", "Table heading") + '</w:tc></w:tr>'
        '<w:tr><w:tc><w:tcPr><w:tcW w:w="2500" w:type="pct"/></w:tcPr>' + p("TableText", "Table text")
        + '</w:tc><w:tc><w:tcPr><w:tcW w:w="2500" w:type="pct"/></w:tcPr>' + p("TableText", "Table text")
        + '</w:tc></w:tr></w:tbl>',
        p("FootnoteText", "Footnote text."),
        p("Header", "Header"),
        p("Footer", "Footer"),
        '<w:p><w:r><w:rPr><w:rStyle w:val="Hyperlink"/></w:rPr><w:t>Hyperlink</w:t></w:r>'
        '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:t>1</w:t></w:r></w:p>',
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>' + "".join(body) + SECT_PR
        + "</w:body></w:document>"
    )


SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:settings xmlns:w="{W_NS}"><w:defaultTabStop w:val="720"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
    'w:val="15"/></w:compat><w:themeFontLang w:val="en-GB" w:eastAsia="ja-JP"/></w:settings>'
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/fontTable.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/theme/theme1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '</Types>'
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/></Relationships>'
)
DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
    'Target="numbering.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" '
    'Target="fontTable.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" '
    'Target="theme/theme1.xml"/>'
    '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" '
    'Target="settings.xml"/></Relationships>'
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Briefer reference document</dc:title>'
    '<dc:creator>Briefer</dc:creator></cp:coreProperties>'
)


def build(out: Path) -> None:
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "word/document.xml": sample_document(),
        "word/_rels/document.xml.rels": DOC_RELS,
        "word/styles.xml": styles_xml(),
        "word/numbering.xml": NUMBERING,
        "word/fontTable.xml": FONT_TABLE,
        "word/theme/theme1.xml": theme_xml(),
        "word/settings.xml": SETTINGS,
        "docProps/core.xml": CORE,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.part")
    # fixed timestamps: regenerating an unchanged reference gives the same bytes
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, text.encode("utf-8"))
    tmp.replace(out)


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parents[1] / "resources" / "reference.docx"
    build(out)
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
