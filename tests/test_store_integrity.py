"""The whole-file check of a local store (briefer.store.integrity): a damaged page is reported at the first
open of a file and the file left as it was; after a passed check the same file opens without being read
whole for a day, and damage in a page is still reported, in one sentence, by the first read of that page;
a store put in place by a copy or a restore is a new file and is checked at once."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefer.errors import StoreCorrupt
from briefer.store import integrity
from briefer.store.db import DB_NAME, open_store

REPO = Path(__file__).resolve().parents[1]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _damage_facts_table(db: Path) -> None:
    """Overwrite the type byte of the facts table's root page: the header (page 1) and the schema stay
    readable, so only a read of the facts (or the whole-file check) meets the damage."""
    with sqlite3.connect(db) as c:
        root = c.execute("SELECT rootpage FROM sqlite_master WHERE name = 'facts'").fetchone()[0]
        page_size = c.execute("PRAGMA page_size").fetchone()[0]
    c.close()
    assert not Path(f"{db}-wal").exists()  # everything is in the file itself
    with db.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\xff")


def _facts(d: Path) -> int:
    with open_store(d, seed=False) as store:
        return store.fact_count()


def test_a_damaged_page_is_reported_at_the_first_open_and_the_file_left_as_it_was(data_dir: Path) -> None:
    db = data_dir / DB_NAME
    _damage_facts_table(db)
    before = _digest(db)
    with pytest.raises(StoreCorrupt, match=r"is damaged \(.*\); it was left as it is"):
        open_store(data_dir, seed=False)
    assert _digest(db) == before
    assert integrity.due(db)  # a failed check is not recorded as passed


def test_a_checked_store_opens_without_a_whole_file_read_for_a_day(data_dir: Path) -> None:
    db = data_dir / DB_NAME
    assert integrity.due(db)
    assert _facts(data_dir) > 0  # the first open checks the file, and records the pass
    assert not integrity.due(db)
    assert integrity.due(db, now=time.time() + integrity.CHECK_EVERY + 60)
    # damage after the day's check: the open does not read the whole file again, and the first read of
    # the damaged page says so, in the one sentence for a damaged store
    _damage_facts_table(db)
    with open_store(data_dir, seed=False) as store, pytest.raises(StoreCorrupt,
                                                                  match="not a readable Briefer database"):
        store.facts()
    # a day later the open checks the whole file again and refuses it
    record = data_dir / integrity.RECORD
    identity = record.read_text().split()[0]
    record.write_text(f"{identity} {time.time() - integrity.CHECK_EVERY - 60:.0f}\n")
    with pytest.raises(StoreCorrupt, match="is damaged"):
        open_store(data_dir, seed=False)


def test_a_store_put_in_place_by_a_copy_is_checked_at_its_next_open(data_dir: Path, tmp_path: Path) -> None:
    db = data_dir / DB_NAME
    _facts(data_dir)
    assert not integrity.due(db)
    damaged = tmp_path / "damaged.sqlite3"
    shutil.copy2(db, damaged)
    _damage_facts_table(damaged)
    os.replace(damaged, db)  # as a restore or a sync tool puts a file in place: a new file, the same name
    assert integrity.due(db)
    with pytest.raises(StoreCorrupt, match="is damaged"):
        open_store(data_dir, seed=False)


@pytest.mark.parametrize("record", ["", "garbage", "1:2 not-a-time", "1:2 1e400", "\xff\xfe"])
def test_an_unreadable_or_foreign_record_means_a_check(data_dir: Path, record: str) -> None:
    (data_dir / integrity.RECORD).write_text(record, encoding="latin-1")
    assert integrity.due(data_dir / DB_NAME)
    assert _facts(data_dir) > 0
    assert not integrity.due(data_dir / DB_NAME)


def test_a_record_from_the_future_means_a_check(data_dir: Path) -> None:
    db = data_dir / DB_NAME
    _facts(data_dir)
    assert not integrity.due(db)
    assert integrity.due(db, now=time.time() - 3600)  # the clock was put back: the record is not trusted


def test_a_folder_the_record_cannot_be_written_to_checks_at_every_open(data_dir: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(integrity.tempfile, "mkstemp", refuse)
    assert _facts(data_dir) > 0  # the store opens all the same
    assert integrity.due(data_dir / DB_NAME)
    assert not (data_dir / integrity.RECORD).exists()
    # ... or the rename into place fails: no temporary file is left behind
    monkeypatch.undo()
    monkeypatch.setattr(integrity.os, "replace", refuse)
    assert _facts(data_dir) > 0
    assert integrity.due(data_dir / DB_NAME)
    assert not [p.name for p in data_dir.iterdir() if p.name.endswith(".part")]


def test_the_cli_says_a_damaged_store_in_one_line(data_dir: Path) -> None:
    _damage_facts_table(data_dir / DB_NAME)
    before = _digest(data_dir / DB_NAME)
    p = subprocess.run([sys.executable, "-m", "briefer", "--data-dir", str(data_dir), "facts", "list"],
                       capture_output=True, text=True, timeout=120, cwd=REPO)
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and p.stderr.startswith("briefer: error: the fact store"), p.stderr
    assert "is damaged" in p.stderr and "Traceback" not in p.stderr
    assert _digest(data_dir / DB_NAME) == before
