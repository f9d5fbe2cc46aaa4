"""A write nested in another (a savepoint) that fills the disk: SQLite rolls the whole transaction
back by itself, and the user is told the disk is full, not "no such savepoint"."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from briefer.errors import DiskFull
from briefer.ingest.factpack import open_store


def test_a_full_disk_inside_a_nested_write_reports_the_full_disk(tmp_path: Path) -> None:
    with open_store(tmp_path / "data") as store:
        fact = store.facts(limit=1)[0]
        before = store.fact(fact.id)
        with pytest.raises(DiskFull) as caught, store.transaction():
            store.update_fact(fact.id, fact.model_copy(update={"notes": "half-way"}), analyst="T")
            with store.transaction():  # a savepoint of the first
                conn = store._conn  # what SQLite does on SQLITE_FULL: the transaction is gone
                conn.execute("ROLLBACK")
                raise sqlite3.OperationalError("database or disk is full")
        assert "savepoint" not in str(caught.value)
        assert store.fact(fact.id) == before  # nothing of the outer write landed either
