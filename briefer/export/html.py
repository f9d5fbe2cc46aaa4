"""Document -> HTML: the window's live preview and ``--format html``.

Self-contained (styles inline in the head; no scripts, no external files),
and kept to what Qt's rich-text engine (QTextBrowser) renders: headings,
paragraphs, lists, simple tables with ``border``/``cellpadding`` attributes,
class selectors with colours, fonts and margins.  Footnote markers are links
``href="#fn-N"``; each note carries the anchor ``fn-N`` (as ``<a name>`` for Qt
and ``id`` for browsers) and links back to ``fnref-N``.

The window re-renders a part without rebuilding everything: every block has
its own fragment function (:func:`render_section_html`, :func:`render_fact_html`,
:func:`render_notes_html`, :func:`render_sources_html` …) and
:func:`html_head` / :func:`html_tail` frame them.  :func:`render_html`
joins them in the export order.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from briefer.domain.document import (
    FIRST_EDITION,
    Document,
    FactBlock,
    FigureBlock,
    KeyPoint,
    ParagraphBlock,
    SectionBlock,
    sources_table,
)
from briefer.domain.typography import smart_quotes, unbroken_dates

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

CSS = """
body { font-family: Cambria, Georgia, 'DejaVu Serif', 'IPAexGothic', serif; font-size: 11pt; color: #1a1a1a;
  margin: 24px; max-width: 46em; }
h1, h2, h3, .kicker, .meta, .marking, .caption, th, .toc-heading {
  font-family: Calibri, Arial, 'DejaVu Sans', 'IPAexGothic', sans-serif; }
.marking { color: #a50021; font-weight: bold; font-size: 8pt; text-align: center; text-transform: uppercase;
  letter-spacing: 1px; margin: 4px 0; }
.kicker { color: #2e5c8a; font-weight: bold; font-size: 10pt; text-transform: uppercase; letter-spacing: 2px;
  margin: 32px 0 0 0; }
h1.title { color: #1f3864; font-size: 26pt; margin: 4px 0 6px 0; }
.subtitle { color: #2e5c8a; font-size: 14pt; margin: 0 0 12px 0; }
.meta { margin: 2px 0; font-size: 10.5pt; }
.label { color: #1f3864; font-weight: bold; }
hr.rule { color: #1f3864; background-color: #1f3864; height: 2px; border: 0; }
h2 { color: #1f3864; font-size: 15pt; margin: 22px 0 8px 0; border-bottom: 1px solid #2e5c8a; }
.toc-heading { color: #1f3864; font-size: 15pt; margin: 22px 0 8px 0; font-weight: bold; }
ul.contents { list-style-type: none; margin-left: 0; }
.intro { color: #595959; font-style: italic; margin: 0 0 10px 0; }
.summary { background-color: #eef2f7; margin: 0 0 6px 0; padding: 6px; }
table.box { background-color: #eef2f7; border-left: 4px solid #1f3864; }
li.fact, p.fact, li.point { margin: 0 0 6px 0; }
.disputed, .superseded { color: #a50021; font-weight: bold; font-size: 8.5pt; text-transform: uppercase;
  font-family: Calibri, Arial, 'DejaVu Sans', sans-serif; }
sup.fnref { font-size: 8pt; }
sup.fnref a { text-decoration: none; color: #1f3864; }
.notes { font-size: 9pt; }
p.note { margin: 0 0 4px 0; }
.caption { color: #1f3864; font-weight: bold; font-size: 9pt; margin: 8px 0 4px 0; }
p.figure { text-align: center; margin: 12px 0 0 0; }
table.grid { border-collapse: collapse; font-size: 9pt; width: 100%; }
table.grid th { background-color: #1f3864; color: #ffffff; text-align: left; }
table.grid td, table.grid th { border-color: #bfbfbf; vertical-align: top; }
a { color: #1f3864; }
""".strip()


def esc(text: str | None) -> str:
    if not text:
        return ""
    return html.escape(smart_quotes(_ILLEGAL.sub("", text)), quote=True)


#: kana, CJK ideographs and full-width forms: text a Japanese font must draw
_JAPANESE = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _lang(text: str) -> str:
    """`` lang="ja"`` for Japanese text, so a browser picks Japanese glyphs (not Chinese ones) for kanji."""
    return ' lang="ja"' if _JAPANESE.search(text or "") else ""


def html_head(doc: Document) -> str:
    """Doctype, head (title, styles) and the opening of the body, with the top marking."""
    marking = f'<p class="marking">{esc(doc.cover.marking)}</p>\n' if doc.cover.marking else ""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="generator" content="Briefer">\n<title>{esc(doc.cover.title)}</title>\n'
        f"<style>\n{CSS}\n</style>\n</head>\n<body>\n{marking}"
    )


def html_tail(doc: Document) -> str:
    marking = f'<p class="marking">{esc(doc.cover.marking)}</p>\n' if doc.cover.marking else ""
    return f"{marking}</body>\n</html>\n"


def _anchor(name: str) -> str:
    return f'<a name="{esc(name)}" id="{esc(name)}"></a>'


def render_cover_html(doc: Document) -> str:
    c = doc.cover
    out = ['<div class="cover">', '<p class="kicker">Briefing</p>',
           f'<h1 class="title">{esc(unbroken_dates(c.title))}</h1>']
    if c.subtitle:
        out.append(f'<p class="subtitle">{esc(c.subtitle)}</p>')
    out.append('<hr class="rule">')
    for label, value in (("Prepared for", c.prepared_for), ("Prepared by", c.prepared_by),
                         ("Date of issue", c.date_of_issue_text)):
        if value:
            out.append(f'<p class="meta"><span class="label">{label}:</span> {esc(value)}</p>')
    if c.facts_current_text:
        out.append(f'<p class="meta">{esc(c.facts_current_text)}</p>')
    out.append("</div>")
    return "\n".join(out) + "\n"


def render_contents_html(doc: Document) -> str:
    if not doc.contents:
        return ""
    items = "".join(f'<li><a href="#{esc(e.anchor)}">{esc(e.heading)}</a></li>' for e in doc.contents)
    return f'<p class="toc-heading">Contents</p>\n<ul class="contents">{items}</ul>\n'


def _note_ref(note: int) -> str:
    return f'<sup class="fnref"><a href="#fn-{note}" id="fnref-{note}">{note}</a></sup>'


def _fact_inner(fb: FactBlock) -> str:
    marker = fb.marker
    mark = f'<span class="{marker.lower()}">{marker}</span> ' if marker else ""
    return f"{mark}{esc(fb.text)}{_note_ref(fb.note)}"


def render_fact_html(fb: FactBlock, layout: str = "bullets") -> str:
    """One fact with its footnote marker: a list item (bullets) or a paragraph."""
    tag = "li" if layout == "bullets" else "p"
    return f'<{tag} class="fact" id="fact-{esc(fb.fact_id)}">{_fact_inner(fb)}</{tag}>'


#: the preview's text width in inches: the printed page's (A4 less 2.2 cm margins)
FIGURE_WIDTH_IN = 6.5


def render_figure_html(fig: FigureBlock) -> str:
    """The figure's caption with the sources' note marker, then the figure as an SVG image (alt text on it)."""
    import base64

    from briefer.export.figure_draw import layout, svg

    pic = layout(fig.drawing, FIGURE_WIDTH_IN)
    data = base64.b64encode(svg(pic, title=smart_quotes(fig.alt_text)).encode("utf-8")).decode("ascii")
    # pixels at 96 a inch: Qt's rich text and browsers draw the SVG at its printed size
    return (f'<div class="figure" id="figure-{esc(fig.figure_id)}">'
            f'<p class="caption">{esc(fig.label)}{_note_ref(fig.note)}</p><p class="figure">'
            f'<img src="data:image/svg+xml;base64,{data}" alt="{esc(fig.alt_text)}" '
            f'width="{round(pic.width * 96)}" height="{round(pic.height * 96)}"></p></div>')


def render_paragraph_html(pb: ParagraphBlock) -> str:
    return f'<p class="para">{esc(pb.text)}</p>'


def _key_point_inner(kp: KeyPoint) -> str:
    if kp.fact is not None:
        return _fact_inner(kp.fact)
    # "see §3" is one unit: a narrow pane broke it as "(see" / "§3)"
    shown = esc(kp.see).replace("see ", "see\u00a0")
    see = f'<a class="see" href="#{esc(kp.anchor)}">{shown}</a>' if kp.anchor else shown
    return f"{esc(kp.text)} ({see})"


def render_evidence_html(doc: Document) -> str:
    app = doc.evidence_appendix
    if app is None or not doc.evidence:
        return ""
    out = [f"<h2>{_anchor(app.anchor)}{esc(app.heading)}</h2>"]
    for ev in doc.evidence:
        out.append(f'<p class="para"><span class="label">Note {ev.note}.</span> {esc(ev.fact_text)}</p>')
        out.append("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in ev.lines) + "</ul>")
    return "\n".join(out) + "\n"


def render_summary_html(doc: Document) -> str:
    """The key points (preceded by "What's new" in a note that leads with what changed)."""
    lead = _whats_new_html(doc) if doc.whats_new_first else ""
    return lead + _summary_html(doc)


def _summary_html(doc: Document) -> str:
    sm = doc.summary
    if sm is None:
        return ""
    out = [f"<h2>{_anchor(sm.anchor)}{esc(sm.heading)}</h2>"]
    # a one-cell table is the box Qt's rich text can draw (it ignores borders on div/p)
    inner = "".join(f'<p class="summary">{esc(p)}</p>' for p in sm.paragraphs)
    if sm.points:
        inner += '<ul class="keypoints">' + "".join(
            f'<li class="point" id="point-{esc(kp.fact_id)}">{_key_point_inner(kp)}</li>' for kp in sm.points) + "</ul>"
    out.append(f'<table class="box" width="100%" cellpadding="8" cellspacing="0" border="0"><tr><td>{inner}'
               "</td></tr></table>")
    return "\n".join(out) + "\n"


def render_whats_new_html(doc: Document) -> str:
    """The "What's new" section.  In a note that leads with what changed it opens the briefing: then
    :func:`render_summary_html` draws it, before the key points, and this returns nothing (so a caller
    that draws the summary and then this shows the document's order either way)."""
    return "" if doc.whats_new_first else _whats_new_html(doc)


def _whats_new_html(doc: Document) -> str:
    wn = doc.whats_new
    if wn is None:
        return ""
    if wn.first_edition:
        return f'<p class="intro">{esc(FIRST_EDITION)}</p>\n'
    lines = "".join(f'<li><span class="label">{esc(line.label)}:</span> {esc(line.text)}</li>' for line in wn.lines)
    body = f"<ul>{lines}</ul>" if lines else "<p>No changes to the facts in this briefing.</p>"
    return f"<h2>{_anchor(wn.anchor)}{esc(wn.heading)}</h2>\n{body}\n"


def render_section_html(sec: SectionBlock) -> str:
    """One section: heading (with its anchor), intro, facts and analyst paragraphs."""
    out = [f'<div class="section" id="sec-block-{esc(sec.section_id)}">',
           f"<h2>{_anchor(sec.anchor)}{esc(sec.numbered_heading)}</h2>"]
    if sec.intro:
        out.append(f'<p class="intro">{esc(sec.intro)}</p>')
    in_list = False
    for b in sec.blocks:
        if isinstance(b, FactBlock) and sec.layout == "bullets":
            if not in_list:
                out.append('<ul class="facts">')
                in_list = True
            out.append(render_fact_html(b, "bullets"))
            continue
        if in_list:
            out.append("</ul>")
            in_list = False
        if isinstance(b, FactBlock):
            out.append(render_fact_html(b, "paragraphs"))
        elif isinstance(b, FigureBlock):
            out.append(render_figure_html(b))
        else:
            out.append(render_paragraph_html(b))
    if in_list:
        out.append("</ul>")
    if not sec.blocks:
        out.append('<p class="para">No facts selected for this section.</p>')
    out.append("</div>")
    return "\n".join(out) + "\n"


def render_note_html(fb: FactBlock | FigureBlock) -> str:
    """One numbered note: every citation, each version of a disputed fact."""
    body = "<br>".join(esc(p) for p in fb.footnote_paragraphs())
    return (f'<p class="note">{_anchor(f"fn-{fb.note}")}<a href="#fnref-{fb.note}">{fb.note}.</a> '
            f"{body}</p>")


def render_notes_html(doc: Document, blocks: Iterable[FactBlock | FigureBlock] | None = None) -> str:
    """The numbered notes of ``blocks`` (all the document's when None)."""
    fbs = list(doc.note_blocks() if blocks is None else blocks)
    if not fbs:
        return ""
    notes = "\n".join(render_note_html(fb) for fb in fbs)
    return f'<h2>{_anchor("notes")}Notes</h2>\n<div class="notes">\n{notes}\n</div>\n'


def _table(heads: list[str], rows: Iterable[list[str]], first: int | None = None) -> str:
    """``first``: the first column's share of the width (per cent); the others take what their words need
    (the sources table: its titles take the room a narrow preview has, and no column runs past the edge)."""
    head = "".join(f'<th width="{first}%">{esc(h)}</th>' if first and i == 0 else f"<th>{esc(h)}</th>"
                   for i, h in enumerate(heads))
    body = "".join("<tr>" + "".join(f"<td{_lang(v)}>{esc(v)}</td>" for v in row) + "</tr>" for row in rows)
    return (f'<table class="grid" width="100%" border="1" cellspacing="0" cellpadding="4">'
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def render_sources_html(doc: Document) -> str:
    app = doc.sources_appendix
    if app is None or not doc.sources:
        return ""
    n = len(doc.sources)
    table = sources_table(doc.sources)
    return (f"<h2>{_anchor(app.anchor)}{esc(app.heading)}</h2>\n"
            f'<p class="caption">Table 1. The {n} source{"s" if n != 1 else ""} cited in this briefing</p>\n'
            + _table(table.headings, table.rows, 26)
            + f'\n<p class="intro">{esc(table.note)}</p>\n')


def render_glossary_html(doc: Document) -> str:
    app = doc.glossary_appendix
    if app is None or not doc.glossary:
        return ""
    names = doc.glossary_as_table()
    return (f"<h2>{_anchor(app.anchor)}{esc(app.heading)}</h2>\n"
            f'<p class="caption">{esc(names.caption)}</p>\n'
            + _table(names.headings, names.rows)
            + f'\n<p class="intro">{esc(names.note)}</p>\n')


def render_lead_html(doc: Document) -> list[str]:
    """What comes before the sections, in the document's order: the cover, then the contents and the key
    points, or the key points first where they stand on the cover page (:attr:`Document.key_points_on_cover`),
    then "What's new"."""
    cover, contents, summary = render_cover_html(doc), render_contents_html(doc), render_summary_html(doc)
    lead = [summary, contents] if doc.key_points_on_cover else [contents, summary]
    return [cover, *lead, render_whats_new_html(doc)]


def render_body_html(doc: Document) -> str:
    """Everything between :func:`html_head` and :func:`html_tail`."""
    parts = render_lead_html(doc)
    parts += [render_section_html(s) for s in doc.sections]
    parts += [render_notes_html(doc), render_evidence_html(doc), render_sources_html(doc),
              render_glossary_html(doc)]
    return "".join(parts)


def render_html(doc: Document) -> str:
    return html_head(doc) + render_body_html(doc) + html_tail(doc)
