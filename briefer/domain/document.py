"""The document model: a briefing resolved against the store into blocks.

:func:`resolve` turns a :class:`~briefer.domain.briefing.Briefing` (which only
references facts by id) into a :class:`Document` holding every piece of text
the reader will see: cover, summary, contents, sections of fact and paragraph
blocks with their footnotes, "what's new", appendices.  Every renderer (DOCX,
HTML preview, Markdown, PDF) consumes this one model, so the preview the window
shows is the document that gets exported.

Text is made safe here: characters XML cannot hold (control characters, lone
surrogates) are removed and each removal is reported in ``Document.warnings``.
Metadata a source does not give is shown as unknown ("n.d." in a citation),
never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from briefer.domain.briefing import Briefing, FactItem, ParagraphItem
from briefer.domain.dates import day_month_year
from briefer.domain.models import RELIABILITY_LABELS, UNKNOWN, Fact, FactStatus, Source
from briefer.domain.quotes import quote_window
from briefer.domain.variance import add_alias_notes, variance_footnote, variance_of

if TYPE_CHECKING:
    from briefer.store.db import Store

#: a quote longer than this many characters is shortened with an ellipsis in a footnote
MAX_QUOTE_CHARS = 180

#: characters XML 1.0 cannot hold: C0 controls except tab/newline/CR, lone surrogates, U+FFFE/U+FFFF
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: the explanation printed under the sources table
RELIABILITY_NOTE = (
    "Reliability is the analyst\u2019s grade of each source on the A\u2013F scale (A completely reliable, "
    "B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged). "
    "\u201cunknown\u201d means the source itself does not say; nothing is inferred."
)

#: the explanation printed under the glossary table
GLOSSARY_NOTE = (
    "\u201cAlso rendered as\u201d lists the other English names the sources use for the same person or body. "
    "Japanese names are the analyst\u2019s where no source gives them; \u201cunknown\u201d means neither does."
)

KIND_LABELS = {"added": "Added", "removed": "Removed", "reworded": "Reworded", "status": "Status changed"}


def clean_text(text: str) -> tuple[str, int]:
    """``text`` without the characters XML cannot hold, and how many were removed."""
    cleaned, n = _XML_ILLEGAL.subn("", text)
    return cleaned, n


def format_date(d: date | None, *, unknown: str = "n.d.") -> str:
    """``13 September 2025``; ``unknown`` when there is no date."""
    if d is None:
        return unknown
    return day_month_year(d)


def shorten_quote(quote: str, limit: int = MAX_QUOTE_CHARS) -> str:
    """The quote, cut at a word boundary with an ellipsis when longer than ``limit``."""
    quote = " ".join(quote.split())
    if len(quote) <= limit:
        return quote
    cut = quote[:limit]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:\u2014\u2013-") + "\u2026"


# -- the blocks ---------------------------------------------------------------


@dataclass(slots=True)
class CitationNote:
    """One citation of a fact, resolved against its source."""

    source_id: str
    #: outlet or publisher, None when the source does not say
    outlet: str | None
    #: the source's title, or its [bracketed label] when it shows none
    title: str
    #: True when ``title`` is the document's own title (quoted), False for an analyst label
    has_title: bool
    author: str | None
    #: "13 September 2025" or "n.d."
    date_text: str
    #: the quoted passage, shortened with an ellipsis when long
    quote: str
    location: str
    #: for a disputed fact: the version of the fact this source gives
    claim: str | None
    #: the whole citation as one line (outlet, title, author, date, location: "quote")
    text: str


@dataclass(slots=True)
class FactBlock:
    fact_id: str
    #: what the reader sees: the briefing's override, else the stored statement
    text: str
    status: str
    #: footnote number, in document order from 1
    note: int
    citations: list[CitationNote]
    as_of: date
    priority: int
    section: str
    overridden: bool = False
    superseded_by: str | None = None
    #: markers for later checks (stale, unverified quote …); renderers may show them
    flags: list[str] = field(default_factory=list)
    kind: Literal["fact"] = "fact"
    #: how the sources differ (briefer.domain.variance); only a disagreement is disputed
    variance: str | None = None
    #: for an alias: the note on the renderings (with the Japanese name from the glossary)
    alias_note: str | None = None

    @property
    def disputed(self) -> bool:
        return self.status == FactStatus.DISPUTED

    @property
    def superseded(self) -> bool:
        return self.status == FactStatus.SUPERSEDED

    @property
    def marker(self) -> str | None:
        """The visible label put before the text: "Disputed", "Superseded", or None."""
        if self.disputed:
            return "Disputed"
        if self.superseded:
            return "Superseded"
        return None

    def footnote_paragraphs(self) -> list[str]:
        """The footnote, one string a paragraph: every citation, and for a
        disputed fact each version with the source that gives it."""
        out = variance_footnote(self) if self.disputed or self.variance else [c.text for c in self.citations]
        if self.superseded:
            later = f" by fact {self.superseded_by}" if self.superseded_by else ""
            out.append(f"Superseded{later}; shown for the record.")
        return out

    def footnote_text(self) -> str:
        return " ".join(self.footnote_paragraphs())


@dataclass(slots=True)
class ParagraphBlock:
    text: str
    kind: Literal["paragraph"] = "paragraph"


@dataclass(slots=True)
class FigureBlock:
    """A figure drawn from the facts (:mod:`briefer.domain.figures`): a timeline or an organisation chart.

    Renderers draw ``drawing`` (a :class:`~briefer.domain.figures.Timeline` or
    :class:`~briefer.domain.figures.OrgChart`) as vector art, with ``caption`` under it and a footnote
    naming its sources on the caption."""

    figure_id: str
    #: 1-based among the document's figures
    number: int
    #: "Figure 1. …" without the number's prefix: renderers print ``label``
    caption: str
    #: what a screen reader says instead of the picture: every event or box, in reading order
    alt_text: str
    #: footnote number, in document order with the facts' notes
    note: int
    #: the footnote, one string a paragraph
    sources: list[str]
    #: the facts it draws
    fact_ids: list[str]
    drawing: object
    #: printed height in inches, caption included (for the page estimate)
    height_in: float
    kind: Literal["figure"] = "figure"

    @property
    def label(self) -> str:
        return f"Figure {self.number}. {self.caption}"

    def footnote_paragraphs(self) -> list[str]:
        return list(self.sources)

    def footnote_text(self) -> str:
        return " ".join(self.sources)


Block = FactBlock | ParagraphBlock | FigureBlock


@dataclass(slots=True)
class SectionBlock:
    section_id: str
    #: 1-based position among the document's sections
    number: int
    heading: str
    #: a stable id usable as an HTML anchor and (via :func:`bookmark_name`) a Word bookmark
    anchor: str
    intro: str
    layout: Literal["bullets", "paragraphs"]
    blocks: list[Block]

    @property
    def numbered_heading(self) -> str:
        return f"{self.number}. {self.heading}"

    def facts(self) -> list[FactBlock]:
        return [b for b in self.blocks if isinstance(b, FactBlock)]


@dataclass(slots=True)
class Cover:
    title: str
    subtitle: str
    prepared_for: str
    prepared_by: str
    date_of_issue: date
    #: the latest ``as_of`` among the facts included; None when there are none
    facts_as_of: date | None
    marking: str
    #: the cover fills its own page; False: a compact block above the summary (one-page briefs)
    page: bool = True

    @property
    def date_of_issue_text(self) -> str:
        return format_date(self.date_of_issue)

    @property
    def facts_current_text(self) -> str:
        return f"Facts current as of {format_date(self.facts_as_of, unknown=UNKNOWN)}"


@dataclass(slots=True)
class Summary:
    heading: str
    anchor: str
    #: the analyst's own text, one string a paragraph (empty for a default summary)
    paragraphs: list[str]
    #: default key points: the highest-priority facts, each with its footnote
    points: list[FactBlock]


@dataclass(slots=True)
class ContentsEntry:
    heading: str
    anchor: str
    level: int = 1


@dataclass(slots=True)
class WhatsNewLine:
    kind: str
    label: str
    fact_id: str
    text: str


@dataclass(slots=True)
class WhatsNew:
    heading: str
    anchor: str
    since: date
    lines: list[WhatsNewLine]


@dataclass(slots=True)
class SourceRow:
    source_id: str
    title: str
    outlet: str
    author: str
    date_text: str
    kind: str
    reliability: str
    reliability_label: str
    #: how many facts in the document cite it
    cited_by: int

    @property
    def reliability_text(self) -> str:
        return f"{self.reliability} \u2014 {self.reliability_label}"


@dataclass(slots=True)
class GlossaryRow:
    name: str
    kind: str
    aliases: str
    japanese: str


@dataclass(slots=True)
class Appendix:
    heading: str
    anchor: str


@dataclass(slots=True)
class DocProperties:
    title: str
    subject: str
    author: str
    keywords: str


@dataclass(slots=True)
class Document:
    cover: Cover
    summary: Summary | None
    contents: list[ContentsEntry] | None
    sections: list[SectionBlock]
    whats_new: WhatsNew | None
    sources_appendix: Appendix | None
    sources: list[SourceRow]
    glossary_appendix: Appendix | None
    glossary: list[GlossaryRow]
    properties: DocProperties
    #: problems found while resolving: missing facts or sources, characters removed
    warnings: list[str] = field(default_factory=list)
    #: how many superseded facts were left out
    superseded_left_out: int = 0

    def fact_blocks(self) -> list[FactBlock]:
        """Every block that carries a footnote, in document order."""
        out = list(self.summary.points) if self.summary else []
        for s in self.sections:
            out.extend(s.facts())
        return out

    def note_blocks(self) -> list[FactBlock | FigureBlock]:
        """Every block that carries a footnote (facts and figures), in document order."""
        out: list[FactBlock | FigureBlock] = list(self.summary.points) if self.summary else []
        for s in self.sections:
            out.extend(b for b in s.blocks if isinstance(b, FactBlock | FigureBlock))
        return out

    def figures(self) -> list[FigureBlock]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, FigureBlock)]

    @property
    def footnote_count(self) -> int:
        return len(self.note_blocks())

    def section(self, section_id: str) -> SectionBlock:
        for s in self.sections:
            if s.section_id == section_id:
                return s
        raise KeyError(section_id)


def bookmark_name(anchor: str) -> str:
    """A Word bookmark name for an anchor: letters, digits and '_', at most 40 characters."""
    name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    if not name[:1].isalpha():
        name = "b" + name
    return name[:40]


# -- resolving ----------------------------------------------------------------


class _Cleaner:
    """Cleans text and records where characters were removed."""

    def __init__(self) -> None:
        self.removed: dict[str, int] = {}

    def __call__(self, text: str | None, where: str) -> str:
        if not text:
            return ""
        cleaned, n = clean_text(text)
        if n:
            self.removed[where] = self.removed.get(where, 0) + n
        return cleaned

    def warnings(self) -> list[str]:
        return [
            f"removed {n} character{'s' if n != 1 else ''} that a document cannot hold (control characters or "
            f"broken surrogates) from {where}"
            for where, n in self.removed.items()
        ]


def format_citation(src: Source | None, quote: str, location: str, clean: _Cleaner, where: str,
                    source_id: str, supports: str = "") -> CitationNote:
    """``supports``: what the quote backs (the statement, or the version it gives); a long quote keeps
    the part that says it."""
    quote_s = quote_window(clean(quote, where), supports, MAX_QUOTE_CHARS)
    location = clean(location, where)
    if src is None:
        text = f"[source {source_id} is not in the store]: \u201c{quote_s}\u201d"
        return CitationNote(source_id, None, f"[source {source_id}]", False, None, "n.d.", quote_s, location, None,
                            text)
    outlet = clean(src.outlet, f"source {src.id}") or None
    author = clean(src.author, f"source {src.id}") or None
    has_title = bool(src.title)
    title = clean(src.display_title, f"source {src.id}")
    date_text = format_date(src.published)
    parts = []
    if outlet:
        parts.append(outlet)
    parts.append(f"\u201c{title}\u201d" if has_title else title)
    if author:
        parts.append(author)
    parts.append(date_text)
    head = ", ".join(parts)
    if location:
        head += f", {location}"
    text = f"{head}: \u201c{quote_s}\u201d"
    return CitationNote(src.id, outlet, title, has_title, author, date_text, quote_s, location, None, text)


def _fact_block(fact: Fact, override: str | None, note: int, sources: dict[str, Source], clean: _Cleaner,
                flags: Sequence[str] = ()) -> FactBlock:
    where = f"fact {fact.id}"
    cites: list[CitationNote] = []
    for c in fact.citations:
        src = sources.get(c.source)
        cn = format_citation(src, c.quote, c.location, clean, where, c.source,
                             supports=c.claim or override or fact.statement)
        if c.credibility and src is not None:
            # the analyst's grade in the Admiralty code: source reliability + information credibility
            cn.text += f" (graded {src.reliability}{c.credibility})"
        if c.claim:
            cn.claim = clean(c.claim, where)
        cites.append(cn)
    text = clean(override, where) if override and override.strip() else clean(fact.statement, where)
    return FactBlock(
        fact_id=fact.id, text=text, status=str(fact.status), note=note, citations=cites, as_of=fact.as_of,
        priority=fact.priority, section=fact.section, overridden=bool(override and override.strip()),
        superseded_by=fact.superseded_by, flags=list(flags), variance=variance_of(fact),
    )


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _anchor(prefix: str, ident: str, used: set[str]) -> str:
    base = f"{prefix}-{re.sub(r'[^a-z0-9]+', '-', ident.lower()).strip('-')}".rstrip("-")
    anchor, n = base, 2
    while anchor in used:
        anchor = f"{base}-{n}"
        n += 1
    used.add(anchor)
    return anchor


def resolve(briefing: Briefing, store: Store, *, today: date) -> Document:
    """Resolve ``briefing`` against ``store`` into the document every renderer draws.

    Facts the store no longer holds are skipped and reported in
    ``Document.warnings``; superseded facts are left out unless
    ``briefing.options.include_superseded``.  Never raises for missing data.
    """
    clean = _Cleaner()
    warnings: list[str] = []
    opts = briefing.options
    facts = store.facts_by_ids(list(dict.fromkeys(briefing.fact_ids())))
    cited_ids = {c.source for f in facts.values() for c in f.citations}
    sources = {s.id: s for s in store.sources() if s.id in cited_ids}
    for sid in sorted(cited_ids - sources.keys()):
        warnings.append(f"source {sid} is cited but not in the store; its citations show only the quote")
    section_titles = {s.id: s.title for s in store.sections()}

    # which facts are shown, in order
    used_anchors: set[str] = set()
    shown: list[tuple[int, FactItem | ParagraphItem, Fact | None]] = []
    superseded_out = 0
    for si, bs in enumerate(briefing.sections):
        for item in bs.items:
            if isinstance(item, FactItem):
                fact = facts.get(item.fact_id)
                if fact is None:
                    warnings.append(f"fact {item.fact_id} (section {bs.section}) is not in the store; left out")
                    continue
                if fact.status == FactStatus.SUPERSEDED and not opts.include_superseded:
                    superseded_out += 1
                    continue
                shown.append((si, item, fact))
            else:
                shown.append((si, item, None))
    shown_facts = [f for _, _, f in shown if f is not None]

    # summary first: its key points carry the first footnotes
    note = 0
    summary: Summary | None = None
    if opts.summary:
        if briefing.summary and briefing.summary.strip():
            summary = Summary("Bottom line up front", _anchor("sec", "summary", used_anchors),
                              _paragraphs(clean(briefing.summary, "the summary")), [])
        elif shown_facts:
            overrides = {i.fact_id: i.override for _, i, f in shown if isinstance(i, FactItem)}
            unique = list({f.id: f for f in shown_facts}.values())
            ranked = sorted(unique, key=lambda f: (-f.priority, -f.as_of.toordinal()))
            points = []
            for f in ranked[: opts.summary_points]:
                note += 1
                points.append(_fact_block(f, overrides.get(f.id), note, sources, clean))
            summary = Summary("Key points", _anchor("sec", "summary", used_anchors), [], points)

    whats_new: WhatsNew | None = None
    if opts.whats_new and briefing.whats_new is not None:
        wn = briefing.whats_new
        whats_new = WhatsNew(
            f"What\u2019s new since {format_date(wn.since)}", _anchor("sec", "whats-new", used_anchors), wn.since,
            [WhatsNewLine(ch.kind, KIND_LABELS.get(ch.kind, ch.kind.capitalize()), ch.fact_id,
                          clean(ch.text, "what's new")) for ch in wn.changes],
        )

    sections: list[SectionBlock] = []
    by_section: dict[int, list[tuple[FactItem | ParagraphItem, Fact | None]]] = {}
    for si, item, fact in shown:
        by_section.setdefault(si, []).append((item, fact))
    for si, bs in enumerate(briefing.sections):
        blocks: list[Block] = []
        for item, fact in by_section.get(si, []):
            if fact is not None and isinstance(item, FactItem):
                note += 1
                blocks.append(_fact_block(fact, item.override, note, sources, clean))
            elif isinstance(item, ParagraphItem):
                for para in _paragraphs(clean(item.text, f"a paragraph in section {bs.section}")):
                    blocks.append(ParagraphBlock(para))
        heading = clean(bs.heading, f"the heading of section {bs.section}") or section_titles.get(bs.section) or \
            bs.section.replace("-", " ").capitalize()
        sections.append(SectionBlock(
            section_id=bs.section, number=len(sections) + 1, heading=heading,
            anchor=_anchor("sec", bs.section, used_anchors),
            intro=" ".join(clean(bs.intro, f"the introduction of section {bs.section}").split()),
            layout=bs.layout, blocks=blocks,
        ))

    # an alias is explained once: in the first footnote of a fact recording it
    add_alias_notes([*(summary.points if summary else []), *(b for sec in sections for b in sec.blocks)],
                    store.glossary(), sources)

    # appendices
    cite_counts: dict[str, int] = {}
    for f in shown_facts:
        for sid in f.source_ids:
            cite_counts[sid] = cite_counts.get(sid, 0) + 1
    source_rows: list[SourceRow] = []
    for sid, count in cite_counts.items():
        src = sources.get(sid)
        if src is None:
            source_rows.append(SourceRow(sid, f"[source {sid}]", UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN, "F",
                                         RELIABILITY_LABELS["F"], count))
            continue
        where = f"source {sid}"
        source_rows.append(SourceRow(
            source_id=sid, title=clean(src.display_title, where), outlet=clean(src.outlet, where) or UNKNOWN,
            author=clean(src.author, where) or UNKNOWN, date_text=format_date(src.published, unknown=UNKNOWN),
            kind=str(src.kind), reliability=src.reliability,
            reliability_label=RELIABILITY_LABELS.get(src.reliability, UNKNOWN), cited_by=count,
        ))
    source_rows.sort(key=lambda r: (r.title.lstrip("[\u201c\"").casefold(), r.source_id))
    sources_appendix = (Appendix("Appendix A. Sources cited", _anchor("app", "sources", used_anchors))
                        if opts.sources_appendix and source_rows else None)

    glossary_rows: list[GlossaryRow] = []
    glossary_appendix: Appendix | None = None
    if opts.glossary:
        for g in store.glossary():
            where = f"glossary entry {g.id}"
            glossary_rows.append(GlossaryRow(
                name=clean(g.name, where), kind=g.kind,
                aliases="; ".join(clean(a, where) for a in g.aliases) or "\u2014",
                japanese=clean(g.japanese, where) or UNKNOWN,
            ))
        glossary_rows.sort(key=lambda r: r.name.casefold())
        letter = "B" if sources_appendix else "A"
        if glossary_rows:
            glossary_appendix = Appendix(f"Appendix {letter}. Glossary of names",
                                         _anchor("app", "glossary", used_anchors))

    c = briefing.cover
    cover = Cover(
        title=clean(c.title, "the title") or "Briefing",
        subtitle=clean(c.subtitle, "the subtitle"),
        prepared_for=clean(c.prepared_for, "'prepared for'"),
        prepared_by=clean(c.prepared_by, "'prepared by'"),
        date_of_issue=c.date_of_issue or today,
        facts_as_of=max((f.as_of for f in shown_facts), default=None),
        marking=clean(c.marking, "the marking"),
        page=opts.cover_page,
    )

    contents: list[ContentsEntry] | None = None
    if opts.contents:
        contents = []
        if summary:
            contents.append(ContentsEntry(summary.heading, summary.anchor))
        if whats_new:
            contents.append(ContentsEntry(whats_new.heading, whats_new.anchor))
        contents += [ContentsEntry(s.numbered_heading, s.anchor) for s in sections]
        for app in (sources_appendix, glossary_appendix):
            if app:
                contents.append(ContentsEntry(app.heading, app.anchor))

    props = DocProperties(
        title=cover.title,
        subject=cover.subtitle or "Briefing",
        author=cover.prepared_by,
        keywords="; ".join(_unique(s.heading for s in sections)),
    )
    document = Document(
        cover=cover, summary=summary, contents=contents, sections=sections, whats_new=whats_new,
        sources_appendix=sources_appendix, sources=source_rows, glossary_appendix=glossary_appendix,
        glossary=glossary_rows, properties=props, warnings=warnings + clean.warnings(),
        superseded_left_out=superseded_out,
    )
    if opts.figures:
        from briefer.domain.figures import attach_figures

        attach_figures(document, store, opts.figures, include_superseded=opts.include_superseded)
    return document


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))
