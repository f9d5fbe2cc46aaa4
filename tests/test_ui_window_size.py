"""The first window fits the screen it opens on (a 1440×900 window on a 1024×640 laptop put the preview,
the inspector, the status bar and the window's own close button off the screen)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QGuiApplication

import briefer.ui.window_size as window_size
from briefer.ui.window_size import first_size


class _Screen:
    def __init__(self, free: QRect) -> None:
        self.free = free

    def availableGeometry(self) -> QRect:  # noqa: N802 - Qt's name
        return self.free


class _Window:
    def __init__(self, free: QRect) -> None:
        self._screen, self.size, self.at = _Screen(free), None, None

    def resize(self, w: int, h: int) -> None:
        self.size = QSize(w, h)

    def move(self, p: QPoint) -> None:
        self.at = p


@pytest.mark.parametrize("free, size, at", [
    (QRect(0, 0, 1920, 1040), QSize(1440, 900), None),  # room enough: the usual first size, where Qt puts it
    (QRect(0, 0, 1024, 640), QSize(1024, 640), QPoint(0, 0)),
    (QRect(0, 27, 800, 573), QSize(800, 573), QPoint(0, 27)),  # below a top panel of 27 px
    (QRect(0, 0, 1366, 728), QSize(1366, 728), QPoint(0, 0)),
])
def test_the_first_window_fits_the_screen_s_free_area(qapp, monkeypatch, free, size, at) -> None:  # noqa: ANN001
    monkeypatch.setattr(QGuiApplication, "platformName", staticmethod(lambda: "xcb"))
    monkeypatch.setattr(window_size, "screen_of", lambda window: window._screen)
    w = _Window(free)
    first_size(w)
    assert w.size == size and w.at == at


def test_offscreen_keeps_the_size_tests_and_benchmarks_measure(qapp, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(window_size, "screen_of", lambda window: window._screen)
    w = _Window(QRect(0, 0, 800, 800))  # the offscreen platform's screen
    first_size(w)
    assert w.size == QSize(1440, 900)
