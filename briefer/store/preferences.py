"""The analyst's curation settings: who they are (recorded in every fact's
history) and how old a fact may grow before it counts as stale.

Looked up in this order: the environment (``BRIEFER_ANALYST``,
``BRIEFER_STALE_MONTHS``), then ``settings.json`` in the data folder
(``{"analyst": "A. Analyst", "stale_after_months": 12}``), then the defaults
(the operating-system user name; 12 months).  ``briefer config`` shows and
sets them.
"""

from __future__ import annotations

import getpass
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


def _read(data_dir: Path) -> dict[str, Any]:
    path = Path(data_dir) / SETTINGS_FILE
    if not path.exists():
        return {}
    from briefer.fileio import NumberTooLarge, loads_bounded, read_data_file

    try:
        data = loads_bounded(read_data_file(path, what="settings file", limit=1024 * 1024))
    except NumberTooLarge as exc:
        raise ValidationFailed(f"{path} is not a valid settings file: {exc}; fix or delete it") from None
    except json.JSONDecodeError as exc:
        raise ValidationFailed(f"{path} is not valid JSON ({exc.msg}, line {exc.lineno}); fix or delete it") from None
    if not isinstance(data, dict):
        raise ValidationFailed(f"{path} must hold a JSON object")
    return data


def os_user() -> str:
    try:
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
