"""Who made a change is written by the server (issue 15, point 2): a reader or an editor connecting
with plain SQL, as psql would, cannot put another name in a fact's or a source's history, nor
rewrite an entry that is there."""

from __future__ import annotations

import itertools

import psycopg
import pytest
import team_support

from briefer.ingest.factpack import open_store
from briefer.store.postgres import roles

pytestmark = pytest.mark.postgres

_N = itertools.count()

_FACT_ENTRY = ("INSERT INTO fact_history (fact_id, changed_at, action, after, changed_by)"
               " VALUES ('f1', '2026-12-01T10:00:00', 'edit', '{}', %s) RETURNING changed_by")
_SOURCE_ENTRY = ("INSERT INTO source_history (source_id, changed_at, action, after, changed_by)"
                 " VALUES ('src1', '2026-12-01T10:00:00', 'edit', '{}', %s) RETURNING changed_by")


@pytest.fixture
def team(pg_server, tmp_path):  # noqa: ANN001, ANN201
    db = team_support.new_library(pg_server, tmp_path / "creator")
    n = next(_N)
    users = {role: f"hw_{role}_{n}" for role in ("reader", "editor", "admin")}
    for role, user in users.items():
        team_support.add_user(pg_server, db, user, role)
    return db, users


def _entry(conn: psycopg.Connection, sql: str, claimed: str) -> str:  # type: ignore[type-arg]
    row = conn.execute(sql, (claimed,)).fetchone()
    assert row is not None
    return str(row[0])


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_a_forged_name_in_the_history_becomes_the_real_user(pg_server, team, role) -> None:  # noqa: ANN001
    db, users = team
    victim = users["reader"]
    with team_support.connect(pg_server, db, users[role]) as conn:
        assert _entry(conn, _FACT_ENTRY, victim) == users[role]
        assert _entry(conn, _SOURCE_ENTRY, victim) == users[role]
        assert _entry(conn, _FACT_ENTRY, "") == users[role]  # nor anonymous
        # acting as the group role (or a colleague's role) does not change who is written
        with conn.cursor() as cur:
            conn.execute(f"SET ROLE {roles.library_groups(cur).of(role)}")
        assert _entry(conn, _FACT_ENTRY, victim) == users[role]
        conn.execute("RESET ROLE")
        written = conn.execute("SELECT DISTINCT changed_by FROM fact_history WHERE changed_at = "
                               "'2026-12-01T10:00:00'").fetchall()
    assert written == [(users[role],)]


def test_nobody_but_the_owner_rewrites_a_history_entry(pg_server, team) -> None:  # noqa: ANN001
    db, users = team
    with team_support.connect(pg_server, db, users["editor"]) as conn:
        _entry(conn, _FACT_ENTRY, "")
    for role in ("editor", "admin"):
        with team_support.connect(pg_server, db, users[role]) as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("UPDATE fact_history SET changed_by = %s", (users["reader"],))
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("UPDATE source_history SET changed_by = %s", (users["reader"],))
    with team_support.connect(pg_server, db, users["reader"]) as conn:
        assert {r[0] for r in conn.execute("SELECT changed_by FROM fact_history")} >= {users["editor"]}
        assert users["reader"] not in {r[0] for r in conn.execute("SELECT changed_by FROM fact_history")}


def test_the_owner_copying_history_in_keeps_who_made_each_change(pg_server, team) -> None:  # noqa: ANN001
    """``store copy`` and restore run as the library's owner: another library's history keeps its names."""
    db, users = team
    with team_support.connect(pg_server, db, pg_server.superuser) as conn:
        assert _entry(conn, _FACT_ENTRY, "carried-over") == "carried-over"
        # the owner's own edits (no name given) are its login
        row = conn.execute("INSERT INTO fact_history (fact_id, changed_at, action) VALUES ('f1', 'now', 'edit')"
                           " RETURNING changed_by").fetchone()
    assert row == (pg_server.superuser,)


def test_the_store_records_the_login_of_each_editor(pg_server, team, tmp_path) -> None:  # noqa: ANN001
    db, users = team
    with open_store(tmp_path / "ed", location=pg_server.url(user=users["editor"], db=db)) as store:
        fact = store.facts(limit=1)[0]
        store.update_fact(fact.id, fact.model_copy(update={"statement": fact.statement + " (checked)"}), analyst="Ed")
        last = store.history(fact.id)[-1]
    assert (last["analyst"], last["changed_by"]) == ("Ed", users["editor"])


def test_a_library_made_before_step_12_gets_the_server_written_history(pg_server, tmp_path) -> None:  # noqa: ANN001
    db = team_support.new_library(pg_server, tmp_path / "creator")
    editor = f"hw_old_editor_{next(_N)}"
    team_support.add_user(pg_server, db, editor, "editor")
    with team_support.connect(pg_server, db, pg_server.superuser) as conn:  # as a Briefer before step 12 left it
        with conn.cursor() as cur:
            editors = roles.library_groups(cur).editor
        for table in ("fact_history", "source_history"):
            conn.execute(f"DROP TRIGGER {table}_written ON {table}")
            conn.execute(f"ALTER TABLE {table} ALTER COLUMN changed_by SET DEFAULT current_user")
            conn.execute(f"GRANT UPDATE ON {table} TO {editors}")
        conn.execute("UPDATE briefer_meta SET value = '11' WHERE key = 'schema'")
    with team_support.connect(pg_server, db, editor) as conn:
        assert _entry(conn, _FACT_ENTRY, "someone else") == "someone else"  # the hole step 12 closes
    open_store(tmp_path / "owner", location=pg_server.url(db=db)).close()  # the owner's next open migrates
    with team_support.connect(pg_server, db, editor) as conn:
        assert _entry(conn, _FACT_ENTRY, "someone else") == editor
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE fact_history SET changed_by = 'someone else'")
