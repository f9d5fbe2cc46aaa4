"""Fault suite for the store and every file writer, with real processes (issue 12).

Parallel writers, ``kill -9`` at named steps (``BRIEFER_FAULT``, see
:mod:`briefer.faults`), a file-size limit for a full disk, read-only targets,
an unprivileged user when run as root.  After each fault the store passes
``PRAGMA integrity_check`` and every file the user had is as it was.
Processes are ordered by events (exit, a FIFO, a line on stderr), never by sleeps.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from faults_support import integrity

from briefer.store.db import DB_NAME

REPO = Path(__file__).resolve().parents[1]
FACT = "bg-soft-law-approach-defined"


def _cmd(data_dir: Path, *argv: str) -> list[str]:
    return [sys.executable, "-m", "briefer", "--data-dir", str(data_dir), *argv]


def run(data_dir: Path, *argv: str, env: dict[str, str] | None = None,
        preexec: object = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(_cmd(data_dir, *argv), capture_output=True, text=True, timeout=timeout, cwd=REPO,
                          env={**os.environ, **(env or {})}, preexec_fn=preexec)  # type: ignore[arg-type]


def one_line_error(p: subprocess.CompletedProcess[str]) -> str:
    """The process failed the way Briefer promises: exit 2, one line, no traceback."""
    assert p.returncode == 2, (p.returncode, p.stderr)
    lines = [ln for ln in p.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in p.stderr, p.stderr
    return lines[0]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def user_files(*folders: Path) -> dict[str, str]:
    """Every file the user has under ``folders`` (not the store's own files), with its checksum."""
    out = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and not p.name.startswith(DB_NAME) and ".writing" not in p.parts:
                out[str(p)] = digest(p)
    return out


def tags(data_dir: Path) -> list[str]:
    p = run(data_dir, "facts", "show", FACT, "--json")
    assert p.returncode == 0, p.stderr
    return list(json.loads(p.stdout)["tags"])


# -- 1. no lost update -------------------------------------------------------------------------------


def test_twenty_parallel_tag_commands_keep_all_twenty_tags(data_dir: Path) -> None:
    before = tags(data_dir)
    procs = [subprocess.Popen(_cmd(data_dir, "facts", "tag", FACT, "--add", f"topic:parallel-{i}"),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO)
             for i in range(20)]
    results = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in procs]
    for p in procs:
        for stream in (p.stdout, p.stderr):
            if stream:
                stream.close()
    applied = [rc for rc, _ in results if rc == 0]
    refused = [err for rc, err in results if rc != 0]
    assert refused == [] and len(applied) == 20
    after = tags(data_dir)
    assert sorted(t for t in after if t.startswith("topic:parallel-")) == sorted(f"topic:parallel-{i}"
                                                                                 for i in range(20))
    assert after[: len(before)] == before
    # the history is one chain: each change's "before" is exactly the previous change's "after"
    hist = json.loads(run(data_dir, "facts", "history", FACT, "--json").stdout)
    assert len(hist) == 20
    for prev, cur in zip(hist, hist[1:], strict=False):
        assert cur["before"] == prev["after"]
        assert len(cur["after"]["tags"]) == len(cur["before"]["tags"]) + 1
    assert integrity(data_dir / DB_NAME) == "ok"


def test_five_parallel_edits_of_one_fact_all_land(data_dir: Path) -> None:
    edits = [("edit", FACT, "--priority", "1"), ("edit", FACT, "--notes", "checked by the desk"),
             ("edit", FACT, "--as-of", "2025-06-01"),
             ("edit", FACT, "--statement", "Japan chose a soft-law approach to AI (edited)."),
             ("move", FACT, "law-summary")]
    procs = [subprocess.Popen(_cmd(data_dir, "facts", *e), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, cwd=REPO) for e in edits]
    codes = [p.wait(timeout=300) for p in procs]
    for p in procs:
        if p.stderr:
            p.stderr.close()
    assert codes == [0] * 5
    fact = json.loads(run(data_dir, "facts", "show", FACT, "--json").stdout)
    assert (fact["priority"], fact["notes"], fact["as_of"], fact["section"]) == (
        1, "checked by the desk", "2025-06-01", "law-summary")
    assert fact["statement"] == "Japan chose a soft-law approach to AI (edited)."
    hist = json.loads(run(data_dir, "facts", "history", FACT, "--json").stdout)
    assert len(hist) == 5 and all(c["before"] == p["after"] for p, c in zip(hist, hist[1:], strict=False))
    assert integrity(data_dir / DB_NAME) == "ok"


def test_five_parallel_adds_of_one_statement_get_five_distinct_ids(data_dir: Path) -> None:
    argv = ("facts", "add", "--section", "hq-structure", "--statement", "The headquarters sits in the Cabinet Office.",
            "--cite", "news-kiuchi-hq", "Established on September 1 within the Cabinet Office", "--json")
    procs = [subprocess.Popen(_cmd(data_dir, *argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=REPO) for _ in range(5)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 5, [e for _, e in outs]
    ids = sorted(json.loads(o)["id"] for o, _ in outs)
    assert len(set(ids)) == 5
    listed = json.loads(run(data_dir, "facts", "list", "--section", "hq-structure", "--json").stdout)
    assert set(ids) <= {f["id"] for f in listed}
    assert integrity(data_dir / DB_NAME) == "ok"


def test_the_window_refuses_an_edit_based_on_a_stale_fact(qtbot, data_dir: Path,  # noqa: ANN001
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.ingest.factpack import open_store
    from briefer.ui import messages
    from briefer.ui.curation import FactEditorDialog
    from briefer.ui.curation.version_conflict import VersionConflictDialog

    errors: list[str] = []
    monkeypatch.setattr(messages, "error", lambda _parent, _title, text, *a, **k: errors.append(text))
    shown: list[VersionConflictDialog] = []
    # the side-by-side view of both versions (issue 15): the analyst closes it without choosing
    monkeypatch.setattr(VersionConflictDialog, "exec", lambda dlg: shown.append(dlg) or 0)
    store = open_store(data_dir)
    try:
        dialog = FactEditorDialog(store, FACT)
        qtbot.addWidget(dialog)
        # meanwhile another Briefer (a real process) changes the fact
        assert run(data_dir, "facts", "edit", FACT, "--notes", "changed elsewhere").returncode == 0
        dialog.priority_spin.setValue(1)
        assert dialog.save() is False
        assert errors == [] and len(shown) == 1
        assert {d.name for d in shown[0].diffs if d.differs} == {"notes", "priority"}
        assert dialog.message.text().startswith("Not saved: your edit is still here.")
        fact = store.fact(FACT)
        assert fact.notes == "changed elsewhere" and fact.priority != 1  # the other change stands
    finally:
        store.close()


# -- 2. restore never leaves an empty data folder -------------------------------------------------------


@pytest.fixture
def restore_setup(data_dir: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A backup made before a tag and a template were added; returns (data_dir, archive)."""
    archive = tmp_path / "earlier.briefer-backup.zip"
    assert run(data_dir, "backup", str(archive)).returncode == 0
    assert run(data_dir, "facts", "tag", FACT, "--add", "topic:after-the-backup").returncode == 0
    assert run(data_dir, "templates", "duplicate", "risk-watch", "mine").returncode == 0
    return data_dir, archive


@pytest.mark.parametrize("step", ["restore-aside-templates", "restore-aside-briefer.sqlite3",
                                  "restore-installed-store"])
def test_a_restore_killed_between_its_renames_is_completed_at_the_next_start(
        restore_setup: tuple[Path, Path], step: str) -> None:
    data_dir, archive = restore_setup
    archive_sum = digest(archive)
    p = run(data_dir, "restore", str(archive), "--force", env={"BRIEFER_FAULT": f"{step}:kill"})
    assert p.returncode == -signal.SIGKILL
    # the next command completes the restore and says so, instead of seeding a new store
    p = run(data_dir, "facts", "show", FACT, "--json")
    assert p.returncode == 0, p.stderr
    assert "interrupted" in p.stderr and "completed" in p.stderr and "before-restore-" in p.stderr
    assert "topic:after-the-backup" not in json.loads(p.stdout)["tags"]  # the backup's store
    assert not (data_dir / "templates" / "mine.json").exists()
    assert integrity(data_dir / DB_NAME) == "ok"
    assert not list(data_dir.glob(".restore-*"))
    # the data the restore replaced is kept, whole
    kept = list((data_dir / "backups").glob("before-restore-*.zip"))
    assert len(kept) == 1
    with zipfile.ZipFile(kept[0]) as zf:
        assert "templates/mine.json" in zf.namelist()
        assert b"topic:after-the-backup" in zf.read(DB_NAME)
    assert digest(archive) == archive_sum


def test_an_interrupted_restore_whose_files_are_gone_is_reported_not_reseeded(
        restore_setup: tuple[Path, Path]) -> None:
    data_dir, archive = restore_setup
    p = run(data_dir, "restore", str(archive), "--force", env={"BRIEFER_FAULT": "restore-aside-briefer.sqlite3:kill"})
    assert p.returncode == -signal.SIGKILL
    for staging in data_dir.glob(".restore-*"):
        if staging.is_dir():
            shutil.rmtree(staging)
    line = one_line_error(run(data_dir, "facts", "list"))
    assert "interrupted" in line and "no new store was created" in line
    assert not (data_dir / DB_NAME).exists()


# -- 3. never write over the live store or its companions ------------------------------------------------


def _writers(data_dir: Path, tmp_path: Path) -> list[tuple[str, list[str]]]:
    db = data_dir / DB_NAME
    link = tmp_path / "link.sqlite3"
    link.symlink_to(db)
    hard = tmp_path / "hard.md"
    os.link(db, hard)
    ref = tmp_path / "ref.docx"
    shutil.copy(REPO / "resources" / "reference.docx", ref)
    briefing = tmp_path / "b.briefing.json"
    return [
        ("export md onto the store", ["export", "--format", "md", "--out", str(db)]),
        ("export onto a symlink to it", ["export", "--format", "md", "--out", str(link)]),
        ("export onto a hard link to it", ["export", "--format", "md", "--out", str(hard)]),
        ("export onto the -wal", ["export", "--format", "html", "--out", f"{db}-wal"]),
        ("export onto the -shm", ["export", "--format", "md", "--out", f"{db}-shm"]),
        ("backup --force onto the store", ["backup", str(db), "--force"]),
        ("backup onto the -wal", ["backup", f"{db}-wal", "--force"]),
        ("templates export --force onto the store", ["templates", "export", "risk-watch", str(db), "--force"]),
        ("export onto its own reference document", ["export", "--reference-doc", str(ref), "--out", str(ref)]),
        ("export a briefing file onto itself", ["export", "--briefing", str(briefing), "--format", "md",
                                                "--out", str(briefing)]),
    ]


def test_no_writer_may_replace_the_store_its_companions_or_its_input(data_dir: Path, tmp_path: Path) -> None:
    assert run(data_dir, "facts", "tag", FACT, "--add", "topic:mine").returncode == 0
    conn = sqlite3.connect(data_dir / DB_NAME)  # keeps the -wal and -shm in place, as a running window does
    conn.execute("SELECT count(*) FROM facts").fetchone()
    try:
        writers = _writers(data_dir, tmp_path)
        briefing = tmp_path / "b.briefing.json"
        p = run(data_dir, "briefing", "new", str(briefing), "--template", "risk-watch")
        assert p.returncode == 0 and briefing.is_file(), p.stderr
        before = user_files(tmp_path)
        db_sum = digest(data_dir / DB_NAME)
        for label, argv in writers:
            line = one_line_error(run(data_dir, *argv))
            assert "refused to write" in line, (label, line)
        assert user_files(tmp_path) == before
        assert digest(data_dir / DB_NAME) == db_sum
    finally:
        conn.close()
    assert integrity(data_dir / DB_NAME) == "ok"
    assert "topic:mine" in tags(data_dir)


# -- 4. a failure leaves the earlier file unchanged -----------------------------------------------------------


def _editions(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM editions").fetchone()[0])
    finally:
        conn.close()


def test_a_locked_store_leaves_the_earlier_export_and_records_nothing(data_dir: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.docx"
    old.write_bytes(b"the earlier file")
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys\n"
         f"c = sqlite3.connect({str(data_dir / DB_NAME)!r}, isolation_level=None)\n"
         "c.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\nsys.stdin.readline()\n"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout and holder.stdout.readline().strip() == "locked"
        p = run(data_dir, "export", "--template", "risk-watch", "--out", str(old), "--force")
    finally:
        assert holder.stdin
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=60)
        if holder.stdout:
            holder.stdout.close()
    one_line_error(p)
    assert old.read_bytes() == b"the earlier file"
    assert [q.name for q in tmp_path.iterdir() if q.name.startswith(".")] == []
    assert _editions(data_dir / DB_NAME) == 0
    assert integrity(data_dir / DB_NAME) == "ok"


@pytest.mark.parametrize("fault", ["before-replace:fail", "after-replace:fail"])
def test_a_failure_at_the_rename_or_after_it_puts_the_earlier_file_back(data_dir: Path, tmp_path: Path,
                                                                        fault: str) -> None:
    old = tmp_path / "old.md"
    old.write_text("the earlier file", encoding="utf-8")
    p = run(data_dir, "export", "--template", "risk-watch", "--out", str(old), "--force",
            env={"BRIEFER_FAULT": fault})
    assert "disk is full" in one_line_error(p)
    assert old.read_text(encoding="utf-8") == "the earlier file"
    assert [q.name for q in tmp_path.iterdir() if q.name.startswith(".")] == []
    assert _editions(data_dir / DB_NAME) == 0
    # without the fault: the file and its edition land together
    assert run(data_dir, "export", "--template", "risk-watch", "--out", str(old), "--force").returncode == 0
    assert "Risk" in old.read_text(encoding="utf-8") and _editions(data_dir / DB_NAME) == 1


def test_a_read_only_target_is_not_replaced(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "ro.md"
    target.write_text("keep me", encoding="utf-8")
    target.chmod(0o444)
    line = one_line_error(run(data_dir, "export", "--format", "md", "--out", str(target)))
    assert "read-only" in line
    assert target.read_text(encoding="utf-8") == "keep me"


# -- 5. an empty or vanished store is not silently re-seeded ------------------------------------------------------


def test_an_empty_store_is_reported_and_kept_until_reset(data_dir: Path) -> None:
    assert run(data_dir, "templates", "duplicate", "risk-watch", "mine").returncode == 0
    (data_dir / DB_NAME).write_bytes(b"")
    for suffix in ("-wal", "-shm"):
        (data_dir / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
    line = one_line_error(run(data_dir, "facts", "list"))
    assert "empty (0 bytes)" in line and "store reset --confirm" in line
    assert (data_dir / DB_NAME).stat().st_size == 0
    assert "--confirm" in one_line_error(run(data_dir, "store", "reset"))
    p = run(data_dir, "store", "reset", "--confirm")
    assert p.returncode == 0 and "seed pack" in p.stdout
    kept = list((data_dir / "backups").glob(f"reset-*/{DB_NAME}"))
    assert len(kept) == 1 and kept[0].stat().st_size == 0
    assert run(data_dir, "facts", "list").returncode == 0
    assert (data_dir / "templates" / "mine.json").is_file()
    assert integrity(data_dir / DB_NAME) == "ok"


def test_a_vanished_store_beside_templates_is_reported_and_not_recreated(data_dir: Path) -> None:
    assert run(data_dir, "templates", "duplicate", "risk-watch", "mine").returncode == 0
    for p in data_dir.glob(f"{DB_NAME}*"):
        p.unlink()
    line = one_line_error(run(data_dir, "facts", "list"))
    assert "missing" in line and "user templates" in line
    assert not (data_dir / DB_NAME).exists()


def test_a_named_pipe_as_the_store_is_refused_at_once_not_waited_on(data_dir: Path) -> None:
    """A FIFO where the store file should be: every command waited for a writer for ever (opening it to
    read its header blocks); it is one line, exit 2, and left as it is for the user to decide."""
    for p in data_dir.glob(f"{DB_NAME}*"):
        p.unlink()
    os.mkfifo(data_dir / DB_NAME)
    for argv in (["facts", "list"], ["export", "--out", str(data_dir.parent / "b.md")]):
        line = one_line_error(run(data_dir, *argv, timeout=60))  # it hung: a time-out fails the test
        assert "is not a regular file (a named pipe)" in line and "Briefer database" in line, line
    assert (data_dir / DB_NAME).is_fifo() and not (data_dir.parent / "b.md").exists()


def test_only_a_truly_new_folder_gets_the_seed_pack_and_a_killed_creation_leaves_no_store(tmp_path: Path) -> None:
    new = tmp_path / "new"
    p = run(new, "facts", "list", env={"BRIEFER_FAULT": "store-created:kill"})
    assert p.returncode == -signal.SIGKILL
    assert not (new / DB_NAME).exists()  # the half-made store never took the real name
    p = run(new, "facts", "list")
    assert p.returncode == 0 and "facts" in p.stdout
    assert integrity(new / DB_NAME) == "ok"


# -- 9. no litter, nothing half-written ------------------------------------------------------------------------------


def test_leftovers_of_killed_runs_are_removed_at_the_next_start_and_nothing_else(data_dir: Path,
                                                                                tmp_path: Path) -> None:
    out = tmp_path / "exports"
    out.mkdir()
    # an export killed just before its rename leaves its hidden .part beside the target
    p = run(data_dir, "export", "--format", "md", "--out", str(out / "b.md"),
            env={"BRIEFER_FAULT": "before-replace:kill"})
    assert p.returncode == -signal.SIGKILL
    killed_part = [q for q in out.iterdir() if q.name.endswith(".part")]
    assert len(killed_part) == 1
    temp = tmp_path / "systemp"
    temp.mkdir()
    old = time.time() - 3600
    stale = [data_dir / ".x.json.abcd.part", data_dir / "templates" / ".t.json.abcd.part"]
    (data_dir / "templates").mkdir(exist_ok=True)
    for s in stale:
        s.write_bytes(b"half")
    stale_dirs = [data_dir / ".restore-abcd1234", temp / "briefer-backup-abcd", temp / "briefer-pdf-abcd"]
    for d in stale_dirs:
        d.mkdir()
        (d / "briefer.sqlite3").write_bytes(b"x")
    fresh = [data_dir / ".y.json.ef01.part", temp / "briefer-backup-fresh"]
    fresh[0].write_bytes(b"a write in progress")
    fresh[1].mkdir()
    foreign = [temp / "briefer-notes", temp / "other-backup-abcd", out / "notes.part"]
    foreign[0].mkdir()
    foreign[1].mkdir()
    foreign[2].write_bytes(b"not ours")
    for q in [*stale, *stale_dirs, *[r for r in (data_dir / ".writing").iterdir()], *killed_part, *foreign]:
        for sub in ([*q.rglob("*")] if q.is_dir() else []):
            os.utime(sub, (old, old))
        os.utime(q, (old, old))
    p = run(data_dir, "facts", "list", env={"TMPDIR": str(temp)})
    assert p.returncode == 0, p.stderr
    for q in [*stale, *stale_dirs, *killed_part]:
        assert not q.exists(), q
    for q in [*fresh, *foreign]:
        assert q.exists(), q
    assert not list((data_dir / ".writing").iterdir())


def _v1_as_it_was(db: Path) -> bool:
    conn = sqlite3.connect(db)
    try:
        return bool(conn.execute("PRAGMA user_version").fetchone()[0] == 1 and integrity(db) == "ok"
                    and conn.execute("SELECT statement FROM facts").fetchall() == [("The sky was blue.",)])
    finally:
        conn.close()


def test_a_migration_copy_that_cannot_be_written_is_removed_and_the_store_left_as_it_was(tmp_path: Path) -> None:
    from tests.test_store import _make_v1_store

    d = tmp_path / "data"
    d.mkdir()
    _make_v1_store(d / DB_NAME)
    size_blocks = (d / DB_NAME).stat().st_size // 1024  # bash counts ulimit -f in KiB
    # a full disk: no file may grow past the store's own size, so the copy cannot be completed
    p = subprocess.run(["bash", "-c", f'ulimit -f {size_blocks - 1}; exec "$@"', "bash", *_cmd(d, "facts", "list")],
                       capture_output=True, text=True, timeout=300, cwd=REPO)
    line = one_line_error(p)
    assert "not upgraded" in line or "could not" in line
    assert not list(d.glob("*.bak"))
    assert _v1_as_it_was(d / DB_NAME)
    # and with the copy failing after it was written (the fault hook), the same
    line = one_line_error(run(d, "facts", "list", env={"BRIEFER_FAULT": "migration-backup:fail"}))
    assert "not upgraded" in line and not list(d.glob("*.bak")) and _v1_as_it_was(d / DB_NAME)
    assert run(d, "facts", "list").returncode == 0 and len(list(d.glob("*.bak"))) == 1


def _ended(pid: int) -> bool:
    """Whether process ``pid`` (not our child) has ended: waits on a pidfd for its exit, so a
    SIGKILL still being delivered is not mistaken for a survivor."""
    import select

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


def test_libreoffice_children_end_with_their_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.errors import ExportError
    from briefer.export import pdf

    pidfile = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    # a converter that leaves a grandchild running and fails, as a crashed LibreOffice does
    fake.write_text(f"#!/bin/sh\nsleep 600 >/dev/null 2>&1 &\necho $! > {pidfile}\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(fake))
    docx = tmp_path / "b.docx"
    docx.write_bytes(b"PK")
    with pytest.raises(ExportError):
        pdf.docx_to_pdf(docx, tmp_path)
    pid = int(pidfile.read_text(encoding="utf-8"))
    # reaped or gone: the whole process group was ended with the export
    assert _ended(pid)


# -- an unprivileged user (when the suite runs as root) ----------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to act as an unprivileged user")
def test_an_unprivileged_user_gets_one_line_and_the_store_is_intact(tmp_path: Path, _seeded_db: Path) -> None:
    import tempfile

    from faults_support import NOBODY, Unprivileged

    base = Path(tempfile.mkdtemp(prefix="briefer-faults-"))
    try:
        # Briefer and its packages copied where nobody can read them, run through setpriv as nobody
        nobody = Unprivileged(base)
        as_nobody = nobody.run
        assert nobody.run(base, "--version").returncode == 0

        # the user's own data folder, and a folder of root's to export into
        mine = base / "mine"
        mine.mkdir()
        shutil.copy2(_seeded_db, mine / DB_NAME)
        for q in (mine, mine / DB_NAME):
            os.chown(q, NOBODY, NOBODY)
        roots = base / "roots"
        roots.mkdir(mode=0o755)
        (roots / "b.md").write_text("root's file", encoding="utf-8")
        (roots / "b.md").chmod(0o644)
        line = one_line_error(as_nobody(mine, "export", "--format", "md", "--out", str(roots / "b.md")))
        assert "read-only" in line or "permission denied" in line
        line = one_line_error(as_nobody(mine, "export", "--format", "md", "--out", str(roots / "new.md")))
        assert "permission denied" in line
        assert (roots / "b.md").read_text(encoding="utf-8") == "root's file" and sorted(
            q.name for q in roots.iterdir()) == ["b.md"]
        assert as_nobody(mine, "facts", "tag", FACT, "--add", "topic:nobody").returncode == 0
        assert integrity(mine / DB_NAME) == "ok"
        # root's data folder: readable, not writable, by nobody
        theirs = base / "theirs"
        theirs.mkdir(mode=0o755)
        shutil.copy2(_seeded_db, theirs / DB_NAME)
        (theirs / DB_NAME).chmod(0o644)
        before = digest(theirs / DB_NAME)
        one_line_error(as_nobody(theirs, "facts", "tag", FACT, "--add", "topic:x"))
        one_line_error(as_nobody(theirs, "restore", str(roots / "none.zip"), "--force"))
        assert "read-only" in one_line_error(as_nobody(theirs, "facts", "list"))
        assert sorted(q.name for q in theirs.iterdir()) == [DB_NAME]
        assert digest(theirs / DB_NAME) == before and integrity(theirs / DB_NAME) == "ok"
        # the user's own store, made read-only (the file, then the folder)
        ro = base / "ro"
        ro.mkdir()
        shutil.copy2(_seeded_db, ro / DB_NAME)
        for q in (ro, ro / DB_NAME):
            os.chown(q, NOBODY, NOBODY)
        (ro / DB_NAME).chmod(0o444)
        before = digest(ro / DB_NAME)
        assert "read-only" in one_line_error(as_nobody(ro, "facts", "tag", FACT, "--add", "topic:x"))
        (ro / DB_NAME).chmod(0o644)
        ro.chmod(0o555)
        assert "read-only" in one_line_error(as_nobody(ro, "facts", "tag", FACT, "--add", "topic:x"))
        listed = as_nobody(ro, "facts", "list")  # reading still works
        assert listed.returncode == 0 and FACT in listed.stdout and listed.stderr == ""
        assert "topic:x" not in as_nobody(ro, "facts", "show", FACT, "--json").stdout
        assert digest(ro / DB_NAME) == before and integrity(ro / DB_NAME) == "ok"
    finally:
        shutil.rmtree(base, ignore_errors=True)


# -- 4. the export dialog: Cancel wins, or is refused as too late ----------------------------------------------------


@pytest.fixture
def template_doc(qapp, data_dir: Path):  # noqa: ANN001, ANN201
    from briefer.domain.briefing import Briefing, BriefingSection, FactItem
    from briefer.ingest.factpack import open_store
    from briefer.ui.briefing_model import BriefingDoc, Budget

    store = open_store(data_dir)
    b = Briefing(sections=[BriefingSection(section="hq-structure", heading="Who leads",
                                           items=[FactItem(fact_id="hq-established-sept-1")])])
    doc = BriefingDoc(b, store_sections=store.sections(), facts=store.facts_by_ids(b.fact_ids()),
                      budget=Budget(400, 2))
    doc.template = "risk-watch"
    doc.fresh_template_run = True  # as New from template leaves it: the first export records an edition
    yield doc, store
    store.close()


def _held_at(monkeypatch: pytest.MonkeyPatch, name: str):  # noqa: ANN202
    """Stop the export worker at fault step ``name`` until the returned event is set."""
    import threading

    from briefer import faults

    reached, go = threading.Event(), threading.Event()
    real = faults.step

    def step(n: str) -> None:
        if n == name:
            reached.set()
            assert go.wait(60)
        real(n)

    monkeypatch.setattr(faults, "step", step)
    return reached, go


@pytest.mark.parametrize("hold", ["export-dialog-before-claim", "after-replace"])
def test_export_dialog_cancel_either_wins_or_says_too_late(qtbot, template_doc, tmp_path: Path,  # noqa: ANN001
                                                          monkeypatch: pytest.MonkeyPatch, hold: str) -> None:
    from datetime import date

    from PySide6.QtCore import QThreadPool

    from briefer.store.editions import latest_edition
    from briefer.ui.dialogs.export import ExportDialog

    doc, store = template_doc
    target = tmp_path / "b.md"
    target.write_text("the earlier export", encoding="utf-8")
    from briefer.ui import messages

    monkeypatch.setattr(messages, "replace_file", lambda parent, path: True)  # "Replace?" answered Replace
    reached, go = _held_at(monkeypatch, hold)
    dlg = ExportDialog(doc, store, today=date(2025, 11, 1))
    qtbot.addWidget(dlg)
    dlg.format_combo.setCurrentIndex(dlg.format_combo.findData("md"))
    dlg.path_edit.setText(str(target))
    dlg.export_button.click()
    qtbot.waitUntil(reached.is_set, timeout=60000)
    dlg.cancel_button.click()
    refused = "Too late to cancel" in dlg.state_label.text()
    go.set()
    QThreadPool.globalInstance().waitForDone(60000)
    qtbot.wait(50)  # deliver the worker's last signal
    if hold == "export-dialog-before-claim":  # Cancel came before the last step: it wins
        assert "cancelled" in dlg.state_label.text() and "unchanged" in dlg.state_label.text()
        assert target.read_text(encoding="utf-8") == "the earlier export"
        assert dlg.written is None and latest_edition(store, "risk-watch") is None and not refused
    else:  # the file was already renamed into place: Cancel is refused, and the dialog says so
        assert refused
        qtbot.waitUntil(lambda: dlg.written is not None, timeout=60000)
        assert target.read_text(encoding="utf-8") != "the earlier export"
        assert latest_edition(store, "risk-watch") is not None
        assert "Exported" in dlg.state_label.text()
    assert [q.name for q in tmp_path.iterdir() if q.name.startswith(".")] == []


# -- kill -9 and a full disk in the middle of writes ------------------------------------------------------------------


def test_a_tag_killed_inside_its_transaction_changes_nothing_and_blocks_no_one(data_dir: Path) -> None:
    before = tags(data_dir)
    p = run(data_dir, "facts", "tag", FACT, "--add", "topic:killed", env={"BRIEFER_FAULT": "fact-modify:kill"})
    assert p.returncode == -signal.SIGKILL
    assert tags(data_dir) == before and integrity(data_dir / DB_NAME) == "ok"
    assert run(data_dir, "facts", "tag", FACT, "--add", "topic:next").returncode == 0
    assert tags(data_dir) == [*before, "topic:next"]


def test_a_backup_killed_before_its_rename_leaves_no_archive_and_the_earlier_one_intact(data_dir: Path,
                                                                                      tmp_path: Path) -> None:
    archive = tmp_path / "b.briefer-backup.zip"
    assert run(data_dir, "backup", str(archive)).returncode == 0
    earlier = digest(archive)
    p = run(data_dir, "backup", str(archive), "--force", env={"BRIEFER_FAULT": "before-replace:kill"})
    assert p.returncode == -signal.SIGKILL
    assert digest(archive) == earlier
    assert run(data_dir, "restore", str(archive), "--check").returncode == 0
    assert integrity(data_dir / DB_NAME) == "ok"


def test_a_full_disk_during_an_export_leaves_the_earlier_file(data_dir: Path, tmp_path: Path) -> None:
    old = tmp_path / "old.md"
    old.write_text("the earlier file", encoding="utf-8")
    # a file-size limit of 64 KiB (the store's -shm index fits): the export (over 100 KiB) cannot be written
    p = subprocess.run(["bash", "-c", 'ulimit -f 64; exec "$@"', "bash",
                        *_cmd(data_dir, "export", "--format", "md", "--out", str(old), "--force")],
                       capture_output=True, text=True, timeout=300, cwd=REPO)
    assert "cannot write" in one_line_error(p)
    assert old.read_text(encoding="utf-8") == "the earlier file"
    assert [q.name for q in tmp_path.iterdir() if q.name.startswith(".")] == []
    assert integrity(data_dir / DB_NAME) == "ok"


def test_cancel_during_a_pdf_conversion_ends_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from briefer.export import pdf

    started = tmp_path / "started"
    os.mkfifo(started)
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\necho $$ > {started}\nexec sleep 600\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setattr(pdf, "find_soffice", lambda: str(fake))
    docx = tmp_path / "b.docx"
    docx.write_bytes(b"PK")
    cancel = threading.Event()
    raised: list[BaseException] = []

    def convert() -> None:
        try:
            pdf.docx_to_pdf(docx, tmp_path, cancelled=cancel.is_set)
        except BaseException as exc:  # noqa: BLE001 - looked at below
            raised.append(exc)

    worker = threading.Thread(target=convert)
    worker.start()
    with started.open(encoding="utf-8") as fh:  # blocks until the converter has started
        pid = int(fh.readline())
    cancel.set()
    worker.join(120)
    assert not worker.is_alive()
    assert len(raised) == 1 and isinstance(raised[0], pdf.ConversionCancelled)
    assert _ended(pid)
