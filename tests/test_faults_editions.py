"""Fault suite for the editions journal (issue 12): an export killed after its edition was committed and
before its journal (``.editions-pending``) was removed, and a start killed after completing a journal and
before removing it, never record the edition twice.  Real processes, ``kill -9`` at named steps
(``BRIEFER_FAULT``, see :mod:`briefer.faults`), ordered by events (a line on stderr, a FIFO), never sleeps."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

from faults_support import integrity

from briefer.store.db import DB_NAME

REPO = Path(__file__).resolve().parents[1]


def _cmd(data_dir: Path, *argv: str) -> list[str]:
    return [sys.executable, "-m", "briefer", "--data-dir", str(data_dir), *argv]


def _run(data_dir: Path, *argv: str, fault: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"BRIEFER_FAULT": fault} if fault else {})}
    return subprocess.run(_cmd(data_dir, *argv), capture_output=True, text=True, timeout=300, cwd=REPO, env=env)


def _editions(data_dir: Path) -> list[tuple[int, str]]:
    """(number, output) of each recorded edition of risk-watch."""
    conn = sqlite3.connect(f"file:{data_dir / DB_NAME}?mode=ro", uri=True)
    try:
        return [(int(r[0]), str(r[1])) for r in conn.execute(
            "SELECT number, output FROM editions WHERE template = 'risk-watch' ORDER BY number")]
    finally:
        conn.close()


def _journals(data_dir: Path) -> list[str]:
    folder = data_dir / ".editions-pending"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_an_export_killed_after_its_edition_committed_is_recorded_once(data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    p = _run(data_dir, "export", "--template", "risk-watch", "--out", str(out), fault="edition-committed:kill")
    assert p.returncode == -signal.SIGKILL
    written = out.read_bytes()
    # the file and its edition landed; the journal was left behind
    assert written and _editions(data_dir) == [(1, str(out))] and len(_journals(data_dir)) == 1
    p = _run(data_dir, "templates", "editions", "risk-watch")
    assert p.returncode == 0, p.stderr
    # nothing to say: the export was complete but for its tidying up; the journal is gone, the edition once
    assert p.stderr == ""
    assert _editions(data_dir) == [(1, str(out))] and _journals(data_dir) == [] and out.read_bytes() == written
    assert _run(data_dir, "export", "--template", "risk-watch", "--out", str(out), "--force").returncode == 0
    assert [n for n, _ in _editions(data_dir)] == [1, 2] and integrity(data_dir / DB_NAME) == "ok"


def test_a_start_killed_after_completing_a_journal_does_not_record_it_again(data_dir: Path, tmp_path: Path) -> None:
    """The edition completed at a start gets the next number, which differs from the journal's when another
    Briefer (open before the kill) recorded an edition of the template meanwhile: a start killed after the
    completion and before removing the journal must still see the edition as recorded."""
    go = tmp_path / "go"
    os.mkfifo(go)
    other_out, killed_out = tmp_path / "other.md", tmp_path / "killed.md"
    # another Briefer is already running an export of the same template, paused before its file's rename
    other = subprocess.Popen(_cmd(data_dir, "export", "--template", "risk-watch", "--out", str(other_out)),
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO,
                             env={**os.environ, "BRIEFER_FAULT": "before-replace:pause",
                                  "BRIEFER_FAULT_GO": str(go)})
    try:
        assert other.stderr is not None
        assert other.stderr.readline().strip() == "briefer-fault: paused at before-replace"
        # an export killed after its file's rename, before its edition (number 1 in its journal) committed
        p = _run(data_dir, "export", "--template", "risk-watch", "--out", str(killed_out), fault="after-replace:kill")
        assert p.returncode == -signal.SIGKILL and killed_out.exists() and len(_journals(data_dir)) == 1
        with go.open("w", encoding="utf-8") as fh:
            fh.write("go\n")
        assert other.wait(300) == 0
    finally:
        if other.poll() is None:
            other.kill()
            other.wait(60)
        if other.stderr:
            other.stderr.close()
    assert _editions(data_dir) == [(1, str(other_out))]  # the running one took number 1
    # the next start completes the journal as edition 2, and is killed before removing the journal
    p = _run(data_dir, "templates", "editions", "risk-watch", fault="edition-completed:kill")
    assert p.returncode == -signal.SIGKILL
    assert _editions(data_dir) == [(1, str(other_out)), (2, str(killed_out))] and len(_journals(data_dir)) == 1
    # the start after it finds the edition recorded: removes the journal, records nothing, says nothing
    p = _run(data_dir, "templates", "editions", "risk-watch")
    assert p.returncode == 0 and p.stderr == "", p.stderr
    assert _editions(data_dir) == [(1, str(other_out)), (2, str(killed_out))] and _journals(data_dir) == []
    assert integrity(data_dir / DB_NAME) == "ok"
