"""The library as tables: what a copy between two stores moves, in a form both backends share.

Both backends keep the same tables with the same columns (the PostgreSQL schema mirrors the SQLite one;
a backend's own extra columns, such as a version counter or a search vector, are not part of it).
:data:`TABLES` lists them in an order in which every row's references come before it; a backend's
``export_rows(table)`` yields each row as a tuple of :func:`canonical` values in the order of
``TABLES[table].columns``, and ``import_rows(table, rows)`` takes the same tuples back, ids and history
stamps as they are.  The full-text indexes and word lists are not copied: the target rebuilds them
(``finish_import``).

A table's checksum (:class:`TableSum`) is computed the same way from the canonical values, whichever
backend they come from: the sum, modulo 2**256, of each row's SHA-256, so it does not depend on the
order the rows come in (text sorts differently on the two engines), and a merge can add the rows it
inserts to the target's sum.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from briefer.model import Fact


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    #: the columns naming a row across libraries (a merge compares rows by them)
    key: tuple[str, ...]
    #: an integer id of this library only, given afresh to a row a merge adds (None: the key is the id)
    surrogate: str | None = None
    #: (column, parent table): the column holds the parent's surrogate id (a child row belongs to its parent)
    parent: tuple[str, str] | None = None
    #: entity: compared and reported; child: part of its parent; log: history rows; cache: made again if stale
    kind: str = "entity"
    #: what one row is called in a report
    noun: str = ""
    #: the column naming a log row's subject (a fact or source id)
    subject: str | None = None
    #: columns copied but not compared by a merge (a version counter: each library counts its own writes)
    unchecked: tuple[str, ...] = ("version",)


def _t(name: str, columns: str | tuple[str, ...], key: str, **kw: Any) -> Table:
    cols = tuple(c.strip() for c in columns.split(",")) if isinstance(columns, str) else columns
    return Table(name, cols, tuple(k.strip() for k in key.split(",")), **kw)


#: the columns of the facts table: every field of a Fact but its citations, after its row id
FACT_COLUMNS: tuple[str, ...] = ("rowid", *(name for name in Fact.model_fields if name != "citations"), "version")

_ORDER = [
    _t("sections", "id, title, description, ord", "id", noun="section"),
    _t("sources", "id, title, label, outlet, author, published, date_note, kind, language, reliability, file, notes,"
       " text, content_hash, version", "id", noun="source"),
    _t("glossary", "id, kind, name, aliases, japanese, japanese_from, description", "id", noun="glossary entry"),
    _t("facts", FACT_COLUMNS, "id", surrogate="rowid", noun="fact"),
    _t("citations", "fact, pos, source, quote, location, claim, credibility", "fact, pos",
       parent=("fact", "facts"), kind="child", noun="citations"),
    _t("fact_tags", "fact, tag", "fact, tag", parent=("fact", "facts"), kind="child", noun="tags"),
    _t("fact_history", "id, fact_id, changed_at, analyst, action, before, after, changed_by", "id", surrogate="id",
       kind="log",
       subject="fact_id", noun="fact history entry"),
    _t("source_imports", "source, imported_at, analyst, original_name, format, encoding, removed", "source",
       noun="import record of source"),
    _t("source_history", "id, source_id, changed_at, analyst, action, before, after, changed_by", "id",
       surrogate="id",
       kind="log", subject="source_id", noun="source history entry"),
    _t("candidates", "id, source, pos, statement, quote, location, section, reason, score, as_of, tags, near, status,"
       " fact_id, created_at, decided_at, analyst", "source, pos, quote, created_at", surrogate="id",
       noun="import candidate"),
    _t("conflict_resolutions", "key, kind, subject, action, fact_id, other_fact_id, alias, reason, analyst,"
       " resolved_at", "key", noun="conflict resolution"),
    _t("editions", "id, template, number, exported_on, recorded_at, title, output, template_id", "template_id, number",
       surrogate="id", noun="edition"),
    _t("edition_facts", "edition, pos, fact_id, section, statement, status, statement_hash, citations_hash,"
       " content_hash", "edition, pos", parent=("edition", "editions"), kind="child", noun="facts"),
    _t("source_analysis", "source_id, text_sha1, year, digest, data", "source_id", kind="cache",
       noun="prepared analysis"),
]

#: every copied table, references first
TABLES: dict[str, Table] = {t.name: t for t in _ORDER}
#: the tables a store keeps only to search (rebuilt by the target, never copied)
DERIVED = ("fact_fts", "fact_cjk", "fts_words")


def canonical(value: Any) -> Any:
    """A column value as both backends export it: None, int, float, str (dates in ISO form, JSON as text)."""
    if value is None or isinstance(value, str | float) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bytes | memoryview):
        return bytes(value).decode("utf-8")
    return str(value)


def row_bytes(row: tuple[Any, ...]) -> bytes:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def row_digest(row: tuple[Any, ...]) -> int:
    return int.from_bytes(hashlib.sha256(row_bytes(row)).digest(), "big")


_MOD = 1 << 256


@dataclass
class TableSum:
    """How many rows a table holds and their checksum (see the module's docstring)."""

    rows: int = 0
    total: int = 0

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows += 1
        self.total = (self.total + row_digest(row)) % _MOD

    def plus(self, other: TableSum) -> TableSum:
        return TableSum(self.rows + other.rows, (self.total + other.total) % _MOD)

    @property
    def checksum(self) -> str:
        return f"{self.total:064x}"[:32]


@dataclass
class Tally:
    """A TableSum per table."""

    tables: dict[str, TableSum] = field(default_factory=dict)

    def of(self, table: str) -> TableSum:
        return self.tables.setdefault(table, TableSum())


def summed(table: str, rows: Any, tally: Tally) -> Any:
    """Pass ``rows`` through, adding each to ``tally``'s sum for ``table`` (rows stream; none is kept)."""
    acc = tally.of(table)
    for row in rows:
        acc.add(row)
        yield row
