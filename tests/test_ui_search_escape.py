"""Esc in the library's search box empties it and lists everything again (a stray "fm" had left
"0 facts match" with no key to undo it); an empty box passes Esc on."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from window_support import open_window, shut_windows  # noqa: F401 - autouse


def test_escape_clears_the_search(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    lib = w.library
    qtbot.waitUntil(lambda: lib.last_result is not None, timeout=10000)
    everything = lib.fact_model.rowCount()
    lib.search.setFocus()
    qtbot.keyClicks(lib.search, "zzqx")
    qtbot.waitUntil(lambda: lib.last_result.query.text == "zzqx", timeout=10000)
    assert lib.fact_model.rowCount() == 0
    qtbot.keyClick(lib.search, Qt.Key.Key_Escape)
    assert lib.search.text() == "" and lib.search.hasFocus()
    qtbot.waitUntil(lambda: lib.last_result.query.text == "", timeout=10000)
    assert lib.fact_model.rowCount() == everything
