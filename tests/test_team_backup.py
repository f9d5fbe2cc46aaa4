"""Backups of a library in any store (a team library), in the local archive format: a round trip, the
archive restored into a local data folder as any backup, and a restore that fails leaving the library as
it was.  The store-independent part runs on a local store; the team library's on PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from library_support import TEMPLATES, enriched_library, folder_view, view

from briefer.errors import BackupError, KnownError
from briefer.store.backup import read_backup, verify_backup
from briefer.store.copy import TemplateFolder
from briefer.store.db import open_store as open_plain
from briefer.store.restore import restore_backup
from briefer.store.team_backup import backup_library, restore_library


@pytest.fixture
def library(data_dir: Path) -> tuple[Path, dict[str, Any], str]:
    return enriched_library(data_dir)


def _view(folder: Path, gone: str) -> dict[str, Any]:
    return folder_view(folder, gone)


def test_a_library_backup_is_a_local_backup_archive(library: tuple[Path, dict[str, Any], str],
                                                    tmp_path: Path) -> None:
    src, seen, gone = library
    store = open_plain(src, create=False, seed=False)
    try:
        info = backup_library(store, TemplateFolder(src / "templates"), tmp_path / "lib.briefer-backup.zip")
    finally:
        store.close()
    assert info.facts == len(seen["facts"]) and sorted(info.templates) == sorted(f"{n}.json" for n in TEMPLATES)
    assert verify_backup(info.path).facts == info.facts
    # 'briefer restore' into a new local data folder, as it restores any backup
    restore_backup(tmp_path / "offline", info.path)
    assert _view(tmp_path / "offline", gone) == seen


def test_a_restore_replaces_the_library_after_keeping_it(library: tuple[Path, dict[str, Any], str],
                                                         tmp_path: Path) -> None:
    src, seen, gone = library
    store = open_plain(src, create=False, seed=False)
    archive = tmp_path / "lib.briefer-backup.zip"
    try:
        backup_library(store, TemplateFolder(src / "templates"), archive)
        later = store.fact("basic-plan-adopted")
        store.update_fact(later.id, later.model_copy(update={"statement": "Edited after the backup."}), analyst="x")
        after_edit = view(store, TemplateFolder(src / "templates").read(), gone=(gone,))
        (src / "templates" / "extra.json").write_bytes(b'{"schema_version": 1, "name": "Extra"}')
        with pytest.raises(BackupError, match="already holds facts.*--force"):
            restore_library(store, TemplateFolder(src / "templates"), archive, keep_dir=tmp_path / "kept")
        result = restore_library(store, TemplateFolder(src / "templates"), archive, keep_dir=tmp_path / "kept",
                                 force=True)
        assert view(store, TemplateFolder(src / "templates").read(), gone=(gone,)) == seen
    finally:
        store.close()
    # what was replaced is a backup of its own, edit and extra template included
    assert result.kept is not None and read_backup(result.kept).facts == len(seen["facts"])
    restore_backup(tmp_path / "before", result.kept)
    kept_view = _view(tmp_path / "before", gone)
    assert kept_view["facts"] == after_edit["facts"]
    assert set(kept_view["templates"]) == {*TEMPLATES, "extra"}


def test_a_restore_that_fails_leaves_the_library_as_it_was(library: tuple[Path, dict[str, Any], str],
                                                           tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, seen, gone = library
    store = open_plain(src, create=False, seed=False)
    archive = tmp_path / "lib.briefer-backup.zip"
    try:
        backup_library(store, TemplateFolder(src / "templates"), archive)
        store.delete_fact("basic-plan-adopted", analyst="x")
        before = view(store, TemplateFolder(src / "templates").read(), gone=(gone,))
        monkeypatch.setenv("BRIEFER_FAULT", "store-copy-edition_facts:fail")
        with pytest.raises(OSError):
            restore_library(store, TemplateFolder(src / "templates"), archive, keep_dir=tmp_path / "kept",
                            force=True)
        monkeypatch.delenv("BRIEFER_FAULT")
        assert view(store, TemplateFolder(src / "templates").read(), gone=(gone,)) == before
        # a damaged archive is refused before anything is touched
        bad = tmp_path / "bad.briefer-backup.zip"
        bad.write_bytes(archive.read_bytes()[:-200])
        with pytest.raises(KnownError):
            restore_library(store, TemplateFolder(src / "templates"), bad, keep_dir=tmp_path / "kept", force=True)
        assert view(store, TemplateFolder(src / "templates").read(), gone=(gone,)) == before
    finally:
        store.close()
