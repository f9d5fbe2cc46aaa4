"""The team library's rows as tables (see :mod:`briefer.store.portable`): read through server-side cursors
in one snapshot, written with ``COPY`` (ids and history stamps as they were), the search tables and the
id sequences brought up to date afterwards.  The same canonical values as the local store's."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from briefer.errors import BugError, KnownError
from briefer.store import words
from briefer.store.portable import DERIVED, TABLES, Table, canonical
from briefer.store.postgres.connection import Connection, translate
from briefer.store.sqlite_base import index_row, source_title

_BATCH = 2000
_counter = itertools.count(1)


def _translate(exc: Exception, where: str, doing: str) -> Exception:
    """psycopg's error in one sentence (connection.translate); anything else as it is."""
    if hasattr(exc, "sqlstate"):
        return translate(exc, where, doing)  # type: ignore[arg-type]
    return exc


def _spec(table: str) -> Table:
    try:
        return TABLES[table]
    except KeyError:
        raise BugError(f"{table!r} is not a table a library copy moves") from None


class TeamRowsMixin:
    _pg: Connection
    location: str
    transaction: Any  # the store's (TeamStore.transaction)

    @contextmanager
    def read_snapshot(self) -> Iterator[None]:
        """Every read inside sees the library as it was at the start (REPEATABLE READ, read-only)."""
        if self._pg.in_transaction:
            yield
            return
        self._pg.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", doing="read")
        try:
            yield
        finally:
            if not self._pg.broken and self._pg.in_transaction:
                self._pg.run("ROLLBACK")

    def _stream(self, sql: str) -> Iterator[tuple[Any, ...]]:
        """The rows of ``sql`` through a server-side cursor (a transaction of its own when none is open)."""
        own = not self._pg.in_transaction
        if own:
            self._pg.run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", doing="read")
        try:
            cur = self._pg.raw.cursor(name=f"briefer_rows_{next(_counter)}")
            try:
                cur.itersize = _BATCH
                cur.execute(sql)
                while batch := cur.fetchmany(_BATCH):
                    yield from batch
            finally:
                if not self._pg.broken:
                    cur.close()
        except KnownError:
            raise
        except Exception as exc:  # psycopg's errors, in one sentence
            raise _translate(exc, self.location, "read") from None
        finally:
            if own and not self._pg.broken and self._pg.in_transaction:
                self._pg.run("ROLLBACK")

    def export_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """The rows of ``table``, each a tuple of canonical values (``TABLES[table].columns``), by key."""
        spec = _spec(table)
        for row in self._stream(f"SELECT {', '.join(spec.columns)} FROM {table} ORDER BY {', '.join(spec.key)}"):
            yield tuple(canonical(v) for v in row)

    def import_rows(self, table: str, rows: Iterable[tuple[Any, ...]]) -> int:
        """COPY ``rows`` into ``table`` inside the caller's transaction; returns how many."""
        spec = _spec(table)
        if not self._pg.in_transaction:
            raise BugError("import_rows() runs inside store.transaction()")
        return self._copy_in(table, spec.columns, rows)

    def _copy_in(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]]) -> int:
        n = 0
        try:
            with self._pg.raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
                for row in rows:
                    cp.write_row(row)
                    n += 1
        except KnownError:
            raise
        except Exception as exc:
            raise _translate(exc, self.location, "write to") from None
        return n

    def load_pack(self, sections: list[Any], sources: list[Any], facts: list[Any], glossary: list[Any]) -> None:
        """Fill an empty team library with a fact pack (a new library's seed) in the caller's transaction.

        The local store's own ``load_pack`` lays the pack out in a SQLite database in memory (the same
        rows, search tables and word counts a local store gets); each of its tables then comes in with
        one ``COPY``, and the search tables are rebuilt as after a ``store copy``: ~30 round trips for the
        176 seed facts and their prepared analyses, where row by row it took ~1,800."""
        import sqlite3
        from pathlib import Path

        from briefer.store.db import _migrate
        from briefer.store.sqlite import Store

        conn = sqlite3.connect(":memory:", isolation_level=None)
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            staging = Store(Path(":memory:"), conn)
            _migrate(conn, staging.path, 0, False)
            staging.load_pack(sections, sources, facts, glossary)
            with self.transaction():  # one transaction (or a savepoint of the caller's): all of it, or none
                for table in TABLES:  # the search tables (DERIVED) are not among them: finish_import makes them
                    rows = staging.export_rows(table)
                    first = next(rows, None)
                    if first is not None:
                        self._copy_in(table, _spec(table).columns, itertools.chain([first], rows))
                self.finish_import()
        finally:
            conn.close()

    def delete_rows(self, table: str) -> None:
        _spec(table)
        self._pg.run(f"DELETE FROM {table}", doing="write to")

    def max_id(self, table: str) -> int:
        spec = _spec(table)
        return int(self._pg.run(f"SELECT coalesce(max({spec.surrogate}), 0) FROM {table}", doing="read")[0][0])

    def finish_import(self) -> None:
        """Rebuild the search tables from the facts, citations and sources, and move each id sequence past
        the largest id (rows came in with their ids), inside the caller's transaction."""
        pg = self._pg
        for table in DERIVED:
            pg.run(f"DELETE FROM {table}", doing="write to")
        titles = {r[0]: source_title(r[1], r[2], r[3]) for r in pg.run(
            "SELECT id, coalesce(title, label), coalesce(outlet, ''), coalesce(author, '') FROM sources")}
        fts: list[tuple[Any, ...]] = []
        cjk: list[tuple[Any, ...]] = []
        counts: dict[str, int] = {}

        def flush() -> None:
            # between two fetches of the cursors below the connection is free for a COPY
            self._copy_in("fact_fts", ("rowid", "statement", "quotes", "tags", "sources"), fts)
            self._copy_in("fact_cjk", ("rowid", "cjk", "priority"), cjk)  # the priority: step 13
            fts.clear()
            cjk.clear()

        cites = self._stream("SELECT fact, source, quote FROM citations ORDER BY fact, pos")
        pending = next(cites, None)
        for rowid, statement, tags_json, priority in self._stream(
                "SELECT rowid, statement, tags, priority FROM facts ORDER BY rowid"):
            quotes: list[str] = []
            sources: dict[str, None] = {}
            while pending is not None and pending[0] < rowid:
                pending = next(cites, None)
            while pending is not None and pending[0] == rowid:
                quotes.append(pending[2])
                sources.setdefault(pending[1], None)
                pending = next(cites, None)
            try:
                tags = json.loads(tags_json) if tags_json else []
            except ValueError:
                tags = []
            tags = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
            row = index_row(rowid, statement, quotes, tags, " ; ".join(titles[s] for s in sources if s in titles))
            fts.append(row[:5])
            if row[5]:
                cjk.append((rowid, row[5], priority))
            for w in words.words_of(" ".join(row[1:5])):
                counts[w] = counts.get(w, 0) + 1
            if len(fts) >= _BATCH:
                flush()
        flush()
        self._copy_in("fts_words", ("word", "n"), list(counts.items()))
        for spec in TABLES.values():
            if spec.surrogate:
                pg.run(f"SELECT setval(pg_get_serial_sequence('{spec.name}', '{spec.surrogate}'),"
                       f" coalesce((SELECT max({spec.surrogate}) FROM {spec.name}), 0) + 1, false)",
                       doing="write to")
        # the text indexes' pending lists emptied into the indexes: GIN keeps what came in (up to 4 MB, here
        # ~3,000 facts' words) in an unsorted list that every search reads through until a vacuum merges it,
        # which made each search of a library just copied in cost 2.4 ms of server CPU instead of 1.5 (only
        # the indexes' owner may; anyone else's copy leaves that to the autovacuum, a minute or so later)
        pg.run("SELECT gin_clean_pending_list(c.oid) FROM pg_class c WHERE c.oid IN"
               " (to_regclass('fact_fts_tsv'), to_regclass('fact_cjk_trgm')) AND pg_has_role(c.relowner, 'USAGE')",
               doing="write to")
        # the planner's statistics for what just came in: without them the first searches of a library
        # copied in (100,000 facts) plan as for empty tables, p95 100 ms instead of 22 ms (one client);
        # a user who does not own a table gets a warning for it from the server, never an error
        pg.run("ANALYZE", doing="write to")
