"""The analyst's curation settings: who they are (recorded in every fact's
history) and how old a fact may grow before it counts as stale.

Looked up in this order: the environment (``BRIEFER_ANALYST``,
``BRIEFER_STALE_MONTHS``), then ``settings.json`` in the data folder
(``{"analyst": "A. Analyst", "stale_after_months": 12}``), then the defaults
(the operating-system user name; 12 months).  ``briefer config`` shows and
sets them.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from briefer.errors import KnownError, ValidationFailed

SETTINGS_FILE = "settings.json"
#: held while settings.json is read, changed and written (see :func:`save`)
LOCK_FILE = ".settings.lock"
ANALYST_ENV = "BRIEFER_ANALYST"
STALE_ENV = "BRIEFER_STALE_MONTHS"
DEFAULT_STALE_MONTHS = 12


#: a settings file larger than this is not one the window or ``briefer config`` wrote
SETTINGS_LIMIT = 1024 * 1024

#: what the last reads set aside (a corrupt settings.json), for the shell to say once:
#: :func:`take_notices` empties it
_notices: list[str] = []


def take_notices() -> list[str]:
    """The messages about settings files set aside since the last call (each said once)."""
    out = list(_notices)
    _notices.clear()
    return out


def _bad_name(path: Path) -> Path:
    """``settings.json.bad``, or ``.bad.2``, ``.bad.3``… when older ones are kept."""
    candidate = path.with_name(path.name + ".bad")
    n = 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = path.with_name(f"{path.name}.bad.{n}")
    return candidate


def _set_aside(path: Path, why: str, seen: os.stat_result) -> dict[str, Any]:
    """Move a corrupt settings file aside (never over an older ``.bad``), note it, use the defaults."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return {}  # another Briefer set it aside first
    if (now.st_ino, now.st_size, now.st_mtime_ns) != (seen.st_ino, seen.st_size, seen.st_mtime_ns):
        return _read(path.parent)  # rewritten meanwhile: read the new one
    for _attempt in range(20):
        target = _bad_name(path)
        try:
            os.link(path, target)  # fails if target exists: an older .bad is never replaced
        except FileExistsError:
            continue
        except FileNotFoundError:
            return {}
        except OSError:  # no hard links here (some network or FAT file systems)
            if target.exists():
                continue
            try:
                os.rename(path, target)
            except OSError as exc:
                raise ValidationFailed(f"{path} {why}, and it cannot be moved aside ({exc.strerror or exc}); "
                                       "fix or delete it") from None
            break
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        break
    else:
        raise ValidationFailed(f"{path} {why}; fix or delete it")
    _notices.append(f"the settings file {path} {why}: it was moved aside to {target.name} and the default "
                    "settings are used (set them again in Preferences or with 'briefer config')")
    return {}


def _read(data_dir: Path) -> dict[str, Any]:
    """The settings file as a dict.  A file that is not a settings file at all (not JSON, not an
    object, binary, oversized) is moved aside to ``settings.json.bad`` and the defaults are used:
    the window and the CLI keep working, and :func:`take_notices` says so once.  A folder, pipe or
    device in its place is refused (it is not a file Briefer could have written)."""
    path = Path(data_dir) / SETTINGS_FILE
    if not path.exists():
        return {}
    import stat

    from briefer.fileio import NumberTooLarge, loads_bounded, read_capped

    try:
        seen = os.stat(path)
    except FileNotFoundError:
        return {}
    except OSError:
        seen = None  # read_capped words it
    if seen is not None and stat.S_ISREG(seen.st_mode) and seen.st_size > SETTINGS_LIMIT:
        return _set_aside(path, f"is {seen.st_size:,} bytes, too large to be a settings file", seen)
    raw = read_capped(path, SETTINGS_LIMIT, what="settings file")  # a folder, pipe or device: refused
    assert seen is not None
    why = ""
    data: Any = None
    if b"\x00" in raw[:8192]:
        why = "is a binary file, not settings"
    else:
        try:
            data = loads_bounded(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            why = "is not UTF-8 text"
        except NumberTooLarge as exc:
            why = f"is not a valid settings file ({exc})"
        except json.JSONDecodeError as exc:
            why = f"is not valid JSON ({exc.msg}, line {exc.lineno})"
        else:
            if not isinstance(data, dict):
                why = "does not hold a JSON object"
    if why:
        return _set_aside(path, why, seen)
    return dict(data)


def os_user() -> str:
    try:
        import getpass  # here: its terminal module is not needed to read a preference

        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no passwd entry in some containers
        return "analyst"


MAX_ANALYST = 100


def check_analyst_name(name: str, where: str = "the analyst name") -> str:
    """``name`` stripped, if it can be recorded as who made a change; typed, from the environment,
    from settings.json or from a restored backup, every name passes this one check."""
    import unicodedata

    name = name.strip()
    shown = repr(name if len(name) <= 40 else name[:39] + "\u2026")
    if len(name) > MAX_ANALYST:
        raise ValidationFailed(f"{where} {shown} is longer than {MAX_ANALYST} characters")
    if any(unicodedata.category(ch) in ("Cc", "Zl", "Zp") or "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"
           for ch in name):
        raise ValidationFailed(f"{where} {shown} contains a line break, control or invisible character; "
                               "set a plain name with: briefer config --analyst NAME")
    if "/" in name or "\\" in name:
        raise ValidationFailed(f"{where} {shown} contains a path separator (/ or \\)")
    return name


def analyst_name(data_dir: Path) -> str:
    env = os.environ.get(ANALYST_ENV, "").strip()
    if env:
        return check_analyst_name(env, f"the analyst name in ${ANALYST_ENV}")
    value = _read(data_dir).get("analyst")
    if isinstance(value, str) and value.strip():
        return check_analyst_name(value, f"the analyst name in {Path(data_dir) / SETTINGS_FILE}")
    return os_user()


def stale_after_months(data_dir: Path) -> int:
    raw: Any = os.environ.get(STALE_ENV, "").strip() or _read(data_dir).get("stale_after_months")
    if raw in (None, ""):
        return DEFAULT_STALE_MONTHS
    try:
        months = int(raw)
    except (TypeError, ValueError):
        shown = repr(raw) if len(str(raw)) <= 40 else f"a {len(str(raw)):,}-character value"
        raise ValidationFailed(f"the staleness horizon must be a whole number of months, not {shown}") from None
    if not 1 <= months <= 600:
        raise ValidationFailed("the staleness horizon must be between 1 and 600 months")
    return months


def save(data_dir: Path, **values: Any) -> dict[str, Any]:
    """Set settings (None removes one); written atomically.  Returns the new settings.

    The file is read and written under a lock (:data:`LOCK_FILE`), so two Briefers changing different
    settings at once both keep their change."""
    from briefer.fileio import atomic_write, locked

    data_dir = Path(data_dir)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KnownError(f"cannot create the data folder {data_dir}: {exc.strerror or exc}") from None
    with locked(data_dir / LOCK_FILE, f"the settings ({data_dir / SETTINGS_FILE})"):
        data = _read(data_dir)
        for key, value in values.items():
            if value is None:
                data.pop(key, None)
            else:
                data[key] = value
        atomic_write(data_dir / SETTINGS_FILE,
                     (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))
    return data


# -- the window's preferences (also read by ``briefer export``) ----------------------------------

#: the citation styles a briefing can use (briefer.domain.briefing)
CITATION_STYLES = ("full", "short", "evidence")


def configured_analyst(data_dir: Path) -> str | None:
    """The analyst name the user set (environment or settings.json), or None: the OS user name
    is good enough for a fact's history, not for the author of a briefing."""
    env = os.environ.get(ANALYST_ENV, "").strip()
    if env:
        return check_analyst_name(env, f"the analyst name in ${ANALYST_ENV}")
    value = _read(data_dir).get("analyst")
    if isinstance(value, str) and value.strip():
        return check_analyst_name(value, f"the analyst name in {Path(data_dir) / SETTINGS_FILE}")
    return None


def _path_value(data_dir: Path, key: str) -> Path | None:
    value = _read(data_dir).get(key)
    return Path(value).expanduser() if isinstance(value, str) and value.strip() else None


def export_folder(data_dir: Path) -> Path | None:
    """The folder exports are proposed in when none was used yet (None: the Documents folder)."""
    return _path_value(data_dir, "export_folder")


def reference_doc(data_dir: Path) -> Path | None:
    """The .docx whose styles exports use by default (None: Briefer's own)."""
    return _path_value(data_dir, "reference_doc")


def export_format(data_dir: Path) -> str | None:
    """The default export format's code, or None (the caller checks it against the format registry,
    which the store layer does not import)."""
    value = _read(data_dir).get("export_format")
    return value.strip() if isinstance(value, str) and value.strip() else None


def citation_style(data_dir: Path) -> str | None:
    """The citation style a new briefing starts with, or None (the briefing's own default, full)."""
    value = _read(data_dir).get("citations")
    return value if isinstance(value, str) and value in CITATION_STYLES else None


def team_library(data_dir: Path) -> str | None:
    """The "Team library" preference: the URL of a team library to open instead of the local store
    (:mod:`briefer.store.location`), or None."""
    value = _read(data_dir).get("team_library")
    if not isinstance(value, str) or not value.strip():
        return None
    from briefer.store.location import check_url

    return check_url(value, where=f"the team library in {Path(data_dir) / SETTINGS_FILE}")


def check_values(values: dict[str, Any], *, formats: tuple[str, ...] = ()) -> dict[str, Any]:
    """The values the Preferences dialog or ``briefer config`` would save, checked: one sentence
    for the first that cannot be kept.  Empty strings become None (the default).  ``formats``: the
    export format codes the registry knows (``briefer.export.formats.codes()``)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, str):
            value = value.strip() or None
        if value is None:
            out[key] = None
        elif key == "analyst":
            out[key] = check_analyst_name(str(value)) or None
        elif key == "stale_after_months":
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 600:
                raise ValidationFailed("the freshness horizon must be a whole number of months between 1 and 600")
            out[key] = value
        elif key == "export_format":
            if formats and value not in formats:
                raise ValidationFailed(f"unknown export format {value!r} (choose one of {', '.join(formats)})")
            out[key] = value
        elif key == "citations":
            if value not in CITATION_STYLES:
                raise ValidationFailed(f"unknown citation style {value!r} (full, short or evidence)")
            out[key] = value
        elif key == "export_folder":
            folder = Path(str(value)).expanduser()
            if not folder.is_dir():
                raise ValidationFailed(f"the export folder {folder} does not exist")
            out[key] = str(folder)
        elif key == "reference_doc":
            ref = Path(str(value)).expanduser()
            if ref.suffix.lower() != ".docx" or not ref.is_file():
                raise ValidationFailed(f"the reference document must be an existing .docx file, not {ref}")
            out[key] = str(ref)
        elif key == "team_library":
            from briefer.store.location import check_url

            out[key] = check_url(str(value))  # a URL with a password is refused: none is ever saved
        else:
            raise ValidationFailed(f"unknown setting {key!r}")
    return out
