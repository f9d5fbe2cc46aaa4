"""Copying a whole library from one store to another (``briefer store copy``), verified.

:func:`copy_library` moves every table of :mod:`briefer.store.portable` (sections, sources with their
text, import records and history, glossary, facts with citations, tags and history, editions, import
candidates, conflict resolutions, prepared analyses) and the templates, from a consistent snapshot of the
source into one transaction on the target.  Before that transaction commits, the target's rows are read
back and counted and summed (a checksum per table, computed alike on both backends); a table that does
not match refuses the copy and the transaction is rolled back, so a failure anywhere leaves the target as
it was.  Rows stream from one store to the other: no table is held in memory.

A target that already holds a library is refused unless the copy merges (:mod:`briefer.store.copy_merge`)
or replaces it (a restore into a team library).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from briefer import faults
from briefer.errors import KnownError, StoreError
from briefer.store.copy_merge import Difference, MergeResult, merge_tables
from briefer.store.portable import TABLES, TableSum, Tally, summed

if TYPE_CHECKING:
    from briefer.store.api import FactStore


class CopyRefused(KnownError):
    """A copy that was not started, or was undone: the target is as it was."""

    advice = "Nothing was changed in the target library."


class TemplateSet(Protocol):
    """A library's user templates: name -> the template file's bytes."""

    def read(self) -> dict[str, bytes]: ...

    def write(self, items: dict[str, bytes], *, replace: bool = False) -> Callable[[], None]:
        """Add ``items`` (with ``replace``: instead of every template there); returns what undoes it."""
        ...


class TemplateFolder:
    """The templates of a local data folder: ``<data_dir>/templates/NAME.json``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read(self) -> dict[str, bytes]:
        if not self.folder.is_dir():
            return {}
        return {p.stem: p.read_bytes() for p in sorted(self.folder.iterdir())
                if p.suffix == ".json" and not p.name.startswith(".") and p.is_file() and not p.is_symlink()}

    def write(self, items: dict[str, bytes], *, replace: bool = False) -> Callable[[], None]:
        from briefer.fileio import atomic_write

        written: list[Path] = []
        #: (where a replaced template was put, where it was): in the trash, as a deleted template is
        aside: list[tuple[Path, Path]] = []

        def undo() -> None:
            for p in written:
                with contextlib.suppress(OSError):
                    p.unlink()
            for trashed, path in reversed(aside):
                with contextlib.suppress(OSError):
                    os.replace(trashed, path)

        try:
            if items or replace:
                self.folder.mkdir(parents=True, exist_ok=True)
            if replace:
                trash = self.folder / ".trash"
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
                for name in self.read():
                    trash.mkdir(exist_ok=True)
                    path = self.folder / f"{name}.json"
                    os.replace(path, trash / f"{name}.{stamp}.json")
                    aside.append((trash / f"{name}.{stamp}.json", path))
            for name, data in items.items():
                path = self.folder / f"{name}.json"
                if path.exists():
                    raise StoreError(f"the template {name!r} appeared in {self.folder} during the copy")
                atomic_write(path, data)
                written.append(path)
        except BaseException:
            undo()
            raise
        return undo


@dataclass
class CopyReport:
    source: str
    target: str
    merged: bool
    #: table -> rows and checksum in the target after the copy
    tables: dict[str, TableSum] = field(default_factory=dict)
    #: table -> rows the copy added (all of them unless merging)
    added: dict[str, int] = field(default_factory=dict)
    templates: int = 0
    templates_added: int = 0
    differences: list[Difference] = field(default_factory=list)
    seconds: float = 0.0

    def as_json(self) -> dict[str, Any]:
        return {"from": self.source, "to": self.target, "merged": self.merged,
                "tables": {t: {"rows": s.rows, "added": self.added.get(t, 0), "checksum": s.checksum}
                           for t, s in self.tables.items()},
                "templates": {"count": self.templates, "added": self.templates_added},
                "differences": [d.as_json() for d in self.differences], "seconds": round(self.seconds, 3)}


def is_empty(store: FactStore, templates: TemplateSet | None = None) -> bool:
    """True when ``store`` holds no row of any copied table (and ``templates`` no template)."""
    for table in TABLES:
        rows = store.export_rows(table)
        try:
            if next(rows, None) is not None:
                return False
        finally:
            close = getattr(rows, "close", None)
            if close:
                close()
    return not (templates and templates.read())


def _templates_sum(items: dict[str, bytes]) -> TableSum:
    acc = TableSum()
    for name, data in items.items():
        acc.add((name, hashlib.sha256(data).hexdigest()))
    return acc


def _mismatch(table: str, want: TableSum, got: TableSum) -> CopyRefused:
    what = f"{got.rows} rows arrived of {want.rows}" if want.rows != got.rows else "the checksums differ"
    return CopyRefused(f"the copy of table {table} did not verify ({what}); it was rolled back and the target "
                       "was left as it was")


def copy_library(src: FactStore, dst: FactStore, *, src_templates: TemplateSet | None = None,
                 dst_templates: TemplateSet | None = None, merge: bool = False, replace: bool = False,
                 source_name: str = "", target_name: str = "") -> CopyReport:
    """Copy ``src``'s library into ``dst`` (see the module docstring); returns what was copied."""
    started = time.perf_counter()
    source_name = source_name or str(src.path)
    target_name = target_name or str(dst.path)
    if src.schema_version != dst.schema_version:
        newer = target_name if dst.schema_version > src.schema_version else source_name
        raise CopyRefused(f"the two libraries are of different schemas ({src.schema_version} and "
                          f"{dst.schema_version}); open {newer} with this Briefer first, or update Briefer")
    report = CopyReport(source_name, target_name, merge)
    undo: Callable[[], None] | None = None
    with src.read_snapshot():
        templates = src_templates.read() if src_templates else {}
        if not (merge or replace) and not is_empty(dst, dst_templates):
            raise CopyRefused(f"the target {target_name} already holds a library ({dst.fact_count()} facts); "
                              "copy into an empty one, or add --merge to add what it lacks")
        try:
            with dst.transaction():
                if replace:
                    for table in reversed(TABLES):
                        dst.delete_rows(table)
                before = _read_back(dst) if merge else Tally()
                added = Tally()
                if merge:
                    result = merge_tables(src, dst, added)
                else:
                    result = MergeResult()
                    for table in TABLES:
                        dst.import_rows(table, summed(table, src.export_rows(table), added))
                        faults.step(f"store-copy-{table}")
                dst.finish_import()
                faults.step("store-copy-verify")
                after = _read_back(dst)
                for table in TABLES:
                    want = before.of(table).plus(added.of(table))
                    if (want.rows, want.total) != (after.of(table).rows, after.of(table).total):
                        raise _mismatch(table, want, after.of(table))
                undo, report.templates, report.templates_added, skipped = _copy_templates(
                    templates, dst_templates, merge=merge, replace=replace)
                result.differences += skipped
                faults.step("store-copy-commit")
        except BaseException:
            if undo is not None:
                undo()
            raise
    report.tables = after.tables
    report.added = {t: added.of(t).rows for t in TABLES}
    report.differences = result.differences
    report.seconds = time.perf_counter() - started
    return report


def _read_back(store: FactStore) -> Tally:
    tally = Tally()
    for table in TABLES:
        acc = tally.of(table)
        for row in store.export_rows(table):
            acc.add(row)
    return tally


def _copy_templates(items: dict[str, bytes], target: TemplateSet | None, *, merge: bool,
                    replace: bool) -> tuple[Callable[[], None] | None, int, int, list[Difference]]:
    """Write the templates to the target (with ``merge``: the new ones; one with the same name and other
    content is reported); checks what the target then holds.  Returns (undo, count, added, differences)."""
    if target is None:
        return None, 0, 0, []
    held = {} if replace else target.read()
    differences = [Difference("template", name, ("content",)) for name in sorted(items)
                   if name in held and held[name] != items[name]]
    new = {name: data for name, data in items.items() if name not in held}
    undo = target.write(new, replace=replace) if new or replace else None
    try:
        now = target.read()
        want = _templates_sum({**held, **new})
        got = _templates_sum(now)
        if (want.rows, want.total) != (got.rows, got.total):
            raise _mismatch("templates", want, got)
    except BaseException:
        if undo is not None:
            undo()
        raise
    return undo, len(now), len(new), differences

