"""A concrete briefing: cover, options and sections holding references to
facts (with per-briefing wording overrides) and analyst paragraphs.

This is what the composer edits, what ``*.briefing.json`` files hold (inside
their envelope), and what :func:`briefer.domain.document.resolve` turns into
the document model every renderer consumes.  Facts are referenced by id: the
store stays the single place their content and citations live.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from briefer.domain.models import Slug

DEFAULT_MARKING = "INTERNAL \u2014 NOT FOR DISTRIBUTION"

#: how footnotes cite: the whole quote, source and place only, or short notes plus an Evidence appendix
CitationStyle = Literal["full", "short", "evidence"]
CITATION_STYLES: tuple[str, ...] = ("full", "short", "evidence")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class FactItem(_Model):
    kind: Literal["fact"] = "fact"
    fact_id: str
    #: this briefing's wording of the fact; the store is not changed
    override: str | None = None


class ParagraphItem(_Model):
    """An analyst's own paragraph between facts (no citation)."""

    kind: Literal["paragraph"] = "paragraph"
    text: str


Item = Annotated[FactItem | ParagraphItem, Field(discriminator="kind")]


class BriefingSection(_Model):
    section: Slug
    #: replaces the section's title in this briefing
    heading: str | None = None
    intro: str = ""
    layout: Literal["bullets", "paragraphs"] = "bullets"
    items: list[Item] = Field(default_factory=list)
    #: print the section even when nothing is in it (by default an empty section is left out)
    keep_empty: bool = False

    def fact_ids(self) -> list[str]:
        return [i.fact_id for i in self.items if isinstance(i, FactItem)]

    def is_empty(self) -> bool:
        """Nothing to print: no fact, no paragraph, no introduction (left out unless ``keep_empty``)."""
        return not self.items and not self.intro.strip()


class Cover(_Model):
    title: str = "Japan\u2019s AI Governance"
    subtitle: str = ""
    prepared_for: str = ""
    prepared_by: str = ""
    #: None: the day of export
    date_of_issue: date | None = None
    #: handling marking in header and footer; may be empty
    marking: str = DEFAULT_MARKING


class Options(_Model):
    summary: bool = True
    contents: bool = True
    sources_appendix: bool = True
    glossary: bool = False
    whats_new: bool = Field(
        default=False, description="a \"What's new since <date>\" section from the previous edition of this template")
    whats_new_first: bool = Field(
        default=False, description="the \"What's new\" section opens the briefing, before the key points (a "
        "recurring note that leads with what changed); a first edition says so in one line")
    include_superseded: bool = False
    #: how many key points a default summary takes from the highest-priority facts
    summary_points: int = Field(default=5, ge=1, le=20)
    #: Renderers: no page break after the cover when False.
    cover_page: bool = Field(default=True, description="False: the cover block heads page 1 instead of filling "
                             "a page of its own (one-page briefs)")
    compact: bool = Field(default=False, description="set the text a size smaller and tighter (the compact "
                          "styles of the reference document), so a one-page brief holds what it must say")
    #: figures drawn from the facts, each in the section it belongs to (see briefer.domain.figures)
    figures: list[Literal["timeline", "hq-chart"]] = Field(
        default_factory=list, description="figures drawn from the facts: \"timeline\" (the dated milestones) and "
        "\"hq-chart\" (the AI Strategy Headquarters' organisation chart)")
    citations: CitationStyle = Field(
        default="full", description="footnotes: \"full\" (source, date, location and the quote), \"short\" "
        "(source, date, location) or \"evidence\" (short footnotes and an Evidence appendix with the quotes)")


class Change(_Model):
    """One line of a "What's new since …" section."""

    kind: Literal["added", "removed", "reworded", "status"]
    fact_id: str
    text: str


class WhatsNew(_Model):
    #: the previous edition's date; None: this is the first edition (there is nothing to compare with)
    since: date | None = None
    changes: list[Change] = Field(default_factory=list)


class Briefing(_Model):
    cover: Cover = Field(default_factory=Cover)
    #: the analyst's bottom line up front; None: key points drawn from the highest-priority facts
    summary: str | None = None
    #: fact ids pinned as key points, in this order (the rest are chosen by priority, section and recency)
    key_points: list[str] = Field(default_factory=list, max_length=50)
    options: Options = Field(default_factory=Options)
    sections: list[BriefingSection] = Field(default_factory=list)
    #: filled in when a living template is exported and options.whats_new is on
    whats_new: WhatsNew | None = None
    #: the file's items whose fact the store holds but cannot read (a stored value no longer parses), kept out
    #: of the briefing while it is open and written back where they stood when it is saved, so a save before the
    #: repair loses nothing: (section id, position in its items, the item, the file's snapshot of the fact)
    _held: list[tuple[str, int, FactItem, object]] = PrivateAttr(default_factory=list)

    def fact_ids(self) -> list[str]:
        return [fid for s in self.sections for fid in s.fact_ids()]

    def is_empty(self) -> bool:
        """Nothing to print: no fact, no paragraph and no summary of the analyst's (section headings
        alone are not a briefing).  The window's length line and ``export --dry-run`` both say
        :data:`EMPTY_BRIEFING` then, and an export of it is refused."""
        return not (self.summary or "").strip() and not any(
            item.kind == "fact" or str(getattr(item, "text", "")).strip()
            for sec in self.sections for item in sec.items)


#: what the window and the CLI say of a briefing with nothing in it (:meth:`Briefing.is_empty`)
EMPTY_BRIEFING = "Empty briefing: add facts from the library"
