"""Faults of a team library's server (issue 15, "Bad input and faults"): each one clear sentence on
stderr, exit status 2, no traceback, the local data folder untouched, and the library itself either
left as it was or, for a connection dropped in the middle of an edit, without half of the edit."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

from briefer.errors import SchemaTooNewError, StoreError, StoreInterrupted, StoreUnreachable
from briefer.model import Citation, Fact

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[1]


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _briefer(data_dir: Path, *argv: str, env: dict[str, str] | None = None,
             timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefer", "--data-dir", str(data_dir), *argv], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})}, cwd=REPO)


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("briefer: error: "), result.stderr
    return lines[0]


def _admin(pg_server, db: str = "postgres"):  # noqa: ANN001, ANN202
    import psycopg

    return psycopg.connect(pg_server.url(db=db), autocommit=True)


def test_a_server_that_is_down_is_one_sentence_and_the_local_store_is_untouched(data_dir: Path) -> None:
    before = _snapshot(data_dir)
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    line = _one_line(_briefer(data_dir, "--store", f"postgresql://ana@127.0.0.1:{port}/desk", "facts", "list"))
    assert "cannot reach the team library server" in line and "local data was not touched" in line
    assert _snapshot(data_dir) == before


def test_a_server_that_never_answers_times_out_instead_of_hanging(data_dir: Path) -> None:
    before = _snapshot(data_dir)
    with socket.socket() as hole:  # accepts connections in the kernel, never answers one
        hole.bind(("127.0.0.1", 0))
        hole.listen(8)
        port = hole.getsockname()[1]
        result = _briefer(data_dir, "--store", f"postgresql://ana@127.0.0.1:{port}/desk", "facts", "list",
                          env={"PGCONNECT_TIMEOUT": "2"}, timeout=60)
    line = _one_line(result)
    assert "did not answer within 2 seconds" in line
    assert _snapshot(data_dir) == before


@pytest.fixture
def password_role(pg_server):  # noqa: ANN001, ANN201
    """A role that must give its password (scram-sha-256 for it alone, ahead of the cluster's trust).
    Its name is new for each test; the cluster is thrown away after the run."""
    role = f"pw_analyst_{os.getpid()}_{time.monotonic_ns() % 1_000_000}"
    with _admin(pg_server) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'right-one'")
        hba = Path(admin.execute("SHOW hba_file").fetchone()[0])
        original = hba.read_text()
        hba.write_text(f"host all {role} 127.0.0.1/32 scram-sha-256\n" + original)
        admin.execute("SELECT pg_reload_conf()")
    _until_a_password_is_asked(pg_server, role)  # the postmaster rereads pg_hba.conf on SIGHUP, soon after
    try:
        yield role
    finally:
        hba.write_text(original)
        with _admin(pg_server) as admin:
            admin.execute("SELECT pg_reload_conf()")


def _until_a_password_is_asked(pg_server, role: str) -> None:  # noqa: ANN001
    import psycopg

    for _ in range(200):
        try:
            psycopg.connect(pg_server.url(user=role), password="", connect_timeout=5).close()
        except psycopg.OperationalError as exc:
            if "password" in str(exc):
                return
        time.sleep(0.05)
    raise AssertionError("the server never started asking for the password")


def test_a_wrong_or_missing_password_is_one_sentence(pg_server, pg_database, password_role: str,  # noqa: ANN001
                                                     data_dir: Path, tmp_path: Path) -> None:
    url = pg_database("seeded").replace(f"{pg_server.superuser}@", f"{password_role}@")
    with _admin(pg_server, url.rsplit("/", 1)[1]) as conn:  # a reader's grant (the roles themselves: PGB)
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {password_role}")
    before = _snapshot(data_dir)
    nopass = {"PGPASSFILE": str(tmp_path / "no-such-pgpass")}
    line = _one_line(_briefer(data_dir, "--store", url, "facts", "list", env={**nopass, "PGPASSWORD": "wrong"}))
    assert "refused the password" in line and "PGPASSWORD" in line
    line = _one_line(_briefer(data_dir, "--store", url, "facts", "list", env=nopass))
    assert "asks for a password" in line and "~/.pgpass" in line
    assert _snapshot(data_dir) == before
    ok = _briefer(data_dir, "--store", url, "facts", "list", env={**nopass, "PGPASSWORD": "right-one"})
    assert ok.returncode == 0 and ok.stdout  # the right one from libpq's own source lets the role in


def test_a_url_holding_a_password_is_refused_and_nothing_saves_it(data_dir: Path) -> None:
    line = _one_line(_briefer(data_dir, "--store", "postgresql://ana:secret@127.0.0.1:5432/desk", "facts", "list"))
    assert "holds a password" in line and "secret" not in line
    line = _one_line(_briefer(data_dir, "config", "--team-library", "postgresql://ana:secret@db.example/desk"))
    assert "holds a password" in line and "secret" not in line
    settings = data_dir / "settings.json"
    assert not settings.exists() or "secret" not in settings.read_text()


def test_a_database_that_is_not_a_briefer_library_is_refused_and_left_alone(pg_server, pg_database,  # noqa: ANN001
                                                                         data_dir: Path) -> None:
    url = pg_database("blank")
    db = url.rsplit("/", 1)[1]
    with _admin(pg_server, db) as conn:
        conn.execute("CREATE TABLE invoices (id integer PRIMARY KEY, total numeric)")
        conn.execute("INSERT INTO invoices VALUES (1, 99.5)")
    before = _snapshot(data_dir)
    line = _one_line(_briefer(data_dir, "--store", url, "facts", "list"))
    assert "is not a Briefer library" in line and "invoices" in line and "left as it is" in line
    with _admin(pg_server, db) as conn:
        tables = [r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        assert tables == ["invoices"]  # never migrated, never seeded
        assert conn.execute("SELECT total FROM invoices").fetchone()[0] == 99.5
    assert _snapshot(data_dir) == before


def test_a_library_of_a_newer_schema_is_refused(pg_server, pg_database, data_dir: Path) -> None:  # noqa: ANN001
    from briefer.store.migrations import LATEST

    url = pg_database("seeded")
    with _admin(pg_server, url.rsplit("/", 1)[1]) as conn:
        conn.execute("UPDATE briefer_meta SET value = %s WHERE key = 'schema'", (str(LATEST + 1),))
    line = _one_line(_briefer(data_dir, "--store", url, "facts", "list"))
    assert f"newer Briefer (schema {LATEST + 1}" in line
    from briefer.ingest.factpack import open_store

    with pytest.raises(SchemaTooNewError):
        open_store(data_dir, location=url)
    with _admin(pg_server, url.rsplit("/", 1)[1]) as conn:
        assert conn.execute("SELECT value FROM briefer_meta WHERE key = 'schema'").fetchone()[0] == str(LATEST + 1)


def _terminate(pg_server, db: str, *, state: str = "idle in transaction") -> int:  # noqa: ANN001
    with _admin(pg_server) as admin:
        for _ in range(100):
            rows = admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND application_name = 'briefer'"
                                 " AND state = %s", (db, state)).fetchall()
            if rows:
                for (pid,) in rows:
                    admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
                return len(rows)
            time.sleep(0.05)
    return 0


def _fact(fid: str) -> Fact:
    return Fact(id=fid, section="law-summary", statement=f"A fact written by a fault test ({fid}).",
                as_of=date(2025, 6, 1), citations=[Citation(source="src-a", quote="passed by the Diet", location="p1")])


def test_a_connection_dropped_in_the_middle_of_a_change_applies_none_of_it(pg_server, pg_database,  # noqa: ANN001
                                                                           tmp_path: Path) -> None:
    from briefer.ingest.factpack import open_store
    from briefer.model import Section, Source, SourceKind

    url = pg_database("empty")
    store = open_store(tmp_path / "d", location=url, seed=False)
    store.load_pack([Section(id="law-summary", title="The law")],
                    [Source(id="src-a", label="A", kind=SourceKind.OTHER, text="It was passed by the Diet.")], [], [])
    db = url.rsplit("/", 1)[1]
    with pytest.raises(StoreUnreachable, match="none of it was applied"), store.transaction():
        store.add_fact(_fact("first-half"))
        assert _terminate(pg_server, db) == 1
        store.add_fact(_fact("second-half"))
    store.close()
    again = open_store(tmp_path / "d", location=url)
    try:
        assert again.fact_ids() == set()
        assert again.history("first-half") == []
    finally:
        again.close()


def test_the_cli_says_an_edit_cut_off_by_the_server_was_not_applied(pg_server, pg_database,  # noqa: ANN001
                                                                   tmp_path: Path) -> None:
    from briefer.ingest.factpack import open_store

    url = pg_database("seeded")
    store = open_store(tmp_path / "d", location=url)
    fact = store.facts()[0]
    store.close()
    go = tmp_path / "go"
    os.mkfifo(go)
    proc = subprocess.Popen([sys.executable, "-m", "briefer", "--data-dir", str(tmp_path / "d"), "--store", url,
                             "facts", "tag", fact.id, "--add", "topic:cut-off"], stderr=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True, cwd=REPO,
                            env={**os.environ, "BRIEFER_FAULT": "fact-modify:pause", "BRIEFER_FAULT_GO": str(go)})
    try:
        assert proc.stderr is not None
        assert "paused at fact-modify" in proc.stderr.readline()  # read under the write lock, not yet written
        assert _terminate(pg_server, url.rsplit("/", 1)[1]) == 1
        with go.open("w") as fh:
            fh.write("go\n")
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "connection to the team library" in err and "not" in err
    again = open_store(tmp_path / "d", location=url)
    try:
        assert again.fact(fact.id).tags == fact.tags
        assert again.history(fact.id) == []
    finally:
        again.close()


def test_interrupt_cancels_the_running_query(pg_database, tmp_path: Path) -> None:  # noqa: ANN001
    from briefer.ingest.factpack import open_store

    store = open_store(tmp_path / "d", location=pg_database("seeded"))
    try:
        timer = threading.Timer(0.5, store.interrupt)
        timer.start()
        with pytest.raises(StoreInterrupted):
            store._q("SELECT pg_sleep(30)")  # a query long enough to be cut short
        timer.join()
        assert store.fact_count() > 100  # the connection is still usable
    finally:
        store.close()


def test_without_psycopg_one_line_says_to_install_the_team_extra(data_dir: Path) -> None:
    code = ("import sys; sys.modules['psycopg'] = None\n"
            "from briefer.cli import main\n"
            f"sys.exit(main(['--data-dir', {str(data_dir)!r}, '--store', 'postgresql://ana@127.0.0.1:1/desk',"
            " 'facts', 'list']))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert "briefer[team]" in _one_line(result)


def test_an_empty_library_is_not_created_when_creating_is_not_asked(pg_database, tmp_path: Path) -> None:  # noqa: ANN001
    from briefer.ingest.factpack import open_store

    with pytest.raises(StoreError, match="empty"):
        open_store(tmp_path / "d", location=pg_database("blank"), create=False)


def test_a_connection_dropped_between_changes_is_made_again_at_the_next_one(pg_server, pg_database,  # noqa: ANN001
                                                                          tmp_path: Path) -> None:
    from briefer.domain import curation
    from briefer.ingest.factpack import open_store

    url = pg_database("seeded")
    store = open_store(tmp_path / "d", location=url)
    try:
        fid = store.facts()[0].id
        assert _terminate(pg_server, url.rsplit("/", 1)[1], state="idle") == 1  # e.g. the server restarted
        assert store.fact(fid).id == fid  # read on a new connection
        assert _terminate(pg_server, url.rsplit("/", 1)[1], state="idle") == 1
        curation.tag_fact(store, fid, add=["topic:after-restart"], analyst="Ana")
        assert "topic:after-restart" in store.fact(fid).tags
    finally:
        store.close()


def test_a_query_briefer_got_wrong_is_a_bug_not_the_users_library(pg_database, tmp_path: Path) -> None:  # noqa: ANN001
    from briefer.errors import BugError, KnownError
    from briefer.ingest.factpack import open_store

    store = open_store(tmp_path / "d", location=pg_database("seeded"))
    try:
        with pytest.raises(BugError) as bug:
            store._q("SELECT no_such_column FROM facts")
        assert not isinstance(bug.value, KnownError)
        with pytest.raises(BugError):
            store._q("SELECT * FROM facts WHERE id = ? AND section = ?", ("only-one",))
        assert store.fact_count() > 100  # the library itself is fine
    finally:
        store.close()
