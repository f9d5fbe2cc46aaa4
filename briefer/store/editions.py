"""Editions: every export of a template, recorded with the facts it held.

An edition keeps, for each fact in order, a content hash of what a reader
sees (statement, status, citations) plus the statement and status
themselves, so the next export of the same template can say exactly what
changed (added, removed, reworded, status changed, sources changed) even for
facts that have since been deleted from the store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Literal

from briefer.model import Fact

if TYPE_CHECKING:
    from briefer.store.db import Store

ChangeKind = Literal["added", "removed", "reworded", "status", "sources"]
#: the order changes are listed in
_KIND_ORDER = {"added": 0, "reworded": 1, "status": 2, "sources": 3, "removed": 4}


def _sha(data: object) -> str:
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class EditionFact:
    fact_id: str
    #: the section id of the template section that held it
    section: str
    statement: str
    status: str
    statement_hash: str
    citations_hash: str

    @property
    def content_hash(self) -> str:
        """Hash of everything a reader sees of the fact: statement, status and citations."""
        return _sha([self.statement_hash, self.status, self.citations_hash])


def fingerprint(fact: Fact, section: str | None = None) -> EditionFact:
    cites = [[c.source, c.quote, c.location, c.claim] for c in fact.citations]
    return EditionFact(fact_id=fact.id, section=section or fact.section, statement=fact.statement,
                       status=str(fact.status), statement_hash=_sha(fact.statement), citations_hash=_sha(cites))


@dataclass(frozen=True)
class Edition:
    id: int
    template: str
    number: int
    exported_on: date
    recorded_at: str
    title: str
    output: str
    facts: list[EditionFact] = field(default_factory=list)

    def fact_ids(self) -> list[str]:
        return [f.fact_id for f in self.facts]


@dataclass(frozen=True)
class FactChange:
    kind: ChangeKind
    fact_id: str
    #: the statement now (for removed facts: as it was)
    statement: str
    before: str | None = None
    status_before: str | None = None
    status_after: str | None = None
    #: for removed facts: "deleted from the store" or "no longer selected by the template"
    reason: str = ""

    @property
    def briefing_kind(self) -> Literal["added", "removed", "reworded", "status"]:
        # the briefing model has no "sources" kind: a change of sources is a change of wording for the reader
        return "reworded" if self.kind == "sources" else self.kind

    @property
    def text(self) -> str:
        """One line for a "What's new" section (the renderer adds the kind's label)."""
        if self.kind == "removed":
            return f"{self.statement} ({self.reason})"
        if self.kind == "sources":
            return f"{self.statement} (sources updated)"
        if self.kind == "status":
            left_out = "; left out of this edition" if self.reason else ""
            return f"{self.statement} (now {self.status_after}, was {self.status_before}{left_out})"
        return self.statement

    def to_json(self) -> dict[str, str | None]:
        return {"kind": self.kind, "fact_id": self.fact_id, "statement": self.statement, "before": self.before,
                "status_before": self.status_before, "status_after": self.status_after,
                "reason": self.reason or None, "text": self.text}


# -- reading and writing -----------------------------------------------------------------


def record_edition(store: Store, template: str, *, exported_on: date, title: str, facts: list[EditionFact],
                   output: str = "") -> Edition:
    """Record the next edition of ``template`` in one transaction."""
    with recording_edition(store, template, exported_on=exported_on, title=title, facts=facts,
                           output=output) as edition:
        pass
    return edition


@contextmanager
def recording_edition(store: Store, template: str, *, exported_on: date, title: str, facts: list[EditionFact],
                      output: str = "") -> Iterator[Edition]:
    """Record the next edition of ``template``; it is committed when the block ends
    without an error (so the written file and its edition land together)."""
    recorded_at = datetime.now(UTC).isoformat(timespec="seconds")
    with store.transaction() as conn:
        row = conn.execute("SELECT coalesce(max(number), 0) FROM editions WHERE template = ?",
                           (template,)).fetchone()
        number = int(row[0]) + 1
        cur = conn.execute(
            "INSERT INTO editions (template, number, exported_on, recorded_at, title, output)"
            " VALUES (?,?,?,?,?,?)",
            (template, number, exported_on.isoformat(), recorded_at, title, output))
        eid = int(cur.lastrowid or 0)
        conn.executemany(
            "INSERT INTO edition_facts (edition, pos, fact_id, section, statement, status, statement_hash,"
            " citations_hash, content_hash) VALUES (?,?,?,?,?,?,?,?,?)",
            [(eid, i, f.fact_id, f.section, f.statement, f.status, f.statement_hash, f.citations_hash,
              f.content_hash) for i, f in enumerate(facts)])
        yield Edition(eid, template, number, exported_on, recorded_at, title, output, list(facts))


_EDITION_COLS = "id, template, number, exported_on, recorded_at, title, output"


def _edition(store: Store, row: tuple[object, ...], *, with_facts: bool) -> Edition:
    eid = int(str(row[0]))
    facts: list[EditionFact] = []
    if with_facts:
        facts = [EditionFact(fact_id=r[0], section=r[1], statement=r[2], status=r[3], statement_hash=r[4],
                             citations_hash=r[5])
                 for r in store._q("SELECT fact_id, section, statement, status, statement_hash, citations_hash"
                                   " FROM edition_facts WHERE edition = ? ORDER BY pos", (eid,))]
    return Edition(eid, str(row[1]), int(str(row[2])), date.fromisoformat(str(row[3])), str(row[4]), str(row[5]),
                   str(row[6]), facts)


def latest_edition(store: Store, template: str) -> Edition | None:
    rows = store._q(f"SELECT {_EDITION_COLS} FROM editions WHERE template = ? ORDER BY number DESC LIMIT 1",
                    (template,))
    return _edition(store, tuple(rows[0]), with_facts=True) if rows else None


def editions(store: Store, template: str | None = None) -> list[Edition]:
    """Editions (without their facts), newest first."""
    if template is None:
        rows = store._q(f"SELECT {_EDITION_COLS} FROM editions ORDER BY recorded_at DESC, id DESC")
    else:
        rows = store._q(f"SELECT {_EDITION_COLS} FROM editions WHERE template = ? ORDER BY number DESC",
                        (template,))
    return [_edition(store, tuple(r), with_facts=False) for r in rows]


def editions_using(store: Store, fact_id: str) -> list[Edition]:
    """Every recorded edition that held ``fact_id``, newest first (without their facts)."""
    rows = store._q(
        f"SELECT DISTINCT {', '.join('e.' + c.strip() for c in _EDITION_COLS.split(','))}"
        " FROM editions e JOIN edition_facts ef ON ef.edition = e.id WHERE ef.fact_id = ?"
        " ORDER BY e.recorded_at DESC, e.id DESC", (fact_id,))
    return [_edition(store, tuple(r), with_facts=False) for r in rows]


def rename_template(store: Store, old: str, new: str) -> int:
    """Carry the editions of template ``old`` over to its new name; returns how many moved."""
    with store.transaction() as conn:
        cur = conn.execute("UPDATE editions SET template = ? WHERE template = ?", (new, old))
        return int(cur.rowcount)


# -- comparing -------------------------------------------------------------------------------


def compare(previous: Edition, current: list[EditionFact], store: Store) -> list[FactChange]:
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
        reason = "deleted from the store" if fact is None else "no longer selected by the template"
        changes.append((_KIND_ORDER["removed"], pos, FactChange("removed", old.fact_id, old.statement,
                                                                status_before=old.status, reason=reason)))
    changes.sort(key=lambda c: (c[0], c[1]))
    return [c for _, _, c in changes]


__all__ = ["Edition", "EditionFact", "FactChange", "compare", "editions", "editions_using",
           "fingerprint", "latest_edition", "record_edition", "recording_edition", "rename_template"]
