"""``briefer store copy``: a whole library moved between stores, verified, refused into a non-empty target,
merged without overwriting, and never half-applied (SQLite to SQLite here; the team library's half is in
tests/test_store_copy_pg.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from library_support import TEMPLATES, enriched_library, folder_view, view

from briefer.cli import main
from briefer.ingest.factpack import open_store
from briefer.store.copy import TemplateFolder
from briefer.store.db import open_store as open_plain

REPO = Path(__file__).resolve().parents[1]


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def library(data_dir: Path) -> tuple[Path, dict[str, Any], str]:
    """The seeded data folder with something in every table; its view; the id of the fact deleted."""
    return enriched_library(data_dir)


def _view_of(folder: Path, gone: str) -> dict[str, Any]:
    return folder_view(folder, gone)


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.endswith(("-wal", "-shm"))}


def test_a_copy_into_a_new_folder_holds_the_whole_library(library: tuple[Path, dict[str, Any], str],
                                                          tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src, seen, gone = library
    code, out, err = _cli(capsys, "store", "copy", "--from", str(src), "--to", str(tmp_path / "copy"), "--json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["tables"]["facts"]["rows"] == len(seen["facts"])
    assert report["tables"]["fact_history"]["rows"] == 5  # add, edit, add, supersede, delete
    assert all(t["rows"] == t["added"] for t in report["tables"].values())
    assert report["templates"] == {"count": 2, "added": 2}
    assert report["tables"]["source_analysis"]["rows"] == len(seen["sources"])  # the prepared analyses too
    copied = _view_of(tmp_path / "copy", gone)
    assert copied == seen
    # the history of the deleted fact, the supersession and the source's edit came along
    assert [h["action"] for h in copied["history"][gone]] == ["delete"]
    assert copied["source_history"]["basic-plan"][-1]["analyst"] == "ben"
    assert copied["templates"] == TEMPLATES


def test_the_copy_prints_counts_and_checksums(library: tuple[Path, dict[str, Any], str], tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    src, seen, _ = library
    code, out, _ = _cli(capsys, "store", "copy", "--from", str(src), "--to", str(tmp_path / "copy"))
    assert code == 0
    assert "verified: counts and checksums match" in out
    facts_line = next(line for line in out.splitlines() if line.strip().startswith("facts "))
    assert f" {len(seen['facts'])} rows" in facts_line
    # the same library copied again gives the same checksums
    code, again, _ = _cli(capsys, "store", "copy", "--from", str(tmp_path / "copy"), "--to", str(tmp_path / "two"))
    assert code == 0
    assert [ln.split()[-1] for ln in again.splitlines()[1:-1]] == [ln.split()[-1] for ln in out.splitlines()[1:-1]]


def test_a_target_holding_a_library_is_refused(library: tuple[Path, dict[str, Any], str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    src, _, _ = library
    other = tmp_path / "other"
    open_store(other).close()  # a seeded library of its own
    before = _files(other)
    code, out, err = _cli(capsys, "store", "copy", "--from", str(src), "--to", str(other))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "already holds a library" in err and "--merge" in err
    assert _files(other) == before


def test_merge_adds_what_is_new_and_reports_what_differs(library: tuple[Path, dict[str, Any], str], tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    src, seen, gone = library
    target = tmp_path / "desk"
    code, _, _ = _cli(capsys, "store", "copy", "--from", str(src), "--to", str(target))
    assert code == 0
    # the desk's own changes: an edited fact, a template of its own, an edited shared template
    store = open_plain(target, create=False, seed=False)
    edited_id = next(iter(seen["facts"]))
    edited = store.fact(edited_id)
    store.update_fact(edited_id, edited.model_copy(update={"statement": edited.statement + " (desk wording)",
                                                           "tags": [*edited.tags, "topic:desk"]}), analyst="desk")
    desk_view = view(store)
    store.close()
    (target / "templates" / "minister-note.json").write_bytes(b'{"schema_version": 1, "name": "Minister note"}')
    # the source's new work: a fact added, with its history
    store = open_plain(src, create=False, seed=False)
    base = store.fact("basic-plan-adopted")
    store.add_fact(base.model_copy(update={"id": "plan-priorities", "statement": "The plan lists five priorities."}),
                   analyst="ana")
    store.close()

    code, out, err = _cli(capsys, "store", "copy", "--from", str(src), "--to", str(target), "--merge", "--json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["tables"]["facts"]["added"] == 1
    assert report["tables"]["citations"]["added"] == 1
    assert report["tables"]["fact_history"]["added"] == 1
    assert {(d["what"], d["key"], tuple(d["columns"])) for d in report["differences"]} == {
        ("fact", edited_id, ("statement", "tags")), ("template", "minister-note", ("content",))}
    store = open_plain(target, create=False, seed=False)
    try:
        merged = view(store)
        assert merged["facts"][edited_id] == desk_view["facts"][edited_id]  # the desk's wording stays
        assert merged["history"][edited_id] == desk_view["history"][edited_id]
        assert "plan-priorities" in merged["facts"]
        assert [h["action"] for h in store.history("plan-priorities")] == ["add"]
        assert "plan-priorities" in [h.fact.id for h in store.search("five priorities")]
    finally:
        store.close()
    assert (target / "templates" / "minister-note.json").read_bytes().startswith(b'{"schema_version": 1, "name"')
    # the text report names the difference in one line each
    code, text, _ = _cli(capsys, "store", "copy", "--from", str(src), "--to", str(target), "--merge")
    assert code == 0
    assert f"fact {edited_id} differs: statement, tags (kept as it is in the target)" in text
    assert "added" in text


def test_a_merge_of_the_same_library_adds_nothing(library: tuple[Path, dict[str, Any], str], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    src, seen, gone = library
    assert _cli(capsys, "store", "copy", "--from", str(src), "--to", str(tmp_path / "c"))[0] == 0
    code, out, _ = _cli(capsys, "store", "copy", "--from", str(src), "--to", str(tmp_path / "c"), "--merge", "--json")
    report = json.loads(out)
    assert code == 0 and report["differences"] == []
    assert all(t["added"] == 0 for t in report["tables"].values())
    assert _view_of(tmp_path / "c", gone) == seen


def _copy_process(src: Path, dst: Path, fault: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BRIEFER_FAULT": fault} if fault else dict(os.environ)
    return subprocess.run([sys.executable, "-m", "briefer", "store", "copy", "--from", str(src), "--to", str(dst)],
                          capture_output=True, text=True, env=env, cwd=REPO, timeout=120)


@pytest.mark.parametrize("fault", ["store-copy-fact_history:fail", "store-copy-verify:kill",
                                   "store-copy-commit:fail"])
def test_a_copy_failing_half_way_leaves_an_empty_target_as_it_was(library: tuple[Path, dict[str, Any], str],
                                                                  tmp_path: Path, fault: str) -> None:
    src, _, _ = library
    target = tmp_path / "empty"
    open_plain(target, seed=False).close()  # an empty library: the copy writes into it in one transaction
    run = _copy_process(src, target, fault)
    assert run.returncode != 0
    if fault.endswith(":fail"):
        assert run.returncode == 2 and len(run.stderr.strip().splitlines()) == 1, run.stderr
        assert "disk" in run.stderr or "space" in run.stderr
    store = open_plain(target, create=False, seed=False)
    try:
        assert store.fact_count() == 0 and store.sections() == [] and store.editions() == []
        assert store.fact_ids() == set() and store.resolutions() == {}
    finally:
        store.close()
    assert TemplateFolder(target / "templates").read() == {}


def test_a_copy_failing_into_a_new_folder_leaves_no_folder(library: tuple[Path, dict[str, Any], str],
                                                           tmp_path: Path) -> None:
    src, _, _ = library
    for fault in ("store-copy-editions:fail", "store-copy-verify:kill"):
        run = _copy_process(src, tmp_path / "new", fault)
        assert run.returncode != 0
        assert not (tmp_path / "new").exists()
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".new.copying-")]
    assert len(leftovers) <= 1  # only the killed run's staging folder, never a data folder named "new"
    # the next copy there clears what the killed one left, and lands
    assert _copy_process(src, tmp_path / "new", "").returncode == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".new.")] == []
    assert (tmp_path / "new" / "briefer.sqlite3").is_file()


def test_a_target_of_a_newer_schema_is_refused(library: tuple[Path, dict[str, Any], str], tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    import sqlite3

    from briefer.store.migrations import LATEST

    src, _, _ = library
    newer = tmp_path / "newer"
    open_plain(newer, seed=False).close()
    conn = sqlite3.connect(newer / "briefer.sqlite3")
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    before = _files(newer)
    code, out, err = _cli(capsys, "store", "copy", "--from", str(src), "--to", str(newer), "--merge")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "newer Briefer" in err
    assert _files(newer) == before


def test_bad_sources_and_targets_get_one_sentence(library: tuple[Path, dict[str, Any], str], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    src, _, _ = library
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("not a library")
    (tmp_path / "file.txt").write_text("x")
    cases = {
        ("--from", str(src), "--to", str(src)): "the same library",
        ("--from", str(src), "--to", str(src) + "/."): "the same library",
        ("--from", str(tmp_path / "missing"), "--to", str(tmp_path / "x")): "there is no data folder",
        ("--from", str(tmp_path / "notes"), "--to", str(tmp_path / "x")): "is not a Briefer library",
        ("--from", str(src), "--to", str(tmp_path / "notes")): "not a Briefer data folder",
        ("--from", str(src), "--to", str(tmp_path / "file.txt")): "is a file",
        ("--from", "ftp://example.org/lib", "--to", str(tmp_path / "x")): "neither a data folder",
    }
    for argv, words in cases.items():
        code, out, err = _cli(capsys, "store", "copy", *argv)
        assert code == 2, (argv, err)
        assert words in err and len(err.strip().splitlines()) == 1, (argv, err)
    assert not (tmp_path / "x").exists()
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == ["todo.txt"]


def test_the_copied_tables_are_every_table_of_the_schema_column_for_column(tmp_path: Path) -> None:
    """A migration that adds a table or a column must add it to briefer/store/portable.py too, or a copy
    would drop it silently: the copy's list of tables is the schema's, column for column."""
    import sqlite3

    from briefer.store.portable import DERIVED, TABLES

    open_plain(tmp_path / "d", seed=False).close()
    conn = sqlite3.connect(tmp_path / "d" / "briefer.sqlite3")
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                            " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'fact_fts_%'"
                                            " AND name NOT LIKE 'fact_cjk_%'")]
        schema = {n: {r[1] for r in conn.execute(f"PRAGMA table_info({n})")} for n in names}
    finally:
        conn.close()
    assert set(schema) == set(TABLES) | set(DERIVED)
    for name, table in TABLES.items():
        assert set(table.columns) == schema[name], name
