"""Two analysts on one team library, the window's side (issue 15, points 2 and 4 and the last fault):
a colleague's edit from another process reaches the open window as it is committed — the library
refreshes keeping the selection and the scroll, the briefing marks the fact as a reopened file
would, an open fact editor learns of it — with no timer polling; an edit of the old version shows
both side by side; and when the server goes away the window keeps the briefing, says so in a bar,
and Retry brings the library and the live updates back."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSocketNotifier, QTimer
from window_support import open_window, shut_windows  # noqa: F401 - the fixture shuts the windows

from briefer.ui.curation import FactEditorDialog
from briefer.ui.curation.version_conflict import VersionConflictDialog

pytestmark = pytest.mark.postgres

REPO = Path(__file__).resolve().parents[1]
FID = "hq-established-sept-1"
OTHER = "hq-first-formal-meeting"
NEW = "Japan's AI Strategy Headquarters was set up on 1 September 2025 within the Cabinet, a colleague found."


@pytest.fixture
def team(pg_database, monkeypatch, tmp_path):  # noqa: ANN001, ANN201
    """A seeded team library the window opens (BRIEFER_STORE), as analyst Ana; Bob works as the same
    database user (the cluster's superuser), from another process."""
    url = pg_database("seeded")
    monkeypatch.setenv("BRIEFER_STORE", url)
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana")
    return url


def colleague(url: str, tmp_path: Path, *argv: str) -> None:
    """Bob, in another process (his own data folder), runs a briefer command on the team library."""
    env = {**os.environ, "BRIEFER_ANALYST": "Bob", "BRIEFER_STORE": url}
    p = subprocess.run([sys.executable, "-m", "briefer", "--data-dir", str(tmp_path / "bob"), *argv],
                       capture_output=True, text=True, timeout=120, env=env, cwd=REPO)
    assert p.returncode == 0, p.stderr


def _library_statement(w: Any, fid: str) -> str | None:
    model = w.library.fact_model
    row = model.row_of(fid)
    return model.fact_at(row).statement if row >= 0 else None


def _outline_text(w: Any, fid: str) -> str:
    model = w.doc.model
    for s in range(model.rowCount()):
        sec = model.index(s, 0)
        for r in range(model.rowCount(sec)):
            idx = model.index(r, 0, sec)
            if idx.data(model.FactIdRole) == fid:
                return str(idx.data())
    raise AssertionError(f"{fid} is not in the outline")


def _first_fact_ids(w: Any, qtbot: Any, n: int) -> list[str]:
    qtbot.waitUntil(lambda: w.library.fact_model.rowCount() > n, timeout=20000)
    return [w.library.fact_model.fact_at(r).id for r in range(n)]


def test_a_colleagues_edit_reaches_the_open_window_live_and_marks_the_briefing(qtbot, team, data_dir, tmp_path,
                                                                               pg_server) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    w.add_facts([FID])
    # the analyst has picked two rows and scrolled the list
    ids = _first_fact_ids(w, qtbot, 8)
    picked = [ids[5], ids[6]]
    w.library.facts.selectionModel().clearSelection()
    for fid in picked:
        row = w.library.fact_model.row_of(fid)
        w.library.facts.selectionModel().select(
            w.library.fact_model.index(row, 0),
            w.library.facts.selectionModel().SelectionFlag.Select | w.library.facts.selectionModel().SelectionFlag.Rows)
    bar = w.library.facts.verticalScrollBar()
    bar.setValue(min(bar.maximum(), 3))
    scrolled = bar.value()

    colleague(team, tmp_path, "facts", "edit", FID, "--statement", NEW)

    qtbot.waitUntil(lambda: _library_statement(w, FID) == NEW and FID in w.doc.store_notes, timeout=20000)
    assert sorted(w.library.selected_fact_ids()) == sorted(picked)  # the selection and the scroll stay
    assert bar.value() == scrolled
    # the same sentence a reopened briefing file gives, naming the colleague
    note = w.doc.store_notes[FID]
    assert note.startswith(f"fact {FID} was reworded in the store by {pg_server.superuser} (Bob) at ")
    assert w.live.bar.isVisible()
    assert "The team library changed while this briefing was open:" in w.live.bar.text()
    assert "[changed in the store]" in _outline_text(w, FID)
    assert w.doc.facts[FID].statement == NEW  # the briefing (and its preview) use the new wording
    # pushed, not polled: a socket notifier on the listener's connection, no timer anywhere in it
    notifiers = w.live.findChildren(QSocketNotifier)
    assert len(notifiers) == 1 and notifiers[0].isEnabled()
    assert w.live.findChildren(QTimer) == []


def test_the_windows_own_edits_are_not_marked_as_a_colleagues(qtbot, team, data_dir, tmp_path,
                                                              monkeypatch) -> None:  # noqa: ANN001
    from briefer.domain import curation

    w = open_window(qtbot, data_dir)
    w.add_facts([FID])
    seen: list[Any] = []
    w.live.applied.connect(seen.extend)
    curation.change_fact(w.store, FID, analyst="Ana", priority=2)  # this window's own edit
    w.store_changed()
    colleague(team, tmp_path, "facts", "edit", OTHER, "--priority", "2")  # then Bob's, of another fact
    qtbot.waitUntil(lambda: any(c.id == OTHER for c in seen), timeout=20000)
    assert [c.id for c in seen] == [OTHER]  # the window's own change was recognised and left alone
    assert w.doc.store_notes == {}
    assert not w.live.bar.isVisible()


def test_an_open_fact_editor_learns_of_the_change_and_saving_shows_both(qtbot, team, data_dir, tmp_path,
                                                                        monkeypatch, pg_server) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    dialog = FactEditorDialog(w.store, FID, parent=w)
    w.live.recordChanged.connect(dialog.record_changed)
    dialog.show()
    colleague(team, tmp_path, "facts", "edit", FID, "--statement", NEW)
    qtbot.waitUntil(lambda: "changed this fact" in dialog.message.text(), timeout=20000)
    assert dialog.message.text().startswith(f"\u26a0 {pg_server.superuser} (Bob) changed this fact at ")

    shown: list[VersionConflictDialog] = []

    def keep_yours(dlg: VersionConflictDialog) -> int:
        shown.append(dlg)
        dlg.yours_button.click()
        return int(dlg.result())

    monkeypatch.setattr(VersionConflictDialog, "exec", keep_yours)
    mine = "Japan's AI Strategy Headquarters was established on 1 September 2025, Ana checked."
    dialog.statement_edit.setPlainText(mine)
    assert dialog.save()
    assert shown[0].head.text().startswith(f"<b>{pg_server.superuser} (Bob) saved fact ")
    assert w.store.fact(FID).statement == mine
    history = w.store.history(FID)
    assert [h["after"]["statement"] for h in history[-2:]] == [NEW, mine]  # theirs kept in the history
    assert history[-1]["analyst"] == "Ana"
    dialog.close()


def _terminate_window_connections(pg_server: Any, url: str) -> None:
    db = url.rsplit("/", 1)[1]
    pg_server.psql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'"
                   " AND pid <> pg_backend_pid()")


def test_a_lost_server_keeps_the_briefing_and_retry_brings_the_library_back(qtbot, team, data_dir, tmp_path,
                                                                           pg_server) -> None:  # noqa: ANN001
    from briefer.ui import undo_steps

    w = open_window(qtbot, data_dir)
    w.add_facts([FID])
    with qtbot.waitSignal(w.connection.lostConnection, timeout=20000):
        _terminate_window_connections(pg_server, team)
    # a bar, not a message box; the briefing and its editing stay
    assert w.connection.bar.isVisible()
    assert w.connection.bar.text().startswith(f"<b>The team library at 127.0.0.1:{pg_server.port} is unreachable.</b>")
    assert w.connection.bar.button.text() == "&Retry"
    assert w.doc.briefing.fact_ids() == [FID]
    assert w.composer.isEnabled() and w.save_action.isEnabled()
    assert not w.library.isEnabled()
    assert not (w.export_action.isEnabled() or w.edit_fact_action.isEnabled() or w.add_action.isEnabled())
    w.doc.undo.push(undo_steps.SetCover(w.doc, "title", "Briefing kept while the server was away", "title"))
    saved = w.files.autosave()  # autosave goes on as always
    assert saved is not None and "Briefing kept while the server was away" in saved.read_text(encoding="utf-8")
    # and Save writes the file, its facts snapshotted from what the window holds
    assert w.files.write(tmp_path / "kept.briefing.json")
    import json

    kept = json.loads((tmp_path / "kept.briefing.json").read_text(encoding="utf-8"))
    assert kept["briefing"]["cover"]["title"] == "Briefing kept while the server was away"
    assert set(kept["facts"]) == {FID}

    assert w.connection.retry()
    assert not w.connection.bar.isVisible()
    assert w.library.isEnabled() and w.export_action.isEnabled()
    assert w.doc.briefing.cover.title == "Briefing kept while the server was away"
    assert w.live.active  # and the live updates listen again:
    colleague(team, tmp_path, "facts", "edit", FID, "--statement", NEW)
    qtbot.waitUntil(lambda: FID in w.doc.store_notes, timeout=20000)


def _pg_ctl(server: Any, *args: str) -> None:
    import pg_cluster

    owner = "postgres" if os.geteuid() == 0 else None
    cmd = pg_cluster._as_owner([pg_cluster.find_bin("pg_ctl"), "-D", str(Path(server.folder) / "data"), *args], owner)
    out = subprocess.run(cmd, capture_output=True, text=True, env=pg_cluster._env(), check=False, timeout=120)
    assert out.returncode == 0, out.stderr


def test_a_stopped_server_keeps_the_window_waiting_until_it_is_back(qtbot, data_dir, monkeypatch) -> None:  # noqa: ANN001
    """The server itself goes down (its own throwaway cluster): Retry says it is still unreachable, and
    works once the server is started again."""
    import contextlib

    import pg_cluster
    import psycopg

    from briefer.ingest.factpack import open_store

    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(pg_cluster.cluster())
        except pg_cluster.ClusterUnavailable as exc:
            pytest.skip(f"PostgreSQL unavailable: {exc}")
        stack.callback(_shut_windows_now)  # the window's connections go before the cluster does
        with psycopg.connect(server.url(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE team")
        url = server.url(db="team")
        open_store(data_dir.parent / "setup", location=url).close()
        monkeypatch.setenv("BRIEFER_STORE", url)
        w = open_window(qtbot, data_dir)
        w.add_facts([FID])
        with qtbot.waitSignal(w.connection.lostConnection, timeout=30000):
            _pg_ctl(server, "-m", "fast", "-w", "stop")
        assert not w.connection.retry()  # still down: it says so, and keeps waiting
        assert w.connection.bar.isVisible()
        assert "is still unreachable</b>" in w.connection.bar.text()
        assert w.doc.briefing.fact_ids() == [FID]
        opts = (f"-p {server.port} -k {server.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        _pg_ctl(server, "-l", str(Path(server.folder) / "server.log"), "-o", opts, "-w", "-t", "60", "start")
        assert w.connection.retry()
        assert not w.connection.bar.isVisible() and w.library.isEnabled() and w.live.active
        assert w.store.fact(FID).id == FID


def _shut_windows_now() -> None:
    from window_support import OPEN

    while OPEN:
        win = OPEN.pop()
        if win.doc is not None:
            win.doc._unsaved_origin = False
            win.doc.undo.setClean()
        win.shutdown()
        win.hide()
        win.deleteLater()
