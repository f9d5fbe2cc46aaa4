"""Live updates of a team library: triggers that announce every committed change, and the
listener that hears them (issue 15, point 4).

:func:`install` (run with the migrations) puts a row trigger on ``facts``, ``citations``,
``fact_tags``, ``sources`` and ``templates`` (those that exist): each changed row calls
``pg_notify('briefer_changes', json)`` with the record's kind, id and version, the operation and the
database user (and the analyst name, when the session set ``briefer.analyst``).  PostgreSQL delivers
a notification only when its transaction commits, and folds identical ones within a transaction
into one: a fact's row, its citations and its tags, written together, are one announcement.  Row
triggers with static SQL cost little per statement (the store writes a row at a time); statement
triggers over transition tables made each single-row write several times slower.

:class:`PgListener` is a dedicated autocommit connection that has run ``LISTEN``.  It never polls:
the caller watches :meth:`PgListener.fileno` and calls :meth:`PgListener.drain` when the socket is
readable; ``drain`` reads what arrived without waiting.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from typing import Any

from briefer.errors import StoreError, StoreUnreachable
from briefer.store.changes import KINDS, Change

CHANNEL = "briefer_changes"
#: table -> (kind, the trigger function that announces its rows)
WATCHED: dict[str, tuple[str, str]] = {
    "facts": ("fact", "briefer_notify_record"),
    "citations": ("fact", "briefer_notify_part"),
    "fact_tags": ("fact", "briefer_notify_part"),
    "sources": ("source", "briefer_notify_record"),
    "templates": ("template", "briefer_notify_row"),
}

_PAYLOAD_SQL = ("json_build_object('kind', TG_ARGV[0], 'id', {key}, 'version', {version}, 'op', {op}, "
                "'user', session_user, 'analyst', coalesce(current_setting('briefer.analyst', true), ''){extra})::text")


def _payload(key: str, version: str, op: str, extra: str = "") -> str:
    """SQL: the JSON text of one announcement (``key``: the record's id; ``extra``: more ``, 'name', value``)."""
    return _PAYLOAD_SQL.format(key=key, version=version, op=op, extra=extra)


FUNCTIONS_SQL = [
    # facts and sources: a row with an id and a version (a rename announces the old id too)
    f"""
CREATE OR REPLACE FUNCTION briefer_notify_record() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('{CHANNEL}', {_payload(key="OLD.id", version="NULL::integer", op="'delete'")});
        RETURN NULL;
    END IF;
    PERFORM pg_notify('{CHANNEL}', {_payload(key="NEW.id", version="NEW.version", op="lower(TG_OP)")});
    IF TG_OP = 'UPDATE' AND OLD.id IS DISTINCT FROM NEW.id THEN
        PERFORM pg_notify('{CHANNEL}', {_payload(key="OLD.id", version="NULL::integer", op="'delete'")});
    END IF;
    RETURN NULL;
END
$fn$""",
    # citations and tags: a change of the fact they belong to (gone with it when the fact is deleted)
    f"""
CREATE OR REPLACE FUNCTION briefer_notify_part() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    fid text;
    v integer;
BEGIN
    SELECT f.id, f.version INTO fid, v FROM facts f
     WHERE f.rowid = CASE WHEN TG_OP = 'DELETE' THEN OLD.fact ELSE NEW.fact END;
    IF fid IS NOT NULL THEN
        PERFORM pg_notify('{CHANNEL}', {_payload(key="fid", version="v", op="'update'")});
    END IF;
    RETURN NULL;
END
$fn$""",
    # any other table (templates): its key and version read from the row, whatever its columns: a
    # template by its stable id (``template_id``, which a rename keeps), with its name as it is now
    # (and the one it had, when renamed); a personal template (shared false, before and after) is
    # nobody else's business: not announced
    f"""
CREATE OR REPLACE FUNCTION briefer_notify_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    r jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
    was jsonb := CASE WHEN TG_OP = 'UPDATE' THEN to_jsonb(OLD) ELSE r END;
BEGIN
    IF r ? 'shared' AND NOT coalesce((r->>'shared')::boolean, false)
            AND NOT coalesce((was->>'shared')::boolean, false) THEN
        RETURN NULL;
    END IF;
    PERFORM pg_notify('{CHANNEL}', {_payload(
        key="coalesce(r->>'template_id', r->>'id', r->>'name')",
        version="CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE (r->>'version')::integer END", op="lower(TG_OP)",
        extra=", 'name', r->>'name', 'was', was->>'name'")});
    RETURN NULL;
END
$fn$""",
]


def trigger_sql(table: str) -> list[str]:
    """The statements that (re)create the trigger of ``table``."""
    kind, function = WATCHED[table]
    name = f"briefer_notify_{table}"
    return [f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW "
            f"EXECUTE FUNCTION {function}('{kind}')"]


def install(conn: Any) -> list[str]:
    """Create the notifying functions and the trigger of every watched table that exists (a migration
    step: run in the caller's transaction, and again after a table is added: it is idempotent).
    Returns the tables now watched."""
    rows = conn.execute("SELECT c.table_name, c.column_name FROM information_schema.columns c"
                        " WHERE c.table_name = ANY(%s) AND c.table_schema = current_schema()",
                        (list(WATCHED),)).fetchall()
    columns: dict[str, set[str]] = {}
    for table, column in rows:
        columns.setdefault(str(table), set()).add(str(column))
    for sql in FUNCTIONS_SQL:
        conn.execute(sql)
    watched = []
    for table in WATCHED:
        cols = columns.get(table)
        if cols is None or (table == "templates" and not {"template_id", "name", "id"} & cols):
            continue
        for stmt in trigger_sql(table):
            conn.execute(stmt)
        watched.append(table)
    return watched


def parse(payload: str, *, own: bool = False) -> Change | None:
    """The :class:`Change` a notification's payload announces (None for one Briefer did not send)."""
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict) or data.get("kind") not in KINDS:
        return None
    version = data.get("version")
    return Change(kind=str(data["kind"]), id=None if data.get("id") is None else str(data["id"]),
                  version=int(version) if isinstance(version, int) else None, op=str(data.get("op") or "update"),
                  user=str(data.get("user") or ""), analyst=str(data.get("analyst") or ""),
                  count=int(data.get("count") or 1), own=own, name=str(data.get("name") or ""),
                  was=str(data.get("was") or ""), role=str(data.get("role") or ""))


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
