"""What changed between two editions of a template: each fact's fingerprint
(what a reader sees of it) and the comparison of the facts selected now with
the last edition's.  The store records editions (:mod:`briefer.store.editions`);
the rule for what counts as a change lives here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefer.model import Fact
from briefer.model.editions import Edition, EditionFact, FactChange, content_sha

if TYPE_CHECKING:
    from briefer.store.api import FactStore

#: the order changes are listed in
_KIND_ORDER = {"added": 0, "reworded": 1, "status": 2, "sources": 3, "removed": 4}


def fingerprint(fact: Fact, section: str | None = None) -> EditionFact:
    cites = [[c.source, c.quote, c.location, c.claim] for c in fact.citations]
    return EditionFact(fact_id=fact.id, section=section or fact.section, statement=fact.statement,
                       status=str(fact.status), statement_hash=content_sha(fact.statement),
                       citations_hash=content_sha(cites))


def compare(previous: Edition, current: list[EditionFact], store: FactStore) -> list[FactChange]:
    """What changed between ``previous`` and the facts a template selects now."""
    before = {f.fact_id: f for f in previous.facts}
    now = {f.fact_id: f for f in current}
    changes: list[tuple[int, int, FactChange]] = []
    for pos, cur in enumerate(current):
        old = before.get(cur.fact_id)
        if old is None:
            changes.append((_KIND_ORDER["added"], pos, FactChange("added", cur.fact_id, cur.statement,
                                                                  status_after=cur.status)))
            continue
        if old.statement_hash != cur.statement_hash:
            changes.append((_KIND_ORDER["reworded"], pos, FactChange("reworded", cur.fact_id, cur.statement,
                                                                     before=old.statement)))
        if old.status != cur.status:
            changes.append((_KIND_ORDER["status"], pos, FactChange(
                "status", cur.fact_id, cur.statement, status_before=old.status, status_after=cur.status)))
        if old.citations_hash != cur.citations_hash:
            changes.append((_KIND_ORDER["sources"], pos, FactChange("sources", cur.fact_id, cur.statement)))
    gone = [f for f in previous.facts if f.fact_id not in now]
    in_store = store.facts_by_ids([f.fact_id for f in gone]) if gone else {}
    for pos, old in enumerate(gone):
        fact = in_store.get(old.fact_id)
        if fact is not None and str(fact.status) != old.status:
            # e.g. now superseded, or disputed and the template takes current facts only
            changes.append((_KIND_ORDER["status"], pos, FactChange(
                "status", old.fact_id, fact.statement, status_before=old.status, status_after=str(fact.status),
                reason="no longer selected")))
            continue
        reason = ("no longer selected by the template" if fact is not None else
                  "still in the store, but cannot be read until repaired" if old.fact_id in store.damaged else
                  "deleted from the store")
        changes.append((_KIND_ORDER["removed"], pos, FactChange("removed", old.fact_id, old.statement,
                                                                status_before=old.status, reason=reason)))
    changes.sort(key=lambda c: (c[0], c[1]))
    return [c for _, _, c in changes]
