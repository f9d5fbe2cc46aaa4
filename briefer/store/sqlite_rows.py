"""The SQLite store's rows as tables (see :mod:`briefer.store.portable`): read in a consistent snapshot,
written back as they were (ids and history stamps kept), and the search indexes rebuilt afterwards."""

from __future__ import annotations

import itertools
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from briefer.errors import BugError, StoreError
from briefer.store import words
from briefer.store.sqlite_base import INSERT_CJK, INSERT_FTS, StoreBase, index_row, source_title, store_error

_BATCH = 2000


def _spec(table: str) -> Any:
    # a library copy's tables (the facts table's columns are read from the model): loaded when a copy runs
    from briefer.store.portable import TABLES

    try:
        return TABLES[table]
    except KeyError:
        raise BugError(f"{table!r} is not a table a library copy moves") from None


class RowsMixin(StoreBase):
    @contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """Every read inside sees the store as it was at the start (another process may write meanwhile)."""
        if self._conn.in_transaction:
            yield
            return
        try:
            self._conn.execute("BEGIN")
            self._conn.execute("SELECT count(*) FROM sections").fetchone()  # the snapshot starts at the first read
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, "read") from None
        try:
            yield
        finally:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")

    def export_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """The rows of ``table``, each a tuple of its columns (``TABLES[table].columns``), by key."""
        spec = _spec(table)
        try:
            cur = self._conn.cursor()
            cur.row_factory = None
            cur.execute(f"SELECT {', '.join(spec.columns)} FROM {table} ORDER BY {', '.join(spec.key)}")
            while batch := cur.fetchmany(_BATCH):
                for row in batch:
                    yield tuple(v.decode("utf-8") if isinstance(v, bytes) else v for v in row)
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, "read") from None

    def import_rows(self, table: str, rows: Iterable[tuple[Any, ...]]) -> int:
        """Insert ``rows`` (tuples as :meth:`export_rows` gives them) into ``table``, in the caller's
        transaction; returns how many."""
        spec = _spec(table)
        if not self._conn.in_transaction:
            raise BugError("import_rows() runs inside store.transaction()")
        sql = f"INSERT INTO {table} ({', '.join(spec.columns)}) VALUES ({', '.join('?' * len(spec.columns))})"
        n = 0
        it = iter(rows)
        try:
            while batch := list(itertools.islice(it, _BATCH)):
                self._conn.executemany(sql, batch)
                n += len(batch)
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"the rows of table {table} do not fit the target library ({exc})") from None
        return n

    def delete_rows(self, table: str) -> None:
        """Empty ``table`` (in the caller's transaction)."""
        _spec(table)
        self._conn.execute(f"DELETE FROM {table}")

    def max_id(self, table: str) -> int:
        """The largest surrogate id in ``table`` (0 when empty)."""
        spec = _spec(table)
        row = self._conn.execute(f"SELECT coalesce(max({spec.surrogate}), 0) FROM {table}").fetchone()
        return int(row[0])

    def finish_import(self) -> None:
        """Rebuild what the store keeps only to search (full-text indexes, the word list) from the facts,
        their citations and sources, in the caller's transaction."""
        from briefer.store.portable import DERIVED

        conn = self._conn
        for table in DERIVED:
            conn.execute(f"DELETE FROM {table}")
        titles = {r[0]: source_title(r[1], r[2], r[3]) for r in conn.execute(
            "SELECT id, coalesce(title, label), coalesce(outlet, ''), coalesce(author, '') FROM sources")}
        facts = conn.cursor()
        facts.row_factory = None
        facts.execute("SELECT rowid, statement, tags FROM facts ORDER BY rowid")
        cites = conn.cursor()
        cites.row_factory = None
        cites.execute("SELECT fact, source, quote FROM citations ORDER BY fact, pos")
        pending = cites.fetchone()
        while batch := facts.fetchmany(_BATCH):
            fts, cjk = [], []
            for rowid, statement, tags_json in batch:
                quotes: list[str] = []
                sources: dict[str, None] = {}
                while pending is not None and pending[0] < rowid:
                    pending = cites.fetchone()
                while pending is not None and pending[0] == rowid:
                    quotes.append(pending[2])
                    sources.setdefault(pending[1], None)
                    pending = cites.fetchone()
                try:
                    tags = json.loads(tags_json) if tags_json else []
                except ValueError:
                    tags = []
                tags = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
                row = index_row(rowid, statement, quotes, tags,
                                " ; ".join(titles[s] for s in sources if s in titles))
                fts.append(row[:5])
                if row[5]:
                    cjk.append((rowid, row[5]))
            conn.executemany(INSERT_FTS, fts)
            conn.executemany(INSERT_CJK, cjk)
            words.add_many(conn, (" ".join(r[1:5]) for r in fts))
        conn.execute("INSERT INTO fact_fts(fact_fts) VALUES ('optimize')")
