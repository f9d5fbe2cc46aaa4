"""Document -> Markdown (pandoc flavour): headings, bullets, ``[^n]`` footnotes
(one per fact, continuation paragraphs indented), pipe tables."""

from __future__ import annotations

import re

from briefer.domain.document import (
    FIRST_EDITION,
    Document,
    FactBlock,
    FigureBlock,
    SectionBlock,
    sources_table,
)
from briefer.domain.typography import smart_quotes

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: characters Markdown would read as markup
_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$])")
_LINE_START = re.compile(r"^(\s*)([-+]|\d+[.)])(\s)")


def md_escape(text: str | None) -> str:
    if not text:
        return ""
    text = smart_quotes(" ".join(_ILLEGAL.sub("", text).split()))
    text = _SPECIAL.sub(r"\\\1", text)
    # a text that starts like a list item or a heading must not become one
    return _LINE_START.sub(lambda m: f"{m.group(1)}{m.group(2)[:-1]}\\{m.group(2)[-1]}{m.group(3)}"
                           if len(m.group(2)) > 1 else f"{m.group(1)}\\{m.group(2)}{m.group(3)}", text)


def _fact(fb: FactBlock) -> str:
    marker = f"**{fb.marker.upper()}** " if fb.marker else ""
    return f"{marker}{md_escape(fb.text)}[^{fb.note}]"


def _section(sec: SectionBlock) -> list[str]:
    out = [f"## {md_escape(sec.numbered_heading)} {{#{sec.anchor}}}", ""]
    if sec.intro:
        out += [f"*{md_escape(sec.intro)}*", ""]
    prev_bullet = False
    for b in sec.blocks:
        if isinstance(b, FactBlock) and sec.layout == "bullets":
            out.append(f"- {_fact(b)}")
            prev_bullet = True
            continue
        if prev_bullet:
            out.append("")
            prev_bullet = False
        if isinstance(b, FigureBlock):
            # Markdown has no drawing: the figure's description stands in for it, under its caption and note
            out += [f"*{md_escape(b.label)}*[^{b.note}]", "", f"> {md_escape(b.alt_text)}", ""]
            continue
        out += [_fact(b) if isinstance(b, FactBlock) else md_escape(b.text), ""]
    if prev_bullet:
        out.append("")
    if not sec.blocks:
        out += ["No facts selected for this section.", ""]
    return out


def _table(heads: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(heads) + " |", "|" + "|".join("---" for _ in heads) + "|"]
    out += ["| " + " | ".join(md_escape(v) for v in row) + " |" for row in rows]
    return out + [""]


def _summary_md(doc: Document) -> list[str]:
    out: list[str] = []
    if doc.summary:
        sm = doc.summary
        out += [f"## {md_escape(sm.heading)} {{#{sm.anchor}}}", ""]
        for p in sm.paragraphs:
            out += [md_escape(p), ""]
        if sm.points:
            for kp in sm.points:
                if kp.fact is not None:
                    out.append(f"- {_fact(kp.fact)}")
                else:
                    see = f"[{kp.see}](#{kp.anchor})" if kp.anchor else kp.see
                    out.append(f"- {md_escape(kp.text)} ({see})")
            out.append("")
    return out


def _whats_new_md(doc: Document) -> list[str]:
    out: list[str] = []
    if doc.whats_new:
        wn = doc.whats_new
        if wn.first_edition:
            return out + [md_escape(FIRST_EDITION), ""]
        out += [f"## {md_escape(wn.heading)} {{#{wn.anchor}}}", ""]
        out += [f"- **{md_escape(line.label)}:** {md_escape(line.text)}" for line in wn.lines]
        if not wn.lines:
            out.append("No changes to the facts in this briefing.")
        out.append("")
    return out


def _contents_md(doc: Document) -> list[str]:
    if not doc.contents:
        return []
    return ["## Contents", "", *(f"- [{md_escape(e.heading)}](#{e.anchor})" for e in doc.contents), ""]


def render_markdown(doc: Document) -> str:
    c = doc.cover
    out: list[str] = []
    if c.marking:
        out += [f"**{md_escape(c.marking)}**", ""]
    out += [f"# {md_escape(c.title)}", ""]
    if c.subtitle:
        out += [f"*{md_escape(c.subtitle)}*", ""]
    for label, value in (("Prepared for", c.prepared_for), ("Prepared by", c.prepared_by),
                         ("Date of issue", c.date_of_issue_text)):
        if value:
            out += [f"**{label}:** {md_escape(value)}  "]
    out += [md_escape(c.facts_current_text), ""] if c.facts_current_text else [""]
    lead = [_whats_new_md, _summary_md] if doc.whats_new_first else [_summary_md, _whats_new_md]
    lead.insert(1 if doc.key_points_on_cover else 0, _contents_md)  # the key points under the title
    for part in lead:
        out += part(doc)
    for sec in doc.sections:
        out += _section(sec)
    if doc.evidence_appendix and doc.evidence:
        app = doc.evidence_appendix
        out += [f"## {md_escape(app.heading)} {{#{app.anchor}}}", ""]
        for ev in doc.evidence:
            out += [f"**Note {ev.note}.** {md_escape(ev.fact_text)}", ""]
            out += [f"- {md_escape(line)}" for line in ev.lines] + [""]
    if doc.sources_appendix and doc.sources:
        app = doc.sources_appendix
        out += [f"## {md_escape(app.heading)} {{#{app.anchor}}}", ""]
        table = sources_table(doc.sources)
        out += _table(table.headings, table.rows)
        out += [md_escape(table.note), ""]
    if doc.glossary_appendix and doc.glossary:
        app = doc.glossary_appendix
        out += [f"## {md_escape(app.heading)} {{#{app.anchor}}}", ""]
        names = doc.glossary_as_table()
        out += _table(names.headings, names.rows)
        out += [md_escape(names.note), ""]
    for fb in doc.note_blocks():
        paras = fb.footnote_paragraphs()
        out.append(f"[^{fb.note}]: {md_escape(paras[0])}")
        for p in paras[1:]:
            out += ["", f"    {md_escape(p)}"]
        out.append("")
    if c.marking:
        out += [f"**{md_escape(c.marking)}**", ""]
    return "\n".join(out)
