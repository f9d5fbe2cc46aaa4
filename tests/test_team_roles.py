"""Roles in a team library, enforced by the server: what a reader, an editor and an admin connecting
with plain SQL (as psql would) may and may not change (issue 15 point 3)."""

from __future__ import annotations

import itertools

import psycopg
import pytest
import team_support

from briefer.errors import KnownError, RoleRefused
from briefer.store.postgres import roles

pytestmark = pytest.mark.postgres

_N = itertools.count()


@pytest.fixture
def team(pg_server, tmp_path):  # noqa: ANN001, ANN201
    """A fresh team library, created by Briefer's own first open, with one user of each role:
    (db, {role: user name})."""
    db = team_support.new_library(pg_server, tmp_path / "creator")
    n = next(_N)
    users = {role: f"{role}_{n}" for role in ("reader", "editor", "admin")}
    for role, user in users.items():
        team_support.add_user(pg_server, db, user, role)
    return db, users


def _refused(conn: psycopg.Connection, statement: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(statement)


def _statement(conn: psycopg.Connection) -> str:  # type: ignore[type-arg]
    row = conn.execute("SELECT statement FROM facts WHERE id = 'f1'").fetchone()
    assert row is not None
    return str(row[0])


def test_a_reader_with_plain_sql_reads_but_cannot_change_the_library(pg_server, team) -> None:  # noqa: ANN001
    db, users = team
    with team_support.connect(pg_server, db, users["reader"]) as conn:
        assert _statement(conn) == "The Act passed in May 2025."
        _refused(conn, "UPDATE facts SET statement = 'Rewritten by a reader' WHERE id = 'f1'")
        _refused(conn, "INSERT INTO facts (id, section, statement, as_of) VALUES ('f2', 'law', 'x', '2025-01-01')")
        _refused(conn, "DELETE FROM facts WHERE id = 'f1'")
        _refused(conn, "INSERT INTO sources (id, label, kind) VALUES ('s2', 'Imported', 'news')")
        _refused(conn, "UPDATE glossary SET aliases = '[]'")
        _refused(conn, "INSERT INTO conflict_resolutions (key, kind, subject, action, resolved_at)"
                       " VALUES ('k', 'dates', 's', 'dismiss', 'now')")
        _refused(conn, "DELETE FROM fact_history")
        _refused(conn, "CREATE TABLE mine (x int)")
        assert _statement(conn) == "The Act passed in May 2025."


def test_an_editor_adds_and_edits_but_cannot_delete(pg_server, team) -> None:  # noqa: ANN001
    db, users = team
    with team_support.connect(pg_server, db, users["editor"]) as conn:
        conn.execute("UPDATE facts SET statement = 'Edited by an editor', priority = 5 WHERE id = 'f1'")
        conn.execute("INSERT INTO facts (id, section, statement, as_of) VALUES ('f2', 'law', 'New', '2025-06-01')")
        conn.execute("INSERT INTO sources (id, label, kind) VALUES ('s2', 'Imported', 'news')")
        conn.execute("INSERT INTO citations (fact, pos, source, quote)"
                     " SELECT rowid, 0, 's2', 'quoted' FROM facts WHERE id = 'f2'")
        # an edit replaces a fact's citations and tags whole: those rows an editor may delete
        conn.execute("DELETE FROM citations WHERE source = 's2'")
        conn.execute("INSERT INTO fact_history (fact_id, changed_at, action) VALUES ('f2', 'now', 'add')")
        _refused(conn, "DELETE FROM facts WHERE id = 'f2'")
        _refused(conn, "DELETE FROM sources WHERE id = 's2'")
        _refused(conn, "DELETE FROM fact_history")
        assert _statement(conn) == "Edited by an editor"


def test_an_admin_deletes(pg_server, team) -> None:  # noqa: ANN001
    db, users = team
    with team_support.connect(pg_server, db, users["admin"]) as conn:
        before = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        conn.execute("DELETE FROM facts WHERE id = 'f1'")
        assert conn.execute("SELECT count(*) FROM facts").fetchone() == (before - 1,)
        # the library's marker and schema number are the migrations' alone
        _refused(conn, "UPDATE briefer_meta SET value = '99' WHERE key = 'schema'")


def test_each_role_records_only_its_own_editions(pg_server, team) -> None:  # noqa: ANN001
    db, users = team
    with team_support.connect(pg_server, db, users["reader"]) as reader:
        reader.execute("INSERT INTO editions (template, number, exported_on, recorded_at)"
                       " VALUES ('Weekly', 1, '2025-06-01', 'now')")
        eid = reader.execute("SELECT id, recorded_by FROM editions").fetchone()
        assert eid is not None and eid[1] == users["reader"]
        reader.execute("INSERT INTO edition_facts (edition, pos, fact_id, section, statement, status,"
                       " statement_hash, citations_hash, content_hash) VALUES (%s, 0, 'f1', 'law', 's', 'current',"
                       " 'a', 'b', 'c')", (eid[0],))
        # it cannot record an edition in a colleague's name
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            reader.execute("INSERT INTO editions (template, number, exported_on, recorded_at, recorded_by)"
                           " VALUES ('Weekly', 2, '2025-06-02', 'now', %s)", (users["editor"],))
        _refused(reader, "DELETE FROM editions")
    with team_support.connect(pg_server, db, users["editor"]) as editor:
        editor.execute("INSERT INTO editions (template, number, exported_on, recorded_at)"
                       " VALUES ('Weekly', 2, '2025-06-02', 'now')")
        # the editor sees the reader's edition, and cannot take it over
        assert editor.execute("SELECT count(*) FROM editions").fetchone() == (2,)
        editor.execute("UPDATE editions SET recorded_by = current_user, template = 'Weekly brief' WHERE number = 1")
        assert editor.execute("SELECT template, recorded_by FROM editions WHERE number = 1").fetchone() == (
            "Weekly brief", users["reader"])
    with team_support.connect(pg_server, db, users["reader"]) as reader:
        # a reader's UPDATE of a colleague's edition touches nothing
        assert reader.execute("UPDATE editions SET title = 'mine' WHERE number = 2").rowcount == 0


def test_permissions_report_what_the_server_allows(pg_server, team) -> None:  # noqa: ANN001
    db, users = team
    seen = {}
    for role, user in users.items():
        with team_support.connect(pg_server, db, user) as conn:
            seen[role] = roles.permissions(conn)
    assert (seen["reader"].role, seen["reader"].can_edit, seen["reader"].can_import) == ("reader", False, False)
    assert not seen["reader"].can_write_shared_templates and not seen["reader"].can_manage_users
    assert (seen["editor"].role, seen["editor"].can_edit, seen["editor"].can_delete) == ("editor", True, False)
    assert seen["editor"].can_write_shared_templates and not seen["editor"].can_manage_users
    assert (seen["admin"].role, seen["admin"].can_delete, seen["admin"].can_manage_users) == ("admin", True, True)
    assert seen["reader"].why_not("can_edit") == "Your role in the team library (reader) cannot edit facts"


def test_users_are_added_changed_listed_and_removed_by_an_admin(pg_server, team) -> None:  # noqa: ANN001
    db, users = team
    n = next(_N)
    with team_support.connect(pg_server, db, users["admin"]) as conn:
        assert roles.set_user(conn, f"ana_{n}", "reader", password="s3cret pass") is True
        assert {"name": f"ana_{n}", "role": "reader", "login": True, "manages_users": False} in roles.users(conn)
        assert roles.set_user(conn, f"ana_{n}", "editor") is False
        listed = {u["name"]: u["role"] for u in roles.users(conn)}
        assert listed[f"ana_{n}"] == "editor" and listed[users["reader"]] == "reader"
    # the password works; the role changed
    with psycopg.connect(f"postgresql://ana_{n}:s3cret%20pass@127.0.0.1:{pg_server.port}/{db}") as ana:
        assert roles.permissions(ana).role == "editor"
    with team_support.connect(pg_server, db, users["admin"]) as conn:
        assert roles.remove_user(conn, f"ana_{n}") == "removed"
        assert f"ana_{n}" not in {u["name"] for u in roles.users(conn)}
        with pytest.raises(KnownError, match="is not a user of the team library"):
            roles.remove_user(conn, f"ana_{n}")
        with pytest.raises(KnownError, match="cannot remove the user you are connected as"):
            roles.remove_user(conn, users["admin"])


@pytest.mark.parametrize("role", ["reader", "editor"])
def test_adding_a_user_without_admin_rights_is_refused_by_briefer_and_by_the_server(
        pg_server, team, role: str) -> None:  # noqa: ANN001
    db, users = team
    with team_support.connect(pg_server, db, users[role]) as conn:
        with pytest.raises(RoleRefused, match=rf"adding a user needs an admin connection.*\(role {role}\)"):
            roles.set_user(conn, "mallory", "admin")
        _refused(conn, "CREATE ROLE mallory LOGIN")
        with conn.cursor() as cur:
            admins = roles.library_groups(cur).admin
        _refused(conn, f"GRANT {admins} TO {users[role]}")
        assert roles.permissions(conn).role == role


def test_a_user_name_that_is_not_an_identifier_or_is_reserved_is_refused(pg_server, team) -> None:  # noqa: ANN001
    db, users = team
    with team_support.connect(pg_server, db, users["admin"]) as conn:
        n = conn.execute("SELECT count(*) FROM facts").fetchone()
        for bad in ("", "bob; DROP TABLE facts", "briefer_admin", "briefer_lib3_a1b2_editor", "pg_monitor", "x" * 70):
            with pytest.raises(KnownError):
                roles.set_user(conn, bad, "reader")
        with pytest.raises(KnownError, match="unknown role"):
            roles.set_user(conn, "bob", "owner")
        assert conn.execute("SELECT count(*) FROM facts").fetchone() == n


def test_the_server_refusal_reads_as_one_sentence(pg_server, team) -> None:  # noqa: ANN001
    db, users = team
    with team_support.connect(pg_server, db, users["reader"]) as conn:
        for statement, said in (("UPDATE facts SET priority = 1", "may not edit facts"),
                                ("DELETE FROM facts", "may not delete facts"),
                                ("INSERT INTO sources (id, label, kind) VALUES ('s', 'l', 'news')",
                                 "may not import sources")):
            with pytest.raises(psycopg.errors.InsufficientPrivilege) as caught:
                conn.execute(statement)
            message = str(roles.refused(caught.value, "reader", statement=statement))
            assert message == f"the team library refused the change: your role (reader) {said}"


def test_apply_is_idempotent(pg_server, team) -> None:  # noqa: ANN001
    db, users = team
    with psycopg.connect(pg_server.url(db=db)) as conn:
        roles.apply(conn)
        roles.apply(conn)
    with team_support.connect(pg_server, db, users["reader"]) as conn:
        _refused(conn, "UPDATE facts SET priority = 1")
        assert _statement(conn)


def test_a_library_made_before_it_had_roles_gets_them_at_its_owner_s_next_open(pg_server, team, tmp_path) -> None:  # noqa: ANN001
    from briefer.ingest.factpack import open_store

    db, users = team
    with psycopg.connect(pg_server.url(db=db)) as conn:
        conn.execute("DROP TABLE templates")
    # a reader's open leaves it as it is
    open_store(tmp_path / "r", location=pg_server.url(user=users["reader"], db=db)).close()
    with psycopg.connect(pg_server.url(db=db)) as conn:
        assert conn.execute("SELECT to_regclass('templates')").fetchone() == (None,)
    store = open_store(tmp_path / "owner", location=pg_server.url(db=db))
    try:
        assert store.template_shelf() is not None and store.template_shelf().templates() == []
    finally:
        store.close()
    with team_support.connect(pg_server, db, users["reader"]) as conn:
        _refused(conn, "UPDATE facts SET priority = 1")
        assert conn.execute("SELECT count(*) FROM templates").fetchone() == (0,)
