"""The SQLite connection under a :class:`briefer.store.sqlite.Store`: its lifecycle,
transactions and savepoints, reads, the one place sqlite3 errors become sentences,
and the mapping of a fact to its rows, both ways (read by column name).  The facts
table holds every field of the model (:data:`FACT_FIELDS`): a new fact field needs the
model and a migration, nothing here."""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from enum import Enum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from briefer.errors import (
    BugError,
    DiskFull,
    NotFoundError,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreInterrupted,
    StoreIOError,
    StoreLocked,
    StoreReadOnly,
)
from briefer.model.kinds import FactStatus, Variance
from briefer.store import words
from briefer.store.words import cjk_runs

if TYPE_CHECKING:
    from pydantic import TypeAdapter

    from briefer.model import Citation, Fact


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


#: the columns of the facts table: every field of a Fact but its citations (a table of their own).
#: A new field of the model is stored, read back, kept in the history and backed up as soon as a
#: migration adds its column (briefer/store/migrations.py).  Read from the model when first needed
#: (:func:`fact_fields`), so opening a store and listing the library (light rows) import no pydantic.
if TYPE_CHECKING:
    FACT_FIELDS: tuple[str, ...]
#: the fields read by hand below, fast and forgiving (a damaged value is reported, not raised)
_BY_HAND = frozenset({"id", "section", "statement", "as_of", "status", "priority", "notes", "superseded_by", "tags",
                      "variance", "headline"})


_SCAN = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # the scanner json.loads itself runs
#: a stored status's member by its text (the enum's own lookup is ~0.5 us a fact, in every list and search)
_STATUSES = {s.value: s for s in FactStatus}


def json_value(text: Any) -> Any:
    """``json.loads(text)`` (the same value, the same errors) about twice as fast for the short JSON read with
    every listed or found fact (its tags; a team search row's citations): the decoder's own scanner, when the
    text is one value with nothing around it, as the store writes it; else json.loads itself."""
    try:
        value, end = _SCAN(text, 0)
    except Exception:  # noqa: BLE001 -- json.loads says what is wrong, as before
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def stored_status(value: Any) -> FactStatus:
    """``FactStatus(value)``: the member for a stored status, ValueError for any other value."""
    found = _STATUSES.get(value) if type(value) is str else None
    return found if found is not None else FactStatus(value)


@cache
def fact_fields() -> tuple[str, ...]:
    """:data:`FACT_FIELDS`."""
    from briefer.model import Fact

    return tuple(name for name in Fact.model_fields if name != "citations")


@cache
def _validated() -> dict[str, TypeAdapter[Any]]:
    """Any field not read by hand, validated against its type in the model as it is read."""
    from pydantic import TypeAdapter

    from briefer.model import Fact

    return {name: TypeAdapter(Fact.model_fields[name].annotation or Any) for name in fact_fields()
            if name not in _BY_HAND}


@cache
def _insert_fact() -> str:
    return f"INSERT INTO facts ({', '.join(fact_fields())}) VALUES ({', '.join('?' * len(fact_fields()))})"


@cache
def _update_fact() -> str:
    """Every write of a fact's row increments its version (not a field of the model: the store keeps it)."""
    return (f"UPDATE facts SET {', '.join(f'{name}=?' for name in fact_fields())}, version = version + 1"
            " WHERE rowid=?")


@cache
def _fact_cols() -> str:
    """The columns a fact is read from (``f``: the facts table)."""
    return "f.rowid, " + ", ".join(f"f.{name}" for name in fact_fields())


def __getattr__(name: str) -> Any:
    if name == "FACT_FIELDS":
        return fact_fields()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


INSERT_FTS = "INSERT INTO fact_fts (rowid, statement, quotes, tags, sources) VALUES (?,?,?,?,?)"
INSERT_CJK = "INSERT INTO fact_cjk (rowid, cjk) VALUES (?, ?)"


def index_row(rowid: int, statement: str, quotes: list[str], tags: list[str],
              titles: str) -> tuple[int, str, str, str, str, str]:
    """What the full-text indexes hold for one fact: (rowid, statement, quotes, tags, source titles, CJK runs).
    The one place this is decided: a fact written and a library copied in are indexed alike."""
    quote_text = "\n".join(quotes)
    tag_text = " ; ".join(t.split(":", 1)[1] if ":" in t else t for t in tags)
    return (rowid, statement, quote_text, tag_text, titles, cjk_runs(" ".join((statement, quote_text, tag_text))))


def source_title(title: str, outlet: str, author: str) -> str:
    """A source as the full-text index names it (title or label, outlet, author)."""
    return " ".join(x for x in (title, outlet, author) if x)


def _column_value(value: object) -> object:
    """A field's value as its column holds it: dates in ISO form, enumerations by value, lists as JSON."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "model_dump_json"):  # a model (pydantic is loaded: a fact is being written)
        return value.model_dump_json()
    return value


class StoreBase:
    """An open SQLite connection to a fact store."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.location = str(path)
        conn.row_factory = sqlite3.Row  # rows are read by column name
        self._conn = conn
        #: facts read so far whose stored values no longer parse: fact id -> what is wrong, and the repair
        self.damaged: dict[str, str] = {}
        #: what happened when the store was opened (an interrupted restore completed …), one sentence each
        self.notices: list[str] = []

    # -- lifecycle ---------------------------------------------------------

    def close(self) -> None:
        self._conn.close()

    def reopen(self) -> Self:
        """Another connection to the same store, for another thread (a sqlite3
        connection must not be used by two threads at once)."""
        try:
            conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys=ON")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the fact store {self.path}: {exc}") from None
        return type(self)(self.path, conn)

    def interrupt(self) -> None:
        """Abort the query running on this connection (from any thread): it raises StoreError."""
        self._conn.interrupt()

    def set_write_wait(self, seconds: float) -> None:
        """SQLite's busy timeout: a write queued behind another Briefer's waits this long before
        "in use" (5 s from the connection; the CLI waits longer, so commands a script runs at once
        queue rather than fail)."""
        self._conn.execute(f"PRAGMA busy_timeout = {max(0, int(seconds * 1000))}")

    def __enter__(self) -> Self:
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

    @contextmanager
    def _one_statement(self) -> Iterator[sqlite3.Connection]:
        """The connection for a write of one statement: a transaction of its own, or, inside the
        caller's, no savepoint (SQLite undoes a failed statement by itself, and the caller's
        transaction decides the rest)."""
        if self._conn.in_transaction:
            yield self._conn
            return
        with self.transaction() as conn:
            yield conn

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
            # A full disk (or an I/O error) makes SQLite roll the whole transaction back by itself:
            # the savepoint is gone with it, and "no such savepoint" must not replace the real error.
            if self._conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
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

    @property
    def _FACT_COLS(self) -> str:  # noqa: N802 - a constant, read from the model when first needed
        return _fact_cols()

    def _facts_from_rows(self, rows: list[sqlite3.Row]) -> list[Fact]:
        if not rows:
            return []
        from briefer.model import Citation
        rowids = [r["rowid"] for r in rows]
        cites: dict[int, list[Citation]] = {rid: [] for rid in rowids}
        for chunk_start in range(0, len(rowids), 900):
            chunk = rowids[chunk_start : chunk_start + 900]
            for c in self._q(
                "SELECT fact, source, quote, location, claim, credibility FROM citations"
                f" WHERE fact IN ({','.join('?' * len(chunk))}) ORDER BY fact, pos",
                chunk,
            ):
                cites[c["fact"]].append(
                    Citation.model_construct(source=c["source"], quote=c["quote"], location=c["location"],
                                             claim=c["claim"], credibility=c["credibility"])
                )
        out = []
        for r in rows:
            fact = self._fact_from_row(r, cites[r["rowid"]])
            if fact is not None:
                out.append(fact)
        return out

    def _readable(self, r: Any) -> tuple[str, list[str], date, FactStatus] | None:
        """The id, tags, date and status of a fact's row as :meth:`_fact_from_row` reads them (the
        library's light rows too, so both list the same facts); None for a fact left out, noted in
        :attr:`damaged`."""
        fid = str(r["id"])
        tags: list[str] = []
        try:
            raw_tags = json_value(r["tags"]) if r["tags"] else []
            if not isinstance(raw_tags, list) or not all(isinstance(t, str) for t in raw_tags):
                raise ValueError("not a list of text")
            tags = raw_tags
        except (ValueError, TypeError, RecursionError):
            self.damaged[fid] = (f"fact {fid!r} has stored tags that cannot be read ({_shown(r['tags'])}); "
                                 f"they are shown as none. Repair: briefer facts tag {fid} --add KIND:VALUE")
        try:
            as_of = date.fromisoformat(r["as_of"])
        except (ValueError, TypeError):
            self.damaged[fid] = (f"fact {fid!r} has a stored date that is not a date ({_shown(r['as_of'])}), "
                                 f"so it is left out. Repair: briefer facts edit {fid} --as-of YYYY-MM-DD")
            return None
        try:
            status = stored_status(r["status"])
            if not isinstance(r["priority"], int) or isinstance(r["priority"], bool):
                raise ValueError(r["priority"])
        except ValueError:
            self.damaged[fid] = (f"fact {fid!r} has a stored status or priority that cannot be read "
                                 f"({_shown(r['status'])}, {_shown(r['priority'])}), so it is left out. "
                                 f"Repair: restore an earlier version (briefer facts history {fid}) or restore "
                                 "the store from a backup")
            return None
        return fid, tags, as_of, status

    def _fact_from_row(self, r: sqlite3.Row, cites: list[Citation]) -> Fact | None:
        """The fact of one row.  A stored value that no longer parses (edited by hand, damaged) is noted
        in :attr:`damaged` with a repair hint: tags that are not a JSON list read as none; a fact whose
        date, status or priority cannot be read is left out, so the rest of a list still shows."""
        read = self._readable(r)
        if read is None:
            return None
        fid, tags, as_of, status = read
        try:
            variance = Variance(r["variance"]) if r["variance"] else None
        except ValueError:
            self.damaged[fid] = (f"fact {fid!r} has a stored kind of variance that cannot be read "
                                 f"({_shown(r['variance'])}); it is shown as none. Repair: restore an earlier "
                                 f"version (briefer facts history {fid})")
            variance = None
        from briefer.model import Fact

        return Fact.model_construct(
            id=fid, section=r["section"], statement=r["statement"], as_of=as_of, status=status,
            priority=r["priority"], notes=r["notes"], superseded_by=r["superseded_by"], tags=tags, citations=cites,
            variance=variance, headline=r["headline"],
            **{name: self._read_field(fid, name, r[name]) for name in _validated()},
        )

    def _read_field(self, fid: str, name: str, value: Any) -> Any:
        """A field of the model that this module does not read by hand, validated; a stored value
        that does not parse is noted in :attr:`damaged` and read as the field's default."""
        if value is None:
            return None
        from pydantic import ValidationError

        from briefer.model import Fact

        adapter = _validated()[name]
        try:
            return adapter.validate_python(value)
        except ValidationError:
            pass
        try:
            return adapter.validate_json(value) if isinstance(value, str | bytes) else adapter.validate_python(value)
        except ValidationError:
            self.damaged[fid] = (f"fact {fid!r} has a stored {name} that cannot be read ({_shown(value)}); it is "
                                 f"shown as the default. Repair: briefer facts history {fid}")
            return Fact.model_fields[name].get_default(call_default_factory=True)

    # -- writing a fact's rows -------------------------------------------------

    def _source_titles(self, conn: sqlite3.Connection, ids: Iterable[str]) -> str:
        titles = []
        for sid in ids:
            row = conn.execute("SELECT coalesce(title, label) AS title, coalesce(outlet, '') AS outlet,"
                               " coalesce(author, '') AS author FROM sources WHERE id = ?", (sid,)).fetchone()
            if row:
                titles.append(source_title(row["title"], row["outlet"], row["author"]))
        return " ; ".join(titles)

    def _write_fact(self, conn: sqlite3.Connection, fact: Fact, rowid: int | None = None) -> int:
        if conn.execute("SELECT 1 FROM sections WHERE id = ?", (fact.section,)).fetchone() is None:
            raise NotFoundError(f"no section with id {fact.section!r}")
        for c in fact.citations:
            if conn.execute("SELECT 1 FROM sources WHERE id = ?", (c.source,)).fetchone() is None:
                raise NotFoundError(f"fact {fact.id!r} cites unknown source {c.source!r}")
        vals = tuple(_column_value(getattr(fact, name)) for name in fact_fields())
        old_words: set[str] = set()
        if rowid is None:
            cur = conn.execute(_insert_fact(), vals)
            rowid = int(cur.lastrowid or 0)
        else:
            conn.execute(_update_fact(), (*vals, rowid))
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
        indexed = index_row(rowid, fact.statement, [c.quote for c in fact.citations], fact.tags,
                            self._source_titles(conn, fact.source_ids))
        conn.execute(INSERT_FTS, indexed[:5])
        new_words = words.words_of(" ".join(indexed[1:5]))
        words.apply_delta(conn, old_words - new_words, new_words - old_words)
        if indexed[5]:
            conn.execute(INSERT_CJK, (rowid, indexed[5]))
        return rowid

    def _history(self, conn: sqlite3.Connection, fact_id: str, action: str,
                 before: Fact | None, after: Fact | None, analyst: str) -> None:
        conn.execute(
            "INSERT INTO fact_history (fact_id, changed_at, analyst, action, before, after) VALUES (?,?,?,?,?,?)",
            (fact_id, datetime.now(UTC).isoformat(timespec="seconds"), analyst, action,
             before.model_dump_json() if before else None, after.model_dump_json() if after else None),
        )

    @staticmethod
    def _indexed_words(conn: sqlite3.Connection, rowid: int) -> set[str]:
        row = conn.execute("SELECT statement, quotes, tags, sources FROM fact_fts WHERE rowid = ?",
                           (rowid,)).fetchone()
        return words.words_of(" ".join(row)) if row else set()
