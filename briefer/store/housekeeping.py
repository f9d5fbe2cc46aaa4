"""What every start does before the store is opened: finish a restore that was
killed half-way, and remove what killed runs left behind.

Only Briefer's own leftovers are removed (names it makes, owned by this user),
and only when older than :data:`STALE_AFTER` seconds, so the temporary files of
another Briefer that is running right now are never touched.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from briefer.fileio import DB_NAME

#: beside the store: the journals of exports whose edition is being recorded (briefer.store.editions); here,
#: where every start looks, so a start with none need not import the editions' module to find out
EDITIONS_PENDING_DIR = ".editions-pending"


def pending_editions(store_path: str | Path) -> Path | None:
    """The folder of edition journals beside the store at ``store_path``, when there is one."""
    folder = Path(store_path).parent / EDITIONS_PENDING_DIR
    return folder if folder.is_dir() else None

#: a leftover younger than this may belong to a Briefer that is still running
STALE_AFTER = 10 * 60
#: where ``restore`` keeps the data it replaces, inside the data folder (``briefer.store.backup.KEEP_DIR``)
KEEP_DIR = "backups"
#: in the data folder while a restore swaps files (``briefer.store.restore.JOURNAL``): named here so a start
#: with no restore to finish does not load the backup and restore code
RESTORE_JOURNAL = ".restore-journal.json"
#: folders Briefer makes in the system temporary folder
TEMP_PREFIXES = ("briefer-backup-", "briefer-verify-", "briefer-pdf-", "briefer-lo-")


def _ours_and_old(path: Path, now: float) -> bool:
    try:
        st = path.lstat()
    except OSError:
        return False
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return False
    newest = st.st_mtime
    if now - newest <= STALE_AFTER:
        return False  # touched lately itself: young, whatever is inside (a running export's profile)
    if path.is_dir() and not path.is_symlink():
        with contextlib.suppress(OSError):
            for child in path.rglob("*"):
                newest = max(newest, child.lstat().st_mtime)
    return now - newest > STALE_AFTER


def _is_part(name: str) -> bool:
    """A temporary file of an interrupted atomic write (see :func:`briefer.fileio.atomic_open`)."""
    return name.startswith(".") and (name.endswith(".part") or name.endswith(".creating"))


def sweep(data_dir: Path, *, now: float | None = None, temp_dir: Path | None = None) -> list[Path]:
    """Remove stale leftovers of killed runs; returns what was removed."""
    from briefer import fileio

    now = time.time() if now is None else now
    removed: list[Path] = []

    def drop(p: Path) -> None:
        try:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
        except OSError:
            return
        removed.append(p)

    data_dir = Path(data_dir)
    journal_active = (data_dir / RESTORE_JOURNAL).exists()
    folders = [data_dir, data_dir / "templates", data_dir / KEEP_DIR]
    for folder in folders:
        with contextlib.suppress(OSError):
            for p in folder.iterdir():
                if _is_part(p.name) and p.is_file() and _ours_and_old(p, now):
                    drop(p)
                elif (folder == data_dir and p.name.startswith(".restore-") and p.is_dir() and not journal_active
                      and _ours_and_old(p, now)):
                    drop(p)  # the staging folder of a restore that never reached its swap
    # .part files beside export targets anywhere, recorded while they were written
    for record, tmp in fileio.pending_temporaries(data_dir):
        try:
            age = now - record.stat().st_mtime
        except OSError:
            continue
        if age <= STALE_AFTER:
            continue
        if tmp is not None and _is_part(tmp.name) and tmp.is_file() and _ours_and_old(tmp, now):
            drop(tmp)
        with contextlib.suppress(OSError):
            record.unlink()
    temp = temp_dir or Path(tempfile.gettempdir())
    with contextlib.suppress(OSError):
        for p in temp.iterdir():
            if p.name.startswith(TEMP_PREFIXES) and p.is_dir() and not p.is_symlink() and _ours_and_old(p, now):
                drop(p)
    return removed


def signs_of_data(data_dir: Path) -> list[str]:
    """What in ``data_dir`` shows it held a store (so a missing store must not be silently re-created)."""
    data_dir = Path(data_dir)
    signs = []
    templates = data_dir / "templates"
    with contextlib.suppress(OSError):
        if templates.is_dir() and any(p.suffix == ".json" for p in templates.iterdir()):
            signs.append("user templates")
    with contextlib.suppress(OSError):
        if (data_dir / KEEP_DIR).is_dir() and any((data_dir / KEEP_DIR).iterdir()):
            signs.append(f"backups in {data_dir / KEEP_DIR}")
    for suffix in ("-wal", "-journal"):
        if (data_dir / f"{DB_NAME}{suffix}").exists():
            signs.append(f"the store's {DB_NAME}{suffix}")
    with contextlib.suppress(OSError):
        if any(p.name.startswith(f"{DB_NAME}.v") and p.name.endswith(".bak") for p in data_dir.iterdir()):
            signs.append("copies made before upgrades")
    with contextlib.suppress(OSError):
        if (data_dir / RESTORE_JOURNAL).exists() or any(p.name.startswith(".restore-") for p in data_dir.iterdir()):
            signs.append("an interrupted restore")
    return signs


def on_start(data_dir: Path) -> list[str]:
    """Complete an interrupted restore and sweep leftovers; returns notices for the user."""
    notices = []
    if (Path(data_dir) / RESTORE_JOURNAL).is_file():  # else there is nothing to complete
        from briefer.store.restore import complete_interrupted_restore

        done = complete_interrupted_restore(data_dir)
        if done:
            notices.append(done)
    sweep(data_dir)
    return notices
