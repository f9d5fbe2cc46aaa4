"""Flags for a briefing or template that uses facts which have changed
status: superseded (with the newest replacement to use instead), disputed,
deleted from the store, stale, or overdue (what they said was to come by a date
that has passed).  The window shows them when a briefing is
opened, the export quality report lists them, ``briefer facts check`` counts
them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from briefer.domain.freshness import DEFAULT_HORIZON_MONTHS, is_stale, latest_replacement
from briefer.domain.models import Fact, FactStatus
from briefer.model.plain import Frozen


class FactFlag(Frozen):
    _fields = ("fact_id", "kind", "message", "replacement")
    fact_id: str
    #: "superseded", "disputed", "missing", "stale" or "overdue"
    kind: str
    message: str
    #: for "superseded": the newest fact that replaces it
    replacement: str | None

    def __init__(self, fact_id: str, kind: str, message: str, replacement: str | None = None) -> None:
        object.__setattr__(self, "fact_id", fact_id)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "replacement", replacement)

    def to_json(self) -> dict[str, str | None]:
        return {"fact_id": self.fact_id, "kind": self.kind, "message": self.message, "replacement": self.replacement}


def flag_facts(fact_ids: Iterable[str], facts: Mapping[str, Fact], today: date,
               horizon_months: int = DEFAULT_HORIZON_MONTHS) -> list[FactFlag]:
    """Flags for the facts a briefing uses (``facts`` maps ids to the store's facts; a missing id is deleted)."""
    out: list[FactFlag] = []
    seen: set[str] = set()
    for fid in fact_ids:
        if fid in seen:
            continue
        seen.add(fid)
        fact = facts.get(fid)
        if fact is None:
            out.append(FactFlag(fid, "missing", f"fact {fid} is no longer in the store"))
            continue
        if fact.status == FactStatus.SUPERSEDED:
            newest = latest_replacement(fid, facts) or fact.superseded_by
            out.append(FactFlag(fid, "superseded", f"fact {fid} is superseded by {newest}: use the newer fact",
                                newest))
            continue
        if fact.status == FactStatus.DISPUTED:
            out.append(FactFlag(fid, "disputed", f"fact {fid} is disputed: the sources disagree"))
        if is_stale(fact, today, horizon_months):
            out.append(FactFlag(fid, "stale", f"fact {fid} is stale (as of {fact.as_of.isoformat()})"))
        due = overdue_by(fact, today)
        if due:
            out.append(FactFlag(fid, "overdue", f"fact {fid} tells of something due by {due}, which has "
                                                "passed: check what happened"))
    return out


def overdue_by(fact: Fact, today: date) -> str:
    """When ``fact`` tells of something to come (its dated event lies after what it was current as of: a
    plan, a deadline) whose date has passed by ``today``, that date in words ("December 2025"); else "".
    A briefing printed later still says the plan is to come ("the goal is to draft, by the end of 2025,
    a basic plan" in a briefing of December 2026)."""
    from briefer.domain.dates import date_in_words, period_end
    from briefer.domain.figures import due_date

    due = due_date(fact)
    return date_in_words(*due) if due is not None and period_end(*due) < today else ""


def flag_briefing(briefing: object, facts: Mapping[str, Fact], today: date,
                  horizon_months: int = DEFAULT_HORIZON_MONTHS) -> list[FactFlag]:
    """Flags for a :class:`~briefer.domain.briefing.Briefing` (anything with ``fact_ids()``)."""
    return flag_facts(briefing.fact_ids(), facts, today, horizon_months)  # type: ignore[attr-defined]
