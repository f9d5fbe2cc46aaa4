"""Backup and restore live in the store (:mod:`briefer.store.backup`, :mod:`briefer.store.restore`); this module
keeps the old import path working (``reset_store`` seeds from the fact pack)."""

from briefer.ingest.factpack import reset_store
from briefer.store.backup import (
    FORMAT,
    FORMAT_VERSION,
    KEEP_DIR,
    MANIFEST,
    SUFFIX,
    TEMPLATES,
    BackupInfo,
    RestoreResult,
    create_backup,
    default_backup_name,
    read_backup,
    verify_backup,
)
from briefer.store.restore import JOURNAL, complete_interrupted_restore, has_data, restore_backup

__all__ = [
    "FORMAT", "FORMAT_VERSION", "JOURNAL", "KEEP_DIR", "MANIFEST", "SUFFIX", "TEMPLATES", "BackupInfo",
    "RestoreResult", "complete_interrupted_restore", "create_backup", "default_backup_name", "has_data",
    "read_backup", "reset_store", "restore_backup", "verify_backup",
]
