"""Writing files safely: a temporary file in the target folder, renamed into
place, so a failure never leaves a half-written file or loses the old one."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from briefer.errors import KnownError

#: the fact store's file name inside a data folder
DB_NAME = "briefer.sqlite3"

#: refuse to read data files (templates, briefings) larger than this before parsing
MAX_DATA_FILE = 20 * 1024 * 1024


class WriteFailed(KnownError):
    """A file could not be written; any earlier file at that path is intact."""


def _explain(path: Path, exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError) or path.is_dir():
        return f"cannot write {path}: it is a folder"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {path}: permission denied (choose another folder)"
    if exc.errno == errno.ENOENT:
        return f"cannot write {path}: the folder {path.parent} does not exist"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"cannot write {path}: the disk is full"
    if exc.errno == errno.EFBIG:
        return f"cannot write {path}: the file would be larger than this system allows (a file size limit)"
    if exc.errno in (errno.EBUSY, errno.ETXTBSY):
        return f"cannot write {path}: the file is locked by another program (close it and try again)"
    return f"cannot write {path}: {exc.strerror or exc}"


# -- files no writer may replace --------------------------------------------------------------

_SQLITE_MAGIC = b"SQLite format 3\x00"
_STORE_COMPANIONS = {"-wal": "write-ahead log", "-shm": "shared-memory index", "-journal": "rollback journal"}
#: path -> what it is ("the live fact store", "the file being read" …), for this process
_protected: dict[str, str] = {}


def _key(path: Path | str) -> str:
    return os.path.normcase(os.path.realpath(os.fspath(path)))


def protect(path: Path | str, what: str) -> None:
    """From now on, refuse every write whose target resolves to ``path``."""
    _protected[_key(path)] = what


def protect_store(db: Path | str) -> None:
    """Protect the live store file ``db`` and its -wal, -shm and -journal companions."""
    db = Path(db)
    protect(db, f"the live fact store {db}")
    for suffix, what in _STORE_COMPANIONS.items():
        protect(db.with_name(db.name + suffix), f"the fact store's {what} ({db.name}{suffix})")


@contextlib.contextmanager
def protecting(path: Path | str | None, what: str) -> Iterator[None]:
    """Refuse writes to ``path`` while the block runs (a file being read, a backup being made)."""
    if path is None:
        yield
        return
    key = _key(path)
    had = _protected.get(key)
    _protected[key] = what
    try:
        yield
    finally:
        if had is None:
            _protected.pop(key, None)
        else:
            _protected[key] = had


def _is_sqlite(path: Path) -> bool:
    """Whether ``path`` is a regular file holding a SQLite database (never opens a FIFO or device)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with path.open("rb") as fh:
            return fh.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


def check_target(path: Path | str) -> None:
    """Refuse, with one line, a target that is (after symlinks and hard links) the
    live store, one of its companions, or a file being read or backed up.  Every
    writer calls this, through :func:`atomic_open`."""
    path = Path(path)
    refused = None
    key = _key(path)
    if key in _protected:
        refused = _protected[key]
    else:
        try:
            st = os.stat(path)
        except OSError:
            st = None
        if st is not None:
            for other, what in list(_protected.items()):
                try:
                    ost = os.stat(other)
                except OSError:
                    continue
                if (ost.st_dev, ost.st_ino) == (st.st_dev, st.st_ino):  # a hard link or bind mount
                    refused = what
                    break
            if refused is None and _is_sqlite(path):
                refused = "a database file (SQLite), perhaps a Briefer fact store"
        if refused is None:
            name = os.path.basename(key)
            for suffix, what in _STORE_COMPANIONS.items():
                main = Path(key[: -len(suffix)]) if name.endswith(suffix) else None
                if main is not None and _is_sqlite(main):
                    refused = f"the {what} of the database {main}"
                    break
    if refused is not None:
        raise WriteFailed(f"refused to write {path}: it is {refused}; nothing was written (choose another file)")


def _check_writable(path: Path) -> None:
    try:
        st = os.stat(path)
    except OSError:
        return
    if not stat.S_ISREG(st.st_mode):
        return
    if not st.st_mode & 0o222:
        raise WriteFailed(f"cannot write {path}: the file is read-only; it was left unchanged "
                          "(make it writable or choose another name)")
    if not os.access(path, os.W_OK):
        raise WriteFailed(f"cannot write {path}: permission denied (the file belongs to someone else); "
                          "it was left unchanged")


# -- where temporary files are being written (so the next start can remove a killed run's) ----

PENDING_DIR = ".writing"
_pending: Path | None = None


def track_temporaries(data_dir: Path | str) -> None:
    """Record every temporary file written from now on in ``<data_dir>/.writing/``."""
    global _pending
    _pending = Path(data_dir) / PENDING_DIR


def pending_temporaries(data_dir: Path | str) -> list[tuple[Path, Path | None]]:
    """(record, temporary file) for every write recorded in ``data_dir`` and not finished."""
    folder = Path(data_dir) / PENDING_DIR
    out: list[tuple[Path, Path | None]] = []
    try:
        records = list(folder.iterdir())
    except OSError:
        return out
    for record in records:
        try:
            with record.open("rb") as fh:
                text = fh.read(8192).decode("utf-8", "replace").strip()
        except OSError:
            continue
        out.append((record, Path(text) if text else None))
    return out


def _record_temporary(tmp: Path) -> Path | None:
    if _pending is None:
        return None
    record = _pending / f"{os.getpid()}-{os.urandom(4).hex()}"
    try:
        _pending.mkdir(exist_ok=True)
        with record.open("x", encoding="utf-8") as fh:
            fh.write(str(tmp.resolve()))
    except OSError:
        return None
    return record


def _undo_copy(path: Path) -> Path | None:
    """A hard link (else a copy) of ``path`` beside it, to put back if a step after the rename fails."""
    if not path.exists():
        return None
    keep = path.with_name(f".{path.name[:40]}.{os.urandom(4).hex()}.old.part")
    try:
        os.link(path, keep)
    except OSError:
        import shutil

        shutil.copy2(path, keep)
    return keep


@contextlib.contextmanager
def atomic_open(path: Path | str, *,
                commit: Callable[[], contextlib.AbstractContextManager[object]] | None = None) -> Iterator[BinaryIO]:
    """Open a temporary file next to ``path`` for writing; on success it replaces ``path``.

    ``commit``, when given, makes a context manager that the rename runs inside
    (e.g. the transaction recording an edition, or a claim that Cancel can no
    longer win): if it fails when entered, nothing is replaced; if it fails on
    exit, after the rename, the rename is undone and the earlier file is back."""
    path = Path(path)
    check_target(path)
    if path.is_dir():
        raise WriteFailed(f"cannot write {path}: it is a folder")
    if not path.parent.is_dir():
        raise WriteFailed(f"cannot write {path}: the folder {path.parent} does not exist")
    _check_writable(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise WriteFailed(_explain(path, exc)) from None
    tmp_path = Path(tmp)
    record = _record_temporary(tmp_path)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp_path, path.stat().st_mode & 0o777)
        else:
            with contextlib.suppress(OSError):
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp_path, 0o666 & ~umask)
        check_target(path)  # again: a link may have appeared meanwhile
        from briefer import faults

        faults.step("before-replace")
        if commit is None:
            os.replace(tmp_path, path)
        else:
            _replace_within(commit, tmp_path, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise WriteFailed(_explain(path, exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise
    finally:
        if record is not None:
            with contextlib.suppress(OSError):
                record.unlink()


def _replace_within(commit: Callable[[], contextlib.AbstractContextManager[object]], tmp: Path, path: Path) -> None:
    keep = _undo_copy(path)
    replaced = False
    try:
        with commit():
            os.replace(tmp, path)
            replaced = True
            from briefer import faults

            faults.step("after-replace")
    except BaseException:
        if replaced:  # a step after the rename failed: the earlier file goes back
            if keep is not None:
                os.replace(keep, path)
                keep = None
            else:
                with contextlib.suppress(OSError):
                    path.unlink()
        raise
    finally:
        if keep is not None:
            with contextlib.suppress(OSError):
                keep.unlink()


def atomic_write(path: Path | str, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write ``data`` (bytes, or a function that writes to the file) to ``path`` atomically."""
    with atomic_open(path) as fh:
        if callable(data):
            data(fh)
        else:
            fh.write(data)


def read_data_file(path: Path | str, *, what: str = "file", limit: int = MAX_DATA_FILE) -> str:
    """Read a small UTF-8 data file, refusing folders, huge and binary files with a clear message."""
    path = Path(path)
    try:
        if path.is_dir():
            raise KnownError(f"{path} is a folder, not a {what}")
        size = path.stat().st_size
        if size > limit:
            raise KnownError(f"{path} is too large to be a {what} ({size // (1024 * 1024)} MB; "
                             f"the limit is {limit // (1024 * 1024)} MB)")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KnownError(f"{path} does not exist") from None
    except PermissionError:
        raise KnownError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise KnownError(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\x00" in raw[:8192]:
        raise KnownError(f"{path} is a binary file, not a {what}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KnownError(f"{path} is not UTF-8 text, so it cannot be a {what}") from None
