"""Who may do what in a team library, enforced by the server: three group roles of the library's own,
their GRANTs and the row-level security of the tables every role writes.

- ``<prefix>_reader`` reads the library, records the editions of its own exports and keeps personal
  templates (row-level security: only its own rows);
- ``<prefix>_editor`` (a member of reader) also adds and edits facts, sources, citations, tags, the
  glossary, import candidates, conflict resolutions and the histories, and writes shared templates;
- ``<prefix>_admin`` (a member of editor) also deletes, and its users (LOGIN CREATEROLE) manage users.

The roles are NOLOGIN groups; a person is a LOGIN role that is a member of one of them
(:func:`set_user`).  PostgreSQL's roles belong to the whole cluster, so each library has its own
three groups, named by a prefix kept in its ``briefer_meta`` (``briefer_<database>_<4 hex>``): a
reader of one library on a server is nobody in another, and ``team users`` lists this library's
users only.  Libraries made before that shared ``briefer_reader``/``briefer_editor``/``briefer_admin``
(:data:`LEGACY_PREFIX`); their owner's next open gives them their own groups, with the same members,
and takes the shared groups' grants away (:func:`apply`).  A database copied from a library (CREATE
DATABASE … TEMPLATE, a dump restored under another name) is given its own groups the same way.
:func:`apply` is idempotent: the migrations call it after every schema step, so a table a later step
adds gets its grants too.  A superuser and the owner of the tables (whoever created the library)
bypass row-level security, as PostgreSQL always lets them.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from briefer.errors import KnownError, RoleRefused
from briefer.model.permissions import Permissions, RoleName

#: the role names as the user types them, weakest first
ROLE_NAMES: tuple[str, ...] = ("reader", "editor", "admin")
#: the prefix of the groups every library of a cluster shared before each had its own
LEGACY_PREFIX = "briefer"
_GROUP_RE = re.compile(r"^briefer(_.+)?_(reader|editor|admin)$")


@dataclass(frozen=True)
class Groups:
    """A library's three group roles, ``<prefix>_reader`` ⊂ ``_editor`` ⊂ ``_admin``."""

    prefix: str

    def of(self, role: str) -> str:
        """The group of ``role`` ("reader", "editor" or "admin")."""
        return f"{self.prefix}_{role}"

    @property
    def reader(self) -> str:
        return self.of("reader")

    @property
    def editor(self) -> str:
        return self.of("editor")

    @property
    def admin(self) -> str:
        return self.of("admin")

    def all(self) -> list[str]:
        return [self.of(r) for r in ROLE_NAMES]


LEGACY = Groups(LEGACY_PREFIX)

#: the records of the library: editors add and change them; only admins delete them
LIBRARY = ("sections", "sources", "facts", "citations", "fact_tags", "glossary", "fact_history", "source_history",
           "source_imports", "candidates", "conflict_resolutions")
#: rows an edit rewrites (a fact's citations and tags are replaced whole; a resolution can be taken
#: back; the search words' counts follow the facts): editors delete these as part of an edit
REWRITTEN = ("citations", "fact_tags", "conflict_resolutions", "fts_words", "fact_fts", "fact_cjk")
#: the histories: editors add entries, nobody but the tables' owner rewrites one (an admin deletes)
HISTORY = ("fact_history", "source_history")
#: the library's own bookkeeping (its marker and schema number): only the migrations change it
META = ("briefer_meta",)
#: derived data any user's Briefer may refresh (never a source of truth: rebuilt from the library)
CACHES = ("source_analysis",)
#: every role writes these, its own rows only (row-level security on ``recorded_by``)
OWN_ROWS = ("editions", "edition_facts")
TEMPLATES = "templates"

TEMPLATES_SQL = """
CREATE TABLE IF NOT EXISTS templates (
    template_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    owner TEXT NOT NULL DEFAULT current_user,
    shared BOOLEAN NOT NULL DEFAULT false,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    changed_by TEXT NOT NULL DEFAULT current_user,
    analyst TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX IF NOT EXISTS templates_shared_name ON templates (lower(name)) WHERE shared;
CREATE UNIQUE INDEX IF NOT EXISTS templates_own_name ON templates (owner, lower(name)) WHERE NOT shared;
CREATE OR REPLACE FUNCTION briefer_template_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- the server keeps the version, the time and the writer, whatever a client sends
    IF TG_OP = 'UPDATE' THEN
        NEW.version := OLD.version + 1;
        NEW.owner := OLD.owner;
    ELSE
        NEW.version := 1;
        NEW.owner := current_user;
    END IF;
    NEW.changed_at := now();
    NEW.changed_by := session_user;  -- the login, as in the histories (HISTORY_SQL)
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS templates_written ON templates;
CREATE TRIGGER templates_written BEFORE INSERT OR UPDATE ON templates
    FOR EACH ROW EXECUTE FUNCTION briefer_template_written();
CREATE OR REPLACE FUNCTION briefer_keep_recorded_by() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.recorded_by := OLD.recorded_by;  -- who recorded an edition never changes
    RETURN NEW;
END $$;
"""

#: each history entry's ``changed_by`` is the session's login, whatever the client sends: the
#: session_user, not current_user, so a SET ROLE (to a group, or to a colleague's role an admin
#: granted itself) changes nothing.  Only whoever could switch the trigger off anyway (the table's
#: owner, a superuser) keeps the value it gives: a ``store copy`` or restore carrying the history
#: of another library in, with who made each change there.
HISTORY_SQL = """
CREATE OR REPLACE FUNCTION briefer_history_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.changed_by IS NULL OR NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = TG_RELID
                                             AND pg_has_role(current_user, c.relowner, 'USAGE')) THEN
        NEW.changed_by := session_user;
    END IF;
    RETURN NEW;
END $$;
"""


def _history_trigger(table: str) -> list[sql.Composed]:
    ident, trigger = sql.Identifier(table), sql.Identifier(f"{table}_written")
    return [sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(trigger, ident),
            sql.SQL("CREATE TRIGGER {} BEFORE INSERT ON {} FOR EACH ROW "
                    "EXECUTE FUNCTION briefer_history_written()").format(trigger, ident)]


def _policies(g: Groups) -> list[tuple[str, str, str, str, str | None, str | None]]:
    """(table, policy name, command, role, USING, WITH CHECK) of the library whose groups are ``g``."""
    reader, editor, admin = g.reader, g.editor, g.admin
    return [
        *[(t, f"{t}_read", "SELECT", reader, "true", None) for t in OWN_ROWS],
        *[(t, f"{t}_record", "INSERT", reader, None, "recorded_by = current_user") for t in OWN_ROWS],
        *[(t, f"{t}_own", "UPDATE", reader, "recorded_by = current_user", "recorded_by = current_user")
          for t in OWN_ROWS],
        # a shared template renamed by an editor carries its colleagues' editions with it
        *[(t, f"{t}_editor", "UPDATE", editor, "true", "true") for t in OWN_ROWS],
        *[(t, f"{t}_admin", "ALL", admin, "true", "true") for t in OWN_ROWS],
        (TEMPLATES, "templates_read", "SELECT", reader, "shared OR owner = current_user", None),
        (TEMPLATES, "templates_own", "ALL", reader, "owner = current_user AND NOT shared",
         "owner = current_user AND NOT shared"),
        (TEMPLATES, "templates_share", "INSERT", editor, None, "shared AND owner = current_user"),
        (TEMPLATES, "templates_shared", "UPDATE", editor, "shared", "shared"),
        (TEMPLATES, "templates_admin", "DELETE", admin, "shared", None),
    ]


def _tables(cur: psycopg.Cursor[Any]) -> set[str]:
    cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return {str(r[0]) for r in cur.fetchall()}


def _role_exists(cur: psycopg.Cursor[Any], name: str) -> bool:
    cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,))
    return cur.fetchone() is not None


def _stored(cur: psycopg.Cursor[Any]) -> tuple[str | None, str | None, str]:
    """(the groups' prefix the library keeps, the database it was keyed in, this database's name);
    None, None when it keeps none (a library made before it had groups of its own)."""
    cur.execute("SELECT current_database(), to_regclass('briefer_meta') IS NOT NULL")
    row = cur.fetchone()
    database, has_meta = (str(row[0]), bool(row[1])) if row else ("", False)
    if not has_meta:
        return None, None, database
    cur.execute("SELECT key, value FROM briefer_meta WHERE key IN ('roles', 'roles_database')")
    kept = {str(k): str(v) for k, v in cur.fetchall()}
    return kept.get("roles"), kept.get("roles_database"), database


def library_groups(cur: psycopg.Cursor[Any]) -> Groups:
    """The library's own groups (the shared legacy ones for a library made before it had its own)."""
    prefix, _database, _here = _stored(cur)
    return Groups(prefix) if prefix else LEGACY


def _new_prefix(cur: psycopg.Cursor[Any], database: str) -> str:
    """``briefer_<database>_<4 hex>``: readable in psql, and never the groups of another library."""
    slug = re.sub(r"[^a-z0-9]+", "_", database.lower()).strip("_")[:24] or "library"
    while True:
        prefix = f"briefer_{slug}_{secrets.token_hex(2)}"
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = ANY(%s)", (Groups(prefix).all(),))
        if cur.fetchone() is None:
            return prefix


def create_roles(cur: psycopg.Cursor[Any], g: Groups = LEGACY) -> None:
    """The three NOLOGIN group roles, admin ⊃ editor ⊃ reader (kept when they exist)."""
    for name in g.all():
        if not _role_exists(cur, name):
            try:
                cur.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(name)))
            except psycopg.errors.InsufficientPrivilege:
                raise RoleRefused(f"the team library's roles ({', '.join(g.all())}) do not exist and "
                                  f"the user creating the library may not create roles; create the library "
                                  f"as a user with CREATEROLE (or a superuser)") from None
    for inner, outer in ((g.reader, g.editor), (g.editor, g.admin)):
        cur.execute("SELECT 1 FROM pg_auth_members m JOIN pg_roles a ON a.oid = m.roleid"
                    " JOIN pg_roles b ON b.oid = m.member WHERE a.rolname = %s AND b.rolname = %s", (inner, outer))
        if cur.fetchone() is None:
            cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(inner), sql.Identifier(outer)))


def _members(cur: psycopg.Cursor[Any], group: str) -> list[str]:
    """The roles that are direct members of ``group``, other than Briefer's own groups."""
    cur.execute("SELECT m.rolname FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid"
                " JOIN pg_roles m ON m.oid = am.member WHERE g.rolname = %s ORDER BY m.rolname", (group,))
    return [str(r[0]) for r in cur.fetchall() if not _GROUP_RE.match(str(r[0]))]


def _own_groups(cur: psycopg.Cursor[Any], schema: sql.Identifier) -> Groups:
    """The library's groups, made when it has none of its own yet or was copied from another library
    (its database is not the one it was keyed in): the new groups get the old ones' members, so
    nobody loses access, and the old ones lose their grants here."""
    prefix, keyed_in, database = _stored(cur)
    if prefix and keyed_in == database:
        create_roles(cur, Groups(prefix))
        return Groups(prefix)
    cur.execute("SELECT to_regclass('briefer_meta') IS NOT NULL")
    row = cur.fetchone()
    if not (row and row[0]):  # no bookkeeping table to keep a prefix in (a bare schema): the shared groups
        create_roles(cur, LEGACY)
        return LEGACY
    old, g = Groups(prefix or LEGACY_PREFIX), Groups(_new_prefix(cur, database))
    create_roles(cur, g)
    for role in ROLE_NAMES:
        if _role_exists(cur, old.of(role)):
            for member in _members(cur, old.of(role)):
                cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(g.of(role)), sql.Identifier(member)))
    existing = [sql.Identifier(n) for n in old.all() if _role_exists(cur, n)]
    if existing:
        them = sql.SQL(", ").join(existing)
        cur.execute(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(schema, them))
        cur.execute(sql.SQL("REVOKE ALL ON ALL SEQUENCES IN SCHEMA {} FROM {}").format(schema, them))
        cur.execute(sql.SQL("REVOKE USAGE ON SCHEMA {} FROM {}").format(schema, them))
    cur.execute("INSERT INTO briefer_meta (key, value) VALUES ('roles', %s), ('roles_database', %s)"
                " ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", (g.prefix, database))
    return g


def apply(conn: psycopg.Connection[Any]) -> None:
    """Create the roles, the templates table, the owner columns, the GRANTs and the policies, in the
    caller's transaction (the migration step's).  Idempotent."""
    with conn.cursor() as cur:
        schema = sql.Identifier(_current_schema(cur))
        g = _own_groups(cur, schema)
        cur.execute(TEMPLATES_SQL)
        tables = _tables(cur)
        out: list[sql.Composable] = []  # the statements below, sent at once
        out.append(sql.SQL(HISTORY_SQL))
        for t in HISTORY:
            if t in tables:
                out.extend(_history_trigger(t))
        for t in OWN_ROWS:
            if t in tables:
                ident = sql.Identifier(t)
                out.append(sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS recorded_by TEXT NOT NULL "
                                   "DEFAULT current_user").format(ident))
                trigger = sql.Identifier(f"{t}_recorded_by")
                out.append(sql.SQL("DROP TRIGGER IF EXISTS {} ON {}").format(trigger, ident))
                out.append(sql.SQL("CREATE TRIGGER {} BEFORE UPDATE ON {} FOR EACH ROW "
                                   "EXECUTE FUNCTION briefer_keep_recorded_by()").format(trigger, ident))
        reader, editor, admin = (sql.Identifier(r) for r in g.all())
        out.append(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema, reader))
        out.append(sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}, {}, {}").format(
            schema, reader, editor, admin))
        out.append(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(schema, reader))
        for t in sorted(tables):
            table = sql.Identifier(t)

            def grant(privs: str, role: sql.Identifier, table: sql.Identifier = table) -> None:
                out.append(sql.SQL(f"GRANT {privs} ON TABLE {{}} TO {{}}").format(table, role))

            grant("SELECT", reader)
            if t in OWN_ROWS or t == TEMPLATES:
                grant("INSERT, UPDATE", reader)
                grant("DELETE", reader if t == TEMPLATES else admin)
            elif t in CACHES:
                grant("INSERT, UPDATE, DELETE", reader)
            elif t in META:  # anyone may read that this is a Briefer library, its schema and its groups
                out.append(sql.SQL("GRANT SELECT ON TABLE {} TO PUBLIC").format(table))
            elif t in HISTORY:
                grant("INSERT", editor)
                grant("DELETE", admin)
            else:  # the library and any table a later step adds: editors write, admins delete
                grant("INSERT, UPDATE", editor)
                grant("DELETE", editor if t in REWRITTEN else admin)
        for t in (*OWN_ROWS, TEMPLATES):
            if t in tables:
                out.append(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(sql.Identifier(t)))
        for on, name, command, role, using, check in _policies(g):
            if on not in tables:
                continue
            out.append(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(sql.Identifier(name), sql.Identifier(on)))
            q = f"CREATE POLICY {{}} ON {{}} FOR {command} TO {{}}"
            q += f" USING ({using})" if using else ""
            q += f" WITH CHECK ({check})" if check else ""
            out.append(sql.SQL(q).format(sql.Identifier(name), sql.Identifier(on), sql.Identifier(role)))
        cur.execute(sql.SQL(";\n").join(out))  # all of it in one round trip


def _current_schema(cur: psycopg.Cursor[Any]) -> str:
    cur.execute("SELECT current_schema()")
    row = cur.fetchone()
    return str(row[0]) if row else "public"


# -- what the connected user may do ---------------------------------------------------------------


#: SQL: the prefix of the library's groups (the legacy shared one when it keeps none)
_PREFIX_SQL = f"coalesce((SELECT value FROM briefer_meta WHERE key = 'roles'), '{LEGACY_PREFIX}')"


def _member(role: str, prefix_sql: str = _PREFIX_SQL) -> str:
    """SQL: whether the current user has the privileges of the library's ``role`` group (false when the
    group does not exist)."""
    return (f"EXISTS (SELECT 1 FROM pg_roles g WHERE g.rolname = {prefix_sql} || '_{role}'"
            " AND pg_has_role(current_user, g.oid, 'USAGE'))")


def _may(table: str, privilege: str) -> str:
    """SQL: whether the current user holds ``privilege`` on ``table`` (false when there is no such table)."""
    return (f"CASE WHEN to_regclass('{table}') IS NULL THEN false"
            f" ELSE has_table_privilege('{table}', '{privilege}') END")


def _role_sql(prefix_sql: str) -> str:
    return (f"SELECT current_user, r.rolsuper, r.rolcreaterole, {_member('admin', prefix_sql)},"
            f" {_member('editor', prefix_sql)}, {_member('reader', prefix_sql)} FROM pg_roles r"
            " WHERE r.rolname = current_user")


_ROLE_SQL = _role_sql(_PREFIX_SQL)
#: the same for a database whose bookkeeping cannot be read: not a library yet (empty), or a library
#: made before its groups were its own, which grants nothing to whoever is in none of the shared groups
_ROLE_SQL_SHARED = _role_sql(f"'{LEGACY_PREFIX}'")
_UNREADABLE_META = (psycopg.errors.UndefinedTable, psycopg.errors.InsufficientPrivilege)


def _role_name(superuser: bool, is_admin: bool, is_editor: bool, is_reader: bool) -> RoleName:
    return "admin" if superuser or is_admin else "editor" if is_editor else "reader" if is_reader else "none"


def role_of(conn: psycopg.Connection[Any]) -> str:
    """The connected user's Briefer role ("none" when it has none, or the library has no roles yet)."""
    try:  # a new connection, in autocommit: a refused statement leaves nothing to roll back
        row = conn.execute(_ROLE_SQL).fetchone()
    except _UNREADABLE_META:
        row = conn.execute(_ROLE_SQL_SHARED).fetchone()
    return _role_name(*(bool(v) for v in row[1:2] + row[3:6])) if row else "none"


def permissions(conn: psycopg.Connection[Any]) -> Permissions:
    """The connected user's role and what the server lets it do (read from the grants themselves).
    A user an admin removed while connected (its role dropped) may do nothing: role "none"."""
    def ask(role_sql: str) -> Any:
        with conn.transaction():  # a savepoint inside the caller's transaction: a failure here leaves it usable
            return conn.execute(
                f"SELECT q.*, {_may('facts', 'INSERT')} AND {_may('facts', 'UPDATE')}, {_may('sources', 'INSERT')},"
                f" {_may('facts', 'DELETE')} FROM ({role_sql}) AS q").fetchone()

    try:
        try:
            row = ask(_ROLE_SQL)
        except _UNREADABLE_META:
            row = ask(_ROLE_SQL_SHARED)
    except psycopg.errors.UndefinedObject:  # "invalid role OID": this session's role was dropped
        row = None
    if row is None:
        return Permissions(role="none", user=str(conn.info.user or ""), can_edit=False, can_import=False,
                           can_delete=False, can_manage_users=False, can_write_shared_templates=False)
    user, superuser, createrole, is_admin, is_editor, is_reader, edit, imp, delete = row
    return Permissions(role=_role_name(superuser, is_admin, is_editor, is_reader), user=str(user),
                       can_edit=bool(edit), can_import=bool(imp), can_delete=bool(delete),
                       can_manage_users=bool(superuser or (createrole and is_admin)),
                       can_write_shared_templates=bool(superuser or is_editor))


# -- managing users (an admin connection) -----------------------------------------------------------

_USER_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$")


def check_user_name(name: str) -> str:
    name = name.strip()
    if not _USER_RE.match(name):
        raise KnownError(f"{name!r} cannot name a user of the team library: use letters, digits and _ . @ - "
                         "(at most 63, starting with a letter or _)")
    if _GROUP_RE.match(name.lower()) or name.lower().startswith("pg_") or name.lower() in ("public", "postgres"):
        raise KnownError(f"{name!r} is reserved by PostgreSQL or Briefer and cannot name a user")
    return name


def _own_groups_now(conn: psycopg.Connection[Any], cur: psycopg.Cursor[Any]) -> Groups:
    """The library's own groups, for changing who is in them: a library still on the groups it shares
    (made before it had its own, or its database copied from another library's) gets its own first,
    so a user added here is never added to another library as well.  That needs the tables' owner
    (or a superuser); anyone else is told so (in the caller's transaction, which then changes nothing)."""
    prefix, keyed_in, here = _stored(cur)
    if prefix and keyed_in == here:
        return Groups(prefix)
    try:
        apply(conn)
    except psycopg.errors.InsufficientPrivilege:
        why = ("was made before each library had groups of its own" if not prefix
               else "is a copy of another library's database, whose groups it still shares")
        raise RoleRefused(f"this team library {why}; its owner (or a superuser) must open it once with Briefer, "
                          "which gives it its own, before users can be added or removed") from None
    return library_groups(cur)


def _require_admin(conn: psycopg.Connection[Any], doing: str) -> Permissions:
    perms = permissions(conn)
    if not perms.can_manage_users:
        raise RoleRefused(f"{doing} needs an admin connection to the team library: you are connected as "
                          f"{perms.user} (role {perms.role}); connect as a team admin")
    return perms


def users(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """The team library's users (LOGIN roles in one of its groups), by name, with their role."""
    with conn.cursor() as cur:
        g = library_groups(cur)
        cur.execute(
            "SELECT m.rolname, m.rolcanlogin, m.rolcreaterole, array_agg(g.rolname ORDER BY g.rolname)"
            " FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member"
            " WHERE g.rolname = ANY(%s) AND NOT (m.rolname = ANY(%s))"
            " GROUP BY m.rolname, m.rolcanlogin, m.rolcreaterole ORDER BY m.rolname",
            (g.all(), g.all()))
        rows = cur.fetchall()
    by_group = {g.of(r): r for r in ROLE_NAMES}
    out = []
    for name, login, createrole, groups in rows:
        role = max((by_group[n] for n in groups), key=ROLE_NAMES.index)
        out.append({"name": str(name), "role": role, "login": bool(login),
                    "manages_users": bool(createrole and role == "admin")})
    return out


def set_user(conn: psycopg.Connection[Any], name: str, role: str, *, password: str | None = None) -> bool:
    """Create (or update) the LOGIN role ``name`` as a member of exactly one of the library's groups;
    returns True when it was created.  The password is sent hashed (SCRAM), never in clear in the
    statement, and a user updated without one keeps the password it has."""
    name = check_user_name(name)
    if role not in ROLE_NAMES:
        raise KnownError(f"unknown role {role!r}: choose reader, editor or admin")
    _require_admin(conn, "adding a user")
    with conn.transaction(), conn.cursor() as cur:
        g = _own_groups_now(conn, cur)
        cur.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (name,))
        row = cur.fetchone()
        if row is not None and row[0]:
            raise KnownError(f"{name!r} is a superuser of the PostgreSQL server; Briefer does not change it")
        ident = sql.Identifier(name)
        attrs: sql.Composable = sql.SQL("LOGIN CREATEROLE" if role == "admin" else "LOGIN NOCREATEROLE")
        if password is not None:
            hashed = conn.pgconn.encrypt_password(password.encode(), name.encode(), b"scram-sha-256")
            attrs = sql.SQL("{} PASSWORD {}").format(attrs, sql.Literal(hashed.decode("ascii")))
        created = row is None
        cur.execute(sql.SQL("CREATE ROLE {} {}" if created else "ALTER ROLE {} {}").format(ident, attrs))
        for other in ROLE_NAMES:
            if other != role:
                cur.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(g.of(other)), ident))
        cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(g.of(role)), ident))
        announce(cur, name, role, "insert" if created else "update")
    return created


def announce(cur: psycopg.Cursor[Any], name: str, role: str, op: str) -> None:
    """Tell the library's open windows that user ``name`` now has ``role`` ("none": removed), on the
    live updates' channel: delivered when the caller's transaction commits, so a window re-reads its
    permissions only once the change holds.  (A NOTIFY reaches the listeners of this database only,
    which are the ones the library's own groups concern.)"""
    from briefer.store.postgres.notify import CHANNEL

    cur.execute("SELECT pg_notify(%s, json_build_object('kind', 'role', 'id', %s::text, 'op', %s::text,"
                " 'role', %s::text, 'user', session_user)::text)", (CHANNEL, name, op, role))


def remove_user(conn: psycopg.Connection[Any], name: str) -> str:
    """Take ``name`` out of the team library: its memberships of the library's groups go; the login
    role is dropped when it is in no other group (or, when it still owns something in the cluster,
    left without LOGIN), and kept as it is when it is a user of another library on the server.
    Returns what was done: "removed", "disabled" or "kept"."""
    name = check_user_name(name)
    perms = _require_admin(conn, "removing a user")
    if name == perms.user:
        raise KnownError("you cannot remove the user you are connected as; connect as another admin")
    if name not in {u["name"] for u in users(conn)}:
        raise KnownError(f"{name!r} is not a user of the team library (see 'briefer team users')")
    ident = sql.Identifier(name)
    with conn.transaction(), conn.cursor() as cur:
        for group in _own_groups_now(conn, cur).all():
            cur.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), ident))
        announce(cur, name, "none", "delete")
        cur.execute("SELECT count(*) FROM pg_auth_members am JOIN pg_roles m ON m.oid = am.member"
                    " WHERE m.rolname = %s", (name,))
        left = cur.fetchone()
        if left and left[0]:
            return "kept"  # a member of other groups (another library's): its login is theirs too
        try:
            with conn.transaction():
                cur.execute(sql.SQL("DROP ROLE {}").format(ident))
            return "removed"
        except psycopg.errors.DependentObjectsStillExist:
            cur.execute(sql.SQL("ALTER ROLE {} NOLOGIN").format(ident))
            return "disabled"


# -- the server's refusals, in words ----------------------------------------------------------------

#: table -> what its rows are, for "your role (reader) may not <verb> <what>"
_WHAT = {"facts": "facts", "citations": "facts", "fact_tags": "facts", "fact_history": "facts",
         "fts_words": "facts", "fact_fts": "facts", "fact_cjk": "facts",
         "sources": "sources", "source_history": "sources", "source_imports": "sources",
         "candidates": "import candidates", "conflict_resolutions": "conflict resolutions",
         "glossary": "the glossary", "sections": "sections", "templates": "shared templates",
         "editions": "editions", "edition_facts": "editions"}
_TABLE_RE = re.compile(r'(?:table|relation) "?([A-Za-z_][A-Za-z0-9_]*)"?')


def refused(exc: psycopg.Error, role: str, *, statement: str = "") -> RoleRefused:
    """The one sentence for the server's ``InsufficientPrivilege`` (a GRANT missing, or a row
    row-level security refuses): "the team library refused the change: your role (reader) may not
    edit facts".  ``statement``: the SQL that was refused, when known (a DELETE says "delete")."""
    primary = (exc.diag.message_primary or str(exc)) if isinstance(exc, psycopg.Error) else str(exc)
    m = _TABLE_RE.search(primary)
    table = m.group(1) if m else ""
    what = _WHAT.get(table, table.replace("_", " ") or "the library")
    verb = "delete" if statement.lstrip().upper().startswith("DELETE") or "DELETE" in primary.upper() else "edit"
    if table == "sources" and statement.lstrip().upper().startswith("INSERT"):
        verb, what = "import", "sources"
    return RoleRefused(f"the team library refused the change: your role ({role}) may not {verb} {what}")
