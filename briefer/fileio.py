"""Writing files safely: a temporary file in the target folder, renamed into
place, so a failure never leaves a half-written file or loses the old one."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from briefer.errors import KnownError

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
    if exc.errno == errno.ENOSPC:
        return f"cannot write {path}: the disk is full"
    if exc.errno in (errno.EBUSY, errno.ETXTBSY):
        return f"cannot write {path}: the file is locked by another program (close it and try again)"
    return f"cannot write {path}: {exc.strerror or exc}"


@contextlib.contextmanager
def atomic_open(path: Path | str) -> Iterator[BinaryIO]:
    """Open a temporary file next to ``path`` for writing; on success it replaces ``path``."""
    path = Path(path)
    if path.is_dir():
        raise WriteFailed(f"cannot write {path}: it is a folder")
    if not path.parent.is_dir():
        raise WriteFailed(f"cannot write {path}: the folder {path.parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise WriteFailed(_explain(path, exc)) from None
    tmp_path = Path(tmp)
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
        os.replace(tmp_path, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise WriteFailed(_explain(path, exc)) from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


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
