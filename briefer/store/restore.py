"""Restoring a data folder from a backup, and starting afresh.

A restore validates the whole archive in a staging folder first
(:func:`briefer.store.backup.verify_backup` does the same checks), keeps the
current data as a timestamped backup of its own, then swaps the files into
place under a journal: a restore killed half-way is completed (or undone) at
the next start (:func:`complete_interrupted_restore`).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from briefer.errors import BackupError
from briefer.fileio import (
    WriteFailed,
    atomic_open,
)
from briefer.store.backup import (
    KEEP_DIR,
    MAX_MANIFEST,
    SUFFIX,
    TEMPLATES,
    RestoreResult,
    _now_stamp,
    _stage,
    _template_files,
    _write_archive,
    read_backup,
)
from briefer.store.db import DB_NAME
from briefer.store.housekeeping import RESTORE_JOURNAL
from briefer.store.preferences import SETTINGS_FILE

if TYPE_CHECKING:
    from briefer.store.db import PackLoader, Store




# -- restore -----------------------------------------------------------------------------


def has_data(data_dir: Path) -> bool:
    return (data_dir / DB_NAME).exists() or bool(_template_files(data_dir / TEMPLATES))


@contextlib.contextmanager
def _exclusive(db: Path) -> Iterator[sqlite3.Connection | None]:
    """Hold the store so no other Briefer uses it while it is replaced; fail if one already does.

    Yields the connection holding the lock, or None when the store is too
    damaged for SQLite to open (it is then kept byte for byte)."""
    try:
        conn = sqlite3.connect(db, timeout=0.5, isolation_level=None)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open the current fact store {db}: {exc}") from None
    in_use = BackupError("the fact store is in use by a running Briefer; close its window and try again")
    held: sqlite3.Connection | None = conn
    try:
        # leaving WAL mode checkpoints and removes the -wal file, and needs the
        # store to be closed everywhere else: an open window keeps it in WAL
        mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        if str(mode).lower() == "wal":
            raise in_use
        # in exclusive locking mode the lock a write takes is kept after COMMIT,
        # so no other process can open the store until this connection closes
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            conn.close()
            raise in_use from None
        held = None
    except sqlite3.DatabaseError:
        held = None
    except BaseException:
        conn.close()
        raise
    try:
        yield held
    finally:
        conn.close()


def restore_backup(data_dir: Path, archive: Path, *, force: bool = False) -> RestoreResult:
    """Replace the store and templates in ``data_dir`` with those in ``archive``.

    Nothing is changed unless the whole archive is valid.  The data it replaces
    is first written to ``<data_dir>/backups/before-restore-<date>.briefer-backup.zip``.
    """
    data_dir = Path(data_dir)
    archive = Path(archive)
    if data_dir.exists() and not data_dir.is_dir():
        raise BackupError(f"the data folder {data_dir} is a file, not a folder")
    info = read_backup(archive)  # cheap checks first, so a wrong file fails fast
    existing = data_dir.is_dir() and has_data(data_dir)
    if existing and not force:
        raise BackupError(
            f"{data_dir} already holds a fact store; restoring replaces it and the user templates with the backup "
            f"made {info.created}. Add --force to go ahead (the current data is kept in "
            f"{data_dir / KEEP_DIR})")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create the data folder {data_dir}: {exc.strerror or exc}") from None
    try:
        staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    except OSError as exc:
        raise BackupError(f"cannot write to the data folder {data_dir}: {exc.strerror or exc}") from None
    try:
        info = _stage(archive, staging / "new")
        kept: Path | None = None
        if existing:
            kept = _swap(data_dir, staging, archive)
        else:
            _write_journal(data_dir, staging, archive, None, [], "install")
            _install(data_dir, staging)
            _journal_path(data_dir).unlink()
    finally:
        if not _journal_path(data_dir).exists():  # else the next start completes the restore
            shutil.rmtree(staging, ignore_errors=True)
    return RestoreResult(restored=info, kept=kept)


# -- the restore journal: a restore killed half-way is completed at the next start -----------

#: in the data folder while a restore swaps files; names the staging folder and the steps
JOURNAL = RESTORE_JOURNAL


def _journal_path(data_dir: Path) -> Path:
    return data_dir / JOURNAL


def _write_journal(data_dir: Path, staging: Path, archive: Path, kept: Path | None, aside: list[str],
                   state: str) -> None:
    from briefer.fileio import atomic_write

    plan = {"pid": os.getpid(), "staging": staging.name, "archive": str(archive), "kept": str(kept or ""),
            "aside": aside, "state": state}
    atomic_write(_journal_path(data_dir), json.dumps(plan, indent=2).encode("utf-8"))


def _install(data_dir: Path, staging: Path) -> None:
    """Move the staged files into place.  Each step is a rename that can be repeated:
    what was moved already is skipped, so a restore killed half-way can be completed."""
    from briefer import faults

    new = staging / "new"
    for suffix in ("-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            (data_dir / f"{DB_NAME}{suffix}").unlink()
    if (new / DB_NAME).exists():
        os.replace(new / DB_NAME, data_dir / DB_NAME)
        faults.step("restore-installed-store")
    if (new / TEMPLATES).is_dir():
        os.rename(new / TEMPLATES, data_dir / TEMPLATES)
    else:
        (data_dir / TEMPLATES).mkdir(exist_ok=True)
    if (new / SETTINGS_FILE).is_file():
        os.replace(new / SETTINGS_FILE, data_dir / SETTINGS_FILE)


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, under another user
    return True


def complete_interrupted_restore(data_dir: Path) -> str | None:
    """Finish a restore that was killed while it swapped files (its journal says how far it got).

    Returns a sentence saying what happened, or None when there was nothing to do.
    Raises BackupError when the restore cannot be completed; nothing is then changed
    (and nothing may create a fresh store in the folder)."""
    data_dir = Path(data_dir)
    journal = _journal_path(data_dir)
    if not journal.is_file():
        return None
    try:
        plan = json.loads(journal.read_bytes()[:MAX_MANIFEST].decode("utf-8"))
        staging = data_dir / str(plan["staging"])
        aside = [str(n) for n in plan["aside"]]
        state = str(plan["state"])
        pid = int(plan.get("pid", 0))
        kept = str(plan.get("kept") or "")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BackupError(f"a restore into {data_dir} was interrupted and its journal {journal} cannot be read "
                          f"({exc}); nothing was changed. Look in {data_dir / KEEP_DIR} for the data it "
                          "replaced") from None
    where = f"; the data it replaced is kept in {kept}" if kept else ""
    if pid and _pid_alive(pid):
        raise BackupError(f"a restore into {data_dir} is in progress (process {pid}); try again when it has finished")
    bad = [n for n in [staging.name, *aside] if "/" in n or "\\" in n or n in ("", ".", "..")]
    if bad or not staging.name.startswith(".restore-"):
        raise BackupError(f"the restore journal {journal} is not one Briefer wrote; nothing was changed")
    if not (staging / "new").is_dir():
        raise BackupError(f"a restore into {data_dir} was interrupted and the files it was installing "
                          f"({staging}) are gone; nothing was changed and no new store was created{where}. "
                          "Restore that archive with 'briefer restore --force FILE'")
    try:
        if state == "aside":
            old = staging / "old"
            old.mkdir(exist_ok=True)
            for name in aside:
                p = data_dir / name
                if (p.exists() or p.is_symlink()) and not (old / name).exists():
                    os.rename(p, old / name)
            _write_journal(data_dir, staging, Path(plan["archive"]), Path(kept) if kept else None, aside, "install")
        _install(data_dir, staging)
        journal.unlink()
    except OSError as exc:
        raise BackupError(f"a restore into {data_dir} was interrupted and could not be completed "
                          f"({exc.strerror or exc}); nothing more was changed{where}") from None
    shutil.rmtree(staging, ignore_errors=True)
    return (f"a restore from {Path(plan['archive']).name} into {data_dir} had been interrupted; "
            f"it was completed{where}")


def _keep_path(keep_dir: Path) -> Path:
    kept = keep_dir / f"before-restore-{_now_stamp()}{SUFFIX}"
    n = 1
    while kept.exists():
        n += 1
        kept = keep_dir / f"before-restore-{_now_stamp()}-{n}{SUFFIX}"
    return kept


def _swap(data_dir: Path, staging: Path, archive: Path) -> Path:
    db = data_dir / DB_NAME
    templates = data_dir / TEMPLATES
    keep_dir = data_dir / KEEP_DIR
    try:
        keep_dir.mkdir(exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create {keep_dir}: {exc.strerror or exc}") from None
    kept = _keep_path(keep_dir)
    note = f"the data replaced by restoring {archive.name}"
    snapshot = staging / "current" / DB_NAME
    snapshot.parent.mkdir()
    with _exclusive(db) if db.exists() else contextlib.nullcontext() as conn:
        # 1. the current data, as a backup archive of its own (restorable with 'briefer restore')
        if conn is not None:
            dst = sqlite3.connect(snapshot)
            try:
                conn.backup(dst)
            finally:
                dst.close()
        elif db.exists():
            shutil.copyfile(db, snapshot)  # too damaged for SQLite: keep its bytes as they are
        else:
            sqlite3.connect(snapshot).close()  # templates only: an empty store beside them
        with atomic_open(kept) as fh:
            _write_archive(fh, snapshot, data_dir, note=note)
        # 2. the old files move aside, and move back if anything fails
        old = staging / "old"
        old.mkdir()
        moved: list[tuple[Path, Path]] = []
        from briefer import faults

        try:
            aside = [templates, db, *(data_dir / f"{DB_NAME}{s}" for s in ("-wal", "-shm", "-journal"))]
            if (staging / "new" / SETTINGS_FILE).exists():
                aside.append(data_dir / SETTINGS_FILE)  # replaced only by settings from the backup
            # the journal first: from here a kill -9 leaves a restore the next start completes
            _write_journal(data_dir, staging, archive, kept, [p.name for p in aside], "aside")
            if conn is not None:
                conn.close()  # Windows cannot rename an open file
            for p in aside:
                if p.exists() or p.is_symlink():
                    target = old / p.name
                    os.rename(p, target)
                    moved.append((target, p))
                    faults.step(f"restore-aside-{p.name}")
            _write_journal(data_dir, staging, archive, kept, [p.name for p in aside], "install")
            _install(data_dir, staging)
            _journal_path(data_dir).unlink()
        except (OSError, WriteFailed) as exc:
            for target, original in reversed(moved):
                with contextlib.suppress(OSError):
                    if original.is_dir() and not original.is_symlink():
                        shutil.rmtree(original)
                    elif original.exists():
                        original.unlink()
                    os.replace(target, original)
            with contextlib.suppress(OSError):
                _journal_path(data_dir).unlink()
            raise BackupError(f"could not replace the data in {data_dir} ({getattr(exc, 'strerror', None) or exc}); "
                              f"it was left as it was (a copy is in {kept})") from None
    return kept


# -- starting afresh ---------------------------------------------------------------------------


def reset_store(data_dir: Path, *, seed: PackLoader | Literal[False]) -> tuple[Path | None, Store]:
    """Move the store (even an empty or damaged one) and its companions to
    ``<data_dir>/backups/reset-<date>/`` and create a new store, filled by ``seed``
    (the seed pack's loader: :func:`briefer.ingest.factpack.reset_store` passes it).
    Returns (where the old files went, or None; the new open store)."""
    from briefer.store.db import open_store

    data_dir = Path(data_dir)
    db = data_dir / DB_NAME
    files = [p for p in (db, *(data_dir / f"{DB_NAME}{s}" for s in ("-wal", "-shm", "-journal")),
                         _journal_path(data_dir)) if p.exists() or p.is_symlink()]
    kept: Path | None = None
    if files:
        if db.is_file() and db.stat().st_size > 0:
            with _exclusive(db):
                pass  # refuses when a running Briefer has it open
        kept = data_dir / KEEP_DIR / f"reset-{_now_stamp()}"
        n = 1
        while kept.exists():
            n += 1
            kept = data_dir / KEEP_DIR / f"reset-{_now_stamp()}-{n}"
        try:
            kept.mkdir(parents=True)
            for p in files:
                os.rename(p, kept / p.name)
        except OSError as exc:
            raise BackupError(f"cannot move the fact store aside to {kept}: {exc.strerror or exc}; "
                              "nothing else was changed") from None
    return kept, open_store(data_dir, fresh=True, seed=seed)
