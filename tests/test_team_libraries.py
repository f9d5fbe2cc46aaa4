"""Several team libraries on one PostgreSQL server (issue 15 point 3): each has its own three groups, so
a user's role in one library is nothing in another, ``team users`` lists the library's own users, and
removing a user from one library leaves the others alone.  A library that still shares the groups of
before (made when all libraries of a cluster shared ``briefer_reader``/``_editor``/``_admin``), or a
database copied from another library's, gets its own groups at its owner's next open, with the same
members, and the shared groups lose their grants there."""

from __future__ import annotations

import itertools
from pathlib import Path

import psycopg
import pytest
import team_support

from briefer.cli import main
from briefer.ingest.factpack import open_store
from briefer.store.postgres import roles

pytestmark = pytest.mark.postgres

_N = itertools.count()


def _as(pg_server, db: str, data_dir: Path, user: str | None = None) -> list[str]:  # noqa: ANN001
    return ["--data-dir", str(data_dir), "--store", pg_server.url(user=user, db=db) if user else pg_server.url(db=db)]


def _library(pg_server, tmp_path: Path) -> str:  # noqa: ANN001
    """A new library, opened once by its owner as Briefer's first open of it would (the test support
    copies a seeded database, which comes with the seeded one's groups until its owner opens it)."""
    db = team_support.new_library(pg_server, tmp_path / "creator")
    open_store(tmp_path / "owner", location=pg_server.url(db=db)).close()
    return db


def _groups(pg_server, db: str) -> roles.Groups:  # noqa: ANN001
    with team_support.connect(pg_server, db, pg_server.superuser) as conn, conn.cursor() as cur:
        return roles.library_groups(cur)


def _may_read(pg_server, db: str, user: str) -> bool:  # noqa: ANN001
    with team_support.connect(pg_server, db, user) as conn:
        try:
            conn.execute("SELECT count(*) FROM facts").fetchone()
        except psycopg.errors.InsufficientPrivilege:
            return False
        return True


def test_a_role_in_one_library_is_nothing_in_another(pg_server, tmp_path, capsys) -> None:  # noqa: ANN001
    a, b = _library(pg_server, tmp_path), _library(pg_server, tmp_path)
    ed = f"desk_ed_{next(_N)}"
    assert main([*_as(pg_server, a, tmp_path / "adm"), "team", "add-user", ed, "--role", "editor"]) == 0
    ga, gb = _groups(pg_server, a), _groups(pg_server, b)
    assert ga != gb and ga.prefix.startswith(f"briefer_{a}_") and gb.prefix.startswith(f"briefer_{b}_")
    assert ga.prefix != roles.LEGACY_PREFIX

    # an editor of A: reads and edits A, reads nothing of B, is no user of B
    with team_support.connect(pg_server, a, ed) as conn:
        assert roles.permissions(conn).role == "editor"
        conn.execute("UPDATE facts SET priority = 2 WHERE id = (SELECT min(id) FROM facts)")
    assert not _may_read(pg_server, b, ed)
    with team_support.connect(pg_server, b, ed) as conn:
        assert roles.permissions(conn).role == "none"
    capsys.readouterr()
    assert main([*_as(pg_server, b, tmp_path / "adm"), "team", "users", "--json"]) == 0
    assert ed not in capsys.readouterr().out
    # Briefer itself, opening B as that user: refused by the server, in one sentence
    assert main([*_as(pg_server, b, tmp_path / "ed", ed), "facts", "search", "Headquarters"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert f"{ed} is not a user of the team library " in err and f"briefer team add-user {ed} --role reader" in err

    # a reader of B as well: each library keeps its own role for the same login
    assert main([*_as(pg_server, b, tmp_path / "adm"), "team", "add-user", ed, "--role", "reader"]) == 0
    with team_support.connect(pg_server, b, ed) as conn:
        assert roles.permissions(conn).role == "reader"
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE facts SET priority = 2")
    with team_support.connect(pg_server, a, ed) as conn:
        assert roles.permissions(conn).role == "editor"

    # removed from A: still B's reader, so the login stays
    capsys.readouterr()
    assert main([*_as(pg_server, a, tmp_path / "adm"), "team", "remove-user", ed]) == 0
    assert "the login stays, as it is a user of another library on this server" in capsys.readouterr().out
    assert not _may_read(pg_server, a, ed) and _may_read(pg_server, b, ed)
    # removed from B too: no library left, the login goes
    assert main([*_as(pg_server, b, tmp_path / "adm"), "team", "remove-user", ed]) == 0
    assert f"Removed user {ed} from the team library" in capsys.readouterr().out
    with team_support.connect(pg_server, b, pg_server.superuser) as conn:
        assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (ed,)).fetchone() is None


def test_a_library_on_the_shared_groups_gets_its_own_at_its_owners_next_open(pg_server, tmp_path) -> None:  # noqa: ANN001
    db = _library(pg_server, tmp_path)
    n = next(_N)
    old_reader, newcomer = f"old_reader_{n}", f"other_desk_{n}"
    own = _groups(pg_server, db)
    with team_support.connect(pg_server, db, pg_server.superuser) as conn:
        legacy = roles.LEGACY.all()
        assert conn.execute("SELECT count(*) FROM pg_roles WHERE rolname = ANY(%s)", (legacy,)).fetchone() == (0,)
        # the library as a Briefer before per-library groups left it: its grants on the shared groups
        for group, role in zip(own.all(), legacy, strict=True):
            conn.execute(f"ALTER ROLE {group} RENAME TO {role}")
        conn.execute("DELETE FROM briefer_meta WHERE key IN ('roles', 'roles_database')")
        conn.execute(f"CREATE ROLE {old_reader} LOGIN")
        conn.execute(f"CREATE ROLE {newcomer} LOGIN")
        conn.execute(f"GRANT briefer_reader TO {old_reader}")
    try:
        assert _groups(pg_server, db) == roles.LEGACY
        assert _may_read(pg_server, db, old_reader)
        open_store(tmp_path / "owner", location=pg_server.url(db=db)).close()  # the owner's next open
        mine = _groups(pg_server, db)
        assert mine.prefix.startswith(f"briefer_{db}_")
        with team_support.connect(pg_server, db, old_reader) as conn:  # nobody loses access
            assert roles.permissions(conn).role == "reader"
        assert _may_read(pg_server, db, old_reader)
        # a user another library on the shared groups adds is no user of this one any more
        with team_support.connect(pg_server, db, pg_server.superuser) as conn:
            conn.execute(f"GRANT briefer_reader TO {newcomer}")
            assert conn.execute("SELECT has_table_privilege('briefer_reader', 'facts', 'SELECT')").fetchone() \
                == (False,)
        assert not _may_read(pg_server, db, newcomer)
    finally:
        with team_support.connect(pg_server, db, pg_server.superuser) as conn:
            conn.execute(f"DROP ROLE IF EXISTS {old_reader}, {newcomer}")
            conn.execute("DROP ROLE IF EXISTS briefer_admin, briefer_editor, briefer_reader")


def test_a_copied_database_gets_its_own_groups_before_users_change(pg_server, tmp_path) -> None:  # noqa: ANN001
    """CREATE DATABASE … TEMPLATE (or a dump restored under another name) copies the library with the
    name of its groups: adding a user to the copy must not add it to the original."""
    a = _library(pg_server, tmp_path)
    n = next(_N)
    team_support.add_user(pg_server, a, f"orig_{n}", "editor")
    copy = f"copy{n}_{a}"
    pg_server.psql(f"CREATE DATABASE {copy} TEMPLATE {a}")
    assert _groups(pg_server, copy) == _groups(pg_server, a)  # copied with the original's groups
    team_support.add_user(pg_server, copy, f"newbie_{n}", "reader")
    assert _groups(pg_server, copy) != _groups(pg_server, a)
    assert _may_read(pg_server, copy, f"newbie_{n}") and not _may_read(pg_server, a, f"newbie_{n}")
    with team_support.connect(pg_server, copy, f"orig_{n}") as conn:  # the copy's members came along
        assert roles.permissions(conn).role == "editor"


def test_a_user_name_like_a_librarys_group_is_reserved(pg_server, tmp_path) -> None:  # noqa: ANN001
    db = _library(pg_server, tmp_path)
    with team_support.connect(pg_server, db, pg_server.superuser) as conn:
        for bad in (_groups(pg_server, db).admin, "briefer_reader", "Briefer_Other_1a2b_Editor"):
            with pytest.raises(Exception, match="reserved"):
                roles.set_user(conn, bad, "reader")
