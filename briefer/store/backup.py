"""Backing up and restoring a data folder: the fact store and the user templates.

A backup is one zip archive::

    manifest.json        what is inside: Briefer version, schema version, date, sizes, SHA-256s
    briefer.sqlite3      a consistent copy of the store, made with SQLite's backup API
    templates/...        the user templates folder, as it was
    settings.json        the analyst's settings (name, freshness horizon), when there are any

The store may be open in a running window while it is backed up: the backup
API copies a single consistent snapshot.  A restore validates the whole archive
(sizes, names, manifest, checksums, schema, SQLite integrity) in a staging
folder before it touches anything, keeps the current data as a timestamped
backup of its own, then swaps the files into place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
import sqlite3
import stat
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, BinaryIO

from briefer import __version__
from briefer.errors import BackupError, SchemaTooNewError
from briefer.fileio import (
    MAX_DATA_FILE,
    NumberTooLarge,
    atomic_open,
    check_replace,
    loads_bounded,
    protecting,
)
from briefer.store.db import DB_NAME
from briefer.store.housekeeping import KEEP_DIR as KEEP_DIR  # where ``restore`` keeps the data it replaces
from briefer.store.migrations import LATEST
from briefer.store.preferences import SETTINGS_FILE

if TYPE_CHECKING:
    pass

FORMAT = "briefer-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
TEMPLATES = "templates"
SUFFIX = ".briefer-backup.zip"

# Limits checked before anything is extracted: a backup is a few MB; these are
# far above any real store and far below what would fill a disk by surprise.
MAX_ARCHIVE = 4 * 1024**3
MAX_DB = 4 * 1024**3
MAX_MANIFEST = 1024**2
MAX_TEMPLATE = MAX_DATA_FILE
MAX_MEMBERS = 20_000
MAX_TOTAL = 6 * 1024**3

_SQLITE_MAGIC = b"SQLite format 3\x00"
_CHUNK = 1024 * 1024


@dataclass
class BackupInfo:
    """What an archive holds, as read from its manifest."""

    path: Path
    briefer_version: str
    schema_version: int
    created: str
    facts: int | None
    sources: int | None
    templates: list[str] = field(default_factory=list)
    settings: bool = False

    def as_json(self) -> dict[str, Any]:
        return {"file": str(self.path), "briefer_version": self.briefer_version,
                "schema_version": self.schema_version, "created": self.created, "facts": self.facts,
                "sources": self.sources, "templates": self.templates,
                "settings": self.settings}


@dataclass
class RestoreResult:
    restored: BackupInfo
    #: the archive holding the data that was replaced (None when the folder held none)
    kept: Path | None


# -- helpers -------------------------------------------------------------------


def _now_stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M%S")


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _header_user_version(path: Path) -> int | None:
    """``PRAGMA user_version`` read from the file header (bytes 60-63), without SQLite."""
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError:
        return None
    if len(head) < 64 or head[:16] != _SQLITE_MAGIC:
        return None
    return int(struct.unpack(">i", head[60:64])[0])


def _template_files(templates: Path) -> list[Path]:
    """The regular files under the templates folder, minus temporary files of interrupted writes."""
    if not templates.is_dir():
        return []
    out = []
    for p in sorted(templates.rglob("*")):
        if p.name.endswith(".part") or (p.name.startswith(".") and p.name.endswith(".tmp")):
            continue  # half-written temporaries of an interrupted save are not user data
        if p.is_symlink() or not p.is_file():
            continue
        out.append(p)
    return out


def _counts(db: Path) -> tuple[int | None, int | None]:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error:
        return None, None
    try:
        facts = int(conn.execute("SELECT count(*) FROM facts").fetchone()[0])
        sources = int(conn.execute("SELECT count(*) FROM sources").fetchone()[0])
        return facts, sources
    except sqlite3.Error:
        return None, None
    finally:
        conn.close()


def _integrity(db: Path) -> str:
    """'ok', or what SQLite found wrong with the database file ``db``."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        return str(exc)
    try:
        rows = conn.execute("PRAGMA integrity_check(5)").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()
    if [r[0] for r in rows] == ["ok"]:
        return "ok"
    first = " ".join(str(rows[0][0]).split()) if rows else "unknown problem"
    return first if len(rows) == 1 else f"{first}, and more"


def _write_archive(fh: BinaryIO, db: Path, data_dir: Path, *, note: str = "") -> BackupInfo:
    """Write the archive for database file ``db`` and the templates and settings in ``data_dir`` to ``fh``."""
    templates = data_dir / TEMPLATES
    files = _template_files(templates)
    settings = data_dir / SETTINGS_FILE
    has_settings = settings.is_file() and not settings.is_symlink()
    schema = _header_user_version(db)
    facts, sources = _counts(db)
    members: dict[str, dict[str, Any]] = {DB_NAME: {"size": db.stat().st_size, "sha256": _sha256_file(db)}}
    names = []
    for p in files:
        name = f"{TEMPLATES}/{p.relative_to(templates).as_posix()}"
        members[name] = {"size": p.stat().st_size, "sha256": _sha256_file(p)}
        names.append(p.relative_to(templates).as_posix())
    if has_settings:
        members[SETTINGS_FILE] = {"size": settings.stat().st_size, "sha256": _sha256_file(settings)}
    created = datetime.now(UTC).isoformat(timespec="seconds")
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "briefer_version": __version__,
        "schema_version": schema,
        "created": created,
        "facts": facts,
        "sources": sources,
        "note": note,
        "files": members,
    }
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        entry = zipfile.ZipInfo(MANIFEST, date_time=datetime.now().timetuple()[:6])
        entry.external_attr = (stat.S_IFREG | 0o644) << 16
        entry.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(entry, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        zf.write(db, DB_NAME)
        for p in files:
            zf.write(p, f"{TEMPLATES}/{p.relative_to(templates).as_posix()}")
        if has_settings:
            zf.write(settings, SETTINGS_FILE)
    return BackupInfo(path=Path(), briefer_version=__version__, schema_version=schema or 0, created=created,
                      facts=facts, sources=sources, templates=names, settings=has_settings)


# -- backup ----------------------------------------------------------------------


def default_backup_name() -> str:
    return f"briefer-{_now_stamp()}{SUFFIX}"


def create_backup(data_dir: Path, dest: Path, *, overwrite: bool = False) -> BackupInfo:
    """Write a backup of ``data_dir`` to ``dest`` (a file, or a folder to put a dated file in)."""
    data_dir = Path(data_dir)
    db = data_dir / DB_NAME
    if not db.is_file():
        raise BackupError(f"there is no fact store in {data_dir} to back up")
    with db.open("rb") as fh:
        if fh.read(16) != _SQLITE_MAGIC:
            raise BackupError(f"{db} is not a Briefer database (damaged or of another kind); nothing was backed up")
    dest = Path(dest)
    if dest.is_dir():
        dest = dest / default_backup_name()
    else:
        check_replace(dest, force=overwrite)  # the CLI's one rule for a file the user named
    if _inside(dest, data_dir / TEMPLATES):
        raise BackupError(f"cannot write the backup inside the templates folder it backs up ({dest.parent})")
    with tempfile.TemporaryDirectory(prefix="briefer-backup-") as tmp, \
            protecting(Path(tmp) / DB_NAME, "the copy a backup is being made from"):
        copy = Path(tmp) / DB_NAME
        _snapshot(db, copy)
        problem = _integrity(copy)
        if problem != "ok":
            raise BackupError(f"the fact store {db} is damaged ({problem}); a backup of it could not be restored. "
                              "Restore an earlier backup instead ('briefer restore').")
        with atomic_open(dest) as fh:
            info = _write_archive(fh, copy, data_dir)
    info.path = dest
    return info


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def _snapshot(db: Path, dest: Path) -> None:
    """A consistent copy of ``db`` at ``dest``, even while another process writes to it."""
    try:
        src = sqlite3.connect(db, timeout=10.0)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open the fact store {db}: {exc}") from None
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)
            # a self-contained file: no -wal beside it is needed to read it
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    except sqlite3.OperationalError as exc:
        raise BackupError(f"cannot read the fact store {db} ({exc}); try again in a moment") from None
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"the fact store {db} is damaged ({exc}); nothing was backed up") from None
    finally:
        src.close()


# -- reading and validating an archive -----------------------------------------------


def _safe_member(name: str) -> PurePosixPath:
    """The member's path, or a BackupError when it could escape the folder it is extracted to."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        raise BackupError(f"the archive holds an unsafe file name {name!r}; it was not restored")
    p = PurePosixPath(name)
    if any(part in ("", ".", "..") for part in p.parts) or name.endswith("/"):
        raise BackupError(f"the archive holds an unsafe file name {name!r}; it was not restored")
    return p


def _open_archive(path: Path) -> zipfile.ZipFile:
    from briefer.fileio import open_zip

    try:  # a FIFO or a device is refused at once, without blocking
        return open_zip(path, MAX_ARCHIVE, what="Briefer backup", error=BackupError,
                        too_large=lambda size: f"{path} is too large to be a Briefer backup ({size // 1024**2} MB)")
    except zipfile.BadZipFile:
        raise BackupError(f"{path} is not a Briefer backup (not a zip archive, or a damaged one)") from None
    except PermissionError:
        raise BackupError(f"cannot read {path}: permission denied") from None
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror or exc}") from None


def _read_manifest(zf: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        info = zf.getinfo(MANIFEST)
    except KeyError:
        raise BackupError(f"{path} is not a Briefer backup (it has no {MANIFEST})") from None
    if info.file_size > MAX_MANIFEST:
        raise BackupError(f"{path} is not a Briefer backup (its manifest is too large)")
    try:
        with zf.open(info) as fh:
            raw = fh.read(MAX_MANIFEST + 1)
        data = loads_bounded(raw.decode("utf-8"))
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error, struct.error,
            NotImplementedError) as exc:
        raise BackupError(f"{path} is damaged ({exc}); it was not restored") from None
    except NumberTooLarge as exc:
        raise BackupError(f"{path} is not a valid Briefer backup: its manifest {exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise BackupError(f"{path} is not a Briefer backup (its manifest is not valid JSON)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Briefer backup (its manifest is of another kind)")
    fv = data.get("format_version")
    if not isinstance(fv, int):
        raise BackupError(f"{path} is not a Briefer backup (its manifest has no format version)")
    if fv > FORMAT_VERSION:
        raise SchemaTooNewError(f"{path} was made by a newer Briefer ({data.get('briefer_version', '?')}); "
                                f"update Briefer to restore it")
    schema = data.get("schema_version")
    if not isinstance(schema, int) or schema < 0:
        raise BackupError(f"{path} is not a valid Briefer backup (its manifest has no schema version)")
    if schema > LATEST:
        raise SchemaTooNewError(
            f"{path} holds a fact store from a newer Briefer ({data.get('briefer_version', '?')}, schema {schema}; "
            f"this version knows up to {LATEST}); update Briefer to restore it")
    files = data.get("files")
    if not isinstance(files, dict) or DB_NAME not in files:
        raise BackupError(f"{path} is not a valid Briefer backup (its manifest lists no fact store)")
    for name, meta in files.items():
        if not (isinstance(meta, dict) and isinstance(meta.get("size"), int) and isinstance(meta.get("sha256"), str)):
            raise BackupError(f"{path} is not a valid Briefer backup (bad manifest entry for {name!r})")
    return data


def read_backup(path: Path) -> BackupInfo:
    """Read an archive's manifest (after basic checks) without extracting anything."""
    path = Path(path)
    with _open_archive(path) as zf:
        data = _read_manifest(zf, path)
    return _info(path, data)


def _info(path: Path, data: dict[str, Any]) -> BackupInfo:
    prefix = f"{TEMPLATES}/"
    return BackupInfo(
        path=path, briefer_version=str(data.get("briefer_version", "?")), schema_version=int(data["schema_version"]),
        created=str(data.get("created", "?")),
        facts=data.get("facts") if isinstance(data.get("facts"), int) else None,
        sources=data.get("sources") if isinstance(data.get("sources"), int) else None,
        templates=sorted(n[len(prefix):] for n in data["files"] if n.startswith(prefix)),
        settings=SETTINGS_FILE in data["files"],
    )


def _check_template_member(p: PurePosixPath, path: Path) -> None:
    """A template restored from a backup is named by the same rules as one the user names."""
    from briefer.store.template_names import TemplateNameError, check_template_name

    for i, part in enumerate(p.parts[1:]):
        if i == 0 and part == ".trash" and len(p.parts) > 2:
            continue
        try:
            if check_template_name(part) != part:
                raise TemplateNameError("it has spaces around it or is not in normal form")
        except TemplateNameError as exc:
            raise BackupError(f"the archive {path} holds a template file name Briefer refuses "
                              f"({str(exc).replace('the template name ', 'the name ')}); it was not restored") from None


def _check_members(zf: zipfile.ZipFile, path: Path, manifest: dict[str, Any]) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise BackupError(f"{path} holds too many files ({len(infos)}) to be a Briefer backup")
    seen: set[str] = set()
    total = 0
    out = []
    listed = manifest["files"]
    for info in infos:
        name = info.filename
        p = _safe_member(name)
        if name.casefold() in seen:
            raise BackupError(f"the archive {path} holds {name!r} twice; it was not restored")
        seen.add(name.casefold())
        mode = (info.external_attr >> 16) & 0xFFFF
        if info.is_dir() or stat.S_IFMT(mode) not in (0, stat.S_IFREG):
            raise BackupError(f"the archive {path} holds {name!r}, which is not a plain file; it was not restored")
        if info.flag_bits & 0x1:
            raise BackupError(f"the archive {path} is encrypted; Briefer backups never are")
        if name == MANIFEST:
            continue
        if name == DB_NAME:
            limit = MAX_DB
        elif name == SETTINGS_FILE:
            limit = MAX_DATA_FILE
        elif p.parts[0] == TEMPLATES and len(p.parts) >= 2:
            limit = MAX_TEMPLATE
            _check_template_member(p, path)
        else:
            raise BackupError(f"the archive {path} holds an unexpected file {name!r}; it was not restored")
        if info.file_size > limit:
            raise BackupError(f"{name!r} in {path} is too large ({info.file_size // 1024**2} MB); it was not restored")
        meta = listed.get(name)
        if meta is None or meta["size"] != info.file_size:
            raise BackupError(f"the archive {path} does not match its manifest ({name!r}); it was not restored")
        total += info.file_size
        out.append(info)
    if total > MAX_TOTAL:
        raise BackupError(f"{path} would unpack to {total // 1024**2} MB, too much for a Briefer backup")
    missing = set(listed) - {i.filename for i in out}
    if missing:
        raise BackupError(f"the archive {path} is incomplete (missing {sorted(missing)[0]!r}); it was not restored")
    return out


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, sha256: str, path: Path) -> None:
    """Extract one member, never writing more than it declares, and check its checksum."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha256()
    written = 0
    try:
        with zf.open(info) as src, dest.open("xb") as out:
            while chunk := src.read(_CHUNK):
                written += len(chunk)
                if written > info.file_size:
                    raise BackupError(f"{info.filename!r} in {path} is larger than it claims; it was not restored")
                h.update(chunk)
                out.write(chunk)
    except (zipfile.BadZipFile, EOFError, RuntimeError, zlib.error, struct.error, NotImplementedError) as exc:
        raise BackupError(f"{path} is damaged ({info.filename}: {exc}); it was not restored") from None
    except OSError as exc:
        raise BackupError(f"cannot unpack {info.filename} from {path}: {exc.strerror or exc}") from None
    if written != info.file_size or h.hexdigest() != sha256:
        raise BackupError(f"{info.filename!r} in {path} is damaged (its checksum does not match); it was not restored")


def _stage(archive: Path, staging: Path) -> BackupInfo:
    """Validate ``archive`` completely, unpacking it into ``staging``."""
    with _open_archive(archive) as zf:
        manifest = _read_manifest(zf, archive)
        infos = _check_members(zf, archive, manifest)
        need = sum(i.file_size for i in infos)
        with contextlib.suppress(OSError):
            free = shutil.disk_usage(staging.parent).free
            if free < need * 2 + 16 * 1024**2:  # the unpacked copy, plus the copy of the current data
                raise BackupError(f"not enough free disk space in {staging.parent} to restore "
                                  f"({need // 1024**2 + 1} MB needed twice)")
        for info in infos:
            _extract(zf, info, staging / info.filename, manifest["files"][info.filename]["sha256"], archive)
    db = staging / DB_NAME
    with db.open("rb") as fh:
        if fh.read(16) != _SQLITE_MAGIC:
            raise BackupError(f"the fact store in {archive} is not a SQLite database; it was not restored")
    version = _header_user_version(db)
    if version != manifest["schema_version"]:
        raise BackupError(f"the fact store in {archive} does not match its manifest (schema {version} "
                          f"vs {manifest['schema_version']}); it was not restored")
    problem = _integrity(db)
    if problem != "ok":
        raise BackupError(f"the fact store in {archive} is damaged ({problem}); it was not restored")
    settings = staging / SETTINGS_FILE
    if settings.exists():
        try:
            values = loads_bounded(settings.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            values = None
        if not isinstance(values, dict):
            raise BackupError(f"the settings in {archive} are not a JSON object; it was not restored")
        if isinstance(values.get("analyst"), str):
            from briefer.errors import ValidationFailed
            from briefer.store.preferences import check_analyst_name

            try:  # the same rule as a name typed with 'briefer config --analyst'
                check_analyst_name(values["analyst"], "the analyst name in its settings")
            except ValidationFailed as exc:
                raise BackupError(f"{archive} cannot be restored: {str(exc).split('; set a plain')[0]}") from None
    for info in infos:
        if info.filename.startswith(f"{TEMPLATES}/") and info.filename.endswith(".json"):
            try:
                loads_bounded((staging / info.filename).read_text(encoding="utf-8-sig"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                raise BackupError(f"the template {info.filename!r} in {archive} is not valid JSON; "
                                  "it was not restored") from None
    return _info(archive, manifest)


def verify_backup(path: Path) -> BackupInfo:
    """Check an archive the way ``restore`` would, without touching any data folder."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="briefer-verify-") as tmp:
        return _stage(path, Path(tmp) / "staging")
