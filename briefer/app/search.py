"""Searching and listing the library: one rule for the CLI (``briefer facts search|list``)
and the window's library pane.

Every filter is applied by the store, in the query, before the limit, so ``--limit 3`` with a
filter gives three results when three match.  A Japanese query that finds nothing in the
(English) facts is read through the glossary: ``城内`` finds the facts about Minoru Kiuchi.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from briefer.app.snippets import MATCHED_ELSEWHERE as MATCHED_ELSEWHERE  # importable from here as before
from briefer.app.snippets import statement_snippet as statement_snippet
from briefer.errors import KnownError

if TYPE_CHECKING:
    from briefer.store.db import FactFilter, SearchHit

_CJK_RUN = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+"


@cache
def _cjk() -> re.Pattern[str]:
    """A run of Japanese characters: compiled when a search first needs it (the class's ranges take
    ~25 M instructions to compile, a fortieth of the window's start, which lists facts without it)."""
    return re.compile(_CJK_RUN)

#: source reliability grades (the Admiralty scale)
GRADES = "ABCDEF"


def fact_filter(*, section: str | None = None, status: str | None = None, source: str | None = None,
                tag: str | None = None, since: date | None = None, until: date | None = None,
                reliability: str | None = None, min_credibility: int | None = None, stale: bool = False,
                today: date | None = None, horizon_months: int | None = None) -> FactFilter:
    """The store filter for what the user chose.  ``stale`` keeps facts older than the freshness
    horizon (``horizon_months`` before ``today``), as a date bound the store applies itself."""
    from briefer.store.db import FactFilter

    grades = (reliability or "").upper() or None
    if grades:
        bad = set(grades) - set(GRADES)
        if bad:
            raise KnownError(f"reliability grades are A to F, not {''.join(sorted(bad))}")
    if stale:
        from briefer.domain.freshness import DEFAULT_HORIZON_MONTHS, cutoff

        last = cutoff(today or date.today(), horizon_months or DEFAULT_HORIZON_MONTHS) - timedelta(days=1)
        until = min(until, last) if until else last
    return FactFilter(section=section, status=status, source=source, tag=tag, as_of_from=since, as_of_to=until,
                      reliability=grades, min_credibility=min_credibility or None)


@dataclass(frozen=True)
class GlossaryReading:
    """How a Japanese query was read through the glossary."""

    #: the English names to search for
    names: list[str] = field(default_factory=list)
    #: one sentence for the user ("" when the glossary did not come in)
    note: str = ""


def read_japanese(text: str, glossary: list[tuple[str, str]]) -> GlossaryReading:
    """The glossary's English names for the Japanese in ``text`` (``glossary``: (Japanese, English)).

    A run of two or more Japanese characters stands for an entry when it holds the entry's whole
    Japanese name (城内実 in 城内実大臣), or when it is part of exactly one entry's name (城内, the
    family name of 城内実).  A run that is part of several names (戦略, "strategy", in five of them)
    is a common word, not a name: it stands for none, and the note says so, so a search for 戦略
    does not turn into a search for every fact about AI strategy."""
    runs = [r for r in _cjk().findall(text) if len(r) >= 2]
    names: list[str] = []
    common: list[str] = []
    for run in runs:
        whole = [en for jp, en in glossary if jp and jp in run]
        part = [en for jp, en in glossary if jp and run in jp and en not in whole]
        found = whole + (part if len(part) == 1 else [])
        if len(part) > 1 and not whole:
            common.append(run)
        names.extend(n for n in found if n not in names)
    query = text.strip()
    if names:
        return GlossaryReading(names, f"searched for {', '.join(names)} (the glossary's English for {query})")
    if common:
        return GlossaryReading([], f"{', '.join(common)} is part of several names in the glossary; "
                                   "type more of the name")
    return GlossaryReading()


@dataclass
class SearchResult:
    hits: list[SearchHit]
    #: said to the user about how the query was read (a Japanese name found in the glossary)
    note: str = ""


def search_facts(store: Any, text: str, flt: FactFilter | None = None, *, limit: int = 20,
                 mark: tuple[str, str] = ("[", "]"), glossary: list[tuple[str, str]] | None = None,
                 snippets: bool = True) -> SearchResult:
    """Facts matching ``text``, best first, at most ``limit``, every filter applied before the limit.

    When a query with Japanese in it finds nothing, the glossary's English names for it are searched
    (:func:`read_japanese`).  ``glossary`` is (Japanese, English) pairs, read from the store when not
    given (the window passes the ones it has read once).  Without ``snippets`` (a search that only
    counts) the hits are the same, in the same order, each with an empty snippet."""
    if not text.strip():
        raise KnownError("the search query is empty")
    hits = list(store.search(text, flt, limit=limit, mark=mark, snippets=snippets))
    if hits or not _cjk().search(text):
        return SearchResult(hits)
    reading = read_japanese(text, glossary if glossary is not None else glossary_pairs(store))
    seen: set[str] = set()
    for name in reading.names:
        for h in store.search(name, flt, limit=limit, mark=mark, snippets=snippets):
            if h.fact.id not in seen and len(hits) < limit:
                seen.add(h.fact.id)
                hits.append(h)
    return SearchResult(hits, reading.note)


def glossary_pairs(store: Any) -> list[tuple[str, str]]:
    """(Japanese, English) for each glossary entry that has a Japanese name."""
    return [(g.japanese, g.name) for g in store.glossary() if g.japanese]


def with_section(flt: FactFilter, section: str | None) -> FactFilter:
    """``flt`` narrowed to one section (or widened to all with None)."""
    return flt.replace(section=section)
