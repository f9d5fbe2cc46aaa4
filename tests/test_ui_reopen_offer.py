"""A start offers the briefing last worked on: the start panel has "Reopen “name”" for the newest recent
briefing file that still exists (a tester saved, quit and started again, and found only an empty
"Untitled briefing", the file two menus deep in File > Open recent)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QPushButton
from window_support import open_window, shut_windows  # noqa: F401 - autouse

from briefer.ui import filedialogs
from briefer.ui import settings as ui_settings


def test_the_start_panel_offers_the_last_briefing(qtbot, data_dir: Path, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    panel = w.composer.first_start
    ui_settings.clear_recent_files()
    w.set_doc(w.store_session.new_doc())
    assert not panel.reopen_button.isVisibleTo(panel)  # nothing to offer
    create = next(b for b in w.findChildren(QPushButton) if b.text().startswith("Create &briefing"))
    create.click()
    qtbot.waitUntil(lambda: w.doc is not None and bool(w.doc.briefing.sections), timeout=20000)
    target = tmp_path / "desk note.briefing.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: target)
    assert w.files.save_as() and target.exists()
    facts = w.doc.briefing.fact_ids()
    w.files.new_briefing()  # saved: asks nothing
    assert w.doc.path is None and panel.reopen_button.isVisibleTo(panel)
    assert panel.reopen_button.text() == "&Reopen \u201cdesk note\u201d"
    from test_ui_mnemonics import _clashes

    assert _clashes(w) == {}  # Alt+R is the offer's alone
    panel.reopen_button.click()
    assert w.doc.path == target and w.doc.briefing.fact_ids() == facts
    # a file that is gone is not offered
    w.files.new_briefing()
    target.unlink()
    w.set_doc(w.store_session.new_doc())
    assert not panel.reopen_button.isVisibleTo(panel)
