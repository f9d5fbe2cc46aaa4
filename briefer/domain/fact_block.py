"""A fact's block in the document model (see :mod:`briefer.domain.blocks`) and its footnote: the citations,
resolved against their sources, merged into one note."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Literal

from briefer.domain.models import FactStatus
from briefer.domain.source_names import _cut_words
from briefer.domain.typography import ends_sentence
from briefer.domain.variance import variance_footnote
from briefer.model.plain import Plain


class CitationNote(Plain):
    """One citation of a fact, resolved against its source."""

    __slots__ = ("source_id", "outlet", "title", "has_title", "author", "date_text", "quote", "location", "claim",
                 "text", "source_text", "grade", "short_text")
    _fields = __slots__
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
    #: the source alone: outlet, title, author, date (no location, no quote)
    source_text: str
    #: the analyst's grade in the Admiralty code ("B2"), when graded
    grade: str
    #: the source in a few words for a short note: author's surname, title (or short label), date
    short_text: str

    def __init__(self, source_id: str, outlet: str | None, title: str, has_title: bool, author: str | None,
                       date_text: str, quote: str, location: str, claim: str | None, text: str, source_text: str = "",
                       grade: str = "", short_text: str = "") -> None:
        self.source_id, self.outlet, self.title, self.has_title = source_id, outlet, title, has_title
        self.author, self.date_text, self.quote, self.location, self.claim = author, date_text, quote, location, claim
        self.text, self.source_text, self.grade, self.short_text = text, source_text, grade, short_text


class FactBlock(Plain):
    __slots__ = ("fact_id", "text", "status", "note", "citations", "as_of", "priority", "section", "overridden",
                 "superseded_by", "flags", "kind", "variance", "alias_note", "citation_style", "headline", "notes_made",
                 "notes_for")
    _fields = ("fact_id", "text", "status", "note", "citations", "as_of", "priority", "section", "overridden",
               "superseded_by", "flags", "kind", "variance", "alias_note", "citation_style", "headline")
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
    overridden: bool
    superseded_by: str | None
    #: markers for later checks (stale, unverified quote …); renderers may show them
    flags: list[str]
    kind: Literal["fact"]
    #: how the sources differ (briefer.domain.variance); only a disagreement is disputed
    variance: str | None
    #: for an alias: the note on the renderings (with the Japanese name from the glossary)
    alias_note: str | None
    #: "full": the footnote quotes each source; "short"/"evidence": source, date and place only
    citation_style: str
    #: the curated one-clause headline of the fact, if it has one
    headline: str | None
    #: the footnote, once worked out (it depends only on the citations, the status, the style and the
    #: alias note, which ``notes_for`` records)
    notes_made: list[str] | None
    notes_for: str | None

    def __init__(self, fact_id: str, text: str, status: str, note: int, citations: list[CitationNote], as_of: date,
                       priority: int, section: str, overridden: bool = False, superseded_by: str | None = None,
                       flags: list[str] | None = None, kind: Literal["fact"] = "fact", variance: str | None = None,
                       alias_note: str | None = None, citation_style: str = "full", headline: str | None = None,
                       notes_made: list[str] | None = None, notes_for: str | None = None) -> None:
        self.fact_id, self.text, self.status, self.note, self.citations = fact_id, text, status, note, citations
        self.as_of, self.priority, self.section, self.overridden = as_of, priority, section, overridden
        self.superseded_by = superseded_by
        self.flags = [] if flags is None else flags
        self.kind, self.variance, self.alias_note, self.citation_style = kind, variance, alias_note, citation_style
        self.headline, self.notes_made, self.notes_for = headline, notes_made, notes_for

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
        """The footnote as one note (a list of one paragraph): every source
        once, with each place it is cited (and, in the full style, each
        quote); for a fact whose sources differ, each version with the sources
        that give it (see briefer.domain.variance)."""
        if self.notes_made is None or self.notes_for != self.alias_note:
            self.notes_made, self.notes_for = self._footnote(), self.alias_note
        return list(self.notes_made)

    def clone(self) -> FactBlock:
        """A shallow copy (quicker than :func:`copy.copy` on a slotted class)."""
        new = object.__new__(FactBlock)
        for name in FactBlock.__slots__:
            object.__setattr__(new, name, getattr(self, name))
        return new

    def _footnote(self) -> list[str]:
        full = self.citation_style == "full"
        if self.disputed or self.variance:
            text = " ".join(variance_footnote(self, render=lambda cs: merge_citations(cs, full=full),
                                              concise=not full))
        else:
            text = merge_citations(self.citations, full=full)
        if self.superseded:
            later = f" by fact {self.superseded_by}" if self.superseded_by else ""
            text += f" Superseded{later}; shown for the record."
        return [text]

    def footnote_text(self) -> str:
        return " ".join(self.footnote_paragraphs())


def merge_citations(citations: Sequence[CitationNote], *, full: bool) -> str:
    """Citations as one sentence: each source named once with every place it is cited
    ("Nikkei, “Title”, 1 September 2025, paras. 2; 5"), its quotes too when ``full``;
    sources separated by semicolons, the whole ended with a full stop."""
    groups: dict[str, list[CitationNote]] = {}
    for c in citations:
        groups.setdefault(c.source_id, []).append(c)
    out = []
    for cs in groups.values():
        head = (cs[0].source_text if full else cs[0].short_text or cs[0].source_text) or cs[0].text
        if full and len(cs) == 1:
            out.append(cs[0].text)
        elif full:
            quoted = [(f"{c.location}: " if c.location else "") + f"\u201c{c.quote}\u201d" for c in cs]
            grade = next((c.grade for c in cs if c.grade), "")
            out.append(f"{head}, " + "; ".join(quoted) + (f" (graded {grade})" if grade else ""))
        else:  # short: the places without the headings they fall under (the full note names those)
            places = join_locations(_UNDER.sub("", c.location) for c in cs if c.location)
            out.append(head + (", " + places if places else ""))
    text = "; ".join(o.rstrip(".") if not o.endswith("\u201d") else o for o in out)
    return text if ends_sentence(text) else text + "."


_PARA = re.compile(r"^paras?\.\s*(\d+)$")
#: the heading a location names after its paragraph (see briefer.domain.provenance.Locator.at)
_UNDER = re.compile(r",\s*under\s+\u201c[^\u201d]*\u201d\s*$")


def join_locations(locations: Iterable[str]) -> str:
    """Several places in one source as one: "paras. 3, 40, 41"; other locations joined by semicolons."""
    places = list(dict.fromkeys(loc.strip() for loc in locations if loc.strip()))
    numbers = [m.group(1) for m in (_PARA.match(p) for p in places) if m]
    other = [p for p in places if not _PARA.match(p)]
    out = []
    numbers = sorted(dict.fromkeys(numbers), key=int)
    if numbers:
        out.append(("para. " if len(numbers) == 1 else "paras. ") + ", ".join(numbers))
    return "; ".join(out + other)


def short_title(title: str) -> str:
    """A title as a short note gives it: without its subtitle, at most a few words."""
    main = title.split(": ", 1)[0].strip()
    return _cut_words(main if len(main.split()) >= 2 else title)
