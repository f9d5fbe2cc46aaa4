"""Opening a team library: connect, tell a Briefer library from any other database, create the
schema in an empty one and seed it with the fact pack (as a new local store is seeded), migrate an
older one, refuse a newer one.

Whatever is refused is left exactly as it was: a database with other tables and no Briefer marker
is never migrated or seeded, and nothing in the local data folder is touched by a failure here.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from briefer.errors import KnownError, SchemaTooNewError, StoreError
from briefer.store.postgres.connection import Connection, connect
from briefer.store.postgres.migrations import AFTER, LATEST, MARKER, MIGRATIONS
from briefer.store.postgres.store import TeamStore

if TYPE_CHECKING:
    from briefer.store.db import PackLoader

#: the advisory lock held while a library is created or migrated ('Bscm'), so two first opens
#: do not both create it
SCHEMA_LOCK = 0x4273636D


def open_team_store(url: str, data_dir: Path, *, create: bool = True, seed: PackLoader | None) -> TeamStore:
    """Open the team library at ``url`` (created, seeded and migrated as needed); ``data_dir`` is the
    local data folder that keeps its templates, settings and backups."""
    conn = connect(url, where=url)
    try:
        store = TeamStore(url, data_dir, conn)
        version = _check(conn, url)
        if version < LATEST:
            if version == 0 and not create:
                raise StoreError(f"the team library {url} is empty, and no new library was to be created there")
            _create_or_migrate(store, url, seed)
        else:
            from briefer.store.postgres.team import ensure_roles

            _check_user(conn, url)
            ensure_roles(store, url)  # a library made before it had roles gets them from its owner
    except BaseException:
        with contextlib.suppress(Exception):
            conn.close()
        raise
    return store


def _check(conn: Connection, url: str) -> int:
    """The library's schema number (0: an empty database, to be created); anything else is refused."""
    meta = conn.run("SELECT to_regclass('briefer_meta') IS NOT NULL", doing="open")[0][0]
    if not meta:
        others = [r[0] for r in conn.run(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'v', 'm', 'p', 'f')"
            " ORDER BY c.relname LIMIT 4", doing="open")]
        if others:
            shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
            raise StoreError(f"the database {url} is not a Briefer library (it holds other tables: {shown}, and no "
                             "Briefer marker); it was left as it is. Give Briefer an empty database of its own")
        return 0
    rows = dict(conn.run("SELECT key, value FROM briefer_meta WHERE key IN ('library', 'schema')", doing="open"))
    if rows.get("library") != MARKER:
        raise StoreError(f"the database {url} has a briefer_meta table but no Briefer library marker, so it is not "
                         "a Briefer library; it was left as it is")
    try:
        version = int(rows.get("schema", ""))
    except ValueError:
        raise StoreError(f"the team library {url} has an unreadable schema number "
                         f"({rows.get('schema')!r}); it was left as it is") from None
    if version > LATEST:
        raise SchemaTooNewError(f"the team library {url} was written by a newer Briefer (schema {version}, this "
                                f"version knows up to {LATEST}); update Briefer to use it. It was left as it is.")
    return version


def _check_user(conn: Connection, url: str) -> None:
    """A login in none of the library's groups (a user of another library on the same server, or of
    none) that may not read its facts either: say so at once, not at the first refused query.  The
    tables' owner (whoever created the library) and a login given its own grants need no group."""
    if conn.role != "none":
        return
    may = conn.run("SELECT has_table_privilege('facts', 'SELECT')", doing="open")
    if may and may[0][0]:
        return
    from briefer.errors import RoleRefused

    user = conn.raw.info.user
    raise RoleRefused(f"{user} is not a user of the team library {url}: ask one of its admins to add you "
                      f"('briefer team add-user {user} --role reader'); nothing was changed")


def _create_or_migrate(store: TeamStore, url: str, seed: PackLoader | None) -> None:
    """In one transaction: wait for any other Briefer doing the same, look again, apply the missing
    steps, and seed a library that was just created."""
    from briefer.store.db import _seed, _statements

    conn = store._pg
    with store.transaction():
        conn.run("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        version = _check(conn, url)  # another Briefer may have created it meanwhile
        for step in sorted(s for s in MIGRATIONS if s > version):  # a number never used is skipped
            try:
                script = ";\n".join(_statements(MIGRATIONS[step]))
                if script:  # one round trip per step (no parameters: the server runs them in turn)
                    conn.run(script, doing="create")
                if step in AFTER:
                    AFTER[step](store._conn)
            except KnownError as exc:
                raise StoreError(f"could not {'create' if version == 0 else 'upgrade'} the team library {url} "
                                 f"(schema step {step}): {exc}; nothing was changed") from None
            conn.run("UPDATE briefer_meta SET value = %s WHERE key = 'schema'", (str(step),))
        from briefer.store.postgres.team import apply_roles

        apply_roles(conn, url)  # the roles' grants and policies, over every table the steps made
        from briefer.store.postgres import notify

        notify.install(conn.raw)  # the live updates' triggers, on every table made above (templates too)
        if version == 0:
            _seed(store, seed)
