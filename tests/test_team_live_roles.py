"""Live updates of what is not a fact (issue 15, points 3 and 4, at the store level): a template is
announced by its stable id, so a rename is the same template; an admin's change of a user's role
(``briefer team add-user`` / ``remove-user``) is announced, and the user's open connection reads
its new permissions without reconnecting."""

from __future__ import annotations

import itertools
import select

import psycopg
import pytest
import team_support

from briefer.cli import main
from briefer.ingest.factpack import open_store

pytestmark = pytest.mark.postgres

_N = itertools.count()


@pytest.fixture
def team(pg_server, tmp_path):  # noqa: ANN001, ANN201
    db = team_support.new_library(pg_server, tmp_path / "creator")
    n = next(_N)
    users = {role: f"lr_{role}_{n}" for role in ("reader", "editor", "admin")}
    for role, user in users.items():
        team_support.add_user(pg_server, db, user, role)
    return db, users


def _drain(listener, kind: str):  # noqa: ANN001, ANN202
    """The changes of ``kind`` that arrive within 10 s (waiting on the socket, never polling)."""
    out = []
    while not out and select.select([listener.fileno()], [], [], 10)[0]:
        out = [c for c in listener.drain() if c.kind == kind]
    return out


def test_a_template_is_announced_by_its_id_and_a_rename_keeps_it(pg_server, team, tmp_path) -> None:  # noqa: ANN001
    db, users = team
    editor = ["--data-dir", str(tmp_path / "ed"), "--store", pg_server.url(user=users["editor"], db=db)]
    with open_store(tmp_path / "rd", location=pg_server.url(user=users["reader"], db=db)) as reader:
        listener = reader.listener()
        try:
            assert main([*editor, "templates", "duplicate", "risk-watch", "Desk watch"]) == 0  # personal: not told
            assert main([*editor, "templates", "share", "Desk watch"]) == 0
            shared = _drain(listener, "template")
            tid = next(t.template_id for t in reader.template_shelf().templates() if t.name == "Desk watch")
            assert tid.startswith("t-")
            assert main([*editor, "templates", "rename", "Desk watch", "Desk risk watch"]) == 0
            renamed = _drain(listener, "template")
        finally:
            listener.close()
    assert [(c.id, c.name, c.op) for c in shared] == [(tid, "Desk watch", "update")]
    assert [(c.id, c.name, c.was, c.op) for c in renamed] == [(tid, "Desk risk watch", "Desk watch", "update")]
    assert renamed[0].user == users["editor"]


def test_a_role_change_reaches_the_users_open_connection(pg_server, team, tmp_path) -> None:  # noqa: ANN001
    db, users = team
    admin = ["--data-dir", str(tmp_path / "adm"), "--store", pg_server.url(user=users["admin"], db=db)]
    with open_store(tmp_path / "rd", location=pg_server.url(user=users["reader"], db=db)) as store:
        assert store.permissions().role == "reader" and not store.permissions().can_edit
        listener = store.listener()
        try:
            assert main([*admin, "team", "add-user", users["reader"], "--role", "editor"]) == 0
            promoted = _drain(listener, "role")
            now = store.refresh_permissions()
            # the same connection, not a new one: the server's grants hold at once
            fact = store.facts(limit=1)[0]
            store.update_fact(fact.id, fact.model_copy(update={"priority": 5}), analyst="Rae")
            assert main([*admin, "team", "remove-user", users["reader"]]) == 0
            removed = _drain(listener, "role")
            gone = store.refresh_permissions()
        finally:
            listener.close()
    assert [(c.id, c.role, c.op, c.user) for c in promoted] == [(users["reader"], "editor", "update", users["admin"])]
    assert (now.role, now.can_edit, now.can_import, now.can_delete) == ("editor", True, True, False)
    assert [(c.id, c.role, c.op) for c in removed] == [(users["reader"], "none", "delete")]
    assert (gone.role, gone.can_edit) == ("none", False)


def test_a_refused_role_change_is_not_announced(pg_server, team, tmp_path) -> None:  # noqa: ANN001
    """Only a change that holds is told: an editor's attempt to promote itself is refused, and silent."""
    db, users = team
    with open_store(tmp_path / "rd", location=pg_server.url(user=users["reader"], db=db)) as store:
        listener = store.listener()
        try:
            editor = ["--data-dir", str(tmp_path / "ed"), "--store", pg_server.url(user=users["editor"], db=db)]
            assert main([*editor, "team", "add-user", users["reader"], "--role", "admin"]) == 2
            with psycopg.connect(pg_server.url(db=db), autocommit=True) as conn:
                conn.execute("NOTIFY briefer_changes, 'a marker'")  # something arrives after what was not sent
            assert select.select([listener.fileno()], [], [], 10)[0]
            assert [c for c in listener.drain() if c.kind == "role"] == []
        finally:
            listener.close()
        assert store.refresh_permissions().role == "reader"
