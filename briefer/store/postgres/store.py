"""The team library's store: :class:`TeamStore`, the local store's logic over a PostgreSQL connection.

Everything the two backends do alike (reading and writing facts, sources, the glossary, history,
editions, candidates; the filters; shaping search results) is the SQLite store's own code, run
through :class:`~briefer.store.postgres.connection.Connection`, which reads the same SQL.  What is
PostgreSQL's own is here:

* a write transaction takes one advisory lock first (:data:`WRITE_LOCK`), so writers are serialized
  as SQLite's ``BEGIN IMMEDIATE`` serializes them: a read-modify-write in a transaction loses
  nothing; a nested transaction is a savepoint;
* search ranks with ``ts_rank`` over the weighted ``tsvector``, snippets come from ``ts_headline``,
  Japanese substrings from the ``pg_trgm`` index, with the same rules as the local store, in one
  statement per search (:mod:`briefer.store.postgres.search`);
* a connection lost in the middle of a change says so, and the server has undone all of it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, cast

from briefer.errors import KnownError, StoreUnreachable
from briefer.store.postgres.connection import Connection, connect
from briefer.store.postgres.rows import TeamRowsMixin
from briefer.store.postgres.search import TeamSearchMixin
from briefer.store.postgres.team import TeamRolesMixin
from briefer.store.sqlite import Store

if TYPE_CHECKING:
    import sqlite3

    from briefer.store.backup import BackupInfo
    from briefer.store.postgres.notify import PgListener

#: the advisory lock every write transaction takes first ('Brif'): one writer at a time
WRITE_LOCK = 0x42726966
#: the name of a team library in the local data folder (``store.path``; nothing is written there)
TEAM_NAME = "team-library"


class TeamStore(TeamSearchMixin, TeamRowsMixin, TeamRolesMixin, Store):
    """An open team library.  Use :func:`briefer.store.postgres.opening.open_team_store` to get one."""

    def __init__(self, url: str, data_dir: Path, conn: Connection) -> None:
        self.path = Path(data_dir) / TEAM_NAME
        self.location = url
        self.url = url
        self._pg = conn
        # the shared logic calls the part of sqlite3.Connection that Connection offers (execute,
        # executemany, in_transaction, rows by name, rowcount, lastrowid)
        self._conn = cast("sqlite3.Connection", conn)
        self.damaged: dict[str, str] = {}
        self.notices: list[str] = []
        #: how many transactions are open, the outermost and its savepoints
        self._depth = 0

    # -- lifecycle and transactions ----------------------------------------------------------------

    def close(self) -> None:
        self._pg.close()

    def _reconnect(self) -> None:
        """A connection the server or the network dropped is made again before the next read or
        transaction (never inside one: that one failed whole), so a retry works once the server is back."""
        if self._pg.broken and not self._depth:
            with contextlib.suppress(Exception):
                self._pg.close()
            self._pg = connect(self.url, where=self.url)
            self._conn = cast("sqlite3.Connection", self._pg)

    def reopen(self) -> Self:
        """Another connection to the same library, for another thread."""
        return type(self)(self.url, self.path.parent, connect(self.url, where=self.url))

    def reconnect(self) -> None:
        """A new connection to the server, after the old one was lost (the window's Retry)."""
        conn = connect(self.url, where=self.url)
        with contextlib.suppress(Exception):
            self._pg.close()
        self._pg = conn
        self._conn = cast("sqlite3.Connection", conn)

    def listener(self) -> PgListener:
        """A connection of its own that has run LISTEN: colleagues' committed changes, as they happen."""
        from briefer.store.postgres.notify import PgListener

        def own() -> set[int]:
            with contextlib.suppress(Exception):
                return {int(self._pg.raw.info.backend_pid)}
            return set()

        return PgListener(lambda: connect(self.url, where=self.url).raw, own_pids=own, lost=StoreUnreachable,
                          where=f"the team library {self.url}")

    def search(self, text: str, flt: Any = None, *, limit: int = 20,
               mark: tuple[str, str] = ("[", "]"), snippets: bool = True) -> Any:
        """The local store's search, the Latin words typed without their diacritics, as the index holds
        them (migration 12: unaccent): "Kishidá" and "Kishida" find the same facts, as on a local store."""
        from briefer.store.words import unaccented

        return super().search(unaccented(text), flt, limit=limit, mark=mark, snippets=snippets)

    def interrupt(self) -> None:
        """Cancel the statement running on this connection (from any thread): it raises StoreInterrupted."""
        self._pg.cancel()

    def set_write_wait(self, seconds: float) -> None:
        """Nothing to set: the server queues writers on its advisory lock, in turn, for as long as it takes."""

    @property
    def schema_version(self) -> int:
        rows = self._pg.run("SELECT value FROM briefer_meta WHERE key = 'schema'", doing="read")
        return int(rows[0][0]) if rows else 0

    @property
    def database_user(self) -> str:
        """The database user this connection works as (what history records beside the analyst)."""
        return str(self._pg.run("SELECT session_user")[0][0])

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, writers serialized by :data:`WRITE_LOCK`: all of it lands, or none.
        Inside an enclosing transaction it is a savepoint of that one."""
        if self._depth:
            self._depth += 1
            try:
                with self._savepoint():
                    yield self._conn
            finally:
                self._depth -= 1
            return
        self._reconnect()
        try:
            self._pg.run("BEGIN", doing="write to")
        except StoreUnreachable:
            if not self._pg.broken:
                raise
            self._reconnect()  # found dropped only now: nothing was begun, so begin on a new connection
            self._pg.run("BEGIN", doing="write to")
        self._depth = 1
        try:
            self._pg.run("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,), doing="write to")
            yield self._conn
        except StoreUnreachable as exc:
            self._depth = 0
            self._rollback()
            raise StoreUnreachable(f"{exc}: the change was under way and none of it was applied (the server "
                                   "undoes an unfinished transaction); try again when the server is back") from None
        except BaseException:
            self._depth = 0
            self._rollback()
            raise
        self._depth = 0
        try:
            self._pg.run("COMMIT", doing="save to")
        except StoreUnreachable as exc:
            raise StoreUnreachable(f"{exc} while the change was being saved: the server kept either all of it or "
                                   "none; look before trying again (briefer facts history ID)") from None
        except KnownError:
            self._rollback()
            raise

    def _rollback(self) -> None:
        """Undo the open transaction; a connection already gone has undone it on the server."""
        if not self._pg.broken and self._pg.in_transaction:
            with contextlib.suppress(KnownError):
                self._pg.run("ROLLBACK")

    def _q(self, sql: str, args: Any = (), *, prepare: bool | None = None, plain: bool = False) -> list[Any]:
        """The rows of a read (``plain``: as plain tuples, see :meth:`Connection.execute`)."""
        self._reconnect()
        try:
            return self._pg.execute(sql, args, doing="read", prepare=prepare, plain=plain).fetchall()
        except StoreUnreachable:
            if self._depth or not self._pg.broken:
                raise
            self._reconnect()  # found dropped only now (a restarted server): a read is safe to run again
            return self._pg.execute(sql, args, doing="read", prepare=prepare, plain=plain).fetchall()

    # -- backup -----------------------------------------------------------------------------------

    def backup(self, dest: Path, *, overwrite: bool = False) -> BackupInfo:
        """A backup of the team library in the local archive format (briefer/store/team_backup.py)."""
        from briefer.store.library import Location, templates_of
        from briefer.store.team_backup import backup_library

        return backup_library(self, templates_of(Location(self.url, url=self.url), self), dest,
                              overwrite=overwrite, name=self.location)


if TYPE_CHECKING:
    from briefer.store.api import FactStore

    #: mypy holds the team store to the whole interface
    _IS_A_FACT_STORE: type[FactStore] = TeamStore
