"""``briefer store copy`` to and from a team library on PostgreSQL, and team backups: a library moved to the
server and back is the library it was; a non-empty team library is refused; a merge names what differs; a
copy failing half-way leaves the team library as it was; a team backup restores; a server that is down, a
database that is not a library, and a library copied onto itself each get one sentence."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from library_support import enriched_library, view

from briefer.cli import main
from briefer.store.copy import TemplateFolder, is_empty
from briefer.store.db import open_store as open_plain

pytestmark = pytest.mark.postgres
REPO = Path(__file__).resolve().parents[1]


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def library(data_dir: Path) -> tuple[Path, dict[str, Any], str]:
    return enriched_library(data_dir)


def _team_view(url: str, local: Path, gone: str) -> dict[str, Any]:
    store = open_plain(local, location=url, create=False, seed=False)
    try:
        # a team library keeps its templates on the server (the templates table), not in the local folder
        return view(store, store.template_set().read(), gone=(gone,))  # type: ignore[attr-defined]
    finally:
        store.close()


def _same_but_ranking(a: dict[str, Any], b: dict[str, Any]) -> None:
    """Equal, but for the order of search hits: each engine ranks in its own way (bm25, ts_rank)."""
    assert {k: v for k, v in a.items() if k != "search"} == {k: v for k, v in b.items() if k != "search"}
    assert {q: sorted(ids) for q, ids in a["search"].items()} == {q: sorted(ids) for q, ids in b["search"].items()}


def test_a_library_copied_to_the_team_server_and_back_is_the_library_it_was(
        library: tuple[Path, dict[str, Any], str], pg_database: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    src, seen, gone = library
    url = pg_database("blank")  # a new database: the copy creates the library in it
    local = tmp_path / "analyst"
    code, out, err = _cli(capsys, "--data-dir", str(local), "store", "copy", "--from", str(src), "--to", url, "--json")
    assert (code, err) == (0, ""), err
    report = json.loads(out)
    assert report["tables"]["facts"]["rows"] == len(seen["facts"])
    _same_but_ranking(_team_view(url, local, gone), seen)
    # team -> a new local folder: an offline copy, equal to the original in everything, search order too
    code, out, err = _cli(capsys, "--data-dir", str(local), "store", "copy", "--from", url, "--to",
                          str(tmp_path / "offline"), "--json")
    assert (code, err) == (0, "")
    back = json.loads(out)
    assert {t: v["checksum"] for t, v in back["tables"].items()} == \
        {t: v["checksum"] for t, v in report["tables"].items()}  # the same checksums on both engines
    store = open_plain(tmp_path / "offline", create=False, seed=False)
    try:
        assert view(store, TemplateFolder(tmp_path / "offline" / "templates").read(), gone=(gone,)) == seen
    finally:
        store.close()


def test_a_team_library_holding_facts_is_refused(library: tuple[Path, dict[str, Any], str], pg_database: Any,
                                                 tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, _, _ = library
    url = pg_database("seeded")
    before = _team_view(url, tmp_path / "l", "none")
    code, out, err = _cli(capsys, "--data-dir", str(tmp_path / "l"), "store", "copy", "--from", str(src), "--to", url)
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "already holds a library" in err and "--merge" in err
    assert _team_view(url, tmp_path / "l", "none") == before


def test_a_merge_into_the_team_library_names_the_difference_and_keeps_the_teams(
        library: tuple[Path, dict[str, Any], str], pg_database: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    src, seen, _ = library
    url = pg_database("empty")
    local = tmp_path / "l"
    assert _cli(capsys, "--data-dir", str(local), "store", "copy", "--from", str(src), "--to", url)[0] == 0
    team = open_plain(local, location=url, create=False, seed=False)
    fid = sorted(seen["facts"])[3]
    fact = team.fact(fid)
    team.update_fact(fid, fact.model_copy(update={"priority": 1 if fact.priority != 1 else 2}), analyst="colleague")
    team.close()
    mine = open_plain(src, create=False, seed=False)
    base = mine.fact("basic-plan-adopted")
    mine.add_fact(base.model_copy(update={"id": "offline-fact", "statement": "Written offline on the plane."}),
                  analyst="ana")
    mine.close()
    code, out, err = _cli(capsys, "--data-dir", str(local), "store", "copy", "--from", str(src), "--to", url,
                          "--merge", "--json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert [(d["what"], d["key"], d["columns"]) for d in report["differences"]] == [("fact", fid, ["priority"])]
    assert report["tables"]["facts"]["added"] == 1 and report["tables"]["fact_history"]["added"] == 1
    team = open_plain(local, location=url, create=False, seed=False)
    try:
        assert team.fact(fid).priority != fact.priority  # the colleague's edit stays
        assert team.fact("offline-fact").statement == "Written offline on the plane."
        assert [h["action"] for h in team.history("offline-fact")] == ["add"]
        assert "offline-fact" in [h.fact.id for h in team.search("plane")]
        # a new fact on the server after the merge gets an id of its own (the sequences moved on)
        team.add_fact(base.model_copy(update={"id": "after-merge"}), analyst="colleague")
        assert [h["action"] for h in team.history("after-merge")] == ["add"]
    finally:
        team.close()


def _process(*argv: str, fault: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFER_FAULT": fault} if fault else dict(os.environ)
    return subprocess.run([sys.executable, "-m", "briefer", *argv], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=120)


@pytest.mark.parametrize("fault", ["store-copy-citations:fail", "store-copy-verify:kill"])
def test_a_copy_failing_half_way_leaves_the_team_library_as_it_was(
        library: tuple[Path, dict[str, Any], str], pg_database: Any, tmp_path: Path, fault: str) -> None:
    src, _, _ = library
    url = pg_database("empty")
    local = tmp_path / "l"
    run = _process("--data-dir", str(local), "store", "copy", "--from", str(src), "--to", url, fault=fault)
    assert run.returncode != 0
    if fault.endswith(":fail"):
        assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1, run.stderr
    team = open_plain(local, location=url, create=False, seed=False)
    try:
        assert is_empty(team)
    finally:
        team.close()


def test_a_team_backup_restores_into_the_team_library_and_into_a_local_folder(
        library: tuple[Path, dict[str, Any], str], pg_database: Any, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    src, seen, gone = library
    url = pg_database("empty")
    local = tmp_path / "l"
    assert _cli(capsys, "--data-dir", str(local), "store", "copy", "--from", str(src), "--to", url)[0] == 0
    archive = tmp_path / "team.briefer-backup.zip"
    code, out, err = _cli(capsys, "--data-dir", str(local), "--store", url, "backup", str(archive), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["facts"] == len(seen["facts"])
    team = open_plain(local, location=url, create=False, seed=False)
    team.delete_fact("basic-plan-adopted", analyst="colleague")
    team.close()
    code, _, err = _cli(capsys, "--data-dir", str(local), "--store", url, "restore", str(archive))
    assert code == 2 and "--force" in err  # the library holds facts: replacing them is asked for
    code, out, err = _cli(capsys, "--data-dir", str(local), "--store", url, "restore", str(archive), "--force",
                          "--json")
    assert (code, err) == (0, "")
    kept = json.loads(out)["kept"]
    assert kept and Path(kept).is_file() and Path(kept).parent == local / "backups"
    _same_but_ranking(_team_view(url, local, gone), seen)
    # the same archive restores into a new local data folder as any backup does
    code, _, err = _cli(capsys, "--data-dir", str(tmp_path / "offline"), "restore", str(archive))
    assert (code, err) == (0, "")
    store = open_plain(tmp_path / "offline", create=False, seed=False)
    try:
        assert view(store, TemplateFolder(tmp_path / "offline" / "templates").read(), gone=(gone,)) == seen
    finally:
        store.close()


def test_bad_team_addresses_get_one_sentence(library: tuple[Path, dict[str, Any], str], pg_server: Any,
                                             pg_database: Any, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    import pg_cluster

    src, _, _ = library
    down = f"postgresql://nobody@127.0.0.1:{pg_cluster.free_port()}/lib"
    foreign = pg_database("blank")
    pg_server.psql("CREATE TABLE invoices (id int)", db=foreign.rsplit("/", 1)[1])
    team = pg_database("empty")
    local = tmp_path / "l"
    cases = {
        ("--from", down, "--to", str(tmp_path / "x")): "cannot reach",
        ("--from", str(src), "--to", down): "cannot reach",
        ("--from", foreign, "--to", str(tmp_path / "x")): "not a Briefer library",
        ("--from", team, "--to", str(tmp_path / "x")): "holds nothing to copy",
        ("--from", pg_database("blank"), "--to", str(tmp_path / "x")): "is empty",
        ("--from", team, "--to", team.replace("127.0.0.1", "localhost")): "the same library",
        ("--from", str(src), "--to", team.replace("@", ":secret@")): "password",
    }
    for argv, words in cases.items():
        code, out, err = _cli(capsys, "--data-dir", str(local), "store", "copy", *argv)
        assert code == 2, (argv, err)
        assert words in err and len(err.strip().splitlines()) == 1, (argv, err)
        assert "secret" not in err
    assert not (tmp_path / "x").exists()
    assert pg_server.psql("SELECT count(*) FROM invoices", db=foreign.rsplit("/", 1)[1]).strip() == "0"
