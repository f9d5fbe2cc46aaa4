"""Resolving a briefing against the store into a :class:`~briefer.domain.blocks.Document`
(see :mod:`briefer.domain.document`), and choosing its key points."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

from briefer.domain.blocks import (
    KIND_LABELS,
    MAX_QUOTE_CHARS,
    NOT_STATED,
    Appendix,
    Block,
    CitationNote,
    ContentsEntry,
    Cover,
    DocProperties,
    Document,
    EvidenceEntry,
    FactBlock,
    GlossaryRow,
    KeyPoint,
    ParagraphBlock,
    SectionBlock,
    SourceRow,
    Summary,
    WhatsNew,
    WhatsNewLine,
    _short_label,
    clean_text,
    format_date,
    short_title,
)
from briefer.domain.briefing import Briefing, FactItem, ParagraphItem
from briefer.domain.key_points import copies_body, key_point_text
from briefer.domain.models import RELIABILITY_LABELS, UNKNOWN, Fact, FactStatus, Source
from briefer.domain.provenance import without_pictographs
from briefer.domain.quotes import quote_window
from briefer.domain.reading import CachedStore as CachedStore  # re-exported: the import path callers use
from briefer.domain.typography import nested_quotes
from briefer.domain.variance import add_alias_notes, variance_of

if TYPE_CHECKING:
    from briefer.store.db import Store


class Cleaner:
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


def format_citation(src: Source | None, quote: str, location: str, clean: Cleaner, where: str,
                    source_id: str, supports: str = "") -> CitationNote:
    """``supports``: what the quote backs (the statement, or the version it gives); a long quote keeps
    the part that says it."""
    # inside the note's own double quotes, the passage's double quotes nest as single ones
    quote_s = nested_quotes(quote_window(clean(quote, where), supports, MAX_QUOTE_CHARS))
    location = clean(without_pictographs(location), where)  # one stored before headings lost their flags
    if src is None:
        text = f"[source {source_id} is not in the store]: \u201c{quote_s}\u201d"
        return CitationNote(source_id, None, f"[source {source_id}]", False, None, "n.d.", quote_s, location, None,
                            text, f"[source {source_id} is not in the store]")
    # a value of only whitespace (U+0085 NEL included, which str.split() splits on) is no value
    outlet = clean(src.outlet, f"source {src.id}").strip() or None
    author = clean(src.author, f"source {src.id}").strip() or None
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
    short = [author.split()[-1]] if author else ([outlet] if outlet else [])
    short.append(f"\u201c{short_title(title)}\u201d" if has_title
                 else f"[{_short_label(clean(src.label, f'source {src.id}'))}]")
    if src.published is not None:  # a short note leaves out "n.d." (the full note and the appendix say it)
        short.append(date_text)
    return CitationNote(src.id, outlet, title, has_title, author, date_text, quote_s, location, None, text,
                        ", ".join(parts), short_text=", ".join(short))


#: fact blocks already made, by everything they are made from (see _block_key): resolving a briefing
#: again after one edit formats only the fact that changed
_BLOCKS: dict[tuple[object, ...], FactBlock] = {}
_MAX_BLOCKS = 20_000


def _block_key(fact: Fact, override: str | None, sources: dict[str, Source], style: str) -> tuple[object, ...]:
    cites = tuple((c.source, c.quote, c.location, c.claim, c.credibility) for c in fact.citations)
    srcs = tuple((s.id, s.title, s.label, s.outlet, s.author, s.published, s.reliability) if s else None
                 for s in (sources.get(c.source) for c in fact.citations))
    return (fact.id, fact.statement, str(fact.status), fact.priority, fact.as_of, fact.section, fact.superseded_by,
            getattr(fact, "headline", None), override, style, cites, srcs)


def _fact_block(fact: Fact, override: str | None, note: int, sources: dict[str, Source], clean: Cleaner,
                flags: Sequence[str] = (), style: str = "full") -> FactBlock:
    """The block of ``fact``; a copy of the one made before from the same inputs when there is one."""
    key = _block_key(fact, override, sources, style)
    made = _BLOCKS.get(key)
    if made is not None:  # the citations are never changed once made: the copy shares them
        made.footnote_paragraphs()  # made once, shared by every copy (made again if an alias note is added)
        fb = made.clone()
        fb.note, fb.citations, fb.flags = note, list(made.citations), list(flags)
        return fb
    removed = sum(clean.removed.values())
    fb = _make_fact_block(fact, override, note, sources, clean, flags, style)
    if sum(clean.removed.values()) == removed:  # nothing to warn about: safe to reuse
        if len(_BLOCKS) >= _MAX_BLOCKS:
            _BLOCKS.clear()
        _BLOCKS[key] = copy.copy(fb)
    return fb


def _make_fact_block(fact: Fact, override: str | None, note: int, sources: dict[str, Source], clean: Cleaner,
                     flags: Sequence[str] = (), style: str = "full") -> FactBlock:
    where = f"fact {fact.id}"
    cites: list[CitationNote] = []
    for c in fact.citations:
        src = sources.get(c.source)
        cn = format_citation(src, c.quote, c.location, clean, where, c.source,
                             supports=c.claim or override or fact.statement)
        if c.credibility and src is not None:
            # the analyst's grade in the Admiralty code: source reliability + information credibility
            cn.grade = f"{src.reliability}{c.credibility}"
            cn.text += f" (graded {cn.grade})"
        if c.claim:
            cn.claim = clean(c.claim, where)
        cites.append(cn)
    text = clean(override, where) if override and override.strip() else clean(fact.statement, where)
    return FactBlock(
        fact_id=fact.id, text=text, status=str(fact.status), note=note, citations=cites, as_of=fact.as_of,
        priority=fact.priority, section=fact.section, overridden=bool(override and override.strip()),
        superseded_by=fact.superseded_by, flags=list(flags), variance=variance_of(fact), citation_style=style,
        headline=clean(fact.headline, where) or None if getattr(fact, "headline", None) else None,
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


def resolve(briefing: Briefing, store: Store, *, today: date, horizon_months: int = 12) -> Document:
    """Resolve ``briefing`` against ``store`` into the document every renderer draws.

    Facts the store no longer holds are skipped and reported in
    ``Document.warnings``; superseded facts are left out unless
    ``briefing.options.include_superseded``.  No fact appears twice: a fact
    named in two sections, or the same claim made by two facts, is shown once,
    in the first.  Key points are headlines pointing to the section that
    develops their fact, never a second copy with a second footnote.
    ``horizon_months`` is the freshness horizon the cover checks the facts
    against.  Never raises for missing data.
    """
    from briefer.domain.similar import first_of_each_claim

    clean = Cleaner()
    warnings: list[str] = []
    opts = briefing.options
    style = opts.citations
    wanted_ids = list(dict.fromkeys([*briefing.fact_ids(), *briefing.key_points]))
    facts = store.facts_by_ids(wanted_ids)
    cited_ids = {c.source for f in facts.values() for c in f.citations}
    sources = {s.id: s for s in store.sources() if s.id in cited_ids}
    for sid in sorted(cited_ids - sources.keys()):
        warnings.append(f"source {sid} is cited but not in the store; its citations show only the quote")
    section_titles = {s.id: s.title for s in store.sections()}

    # which facts are shown, in order; each fact and each claim once
    used_anchors: set[str] = set()
    shown: list[tuple[int, FactItem | ParagraphItem, Fact | None]] = []
    superseded_out = 0
    placed: set[str] = set()
    for si, bs in enumerate(briefing.sections):
        for item in bs.items:
            if isinstance(item, FactItem):
                fact = facts.get(item.fact_id)
                if fact is None:
                    why = ("is in the store but cannot be read until repaired" if item.fact_id in
                           getattr(store, "damaged", {}) else "is not in the store")
                    warnings.append(f"fact {item.fact_id} (section {bs.section}) {why}; left out")
                    continue
                if fact.status == FactStatus.SUPERSEDED and not opts.include_superseded:
                    superseded_out += 1
                    continue
                if fact.id in placed:
                    warnings.append(f"fact {fact.id} is in more than one section; shown once, in the first")
                    continue
                placed.add(fact.id)
                shown.append((si, item, fact))
            else:
                shown.append((si, item, None))
    repeats = first_of_each_claim(
        (f.id, i.override if isinstance(i, FactItem) and i.override else f.statement)
        for _, i, f in shown if f is not None)
    if repeats:
        shown = [(si, i, f) for si, i, f in shown if f is None or f.id not in repeats]
    shown_facts = [f for _, _, f in shown if f is not None]
    overrides = {i.fact_id: i.override for _, i, f in shown if isinstance(i, FactItem)}

    # an empty section (nothing shown, no introduction) is left out unless the analyst keeps it; every
    # other one becomes a numbered section: key points point to them
    filled = {si for si, _, _ in shown}
    printed = [si for si, bs in enumerate(briefing.sections)
               if si in filled or bs.intro.strip() or bs.keep_empty]
    number_of = {si: n for n, si in enumerate(printed, 1)}
    section_of: dict[str, int] = {f.id: si for si, _, f in shown if f is not None}

    # summary first: a key point whose fact is not in the body carries the first footnotes
    note = 0
    summary: Summary | None = None
    summary_anchor = _anchor("sec", "summary", used_anchors) if opts.summary else ""
    if opts.summary:
        if briefing.summary and briefing.summary.strip():
            summary = Summary("Bottom line up front", summary_anchor,
                              _paragraphs(clean(briefing.summary, "the summary")), [])
        else:
            chosen = choose_key_points(briefing, facts, shown_facts, section_of, opts.summary_points)
            points = []
            for f in chosen:
                where_si = section_of.get(f.id)
                override = overrides.get(f.id)
                if where_si is None:  # pinned, and nowhere in the body: the point is the fact, with its note
                    note += 1
                    fb = _fact_block(f, override, note, sources, clean, style=style)
                    fb.text = clean(key_point_text(f, override), f"fact {f.id}")  # the headline, with its note
                    points.append(KeyPoint(fb.text, f.id, None, None, fb))
                    continue
                text = key_point_text(f, override)
                points.append(KeyPoint(clean(text, f"fact {f.id}"), f.id, number_of[where_si], None))
            if points:
                summary = Summary("Key points", summary_anchor, [], points)

    whats_new = _whats_new(briefing, clean, used_anchors)

    sections: list[SectionBlock] = []
    by_section: dict[int, list[tuple[FactItem | ParagraphItem, Fact | None]]] = {}
    for si, item, fact in shown:
        by_section.setdefault(si, []).append((item, fact))
    for si, bs in enumerate(briefing.sections):
        if si not in number_of:
            continue
        blocks: list[Block] = []
        for item, fact in by_section.get(si, []):
            if fact is not None and isinstance(item, FactItem):
                note += 1
                blocks.append(_fact_block(fact, item.override, note, sources, clean, style=style))
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
    if summary is not None:
        by_number = {sec.number: sec.anchor for sec in sections}
        for kp in summary.points:
            if kp.section_number is not None:
                kp.anchor = by_number.get(kp.section_number)

    # the facts any note cites: key points that carry their own note, then the body
    noted = [f for f in (facts.get(p.fact_id) for p in (summary.points if summary else []) if p.fact)
             if f is not None] + shown_facts

    # an alias is explained once: in the first footnote of a fact recording it
    add_alias_notes([*(p.fact for p in (summary.points if summary else []) if p.fact),
                     *(b for sec in sections for b in sec.blocks)],
                    store.glossary(), sources)

    # appendices
    evidence: list[EvidenceEntry] = []
    letters = iter("ABCDEFG")
    evidence_appendix: Appendix | None = None
    if style == "evidence":
        blocks_with_notes = ([p.fact for p in summary.points if p.fact] if summary else []) + \
            [b for sec in sections for b in sec.facts()]
        for fb in blocks_with_notes:
            lines = []
            for cn in fb.citations:
                where_ = f", {cn.location}" if cn.location else ""
                claim = f" (version: {cn.claim})" if cn.claim and fb.disputed else ""
                lines.append(f"{cn.source_text}{where_}: \u201c{cn.quote}\u201d{claim}")
            evidence.append(EvidenceEntry(fb.note, fb.text, lines))
        if evidence:
            evidence_appendix = Appendix(f"Appendix {next(letters)}. Evidence",
                                         _anchor("app", "evidence", used_anchors))
    cite_counts: dict[str, int] = {}
    for f in noted:
        for sid in f.source_ids:
            cite_counts[sid] = cite_counts.get(sid, 0) + 1
    source_rows: list[SourceRow] = []
    for sid, count in cite_counts.items():
        src = sources.get(sid)
        if src is None:
            source_rows.append(SourceRow(sid, f"[source {sid}]", NOT_STATED, NOT_STATED, NOT_STATED, NOT_STATED, "F",
                                         RELIABILITY_LABELS["F"], count))
            continue
        where = f"source {sid}"
        source_rows.append(SourceRow(
            source_id=sid, title=clean(src.display_title, where), outlet=clean(src.outlet, where) or NOT_STATED,
            author=clean(src.author, where) or NOT_STATED, date_text=format_date(src.published, unknown=NOT_STATED),
            kind=str(src.kind), reliability=src.reliability,
            reliability_label=RELIABILITY_LABELS.get(src.reliability, UNKNOWN), cited_by=count,
        ))
    source_rows.sort(key=lambda r: (r.title.lstrip("[\u201c\"").casefold(), r.source_id))
    sources_appendix = (Appendix(f"Appendix {next(letters)}. Sources cited", _anchor("app", "sources", used_anchors))
                        if opts.sources_appendix and source_rows else None)

    glossary_rows: list[GlossaryRow] = []
    glossary_appendix: Appendix | None = None
    if opts.glossary:
        entries = store.glossary()
        names = _name_set(tuple(name for g in entries for name in g.all_names()))
        used: set[str] = set()
        for part in _reader_parts(summary, sections, whats_new):  # each part measured once, then remembered
            used |= _names_in(part, names)
        for g in entries:
            if not any(name in used for name in g.all_names()):
                continue  # the glossary lists only the names the briefing uses
            where = f"glossary entry {g.id}"
            glossary_rows.append(GlossaryRow(
                name=clean(g.name, where), kind=g.kind,
                aliases="; ".join(clean(a, where) for a in g.aliases),  # blank when none: glossary_table
                japanese=clean(g.japanese, where),
            ))
        glossary_rows.sort(key=lambda r: r.name.casefold())
        if glossary_rows:
            glossary_appendix = Appendix(f"Appendix {next(letters)}. Glossary of names",
                                         _anchor("app", "glossary", used_anchors))

    c = briefing.cover
    cover = Cover(
        title=clean(c.title, "the title") or "Briefing",
        subtitle=clean(c.subtitle, "the subtitle"),
        prepared_for=clean(c.prepared_for, "'prepared for'"),
        prepared_by=clean(c.prepared_by, "'prepared by'"),
        date_of_issue=c.date_of_issue or today,
        facts_as_of=max((f.as_of for f in noted), default=None),
        marking=clean(c.marking, "the marking"),
        page=opts.cover_page,
        compact=opts.compact,
        horizon_months=horizon_months,
    )

    contents = _contents(briefing, summary, whats_new, sections, (evidence_appendix, sources_appendix,
                                                                   glossary_appendix))

    props = DocProperties(
        title=cover.title,
        subject=cover.subtitle or "Briefing",
        author=cover.prepared_by,
        keywords="; ".join(_unique(s.heading for s in sections)),
    )
    for rid, kept in repeats.items():
        warnings.append(f"fact {rid} makes the same claim as fact {kept}; shown once, in the first")
    document = Document(
        cover=cover, summary=summary, contents=contents, sections=sections, whats_new=whats_new,
        sources_appendix=sources_appendix, sources=source_rows, glossary_appendix=glossary_appendix,
        glossary=glossary_rows, properties=props, warnings=warnings + clean.warnings(),
        superseded_left_out=superseded_out, evidence_appendix=evidence_appendix, evidence=evidence,
        repeats_left_out=list(repeats.items()), whats_new_first=opts.whats_new_first,
    )
    if opts.figures:
        from briefer.domain.figures import attach_figures

        attach_figures(document, store, opts.figures, include_superseded=opts.include_superseded)
    return document


def _whats_new(briefing: Briefing, clean: Cleaner, used_anchors: set[str]) -> WhatsNew | None:
    wn = briefing.whats_new
    if not briefing.options.whats_new or wn is None:
        return None
    return WhatsNew(f"What\u2019s new since {format_date(wn.since)}" if wn.since else "First edition",
                    _anchor("sec", "whats-new", used_anchors), wn.since,
                    [WhatsNewLine(ch.kind, KIND_LABELS.get(ch.kind, ch.kind.capitalize()), ch.fact_id,
                                  clean(ch.text, "what's new")) for ch in wn.changes])


def _contents(briefing: Briefing, summary: Summary | None, whats_new: WhatsNew | None, sections: list[SectionBlock],
              appendices: Iterable[Appendix | None]) -> list[ContentsEntry] | None:
    opts = briefing.options
    if not opts.contents:
        return None
    # key points on the cover page stand before the contents and are listed all the same (page 1), as
    # the PDF's bookmarks list them: the printed contents and the bookmarks are the same list
    lead = [(summary.heading, summary.anchor)] if summary else []
    if whats_new and not whats_new.first_edition:  # a first edition says so in a line, not a heading
        lead.insert(0 if opts.whats_new_first else len(lead), (whats_new.heading, whats_new.anchor))
    contents = [ContentsEntry(heading, anchor) for heading, anchor in lead]
    contents += [ContentsEntry(s.numbered_heading, s.anchor) for s in sections]
    return contents + [ContentsEntry(app.heading, app.anchor) for app in appendices if app]


def with_whats_new(doc: Document, briefing: Briefing) -> Document | None:
    """``doc`` (resolved from ``briefing`` with another "What's new" section, neither with a line of
    changes) as :func:`resolve` makes it with ``briefing.whats_new``, without resolving it again; None when
    that could differ elsewhere (a section whose anchor the section's would displace)."""
    wn = briefing.whats_new
    if (wn is not None and wn.changes) or (doc.whats_new is not None and doc.whats_new.lines) or \
            any(s.anchor.startswith("sec-whats-new") for s in doc.sections):
        return None
    whats_new = _whats_new(briefing, Cleaner(), set())  # its anchor is "sec-whats-new" (only the summary's is before)
    appendices = (doc.evidence_appendix, doc.sources_appendix, doc.glossary_appendix)
    out = copy.copy(doc)
    out.whats_new, out.contents = whats_new, _contents(briefing, doc.summary, whats_new, doc.sections, appendices)
    return out


def choose_key_points(briefing: Briefing, facts: dict[str, Fact], shown: Sequence[Fact],
                      section_of: dict[str, int], count: int) -> list[Fact]:
    """The key points: the pinned fact ids first (in their order), then the facts that matter most,
    scored by priority, the section's weight (earlier sections weigh more) and recency -- never by
    brevity -- at most one a section until every section has one, facts with a headline first."""
    out: list[Fact] = []
    for fid in briefing.key_points:
        f = facts.get(fid)
        if f is not None and f not in out and (f.status != FactStatus.SUPERSEDED or
                                                briefing.options.include_superseded):
            out.append(f)
    out = out[:max(count, len(briefing.key_points))]
    if len(out) >= count:
        return out
    n_sections = max(1, len(briefing.sections))
    if shown:
        oldest = min(f.as_of for f in shown).toordinal()
        span = max(1, max(f.as_of for f in shown).toordinal() - oldest)
    else:
        oldest, span = 0, 1

    def score(f: Fact) -> tuple[float, str]:
        si = section_of.get(f.id, n_sections - 1)
        weight = 1.0 - si / n_sections
        recency = (f.as_of.toordinal() - oldest) / span
        return (-(f.priority + weight + 0.5 * recency + (0.5 if getattr(f, "headline", None) else 0.0)), f.id)

    # a point that would only repeat its fact's text (no headline, a statement of one short sentence) is a
    # second copy, not a key point: the next fact's is taken
    overrides = {i.fact_id: i.override for s in briefing.sections for i in s.items if isinstance(i, FactItem)}
    pool = sorted((f for f in shown if f not in out and not copies_body(f, overrides.get(f.id))), key=score)
    covered = {section_of.get(f.id) for f in out}
    auto: list[Fact] = []
    for f in pool:  # one a section first
        if len(out) + len(auto) >= count:
            break
        si = section_of.get(f.id)
        if si not in covered:
            auto.append(f)
            covered.add(si)
    for f in pool:
        if len(out) + len(auto) >= count:
            break
        if f not in auto:
            auto.append(f)
    # read in the briefing's order: the point about section 1 before the point about section 3
    rank = {f.id: i for i, f in enumerate(pool)}
    auto.sort(key=lambda f: (section_of.get(f.id, n_sections), rank[f.id]))
    return out + auto


def _reader_text(summary: Summary | None, sections: Sequence[SectionBlock], whats_new: WhatsNew | None) -> str:
    """The text a reader reads, footnotes included (a name may appear only in a quoted source)."""
    return " \n ".join(_reader_parts(summary, sections, whats_new))


def _reader_parts(summary: Summary | None, sections: Sequence[SectionBlock],
                  whats_new: WhatsNew | None) -> list[str]:
    """The paragraphs a reader reads, footnotes included, one string each."""
    parts: list[str] = []
    if summary:
        parts += summary.paragraphs
        parts += [p.text for p in summary.points]
        parts += [n for p in summary.points if p.fact for n in p.fact.footnote_paragraphs()]
    for sec in sections:
        parts += [sec.heading, sec.intro]
        for b in sec.blocks:
            parts.append(getattr(b, "text", "") or getattr(b, "caption", "") or "")
            if isinstance(b, FactBlock):
                parts += b.footnote_paragraphs()
    if whats_new:
        parts += [line.text for line in whats_new.lines]
    return parts


class _NameSet:
    """The glossary's names, hashed once, so a paragraph's names are remembered per paragraph."""

    __slots__ = ("_hash", "keys", "names")

    def __init__(self, names: Iterable[str]) -> None:
        self.names = tuple(dict.fromkeys(names))
        self._hash = hash(self.names)
        #: each name with what :func:`mentions` looks for, made once (not once per paragraph)
        self.keys = tuple((n, f" {k} ") for n in self.names if (k := _NON_WORD.sub(" ", n.casefold()).strip()))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return other is self or (isinstance(other, _NameSet) and other.names == self.names)


@lru_cache(maxsize=8)
def _name_set(names: tuple[str, ...]) -> _NameSet:
    """The glossary's names prepared once, not at every resolve (the length budget resolves a briefing many times)."""
    return _NameSet(names)


@lru_cache(maxsize=16384)
def _names_in(part: str, names: _NameSet) -> frozenset[str]:
    """The names that stand as whole words in paragraph ``part``."""
    prepared = mention_text(part)
    return frozenset(n for n, key in names.keys if key in prepared)  # as mentions(prepared, n) says


_NON_WORD = re.compile(r"[^\w]+")


def mention_text(text: str) -> str:
    """``text`` made ready for :func:`mentions`: lower case, words separated by single spaces."""
    return " " + _NON_WORD.sub(" ", text.casefold()) + " "


def mentions(prepared: str, name: str) -> bool:
    """True when ``name`` stands as whole words in text prepared by :func:`mention_text`."""
    key = _NON_WORD.sub(" ", name.casefold()).strip()
    return bool(key) and f" {key} " in prepared


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))
