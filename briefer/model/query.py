"""What a caller asks the store for: which facts (:class:`FactFilter`), and
what a search finds (:class:`SearchHit`).  Plain data: each store backend
turns a filter into its own query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # a filter is made (the library's first query) before pydantic is loaded
    from briefer.model.facts import Fact


@dataclass(frozen=True)
class FactFilter:
    section: str | None = None
    status: str | None = None
    source: str | None = None
    tag: str | None = None
    as_of_from: date | None = None
    as_of_to: date | None = None
    min_priority: int | None = None
    #: only facts citing a source graded one of these (e.g. "AB")
    reliability: str | None = None
    #: only facts with a citation graded this credible or better (1 = confirmed … 6)
    min_credibility: int | None = None


@dataclass(frozen=True)
class SearchHit:
    fact: Fact
    #: the best matching passage, with matches between ``mark`` pairs
    snippet: str
    #: bm25 score (lower is better); None when the term was too common to rank fully
    score: float | None
