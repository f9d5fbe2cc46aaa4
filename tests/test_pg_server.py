"""The throwaway PostgreSQL server the team-library tests run against (issue 15, point 6)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.postgres


def test_the_server_answers_over_tcp_with_the_extensions_a_team_library_needs(pg_server) -> None:  # noqa: ANN001
    import psycopg

    with psycopg.connect(pg_server.url(), connect_timeout=5) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        assert int(version.split(".")[0]) >= 15
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        assert conn.execute("SELECT similarity('城内実', '城内')").fetchone()[0] > 0
        conn.execute("CREATE TABLE t (body text)")
        conn.execute("INSERT INTO t VALUES ('The AI Promotion Act establishes a headquarters')")
        rank = conn.execute("SELECT ts_rank(to_tsvector('english', body), plainto_tsquery('english', "
                            "'headquarters')) FROM t").fetchone()[0]
        assert rank > 0
        conn.rollback()


def test_the_server_listens_only_on_loopback_and_lives_in_a_temporary_folder(pg_server) -> None:  # noqa: ANN001
    assert pg_server.psql("SHOW listen_addresses").strip() == "127.0.0.1"
    assert Path(pg_server.folder).is_dir()
    assert Path(pg_server.folder).name.startswith("briefer-pg-")
    assert Path(pg_server.folder).parent == Path(tempfile.gettempdir())


def test_a_stopped_cluster_leaves_no_server_and_no_folder() -> None:
    import subprocess

    import pg_cluster

    try:
        with pg_cluster.cluster() as server:
            folder, port = server.folder, server.port
    except pg_cluster.ClusterUnavailable as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc}")
    assert not folder.exists()
    out = subprocess.run([pg_cluster.find_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port)],
                         capture_output=True, check=False)
    assert out.returncode != 0  # nothing answers on the port any more
