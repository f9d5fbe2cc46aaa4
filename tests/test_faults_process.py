"""Fault suite for what Briefer starts and what it leaves when killed (issue 12, points 4 and 9):
real processes, ``kill -9`` at named steps (``BRIEFER_FAULT``, see :mod:`briefer.faults`).
Processes are ordered by events (a line on stderr, a FIFO, a process appearing), never by sleeps."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefer.export.pdf import find_soffice

REPO = Path(__file__).resolve().parents[1]


def _cmd(data_dir: Path, *argv: str) -> list[str]:
    return [sys.executable, "-m", "briefer", "--data-dir", str(data_dir), *argv]


def _processes_with(marker: str) -> dict[int, str]:
    """Every live process whose command line holds ``marker``: pid -> command line."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmdline = fh.read().replace(b"\0", b" ").decode("utf-8", "replace")
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                state = fh.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmdline and state not in ("Z", "X"):
            out[int(entry)] = cmdline
    return out


def _ended(pid: int) -> bool:
    """Whether process ``pid`` (not our child) has ended, waiting up to a minute on a pidfd."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(60_000))
    finally:
        os.close(fd)


@pytest.mark.skipif(find_soffice() is None or not sys.platform.startswith("linux"),
                    reason="needs LibreOffice and Linux's /proc")
def test_libreoffice_dies_with_a_briefer_killed_during_a_pdf_export(data_dir: Path, tmp_path: Path) -> None:
    # LibreOffice's temporary profile lands in this folder, so its processes carry the folder's name
    marker = tmp_path / "lo-run"
    marker.mkdir()
    go = tmp_path / "go"
    os.mkfifo(go)
    # soffice.bin opens the font configuration as it starts: a FIFO holds it there, alive, until the end
    fonts = tmp_path / "fonts.conf"
    os.mkfifo(fonts)
    env = {**os.environ, "BRIEFER_FAULT": "soffice-started:pause", "BRIEFER_FAULT_GO": str(go),
           "TMPDIR": str(marker), "FONTCONFIG_FILE": str(fonts)}
    out = tmp_path / "brief.pdf"
    briefer = subprocess.Popen(_cmd(data_dir, "export", "--template", "risk-watch", "--out", str(out)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO, env=env)
    seen: dict[int, str] = {}
    try:
        assert briefer.stderr is not None
        line = briefer.stderr.readline()
        assert line.strip() == "briefer-fault: paused at soffice-started", line
        deadline = time.monotonic() + 120
        while not any("soffice.bin" in c for c in seen.values()) and time.monotonic() < deadline:
            seen = _processes_with(str(marker))
            time.sleep(0.05)
        assert any("soffice.bin" in c for c in seen.values()), seen  # the process that converts
        os.kill(briefer.pid, signal.SIGKILL)
        assert briefer.wait(60) == -signal.SIGKILL
        survivors = [pid for pid in seen if not _ended(pid)]
        assert survivors == [], [seen[p] for p in survivors]
        assert _processes_with(str(marker)) == {}
        assert not out.exists()
    finally:
        if briefer.poll() is None:
            briefer.kill()
            briefer.wait(60)
        if briefer.stderr:
            briefer.stderr.close()
        for pid in _processes_with(str(marker)):  # only this run's own processes
            os.kill(pid, signal.SIGKILL)


# -- parallel writers of the template library and the settings ---------------------------------------------------

#: change one setting of the data folder in argv[1]: argv[2] = argv[3], as ``briefer config`` does
_SET = """
import sys
from pathlib import Path
from briefer.store import preferences
preferences.save(Path(sys.argv[1]), **{sys.argv[2]: sys.argv[3]})
"""


def _all(cmds: list[list[str]]) -> list[tuple[int, str]]:
    """Start every command at once and wait for all: (exit status, stderr) of each."""
    procs = [subprocess.Popen(c, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO)
             for c in cmds]
    out = []
    for p in procs:
        _, err = p.communicate(timeout=300)
        out.append((p.returncode, err))
    return out


def test_ten_parallel_template_saves_all_survive(data_dir: Path) -> None:
    results = _all([_cmd(data_dir, "templates", "duplicate", "risk-watch", f"desk copy {i}") for i in range(10)])
    assert [rc for rc, _ in results] == [0] * 10, results
    names = sorted(p.stem for p in (data_dir / "templates").glob("*.json"))
    assert names == sorted(f"desk copy {i}" for i in range(10))
    # ten writers of one name: exactly one takes it, nine are refused with one line, nothing half-written
    results = _all([_cmd(data_dir, "templates", "duplicate", "us-japan-cooperation", "shared name")
                    for _ in range(10)])
    applied = [err for rc, err in results if rc == 0]
    refused = [err.strip() for rc, err in results if rc == 2]
    assert len(applied) == 1 and len(refused) == 9, results
    assert all(r.count("\n") == 0 and "already exists" in r for r in refused), refused
    assert len(list((data_dir / "templates").glob("*.json"))) == 11
    assert not [p for p in (data_dir / "templates").iterdir() if p.name.endswith(".part")]


def test_ten_parallel_settings_changes_all_survive(data_dir: Path) -> None:
    import json

    results = _all([[sys.executable, "-c", _SET, str(data_dir), f"desk_{i}", f"value {i}"] for i in range(10)]
                   + [_cmd(data_dir, "config", "--stale-months", "7")])
    assert [rc for rc, _ in results] == [0] * 11, results
    settings = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    assert settings == {**{f"desk_{i}": f"value {i}" for i in range(10)}, "stale_after_months": 7}


# -- an export killed between its file's rename and its edition's commit -----------------------------------------


def _run(data_dir: Path, *argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_cmd(data_dir, *argv), capture_output=True, text=True, timeout=300, cwd=REPO,
                          env={**os.environ, **(env or {})})


def _editions(data_dir: Path) -> list[int]:
    import sqlite3

    from briefer.store.db import DB_NAME

    conn = sqlite3.connect(f"file:{data_dir / DB_NAME}?mode=ro", uri=True)
    try:
        return [int(r[0]) for r in conn.execute("SELECT number FROM editions WHERE template = 'risk-watch'"
                                                " ORDER BY number")]
    finally:
        conn.close()


def test_an_export_killed_after_its_rename_gets_its_edition_at_the_next_start(data_dir: Path,
                                                                               tmp_path: Path) -> None:
    from faults_support import integrity

    from briefer.store.db import DB_NAME

    out = tmp_path / "brief.md"
    p = _run(data_dir, "export", "--template", "risk-watch", "--out", str(out),
             env={"BRIEFER_FAULT": "after-replace:kill"})
    assert p.returncode == -signal.SIGKILL
    written = out.read_bytes()
    assert written and _editions(data_dir) == []  # the file landed, its edition did not commit
    p = _run(data_dir, "templates", "editions", "risk-watch")
    assert p.returncode == 0, p.stderr
    assert p.stderr.strip() == (f"briefer: note: an export of template 'risk-watch' to {out} was interrupted "
                                "after its file was written; it is now recorded as edition 1")
    assert "edition 1" in p.stdout and _editions(data_dir) == [1]
    assert list((data_dir / ".editions-pending").iterdir()) == [] and out.read_bytes() == written
    # once only; the next export is edition 2
    assert _run(data_dir, "templates", "editions", "risk-watch").stderr == ""
    assert _run(data_dir, "export", "--template", "risk-watch", "--out", str(out), "--force").returncode == 0
    assert _editions(data_dir) == [1, 2] and integrity(data_dir / DB_NAME) == "ok"


def test_an_export_killed_before_its_rename_records_nothing_and_keeps_the_earlier_file(data_dir: Path,
                                                                                       tmp_path: Path) -> None:
    out = tmp_path / "brief.md"
    out.write_text("the earlier briefing", encoding="utf-8")
    p = _run(data_dir, "export", "--template", "risk-watch", "--out", str(out), "--force",
             env={"BRIEFER_FAULT": "edition-journal-written:kill"})
    assert p.returncode == -signal.SIGKILL
    p = _run(data_dir, "templates", "editions", "risk-watch")
    assert p.returncode == 0
    assert p.stderr.strip() == (f"briefer: note: an export of template 'risk-watch' to {out} was interrupted "
                                "before its file was in place (or the file has changed since); no edition "
                                "was recorded")
    assert _editions(data_dir) == [] and out.read_text(encoding="utf-8") == "the earlier briefing"


def test_the_journal_of_a_running_export_is_left_to_it(data_dir: Path, tmp_path: Path) -> None:
    go = tmp_path / "go"
    os.mkfifo(go)
    out = tmp_path / "brief.md"
    writer = subprocess.Popen(_cmd(data_dir, "export", "--template", "risk-watch", "--out", str(out)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=REPO,
                              env={**os.environ, "BRIEFER_FAULT": "after-replace:pause",
                                   "BRIEFER_FAULT_GO": str(go)})
    try:
        assert writer.stderr is not None
        assert writer.stderr.readline().strip() == "briefer-fault: paused at after-replace"
        # another Briefer starts meanwhile: the journal is locked by a live export, so it is not completed
        p = _run(data_dir, "facts", "list")
        assert p.returncode == 0 and "interrupted" not in p.stderr
        with go.open("w", encoding="utf-8") as fh:
            fh.write("go\n")
        assert writer.wait(300) == 0
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait(60)
        if writer.stderr:
            writer.stderr.close()
    assert _editions(data_dir) == [1]
