"""Editions: every export of a template, recorded with the facts it held.

An edition keeps, for each fact in order, a content hash of what a reader
sees (statement, status, citations) plus the statement and status
themselves, so the next export of the same template can say exactly what
changed (added, removed, reworded, status changed, sources changed) even for
facts that have since been deleted from the store.  The types are in
:mod:`briefer.model.editions`; fingerprints and the comparison, which decide
what counts as a change, in :mod:`briefer.domain.editions`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from briefer.model.editions import Edition, EditionFact, FactChange

if TYPE_CHECKING:
    import sqlite3

    from briefer.store.sqlite_base import StoreBase as Store

__all__ = ["Edition", "EditionFact", "FactChange", "editions", "editions_using", "latest_edition",
           "record_edition", "recording_edition", "rename_template"]


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
        row = conn.execute("SELECT coalesce(max(number), 0) AS last FROM editions WHERE template = ?",
                           (template,)).fetchone()
        number = int(row["last"]) + 1
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


def _edition(store: Store, row: sqlite3.Row, *, with_facts: bool) -> Edition:
    eid = int(row["id"])
    facts: list[EditionFact] = []
    if with_facts:
        facts = [EditionFact(fact_id=r["fact_id"], section=r["section"], statement=r["statement"], status=r["status"],
                             statement_hash=r["statement_hash"], citations_hash=r["citations_hash"])
                 for r in store._q("SELECT fact_id, section, statement, status, statement_hash, citations_hash"
                                   " FROM edition_facts WHERE edition = ? ORDER BY pos", (eid,))]
    return Edition(eid, str(row["template"]), int(row["number"]), date.fromisoformat(str(row["exported_on"])),
                   str(row["recorded_at"]), str(row["title"]), str(row["output"]), facts)


def latest_edition(store: Store, template: str) -> Edition | None:
    rows = store._q(f"SELECT {_EDITION_COLS} FROM editions WHERE template = ? ORDER BY number DESC LIMIT 1",
                    (template,))
    return _edition(store, rows[0], with_facts=True) if rows else None


def editions(store: Store, template: str | None = None) -> list[Edition]:
    """Editions (without their facts), newest first."""
    if template is None:
        rows = store._q(f"SELECT {_EDITION_COLS} FROM editions ORDER BY recorded_at DESC, id DESC")
    else:
        rows = store._q(f"SELECT {_EDITION_COLS} FROM editions WHERE template = ? ORDER BY number DESC",
                        (template,))
    return [_edition(store, r, with_facts=False) for r in rows]


def editions_using(store: Store, fact_id: str) -> list[Edition]:
    """Every recorded edition that held ``fact_id``, newest first (without their facts)."""
    rows = store._q(
        f"SELECT DISTINCT {', '.join('e.' + c.strip() for c in _EDITION_COLS.split(','))}"
        " FROM editions e JOIN edition_facts ef ON ef.edition = e.id WHERE ef.fact_id = ?"
        " ORDER BY e.recorded_at DESC, e.id DESC", (fact_id,))
    return [_edition(store, r, with_facts=False) for r in rows]


def rename_template(store: Store, old: str, new: str) -> int:
    """Carry the editions of template ``old`` over to its new name; returns how many moved."""
    with store.transaction() as conn:
        cur = conn.execute("UPDATE editions SET template = ? WHERE template = ?", (new, old))
        return int(cur.rowcount)
