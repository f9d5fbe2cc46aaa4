"""``make team-demo`` sets up a team library with a reader and an editor and says how to reach it as
each (scripts/team_demo.py), on the tests' cluster."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import psycopg
import pytest

pytestmark = pytest.mark.postgres

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))


@pytest.fixture(scope="module")
def scram_server(pg_server):  # noqa: ANN001, ANN201
    """A cluster of its own whose TCP logins need a password, as make team-demo starts it (pg_server, the
    suite's, is asked for first so that a machine without PostgreSQL skips here with its reason)."""
    import pg_cluster

    with pg_cluster.cluster(auth_host="scram-sha-256") as server:
        yield server


def test_the_demo_makes_a_library_a_reader_and_an_editor_and_says_how_to_use_them(scram_server, tmp_path) -> None:  # noqa: ANN001
    import team_demo

    pg_server = scram_server
    users = (("demo_reader_t", "reader"), ("demo_editor_t", "editor"))
    demo = team_demo.prepare(pg_server, tmp_path, db="demo_t", users=users)
    assert stat.S_IMODE(demo.pgpass.stat().st_mode) == 0o600 and demo.pgpass.parent == tmp_path
    lines = demo.pgpass.read_text().splitlines()
    assert lines == [f"127.0.0.1:{pg_server.port}:demo_t:{u}:{demo.passwords[u]}" for u, _r in users]
    from briefer.store.postgres import roles

    for user, role in users:
        with pytest.raises(psycopg.OperationalError, match="password"):
            psycopg.connect(pg_server.url(user=user, db="demo_t"), passfile="/nonexistent").close()
        with psycopg.connect(pg_server.url(user=user, db="demo_t"), passfile=str(demo.pgpass)) as conn:
            assert roles.permissions(conn).role == role
            assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] > 50  # the seed pack
    text = team_demo.instructions(demo)
    assert f"BRIEFER_STORE=postgresql://demo_editor_t@127.0.0.1:{pg_server.port}/demo_t briefer" in text
    assert f"password {demo.passwords['demo_reader_t']}" in text
    assert f"PGPASSFILE={demo.pgpass}" in text and "Ctrl+C" in text
