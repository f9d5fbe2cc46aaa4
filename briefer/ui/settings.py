"""Where the window keeps its settings: an INI file in the user config folder
(``$XDG_CONFIG_HOME/Briefer/briefer-window.ini`` on Linux), so tests that
point XDG_CONFIG_HOME at a temporary folder never see the real one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings

MAX_RECENT = 10


def config_dir() -> Path:
    if sys.platform.startswith("win"):
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
        return Path(base) / "Briefer"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Preferences" / "Briefer"
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "Briefer"


def settings() -> QSettings:
    return QSettings(str(config_dir() / "briefer-window.ini"), QSettings.Format.IniFormat)


def recent_files() -> list[str]:
    value = settings().value("files/recent", [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in value] if isinstance(value, list | tuple) else []


def add_recent_file(path: Path | str) -> list[str]:
    path = str(Path(path).resolve())
    files = [path, *(f for f in recent_files() if f != path)][:MAX_RECENT]
    s = settings()
    s.setValue("files/recent", files)
    s.sync()
    return files


def remove_recent_file(path: str) -> list[str]:
    files = [f for f in recent_files() if f != path]
    s = settings()
    s.setValue("files/recent", files)
    s.sync()
    return files


def clear_recent_files() -> None:
    s = settings()
    s.setValue("files/recent", [])
    s.sync()


def last_folder(kind: str) -> Path | None:
    """The folder the user last saved (``kind`` "save") or exported ("export") to, if it still exists;
    each kind remembers its own."""
    value = settings().value(f"folders/{kind}")
    if not value:
        return None
    folder = Path(str(value))
    return folder if folder.is_dir() else None


def set_last_folder(kind: str, folder: Path | str) -> None:
    s = settings()
    s.setValue(f"folders/{kind}", str(folder))
    s.sync()
