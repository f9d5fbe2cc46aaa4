"""The fact store: one SQLite file (WAL) with full-text search.

The store takes a path; only the entry points (CLI, window) decide where it
lives.  Every sqlite3 error that reaches a caller is a :class:`StoreError`
with one clear sentence.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from briefer.errors import (
    BugError,
    DiskFull,
    NotFoundError,
    SchemaTooNewError,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreInterrupted,
    StoreIOError,
    StoreLocked,
    StoreReadOnly,
)
from briefer.fileio import DB_NAME as DB_NAME  # re-exported: the store file name lives in fileio
from briefer.fileio import protect_store
from briefer.model import Citation, Fact, FactStatus, GlossaryEntry, Section, Source, Variance
from briefer.store import words
from briefer.store.migrations import AFTER, LATEST, MIGRATIONS

_SQLITE_MAGIC = b"SQLite format 3\x00"

# CJK ideographs, kana, half/full-width forms, CJK punctuation
_CJK_RUN = re.compile(r"[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+")


class DamagedFact(StoreError):
    """A fact whose stored values no longer parse; the message names the repair."""

    def __init__(self, message: str, fact_id: str) -> None:
        super().__init__(message)
        self.fact_id = fact_id


def _shown(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def store_error(exc: sqlite3.Error, path: Path | str, doing: str = "use") -> StoreError | BugError:
    """One sentence for an sqlite3 error on the store at ``path``, by its kind (SQLite's error code).

    The one place sqlite3 errors become words: a locked store is "in use", a read-only file or
    folder says so, a full disk says so; only a real parsing failure says "not a readable database".
    Each kind is its own :class:`~briefer.errors.StoreError` subclass, which carries the advice.  A
    query Briefer got wrong (no such column, a syntax error, a misused connection) is a
    :class:`~briefer.errors.BugError`, not the user's store."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith("SQLITE_LOCKED") or (not name and "table is locked" in text):
        return StoreLocked(f"the fact store {path} is in use by another Briefer (or another program holding it); "
                           "close it or try again in a moment")
    if name.startswith("SQLITE_BUSY") or "locked" in text or "busy" in text:
        return StoreBusy(f"the fact store {path} is in use by another Briefer (or another program holding it); "
                         "close it or try again in a moment")
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return StoreReadOnly(f"cannot {doing} the fact store {path}: it is read-only (the file or its folder cannot "
                             "be written; check their permissions); nothing was changed")
    if name == "SQLITE_FULL" or "disk is full" in text or "database or disk is full" in text:
        return DiskFull(f"cannot {doing} the fact store {path}: the disk is full; free some space and try again "
                        "(nothing was changed)")
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return StoreIOError(f"cannot {doing} the fact store {path}: the disk could not be written or read (the "
                            "disk may be full, over a size limit, or failing); nothing was changed")
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return StoreIOError(f"cannot open the fact store {path} (its folder may be missing or not writable)")
    if name == "SQLITE_INTERRUPT" or "interrupted" in text:
        return StoreInterrupted("the fact store operation was interrupted")
    if (name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or "malformed" in text or "not a database" in text
            or doing == "open"):
        return StoreCorrupt(f"{path} is not a readable Briefer database ({exc}); it was left as it is")
    if (isinstance(exc, sqlite3.ProgrammingError | sqlite3.InterfaceError) or name == "SQLITE_RANGE"
            or any(t in text for t in ("no such column", "syntax error", "no such function",
                                       "incorrect number of bindings", "ambiguous column"))):
        return BugError(f"a store query failed ({doing}, {path}): {exc}")
    return StoreError(f"cannot {doing} the fact store {path}: {exc}")


def cjk_runs(text: str) -> str:
    return " ".join(_CJK_RUN.findall(text))


@dataclass(frozen=True)
class SearchHit:
    fact: Fact
    #: the best matching passage, with matches between ``mark`` pairs
    snippet: str
    #: bm25 score (lower is better); None when the term was too common to rank fully
    score: float | None


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

    def sql(self, alias: str = "f") -> tuple[str, list[Any]]:
        where: list[str] = []
        args: list[Any] = []
        if self.section:
            where.append(f"{alias}.section = ?")
            args.append(self.section)
        if self.status:
            where.append(f"{alias}.status = ?")
            args.append(self.status)
        if self.source:
            where.append(f"EXISTS (SELECT 1 FROM citations c WHERE c.fact = {alias}.rowid AND c.source = ?)")
            args.append(self.source)
        if self.tag:
            where.append(f"EXISTS (SELECT 1 FROM fact_tags t WHERE t.fact = {alias}.rowid AND t.tag = ?)")
            args.append(self.tag)
        if self.as_of_from:
            where.append(f"{alias}.as_of >= ?")
            args.append(self.as_of_from.isoformat())
        if self.as_of_to:
            where.append(f"{alias}.as_of <= ?")
            args.append(self.as_of_to.isoformat())
        if self.min_priority:
            where.append(f"{alias}.priority >= ?")
            args.append(self.min_priority)
        if self.reliability:
            grades = sorted(set(self.reliability.upper()) & set("ABCDEF")) or ["-"]
            where.append(f"EXISTS (SELECT 1 FROM citations c JOIN sources s ON s.id = c.source WHERE c.fact ="
                         f" {alias}.rowid AND s.reliability IN ({','.join('?' * len(grades))}))")
            args.extend(grades)
        if self.min_credibility:
            where.append(f"EXISTS (SELECT 1 FROM citations c WHERE c.fact = {alias}.rowid"
                         " AND c.credibility IS NOT NULL AND c.credibility <= ?)")
            args.append(self.min_credibility)
        return (" AND ".join(where) or "1"), args


#: a term matching more facts than this is "common": a query holding one is
#: not ranked by bm25 (which costs about 1 µs per row matching each term),
#: and its newest matches come first instead.
RANK_CAP = 2000

_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str, *, prefix_last: bool = True) -> str | None:
    """Turn what a user typed into a safe FTS5 query: every word quoted (so
    ``"``, ``*``, ``-``, ``(``, ``:`` and FTS keywords are plain text), all
    words required, the last one also matching as a prefix."""
    words = [w for w in _TOKEN.findall(_CJK_RUN.sub(" ", text)) if w]
    if not words:
        return None
    parts = [f'"{w}"' for w in words]
    if prefix_last and not words[-1].isdigit():
        parts[-1] += "*"
    return " ".join(parts)


class Store:
    """An open fact store.  Use :func:`open_store` to get one."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._conn = conn
        #: facts read so far whose stored values no longer parse: fact id -> what is wrong, and the repair
        self.damaged: dict[str, str] = {}
        #: what happened when the store was opened (an interrupted restore completed …), one sentence each
        self.notices: list[str] = []

    # -- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

    def reopen(self) -> Store:
        """Another connection to the same store, for another thread (a sqlite3
        connection must not be used by two threads at once)."""
        try:
            conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the fact store {self.path}: {exc}") from None
        return Store(self.path, conn)

    def interrupt(self) -> None:
        """Abort the query running on this connection (from any thread): it raises StoreError."""
        self._conn.interrupt()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it.

        Inside an enclosing transaction it is a savepoint of that one, so a
        read-modify-write (read, decide, write) runs whole under one write lock."""
        if self._conn.in_transaction:
            with self._savepoint():
                yield self._conn
            return
        try:
            self._conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, "write to") from None
        try:
            yield self._conn
        except sqlite3.Error as exc:
            self._rollback()
            raise store_error(exc, self.path, "write to") from None
        except BaseException:
            self._rollback()
            raise
        else:
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as exc:
                self._rollback()
                raise store_error(exc, self.path, "save to") from None

    def _rollback(self) -> None:
        """Undo the open transaction.  SQLite may already have rolled it back itself (a full disk,
        an I/O error), and ROLLBACK can fail too: the first error is the one to report."""
        if self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self._conn.execute("ROLLBACK")

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        self._conn.execute("SAVEPOINT nested")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK TO nested")
            self._conn.execute("RELEASE nested")
            raise
        else:
            self._conn.execute("RELEASE nested")

    def _q(self, sql: str, args: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            return self._conn.execute(sql, tuple(args)).fetchall()
        except sqlite3.Error as exc:
            raise store_error(exc, self.path, "read") from None

    # -- sections, sources, glossary --------------------------------------

    def sections(self) -> list[Section]:
        rows = self._q("SELECT id, title, description, ord FROM sections ORDER BY ord, id")
        return [Section(id=r[0], title=r[1], description=r[2], order=r[3]) for r in rows]

    def section(self, section_id: str) -> Section:
        for s in self.sections():
            if s.id == section_id:
                return s
        raise NotFoundError(f"no section with id {section_id!r} (see 'briefer sections list')")

    def section_counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self._q("SELECT section, count(*) FROM facts GROUP BY section")}

    def sources(self, *, with_text: bool = False) -> list[Source]:
        cols = "id, title, label, outlet, author, published, date_note, kind, language, reliability, file, notes"
        rows = self._q(f"SELECT {cols}{', text' if with_text else ''} FROM sources ORDER BY id")
        return [self._source(r) for r in rows]

    def source(self, source_id: str) -> Source:
        rows = self._q(
            "SELECT id, title, label, outlet, author, published, date_note, kind, language, reliability,"
            " file, notes, text FROM sources WHERE id = ?",
            (source_id,),
        )
        if not rows:
            raise NotFoundError(f"no source with id {source_id!r} (see 'briefer sources list')")
        return self._source(rows[0])

    @staticmethod
    def _source(r: sqlite3.Row) -> Source:
        return Source(
            id=r[0], title=r[1], label=r[2], outlet=r[3], author=r[4],
            published=date.fromisoformat(r[5]) if r[5] else None, date_note=r[6], kind=r[7],
            language=r[8], reliability=r[9], file=r[10], notes=r[11], text=r[12] if len(r) > 12 else "",
        )

    def glossary(self) -> list[GlossaryEntry]:
        rows = self._q(
            "SELECT id, kind, name, aliases, japanese, japanese_from, description FROM glossary ORDER BY name"
        )
        return [
            GlossaryEntry(id=r[0], kind=r[1], name=r[2], aliases=json.loads(r[3]), japanese=r[4],
                          japanese_from=r[5], description=r[6])
            for r in rows
        ]

    # -- facts ---------------------------------------------------------------

    _FACT_COLS = ("f.rowid, f.id, f.section, f.statement, f.as_of, f.status, f.priority, f.notes,"
                  " f.superseded_by, f.tags, f.variance, f.headline")

    def _facts_from_rows(self, rows: list[sqlite3.Row]) -> list[Fact]:
        if not rows:
            return []
        rowids = [r[0] for r in rows]
        cites: dict[int, list[Citation]] = {rid: [] for rid in rowids}
        for chunk_start in range(0, len(rowids), 900):
            chunk = rowids[chunk_start : chunk_start + 900]
            for c in self._q(
                "SELECT fact, source, quote, location, claim, credibility FROM citations"
                f" WHERE fact IN ({','.join('?' * len(chunk))}) ORDER BY fact, pos",
                chunk,
            ):
                cites[c[0]].append(
                    Citation.model_construct(source=c[1], quote=c[2], location=c[3], claim=c[4], credibility=c[5])
                )
        out = []
        for r in rows:
            fact = self._fact_from_row(r, cites[r[0]])
            if fact is not None:
                out.append(fact)
        return out

    def _fact_from_row(self, r: sqlite3.Row, cites: list[Citation]) -> Fact | None:
        """The fact of one row.  A stored value that no longer parses (edited by hand, damaged) is noted
        in :attr:`damaged` with a repair hint: tags that are not a JSON list read as none; a fact whose
        date, status or priority cannot be read is left out, so the rest of a list still shows."""
        fid = str(r[1])
        tags: list[str] = []
        try:
            raw_tags = json.loads(r[9]) if r[9] else []
            if not isinstance(raw_tags, list) or not all(isinstance(t, str) for t in raw_tags):
                raise ValueError("not a list of text")
            tags = raw_tags
        except (ValueError, TypeError, RecursionError):
            self.damaged[fid] = (f"fact {fid!r} has stored tags that cannot be read ({_shown(r[9])}); they are "
                                 f"shown as none. Repair: briefer facts tag {fid} --add KIND:VALUE")
        try:
            as_of = date.fromisoformat(r[4])
        except (ValueError, TypeError):
            self.damaged[fid] = (f"fact {fid!r} has a stored date that is not a date ({_shown(r[4])}), so it is "
                                 f"left out. Repair: briefer facts edit {fid} --as-of YYYY-MM-DD")
            return None
        try:
            status = FactStatus(r[5])
            if not isinstance(r[6], int) or isinstance(r[6], bool):
                raise ValueError(r[6])
        except ValueError:
            self.damaged[fid] = (f"fact {fid!r} has a stored status or priority that cannot be read "
                                 f"({_shown(r[5])}, {_shown(r[6])}), so it is left out. Repair: restore an earlier "
                                 f"version (briefer facts history {fid}) or restore the store from a backup")
            return None
        try:
            variance = Variance(r[10]) if r[10] else None
        except ValueError:
            self.damaged[fid] = (f"fact {fid!r} has a stored kind of variance that cannot be read "
                                 f"({_shown(r[10])}); it is shown as none. Repair: restore an earlier version "
                                 f"(briefer facts history {fid})")
            variance = None
        return Fact.model_construct(
            id=fid, section=r[2], statement=r[3], as_of=as_of, status=status,
            priority=r[6], notes=r[7], superseded_by=r[8], tags=tags, citations=cites,
            variance=variance, headline=r[11],
        )

    def facts(self, flt: FactFilter | None = None, *, order: str = "section", limit: int | None = None) -> list[Fact]:
        """Facts matching ``flt``, by section order then priority (``order="section"``),
        or by ``as_of`` newest first (``order="date"``), or by priority (``order="priority"``);
        at most ``limit`` of them when given."""
        where, args = (flt or FactFilter()).sql()
        order_sql = {
            "section": "s.ord, f.priority DESC, f.as_of DESC, f.id",
            "priority": "f.priority DESC, f.as_of DESC, f.id",
            "date": "f.as_of DESC, f.priority DESC, f.id",
        }[order]
        rows = self._q(
            f"SELECT {self._FACT_COLS} FROM facts f JOIN sections s ON s.id = f.section"
            f" WHERE {where} ORDER BY {order_sql}" + (" LIMIT ?" if limit is not None else ""),
            [*args, limit] if limit is not None else args,
        )
        return self._facts_from_rows(rows)

    def count(self, flt: FactFilter | None = None) -> int:
        """How many facts match ``flt``."""
        where, args = (flt or FactFilter()).sql()
        return int(self._q(f"SELECT count(*) FROM facts f WHERE {where}", args)[0][0])

    def fact(self, fact_id: str) -> Fact:
        rows = self._q(f"SELECT {self._FACT_COLS} FROM facts f WHERE f.id = ?", (fact_id,))
        if not rows:
            raise NotFoundError(f"no fact with id {fact_id!r} (see 'briefer facts list')")
        found = self._facts_from_rows(rows)
        if not found:
            raise DamagedFact(self.damaged.pop(str(rows[0][1])), fact_id)
        return found[0]

    def repair_fact_date(self, fact_id: str, as_of: date) -> None:
        """Store a readable date on a fact whose stored date no longer parses (see :class:`DamagedFact`)."""
        with self.transaction() as conn:
            row = conn.execute("SELECT as_of FROM facts WHERE id = ?", (fact_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no fact with id {fact_id!r} (see 'briefer facts list')")
            conn.execute("UPDATE facts SET as_of = ? WHERE id = ?", (as_of.isoformat(), fact_id))
            # the edit that follows records the change in the fact's history
        self.damaged.pop(fact_id, None)

    def facts_by_ids(self, ids: list[str]) -> dict[str, Fact]:
        """The facts that exist among ``ids`` (missing ones are simply absent)."""
        out: dict[str, Fact] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            rows = self._q(
                f"SELECT {self._FACT_COLS} FROM facts f WHERE f.id IN ({','.join('?' * len(chunk))})", chunk
            )
            out.update({f.id: f for f in self._facts_from_rows(rows)})
        return out

    def fact_count(self) -> int:
        return int(self._q("SELECT count(*) FROM facts")[0][0])

    def tags(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self._q("SELECT tag, count(*) FROM fact_tags GROUP BY tag ORDER BY tag")]

    # -- writing -------------------------------------------------------------

    def _source_titles(self, conn: sqlite3.Connection, ids: Iterable[str]) -> str:
        titles = []
        for sid in ids:
            row = conn.execute("SELECT coalesce(title, label), coalesce(outlet, ''), coalesce(author, '')"
                               " FROM sources WHERE id = ?", (sid,)).fetchone()
            if row:
                titles.append(" ".join(x for x in row if x))
        return " ; ".join(titles)

    def _write_fact(self, conn: sqlite3.Connection, fact: Fact, rowid: int | None = None) -> int:
        if conn.execute("SELECT 1 FROM sections WHERE id = ?", (fact.section,)).fetchone() is None:
            raise NotFoundError(f"no section with id {fact.section!r}")
        for c in fact.citations:
            if conn.execute("SELECT 1 FROM sources WHERE id = ?", (c.source,)).fetchone() is None:
                raise NotFoundError(f"fact {fact.id!r} cites unknown source {c.source!r}")
        vals = (fact.id, fact.section, fact.statement, fact.as_of.isoformat(), str(fact.status), fact.priority,
                fact.notes, fact.superseded_by, json.dumps(fact.tags, ensure_ascii=False),
                fact.variance.value if fact.variance else None, fact.headline)
        old_words: set[str] = set()
        if rowid is None:
            cur = conn.execute(
                "INSERT INTO facts (id, section, statement, as_of, status, priority, notes, superseded_by, tags,"
                " variance, headline) VALUES (?,?,?,?,?,?,?,?,?,?,?)", vals)
            rowid = int(cur.lastrowid or 0)
        else:
            conn.execute(
                "UPDATE facts SET id=?, section=?, statement=?, as_of=?, status=?, priority=?, notes=?,"
                " superseded_by=?, tags=?, variance=?, headline=? WHERE rowid=?", (*vals, rowid))
            conn.execute("DELETE FROM citations WHERE fact = ?", (rowid,))
            conn.execute("DELETE FROM fact_tags WHERE fact = ?", (rowid,))
            old_words = self._indexed_words(conn, rowid)
            conn.execute("DELETE FROM fact_fts WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM fact_cjk WHERE rowid = ?", (rowid,))
        conn.executemany(
            "INSERT INTO citations (fact, pos, source, quote, location, claim, credibility) VALUES (?,?,?,?,?,?,?)",
            [(rowid, i, c.source, c.quote, c.location, c.claim, c.credibility) for i, c in enumerate(fact.citations)],
        )
        conn.executemany("INSERT INTO fact_tags (fact, tag) VALUES (?, ?)", [(rowid, t) for t in fact.tags])
        quotes = "\n".join(c.quote for c in fact.citations)
        tags = " ; ".join(t.split(":", 1)[1] for t in fact.tags)
        titles = self._source_titles(conn, fact.source_ids)
        conn.execute(
            "INSERT INTO fact_fts (rowid, statement, quotes, tags, sources) VALUES (?,?,?,?,?)",
            (rowid, fact.statement, quotes, tags, titles),
        )
        new_words = words.words_of(" ".join((fact.statement, quotes, tags, titles)))
        words.apply_delta(conn, old_words - new_words, new_words - old_words)
        cjk = cjk_runs(" ".join((fact.statement, quotes, tags)))
        if cjk:
            conn.execute("INSERT INTO fact_cjk (rowid, cjk) VALUES (?, ?)", (rowid, cjk))
        return rowid

    def _history(self, conn: sqlite3.Connection, fact_id: str, action: str,
                 before: Fact | None, after: Fact | None, analyst: str) -> None:
        conn.execute(
            "INSERT INTO fact_history (fact_id, changed_at, analyst, action, before, after) VALUES (?,?,?,?,?,?)",
            (fact_id, datetime.now(UTC).isoformat(timespec="seconds"), analyst, action,
             before.model_dump_json() if before else None, after.model_dump_json() if after else None),
        )

    def add_fact(self, fact: Fact, *, analyst: str = "") -> None:
        fact = Fact.model_validate(fact.model_dump())
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM facts WHERE id = ?", (fact.id,)).fetchone():
                raise StoreError(f"a fact with id {fact.id!r} already exists")
            self._write_fact(conn, fact)
            self._history(conn, fact.id, "add", None, fact, analyst)

    def update_fact(self, fact_id: str, fact: Fact, *, analyst: str = "") -> None:
        """Replace fact ``fact_id`` with ``fact`` (which may carry a new id)."""
        fact = Fact.model_validate(fact.model_dump())
        with self.transaction() as conn:
            before = self.fact(fact_id)  # read under the write lock: the true "before"
            rowid = conn.execute("SELECT rowid FROM facts WHERE id = ?", (fact_id,)).fetchone()[0]
            if fact.id != fact_id and conn.execute("SELECT 1 FROM facts WHERE id = ?", (fact.id,)).fetchone():
                raise StoreError(f"a fact with id {fact.id!r} already exists")
            self._write_fact(conn, fact, rowid)
            self._history(conn, fact.id, "edit", before, fact, analyst)

    def delete_fact(self, fact_id: str, *, analyst: str = "") -> None:
        with self.transaction() as conn:
            before = self.fact(fact_id)
            rowid = conn.execute("SELECT rowid FROM facts WHERE id = ?", (fact_id,)).fetchone()[0]
            words.apply_delta(conn, self._indexed_words(conn, rowid), ())
            conn.execute("DELETE FROM fact_fts WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM fact_cjk WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM facts WHERE rowid = ?", (rowid,))
            self._history(conn, fact_id, "delete", before, None, analyst)

    def history(self, fact_id: str) -> list[dict[str, Any]]:
        rows = self._q("SELECT id, changed_at, analyst, action, before, after FROM fact_history"
                       " WHERE fact_id = ? ORDER BY id", (fact_id,))
        return [
            {"version": r[0], "changed_at": r[1], "analyst": r[2], "action": r[3],
             "before": json.loads(r[4]) if r[4] else None, "after": json.loads(r[5]) if r[5] else None}
            for r in rows
        ]

    def add_source(self, source: Source, conn: sqlite3.Connection | None = None) -> None:
        def write(c: sqlite3.Connection) -> None:
            c.execute(
                "INSERT INTO sources (id, title, label, outlet, author, published, date_note, kind, language,"
                " reliability, file, notes, text, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (source.id, source.title, source.label, source.outlet, source.author,
                 source.published.isoformat() if source.published else None, source.date_note, str(source.kind),
                 source.language, source.reliability, source.file, source.notes, source.text,
                 hashlib.sha256(source.text.encode("utf-8")).hexdigest()),
            )
        if conn is not None:
            write(conn)
        else:
            with self.transaction() as c:
                write(c)

    def load_pack(self, sections: list[Section], sources: list[Source], facts: list[Fact],
                  glossary: list[GlossaryEntry]) -> None:
        """Fill an empty store in one transaction."""
        with self.transaction() as conn:
            conn.executemany("INSERT INTO sections (id, title, description, ord) VALUES (?,?,?,?)",
                             [(s.id, s.title, s.description, s.order) for s in sections])
            for src in sources:
                self.add_source(src, conn)
            for g in glossary:
                conn.execute(
                    "INSERT INTO glossary (id, kind, name, aliases, japanese, japanese_from, description)"
                    " VALUES (?,?,?,?,?,?,?)",
                    (g.id, g.kind, g.name, json.dumps(g.aliases, ensure_ascii=False), g.japanese,
                     g.japanese_from, g.description))
            for f in facts:
                self._write_fact(conn, f)

    # -- search ----------------------------------------------------------------

    def search(self, text: str, flt: FactFilter | None = None, *, limit: int = 20,
               mark: tuple[str, str] = ("[", "]")) -> list[SearchHit]:
        """Facts matching ``text`` best first, with a snippet.  Japanese runs of
        three or more characters are matched as substrings."""
        where, args = (flt or FactFilter()).sql()
        hits: dict[str, SearchHit] = {}
        q = fts_query(text)
        if q:
            for fact, snip, score in self._fts_search(q, where, args, limit, mark):
                hits[fact.id] = SearchHit(fact, snip, score)
        for fact, snip in self._cjk_search(text, where, args, limit, mark):
            if fact.id not in hits:
                hits[fact.id] = SearchHit(fact, snip, None)
        if q and _CJK_RUN.search(text):
            # both a Latin and a Japanese part: keep facts that match both
            latin = {f.id for f, _, _ in self._fts_search(q, where, args, RANK_CAP, mark)}
            cjk = {f.id for f, _ in self._cjk_search(text, where, args, RANK_CAP, mark)}
            hits = {k: v for k, v in hits.items() if k in latin and k in cjk}
        return list(hits.values())[:limit]

    @staticmethod
    def _indexed_words(conn: sqlite3.Connection, rowid: int) -> set[str]:
        row = conn.execute("SELECT statement, quotes, tags, sources FROM fact_fts WHERE rowid = ?",
                           (rowid,)).fetchone()
        return words.words_of(" ".join(row)) if row else set()

    def _query_units(self, q: str) -> list[str]:
        """The AND-ed units of query ``q``, a trailing prefix term that FTS5
        has no prefix index for (1 character, or 4 and more) replaced by an OR
        of the words it stands for."""
        units = q.split(" ")
        word = units[-1][1:-2] if units[-1].endswith("*") else ""
        if word and not 2 <= len(word) <= 3:  # prefix='2 3' indexes those
            expansion = words.expand(self._conn, word)
            if expansion:
                units[-1] = "(" + " OR ".join(f'"{w}"' for w in expansion) + ")"
        return units

    def _common_term(self, term: str) -> bool:
        """Whether one quoted FTS term matches more than RANK_CAP facts.  Reads
        at most RANK_CAP + 1 doclist entries, so it costs well under a millisecond."""
        n = self._conn.execute(
            "SELECT count(*) FROM (SELECT rowid FROM fact_fts WHERE fact_fts MATCH ? LIMIT ?)", (term, RANK_CAP + 1)
        ).fetchone()[0]
        return bool(n > RANK_CAP)

    def _fts_search(self, q: str, where: str, args: list[Any], limit: int,
                    mark: tuple[str, str]) -> list[tuple[Fact, str, float | None]]:
        """Ranked by bm25 when every term is rarer than RANK_CAP facts.  bm25
        counts every row matching each term to weigh it (about 1 µs a row), so
        a query with a very common term is not ranked: its newest matches come
        first, which FTS5 reads straight off the end of the index."""
        base = f"FROM fact_fts JOIN facts f ON f.rowid = fact_fts.rowid WHERE fact_fts MATCH ? AND {where}"
        snippet = "snippet(fact_fts, -1, ?, ?, '\u2026', 16)"
        try:
            units = self._query_units(q)
            q = " AND ".join(units)
            if any(self._common_term(unit) for unit in units):
                rows = self._conn.execute(
                    f"SELECT fact_fts.rowid, {snippet}, NULL {base} ORDER BY fact_fts.rowid DESC LIMIT ?",
                    (mark[0], mark[1], q, *args, limit),
                ).fetchall()
            else:
                rows = self._conn.execute(
                    f"SELECT fact_fts.rowid, {snippet}, bm25(fact_fts, 4.0, 2.0, 1.0, 1.0) {base}"
                    " ORDER BY bm25(fact_fts, 4.0, 2.0, 1.0, 1.0) LIMIT ?",
                    (mark[0], mark[1], q, *args, limit),
                ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"search failed: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the fact store {self.path} cannot be read: {exc}") from exc
        return self._hydrate(rows)

    def _cjk_search(self, text: str, where: str, args: list[Any], limit: int,
                    mark: tuple[str, str]) -> list[tuple[Fact, str]]:
        runs = _CJK_RUN.findall(text)
        if not runs:
            return []
        long_runs = [r for r in runs if len(r) >= 3]
        short_runs = [r for r in runs if len(r) < 3]
        cond, cargs = [], []
        if long_runs:
            cond.append("fact_cjk MATCH ?")
            cargs.append(" ".join('"' + r.replace('"', '""') + '"' for r in long_runs))
        for r in short_runs:  # the trigram index cannot match 1-2 characters: scan the (small) CJK table
            cond.append("fact_cjk.cjk LIKE ? ESCAPE '\\'")
            cargs.append("%" + r.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        rows = self._q(
            f"SELECT fact_cjk.rowid, '', NULL FROM fact_cjk JOIN facts f ON f.rowid = fact_cjk.rowid"
            f" WHERE {' AND '.join(cond)} AND {where} ORDER BY f.priority DESC LIMIT ?",
            (*cargs, *args, limit),
        )
        out = []
        for fact, _, _ in self._hydrate(rows):
            snip = fact.statement
            for r in runs:
                snip = snip.replace(r, f"{mark[0]}{r}{mark[1]}")
            out.append((fact, snip))
        return out

    def _hydrate(self, rows: list[Any]) -> list[tuple[Fact, str, float | None]]:
        """Facts for (rowid, snippet, score) rows, in the rows' order."""
        if not rows:
            return []
        fact_rows = self._q(f"SELECT {self._FACT_COLS} FROM facts f WHERE f.rowid IN ({','.join('?' * len(rows))})",
                            [r[0] for r in rows])
        by_rowid = dict(zip([r[0] for r in fact_rows], self._facts_from_rows(fact_rows), strict=True))
        return [(by_rowid[r[0]], r[1], r[2]) for r in rows if r[0] in by_rowid]


# -- opening ---------------------------------------------------------------------


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder, not a Briefer database file") from None
    except PermissionError:
        raise StoreError(f"cannot read the fact store {path}: permission denied") from None
    except OSError as exc:
        raise StoreError(f"cannot read the fact store {path}: {exc.strerror or exc}") from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path} is not a Briefer database (the file is damaged or of another kind); "
                         "it was left as it is")


_RECOVER_HINT = ("restore a backup ('briefer restore --force FILE') or start afresh with "
                 "'briefer store reset --confirm'")


class SeedPack(Protocol):
    """What a new store is filled with (:class:`briefer.ingest.factpack.FactPack` is one)."""

    @property
    def sections(self) -> list[Section]: ...
    @property
    def sources(self) -> list[Source]: ...
    @property
    def facts(self) -> list[Fact]: ...
    @property
    def glossary(self) -> list[GlossaryEntry]: ...


#: reads the pack a new store is seeded with; the store never reads the pack itself (the loader,
#: with its checks, belongs to ingest: ``briefer.ingest.factpack.open_store`` passes it)
PackLoader = Callable[[], SeedPack]


def open_store(data_dir: Path, *, create: bool = True, seed: PackLoader | Literal[False] | None = None,
               fresh: bool = False) -> Store:
    """Open (and if needed create, migrate and seed) the store in ``data_dir``.

    ``seed`` fills a new store: the pack loader, or False for an empty store.  Left out, a
    store that needs seeding is refused (TypeError): nothing creates an empty store by accident.

    A store is created (and seeded) only in a data folder that is truly new:
    an empty (0-byte) store file, or a missing one beside templates, backups or
    an interrupted restore, is reported, never silently replaced (``fresh``:
    the user asked for a new store, see ``briefer store reset``)."""
    data_dir = Path(data_dir)
    if data_dir.exists() and not data_dir.is_dir():
        raise StoreError(f"the data folder {data_dir} is a file, not a folder")
    path = data_dir / DB_NAME
    protect_store(path)  # no export, backup or template may be written over it
    notices: list[str] = []
    if data_dir.is_dir():
        from briefer.fileio import track_temporaries
        from briefer.store.housekeeping import on_start

        track_temporaries(data_dir)
        notices = on_start(data_dir)
    existed = path.exists() or path.is_symlink()
    if existed:
        _check_header(path)
        if path.is_file() and path.stat().st_size == 0:
            raise StoreError(f"the fact store {path} is empty (0 bytes): its data is gone, perhaps after a full "
                             f"disk or an interrupted copy. It was left as it is: {_RECOVER_HINT}")
    elif not create:
        raise StoreError(f"there is no fact store in {data_dir}")
    else:
        from briefer.store.housekeeping import signs_of_data

        signs = [] if fresh else signs_of_data(data_dir)
        if signs:
            raise StoreError(f"the fact store {path} is missing, but the data folder still holds "
                             f"{', '.join(signs)}; no new store was created, so nothing is hidden: {_RECOVER_HINT}")
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {data_dir}: {exc.strerror or exc}") from None
        _create(path, seed=_loader(seed))
    try:
        conn = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the fact store {path}: {exc}") from None
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > LATEST:
            raise SchemaTooNewError(
                f"the fact store {path} was written by a newer Briefer (schema {version}, this version knows "
                f"up to {LATEST}); update Briefer to open it. The file was left as it is."
            )
        if version > 0:
            ok = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
            if ok != "ok":
                raise StoreError(f"the fact store {path} is damaged ({ok}); it was left as it is. "
                                 "Restore it from a backup ('briefer restore').")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        if version < LATEST:
            _migrate(conn, path, version, True)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise store_error(exc, path, "open") from None
    except BaseException:
        conn.close()
        raise
    store = Store(path, conn)
    store.notices = notices
    if seed is not False and store.fact_count() == 0 and not store.sections() and _never_used(store):
        # a store created (schema only) by a run killed before it was seeded: it holds nothing
        try:
            _seed(store, _loader(seed))
        except BaseException:
            store.close()
            raise
    return store


def _loader(seed: PackLoader | Literal[False] | None) -> PackLoader | None:
    if seed is None:
        raise TypeError("open_store() must be told how to seed a new store: seed=<pack loader> "
                        "(briefer.ingest.factpack.open_store passes the fact pack) or seed=False")
    return seed or None


def _never_used(store: Store) -> bool:
    return not store._q("SELECT 1 FROM fact_history LIMIT 1") and not store._q("SELECT 1 FROM editions LIMIT 1")


def _seed(store: Store, loader: PackLoader | None) -> None:
    if loader is None:
        return
    pack = loader()
    store.load_pack(pack.sections, pack.sources, pack.facts, pack.glossary)


def _create(path: Path, *, seed: PackLoader | None) -> None:
    """Create the store at ``path`` whole: built (schema, seed pack) in a temporary
    file beside it, then linked into place, so a kill never leaves a half-made store."""
    import os

    tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.creating")
    try:
        try:
            conn = sqlite3.connect(tmp, timeout=5.0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot create the fact store {path}: {exc}") from None
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            _migrate(conn, tmp, 0, False)
            _seed(Store(tmp, conn), seed)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot create the fact store {path}: {exc}") from None
        finally:
            conn.close()
        from briefer import faults

        faults.step("store-created")
        try:
            os.link(tmp, path)  # fails if another Briefer created it meanwhile: then that one is used
        except FileExistsError:
            pass
        except OSError:
            if not path.exists():
                os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(f"cannot create the fact store {path}: {exc.strerror or exc}") from None
    finally:
        for p in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(OSError):
                p.unlink()


def backup_path(path: Path, version: int) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.name}.v{version}-{stamp}.bak")


def _migrate(conn: sqlite3.Connection, path: Path, version: int, existed: bool) -> None:
    if existed and version > 0:
        # a consistent copy, even with a WAL, via SQLite's backup API
        dest = backup_path(path, version)
        try:
            bconn = sqlite3.connect(dest)
            try:
                conn.backup(bconn)
                complete = bconn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"
            finally:
                bconn.close()
            from briefer import faults

            faults.step("migration-backup")
            complete = complete and dest.stat().st_size > 0
            why = "it came out incomplete"
        except (sqlite3.Error, OSError) as exc:
            complete, why = False, str(exc)
        if not complete:
            # a half-written copy (0 bytes on a full disk) is worse than none: it looks like a backup
            for p in (dest, dest.with_name(dest.name + "-journal")):
                with contextlib.suppress(OSError):
                    p.unlink()
            raise StoreError(f"the fact store {path} needs an upgrade, but the copy kept before upgrading could "
                             f"not be written ({why}; is the disk full?). It was not upgraded and was left as it is")
    for step in range(version + 1, LATEST + 1):
        script = MIGRATIONS[step]
        try:
            conn.execute("BEGIN IMMEDIATE")
            for stmt in _statements(script):
                conn.execute(stmt)
            if step in AFTER:
                AFTER[step](conn)
            conn.execute(f"PRAGMA user_version = {step}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:  # SQLite may have rolled back already; a failing ROLLBACK hides nothing
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise StoreError(f"could not upgrade the fact store {path} to schema {step}: {exc}; "
                             "it was left at the previous version") from None


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our literals)."""
    lines = [ln for ln in script.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
