"""Live updates of a team library: triggers that announce every committed change, and the
listener that hears them (issue 15, point 4).

:func:`install` (a migration step) puts statement-level triggers on ``facts``, ``citations``,
``fact_tags``, ``sources`` and ``templates`` (those that exist).  Each statement that changes rows
calls ``pg_notify('briefer_changes', json)`` once per record it touched, with the record's kind, id
and version, the operation and the database user (and the analyst name, when the session set
``briefer.analyst``).  PostgreSQL delivers a notification only when its transaction commits, and
folds identical ones within a transaction into one: a fact's row, its citations and its tags,
written together, are one announcement.  A statement touching more than :data:`BULK` records
(loading a pack, a ``store copy``) sends one announcement with ``id`` null and the count instead
of thousands.

:class:`PgListener` is a dedicated autocommit connection that has run ``LISTEN``.  It never polls:
the caller watches :meth:`PgListener.fileno` and calls :meth:`PgListener.drain` when the socket is
readable; ``drain`` reads what arrived without waiting.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from typing import Any

from briefer.errors import StoreError, StoreUnreachable
from briefer.store.changes import Change

CHANNEL = "briefer_changes"
#: a statement touching more records than this sends one announcement for all of them
BULK = 200

#: table -> (kind, SQL giving the record's id from a changed row ``t``, SQL giving its version)
WATCHED: dict[str, tuple[str, str, str]] = {
    "facts": ("fact", "t.id", "t.version"),
    "citations": ("fact", "(SELECT f.id FROM facts f WHERE f.rowid = t.fact)",
                  "(SELECT f.version FROM facts f WHERE f.rowid = t.fact)"),
    "fact_tags": ("fact", "(SELECT f.id FROM facts f WHERE f.rowid = t.fact)",
                  "(SELECT f.version FROM facts f WHERE f.rowid = t.fact)"),
    "sources": ("source", "t.id", "t.version"),
    "templates": ("template", "t.name", "t.version"),
}
#: a change of these is a change of the record they belong to (an update of it, whatever the row did)
CHILD_TABLES = {"citations", "fact_tags"}

FUNCTION_SQL = r"""
CREATE OR REPLACE FUNCTION briefer_notify_changes() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    kind text := TG_ARGV[0];
    id_sql text := TG_ARGV[1];
    version_sql text := TG_ARGV[2];
    child boolean := TG_ARGV[3]::boolean;
    rows_sql text;
    op text := CASE WHEN TG_ARGV[3]::boolean THEN 'update' ELSE lower(TG_OP) END;
    who text := current_user;
    analyst text := coalesce(current_setting('briefer.analyst', true), '');
    n bigint;
    r record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        rows_sql := 'SELECT * FROM briefer_new';
    ELSIF TG_OP = 'DELETE' THEN
        rows_sql := 'SELECT * FROM briefer_old';
    ELSE
        rows_sql := 'SELECT * FROM briefer_new UNION ALL SELECT * FROM briefer_old';
    END IF;
    EXECUTE format('SELECT count(DISTINCT %s) FROM (%s) t', id_sql, rows_sql) INTO n;
    IF n = 0 THEN
        RETURN NULL;
    END IF;
    IF n > %(bulk)s THEN
        PERFORM pg_notify('%(channel)s', json_build_object('kind', kind, 'id', NULL, 'op', op, 'count', n,
                                                       'user', who, 'analyst', analyst)::text);
        RETURN NULL;
    END IF;
    FOR r IN EXECUTE format('SELECT %s AS id, max(%s) AS version FROM (%s) t GROUP BY 1', id_sql, version_sql,
                            rows_sql) LOOP
        IF r.id IS NOT NULL THEN
            PERFORM pg_notify('%(channel)s', json_build_object(
                'kind', kind, 'id', r.id,
                'version', CASE WHEN op = 'delete' THEN NULL ELSE r.version END,
                'op', op, 'user', who, 'analyst', analyst)::text);
        END IF;
    END LOOP;
    RETURN NULL;
END
$fn$
""".replace("%(bulk)s", str(BULK)).replace("%(channel)s", CHANNEL)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def trigger_sql(table: str, columns: set[str] | None = None) -> list[str]:
    """The statements that (re)create the three triggers of ``table`` (insert, update, delete).
    ``columns``: the table's columns, when known: a table without a ``version`` announces none, and a
    templates table keyed by ``id`` rather than ``name`` is read by its ``id``."""
    kind, id_sql, version_sql = WATCHED[table]
    if columns is not None and table not in CHILD_TABLES:
        if id_sql == "t.name" and "name" not in columns:
            id_sql = "t.id"
        if "version" not in columns:
            version_sql = "NULL::integer"
    args = ", ".join(_quote(a) for a in (kind, id_sql, version_sql, "true" if table in CHILD_TABLES else "false"))
    out = []
    events = (("insert", "NEW TABLE AS briefer_new"), ("update", "NEW TABLE AS briefer_new OLD TABLE AS briefer_old"),
              ("delete", "OLD TABLE AS briefer_old"))
    for event, refs in events:
        name = f"briefer_notify_{table}_{event}"
        out.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        out.append(f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} REFERENCING {refs} "
                   f"FOR EACH STATEMENT EXECUTE FUNCTION briefer_notify_changes({args})")
    return out


def install(conn: Any) -> list[str]:
    """Create the notifying function and the triggers of every watched table that exists (a migration
    step: run in the caller's transaction, and again after a table is added: it is idempotent).
    Returns the tables now watched."""
    rows = conn.execute(
        "SELECT c.table_name, c.column_name FROM information_schema.columns c"
        " WHERE c.table_name = ANY(%s) AND c.table_schema = current_schema()", (list(WATCHED),)).fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(str(table), set()).add(str(column))
    conn.execute(FUNCTION_SQL)
    watched = []
    for table in WATCHED:
        cols = columns.get(table)
        if cols is None or (table == "templates" and not {"name", "id"} & cols):
            continue
        for stmt in trigger_sql(table, cols):
            conn.execute(stmt)
        watched.append(table)
    return watched


def parse(payload: str, *, own: bool = False) -> Change | None:
    """The :class:`Change` a notification's payload announces (None for one Briefer did not send)."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("kind") not in ("fact", "source", "template"):
        return None
    version = data.get("version")
    return Change(kind=str(data["kind"]), id=None if data.get("id") is None else str(data["id"]),
                  version=int(version) if isinstance(version, int) else None, op=str(data.get("op") or "update"),
                  user=str(data.get("user") or ""), analyst=str(data.get("analyst") or ""),
                  count=int(data.get("count") or 1), own=own)


class PgListener:
    """A dedicated connection that has run ``LISTEN briefer_changes`` (see the module docstring).

    ``connect`` opens the connection (psycopg's ``connect``, or the team library's own);
    ``own_pids`` gives the server process ids of the store's own connections, so the window can tell
    its own edits from a colleague's; ``lost`` is the error class for a lost connection."""

    def __init__(self, connect: Callable[[], Any], *, own_pids: Callable[[], Collection[int]] = frozenset,
                 lost: type[StoreError] = StoreUnreachable, where: str = "the team library") -> None:
        self._own_pids = own_pids
        self._lost = lost
        self._where = where
        self._conn = connect()
        self._conn.autocommit = True
        self._conn.execute(f"LISTEN {CHANNEL}")
        self._fileno = int(self._conn.pgconn.socket)

    @property
    def backend_pid(self) -> int:
        return int(self._conn.pgconn.backend_pid)

    def fileno(self) -> int:
        return self._fileno

    def drain(self) -> list[Change]:
        """What arrived since the last call, in order; never waits."""
        from briefer.store.postgres.connection import notifications

        try:
            notes = notifications(self._conn, self._where)
        except StoreUnreachable as exc:
            raise self._lost(str(exc)) from None
        own = set(self._own_pids())
        out: list[Change] = []
        for channel, payload, pid in notes:
            change = parse(payload, own=pid in own) if channel == CHANNEL else None
            if change is not None:
                out.append(change)
        return out

    def close(self) -> None:
        import contextlib

        with contextlib.suppress(Exception):
            self._conn.close()
