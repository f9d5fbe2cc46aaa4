"""Fault suite, input side (issue 12, points 6-8): real processes against FIFOs, devices,
read-only files and folders (as an unprivileged user when the tests run as root, since root
ignores permissions), a file-size limit for a full disk, a store held by another process,
damaged stored values, huge numbers, long file names, non-UTF-8 terminals and control
characters.  Every case must end in one line on stderr and exit status 2 (or succeed), never
hang and never show a traceback; after each store fault the store passes
``PRAGMA integrity_check`` and still holds what it held."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import sysconfig
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from faults_support import integrity

from briefer.store.db import DB_NAME

REPO = Path(__file__).resolve().parents[1]
#: a guard so that a regression hangs one test, not the whole run (no test measures time)
HANG = 60

ESC_TITLE = "\x1b]0;PWNED\x07\x1b[31m"


def run(data_dir: Path, *argv: str, env: dict[str, str] | None = None, prefix: list[str] | None = None,
        python: str = sys.executable, pythonpath: str = "") -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    if pythonpath:
        full_env["PYTHONPATH"] = pythonpath
    return subprocess.run([*(prefix or []), python, "-m", "briefer", "--data-dir", str(data_dir), *argv],
                          capture_output=True, text=True, timeout=HANG, env=full_env, cwd=REPO,
                          errors="surrogateescape")


def one_line_error(p: subprocess.CompletedProcess[str], *needles: str) -> str:
    """The single error line of a failed run, after checking it is one line, exit 2, no traceback."""
    assert p.returncode == 2, (p.returncode, p.stdout[-500:], p.stderr[-2000:])
    assert "Traceback" not in p.stderr, p.stderr
    errors = [ln for ln in p.stderr.splitlines() if ln.startswith("briefer: error:")]
    assert len(errors) == 1 and len(p.stderr.strip().splitlines()) <= 2, p.stderr
    for needle in needles:
        assert needle in errors[0], errors[0]
    return errors[0]


def fact_row(db: Path, fact_id: str) -> tuple[object, ...]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return tuple(conn.execute("SELECT statement, tags, as_of FROM facts WHERE id = ?", (fact_id,)).fetchone())
    finally:
        conn.close()


def first_fact(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return str(conn.execute("SELECT id FROM facts ORDER BY id LIMIT 1").fetchone()[0])
    finally:
        conn.close()


def set_column(db: Path, fact_id: str, column: str, value: object) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute(f"UPDATE facts SET {column} = ? WHERE id = ?", (value, fact_id))
        conn.commit()
    finally:
        conn.close()


# -- point 6: nothing hangs, nothing reads without bound ---------------------------------------


@pytest.fixture
def fifos(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name in ("t.json", "b.briefing.json", "x.briefer-backup.zip", "ref.docx", "doc.txt"):
        out[name] = tmp_path / "fifo" / name
    (tmp_path / "fifo").mkdir()
    for p in out.values():
        os.mkfifo(p)
    return out


def test_a_fifo_or_device_is_refused_at_once_by_every_reader(data_dir: Path, fifos: dict[str, Path],
                                                             tmp_path: Path) -> None:
    cases = [
        (("templates", "import", str(fifos["t.json"])), "named pipe"),
        (("templates", "import", "/dev/zero"), "device"),
        (("briefing", "check", str(fifos["b.briefing.json"])), "named pipe"),
        (("restore", str(fifos["x.briefer-backup.zip"])), "named pipe"),
        (("restore", "/dev/zero"), "device"),
        (("export", "--out", str(tmp_path / "o.docx"), "--reference-doc", str(fifos["ref.docx"])), "named pipe"),
        (("import", str(fifos["doc.txt"])), "named pipe"),
        (("import", "/dev/zero"), "device"),
    ]
    for argv, kind in cases:
        line = one_line_error(run(data_dir, *argv), "not a regular file", kind)
        assert not (tmp_path / "o.docx").exists(), line


def test_settings_file_that_is_a_fifo_is_refused(data_dir: Path) -> None:
    os.mkfifo(data_dir / "settings.json")
    fid = first_fact(data_dir / DB_NAME)
    one_line_error(run(data_dir, "facts", "tag", fid, "--add", "topic:fifo"), "settings.json", "named pipe")
    assert "topic:fifo" not in str(fact_row(data_dir / DB_NAME, fid)[1])


def test_reads_stop_at_the_cap_even_when_st_size_lies(tmp_path: Path) -> None:
    from briefer.errors import KnownError
    from briefer.fileio import read_capped

    maps = Path("/proc/self/maps")  # a regular file whose st_size is 0 but that holds kilobytes
    assert maps.stat().st_size == 0
    with pytest.raises(KnownError, match="too large to be a settings file .more than the limit"):
        read_capped(maps, 64, what="settings file")
    small = tmp_path / "small.json"
    small.write_bytes(b"{}")
    assert read_capped(small, 64) == b"{}"


# -- point 7: one line for every environment fault -----------------------------------------------


@pytest.fixture
def shared_data_dir(_seeded_db: Path) -> Iterator[Path]:
    """A data folder an unprivileged user can reach (pytest's own temp folders are root-only)."""
    top = Path(tempfile.mkdtemp(prefix="briefer-faults-", dir="/tmp"))
    os.chmod(top, 0o755)
    d = top / "data"
    d.mkdir()
    shutil.copy2(_seeded_db, d / DB_NAME)
    yield d
    for p in [top, *top.rglob("*")]:
        if p.is_dir():
            os.chmod(p, 0o755)
    shutil.rmtree(top)


def _as_user() -> tuple[list[str], str, str]:
    """(command prefix, python, PYTHONPATH) to run Briefer as a user that permissions apply to."""
    if os.geteuid() != 0:
        return [], sys.executable, ""
    # root ignores file modes: drop to nobody, with a Python that nobody can run (the venv's may
    # live under root's home) and this checkout plus the venv's packages on its path
    runuser = shutil.which("runuser")
    assert runuser, "the fault tests run as root need runuser (util-linux) to drop privileges"
    candidates = [sys.executable, sys._base_executable, "/usr/bin/python3.11",
                  f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"]
    path = os.pathsep.join([str(REPO), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    for python in candidates:
        probe = subprocess.run([runuser, "-u", "nobody", "--", "env", f"PYTHONPATH={path}", python, "-c",
                                "import pydantic, briefer.cli"], capture_output=True, timeout=HANG)
        if probe.returncode == 0:
            return [runuser, "-u", "nobody", "--"], python, path
    raise AssertionError(f"no Python that user nobody can run with Briefer's packages among {candidates}")


def test_read_only_store_file_and_folder_are_one_line_and_lose_nothing(shared_data_dir: Path) -> None:
    d = shared_data_dir
    db = d / DB_NAME
    fid = first_fact(db)
    before = fact_row(db, fid)
    prefix, python, path = _as_user()
    if prefix:
        subprocess.run(["chown", "-R", "nobody", str(d.parent)], check=True)
    os.chmod(db, 0o444)
    p = run(d, "facts", "tag", fid, "--add", "topic:read-only-file", prefix=prefix, python=python, pythonpath=path)
    one_line_error(p, "read-only", str(db))
    os.chmod(db, 0o644)
    os.chmod(d, 0o555)
    try:
        p = run(d, "facts", "tag", fid, "--add", "topic:read-only-folder", prefix=prefix, python=python,
                pythonpath=path)
        one_line_error(p, "read-only")
    finally:
        os.chmod(d, 0o755)
    assert integrity(db) == "ok"
    assert fact_row(db, fid) == before
    # and reading still works from a read-only folder
    os.chmod(d, 0o555)
    try:
        p = run(d, "facts", "show", fid, prefix=prefix, python=python, pythonpath=path)
    finally:
        os.chmod(d, 0o755)
    assert p.returncode == 0 and fid in p.stdout, p.stderr


_HOLD = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
print("held", flush=True)
sys.stdin.readline()
"""


@contextlib.contextmanager
def _held(db: Path) -> Iterator[None]:
    """Another process holds the store's write lock until the block ends."""
    holder = subprocess.Popen([sys.executable, "-c", _HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.communicate("\n", timeout=HANG)


def test_a_store_held_by_another_process_says_in_use(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = data_dir / DB_NAME
    fid = first_fact(db)
    with _held(db):
        line = one_line_error(run(data_dir, "facts", "tag", fid, "--add", "topic:locked",
                                  env={"BRIEFER_WRITE_WAIT": "1"}), "in use by another Briefer")
        assert "not a readable" not in line
    assert integrity(db) == "ok"
    assert "topic:locked" not in str(fact_row(db, fid)[1])


def test_a_command_queued_behind_a_longer_write_waits_its_turn(data_dir: Path) -> None:
    """The CLI waits up to 30 s for another Briefer's write (the window's 5 s would refuse here): a
    write held for 7 s delays the command, which then lands."""
    db = data_dir / DB_NAME
    fid = first_fact(db)
    with _held(db):
        cmd = subprocess.Popen([sys.executable, "-m", "briefer", "--data-dir", str(data_dir), "facts", "tag", fid,
                                "--add", "topic:queued"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=REPO, env={k: v for k, v in os.environ.items() if k != "BRIEFER_WRITE_WAIT"})
        with pytest.raises(subprocess.TimeoutExpired):
            cmd.wait(timeout=7)  # still waiting for the write lock (it would have given up after 5 s)
    out, err = cmd.communicate(timeout=HANG)
    assert cmd.returncode == 0, err
    assert "topic:queued" in str(fact_row(db, fid)[1])
    assert integrity(db) == "ok"


@pytest.mark.parametrize("value", ["soon", "nan", "-4"])
def test_a_wrong_write_wait_falls_back_to_a_sane_one(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.cli import cli_write_wait

    monkeypatch.setenv("BRIEFER_WRITE_WAIT", value)
    assert cli_write_wait() == (0.0 if value == "-4" else 30.0)


def _can_mount_tmpfs() -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    probe = Path(tempfile.mkdtemp(prefix="briefer-tmpfs-probe-"))
    try:
        ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(probe)],
                            capture_output=True, timeout=HANG).returncode == 0
        if ok:
            subprocess.run(["umount", str(probe)], check=True, timeout=HANG)
        return ok
    finally:
        probe.rmdir()


#: a file-size limit works for anyone; a small tmpfs (a real ENOSPC) needs root
DISK_FULL = ["file-size-limit", *(["small-tmpfs"] if _can_mount_tmpfs() else [])]


@contextlib.contextmanager
def _full_disk(kind: str, data_dir: Path) -> Iterator[tuple[Path, list[str]]]:
    """(the data folder to use, a command prefix) with almost no room left to write."""
    if kind == "file-size-limit":
        # 64 blocks of 512 bytes: the store's 32 KB shared-memory file fits, a write-ahead log
        # holding the change does not (and the store file itself cannot grow)
        yield data_dir, ["bash", "-c", 'ulimit -f 64 && exec "$@"', "bash"]
        return
    mnt = Path(tempfile.mkdtemp(prefix="briefer-full-"))
    used = sum(p.stat().st_size for p in data_dir.iterdir() if p.is_file())
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={used + 16 * 1024 * 1024}", "tmpfs", str(mnt)], check=True,
                   timeout=HANG)
    try:
        d = mnt / "data"
        shutil.copytree(data_dir, d)
        free = shutil.disk_usage(mnt).free
        with open(mnt / "filler", "wb") as fh:  # leave 48 KB: the shared-memory file, and a little
            fh.write(b"\0" * max(0, free - 48 * 1024))
        yield d, []
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=True, timeout=HANG)
        mnt.rmdir()


@pytest.mark.parametrize("kind", DISK_FULL)
@pytest.mark.parametrize("step", ["tag", "add", "import"])
def test_disk_full_on_write_is_one_line_and_the_store_is_intact(data_dir: Path, tmp_path: Path, step: str,
                                                                kind: str) -> None:
    big = tmp_path / "long.txt"
    big.write_text(" ".join(["The AI Promotion Act sets up the AI Strategy Headquarters in the Cabinet."] * 4000),
                   encoding="utf-8")
    with _full_disk(kind, data_dir) as (d, prefix):
        db = d / DB_NAME
        fid = first_fact(db)
        before = fact_row(db, fid)
        conn = sqlite3.connect(db)
        source, quote, section = conn.execute("SELECT c.source, c.quote, f.section FROM citations c"
                                              " JOIN facts f ON f.rowid = c.fact LIMIT 1").fetchone()
        count = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
        conn.close()
        argv = {
            # enough tags that the change cannot fit in what the limit leaves
        "tag": ["facts", "tag", fid,
                *[a for n in range(150) for a in ("--add", f"topic:full-disk-{n:03d}-{'x' * 48}")]],
            "add": ["facts", "add", "--section", section, "--statement", "A new fact that fills the disk.",
                    "--cite", source, quote, "--id", "fills-the-disk"],
            "import": ["import", "--accept-all", str(big)],
        }[step]
        p = run(d, *argv, prefix=prefix)
        line = one_line_error(p)
        assert "disk" in line, line
        assert integrity(db) == "ok"
        assert fact_row(db, fid) == before
        conn = sqlite3.connect(db)
        assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == count
        conn.close()
        # with room again the same command works: the fault was the full disk, and the store is usable
        (d.parent / "filler").unlink(missing_ok=True)
        p = run(d, *argv)
        assert p.returncode == 0, p.stderr
        assert integrity(db) == "ok"


def test_damaged_stored_values_name_the_fact_and_the_rest_still_shows(data_dir: Path) -> None:
    db = data_dir / DB_NAME
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM facts ORDER BY id LIMIT 2")]
    total = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    conn.close()
    bad_tags, bad_date = ids
    set_column(db, bad_tags, "tags", "[not json")
    set_column(db, bad_date, "as_of", "2025-13-99")
    p = run(data_dir, "facts", "list")
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    assert f"{total - 1} facts" in p.stdout  # every fact but the one whose date cannot be read
    assert bad_tags in p.stdout and bad_date not in p.stdout
    warnings = [ln for ln in p.stderr.splitlines() if ln.startswith("briefer: warning:")]
    assert any(bad_tags in w and "tags" in w and f"briefer facts tag {bad_tags}" in w for w in warnings), warnings
    assert any(bad_date in w and "2025-13-99" in w and f"briefer facts edit {bad_date} --as-of" in w
               for w in warnings), warnings
    # the window's library lists the same facts from its light rows, with the same notes
    from briefer.store.db import open_store

    with open_store(data_dir, seed=False) as store:
        rows = store.library_rows()
        assert [r.id for r in rows] == [f.id for f in store.facts()] and bad_date not in {r.id for r in rows}
        assert next(r.tags for r in rows if r.id == bad_tags) == ()
        assert {bad_tags, bad_date} <= set(store.damaged)
    # the one fact asked for by id: one line with the repair
    one_line_error(run(data_dir, "facts", "show", bad_date), bad_date, "2025-13-99", "--as-of")
    # the repairs the messages name work
    p = run(data_dir, "facts", "edit", bad_date, "--as-of", "2025-09-01")
    assert p.returncode == 0, p.stderr
    p = run(data_dir, "facts", "tag", bad_tags, "--add", "topic:repaired")
    assert p.returncode == 0, p.stderr
    p = run(data_dir, "facts", "list", "--json")
    assert p.returncode == 0 and "warning" not in p.stderr, p.stderr
    facts = {f["id"]: f for f in json.loads(p.stdout)}
    assert len(facts) == total and facts[bad_date]["as_of"] == "2025-09-01"
    assert facts[bad_tags]["tags"] == ["topic:repaired"]
    assert integrity(db) == "ok"


def test_file_names_too_long_get_one_line_and_a_name_just_short_enough_works(data_dir: Path,
                                                                              tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    fits = out / ("a" * 252 + ".md")  # 255 bytes, the usual limit: the temporary name must stay short
    p = run(data_dir, "export", "--out", str(fits))
    assert p.returncode == 0, p.stderr
    assert "Japan" in fits.read_text(encoding="utf-8")
    fits_json = out / ("t" * 250 + ".json")
    p = run(data_dir, "templates", "export", "risk-watch", str(fits_json))
    assert p.returncode == 0 and fits_json.stat().st_size > 0, p.stderr
    one_line_error(run(data_dir, "export", "--out", str(out / ("b" * 253 + ".md"))), "too long for the file system")
    one_line_error(run(data_dir, "backup", str(out / ("c" * 300 + ".zip"))), "too long")
    one_line_error(run(data_dir, "templates", "export", "risk-watch", str(out / ("d" * 300 + ".json"))), "too long")
    assert sorted(p.name for p in out.iterdir()) == sorted([fits.name, fits_json.name])  # no temporary left
    # a template name is a file name: one too long in bytes is refused when it is given
    one_line_error(run(data_dir, "templates", "duplicate", "risk-watch", "\U0001d400" * 64),
                   "too long for a file name")
    p = run(data_dir, "templates", "duplicate", "risk-watch", "\U0001d400" * 50)
    assert p.returncode == 0, p.stderr


def _template(tmp_path: Path, **extra: object) -> dict[str, object]:
    return {"format": "briefer-template", "schema_version": 1, "name": "numbers",
            "sections": [{"section": "law-summary"}], **extra}


def test_every_number_in_a_data_file_is_bounded(data_dir: Path, tmp_path: Path) -> None:
    huge = "9" * 5000
    t = tmp_path / "t.json"
    t.write_text(json.dumps(_template(tmp_path)).replace('"schema_version": 1', f'"schema_version": {huge}'))
    one_line_error(run(data_dir, "templates", "import", str(t)), "5,000-digit number")
    t.write_text(json.dumps(_template(tmp_path, length={"target_words": 1})).replace(": 1}", f": {huge}}}"))
    one_line_error(run(data_dir, "templates", "import", str(t)), "digit number")
    t.write_text(json.dumps(_template(tmp_path, length={"target_words": 1})).replace(": 1}", ": 1e999}"))
    one_line_error(run(data_dir, "templates", "import", str(t)), "too large")
    b = tmp_path / "x.briefing.json"
    b.write_text('{"format": "briefer-briefing", "schema_version": ' + huge + "}")
    one_line_error(run(data_dir, "briefing", "check", str(b)), "5,000-digit number")
    # a settings file is set aside (kept as settings.json.bad) and the command goes on with the defaults
    bad_settings = '{"analyst": "A", "stale_after_months": ' + huge + "}"
    (data_dir / "settings.json").write_text(bad_settings)
    p = run(data_dir, "facts", "tag", first_fact(data_dir / DB_NAME), "--add", "topic:n")
    assert p.returncode == 0, p.stderr
    warning = [line for line in p.stderr.splitlines() if "settings" in line]
    assert len(warning) == 1 and "5,000-digit number" in warning[0] and "settings.json.bad" in warning[0], p.stderr
    assert not (data_dir / "settings.json").exists()
    assert (data_dir / "settings.json.bad").read_text() == bad_settings
    (data_dir / "settings.json.bad").unlink()
    # a backup whose manifest holds one
    archive = tmp_path / "b.briefer-backup.zip"
    assert run(data_dir, "backup", str(archive)).returncode == 0
    patched = tmp_path / "patched.briefer-backup.zip"
    with zipfile.ZipFile(archive) as zin, zipfile.ZipFile(patched, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                data = data.replace(b'"format_version": 1', b'"format_version": ' + huge.encode())
                assert huge.encode() in data
            zout.writestr(info, data)
    one_line_error(run(data_dir, "restore", "--force", str(patched)), "5,000-digit number")
    assert integrity(data_dir / DB_NAME) == "ok"


def test_output_in_a_terminal_that_is_not_utf8_degrades_to_escapes(data_dir: Path) -> None:
    db = data_dir / DB_NAME
    fid = first_fact(db)
    set_column(db, fid, "statement", "The Act (AI推進法) took effect \u2014 in full.")
    for env in ({"PYTHONIOENCODING": "ascii"},
                {"LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "", "PYTHONUTF8": "0"}):
        for argv in (("facts", "show", fid), ("facts", "list"), ("facts", "show", fid, "--json")):
            p = run(data_dir, *argv, env=env)
            assert p.returncode == 0 and "Traceback" not in p.stderr, (env, argv, p.stderr)
            assert "\\u63a8" in p.stdout or "\\u63a8".upper() in p.stdout.upper(), p.stdout[:300]
            if "--json" in argv:
                assert json.loads(p.stdout)["statement"].startswith("The Act (AI推進法)")
    # errors too: a message holding text the terminal cannot show
    p = run(data_dir, "facts", "show", "存在しない", env={"PYTHONIOENCODING": "ascii"})
    one_line_error(p, "\\u5b58")


# -- point 8: nothing from data controls the terminal or shadows a built-in ----------------------


def test_control_characters_from_data_are_escaped(data_dir: Path) -> None:
    db = data_dir / DB_NAME
    fid = first_fact(db)
    set_column(db, fid, "statement", f"Evil {ESC_TITLE}statement\u009b2J \u202eright-to-left")
    assert run(data_dir, "facts", "tag", fid, "--add", "topic:x").returncode == 0
    conn = sqlite3.connect(db)  # an analyst name recorded before names were checked
    conn.execute("UPDATE fact_history SET analyst = ? WHERE fact_id = ?", (f"Mallory{ESC_TITLE}", fid))
    conn.commit()
    conn.close()
    outputs = []
    for argv in (("facts", "show", fid), ("facts", "list"), ("facts", "search", "Evil"), ("facts", "history", fid),
                 ("facts", "show", "\x1b[2J"), ("facts", "show", fid, "--json")):
        p = run(data_dir, *argv)
        assert "Traceback" not in p.stderr, p.stderr
        outputs.append(p.stdout + p.stderr)
        if "--json" in argv:
            assert "\x1b" in json.loads(p.stdout)["statement"]  # the data itself is kept, escaped in JSON
    text = "".join(outputs)
    assert "\\x1b]0;PWNED" in text and "Mallory\\x1b" in text
    for raw in ("\x1b", "\x07", "\u009b", "\u202e"):
        assert raw not in text, repr(raw)


def test_a_user_template_named_like_a_built_in_does_not_shadow_it(data_dir: Path) -> None:
    builtin = json.loads(run(data_dir, "templates", "show", "risk-watch", "--json").stdout)
    own = dict(builtin.get("template", builtin))
    (data_dir / "templates").mkdir(exist_ok=True)
    forged = {"format": "briefer-template", "schema_version": 1, "name": "Risk-Watch",
              "description": "FORGED", "sections": [{"section": "law-summary"}]}
    (data_dir / "templates" / "Risk-Watch.json").write_text(json.dumps(forged), encoding="utf-8")
    for name in ("risk-watch", "Risk-Watch", "RISK-WATCH"):
        p = run(data_dir, "templates", "show", name, "--json")
        assert p.returncode == 0, p.stderr
        assert "FORGED" not in p.stdout
    listed = run(data_dir, "templates", "list")
    assert "Risk-Watch.json has the name of a built-in template" in listed.stdout + listed.stderr
    p = run(data_dir, "templates", "import", str(data_dir / "templates" / "Risk-Watch.json"))
    one_line_error(p, "built-in")
    assert own  # the built-in was shown before and after


def test_names_in_a_restored_backup_are_validated_like_typed_names(data_dir: Path, tmp_path: Path) -> None:
    import hashlib

    archive = tmp_path / "b.briefer-backup.zip"
    assert run(data_dir, "backup", str(archive)).returncode == 0
    body = json.dumps({"format": "briefer-template", "schema_version": 1, "name": "x",
                       "sections": [{"section": "law"}]}).encode()
    for bad in ("templates/evil\nname.json", "templates/evil\x1b[2Jname.json", "templates/a\\b.json",
                "templates/..hidden.json", "templates/nul.json"):
        patched = tmp_path / "patched.briefer-backup.zip"
        with zipfile.ZipFile(archive) as zin, zipfile.ZipFile(patched, "w") as zout:
            manifest = json.loads(zin.read("manifest.json"))
            manifest["files"][bad] = {"size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
            for info in zin.infolist():
                data = json.dumps(manifest).encode() if info.filename == "manifest.json" else zin.read(info)
                zout.writestr(info, data)
            zout.writestr(bad, body)
        before = sorted(p.name for p in data_dir.iterdir())
        line = one_line_error(run(data_dir, "restore", "--force", str(patched)))
        assert "\x1b" not in line and "not restored" in line, line
        assert sorted(p.name for p in data_dir.iterdir()) == before
    assert integrity(data_dir / DB_NAME) == "ok"


def test_analyst_names_are_checked_wherever_they_come_from(data_dir: Path, tmp_path: Path) -> None:
    fid = first_fact(data_dir / DB_NAME)
    one_line_error(run(data_dir, "config", "--analyst", "Eve\nInjected"), "line break")
    one_line_error(run(data_dir, "config", "--analyst", f"Eve{ESC_TITLE}"), "control")
    (data_dir / "settings.json").write_text(json.dumps({"analyst": f"Mallory{ESC_TITLE}"}), encoding="utf-8")
    one_line_error(run(data_dir, "facts", "tag", fid, "--add", "topic:x"), "settings.json", "control")
    one_line_error(run(data_dir, "facts", "tag", fid, "--add", "topic:x", env={"BRIEFER_ANALYST": "a/b"}),
                   "path separator")
    (data_dir / "settings.json").write_text(json.dumps({"analyst": "A. Analyst"}), encoding="utf-8")
    archive = tmp_path / "b.briefer-backup.zip"
    assert run(data_dir, "backup", str(archive)).returncode == 0
    import hashlib

    patched = tmp_path / "patched.briefer-backup.zip"
    with zipfile.ZipFile(archive) as zin, zipfile.ZipFile(patched, "w") as zout:
        manifest = json.loads(zin.read("manifest.json"))
        settings = json.dumps({"analyst": "Evil\nName"}).encode()
        manifest["files"]["settings.json"] = {"size": len(settings), "sha256": hashlib.sha256(settings).hexdigest()}
        for info in zin.infolist():
            if info.filename == "manifest.json":
                zout.writestr(info, json.dumps(manifest))
            elif info.filename == "settings.json":
                zout.writestr(info, settings)
            else:
                zout.writestr(info, zin.read(info))
    one_line_error(run(data_dir, "restore", "--force", str(patched)), "analyst name", "cannot be restored")
    assert json.loads((data_dir / "settings.json").read_text())["analyst"] == "A. Analyst"
