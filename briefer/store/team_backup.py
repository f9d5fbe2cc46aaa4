"""Backing up and restoring a library in any store (a team library on a server), in the same archive format
as a local data folder's backup (:mod:`briefer.store.backup`).

A backup copies the library (:func:`briefer.store.copy.copy_library`, verified) into a local store in a
temporary folder and archives that folder, so the archive is exactly what ``briefer backup`` writes for a
local store and ``briefer restore`` puts into a local data folder as it does today.

A restore checks the whole archive first (the checks a local restore makes), keeps the library it replaces
as a backup of its own (``<data folder>/backups/before-restore-<date>.briefer-backup.zip``), then replaces
the library's rows with the archive's in one transaction, verified by counts and checksums: a failure
leaves the library as it was.  Settings in an archive belong to one analyst's data folder; a restore into a
team library leaves them out.
"""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from briefer.errors import BackupError
from briefer.store.backup import BackupInfo, RestoreResult, _stage, create_backup, read_backup
from briefer.store.copy import TemplateFolder, TemplateSet, copy_library, is_empty

if TYPE_CHECKING:
    from briefer.store.api import FactStore

TEMPLATES_DIR = "templates"


@contextlib.contextmanager
def _local_copy(folder: Path, *, create: bool) -> Iterator[FactStore]:
    from briefer.store.db import open_store

    store = open_store(folder, create=create, seed=False)
    try:
        yield store
    finally:
        store.close()


def backup_library(store: FactStore, templates: TemplateSet | None, dest: Path, *, overwrite: bool = False,
                   name: str = "") -> BackupInfo:
    """Write a backup of the library in ``store`` (with ``templates``) to ``dest``, a file or a folder."""
    dest = Path(dest)
    if not dest.is_dir():
        from briefer.fileio import check_replace

        check_replace(dest, force=overwrite)  # before copying anything
    with tempfile.TemporaryDirectory(prefix="briefer-backup-") as tmp:
        folder = Path(tmp) / "library"
        with _local_copy(folder, create=True) as local:
            copy_library(store, local, src_templates=templates, dst_templates=TemplateFolder(folder / TEMPLATES_DIR),
                         source_name=name or str(store.path), target_name="the backup")
        return create_backup(folder, dest, overwrite=overwrite)


def _keep_path(keep_dir: Path) -> Path:
    from briefer.store.backup import SUFFIX, _now_stamp

    kept = keep_dir / f"before-restore-{_now_stamp()}{SUFFIX}"
    n = 1
    while kept.exists():
        n += 1
        kept = keep_dir / f"before-restore-{_now_stamp()}-{n}{SUFFIX}"
    return kept


def restore_library(store: FactStore, templates: TemplateSet | None, archive: Path, *, keep_dir: Path,
                    force: bool = False, name: str = "") -> RestoreResult:
    """Replace the library in ``store`` (and ``templates``) with the one in ``archive`` (see the docstring)."""
    archive = Path(archive)
    shown = name or str(store.path)
    info = read_backup(archive)  # cheap checks first, so a wrong file fails fast
    existing = not is_empty(store, templates)
    if existing and not force:
        raise BackupError(f"the library {shown} already holds facts; restoring replaces them and its templates with "
                          f"the backup made {info.created}. Add --force to go ahead (the current library is kept in "
                          f"{keep_dir})")
    with tempfile.TemporaryDirectory(prefix="briefer-restore-") as tmp:
        staging = Path(tmp) / "staging"
        info = _stage(archive, staging)  # the whole archive checked, as a local restore checks it
        kept: Path | None = None
        if existing:
            try:
                keep_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise BackupError(f"cannot create {keep_dir}: {exc.strerror or exc}; nothing was changed") from None
            kept = _keep_path(keep_dir)
            backup_library(store, templates, kept, name=shown)
        with _local_copy(staging, create=False) as source:
            copy_library(source, store, src_templates=TemplateFolder(staging / TEMPLATES_DIR),
                         dst_templates=templates, replace=True, source_name=str(archive), target_name=shown)
    return RestoreResult(restored=info, kept=kept)


def restore_team(data_dir: Path, url: str, archive: Path, *, force: bool = False) -> RestoreResult:
    """``briefer --store URL restore FILE``: the team library at ``url`` replaced by the archive's library
    (its templates are in the data folder ``data_dir``, where the replaced library is kept as a backup)."""
    from briefer.store.backup import KEEP_DIR
    from briefer.store.db import open_store
    from briefer.store.library import Location, templates_of

    read_backup(archive)  # a wrong file fails before any connection is made
    store = open_store(data_dir, location=url, create=True, seed=False)
    try:
        return restore_library(store, templates_of(Location(url, url=url), store), archive,
                               keep_dir=Path(data_dir) / KEEP_DIR, force=force, name=store.location)
    finally:
        store.close()
