"""Freshness: a fact whose ``as_of`` is older than a horizon (by default 12
months before today) is stale: it may no longer be true and should be
checked before it goes in front of a decision-maker.  A superseded fact is
out of date whatever its age; the fact that replaced it is named.

``today`` is always a parameter (tests pass a fixed day); the horizon in
months comes from the analyst's settings (``briefer.store.preferences``).

It reads a fact and the library's light row (:class:`briefer.model.rows.FactRow`) alike, and imports no
model: the library's first list marks its stale facts before pydantic is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Protocol

from briefer.domain.typography import count
from briefer.model.plain import Frozen

DEFAULT_HORIZON_MONTHS = 12
#: FactStatus.SUPERSEDED (a StrEnum: equal to its value)
_SUPERSEDED = "superseded"


class Dated(Protocol):
    """A fact or a library row: what freshness reads of it."""

    @property
    def id(self) -> str: ...
    @property
    def as_of(self) -> date: ...
    @property
    def status(self) -> str: ...
    @property
    def superseded_by(self) -> str | None: ...


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the 31st becomes the month's last day)."""
    if months < 0:
        raise ValueError("months must not be negative")
    total = day.year * 12 + (day.month - 1) - months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(day.day, month_end(year, month).day))


def month_end(year: int, month: int) -> date:
    """The last day of ``month`` of ``year``: the day before the next month's first (the calendar module
    would cost the window's start its import)."""
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


def cutoff(today: date, horizon_months: int = DEFAULT_HORIZON_MONTHS) -> date:
    """Facts as of a day before this one are stale."""
    return months_before(today, horizon_months)


def is_stale(fact: Dated, today: date, horizon_months: int = DEFAULT_HORIZON_MONTHS) -> bool:
    return fact.as_of < cutoff(today, horizon_months)


class Staleness(Frozen):
    _fields = ("fact_id", "as_of", "age_months", "stale", "superseded_by")
    fact_id: str
    as_of: date
    #: whole months between as_of and today
    age_months: int
    stale: bool
    superseded_by: str | None

    def __init__(self, fact_id: str, as_of: date, age_months: int, stale: bool, superseded_by: str | None) -> None:
        object.__setattr__(self, "fact_id", fact_id)
        object.__setattr__(self, "as_of", as_of)
        object.__setattr__(self, "age_months", age_months)
        object.__setattr__(self, "stale", stale)
        object.__setattr__(self, "superseded_by", superseded_by)

    @property
    def label(self) -> str:
        if self.superseded_by:
            return f"superseded by {self.superseded_by}"
        if self.stale:
            return f"stale: as of {self.as_of.isoformat()} ({count(self.age_months, 'month')} old)"
        return ""


def age_months(as_of: date, today: date) -> int:
    months = (today.year - as_of.year) * 12 + (today.month - as_of.month)
    if today.day < as_of.day:
        months -= 1
    return max(months, 0)


def staleness(fact: Dated, today: date, horizon_months: int = DEFAULT_HORIZON_MONTHS) -> Staleness:
    return Staleness(fact.id, fact.as_of, age_months(fact.as_of, today), is_stale(fact, today, horizon_months),
                     fact.superseded_by if fact.status == _SUPERSEDED else None)


def stale_facts(facts: Iterable[Dated], today: date, horizon_months: int = DEFAULT_HORIZON_MONTHS,
                *, include_superseded: bool = False) -> list[Staleness]:
    """The stale facts, oldest first.  Superseded facts are left out unless asked for (they are out of the
    briefing anyway)."""
    out = [staleness(f, today, horizon_months) for f in facts
           if (include_superseded or f.status != _SUPERSEDED) and is_stale(f, today, horizon_months)]
    return sorted(out, key=lambda s: (s.as_of, s.fact_id))


def latest_replacement(fact_id: str, facts: Mapping[str, Dated]) -> str | None:
    """Follow ``superseded_by`` to the newest fact (None if ``fact_id`` is not superseded)."""
    seen = {fact_id}
    current = facts.get(fact_id)
    nxt = current.superseded_by if current else None
    last = None
    while nxt and nxt not in seen:
        seen.add(nxt)
        last = nxt
        f = facts.get(nxt)
        nxt = f.superseded_by if f else None
    return last
