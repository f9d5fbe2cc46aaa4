"""What a caller asks the store for: which facts (:class:`FactFilter`), and
what a search finds (:class:`SearchHit`).  Plain data: each store backend
turns a filter into its own query.  Plain records (:mod:`briefer.model.plain`), not dataclasses: the
window's start makes a filter and would pay for writing a dataclass's methods."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from briefer.model.plain import Frozen

if TYPE_CHECKING:  # a filter is made (the library's first query) before pydantic is loaded
    from briefer.model.facts import Fact


class FactFilter(Frozen):
    __slots__ = ("section", "status", "source", "tag", "as_of_from", "as_of_to", "min_priority", "reliability",
                 "min_credibility")
    _fields = __slots__
    section: str | None
    status: str | None
    source: str | None
    tag: str | None
    as_of_from: date | None
    as_of_to: date | None
    min_priority: int | None
    #: only facts citing a source graded one of these (e.g. "AB")
    reliability: str | None
    #: only facts with a citation graded this credible or better (1 = confirmed … 6)
    min_credibility: int | None

    def __init__(self, section: str | None = None, status: str | None = None, source: str | None = None,
                 tag: str | None = None, as_of_from: date | None = None, as_of_to: date | None = None,
                 min_priority: int | None = None, reliability: str | None = None,
                 min_credibility: int | None = None) -> None:
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "tag", tag)
        object.__setattr__(self, "as_of_from", as_of_from)
        object.__setattr__(self, "as_of_to", as_of_to)
        object.__setattr__(self, "min_priority", min_priority)
        object.__setattr__(self, "reliability", reliability)
        object.__setattr__(self, "min_credibility", min_credibility)


class SearchHit(Frozen):
    __slots__ = ("fact", "snippet", "score")
    _fields = __slots__
    fact: Fact
    #: the best matching passage, with matches between ``mark`` pairs
    snippet: str
    #: bm25 score (lower is better); None when the term was too common to rank fully
    score: float | None

    def __init__(self, fact: Fact, snippet: str, score: float | None) -> None:
        object.__setattr__(self, "fact", fact)
        object.__setattr__(self, "snippet", snippet)
        object.__setattr__(self, "score", score)
