"""Live updates of a team library at the store level (issue 15, point 4): the triggers announce each
committed change once, with who made it; the listener hears them without waiting, tells its own
store's changes from others', and says so in one sentence when the server goes."""

from __future__ import annotations

import select
import uuid

import pytest

from briefer.errors import StoreUnreachable
from briefer.store.changes import Change
from briefer.store.postgres import notify

pytestmark = pytest.mark.postgres

#: the tables the triggers watch, as the team library's schema has them (same names and keys as SQLite's)
SCHEMA = """
CREATE TABLE sections (id text PRIMARY KEY);
CREATE TABLE sources (id text PRIMARY KEY, title text, version integer NOT NULL DEFAULT 1);
CREATE TABLE facts (rowid bigserial PRIMARY KEY, id text NOT NULL UNIQUE, statement text NOT NULL,
                    version integer NOT NULL DEFAULT 1);
CREATE TABLE citations (fact bigint NOT NULL REFERENCES facts(rowid) ON DELETE CASCADE, pos integer NOT NULL,
                        source text NOT NULL REFERENCES sources(id), quote text NOT NULL, PRIMARY KEY (fact, pos));
CREATE TABLE fact_tags (fact bigint NOT NULL REFERENCES facts(rowid) ON DELETE CASCADE, tag text NOT NULL,
                        PRIMARY KEY (tag, fact));
CREATE TABLE templates (name text PRIMARY KEY, body text NOT NULL DEFAULT '', version integer NOT NULL DEFAULT 1);
"""


@pytest.fixture
def library(pg_server):  # noqa: ANN001, ANN201
    """A fresh database with the watched tables and the triggers installed; yields its URL."""
    import psycopg

    name = "live_" + uuid.uuid4().hex[:10]
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = pg_server.url(db=name)
    with psycopg.connect(url) as conn:
        conn.execute(SCHEMA)
        watched = notify.install(conn)
        conn.execute("INSERT INTO sources (id, title) VALUES ('s1', 'Cabinet Office')")
        conn.execute("INSERT INTO facts (id, statement) VALUES ('law-passed', 'The Diet passed the Act.')")
        conn.commit()
    assert watched == ["facts", "citations", "fact_tags", "sources", "templates"]
    yield url
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def _listener(url: str, **kw):  # noqa: ANN003, ANN202
    import psycopg

    return notify.PgListener(lambda: psycopg.connect(url, connect_timeout=5), **kw)


def _wait_readable(listener, timeout: float = 10) -> bool:  # noqa: ANN001
    return bool(select.select([listener.fileno()], [], [], timeout)[0])


def _edit_statement(conn, fid: str, text: str) -> None:  # noqa: ANN001
    """One edit as the store makes it: the row (its version up by one), its citations and tags anew."""
    row = conn.execute("UPDATE facts SET statement = %s, version = version + 1 WHERE id = %s RETURNING rowid",
                       (text, fid)).fetchone()
    conn.execute("DELETE FROM citations WHERE fact = %s", (row[0],))
    conn.execute("INSERT INTO citations VALUES (%s, 0, 's1', 'passed')", (row[0],))
    conn.execute("DELETE FROM fact_tags WHERE fact = %s", (row[0],))
    conn.execute("INSERT INTO fact_tags VALUES (%s, 'topic:law')", (row[0],))


def test_a_committed_edit_is_announced_once_with_its_version_and_who_made_it(library, pg_server) -> None:  # noqa: ANN001
    import psycopg

    listener = _listener(library)
    try:
        assert listener.drain() == []  # nothing yet, and drain does not wait
        with psycopg.connect(library) as other:
            other.execute("SET briefer.analyst = 'Alice'")
            _edit_statement(other, "law-passed", "The Diet passed the AI Promotion Act in May 2025.")
            # not committed: nobody hears of it yet
            assert not select.select([listener.fileno()], [], [], 0.3)[0]
            other.commit()
        assert _wait_readable(listener)
        changes = listener.drain()
    finally:
        listener.close()
    # the row, its citations and its tags were one edit: one announcement
    assert changes == [Change(kind="fact", id="law-passed", version=2, op="update", user=pg_server.superuser,
                              analyst="Alice")]
    assert changes[0].who == f"{pg_server.superuser} (Alice)"
    assert not changes[0].own


def test_a_rolled_back_edit_is_never_announced(library) -> None:  # noqa: ANN001
    import psycopg

    listener = _listener(library)
    try:
        with psycopg.connect(library) as other:
            _edit_statement(other, "law-passed", "A change that is taken back.")
            other.rollback()
            other.execute("UPDATE sources SET title = 'Cabinet Secretariat', version = version + 1 WHERE id = 's1'")
            other.commit()
        assert _wait_readable(listener)
        changes = listener.drain()
    finally:
        listener.close()
    assert [(c.kind, c.id, c.version) for c in changes] == [("source", "s1", 2)]


def test_adding_deleting_sources_and_templates_are_each_announced(library) -> None:  # noqa: ANN001
    import psycopg

    listener = _listener(library)
    seen: list[Change] = []
    try:
        with psycopg.connect(library, autocommit=True) as other:
            other.execute("INSERT INTO templates (name) VALUES ('weekly')")
            other.execute("UPDATE templates SET body = 'x', version = version + 1 WHERE name = 'weekly'")
            other.execute("DELETE FROM facts WHERE id = 'law-passed'")
        while len(seen) < 3 and _wait_readable(listener):
            seen += listener.drain()
    finally:
        listener.close()
    assert [(c.kind, c.id, c.op, c.version) for c in seen] == [
        ("template", "weekly", "insert", 1), ("template", "weekly", "update", 2),
        ("fact", "law-passed", "delete", None)]


def test_a_statement_touching_many_records_announces_each_once_and_none_is_lost(library) -> None:  # noqa: ANN001
    import psycopg

    listener = _listener(library)
    seen: list[Change] = []
    try:
        with psycopg.connect(library) as other:
            other.execute("INSERT INTO facts (id, statement) SELECT 'f' || n, 'fact ' || n"
                          " FROM generate_series(1, 500) n")
            other.execute("UPDATE facts SET version = version + 1")  # and every fact again, one statement
            other.commit()
        while len(seen) < 1001 and _wait_readable(listener):
            seen += listener.drain()
    finally:
        listener.close()
    assert len(seen) == 1001
    assert [c.id for c in seen[:500]] == [f"f{n}" for n in range(1, 501)]
    assert {(c.op, c.version) for c in seen[:500]} == {("insert", 1)}
    assert {c.id: c.version for c in seen[500:]}["law-passed"] == 2


def test_the_listener_tells_its_own_stores_changes_from_a_colleagues(library) -> None:  # noqa: ANN001
    import psycopg

    with psycopg.connect(library, autocommit=True) as mine, psycopg.connect(library, autocommit=True) as theirs:
        listener = _listener(library, own_pids=lambda: {mine.info.backend_pid})
        try:
            mine.execute("UPDATE facts SET statement = 'mine', version = version + 1 WHERE id = 'law-passed'")
            theirs.execute("UPDATE facts SET statement = 'theirs', version = version + 1 WHERE id = 'law-passed'")
            seen: list[Change] = []
            while len(seen) < 2 and _wait_readable(listener):
                seen += listener.drain()
        finally:
            listener.close()
    assert [(c.version, c.own) for c in seen] == [(2, True), (3, False)]


def test_a_lost_connection_makes_the_socket_readable_and_drain_says_so(library, pg_server) -> None:  # noqa: ANN001
    listener = _listener(library, where="the team library at 127.0.0.1")
    try:
        pg_server.psql(f"SELECT pg_terminate_backend({listener.backend_pid})")
        # the server's goodbye, then the end of the stream, each wake the watcher (nothing polls); the
        # two may come apart, so drain each time the socket is readable, as the window does
        with pytest.raises(StoreUnreachable, match="the connection to the team library at 127.0.0.1 was lost"):
            for _wake in range(10):
                assert _wait_readable(listener)
                assert listener.drain() == []
    finally:
        listener.close()


def test_a_payload_briefer_did_not_send_is_ignored() -> None:
    assert notify.parse("not json") is None
    assert notify.parse('{"kind": "something else", "id": "x"}') is None
    assert notify.parse('{"kind": "fact", "id": "x", "version": 4}') == Change(kind="fact", id="x", version=4)


def test_a_templates_table_without_a_version_is_watched_by_its_id(pg_server) -> None:  # noqa: ANN001
    """The triggers fit the table as it is (a templates table another step made differently)."""
    import psycopg

    name = "live_" + uuid.uuid4().hex[:10]
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = pg_server.url(db=name)
    try:
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE templates (id text PRIMARY KEY, body text)")
            assert notify.install(conn) == ["templates"]
            conn.commit()
        listener = _listener(url)
        try:
            with psycopg.connect(url, autocommit=True) as other:
                other.execute("INSERT INTO templates VALUES ('weekly', '{}')")
            assert _wait_readable(listener)
            assert [(c.kind, c.id, c.version) for c in listener.drain()] == [("template", "weekly", None)]
        finally:
            listener.close()
    finally:
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


def test_a_personal_template_is_not_announced_a_shared_one_is(pg_server) -> None:  # noqa: ANN001
    import psycopg

    name = "live_" + uuid.uuid4().hex[:10]
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    url = pg_server.url(db=name)
    try:
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE templates (template_id text PRIMARY KEY, name text NOT NULL, body text,"
                         " version integer NOT NULL DEFAULT 1, shared boolean NOT NULL DEFAULT false)")
            notify.install(conn)
            conn.commit()
        listener = _listener(url)
        try:
            with psycopg.connect(url, autocommit=True) as other:
                other.execute("INSERT INTO templates (template_id, name) VALUES ('t1', 'my notes')")
                other.execute("INSERT INTO templates (template_id, name, shared) VALUES ('t2', 'weekly', true)")
            assert _wait_readable(listener)
            assert [(c.kind, c.id, c.name) for c in listener.drain()] == [("template", "t2", "weekly")]
        finally:
            listener.close()
    finally:
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
