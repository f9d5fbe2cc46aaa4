"""Sources, sections, facts with citations, and the glossary.

These pydantic models are the shape of everything Briefer stores and
exports.  They hold no I/O and import nothing else of Briefer; the store
persists them, the domain reasons about them and the renderers read them.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from briefer.model.kinds import FactStatus as FactStatus
from briefer.model.kinds import SourceKind as SourceKind
from briefer.model.kinds import Variance as Variance

#: a readable, stable identifier: lower-case words joined by hyphens
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
Slug = Annotated[str, StringConstraints(pattern=SLUG_RE.pattern, min_length=2, max_length=80)]

#: tag kinds: ``kind:value``, e.g. ``person:Shigeru Ishiba``
#: ``figure:<figure>:…`` puts a fact in a figure (briefer.domain.figures), e.g. ``figure:timeline:Act passed``
TAG_KINDS = ("person", "body", "law", "country", "org", "event", "topic", "date", "document", "figure")
TAG_RE = re.compile(r"^({}):\S.*$".format("|".join(TAG_KINDS)))

#: source reliability (Admiralty / NATO scale), A = completely reliable … F = cannot be judged
Reliability = Literal["A", "B", "C", "D", "E", "F"]
RELIABILITY_LABELS = {
    "A": "Completely reliable",
    "B": "Usually reliable",
    "C": "Fairly reliable",
    "D": "Not usually reliable",
    "E": "Unreliable",
    "F": "Reliability cannot be judged",
}
#: information credibility, 1 = confirmed … 6 = cannot be judged
CREDIBILITY_LABELS = {
    1: "Confirmed by other sources",
    2: "Probably true",
    3: "Possibly true",
    4: "Doubtful",
    5: "Improbable",
    6: "Truth cannot be judged",
}

UNKNOWN = "unknown"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=False, defer_build=True)


def text_hash(text: str) -> str:
    """The identity of a source's text (SHA-256 of its UTF-8): the same document imported twice has one."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Source(_Model):
    """A document facts are drawn from.  ``None`` fields are *unknown*: the
    document does not say, and Briefer does not guess."""

    id: Slug
    #: the title the document itself gives, or None when it shows none
    title: str | None = None
    #: an analyst's short descriptive label, shown in [brackets] when there is no title
    label: str
    outlet: str | None = None
    author: str | None = None
    published: date | None = None
    #: what the document says about its date when it gives no exact one
    date_note: str = ""
    kind: SourceKind
    language: str = "en"
    reliability: Reliability = "F"
    #: file name in seeds/ or the original file name of an imported document
    file: str | None = None
    notes: str = ""
    text: str = ""

    @property
    def display_title(self) -> str:
        return self.title if self.title else f"[{self.label}]"


class Citation(_Model):
    source: Slug
    #: verbatim text from the source (whitespace and typographic quotes/dashes may differ)
    quote: Annotated[str, StringConstraints(min_length=3)]
    #: where in the source, e.g. "para. 6"; filled in from the quote when empty
    location: str = ""
    #: for a disputed fact: the version of the fact this source gives
    claim: str | None = None
    #: information credibility 1-6 (see CREDIBILITY_LABELS); None = not graded
    credibility: int | None = Field(default=None, ge=1, le=6)


class Fact(_Model):
    id: Slug
    section: Slug
    statement: Annotated[str, StringConstraints(min_length=10)]
    citations: list[Citation] = Field(min_length=1)
    as_of: date
    tags: list[str] = Field(default_factory=list)
    status: FactStatus = FactStatus.CURRENT
    #: 1 (background detail) … 5 (headline); short briefings keep the highest
    priority: int = Field(default=3, ge=1, le=5)
    notes: str = ""
    #: id of the newer fact that replaces this one (status superseded)
    superseded_by: str | None = None
    #: how its sources differ, when they do (None: they agree; a disputed fact without one is a disagreement)
    variance: Variance | None = None
    #: one clause (at most about 20 words) a briefing may lift into its key points; curated in
    #: resources/factpack/headlines.json.  It says no more than the statement and keeps its attribution.
    headline: Annotated[str, StringConstraints(max_length=200)] | None = None

    @field_validator("tags")
    @classmethod
    def _check_tags(cls, tags: list[str]) -> list[str]:
        for tag in tags:
            if not TAG_RE.match(tag):
                raise ValueError(f"tag {tag!r} must look like 'kind:value' with kind one of {', '.join(TAG_KINDS)}")
        if len(set(tags)) != len(tags):
            raise ValueError("tags must not repeat")
        return tags

    @property
    def source_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for c in self.citations:
            seen.setdefault(c.source, None)
        return list(seen)


class Section(_Model):
    id: Slug
    title: str
    description: str = ""
    order: int = 100


class GlossaryEntry(_Model):
    """One entity under its canonical name, with the other names sources use."""

    id: Slug
    kind: Literal["person", "body", "law", "country", "org", "event", "document", "term"]
    name: str
    #: other English renderings, each as a source gives it
    aliases: list[str] = Field(default_factory=list)
    #: the name in Japanese script, if known
    japanese: str | None = None
    #: where the Japanese name comes from: a source id, or "analyst" when no source gives it
    japanese_from: str | None = None
    description: str = ""

    def all_names(self) -> list[str]:
        return [self.name, *self.aliases]


REQUIRED_SECTIONS = ("law-summary", "hq-structure", "risks", "us-japan-cooperation")
