"""The connection to a team library's server: the only module that imports psycopg.

:class:`Connection` offers what the store's shared logic asks of a sqlite3 connection
(``execute``/``executemany`` with ``?`` placeholders, rows read by name or position, a cursor's
``rowcount`` and ``lastrowid``, ``in_transaction``), so the SQL the two backends share is written
once.  Every psycopg error becomes one sentence here (:func:`translate`), as
:func:`briefer.store.sqlite_base.store_error` does for sqlite3: an environment fault is a
:class:`~briefer.errors.StoreError` subclass, a query Briefer got wrong a :class:`~briefer.errors.BugError`.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import psycopg
from psycopg import errors as pgerr
from psycopg.pq import TransactionStatus
from psycopg.rows import tuple_row

from briefer.errors import (
    BugError,
    DiskFull,
    KnownError,
    StoreBusy,
    StoreCorrupt,
    StoreError,
    StoreInterrupted,
    StoreNotPermitted,
    StoreReadOnly,
    StoreUnreachable,
)

#: seconds to wait for a server to answer before saying it cannot be reached
CONNECT_TIMEOUT = 5
#: seconds a writer waits for another's transaction before it is told the library is busy
LOCK_TIMEOUT = "30s"


class Row(tuple[Any, ...]):
    """A row read by column name or by position, like :class:`sqlite3.Row`."""

    __slots__ = ()
    _index: dict[str, int] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._index)


@functools.lru_cache(maxsize=512)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"__slots__": (), "_index": {n: i for i, n in enumerate(names)}})


def _row_factory(cursor: Any) -> Any:
    desc = cursor.description
    return _row_class(tuple(c.name for c in desc)) if desc else tuple


@functools.lru_cache(maxsize=1024)
def to_pg(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (and a literal ``%`` doubled); nothing inside quotes changes
    but ``%``."""
    out: list[str] = []
    quoted = False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        if ch == "%":
            out.append("%%")
        elif ch == "?" and not quoted:
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)


#: tables whose new row's key an INSERT reports as ``lastrowid`` (what sqlite3 gives)
_KEYS = {"facts": "rowid", "candidates": "id", "editions": "id", "fact_history": "id", "source_history": "id"}
_INSERT = re.compile(r"\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)


class Cursor:
    """What a statement gave: its rows, how many rows it changed, the key of the row it inserted."""

    def __init__(self, cur: psycopg.Cursor[Any], lastrowid: int | None = None) -> None:
        self._cur = cur
        self.rowcount = cur.rowcount
        self.lastrowid = lastrowid

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cur.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cur.fetchall())


class Connection:
    """A psycopg connection (autocommit: transactions are begun and ended by the store) behind the
    part of the sqlite3 interface the shared store logic uses."""

    def __init__(self, raw: psycopg.Connection[Any], where: str) -> None:
        self.raw = raw
        self.where = where
        #: the Briefer role of the connected user (reader, editor, admin), named when the server refuses
        self.role = ""

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open (a connection that is gone has none: the server undid it)."""
        return not self.broken and self.raw.info.transaction_status != TransactionStatus.IDLE

    @property
    def broken(self) -> bool:
        return bool(self.raw.broken or self.raw.closed)

    def execute(self, sql: str, args: Iterable[Any] = (), *, doing: str = "use",
                prepare: bool | None = None, plain: bool = False) -> Cursor:
        """``sql`` with ``?`` placeholders; ``prepare=True`` prepares it on the server at its first run, so
        the connection parses and plans it once (psycopg otherwise prepares a statement at its fifth run).
        ``plain``: rows as plain tuples, read by position only (no column names are read from the result:
        for a statement run at every keystroke whose columns the caller knows, as a search's)."""
        key = None
        m = _INSERT.match(sql)
        if m and m.group(1) in _KEYS and "RETURNING" not in sql.upper():
            key = _KEYS[m.group(1)]
            sql = f"{sql} RETURNING {key}"
        try:
            if plain:
                cur = self.raw.cursor(row_factory=tuple_row)
                cur.execute(to_pg(sql), tuple(args), prepare=prepare)
            else:
                cur = self.raw.execute(to_pg(sql), tuple(args), prepare=prepare)
            lastrowid = None
            if key is not None:
                row = cur.fetchone()
                lastrowid = int(row[0]) if row else None
            return Cursor(cur, lastrowid)
        except psycopg.Error as exc:
            raise translate(exc, self.where, doing, role=self.role, statement=sql) from None

    def executemany(self, sql: str, seq: Iterable[Sequence[Any]], *, doing: str = "write to") -> Cursor:
        try:
            cur = self.raw.cursor()
            cur.executemany(to_pg(sql), [tuple(a) for a in seq])
            return Cursor(cur)
        except psycopg.Error as exc:
            raise translate(exc, self.where, doing, role=self.role, statement=sql) from None

    def run(self, sql: str, args: Sequence[Any] = (), *, doing: str = "use") -> list[Any]:
        """A statement in PostgreSQL's own dialect (``%s`` placeholders): its rows."""
        try:
            cur = self.raw.execute(sql, tuple(args) if args else None)
            return cur.fetchall() if cur.description else []
        except psycopg.Error as exc:
            raise translate(exc, self.where, doing, role=self.role, statement=sql) from None

    def cancel(self) -> None:
        """Cancel the statement running now (from any thread); it raises StoreInterrupted."""
        with contextlib.suppress(psycopg.Error):  # nothing running, or the server is gone: it ends either way
            self.raw.cancel_safe(timeout=CONNECT_TIMEOUT)

    def close(self) -> None:
        self.raw.close()


def connect(url: str, *, where: str) -> Connection:
    """Connect to the server ``url`` names (password from libpq's own sources: ~/.pgpass, PGPASSWORD, a
    service file).  A server that does not answer within :data:`CONNECT_TIMEOUT` seconds is unreachable."""
    timeout = connect_timeout()
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=timeout, application_name="briefer",
                              keepalives=1, keepalives_idle=10, keepalives_interval=5, keepalives_count=3,
                              row_factory=_row_factory)
    except psycopg.OperationalError as exc:
        raise connect_error(exc, where, timeout) from None
    except psycopg.Error as exc:  # a malformed URL: psycopg.ProgrammingError
        raise StoreError(f"cannot use the team library address {where}: {_first_line(exc)}") from None
    try:
        raw.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
    except psycopg.Error as exc:
        raw.close()
        raise translate(exc, where, "open") from None
    conn = Connection(raw, where)
    from briefer.store.postgres.roles import role_of

    conn.role = role_of(raw)
    return conn


def notifications(raw: psycopg.Connection[Any], where: str) -> list[tuple[str, str, int]]:
    """The notifications that reached a LISTENing connection since the last call, without waiting:
    (channel, payload, sender's server process id) each.  libpq's socket never blocks, so reading with
    nothing waiting returns at once; the second read sees the end of the stream when the server said
    goodbye (a terminated session, a shutdown) and closed the socket after it: then StoreUnreachable."""
    pg = raw.pgconn
    out: list[tuple[str, str, int]] = []
    for _read in range(2):
        try:
            pg.consume_input()
        except psycopg.OperationalError:
            raise StoreUnreachable(f"the connection to {where} was lost") from None
        while (note := pg.notifies()) is not None:
            out.append((note.relname.decode(), note.extra.decode("utf-8", "replace"), int(note.be_pid)))
    if pg.status != psycopg.pq.ConnStatus.OK:
        raise StoreUnreachable(f"the connection to {where} was lost")
    return out


def connect_timeout() -> int:
    """Seconds to wait for a server: libpq's own ``PGCONNECT_TIMEOUT`` when set, else :data:`CONNECT_TIMEOUT`."""
    value = os.environ.get("PGCONNECT_TIMEOUT", "").strip()
    return int(value) if value.isdigit() and 0 < int(value) <= 3600 else CONNECT_TIMEOUT


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    text = re.sub(r"^connection failed:\s*", "", text)
    text = re.sub(r'^connection to server at "[^"]*"(?: \([^)]*\))?, port \d+ failed:\s*', "", text)
    text = re.sub(r"^FATAL:\s*", "", text)
    return text.splitlines()[0].strip() if text else type(exc).__name__


def connect_error(exc: psycopg.OperationalError, where: str, timeout: int = CONNECT_TIMEOUT) -> KnownError:
    """One sentence for a connection that could not be made.  libpq says why only in words, so this is
    the one place that reads them."""
    text = str(exc)
    low = text.lower()
    if "password authentication failed" in low:
        return StoreUnreachable(f"the team library {where} refused the password for its user; check ~/.pgpass "
                                "or PGPASSWORD (Briefer never stores a password); local data was not touched")
    if "no password supplied" in low or "password is required" in low:
        return StoreUnreachable(f"the team library {where} asks for a password; put it in ~/.pgpass or "
                                "PGPASSWORD (Briefer never stores one); local data was not touched")
    if "timeout expired" in low or "timed out" in low:
        return StoreUnreachable(f"the team library server {where} did not answer within {timeout} seconds "
                                "(down, or the network blocks it); local data was not touched")
    if "connection refused" in low or "could not translate host name" in low or "no route to host" in low \
            or "network is unreachable" in low or "name or service not known" in low:
        return StoreUnreachable(f"cannot reach the team library server {where}: {_first_line(exc)} (is it "
                                "running, and is the address right?); local data was not touched")
    if "does not exist" in low and "database" in low:
        return StoreUnreachable(f"there is no database on the server for the team library {where} "
                                f"({_first_line(exc)}); ask its administrator to create it")
    if "role" in low and "does not exist" in low:
        return StoreUnreachable(f"the team library server {where} has no such user ({_first_line(exc)})")
    if "no pg_hba.conf entry" in low or "permission denied" in low:
        return StoreUnreachable(f"the team library server {where} does not let this user in ({_first_line(exc)})")
    return StoreUnreachable(f"cannot connect to the team library {where}: {_first_line(exc)}; "
                            "local data was not touched")


def translate(exc: psycopg.Error, where: str, doing: str = "use", *, role: str = "",
              statement: str = "") -> KnownError | BugError:
    """One sentence for a psycopg error on the team library ``where``, by its kind (SQLSTATE); a refusal
    names the user's ``role`` and what ``statement`` would have changed."""
    detail = _first_line(exc)
    if isinstance(exc, pgerr.QueryCanceled):
        return StoreInterrupted("the team library operation was interrupted")
    if isinstance(exc, pgerr.AdminShutdown | pgerr.CrashShutdown | pgerr.CannotConnectNow) or (
            isinstance(exc, psycopg.OperationalError) and (exc.sqlstate or "").startswith("08")) or (
            isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None):
        return StoreUnreachable(f"the connection to the team library {where} was lost ({detail}); what was not "
                                "yet saved was not applied")
    if isinstance(exc, pgerr.InsufficientPrivilege) and role:
        from briefer.store.postgres.roles import refused

        return refused(exc, role, statement=statement)
    if isinstance(exc, pgerr.InsufficientPrivilege):
        return StoreNotPermitted(f"your database user may not {doing} this in the team library {where} "
                                 f"({detail}); nothing was changed")
    if isinstance(exc, pgerr.ReadOnlySqlTransaction):
        return StoreReadOnly(f"cannot {doing} the team library {where}: the server is read-only; nothing was changed")
    if isinstance(exc, pgerr.DiskFull | pgerr.OutOfMemory):
        return DiskFull(f"cannot {doing} the team library {where}: the server's disk is full; nothing was changed")
    if isinstance(exc, pgerr.LockNotAvailable | pgerr.SerializationFailure | pgerr.DeadlockDetected):
        return StoreBusy(f"the team library {where} is busy with another analyst's change; nothing was changed, "
                         "try again in a moment")
    if isinstance(exc, pgerr.UndefinedTable):
        return StoreCorrupt(f"the team library {where} is missing a table ({detail}): it is not a complete "
                            "Briefer library; it was left as it is")
    if isinstance(exc, pgerr.SyntaxError | pgerr.UndefinedColumn | pgerr.UndefinedFunction | pgerr.DatatypeMismatch
                  | pgerr.AmbiguousColumn | pgerr.InvalidTextRepresentation | pgerr.UndefinedParameter) or (
            isinstance(exc, psycopg.ProgrammingError | psycopg.InterfaceError) and exc.sqlstate is None):
        return BugError(f"a team library query failed ({doing}, {where}): {detail}")
    return StoreError(f"cannot {doing} the team library {where}: {detail}")
