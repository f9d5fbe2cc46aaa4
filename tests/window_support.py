"""Opening the real main window in a test, and shutting down whatever a test left open."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from briefer.ui.mainwindow import MainWindow

TODAY = date(2025, 11, 1)

#: windows opened by a test, shut down by :func:`shut_windows` (not qtbot, which would close them
#: and prompt to save)
OPEN: list[MainWindow] = []


@pytest.fixture(autouse=True)
def shut_windows():  # noqa: ANN201
    """Whatever a test left open is shut down (worker threads stopped) before the next one."""
    yield
    while OPEN:
        w = OPEN.pop()
        if w.store is not None:
            if w.doc is not None:
                w.doc._unsaved_origin = False
                w.doc.undo.setClean()
            w.shutdown()
        w.hide()
        w.deleteLater()


def open_window(qtbot, data_dir: Path, file: Path | None = None) -> MainWindow:  # noqa: ANN001
    w = MainWindow(data_dir, file=file, today=TODAY)
    OPEN.append(w)
    w.show()
    with qtbot.waitSignal(w.ready, timeout=30000):
        w.start()
    return w
