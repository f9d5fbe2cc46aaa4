"""Shared fixtures.  Every test runs with its own data folder and its own
HOME/XDG folders, so nothing a test does touches the real user folders."""

from __future__ import annotations

import os

# Before anything can create a QApplication: without a display, Qt aborts the
# whole run with no summary line.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Hunting a crash in object teardown (see briefer/ui/collector.py), off by default:
# * BRIEFER_TEST_GC="1,1,1" sets the collector's thresholds, so garbage is collected at almost
#   every allocation;
# * BRIEFER_TEST_GC_THREAD=0.005 adds a thread that, like a busy worker, triggers a full automatic
#   collection every 5 ms (only while automatic collection is on, as the interpreter would), so an
#   object collected off the GUI thread shows up in one run instead of one run in eight.
if os.environ.get("BRIEFER_TEST_GC"):
    import gc

    gc.set_threshold(*(int(n) for n in os.environ["BRIEFER_TEST_GC"].split(",")))
if os.environ.get("BRIEFER_TEST_GC_THREAD"):
    import gc
    import threading
    import time

    def _busy_worker(pause: float) -> None:
        while True:
            if gc.isenabled():
                gc.collect()
            time.sleep(pause)

    threading.Thread(target=_busy_worker, args=(float(os.environ["BRIEFER_TEST_GC_THREAD"]),), daemon=True,
                     name="busy-worker").start()

import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]

#: Qt methods a test may stand in for on a class: Qt's own code never calls them through the class's
#: virtual table (a dialog's ``exec`` is called from Python; ``platformName`` is static)
_PATCHABLE_QT = {"exec", "platformName"}
_setattr = pytest.MonkeyPatch.setattr


def _guarded_setattr(self: pytest.MonkeyPatch, target: object, name: object = None, *args: object,
                     **kwargs: object) -> None:
    """``monkeypatch.setattr`` refuses to patch a Qt virtual (``paintEvent``, ``eventFilter``, ``data``…) on
    a Qt class: the binding keeps the Python override it found after the method is put back, and an object
    of the class that outlives the test (a window is deleted in the next test's event loop) calls the freed
    function there: the suite crashed one run in a few.  Watch with an event filter or a signal instead."""
    if isinstance(target, type) and isinstance(name, str) and name not in _PATCHABLE_QT:
        qt = [c for c in target.__mro__ if c.__module__.startswith("PySide6.") and name in vars(c)]
        if qt:
            raise AssertionError(f"do not patch {target.__name__}.{name}: {qt[0].__name__}.{name} is Qt's "
                                 "(the binding keeps the patched override after the test; see tests/conftest.py)")
    _setattr(self, target, name, *args, **kwargs)  # type: ignore[arg-type]


pytest.MonkeyPatch.setattr = _guarded_setattr  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _collect_on_the_gui_thread(request: pytest.FixtureRequest):  # noqa: ANN202
    """Qt tests run with the window's collector (briefer.ui.collector), as the application does:
    dialogs built without a window would otherwise be collected by a worker thread.  Tests with no
    event loop get the collector's turn between tests."""
    if "qapp" in request.fixturenames:
        from briefer.ui import collector

        collector.install(request.getfixturevalue("qapp"))
    yield
    if "briefer.ui.collector" in sys.modules:
        sys.modules["briefer.ui.collector"].tick()


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for var, sub in [("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")]:
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "runtime"))
    (tmp_path / "runtime").mkdir(mode=0o700)
    monkeypatch.setenv("BRIEFER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BRIEFER_STORE", raising=False)  # a developer's team library is never a test's
    # the LibreOffice layout pass (contents page numbers) adds seconds to every Word export: the tests
    # of that pass (test_export_layout.py) switch it back on
    monkeypatch.setenv("BRIEFER_LAYOUT_PASS", "0")


@pytest.fixture(scope="session")
def _seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the shipped fact pack; tests get copies."""
    from briefer.ingest.factpack import open_store
    from briefer.store.db import DB_NAME

    d = tmp_path_factory.mktemp("seeded")
    open_store(d).close()
    return d / DB_NAME


@pytest.fixture
def data_dir(tmp_path: Path, _seeded_db: Path) -> Path:
    """A data folder holding a fresh copy of the seeded store."""
    from briefer.store.db import DB_NAME

    d = tmp_path / "data"
    d.mkdir(exist_ok=True)
    shutil.copy2(_seeded_db, d / DB_NAME)
    return d


@pytest.fixture
def store(data_dir: Path):
    from briefer.ingest.factpack import open_store

    s = open_store(data_dir)
    yield s
    s.close()


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], data_dir: Path):
    """Run the CLI in-process: ``cli("facts", "list")`` -> Result."""
    from briefer.cli import main

    def run(*argv: str) -> Result:
        try:
            code = main(["--data-dir", str(data_dir), *argv])
        except SystemExit as exc:  # argparse usage errors and --version
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def _no_dialog(*args, **kwargs):  # noqa: ANN002, ANN003
    raise AssertionError(f"an unexpected dialog would have opened: {args[1:3]}")


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any message box or file dialog the window would open fails the test."""
    from briefer.ui import filedialogs, messages

    for name in ("error", "info", "confirm", "save_changes", "ask_text", "recover"):
        monkeypatch.setattr(messages, name, _no_dialog)
    for name in ("ask_open_path", "ask_open_paths", "ask_save_path"):
        monkeypatch.setattr(filedialogs, name, _no_dialog)


@pytest.fixture
def briefer_proc(data_dir: Path):
    """Run ``python -m briefer`` as a real process: ``briefer_proc("facts", "check")``."""

    def run(*argv: str, env: dict[str, str] | None = None, timeout: float = 120) -> Result:
        full_env = {**os.environ, **(env or {})}
        p = subprocess.run(
            [sys.executable, "-m", "briefer", "--data-dir", str(data_dir), *argv],
            capture_output=True, text=True, timeout=timeout, env=full_env, cwd=REPO,
        )
        return Result(p.returncode, p.stdout, p.stderr)

    return run


@pytest.fixture(scope="session")
def pg_server():  # noqa: ANN201
    """A throwaway PostgreSQL cluster (tests/pg_cluster.py) for the whole run, stopped after it.
    Skips, with the reason, only where PostgreSQL cannot be run (``make test`` installs it)."""
    import pg_cluster

    try:
        with pg_cluster.cluster() as server:
            yield server
    except pg_cluster.ClusterUnavailable as exc:
        pytest.skip(f"PostgreSQL unavailable: {exc}")


@pytest.fixture(scope="session")
def pg_templates(pg_server):  # noqa: ANN001, ANN201
    """Two prepared team libraries on the test cluster, copied for each test (CREATE DATABASE …
    TEMPLATE, a few tens of milliseconds): ``briefer_empty`` (the schema, nothing in it) and
    ``briefer_seeded`` (the schema and the shipped fact pack), each made once through Briefer's own
    opening path."""
    import psycopg

    from briefer.ingest.factpack import open_store

    folder = Path(pg_server.folder) / "template-data"
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        for name, seed in (("briefer_empty", False), ("briefer_seeded", True)):
            admin.execute(f"CREATE DATABASE {name}")
            open_store(folder / name, seed=seed, location=pg_server.url(db=name)).close()
    return {"empty": "briefer_empty", "seeded": "briefer_seeded"}


_pg_db_counter = iter(range(1, 1_000_000))


@pytest.fixture
def pg_database(pg_server, pg_templates):  # noqa: ANN001, ANN201
    """A function returning the URL of a fresh team library copied from a template ("empty", "seeded")
    or a new empty database ("blank"); every database made is dropped after the test."""
    import psycopg

    made: list[str] = []

    def make(kind: str = "empty") -> str:
        name = f"t{os.getpid()}_{next(_pg_db_counter)}"
        template = f" TEMPLATE {pg_templates[kind]}" if kind != "blank" else ""
        with psycopg.connect(pg_server.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}{template}")
        made.append(name)
        return str(pg_server.url(db=name))

    yield make
    with psycopg.connect(pg_server.url(), autocommit=True) as admin:
        for name in made:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
