"""Writing files safely: a temporary file in the target folder, renamed into
place, so a failure never leaves a half-written file or loses the old one."""

from __future__ import annotations

import contextlib
import contextvars
import errno
import json
import os
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from briefer.errors import KnownError, missing_folder

#: the fact store's file name inside a data folder
DB_NAME = "briefer.sqlite3"

#: refuse to read data files (templates, briefings) larger than this before parsing
MAX_DATA_FILE = 20 * 1024 * 1024


#: no number in a data file (template, briefing, manifest, settings) has more digits than this
MAX_NUMBER_DIGITS = 20


class NumberTooLarge(ValueError):
    """A number in a data file beyond what any field of Briefer's can hold."""


def _bounded_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_NUMBER_DIGITS:
        raise NumberTooLarge(f"it holds a {digits:,}-digit number (no value Briefer reads has more than "
                             f"{MAX_NUMBER_DIGITS} digits)")
    return int(text)


def _bounded_float(text: str) -> float:
    value = float(text)
    if len(text) > 64 or value in (float("inf"), float("-inf")):
        raise NumberTooLarge(f"it holds the number {text[:24]}{'…' if len(text) > 24 else ''}, too large for Briefer")
    return value


def _no_constant(name: str) -> float:
    raise NumberTooLarge(f"it holds {name}, which is not a number JSON allows")


def loads_bounded(text: str | bytes) -> Any:
    """``json.loads`` for Briefer's data files, with every number bounded.

    Raises ``json.JSONDecodeError`` for text that is not JSON and :class:`NumberTooLarge` for a number
    with too many digits (Python's own limit of 4,300 digits would raise a bare ``ValueError``),
    ``inf`` or ``NaN``; the caller turns either into one line naming the file."""
    return json.loads(text, parse_int=_bounded_int, parse_float=_bounded_float, parse_constant=_no_constant)


class WriteFailed(KnownError):
    """A file could not be written; any earlier file at that path is intact."""


def _short_path(path: Path) -> str:
    """``path`` for a message, its name cut short when it is very long."""
    name = path.name
    return str(path) if len(name) <= 60 else str(path.parent / (name[:28] + "\u2026" + name[-28:]))


def describe_os_error(exc: OSError) -> str:
    """One sentence for an OSError that reached the top without a more specific message."""
    name = exc.filename if isinstance(exc.filename, str | bytes) else ""
    shown = _short_path(Path(os.fsdecode(name))) if name else "a file"
    if exc.errno == errno.ENAMETOOLONG:
        size = len(os.fsencode(Path(os.fsdecode(name)).name)) if name else 0
        return (f"{shown}: the file name is too long for the file system"
                + (f" ({size} bytes; most allow 255)" if size else "") + "; choose a shorter name")
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return f"cannot write {shown}: the disk is full (or a file-size limit was reached)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"cannot use {shown}: permission denied"
    if exc.errno == errno.EROFS:
        return f"cannot write {shown}: the file system is read-only"
    return f"cannot use {shown}: {exc.strerror or exc}"


def _explain(path: Path, exc: OSError) -> str:
    try:
        is_dir = isinstance(exc, IsADirectoryError) or path.is_dir()
    except OSError:
        is_dir = False
    if is_dir:
        return f"cannot write {path}: it is a folder"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"cannot write {path}: permission denied (choose another folder)"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return missing_folder(path)
    if exc.errno == errno.ENAMETOOLONG:
        size = len(path.name.encode("utf-8", "surrogateescape"))
        return (f"cannot write {_short_path(path)}: the file name is too long for the file system "
                f"({size} bytes; most allow 255); choose a shorter name")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"cannot write {path}: the disk is full"
    if exc.errno == errno.EFBIG:
        return f"cannot write {path}: the file would be larger than this system allows (a file size limit)"
    if exc.errno in (errno.EBUSY, errno.ETXTBSY):
        return f"cannot write {path}: the file is locked by another program (close it and try again)"
    return f"cannot write {path}: {exc.strerror or exc}"


#: how much of a file's name its temporary sibling keeps: a name just short enough for the file
#: system must not fail only because the temporary name adds a suffix
TEMP_STEM_BYTES = 40


def short_stem(name: str, limit: int = TEMP_STEM_BYTES) -> str:
    """The start of ``name`` in at most ``limit`` UTF-8 bytes, for naming a temporary file beside it."""
    data = name.encode("utf-8", "surrogateescape")[:limit]
    return data.decode("utf-8", "ignore") or "file"


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


class TargetExists(KnownError):
    """A file the user named exists, and replacing it was not asked for (``--force``)."""


def check_replace(path: Path | str, *, force: bool) -> None:
    """The CLI's one rule for a file the user named (export, backup, template, briefing file), before any
    work: never the live store or a file being read (:func:`check_target`) nor a read-only file, and an
    existing file only with ``force`` ("… exists; add --force to replace it").  The window asks "Replace?"."""
    path = Path(path)
    check_target(path)
    if not os.path.lexists(path) or path.is_dir():  # a folder: the writer says what it does with one
        return
    _check_writable(path)
    if not force:
        raise TargetExists(f"{path} exists; add --force to replace it")


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
    try:
        check_target(path)
        _check_writable(path)
    except OSError as exc:  # a name too long for the file system fails even to be looked at
        raise WriteFailed(_explain(path, exc)) from None
    try:
        if path.is_dir():
            raise WriteFailed(f"cannot write {path}: it is a folder")
        if not path.parent.is_dir():
            raise WriteFailed(missing_folder(path))
    except OSError as exc:  # a name too long for the file system fails even to be looked at
        raise WriteFailed(_explain(path, exc)) from None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{short_stem(path.name)}.", suffix=".part", dir=path.parent)
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


#: (temporary file, target) while a ``commit`` of :func:`atomic_open` runs (see :func:`replacing`)
_REPLACING: contextvars.ContextVar[tuple[Path, Path] | None] = contextvars.ContextVar("replacing", default=None)


def replacing() -> tuple[Path, Path] | None:
    """(the finished temporary file, the target it is about to be renamed to) when called from inside
    the ``commit`` of :func:`atomic_open`, before the rename; else None.  Recording an edition uses it to
    leave a journal that the next start completes if the process dies between the rename and the commit."""
    return _REPLACING.get()


def _replace_within(commit: Callable[[], contextlib.AbstractContextManager[object]], tmp: Path, path: Path) -> None:
    keep = _undo_copy(path)
    replaced = False
    token: contextvars.Token[tuple[Path, Path] | None] | None = _REPLACING.set((tmp, path))
    try:
        with commit():
            os.replace(tmp, path)
            replaced = True
            from briefer import faults

            faults.step("after-replace")
    except BaseException:
        _REPLACING.reset(token)  # type: ignore[arg-type]
        token = None
        if replaced:  # a step after the rename failed: the earlier file goes back
            if keep is not None:
                os.replace(keep, path)
                keep = None
            else:
                with contextlib.suppress(OSError):
                    path.unlink()
        raise
    finally:
        if token is not None:
            _REPLACING.reset(token)
        if keep is not None:
            with contextlib.suppress(OSError):
                keep.unlink()


#: how long a writer waits for another Briefer's read-modify-write of the same file before giving up
LOCK_TIMEOUT = 30.0
#: (lock file, thread) of the locks held by this process
_held: set[tuple[str, int]] = set()


@contextlib.contextmanager
def locked(lock: Path | str, what: str, *, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock (``flock`` on the file ``lock``, made if missing) for one read-modify-write,
    so parallel Briefers (processes, not only threads) take turns and none loses another's change.
    After ``timeout`` seconds: :class:`WriteFailed` with one line, nothing written.  Where the system
    has no ``flock`` (Windows) the block runs unlocked."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    import threading
    import time

    lock = Path(lock)
    key = (os.path.abspath(lock), threading.get_ident())
    if key in _held:  # this thread holds it already (a save inside an import): flock would wait on itself
        yield
        return
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        raise WriteFailed(f"cannot change {what}: {_explain(lock, exc)}") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WriteFailed(f"cannot change {what}: another Briefer has been changing it for "
                                      f"{timeout:.0f} seconds; try again when it has finished") from None
                time.sleep(0.01)
            except OSError as exc:  # a file system without locks: one writer at a time cannot be promised
                if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                    break
                raise WriteFailed(f"cannot change {what}: {_explain(lock, exc)}") from None
        _held.add(key)
        try:
            yield
        finally:
            _held.discard(key)
    finally:
        os.close(fd)  # closing the last descriptor releases the lock


def atomic_write(path: Path | str, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write ``data`` (bytes, or a function that writes to the file) to ``path`` atomically."""
    with atomic_open(path) as fh:
        if callable(data):
            data(fh)
        else:
            fh.write(data)


def open_regular(path: Path | str, *, what: str = "file", error: type[KnownError] = KnownError) -> BinaryIO:
    """Open ``path`` for reading only if it is a regular file (following symlinks).

    A FIFO, a device (``/dev/zero``, a tape), a socket or a folder is refused at once: the open is
    non-blocking, so a FIFO with no writer cannot hang Briefer, and the check is made again on the
    open file, so a swap after the first look is caught too.  Every reader of user files goes
    through here (or :func:`read_capped`)."""
    path = Path(path)
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            raise error(f"{path} is a folder, not a {what}")
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{path} is not a regular file ({_kind(st.st_mode)}), so it cannot be a {what}")
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise error(f"{path} does not exist") from None
    except PermissionError:
        raise error(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise error(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise error(f"{path} is not a regular file ({_kind(st.st_mode)}), so it cannot be a {what}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


#: what reading a damaged zip archive (a .docx, a backup) can raise, beyond Briefer's own errors:
#: zipfile's, zlib's (a corrupt deflate stream), struct's (a truncated header), and the rest
ZIP_DAMAGE: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, OSError, EOFError, RuntimeError,
    NotImplementedError, ValueError, KeyError, IndexError, OverflowError)


class _OwnedZip(zipfile.ZipFile):
    """A ZipFile over a file object it owns: closing the archive closes the file."""

    def __init__(self, fh: BinaryIO) -> None:
        self._owned = fh
        try:
            super().__init__(fh)
        except BaseException:
            fh.close()
            raise

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._owned.close()


def open_zip(path: Path | str, cap: int, *, what: str, error: type[KnownError] = KnownError,
             too_large: Callable[[int], str] | None = None) -> zipfile.ZipFile:
    """A zip archive (backup, reference document) read through :func:`open_regular`, at most ``cap`` bytes.

    ``zipfile.BadZipFile`` and ``OSError`` are left to the caller, who knows what the archive should be."""
    fh = open_regular(path, what=what, error=error)
    try:
        size = os.fstat(fh.fileno()).st_size
    except OSError as exc:
        fh.close()
        raise error(f"cannot read {path}: {exc.strerror or exc}") from None
    if size > cap:
        fh.close()
        raise error(too_large(size) if too_large else
                    f"{path} is too large to be a {what} ({_mb(size)}; the limit is {_mb(cap)})")
    return _OwnedZip(fh)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a plain file"


def read_capped(path: Path | str, cap: int, *, what: str = "file", error: type[KnownError] = KnownError,
                too_large: Callable[[int], str] | None = None) -> bytes:
    """The bytes of the regular file ``path``, never reading more than ``cap`` + 1 bytes.

    The size is checked before reading and the read itself stops past ``cap``, since ``st_size``
    can lie (files in /proc say 0, a file can grow while it is read)."""
    path = Path(path)

    def refuse(size: int) -> KnownError:
        if too_large is not None:
            return error(too_large(size))
        return error(f"{path} is too large to be a {what} (more than the limit of {_mb(cap)})" if size < 0 else
                     f"{path} is too large to be a {what} ({_mb(size)}; the limit is {_mb(cap)})")

    with open_regular(path, what=what, error=error) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size
            if size > cap:
                raise refuse(size)
            raw = fh.read(cap + 1)
        except OSError as exc:
            raise error(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(raw) > cap:
        raise refuse(-1)  # st_size said less: say only that the limit was passed
    return raw


def _mb(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def read_data_file(path: Path | str, *, what: str = "file", limit: int = MAX_DATA_FILE) -> str:
    """Read a small UTF-8 data file, refusing folders, huge and binary files with a clear message."""
    path = Path(path)
    raw = read_capped(path, limit, what=what)
    if b"\x00" in raw[:8192]:
        raise KnownError(f"{path} is a binary file, not a {what}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KnownError(f"{path} is not UTF-8 text, so it cannot be a {what}") from None
