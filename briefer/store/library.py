"""Where a library lives, as ``briefer store copy`` names it: a data folder, or a ``postgresql://`` URL
(a team library), opened for a copy; and the copy between two of them (:func:`copy_between`).

A new local target is built in a temporary folder beside the one named and renamed into place when the
copy has verified, so a failure leaves no half-made data folder behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefer.errors import BugError, KnownError, StoreError
from briefer.fileio import DB_NAME
from briefer.store.copy import CopyRefused, CopyReport, TemplateFolder, TemplateSet, copy_library, is_empty

if TYPE_CHECKING:
    from briefer.store.api import FactStore

TEMPLATES_DIR = "templates"
_URL_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class Location:
    """A library named on the command line."""

    text: str
    #: the data folder, for a local library
    folder: Path | None = None
    #: the connection URL, for a team library
    url: str | None = None

    @property
    def shown(self) -> str:
        return redact(self.url) if self.url else str(self.folder)


def redact(url: str) -> str:
    """The URL without a password, as it may be printed."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        auth, _, host = rest.rpartition("@")
        if ":" in auth:
            rest = f"{auth.split(':', 1)[0]}:***@{host}"
    return f"{scheme}{sep}{rest}"


def parse_location(text: str) -> Location:
    if text.startswith(_URL_SCHEMES):
        return Location(text, url=text)
    if "://" in text:
        raise CopyRefused(f"{text!r} is neither a data folder nor a postgresql:// URL")
    if not text.strip():
        raise CopyRefused("an empty name is neither a data folder nor a postgresql:// URL")
    return Location(text, folder=Path(text).expanduser())


def _url_identity(url: str) -> tuple[str, str, str]:
    """(host, port, database) of a URL, for telling whether two URLs name one library."""
    rest = url.partition("://")[2]
    rest = rest.rpartition("@")[2]
    hostport, _, db = rest.partition("/")
    db = db.partition("?")[0]
    host, _, port = hostport.partition(":")
    return (host.lower() or "localhost").replace("127.0.0.1", "localhost"), port or "5432", db


def same_library(a: Location, b: Location) -> bool:
    if a.folder is not None and b.folder is not None:
        with contextlib.suppress(OSError):
            if a.folder.exists() and b.folder.exists():
                return os.path.samefile(a.folder, b.folder)
        return a.folder.resolve() == b.folder.resolve()
    if a.url is not None and b.url is not None:
        return _url_identity(a.url) == _url_identity(b.url)
    return False


def open_location(loc: Location, *, create: bool, data_dir: Path | None = None) -> FactStore:
    """Open the library at ``loc`` (never seeded: a copy brings its own facts).  A team library keeps its
    local side (templates until they live on the server, backups) in ``data_dir``."""
    from briefer.store.db import open_store

    if loc.url is not None:
        if data_dir is None:
            raise BugError("a team library is opened with the local data folder beside it")
        return open_store(data_dir, location=loc.url, create=create, seed=False)
    assert loc.folder is not None
    folder = loc.folder
    if not create and not (folder / DB_NAME).exists():
        if not folder.exists():
            raise CopyRefused(f"there is no data folder {folder}")
        raise CopyRefused(f"{folder} is not a Briefer library (it holds no fact store {DB_NAME})")
    return open_store(folder, create=create, seed=False)


def templates_of(loc: Location, store: FactStore) -> TemplateSet | None:
    """The library's user templates: a data folder's own; a team library's where it keeps them."""
    if loc.folder is not None:
        return TemplateFolder(loc.folder / TEMPLATES_DIR)
    maker = getattr(store, "template_set", None)
    if maker is not None:
        found: TemplateSet = maker()
        return found
    return TemplateFolder(store.path.parent / TEMPLATES_DIR)  # the data folder beside the team library


def _new_folder(folder: Path) -> bool:
    """True when the data folder does not exist yet, or is an empty folder."""
    if not folder.exists():
        return True
    if not folder.is_dir():
        raise CopyRefused(f"the target {folder} is a file, not a data folder")
    try:
        return next(folder.iterdir(), None) is None
    except OSError as exc:
        raise CopyRefused(f"cannot read the target folder {folder}: {exc.strerror or exc}") from None


@contextlib.contextmanager
def _closing(store: FactStore) -> Iterator[FactStore]:
    try:
        yield store
    finally:
        store.close()


def copy_between(src_text: str, dst_text: str, *, merge: bool = False, data_dir: Path | None = None) -> CopyReport:
    """``briefer store copy --from SRC --to DST [--merge]``; ``data_dir``: the local data folder a team
    library is opened with."""
    src_loc, dst_loc = parse_location(src_text), parse_location(dst_text)
    if same_library(src_loc, dst_loc):
        raise CopyRefused(f"the source and the target are the same library ({src_loc.shown}); nothing was copied")
    with _closing(open_location(src_loc, create=False, data_dir=data_dir)) as src:
        if is_empty(src, templates_of(src_loc, src)):
            raise CopyRefused(f"the library {src_loc.shown} holds nothing to copy (no facts, sources or templates)")
        if dst_loc.folder is not None and _new_folder(dst_loc.folder):
            return _copy_to_new_folder(src, src_loc, dst_loc.folder)
        if dst_loc.folder is not None and not (dst_loc.folder / DB_NAME).exists():
            raise CopyRefused(f"the target {dst_loc.folder} is not a Briefer data folder (it holds other files "
                              "and no fact store); name a new or empty folder")
        with _closing(open_location(dst_loc, create=True, data_dir=data_dir)) as dst:
            return copy_library(src, dst, src_templates=templates_of(src_loc, src),
                                dst_templates=templates_of(dst_loc, dst), merge=merge,
                                source_name=src_loc.shown, target_name=dst_loc.shown)


def _remove_stale_staging(parent: Path, name: str) -> None:
    """Remove what a copy into ``parent/name`` killed half-way left (its process is gone)."""
    prefix = f".{name}.copying-"
    for p in parent.glob(f"{prefix}*"):
        pid = p.name[len(prefix):].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(p, ignore_errors=True)
        except OSError:
            continue  # alive, under another user


def _copy_to_new_folder(src: FactStore, src_loc: Location, folder: Path) -> CopyReport:
    from briefer.store.db import open_store

    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(parent, folder.name)
        staging = parent / f".{folder.name}.copying-{os.getpid()}-{os.urandom(4).hex()}"
        staging.mkdir()
    except OSError as exc:
        raise CopyRefused(f"cannot create the data folder {folder}: {exc.strerror or exc}") from None
    try:
        with _closing(open_store(staging, seed=False)) as dst:
            report = copy_library(src, dst, src_templates=templates_of(src_loc, src),
                                  dst_templates=TemplateFolder(staging / TEMPLATES_DIR),
                                  source_name=src_loc.shown, target_name=str(folder))
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                (staging / f"{DB_NAME}{suffix}").unlink()
        try:
            if folder.exists():
                folder.rmdir()  # an empty folder: the new one takes its place
            os.rename(staging, folder)
        except OSError as exc:
            raise StoreError(f"cannot put the copied library in place at {folder}: {exc.strerror or exc}; "
                             "nothing was changed") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return report


__all__ = ["CopyRefused", "CopyReport", "KnownError", "Location", "copy_between", "open_location",
           "parse_location", "same_library"]
