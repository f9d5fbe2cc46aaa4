"""The blocks of the document model (see :mod:`briefer.domain.document`): cover, summary,
key points, sections of fact, paragraph and figure blocks with their footnotes, appendices;
and the small text helpers they use (cleaning, dates, quotes, citations merged into one note)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from briefer.domain.dates import day_month_year
from briefer.domain.models import UNKNOWN, FactStatus

# the short labels' cut lives with the window's source names (read there without the models)
from briefer.domain.source_names import SHORT_LABEL_WORDS as SHORT_LABEL_WORDS
from briefer.domain.source_names import SHORT_TITLE_WORDS as SHORT_TITLE_WORDS
from briefer.domain.source_names import _cut_words
from briefer.domain.source_names import _short_label as _short_label
from briefer.domain.variance import variance_footnote

if TYPE_CHECKING:
    pass

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

#: what a note that leads with what changed says in its first edition, in place of "What's new"
FIRST_EDITION = ("First edition: there is no earlier edition to compare with; the next one opens with what "
                 "changed since this one.")

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
    #: the source alone: outlet, title, author, date (no location, no quote)
    source_text: str = ""
    #: the analyst's grade in the Admiralty code ("B2"), when graded
    grade: str = ""
    #: the source in a few words for a short note: author's surname, title (or short label), date
    short_text: str = ""


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
    #: "full": the footnote quotes each source; "short"/"evidence": source, date and place only
    citation_style: str = "full"
    #: the curated one-clause headline of the fact, if it has one
    headline: str | None = None
    #: the footnote, once worked out (it depends only on the citations, the status, the style and the
    #: alias note, which ``notes_for`` records)
    notes_made: list[str] | None = field(default=None, repr=False, compare=False)
    notes_for: str | None = field(default=None, repr=False, compare=False)

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
        """A shallow copy (quicker than :func:`copy.copy` on a slotted dataclass)."""
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
    return text if text.endswith((".", ".\u201d", "?\u201d", "!\u201d", "\u2026\u201d")) else text + "."


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


@dataclass(slots=True)
class KeyPoint:
    """One key point: a fact's headline (or the analyst's wording of it) pointing to the
    section that develops it.  It carries no footnote of its own unless the fact
    appears nowhere else in the briefing (then ``fact`` holds it, with its note)."""

    text: str
    fact_id: str
    #: the number of the section that develops the fact, and its anchor; None when it is not in the body
    section_number: int | None
    anchor: str | None
    fact: FactBlock | None = None

    @property
    def see(self) -> str:
        """``see §3``, or "" when the point is the fact's only appearance."""
        return f"see \u00a7{self.section_number}" if self.section_number else ""


@dataclass(slots=True)
class EvidenceEntry:
    """One footnote's evidence: the quotes its sources give, for the Evidence appendix."""

    note: int
    fact_text: str
    #: one line a citation: source, place: "quote"
    lines: list[str]


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
    #: the text is set in the compact styles (Options.compact: a one-page brief)
    compact: bool = False

    @property
    def date_of_issue_text(self) -> str:
        return format_date(self.date_of_issue)

    #: months after which facts count as stale (the analyst's freshness horizon)
    horizon_months: int = 12

    @property
    def stale_months(self) -> int | None:
        """How many months the newest fact is older than the date of issue, when that is past the horizon."""
        from briefer.domain.freshness import age_months, cutoff

        if self.facts_as_of is None or self.facts_as_of >= cutoff(self.date_of_issue, self.horizon_months):
            return None
        return age_months(self.facts_as_of, self.date_of_issue)

    @property
    def facts_current_text(self) -> str:
        """"Facts current as of <date>", or nothing when the briefing holds no dated fact (no "as of
        unknown" on the cover of an empty briefing)."""
        if self.facts_as_of is None:
            return ""
        text = f"Facts current as of {format_date(self.facts_as_of, unknown=UNKNOWN)}"
        months = self.stale_months
        if months is not None:
            text += (f" \u2014 {months} month{'s' if months != 1 else ''} before this briefing; "
                     "check for later developments.")
        return text


@dataclass(slots=True)
class Summary:
    heading: str
    anchor: str
    #: the analyst's own text, one string a paragraph (empty for a default summary)
    paragraphs: list[str]
    #: default key points: headlines of the facts that matter most, each pointing to its section
    points: list[KeyPoint]


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
    #: None: the first edition, said in one line (:data:`FIRST_EDITION`) instead of a section
    since: date | None
    lines: list[WhatsNewLine]

    @property
    def first_edition(self) -> bool:
        return self.since is None


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
    #: the Evidence appendix (citation style "evidence"): each note's quotes
    evidence_appendix: Appendix | None = None
    evidence: list[EvidenceEntry] = field(default_factory=list)
    #: facts left out because they repeat a fact shown earlier: (left out, the one kept)
    repeats_left_out: list[tuple[str, str]] = field(default_factory=list)
    #: problems found while resolving: missing facts or sources, characters removed
    warnings: list[str] = field(default_factory=list)
    #: how many superseded facts were left out
    superseded_left_out: int = 0
    #: "What's new" comes before the key points (a note that leads with what changed)
    whats_new_first: bool = False

    def fact_blocks(self) -> list[FactBlock]:
        """Every block that carries a footnote, in document order."""
        out = [p.fact for p in self.summary.points if p.fact is not None] if self.summary else []
        for s in self.sections:
            out.extend(s.facts())
        return out

    def note_blocks(self) -> list[FactBlock | FigureBlock]:
        """Every block that carries a footnote (facts and figures), in document order."""
        # a key point carries a note only when its fact appears nowhere else (then ``fact`` holds it)
        out: list[FactBlock | FigureBlock] = [p.fact for p in self.summary.points if p.fact] if self.summary else []
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
