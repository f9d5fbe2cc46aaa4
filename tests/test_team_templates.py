"""A team library's templates live in its database: shared ones written by editors, personal ones by
their owner only (row-level security), every write versioned (issue 15 points 2 and 3)."""

from __future__ import annotations

import itertools
from pathlib import Path

import psycopg
import pytest
import team_support

from briefer.domain.team_templates import TeamTemplateLibrary
from briefer.errors import RoleRefused, StaleEdit
from briefer.store.postgres.templates import PgTemplateShelf

pytestmark = pytest.mark.postgres

_N = itertools.count()


@pytest.fixture
def team(pg_server):  # noqa: ANN001, ANN201
    db = team_support.new_library(pg_server)
    n = next(_N)
    users = {"reader": f"tr_reader_{n}", "reader2": f"tr_reader2_{n}", "editor": f"tr_editor_{n}",
             "editor2": f"tr_editor2_{n}", "admin": f"tr_admin_{n}"}
    for key, user in users.items():
        team_support.add_user(pg_server, db, user, key.rstrip("2"))
    conns: list[psycopg.Connection] = []  # type: ignore[type-arg]

    def library(key: str, data_dir: Path) -> TeamTemplateLibrary:
        conn = team_support.connect(pg_server, db, users[key])
        conns.append(conn)
        return TeamTemplateLibrary(data_dir / key, PgTemplateShelf(conn, f"team library {db}"))

    yield library, users, db
    for c in conns:
        c.close()


def test_a_personal_template_is_kept_in_the_database_and_seen_only_by_its_owner(team, tmp_path: Path) -> None:
    library, users, _db = team
    ana, ben = library("reader", tmp_path), library("reader2", tmp_path)
    saved = ana.duplicate("one-page-brief", "Ana weekly")
    listed = {i.name: i for i in ana.list()}
    assert not listed["Ana weekly"].builtin and listed["Ana weekly"].owner == users["reader"]
    assert listed["one-page-brief"].builtin
    assert ana.get("Ana weekly").sections == saved.sections
    assert not (tmp_path / "reader" / "templates").exists()  # nothing written to the data folder
    assert "Ana weekly" not in {i.name for i in ben.list()}
    assert not ben.exists("Ana weekly")


def test_user_a_cannot_change_user_b_s_personal_template_even_with_raw_sql(pg_server, team, tmp_path: Path) -> None:
    library, users, db = team
    ana = library("reader", tmp_path)
    ana.duplicate("one-page-brief", "Ana weekly")
    tid = ana.stored("Ana weekly").template_id
    for other in ("reader2", "editor"):
        with team_support.connect(pg_server, db, users[other]) as conn:
            assert conn.execute("UPDATE templates SET body = '{}' WHERE template_id = %s", (tid,)).rowcount == 0
            assert conn.execute("DELETE FROM templates WHERE template_id = %s", (tid,)).rowcount == 0
            # a row written in Ana's name is the writer's own (the server sets the owner)
            conn.execute("INSERT INTO templates (template_id, name, body, owner) VALUES (%s, 'Fake', '{}', %s)",
                         (f"fake-{other}", users["reader"]))
            assert conn.execute("SELECT owner FROM templates WHERE template_id = %s",
                                (f"fake-{other}",)).fetchone() == (users[other],)
    assert "Fake" not in {i.name for i in ana.list()}
    assert ana.stored("Ana weekly").version == 1
    assert ana.get("Ana weekly").name == "Ana weekly"


def test_shared_templates_are_written_by_editors_and_read_by_everyone(team, tmp_path: Path) -> None:
    library, _users, _db = team
    editor, reader = library("editor", tmp_path), library("reader", tmp_path)
    editor.duplicate("risk-watch", "Desk risk watch")
    editor.share("Desk risk watch")
    seen = {i.name: i for i in reader.list()}
    assert seen["Desk risk watch"].shared
    with pytest.raises(RoleRefused, match=r"your role \(reader\) may not write shared templates"):
        reader.save(reader.get("Desk risk watch").model_copy(update={"description": "mine"}), replace=True)
    with pytest.raises(RoleRefused, match=r"your role \(reader\) may not write shared templates"):
        reader.save(reader.get("one-page-brief"), name="Reader shares", shared=True)
    with pytest.raises(RoleRefused, match=r"your role \(reader\) may not delete shared templates"):
        reader.delete("Desk risk watch")
    # a reader keeps a copy of their own instead
    reader.duplicate("Desk risk watch", "My risk watch")
    assert {"Desk risk watch", "My risk watch"} <= {i.name for i in reader.list()}
    # another editor edits the shared template; deleting it takes an admin
    editor2 = library("editor2", tmp_path)
    edited = editor2.get("Desk risk watch").model_copy(update={"description": "Edited by the desk"})
    editor2.save(edited, replace=True)
    assert reader.get("Desk risk watch").description == "Edited by the desk"
    with pytest.raises(RoleRefused, match=r"your role \(editor\) may not delete shared templates"):
        editor2.delete("Desk risk watch")
    library("admin", tmp_path).delete("Desk risk watch")
    assert not reader.exists("Desk risk watch")


def test_every_write_increments_the_version_and_an_old_version_is_refused(team, tmp_path: Path) -> None:
    library, users, _db = team
    mine, theirs = library("editor", tmp_path), library("editor2", tmp_path)
    mine.duplicate("one-page-brief", "Morning note")
    mine.share("Morning note")
    assert mine.stored("Morning note").version == 2
    mine_copy = mine.get("Morning note")
    theirs_copy = theirs.get("Morning note")
    theirs.save(theirs_copy.model_copy(update={"description": "Theirs"}), replace=True)
    with pytest.raises(StaleEdit) as caught:
        mine.save(mine_copy.model_copy(update={"description": "Mine"}), replace=True)
    message = str(caught.value)
    assert f"changed by {users['editor2']} at " in message and "now version 3" in message
    assert "based on version 2" in message and "not saved" in message
    assert mine.get("Morning note").description == "Theirs"
    mine.save(mine.get("Morning note").model_copy(update={"description": "Mine, after reading theirs"}),
              replace=True)
    row = theirs.stored("Morning note")
    assert (row.version, row.changed_by) == (4, users["editor"])
    assert theirs.get("Morning note").description == "Mine, after reading theirs"


def test_a_version_sent_by_a_client_is_ignored_by_the_server(pg_server, team, tmp_path: Path) -> None:
    library, users, db = team
    lib = library("reader", tmp_path)
    lib.duplicate("one-page-brief", "Mine")
    with team_support.connect(pg_server, db, users["reader"]) as conn:
        conn.execute("UPDATE templates SET version = 1, changed_by = 'someone else' WHERE name = 'Mine'")
        assert conn.execute("SELECT version, changed_by FROM templates WHERE name = 'Mine'").fetchone() == (
            2, users["reader"])


def test_rename_and_names_that_clash(team, tmp_path: Path) -> None:
    library, _users, _db = team
    lib = library("reader", tmp_path)
    lib.duplicate("one-page-brief", "Draft")
    lib.rename("Draft", "Final")
    assert lib.exists("Final") and not lib.exists("Draft")
    from briefer.domain.template_library import TemplateExists

    with pytest.raises(TemplateExists):
        lib.duplicate("one-page-brief", "final")
    with pytest.raises(TemplateExists):
        lib.duplicate("Final", "risk-watch")


def test_the_template_editor_s_save_renames_and_refuses_an_old_version(team, tmp_path: Path) -> None:
    library, users, _db = team
    mine, theirs = library("editor", tmp_path), library("editor2", tmp_path)
    mine.duplicate("one-page-brief", "Weekly")
    mine.share("Weekly")
    opened_by_me = mine.get("Weekly")
    theirs.update("Weekly", theirs.get("Weekly").model_copy(update={"name": "Weekly note"}))
    with pytest.raises(StaleEdit, match=f"changed by {users['editor2']} at "):
        mine.update("Weekly note", opened_by_me.model_copy(update={"description": "mine"}))
    assert {i.name for i in mine.list() if not i.builtin} == {"Weekly note"}
    new = mine.update(None, opened_by_me.model_copy(update={"name": "Mine alone"}))
    assert mine.stored("Mine alone").template_id != mine.stored("Weekly note").template_id
    assert not mine.stored("Mine alone").shared and new.name == "Mine alone"


def test_a_lost_connection_reads_as_one_sentence(pg_server, team, tmp_path: Path) -> None:  # noqa: ANN001
    from briefer.errors import KnownError
    from briefer.store.postgres.connection import translate

    library, users, db = team
    conn = team_support.connect(pg_server, db, users["reader"])
    lib = TeamTemplateLibrary(tmp_path, PgTemplateShelf(conn, "team library", fail=lambda e, d: translate(e, db, d)))
    conn.close()
    with pytest.raises(KnownError):
        lib.list()
