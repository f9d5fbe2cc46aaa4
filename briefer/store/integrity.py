"""The whole-file check of a local store: once a day for each file, not at every open.

SQLite's ``PRAGMA quick_check`` reads every page of the file: about 1 ms a megabyte, 175 ms for a store of
100,000 facts (171 MB), more from a cold disk.  Run at every open, each start of the window and each
command paid it.  A store is now checked when it has not passed a check in the last day *as this file*
(the record holds the file's device and inode: a restored, copied or re-created store is a new file and is
checked at its next open), and always before a migration rewrites it.  Damage in a page the day's check did
not see still stops the first query that reads that page, with the same sentence
(:func:`briefer.store.sqlite_base.store_error`: "not a readable Briefer database").

The record is a one-line file beside the store, written atomically; a folder it cannot be written to
just means the check runs at every open, as it did before.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from pathlib import Path

from briefer.errors import StoreCorrupt

#: how long a passed check holds for the same file (seconds)
CHECK_EVERY = 24 * 3600
#: the record of the last passed check, in the data folder
RECORD = ".store-checked"


def _identity(path: Path) -> str:
    st = path.stat()
    return f"{st.st_dev}:{st.st_ino}"


def due(path: Path, *, now: float | None = None) -> bool:
    """Whether the store file ``path`` needs its whole-file check: it has not passed one within
    :data:`CHECK_EVERY` as this file (or the record is missing, unreadable or from the future)."""
    now = time.time() if now is None else now
    try:
        with (path.parent / RECORD).open("rb") as fh:
            identity, _, when = fh.read(200).decode("ascii").strip().partition(" ")
        checked = float(when)
        return identity != _identity(path) or not 0 <= now - checked < CHECK_EVERY
    except (OSError, ValueError):
        return True


def check(conn: sqlite3.Connection, path: Path, *, now: float | None = None) -> None:
    """Check the whole file on ``conn`` (SQLite's quick_check); on damage raise :class:`StoreCorrupt`,
    else record the pass (best effort: see :func:`_record`)."""
    ok = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if ok != "ok":
        # SQLite's words, on one line ("*** in database main ***\nPage 6: btreeInitPage() returns error code 11")
        what = " ".join(str(ok).replace("*** in database main ***", "").split())
        raise StoreCorrupt(f"the fact store {path} is damaged ({what}); it was left as it is. "
                           "Restore it from a backup ('briefer restore').")
    _record(path, time.time() if now is None else now)


def _record(path: Path, now: float) -> None:
    """Record that the store file ``path`` passed its check at ``now``: one line written to a temporary
    file renamed into place (not fileio.atomic_write: the record is not the user's, needs no fsync, and
    must not stop at the fault steps of the export the same command may be writing).  A folder it cannot
    be written to (or a file gone meanwhile): nothing is recorded."""
    record = path.parent / RECORD
    try:
        line = f"{_identity(path)} {int(now)}\n"  # whole seconds, never ahead of the clock
        fd, tmp = tempfile.mkstemp(prefix=f".{RECORD.lstrip('.')}.", suffix=".part", dir=record.parent)
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(line)
        os.replace(tmp, record)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
