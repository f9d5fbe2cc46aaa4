"""Opening the fact store: one SQLite file (WAL) with full-text search, created
whole, checked, migrated and seeded here (:func:`open_store`).

The store takes a path; only the entry points (CLI, window) decide where it
lives.  Every sqlite3 error that reaches a caller is a :class:`StoreError`
with one clear sentence.  The store itself is :class:`briefer.store.sqlite.Store`
(re-exported here with its search and filter types, where callers import them).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from briefer.errors import SchemaTooNewError, StoreError
from briefer.fileio import DB_NAME as DB_NAME  # re-exported: the store file name lives in fileio
from briefer.fileio import protect_store
from briefer.model.query import FactFilter, SearchHit
from briefer.store import integrity
from briefer.store.migrations import AFTER, LATEST, MIGRATIONS
from briefer.store.sqlite import Store
from briefer.store.sqlite_base import DamagedFact, store_error
from briefer.store.sqlite_search import RANK_CAP, fts_query
from briefer.store.words import cjk_runs

if TYPE_CHECKING:
    from briefer.model import Fact, GlossaryEntry, Section, Source

__all__ = ["DB_NAME", "RANK_CAP", "DamagedFact", "FactFilter", "PackLoader", "SearchHit", "SeedPack", "Store",
           "backup_path", "cjk_runs", "fts_query", "open_store", "store_error"]

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _check_header(path: Path) -> None:
    from briefer.fileio import open_regular

    try:
        if not path.is_file() and not path.is_dir() and path.exists():
            # a named pipe or a device: opening it (here, or SQLite) would wait for a writer for ever
            open_regular(path, what="Briefer database file; it was left as it is", error=StoreError).close()
        with path.open("rb") as fh:
            head = fh.read(16)
    except IsADirectoryError:
        raise StoreError(f"{path} is a folder, not a Briefer database file") from None
    except PermissionError:
        raise StoreError(f"cannot read the fact store {path}: permission denied") from None
    except OSError as exc:
        raise StoreError(f"cannot read the fact store {path}: {exc.strerror or exc}") from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path} is not a Briefer database (the file is damaged or of another kind); "
                         "it was left as it is")


_RECOVER_HINT = ("restore a backup ('briefer restore --force FILE') or start afresh with "
                 "'briefer store reset --confirm'")


class SeedPack(Protocol):
    """What a new store is filled with (:class:`briefer.ingest.factpack.FactPack` is one)."""

    @property
    def sections(self) -> list[Section]: ...
    @property
    def sources(self) -> list[Source]: ...
    @property
    def facts(self) -> list[Fact]: ...
    @property
    def glossary(self) -> list[GlossaryEntry]: ...


#: reads the pack a new store is seeded with; the store never reads the pack itself (the loader,
#: with its checks, belongs to ingest: ``briefer.ingest.factpack.open_store`` passes it)
PackLoader = Callable[[], SeedPack]


def open_store(data_dir: Path, *, create: bool = True, seed: PackLoader | Literal[False] | None = None,
               fresh: bool = False, location: str | None = None) -> Store:
    """Open (and if needed create, migrate and seed) the store in ``data_dir``, or, with ``location``
    (a ``postgresql://`` URL, see :mod:`briefer.store.location`), the team library it names, whose
    templates, settings and backups stay in ``data_dir``.

    ``seed`` fills a new store: the pack loader, or False for an empty store.  Left out, a
    store that needs seeding is refused (TypeError): nothing creates an empty store by accident.

    A store is created (and seeded) only in a data folder that is truly new:
    an empty (0-byte) store file, or a missing one beside templates, backups or
    an interrupted restore, is reported, never silently replaced (``fresh``:
    the user asked for a new store, see ``briefer store reset``)."""
    data_dir = Path(data_dir)
    if data_dir.exists() and not data_dir.is_dir():
        raise StoreError(f"the data folder {data_dir} is a file, not a folder")
    if location is not None:
        return _open_team(data_dir, location, create=create, seed=seed)
    path = data_dir / DB_NAME
    protect_store(path)  # no export, backup or template may be written over it
    notices: list[str] = []
    if data_dir.is_dir():
        from briefer.fileio import track_temporaries
        from briefer.store.housekeeping import on_start

        track_temporaries(data_dir)
        notices = on_start(data_dir)
    existed = path.exists() or path.is_symlink()
    if existed:
        _check_header(path)
        if path.is_file() and path.stat().st_size == 0:
            raise StoreError(f"the fact store {path} is empty (0 bytes): its data is gone, perhaps after a full "
                             f"disk or an interrupted copy. It was left as it is: {_RECOVER_HINT}")
    elif not create:
        raise StoreError(f"there is no fact store in {data_dir}")
    else:
        from briefer.store.housekeeping import signs_of_data

        signs = [] if fresh else signs_of_data(data_dir)
        if signs:
            raise StoreError(f"the fact store {path} is missing, but the data folder still holds "
                             f"{', '.join(signs)}; no new store was created, so nothing is hidden: {_RECOVER_HINT}")
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {data_dir}: {exc.strerror or exc}") from None
        _create(path, seed=_loader(seed))
    try:
        conn = sqlite3.connect(path, timeout=5.0, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the fact store {path}: {exc}") from None
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > LATEST:
            raise SchemaTooNewError(
                f"the fact store {path} was written by a newer Briefer (schema {version}, this version knows "
                f"up to {LATEST}); update Briefer to open it. The file was left as it is."
            )
        # the whole file is read once a day, and before a migration rewrites it (briefer.store.integrity)
        if version > 0 and (version < LATEST or integrity.due(path)):
            integrity.check(conn, path)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
        if version < LATEST:
            _migrate(conn, path, version, True)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise store_error(exc, path, "open") from None
    except BaseException:
        conn.close()
        raise
    store = Store(path, conn)
    store.notices = notices
    from briefer.store.housekeeping import pending_editions

    if pending_editions(store.path) is not None:  # an export killed between its rename and its edition
        from briefer.store.editions import complete_pending_editions

        store.notices += complete_pending_editions(store)
    if seed is not False and store.fact_count() == 0 and not store.sections() and _never_used(store):
        # a store created (schema only) by a run killed before it was seeded: it holds nothing
        try:
            _seed(store, _loader(seed))
        except BaseException:
            store.close()
            raise
    return store


def _open_team(data_dir: Path, location: str, *, create: bool, seed: PackLoader | Literal[False] | None) -> Store:
    """The team library at ``location``; psycopg is imported here, and only here, when one is configured."""
    from briefer.store.location import check_url

    url = check_url(location)
    loader = _loader(seed)
    try:
        from briefer.store.postgres.opening import open_team_store
    except ImportError as exc:
        if (exc.name or "").split(".")[0] != "psycopg":
            raise
        raise StoreError("a team library needs the PostgreSQL driver psycopg, which is not installed: install "
                         "briefer[team] (pip install 'briefer[team]')") from None
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the data folder {data_dir}: {exc.strerror or exc}") from None
    from briefer.fileio import track_temporaries
    from briefer.store.housekeeping import on_start

    track_temporaries(data_dir)
    notices = on_start(data_dir)
    store = open_team_store(url, data_dir, create=create, seed=loader)
    store.notices = notices
    from briefer.store.housekeeping import pending_editions

    if pending_editions(store.path) is not None:
        from briefer.store.editions import complete_pending_editions

        store.notices += complete_pending_editions(store)
    return store


def _loader(seed: PackLoader | Literal[False] | None) -> PackLoader | None:
    if seed is None:
        raise TypeError("open_store() must be told how to seed a new store: seed=<pack loader> "
                        "(briefer.ingest.factpack.open_store passes the fact pack) or seed=False")
    return seed or None


def _never_used(store: Store) -> bool:
    return not store._q("SELECT 1 FROM fact_history LIMIT 1") and not store._q("SELECT 1 FROM editions LIMIT 1")


def _seed(store: Store, loader: PackLoader | None) -> None:
    if loader is None:
        return
    pack = loader()
    # what the pack derives from itself (the conflict finder's prepared analyses) lands with it
    prepare = getattr(pack, "prepare_store", None)
    with store.transaction():
        store.load_pack(pack.sections, pack.sources, pack.facts, pack.glossary)
        if prepare is not None:
            prepare(store)


def _create(path: Path, *, seed: PackLoader | None) -> None:
    """Create the store at ``path`` whole: built (schema, seed pack) in a temporary
    file beside it, then linked into place, so a kill never leaves a half-made store."""
    import os

    tmp = path.with_name(f".{path.name}.{os.urandom(4).hex()}.creating")
    try:
        try:
            conn = sqlite3.connect(tmp, timeout=5.0, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot create the fact store {path}: {exc}") from None
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            _migrate(conn, tmp, 0, False)
            _seed(Store(tmp, conn), seed)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot create the fact store {path}: {exc}") from None
        finally:
            conn.close()
        from briefer import faults

        faults.step("store-created")
        try:
            os.link(tmp, path)  # fails if another Briefer created it meanwhile: then that one is used
        except FileExistsError:
            pass
        except OSError:
            if not path.exists():
                os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(f"cannot create the fact store {path}: {exc.strerror or exc}") from None
    finally:
        for p in (tmp, tmp.with_name(tmp.name + "-journal")):
            with contextlib.suppress(OSError):
                p.unlink()


def backup_path(path: Path, version: int) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return path.with_name(f"{path.name}.v{version}-{stamp}.bak")


def _migrate(conn: sqlite3.Connection, path: Path, version: int, existed: bool) -> None:
    if existed and version > 0:
        # a consistent copy, even with a WAL, via SQLite's backup API
        dest = backup_path(path, version)
        try:
            bconn = sqlite3.connect(dest)
            try:
                conn.backup(bconn)
                complete = bconn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok"
            finally:
                bconn.close()
            from briefer import faults

            faults.step("migration-backup")
            complete = complete and dest.stat().st_size > 0
            why = "it came out incomplete"
        except (sqlite3.Error, OSError) as exc:
            complete, why = False, str(exc)
        if not complete:
            # a half-written copy (0 bytes on a full disk) is worse than none: it looks like a backup
            for p in (dest, dest.with_name(dest.name + "-journal")):
                with contextlib.suppress(OSError):
                    p.unlink()
            raise StoreError(f"the fact store {path} needs an upgrade, but the copy kept before upgrading could "
                             f"not be written ({why}; is the disk full?). It was not upgraded and was left as it is")
    for step in sorted(s for s in MIGRATIONS if s > version):  # a number never used is skipped
        script = MIGRATIONS[step]
        try:
            conn.execute("BEGIN IMMEDIATE")
            for stmt in _statements(script):
                conn.execute(stmt)
            if step in AFTER:
                AFTER[step](conn)
            conn.execute(f"PRAGMA user_version = {step}")
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:  # SQLite may have rolled back already; a failing ROLLBACK hides nothing
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            raise StoreError(f"could not upgrade the fact store {path} to schema {step}: {exc}; "
                             "it was left at the previous version") from None


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (no semicolons inside our literals)."""
    lines = [ln for ln in script.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
