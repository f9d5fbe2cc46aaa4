"""The blocks of the document model (see :mod:`briefer.domain.document`): cover, summary,
key points, sections of fact, paragraph and figure blocks with their footnotes, appendices;
and the small text helpers they use (cleaning, dates, quotes).  A fact's block and its footnote (the
citations merged into one note) are in :mod:`briefer.domain.fact_block`."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Literal

from briefer.domain.dates import day_month_year
from briefer.domain.fact_block import CitationNote as CitationNote
from briefer.domain.fact_block import FactBlock as FactBlock
from briefer.domain.fact_block import join_locations as join_locations
from briefer.domain.fact_block import merge_citations as merge_citations
from briefer.domain.fact_block import short_title as short_title
from briefer.domain.models import UNKNOWN

# the short labels' cut lives with the window's source names (read there without the models)
from briefer.domain.source_names import SHORT_LABEL_WORDS as SHORT_LABEL_WORDS
from briefer.domain.source_names import SHORT_TITLE_WORDS as SHORT_TITLE_WORDS
from briefer.domain.source_names import _short_label as _short_label
from briefer.model.plain import Plain

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
    "\u201cnot stated\u201d means the source itself does not say; nothing is inferred."
)

#: what a sources-table cell reads when the source does not say
NOT_STATED = "not stated"

#: the sources table's columns: heading, the row's attribute, width (fiftieths of a percent of the text
#: width) and what a source that fills it states (for the note when no cited source does)
SOURCE_COLUMNS: tuple[tuple[str, str, int, str], ...] = (
    ("Title", "title", 1350, "a title"), ("Outlet", "outlet", 550, "its outlet"),
    ("Author", "author", 650, "its author"), ("Date", "date_text", 850, "its date"),
    ("Kind", "kind", 650, "its kind"), ("Reliability", "reliability_text", 950, "a grade"),
)

#: the glossary table's columns: heading, the row's attribute, width (fiftieths of a percent of the
#: text width), what the caption says the column gives, and whether a name may leave it blank
GLOSSARY_COLUMNS: tuple[tuple[str, str, int, str, bool], ...] = (
    ("Name", "name", 1300, "", False),
    ("Also rendered as", "aliases", 1900, "the other renderings the sources use", True),
    ("Japanese", "japanese", 1000, "the name in Japanese", True),
    ("Kind", "kind", 800, "", False),
)

#: the explanation printed under the glossary table, of the columns it keeps (see :func:`glossary_table`)
GLOSSARY_NOTES = {
    "aliases": "\u201cAlso rendered as\u201d lists the other English names the sources use for the same person "
               "or body.",
    "japanese": "Japanese names are the analyst\u2019s where no source gives them.",
}

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


class KeyPoint(Plain):
    """One key point: a fact's headline (or the analyst's wording of it) pointing to the
    section that develops it.  It carries no footnote of its own unless the fact
    appears nowhere else in the briefing (then ``fact`` holds it, with its note)."""

    __slots__ = ("text", "fact_id", "section_number", "anchor", "fact")
    _fields = __slots__
    text: str
    fact_id: str
    #: the number of the section that develops the fact, and its anchor; None when it is not in the body
    section_number: int | None
    anchor: str | None
    fact: FactBlock | None

    def __init__(self, text: str, fact_id: str, section_number: int | None, anchor: str | None,
                       fact: FactBlock | None = None) -> None:
        self.text, self.fact_id, self.section_number, self.anchor = text, fact_id, section_number, anchor
        self.fact = fact

    @property
    def see(self) -> str:
        """``see §3``, or "" when the point is the fact's only appearance."""
        return f"see \u00a7{self.section_number}" if self.section_number else ""


class EvidenceEntry(Plain):
    """One footnote's evidence: the quotes its sources give, for the Evidence appendix."""

    __slots__ = ("note", "fact_text", "lines")
    _fields = __slots__
    note: int
    fact_text: str
    #: one line a citation: source, place: "quote"
    lines: list[str]

    def __init__(self, note: int, fact_text: str, lines: list[str]) -> None:
        self.note, self.fact_text, self.lines = note, fact_text, lines


class ParagraphBlock(Plain):
    __slots__ = ("text", "kind")
    _fields = __slots__
    text: str
    kind: Literal["paragraph"]

    def __init__(self, text: str, kind: Literal["paragraph"] = "paragraph") -> None:
        self.text, self.kind = text, kind


class FigureBlock(Plain):
    """A figure drawn from the facts (:mod:`briefer.domain.figures`): a timeline or an organisation chart.

    Renderers draw ``drawing`` (a :class:`~briefer.domain.figures.Timeline` or
    :class:`~briefer.domain.figures.OrgChart`) as vector art, with ``caption`` under it and a footnote
    naming its sources on the caption."""

    __slots__ = ("figure_id", "number", "caption", "alt_text", "note", "sources", "fact_ids", "drawing", "height_in",
                 "kind")
    _fields = __slots__
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
    kind: Literal["figure"]

    def __init__(self, figure_id: str, number: int, caption: str, alt_text: str, note: int, sources: list[str],
                       fact_ids: list[str], drawing: object, height_in: float,
                       kind: Literal["figure"] = "figure") -> None:
        self.figure_id, self.number, self.caption, self.alt_text, self.note = figure_id, number, caption, alt_text, note
        self.sources, self.fact_ids, self.drawing, self.height_in = sources, fact_ids, drawing, height_in
        self.kind = kind

    @property
    def label(self) -> str:
        return f"Figure {self.number}. {self.caption}"

    def footnote_paragraphs(self) -> list[str]:
        return list(self.sources)

    def footnote_text(self) -> str:
        return " ".join(self.sources)


Block = FactBlock | ParagraphBlock | FigureBlock


class SectionBlock(Plain):
    __slots__ = ("section_id", "number", "heading", "anchor", "intro", "layout", "blocks")
    _fields = __slots__
    section_id: str
    #: 1-based position among the document's sections
    number: int
    heading: str
    #: a stable id usable as an HTML anchor and (via :func:`bookmark_name`) a Word bookmark
    anchor: str
    intro: str
    layout: Literal["bullets", "paragraphs"]
    blocks: list[Block]

    def __init__(self, section_id: str, number: int, heading: str, anchor: str, intro: str,
                       layout: Literal["bullets", "paragraphs"], blocks: list[Block]) -> None:
        self.section_id, self.number, self.heading, self.anchor, self.intro = section_id, number, heading, anchor, intro
        self.layout, self.blocks = layout, blocks

    @property
    def numbered_heading(self) -> str:
        return f"{self.number}. {self.heading}"

    def facts(self) -> list[FactBlock]:
        return [b for b in self.blocks if isinstance(b, FactBlock)]


class Cover(Plain):
    __slots__ = ("title", "subtitle", "prepared_for", "prepared_by", "date_of_issue", "facts_as_of", "marking", "page",
                 "compact", "horizon_months")
    _fields = __slots__
    title: str
    subtitle: str
    prepared_for: str
    prepared_by: str
    date_of_issue: date
    #: the latest ``as_of`` among the facts included; None when there are none
    facts_as_of: date | None
    marking: str
    #: the cover fills its own page; False: a compact block above the summary (one-page briefs)
    page: bool
    #: the text is set in the compact styles (Options.compact: a one-page brief)
    compact: bool

    @property
    def date_of_issue_text(self) -> str:
        return format_date(self.date_of_issue)

    #: months after which facts count as stale (the analyst's freshness horizon)
    horizon_months: int

    def __init__(self, title: str, subtitle: str, prepared_for: str, prepared_by: str, date_of_issue: date,
                       facts_as_of: date | None, marking: str, page: bool = True, compact: bool = False,
                       horizon_months: int = 12) -> None:
        self.title, self.subtitle, self.prepared_for, self.prepared_by = title, subtitle, prepared_for, prepared_by
        self.date_of_issue, self.facts_as_of, self.marking, self.page = date_of_issue, facts_as_of, marking, page
        self.compact, self.horizon_months = compact, horizon_months

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


class Summary(Plain):
    __slots__ = ("heading", "anchor", "paragraphs", "points")
    _fields = __slots__
    heading: str
    anchor: str
    #: the analyst's own text, one string a paragraph (empty for a default summary)
    paragraphs: list[str]
    #: default key points: headlines of the facts that matter most, each pointing to its section
    points: list[KeyPoint]

    def __init__(self, heading: str, anchor: str, paragraphs: list[str], points: list[KeyPoint]) -> None:
        self.heading, self.anchor, self.paragraphs, self.points = heading, anchor, paragraphs, points


class ContentsEntry(Plain):
    __slots__ = ("heading", "anchor", "level")
    _fields = __slots__
    heading: str
    anchor: str
    level: int

    def __init__(self, heading: str, anchor: str, level: int = 1) -> None:
        self.heading, self.anchor, self.level = heading, anchor, level


class WhatsNewLine(Plain):
    __slots__ = ("kind", "label", "fact_id", "text")
    _fields = __slots__
    kind: str
    label: str
    fact_id: str
    text: str

    def __init__(self, kind: str, label: str, fact_id: str, text: str) -> None:
        self.kind, self.label, self.fact_id, self.text = kind, label, fact_id, text


class WhatsNew(Plain):
    __slots__ = ("heading", "anchor", "since", "lines")
    _fields = __slots__
    heading: str
    anchor: str
    #: None: the first edition, said in one line (:data:`FIRST_EDITION`) instead of a section
    since: date | None
    lines: list[WhatsNewLine]

    def __init__(self, heading: str, anchor: str, since: date | None, lines: list[WhatsNewLine]) -> None:
        self.heading, self.anchor, self.since, self.lines = heading, anchor, since, lines

    @property
    def first_edition(self) -> bool:
        return self.since is None


class SourceRow(Plain):
    __slots__ = ("source_id", "title", "outlet", "author", "date_text", "kind", "reliability", "reliability_label",
                 "cited_by")
    _fields = __slots__
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

    def __init__(self, source_id: str, title: str, outlet: str, author: str, date_text: str, kind: str,
                       reliability: str, reliability_label: str, cited_by: int) -> None:
        self.source_id, self.title, self.outlet, self.author = source_id, title, outlet, author
        self.date_text, self.kind, self.reliability = date_text, kind, reliability
        self.reliability_label, self.cited_by = reliability_label, cited_by

    @property
    def reliability_text(self) -> str:
        return f"{self.reliability} \u2014 {self.reliability_label}"


class Table(Plain):
    """An appendix table as every format prints it (see :func:`sources_table`, :func:`glossary_table`)."""

    _fields = ("columns", "rows", "note", "caption")
    #: (heading, width in fiftieths of a percent): the widths add up to 5000
    columns: list[tuple[str, int]]
    rows: list[list[str]]
    #: the note under the table: what its columns and blank or "not stated" cells mean, any column left out
    note: str
    #: the caption above it ("Table 2. Names, …"); empty where the format words its own
    caption: str

    def __init__(self, columns: list[tuple[str, int]], rows: list[list[str]], note: str, caption: str = "") -> None:
        self.columns, self.rows, self.note, self.caption = columns, rows, note, caption

    @property
    def headings(self) -> list[str]:
        return [head for head, _ in self.columns]


#: the name the sources table's type had first
SourcesTable = Table


def sources_table(rows: list[SourceRow]) -> Table:
    """The table of the sources cited: a value a source does not give reads "not stated"; a column that
    no cited source fills is left out (its width goes to the title) and the note says which and why."""
    cells = [[(getattr(r, attr) or "").strip() or NOT_STATED for _, attr, _, _ in SOURCE_COLUMNS] for r in rows]
    kept = [i for i in range(len(SOURCE_COLUMNS)) if i == 0 or any(row[i] != NOT_STATED for row in cells)]
    dropped = [SOURCE_COLUMNS[i] for i in range(len(SOURCE_COLUMNS)) if i not in kept]
    columns = [(SOURCE_COLUMNS[i][0], SOURCE_COLUMNS[i][2]) for i in kept]
    columns[0] = (columns[0][0], columns[0][1] + sum(width for _, _, width, _ in dropped))
    note = RELIABILITY_NOTE
    if dropped:
        heads = " and ".join(head for head, _, _, _ in dropped)
        what = " or ".join(w for _, _, _, w in dropped)
        are = "columns are" if len(dropped) > 1 else "column is"
        note += f" The {heads} {are} left out: none of the sources cited states {what}."
    return Table(columns, [[row[i] for i in kept] for row in cells], note)


class GlossaryRow(Plain):
    __slots__ = ("name", "kind", "aliases", "japanese")
    _fields = __slots__
    name: str
    kind: str
    aliases: str
    japanese: str

    def __init__(self, name: str, kind: str, aliases: str, japanese: str) -> None:
        self.name, self.kind, self.aliases, self.japanese = name, kind, aliases, japanese


def glossary_table(rows: list[GlossaryRow], number: int = 2) -> Table:
    """The glossary of names as Table ``number``: a name with no other rendering, or no Japanese name on
    record, has a blank cell (not "unknown", not a dash), and a column no listed name fills is left out
    (its width goes to the names); the caption and the note speak of the columns kept."""
    cells = [[(getattr(r, attr) or "").strip() for _, attr, _, _, _ in GLOSSARY_COLUMNS] for r in rows]
    kept = [i for i, (_, attr, _, _, _) in enumerate(GLOSSARY_COLUMNS)
            if attr in ("name", "kind") or any(row[i] for row in cells)]
    columns = [(GLOSSARY_COLUMNS[i][0], GLOSSARY_COLUMNS[i][2]) for i in kept]
    dropped = sum(width for i, (_, _, width, _, _) in enumerate(GLOSSARY_COLUMNS) if i not in kept)
    columns[0] = (columns[0][0], columns[0][1] + dropped)
    gives = [GLOSSARY_COLUMNS[i][3] for i in kept if GLOSSARY_COLUMNS[i][3]]
    caption = f"Table {number}. Names" + (
        "" if not gives else f" and {gives[0]}" if len(gives) == 1 else f", {', '.join(gives[:-1])}, and {gives[-1]}")
    notes = [GLOSSARY_NOTES[GLOSSARY_COLUMNS[i][1]] for i in kept if GLOSSARY_COLUMNS[i][1] in GLOSSARY_NOTES]
    if any(not row[i] for row in cells for i in kept if GLOSSARY_COLUMNS[i][4]):
        notes.append("A blank cell means there is none on record.")
    left_out = [f"\u201c{GLOSSARY_COLUMNS[i][0]}\u201d" for i in range(len(GLOSSARY_COLUMNS)) if i not in kept]
    if left_out:
        are = "columns are" if len(left_out) > 1 else "column is"
        notes.append(f"The {' and '.join(left_out)} {are} left out: no name listed has "
                     f"{'either' if len(left_out) > 1 else 'one'}.")
    return Table(columns, [[row[i] for i in kept] for row in cells], " ".join(notes), caption)


class Appendix(Plain):
    __slots__ = ("heading", "anchor")
    _fields = __slots__
    heading: str
    anchor: str

    def __init__(self, heading: str, anchor: str) -> None:
        self.heading, self.anchor = heading, anchor


class DocProperties(Plain):
    __slots__ = ("title", "subject", "author", "keywords")
    _fields = __slots__
    title: str
    subject: str
    author: str
    keywords: str

    def __init__(self, title: str, subject: str, author: str, keywords: str) -> None:
        self.title, self.subject, self.author, self.keywords = title, subject, author, keywords


def key_points_on_cover(cover_page: bool, has_summary: bool, whats_new_first: bool) -> bool:
    """Whether a briefing's key points go on its cover page: when it has a cover page of its own, so that
    page one carries the point and not only a title (as a parliamentary library's briefing paper opens with
    its summary), except in a note that leads with what changed, whose "What's new" must come first."""
    return cover_page and has_summary and not whats_new_first


class Document(Plain):
    __slots__ = ("cover", "summary", "contents", "sections", "whats_new", "sources_appendix", "sources",
                 "glossary_appendix", "glossary", "properties", "evidence_appendix", "evidence", "repeats_left_out",
                 "warnings", "superseded_left_out", "whats_new_first")
    _fields = __slots__
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
    evidence_appendix: Appendix | None
    evidence: list[EvidenceEntry]
    #: facts left out because they repeat a fact shown earlier: (left out, the one kept)
    repeats_left_out: list[tuple[str, str]]
    #: problems found while resolving: missing facts or sources, characters removed
    warnings: list[str]
    #: how many superseded facts were left out
    superseded_left_out: int
    #: "What's new" comes before the key points (a note that leads with what changed)
    whats_new_first: bool

    def __init__(self, cover: Cover, summary: Summary | None, contents: list[ContentsEntry] | None,
                       sections: list[SectionBlock], whats_new: WhatsNew | None, sources_appendix: Appendix | None,
                       sources: list[SourceRow], glossary_appendix: Appendix | None, glossary: list[GlossaryRow],
                       properties: DocProperties, evidence_appendix: Appendix | None = None,
                       evidence: list[EvidenceEntry] | None = None,
                       repeats_left_out: list[tuple[str, str]] | None = None, warnings: list[str] | None = None,
                       superseded_left_out: int = 0, whats_new_first: bool = False) -> None:
        self.cover, self.summary, self.contents, self.sections = cover, summary, contents, sections
        self.whats_new, self.sources_appendix, self.sources = whats_new, sources_appendix, sources
        self.glossary_appendix, self.glossary, self.properties = glossary_appendix, glossary, properties
        self.evidence_appendix = evidence_appendix
        self.evidence = [] if evidence is None else evidence
        self.repeats_left_out = [] if repeats_left_out is None else repeats_left_out
        self.warnings = [] if warnings is None else warnings
        self.superseded_left_out, self.whats_new_first = superseded_left_out, whats_new_first

    @property
    def key_points_on_cover(self) -> bool:
        """The key points stand on the cover page, under the title, and the contents open page 2: a reader
        has the point on page one (see :func:`key_points_on_cover`)."""
        return key_points_on_cover(self.cover.page, self.summary is not None, self.whats_new_first)

    def glossary_as_table(self) -> Table:
        """The glossary as every format prints it: Table 2 after the sources table, else Table 1."""
        return glossary_table(self.glossary, 2 if self.sources_appendix and self.sources else 1)

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
