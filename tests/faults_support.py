"""What both fault suites (tests/test_faults_store.py, tests/test_faults_input.py) check after a fault."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def integrity(db: Path) -> str:
    """``PRAGMA integrity_check`` of the store at ``db``, opened read-only ("ok" when intact)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()
