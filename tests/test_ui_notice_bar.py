"""The notice bar (a team library unreachable, unreadable stored values, a colleague's changes) shows no
window of its own: its buttons were once made without a parent and set visible, so each showed for a
moment as a window of its own at the window's start, before the bar's layout took it in."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget
from window_support import open_window, shut_windows  # noqa: F401 - shut_windows: autouse

from briefer.ui.live_updates import NoticeBar


class _WindowsShown(QObject):
    """Every widget shown as a window of its own while installed on the application."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[QWidget] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow():
            self.shown.append(obj)
        return False


def _watching(qapp: QApplication) -> _WindowsShown:
    watch = _WindowsShown()
    qapp.installEventFilter(watch)
    return watch


def test_a_bar_with_its_buttons_shows_no_window_while_it_is_made(qtbot, qapp: QApplication) -> None:  # noqa: ANN001
    watch = _watching(qapp)
    try:
        bars = [NoticeBar("Team library unreachable", kind="error", action="&Retry", closable=False),
                NoticeBar("Store changes", kind="warning")]
    finally:
        qapp.removeEventFilter(watch)
    for bar in bars:
        qtbot.addWidget(bar)
        assert bar.button.parent() is bar and bar.close_button.parent() is bar and bar.label.parent() is bar
    assert watch.shown == []
    assert not any(w.isVisible() for w in qapp.topLevelWidgets())


def test_the_window_shows_no_other_window_at_its_start(qtbot, qapp: QApplication, data_dir: Path) -> None:  # noqa: ANN001
    watch = _watching(qapp)
    try:
        w = open_window(qtbot, data_dir)  # returns once the window is ready
    finally:
        qapp.removeEventFilter(watch)
    assert [type(s) for s in watch.shown if s is not w] == []
    assert all(isinstance(s, QMainWindow) for s in watch.shown)
    assert [t for t in qapp.topLevelWidgets() if t.isVisible() and t is not w] == []
