"""Figures as vector art: one layout, drawn as DrawingML shapes (Word) and as SVG (HTML preview).

:func:`layout` turns a figure's data (:mod:`briefer.domain.figures`) into
boxes, lines and dots measured in inches inside a frame as wide as the text
block.  :func:`drawingml` writes them as a Word shape group (``wpg:wgp`` of
``wps:wsp`` shapes, text in text boxes with named paragraph styles) that Word
and LibreOffice draw natively, sharp at any resolution; :func:`svg` writes the
same picture for the HTML preview, which Qt's rich text and any browser show.
"""

from __future__ import annotations

import textwrap

from briefer.domain.figures import OrgChart, Timeline
from briefer.model.plain import Frozen, Plain

NAVY = "1F3864"
ACCENT = "2E5C8A"
BOX = "EEF2F7"
WHITE = "FFFFFF"
GREY = "7F7F7F"
RED = "A50021"

EMU = 914400
#: the text size inside figures, in points
TEXT_PT = 8.0


class Line(Frozen):
    __slots__ = ("x1", "y1", "x2", "y2", "color", "width_pt", "dashed")
    _fields = __slots__
    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width_pt: float
    dashed: bool

    def __init__(self, x1: float, y1: float, x2: float, y2: float, color: str = NAVY, width_pt: float = 1.0,
                       dashed: bool = False) -> None:
        object.__setattr__(self, "x1", x1)
        object.__setattr__(self, "y1", y1)
        object.__setattr__(self, "x2", x2)
        object.__setattr__(self, "y2", y2)
        object.__setattr__(self, "color", color)
        object.__setattr__(self, "width_pt", width_pt)
        object.__setattr__(self, "dashed", dashed)


class Dot(Frozen):
    __slots__ = ("cx", "cy", "r", "fill", "stroke")
    _fields = __slots__
    cx: float
    cy: float
    r: float
    fill: str
    stroke: str

    def __init__(self, cx: float, cy: float, r: float, fill: str, stroke: str = NAVY) -> None:
        object.__setattr__(self, "cx", cx)
        object.__setattr__(self, "cy", cy)
        object.__setattr__(self, "r", r)
        object.__setattr__(self, "fill", fill)
        object.__setattr__(self, "stroke", stroke)


class Box(Frozen):
    __slots__ = ("x", "y", "w", "h", "fill", "stroke", "lines", "dashed")
    _fields = __slots__
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None
    #: (text, emphasis) one a paragraph; emphasis "strong", "inverse" or ""
    lines: tuple[tuple[str, str], ...]
    dashed: bool

    def __init__(self, x: float, y: float, w: float, h: float, fill: str, stroke: str | None,
                       lines: tuple[tuple[str, str], ...], dashed: bool = False) -> None:
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "w", w)
        object.__setattr__(self, "h", h)
        object.__setattr__(self, "fill", fill)
        object.__setattr__(self, "stroke", stroke)
        object.__setattr__(self, "lines", lines)
        object.__setattr__(self, "dashed", dashed)


class Picture(Plain):
    _fields = ("width", "height", "shapes")
    width: float
    height: float
    shapes: list[Line | Dot | Box]

    def __init__(self, width: float, height: float, shapes: list[Line | Dot | Box] | None = None) -> None:
        self.width, self.height = width, height
        self.shapes = [] if shapes is None else shapes


# -- layout -----------------------------------------------------------------------------------------------------


def layout(drawing: object, width: float) -> Picture:
    if isinstance(drawing, Timeline):
        return _timeline(drawing, width)
    if isinstance(drawing, OrgChart):
        return _org_chart(drawing, width)
    raise TypeError(f"no layout for {type(drawing).__name__}")


def _timeline(t: Timeline, width: float) -> Picture:
    height, axis, r, margin = 2.3, 1.15, 0.065, 0.1
    pic = Picture(width, height)
    n = len(t.events)
    gap = 0.15
    # boxes alternate above and below the axis, so one side's neighbours stand two steps apart
    box_w = min(1.7, (2 * width - gap * (n - 1)) / (n + 1)) if n > 1 else min(1.7, width)
    step = (width - box_w) / (n - 1) if n > 1 else 0.0
    xs = [box_w / 2 + step * i if n > 1 else width / 2 for i in range(n)]
    past = [x for x, e in zip(xs, t.events, strict=True) if not e.due]
    split = past[-1] if past else margin
    pic.shapes.append(Line(margin, axis, split, axis, NAVY, 2.0))
    if split < width - margin:  # what the sources give as due: a dashed stretch of the axis
        pic.shapes.append(Line(split, axis, width - margin, axis, NAVY, 2.0, dashed=True))
    for i, (x, e) in enumerate(zip(xs, t.events, strict=True)):
        above = i % 2 == 0
        bx = x - box_w / 2
        by, bh = (0.08, 0.74) if above else (1.48, 0.74)
        date_line = e.date_text + (" (due)" if e.due else "")
        lines: list[tuple[str, str]] = [(date_line, "strong"), (e.label, "")]
        if e.disputed:
            lines.append(("the sources differ", ""))
        pic.shapes.append(Box(bx, by, box_w, bh, BOX, ACCENT if e.due else None, tuple(lines), dashed=e.due))
        pic.shapes.append(Line(x, by + bh if above else axis + r, x, axis - r if above else by, ACCENT, 0.75))
        pic.shapes.append(Dot(x, axis, r, WHITE if e.due else NAVY))
    return pic


def _org_chart(c: OrgChart, width: float) -> Picture:
    bh = 0.6
    pic = Picture(width, 2.6)  # its height set below, from what it holds
    bw = min(2.9, width * 0.44)
    mid = width / 2

    def lines(box: object, inverse: bool = False) -> tuple[tuple[str, str], ...]:
        from briefer.domain.figures import OrgBox

        assert isinstance(box, OrgBox)
        out = [(box.title, "inverse" if inverse else "strong"), (box.text, "inverse" if inverse else "")]
        if box.disputed:
            out.append(("the sources differ: see the note", "inverse" if inverse else ""))
        return tuple(out)

    # the head commands the members (every Cabinet minister) and is advised by the panel; the minister
    # responsible runs the Headquarters' work for the head, a staff post beside the line of command, not a
    # level of it (the sources: the Prime Minister heads it "along with all cabinet members", the minister
    # is "the responsible minister")
    head, minister = c.box("head"), c.box("minister")
    lower = [b for b in (c.box("members"), c.box("experts")) if b is not None]
    y = 0.05
    if head is not None:
        pic.shapes.append(Box(mid - bw / 2, y, bw, bh, NAVY, None, lines(head, inverse=True)))
        y += bh
    if minister is not None:
        left = mid + 0.35  # right of the line down from the head, joined to it by a short arm
        mw = min(bw, width - left - 0.05)
        top = y + 0.2
        pic.shapes.append(Line(mid, y, mid, top + bh / 2, NAVY, 1.25))
        pic.shapes.append(Line(mid, top + bh / 2, left, top + bh / 2, NAVY, 1.25))
        pic.shapes.append(Box(left, top, mw, bh, BOX, NAVY, lines(minister)))
        if not lower:
            y = top + bh
            pic.height = y + 0.05
            return pic
        pic.shapes.append(Line(mid, top + bh / 2, mid, top + bh, NAVY, 1.25))
        y = top + bh
    if lower:
        row = y + 0.5
        centres = [mid] if len(lower) == 1 else [mid - bw / 2 - 0.12, mid + bw / 2 + 0.12]
        bus = y + 0.2
        pic.shapes.append(Line(mid, y, mid, bus, NAVY, 1.25))
        if len(centres) > 1:
            pic.shapes.append(Line(centres[0], bus, centres[1], bus, NAVY, 1.25))
        for cx, box in zip(centres, lower, strict=True):
            advisory = box.role == "experts"  # the expert group advises; it is not a line of command
            pic.shapes.append(Line(cx, bus, cx, row, NAVY, 1.25, dashed=advisory))
            pic.shapes.append(Box(cx - bw / 2, row, bw, bh, BOX, NAVY, lines(box), dashed=advisory))
        y = row + bh
    pic.height = y + 0.05
    return pic


# -- DrawingML ------------------------------------------------------------------------------------------------

NS_DRAWING = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def _e(inches: float) -> int:
    return round(inches * EMU)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def drawingml(pic: Picture, *, shape_id: int, name: str, alt: str, para: str, styles: dict[str, str],
              esc: object) -> str:
    """``<w:drawing>`` of ``pic`` as an inline shape group; ``para`` is the text boxes' paragraph style id,
    ``styles`` maps "strong"/"inverse" to character style ids, ``esc`` escapes run text."""
    assert callable(esc)
    shapes = []
    # a frame as large as the group: LibreOffice sizes a group by its children's bounds
    shapes.append(_wsp(shape_id * 100, 0, 0, pic.width, pic.height, "rect", None, None, 0, False, ""))
    for k, s in enumerate(pic.shapes, 1):
        sid = shape_id * 100 + k
        if isinstance(s, Line):
            x, y = min(s.x1, s.x2), min(s.y1, s.y2)
            flip = ' flipV="1"' if (s.x2 - s.x1) * (s.y2 - s.y1) < 0 else ""
            shapes.append(_wsp(sid, x, y, abs(s.x2 - s.x1), abs(s.y2 - s.y1), "line", None, s.color, s.width_pt,
                               s.dashed, "", flip))
        elif isinstance(s, Dot):
            shapes.append(_wsp(sid, s.cx - s.r, s.cy - s.r, 2 * s.r, 2 * s.r, "ellipse", s.fill, s.stroke, 1.0,
                               False, ""))
        else:
            paras = "".join(
                f'<w:p><w:pPr><w:pStyle w:val="{para}"/></w:pPr><w:r>'
                + (f'<w:rPr><w:rStyle w:val="{styles[emph]}"/></w:rPr>' if emph else "")
                + f'<w:t xml:space="preserve">{esc(text)}</w:t></w:r></w:p>'
                for text, emph in s.lines)
            shapes.append(_wsp(sid, s.x, s.y, s.w, s.h, "rect", s.fill, s.stroke, 1.0, s.dashed,
                               f"<wps:txbx><w:txbxContent>{paras}</w:txbxContent></wps:txbx>"))
    cx, cy = _e(pic.width), _e(pic.height)
    group = (f'<wpg:wgp><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/>'
             f'<a:chOff x="0" y="0"/><a:chExt cx="{cx}" cy="{cy}"/></a:xfrm></wpg:grpSpPr>{"".join(shapes)}'
             "</wpg:wgp>")
    return (f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{shape_id}" name="{_xml(name)}" '
            f'descr="{_xml(alt)}"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
            f'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup">{group}</a:graphicData>'
            "</a:graphic></wp:inline></w:drawing>")


def _wsp(sid: int, x: float, y: float, w: float, h: float, geom: str, fill: str | None, stroke: str | None,
         width_pt: float, dashed: bool, text: str, flip: str = "") -> str:
    fill_xml = f'<a:solidFill><a:srgbClr val="{fill}"/></a:solidFill>' if fill else "<a:noFill/>"
    if stroke:
        dash = '<a:prstDash val="dash"/>' if dashed else ""
        line = (f'<a:ln w="{round(width_pt * 12700)}"><a:solidFill><a:srgbClr val="{stroke}"/></a:solidFill>'
                f"{dash}</a:ln>")
    else:
        line = "<a:ln><a:noFill/></a:ln>"
    body = ('<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="45720" tIns="18288" rIns="45720" bIns="18288" '
            'anchor="ctr"><a:noAutofit/></wps:bodyPr>') if text else "<wps:bodyPr/>"
    return (f'<wps:wsp><wps:cNvPr id="{sid}" name="shape {sid}"/><wps:cNvSpPr/><wps:spPr><a:xfrm{flip}>'
            f'<a:off x="{_e(x)}" y="{_e(y)}"/><a:ext cx="{_e(w)}" cy="{_e(h)}"/></a:xfrm>'
            f'<a:prstGeom prst="{geom}"><a:avLst/></a:prstGeom>{fill_xml}{line}</wps:spPr>{text}{body}</wps:wsp>')


# -- SVG -----------------------------------------------------------------------------------------------------


def svg(pic: Picture, *, title: str) -> str:
    """The picture as a standalone SVG document (points: 72 a inch)."""
    pt = 72.0
    w, h = pic.width * pt, pic.height * pt
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
           f'viewBox="0 0 {w:.1f} {h:.1f}" role="img"><title>{_xml(title)}</title>',
           f'<rect x="0" y="0" width="{w:.1f}" height="{h:.1f}" fill="#ffffff"/>']
    for s in pic.shapes:
        if isinstance(s, Line):
            dash = ' stroke-dasharray="4 3"' if s.dashed else ""
            out.append(f'<line x1="{s.x1 * pt:.1f}" y1="{s.y1 * pt:.1f}" x2="{s.x2 * pt:.1f}" y2="{s.y2 * pt:.1f}" '
                       f'stroke="#{s.color}" stroke-width="{s.width_pt:.2f}"{dash}/>')
        elif isinstance(s, Dot):
            out.append(f'<circle cx="{s.cx * pt:.1f}" cy="{s.cy * pt:.1f}" r="{s.r * pt:.1f}" fill="#{s.fill}" '
                       f'stroke="#{s.stroke}" stroke-width="1"/>')
        else:
            stroke = (f' stroke="#{s.stroke}" stroke-width="1"' + (' stroke-dasharray="4 3"' if s.dashed else "")
                      if s.stroke else "")
            out.append(f'<rect x="{s.x * pt:.1f}" y="{s.y * pt:.1f}" width="{s.w * pt:.1f}" height="{s.h * pt:.1f}" '
                       f'fill="#{s.fill}"{stroke}/>')
            # SVG does not wrap text: break it to the box's width (about half an em a character)
            per_line = max(int(s.w * pt / (TEXT_PT * 0.5)), 8)
            rows: list[tuple[str, str]] = []
            for text, emph in s.lines:
                rows += [(part, emph) for part in textwrap.wrap(text, per_line) or [""]]
            lead = TEXT_PT * 1.2
            y0 = s.y * pt + (s.h * pt - lead * len(rows)) / 2 + TEXT_PT
            for i, (text, emph) in enumerate(rows):
                colour = "#ffffff" if emph == "inverse" else f"#{NAVY}" if emph == "strong" else "#1a1a1a"
                weight = ' font-weight="bold"' if emph in ("strong", "inverse") and i == 0 or emph == "strong" else ""
                out.append(f'<text x="{(s.x + s.w / 2) * pt:.1f}" y="{y0 + i * lead:.1f}" text-anchor="middle" '
                           f'font-family="Calibri, Carlito, Arial, sans-serif" font-size="{TEXT_PT:.0f}" '
                           f'fill="{colour}"{weight}>{_xml(text)}</text>')
    out.append("</svg>")
    return "".join(out)
