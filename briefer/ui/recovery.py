"""Autosave and crash recovery: the open briefing is written every 30 s to a
recovery file in ``<data_dir>/recovery``; a clean close removes it.  A
recovery file whose session is no longer running means the window did not
close cleanly, and the next start offers to recover it."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path
from typing import Any

from briefer.errors import KnownError

RECOVERY_DIR = "recovery"
AUTOSAVE_MS = 30_000

#: sessions alive in this process (a crashed process has none)
_active: set[str] = set()


class Recovered:
    """A recovery file found at start-up (a plain class: this module is on the start-up path)."""

    def __init__(self, path: Path, meta_path: Path, original: Path | None, template: str | None, saved_at: str,
                 title: str) -> None:
        self.path, self.meta_path, self.original = path, meta_path, original
        self.template, self.saved_at, self.title = template, saved_at, title


def new_session() -> str:
    sid = f"{os.getpid()}-{os.urandom(4).hex()}"
    _active.add(sid)
    return sid


def end_session(session: str, data_dir: Path) -> None:
    """A clean close: forget the session and remove its recovery file."""
    _active.discard(session)
    for p in session_files(session, data_dir):
        with contextlib.suppress(OSError):
            p.unlink()


def forget_session(session: str) -> None:
    """As if the process had died (tests simulate a crash with this)."""
    _active.discard(session)


def session_files(session: str, data_dir: Path) -> list[Path]:
    d = Path(data_dir) / RECOVERY_DIR
    return [d / f"{session}.briefing.json", d / f"{session}.meta.json"]


def write(session: str, data_dir: Path, briefing: Any, *, original: Path | None, template: str | None,
          template_id: str | None = None, store: Any = None, budget: Any = None) -> Path:
    """Write the recovery copy atomically (never a half-written file).  With ``store``, each fact is
    snapshotted, so a recovered briefing says what changed in the store since; a store that cannot be
    read then never costs the autosave."""
    import json
    from datetime import datetime

    from briefer.domain.briefing_file import save_briefing_file
    from briefer.fileio import atomic_write

    d = Path(data_dir) / RECOVERY_DIR
    d.mkdir(parents=True, exist_ok=True)
    path, meta = session_files(session, data_dir)
    try:
        save_briefing_file(path, briefing, template=template, template_id=template_id, store=store, budget=budget)
    except KnownError:
        if store is None:
            raise
        save_briefing_file(path, briefing, template=template, template_id=template_id, budget=budget)
    atomic_write(meta, json.dumps({
        "original": str(original) if original else None,
        "template": template,
        "saved_at": datetime.now().isoformat(timespec="seconds"),
        "pid": os.getpid(),
        "title": briefing.cover.title,
    }).encode("utf-8"))
    return path


def _alive(pid: int) -> bool:
    """Whether another Briefer process ``pid`` is still running (and may own the recovery file)."""
    if pid == os.getpid():
        return True
    if pid <= 0 or sys.platform.startswith("win"):
        return False  # cannot tell cheaply; a second window of the same user is rare
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    proc = Path("/proc") / str(pid)
    if proc.is_dir():
        try:
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").lower()
        except (OSError, IndexError):
            return True
        if state in ("Z", "X"):
            return False  # killed, not yet reaped: gone
        if b"briefer" not in cmdline and b"python" not in cmdline:
            return False  # the pid was reused by another program
    return True


def orphans(data_dir: Path) -> list[Recovered]:
    """Recovery files left by sessions that did not close cleanly, newest first."""
    from briefer.fileio import loads_bounded, read_data_file

    d = Path(data_dir) / RECOVERY_DIR
    if not d.is_dir():
        return []
    out: list[tuple[float, Recovered]] = []
    for meta_path in d.glob("*.meta.json"):
        session = meta_path.name[: -len(".meta.json")]
        if session in _active:
            continue
        try:
            meta = loads_bounded(read_data_file(meta_path, what="recovery note", limit=64 * 1024))
        except (KnownError, ValueError, RecursionError):
            continue  # a FIFO, a huge or damaged note is not a recovery file
        if not isinstance(meta, dict) or not isinstance(meta.get("pid", 0), int | None):
            continue
        pid = int(meta.get("pid") or 0)
        if pid != os.getpid() and _alive(pid):
            continue  # another Briefer window is running and owns it
        path = d / f"{session}.briefing.json"
        if not path.exists():
            continue
        original = Path(meta["original"]) if meta.get("original") else None
        out.append((path.stat().st_mtime, Recovered(path, meta_path, original, meta.get("template"),
                                                     str(meta.get("saved_at", "")), str(meta.get("title", "")))))
    out.sort(key=lambda t: -t[0])
    return [r for _t, r in out]


def discard(rec: Recovered) -> None:
    for p in (rec.path, rec.meta_path):
        with contextlib.suppress(OSError):
            p.unlink()


def age_text(rec: Recovered) -> str:
    try:
        mtime = rec.path.stat().st_mtime
    except OSError:
        return rec.saved_at
    minutes = int((time.time() - mtime) // 60)
    if minutes < 1:
        return "less than a minute ago"
    if minutes < 120:
        return f"{minutes} minute{'s' if minutes != 1 else ''} ago"
    return rec.saved_at.replace("T", " ")
