"""``briefer backup`` / ``briefer restore``: round trips, a store open elsewhere,
and every kind of bad archive refused before anything is touched."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import struct
import subprocess
import sys
import textwrap
import zipfile
from datetime import date
from pathlib import Path

import pytest

from briefer.domain.models import Citation, Fact
from briefer.ingest.factpack import open_store
from briefer.store import backup as bk
from briefer.store.db import DB_NAME
from briefer.store.migrations import LATEST

REPO = Path(__file__).resolve().parents[1]


def _user_fact(store, fact_id: str = "user-fact-one", statement: str | None = None) -> Fact:
    cited = store.facts()[0].citations[0]
    fact = Fact(
        id=fact_id, section=store.sections()[0].id,
        statement=statement or "An analyst's own fact, added by hand for the backup test.",
        citations=[Citation(source=cited.source, quote=cited.quote)],
        as_of=date(2026, 1, 5), tags=[], priority=4,
    )
    store.add_fact(fact, analyst="Tester")
    return fact


TEMPLATE_A = {"schema_version": 1, "name": "My minister note", "description": "Mine", "sections": []}
TEMPLATE_B = {"schema_version": 1, "name": "Delegation brief", "description": "Théâtre 日本", "sections": []}


def _user_templates(data_dir: Path) -> dict[str, bytes]:
    folder = data_dir / "templates"
    folder.mkdir(exist_ok=True)
    files = {
        "my-minister-note.json": json.dumps(TEMPLATE_A).encode(),
        "delegation-brief.json": json.dumps(TEMPLATE_B, ensure_ascii=False).encode("utf-8"),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def _snapshot(data_dir: Path) -> dict[str, str]:
    """Every file in the data folder (bar WAL side files) with its hash: to prove nothing changed."""
    out = {}
    for p in sorted(data_dir.rglob("*")):
        if p.is_file() and not p.name.endswith(("-wal", "-shm")):
            out[str(p.relative_to(data_dir))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _facts_in(data_dir: Path) -> dict[str, str]:
    with open_store(data_dir, create=False) as s:
        return {f.id: f.statement for f in s.facts()}


@pytest.fixture
def populated(data_dir: Path, store) -> tuple[Path, Fact, dict[str, bytes]]:
    fact = _user_fact(store)
    files = _user_templates(data_dir)
    (data_dir / "settings.json").write_text('{"analyst": "A. Analyst", "stale_after_months": 18}')
    return data_dir, fact, files


# -- round trips ------------------------------------------------------------------------------


def test_round_trip_restores_user_facts_and_templates(populated, store, cli, tmp_path: Path) -> None:
    data_dir, fact, files = populated
    before = _facts_in(data_dir)
    archive = tmp_path / "b.briefer-backup.zip"

    r = cli("backup", str(archive))
    assert r.code == 0, r.err
    assert f"{len(before)} facts" in r.out and "2 user templates" in r.out and "settings" in r.out

    # the analyst then loses work: the fact is deleted, another one edited, a template overwritten
    store.delete_fact(fact.id)
    _user_fact(store, "later-fact", "A fact added after the backup was made, to be rolled back.")
    (data_dir / "templates" / "my-minister-note.json").write_text('{"changed": true}')
    (data_dir / "templates" / "added-later.json").write_text('{"later": true}')
    (data_dir / "settings.json").write_text('{"analyst": "Someone Else"}')

    r = cli("restore", str(archive))
    assert r.code == 2 and "--force" in r.err and r.out == ""
    assert "later-fact" in _facts_in(data_dir)  # refused: nothing changed

    store.close()  # the window would be closed before a restore
    r = cli("restore", "--force", str(archive))
    assert r.code == 0, r.err
    assert _facts_in(data_dir) == before
    with open_store(data_dir) as s:
        assert s.fact(fact.id).statement == fact.statement
        assert [h["action"] for h in s.history(fact.id)] == ["add"]  # history came back too
    restored = {p.name: p.read_bytes() for p in (data_dir / "templates").iterdir()}
    assert restored == files
    assert json.loads((data_dir / "settings.json").read_text())["analyst"] == "A. Analyst"

    # the data it replaced is kept as a backup of its own, which restores the later state
    kept = sorted((data_dir / "backups").glob("before-restore-*.briefer-backup.zip"))
    assert len(kept) == 1 and str(kept[0]) in r.out
    r = cli("restore", "--force", str(kept[0]))
    assert r.code == 0, r.err
    facts = _facts_in(data_dir)
    assert "later-fact" in facts and fact.id not in facts
    assert (data_dir / "templates" / "added-later.json").read_text() == '{"later": true}'
    assert (data_dir / "templates" / "my-minister-note.json").read_text() == '{"changed": true}'
    assert json.loads((data_dir / "settings.json").read_text())["analyst"] == "Someone Else"


def test_restore_into_a_new_data_folder_needs_no_force(populated, cli, tmp_path: Path) -> None:
    data_dir, fact, files = populated
    archive = tmp_path / "b.zip"
    assert cli("backup", str(archive)).code == 0
    from briefer.cli import main

    fresh = tmp_path / "new" / "data"
    assert main(["--data-dir", str(fresh), "restore", str(archive)]) == 0
    assert _facts_in(fresh) == _facts_in(data_dir)
    assert sorted(p.name for p in (fresh / "templates").iterdir()) == sorted(files)
    assert not (fresh / "backups").exists()  # nothing was replaced, so nothing kept


def test_backup_to_a_folder_gets_a_dated_name_and_json(populated, cli, tmp_path: Path) -> None:
    out = tmp_path / "backups"
    out.mkdir()
    r = cli("backup", str(out), "--json")
    assert r.code == 0, r.err
    info = json.loads(r.out)
    path = Path(info["file"])
    assert path.parent == out and path.name.startswith("briefer-") and path.name.endswith(".briefer-backup.zip")
    assert info["schema_version"] == LATEST and info["briefer_version"]
    assert sorted(info["templates"]) == ["delegation-brief.json", "my-minister-note.json"]
    with zipfile.ZipFile(path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert sorted(zf.namelist()) == ["briefer.sqlite3", "manifest.json", "settings.json",
                                         "templates/delegation-brief.json", "templates/my-minister-note.json"]
    assert manifest["format"] == "briefer-backup" and manifest["created"].startswith(str(date.today().year))
    r = cli("restore", "--check", str(path))
    assert r.code == 0 and "valid backup" in r.out


def test_backup_refuses_to_overwrite_without_force(populated, cli, tmp_path: Path) -> None:
    archive = tmp_path / "b.zip"
    archive.write_bytes(b"an older file the user cares about")
    r = cli("backup", str(archive))
    assert r.code == 2 and r.err.strip() == f"briefer: error: {archive} exists; add --force to replace it"
    assert archive.read_bytes() == b"an older file the user cares about"
    assert cli("backup", "--force", str(archive)).code == 0
    assert zipfile.is_zipfile(archive)


def test_backup_errors_are_one_line(cli, tmp_path: Path) -> None:
    from briefer.cli import main

    empty = tmp_path / "nothing-here"
    assert main(["--data-dir", str(empty), "backup", str(tmp_path / "b.zip")]) == 2
    r = cli("backup", str(tmp_path / "no-such-folder" / "b.zip"))
    assert r.code == 2 and "does not exist" in r.err and "Traceback" not in r.err
    assert not (tmp_path / "b.zip").exists()


def test_a_failed_backup_leaves_no_file(populated, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "b.zip"

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "write", boom)
    r = cli("backup", str(archive))
    assert r.code == 2 and "disk is full" in r.err
    assert list(tmp_path.glob("*b.zip*")) == []


def test_backup_of_a_damaged_store_is_refused(data_dir: Path, cli, tmp_path: Path) -> None:
    db = data_dir / DB_NAME
    raw = bytearray(db.read_bytes())
    page = 4096
    raw[page * 3: page * 3 + 200] = os.urandom(200)  # scribble over an index page
    db.write_bytes(bytes(raw))
    r = cli("backup", str(tmp_path / "b.zip"))
    assert r.code == 2 and "damaged" in r.err
    assert not (tmp_path / "b.zip").exists()


# -- a store open in another process ---------------------------------------------------------

_HOLDER = textwrap.dedent("""
    import sys, time
    from briefer.ingest.factpack import open_store
    s = open_store(sys.argv[1])
    conn = s._conn
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE facts SET statement = 'UNCOMMITTED EDIT IN ANOTHER WINDOW' WHERE id = ?", (sys.argv[2],))
    print("ready", flush=True)
    sys.stdin.readline()
""")


def test_backup_while_another_process_writes_and_restore_refuses_while_open(populated, store, cli,
                                                                            tmp_path: Path) -> None:
    data_dir, fact, _files = populated
    store.close()
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(data_dir), fact.id], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=REPO)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        archive = tmp_path / "b.zip"
        r = cli("backup", str(archive))
        assert r.code == 0, r.err
        before = _snapshot(data_dir)
        r = cli("restore", "--force", str(archive))
        assert r.code == 2 and "in use by a running Briefer" in r.err
        assert _snapshot(data_dir) == before
        assert not (data_dir / "backups").exists() or not any((data_dir / "backups").iterdir())
    finally:
        holder.communicate("\n", timeout=30)
    fresh = tmp_path / "fresh"
    from briefer.cli import main

    assert main(["--data-dir", str(fresh), "restore", str(archive)]) == 0
    # the snapshot holds what was committed, never the other process's half-done edit
    assert _facts_in(fresh)[fact.id] == fact.statement


# -- bad archives: refused with one line, nothing touched --------------------------------------


def _rebuild(src: Path, dest: Path, *, drop: set[str] = frozenset(), add: dict[str, bytes] | None = None,
             replace: dict[str, bytes] | None = None, manifest=None, fix_manifest: bool = False,
             symlink: str | None = None) -> Path:
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    for n in drop:
        members.pop(n, None)
    members.update(replace or {})
    members.update(add or {})
    m = json.loads(members.get("manifest.json", b"{}"))
    if fix_manifest and m:
        for n, data in members.items():
            if n != "manifest.json":
                m["files"][n] = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    if manifest is not None:
        manifest(m)
    if "manifest.json" not in drop:
        members["manifest.json"] = json.dumps(m).encode()
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, data in members.items():
            zf.writestr(n, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, "/etc/passwd")
    return dest


def _db_with_version(db_bytes: bytes, version: int, tmp: Path) -> bytes:
    p = tmp / "v.sqlite3"
    p.write_bytes(db_bytes)
    c = sqlite3.connect(p)
    c.execute(f"PRAGMA user_version = {version}")
    c.commit()
    c.close()
    return p.read_bytes()


def _corrupt(db_bytes: bytes) -> bytes:
    raw = bytearray(db_bytes)
    for page in range(2, min(12, len(raw) // 4096)):
        raw[page * 4096 + 8: page * 4096 + 108] = b"\xff" * 100
    return bytes(raw)


BAD = {
    "not-a-zip": ("not a zip archive", None),
    "no-manifest": ("has no manifest.json", dict(drop={"manifest.json"})),
    "other-kind": ("of another kind", dict(manifest=lambda m: m.update(format="something-else"))),
    "newer-format": ("newer Briefer", dict(manifest=lambda m: m.update(format_version=99))),
    "newer-schema": ("newer Briefer", dict(manifest=lambda m: m.update(schema_version=LATEST + 1))),
    "traversal": ("unsafe file name", dict(add={"../evil.json": b"{}"}, fix_manifest=True)),
    "traversal-inside": ("unsafe file name", dict(add={"templates/../../evil.json": b"{}"}, fix_manifest=True)),
    "absolute": ("unsafe file name", dict(add={"/tmp/evil.json": b"{}"}, fix_manifest=True)),
    "backslash": ("unsafe file name", dict(add={"templates\\..\\evil.json": b"{}"}, fix_manifest=True)),
    "unexpected": ("unexpected file", dict(add={"run-me.sh": b"rm -rf ~"}, fix_manifest=True)),
    "symlink": ("not a plain file", dict(symlink="templates/link.json")),
    "tampered-db": ("checksum", dict(replace={"db": b""})),
    "missing-db": ("incomplete", dict(drop={"briefer.sqlite3"})),
    "not-sqlite": ("not a SQLite database", dict(replace={"briefer.sqlite3": b"x" * 4096}, fix_manifest=True)),
    "damaged-db": ("is damaged", dict(replace={"corrupt": b""}, fix_manifest=True)),
    "db-newer-than-manifest": ("does not match its manifest", dict(replace={"newer": b""}, fix_manifest=True)),
    "bad-template-json": ("not valid JSON", dict(add={"templates/broken.json": b"{not json"}, fix_manifest=True)),
    "bad-settings": ("settings in", dict(replace={"settings.json": b"[1, 2]"}, fix_manifest=True)),
    "unlisted-size": ("does not match its manifest", dict(add={"templates/x.json": b"{}"})),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_archives_are_refused_before_anything_changes(case: str, populated, store, cli, tmp_path: Path) -> None:
    data_dir, _fact, _files = populated
    store.close()
    good = tmp_path / "good.zip"
    assert cli("backup", str(good)).code == 0
    with zipfile.ZipFile(good) as zf:
        db_bytes = zf.read("briefer.sqlite3")
    message, spec = BAD[case]
    bad = tmp_path / f"{case}.zip"
    if spec is None:
        bad.write_bytes(b"PK\x03\x04 this is not really a zip file" * 10)
    else:
        spec = dict(spec)
        replace = spec.pop("replace", None)
        if replace and "db" in replace:
            tampered = bytearray(db_bytes)
            tampered[-100] ^= 0xFF
            replace = {"briefer.sqlite3": bytes(tampered)}
        elif replace and "corrupt" in replace:
            replace = {"briefer.sqlite3": _corrupt(db_bytes)}
        elif replace and "newer" in replace:
            replace = {"briefer.sqlite3": _db_with_version(db_bytes, LATEST + 1, tmp_path)}
        _rebuild(good, bad, replace=replace, **spec)
    before = _snapshot(data_dir)
    r = cli("restore", "--force", str(bad))
    assert r.code == 2, (r.out, r.err)
    assert message in r.err
    assert r.err.count("\n") == 1 and "Traceback" not in r.err
    assert _snapshot(data_dir) == before
    assert not list(data_dir.glob(".restore-*"))
    assert not (data_dir / "backups").exists()
    r = cli("restore", "--check", str(bad))
    assert r.code == 2 and message in r.err


def test_zip_bomb_is_refused_by_declared_size(populated, cli, tmp_path: Path, monkeypatch) -> None:
    data_dir, _f, _t = populated
    good = tmp_path / "good.zip"
    assert cli("backup", str(good)).code == 0
    big = b"\0" * (3 * 1024 * 1024)  # compresses to almost nothing
    bomb = _rebuild(good, tmp_path / "bomb.zip", add={"templates/huge.json": big}, fix_manifest=True)
    assert bomb.stat().st_size < good.stat().st_size + 50_000
    monkeypatch.setattr(bk, "MAX_TEMPLATE", 1024 * 1024)
    before = _snapshot(data_dir)
    r = cli("restore", "--force", str(bomb))
    assert r.code == 2 and "too large" in r.err
    assert _snapshot(data_dir) == before


def test_a_member_larger_than_it_claims_is_caught_while_unpacking(populated, tmp_path: Path, cli) -> None:
    good = tmp_path / "good.zip"
    assert cli("backup", str(good)).code == 0
    # rewrite the central directory so a template claims to be smaller than it is
    bad = _rebuild(good, tmp_path / "liar.zip", add={"templates/t.json": b'{"a": "' + b"x" * 5000 + b'"}'},
                   fix_manifest=True)
    data = bytearray(bad.read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("templates/t.json")
    name = b"templates/t.json"
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(name))  # its central directory entry
    struct.pack_into("<I", data, central + 24, 10)  # uncompressed size: 10 bytes, it says
    struct.pack_into("<I", data, info.header_offset + 22, 10)
    bad.write_bytes(bytes(data))
    r = cli("restore", "--force", str(bad))
    assert r.code == 2
    assert "does not match its manifest" in r.err


# -- a failure while swapping puts everything back ----------------------------------------------


def test_failure_during_the_swap_rolls_back(populated, store, cli, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir, fact, files = populated
    archive = tmp_path / "b.zip"
    assert cli("backup", str(archive)).code == 0
    store.delete_fact(fact.id)
    store.close()
    before_facts = _facts_in(data_dir)
    real_replace = os.replace

    def failing_replace(src, dst, *a, **k):
        if Path(dst).name == DB_NAME and Path(src).parent.name == "new":  # the restored store moving in
            raise OSError(13, "Permission denied")
        return real_replace(src, dst, *a, **k)

    monkeypatch.setattr(os, "replace", failing_replace)
    r = cli("restore", "--force", str(archive))
    assert r.code == 2 and "left as it was" in r.err
    monkeypatch.undo()
    assert _facts_in(data_dir) == before_facts
    assert sorted(p.name for p in (data_dir / "templates").iterdir()) == sorted(files)
    assert not list(data_dir.glob(".restore-*"))


def test_restore_then_open_migrates_an_older_schema(populated, store, cli, tmp_path: Path) -> None:
    """A backup from an older Briefer (lower schema) restores, and opening it upgrades it."""
    data_dir, fact, _files = populated
    store.close()
    good = tmp_path / "good.zip"
    assert cli("backup", str(good)).code == 0
    if LATEST < 2:
        pytest.fail("the schema has a single version; this test needs at least two")
    with zipfile.ZipFile(good) as zf:
        db_bytes = zf.read("briefer.sqlite3")
    # an honest older store: a brand-new database migrated only up to schema 1
    older = tmp_path / "older"
    older.mkdir()
    c = sqlite3.connect(older / DB_NAME)
    from briefer.store.migrations import MIGRATIONS

    c.executescript(MIGRATIONS[1])
    c.execute("PRAGMA user_version = 1")
    c.commit()
    c.close()
    old_bytes = (older / DB_NAME).read_bytes()
    assert db_bytes != old_bytes
    old = _rebuild(good, tmp_path / "old.zip", replace={"briefer.sqlite3": old_bytes}, fix_manifest=True,
                   manifest=lambda m: m.update(schema_version=1))
    fresh = tmp_path / "fresh"
    from briefer.cli import main

    assert main(["--data-dir", str(fresh), "restore", str(old)]) == 0
    with open_store(fresh) as s:
        assert s.schema_version == LATEST
