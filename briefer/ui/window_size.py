"""The window's sizes before the user sets them: its first size, and the panes' first widths."""

from __future__ import annotations

from typing import Any


def screen_of(widget: Any) -> Any:
    """The screen ``widget`` is on (its window's centre), else the primary screen; None without one.

    Never ``QWidget.screen()``: PySide6 6.11 makes the screen's wrapper a child of the widget's, and
    when that widget went (a closed template editor, a test's window) the binding deleted the screen
    Qt still listed; the next layout that asked for a screen crashed in ``QScreen::virtualSiblings``
    (a general protection fault after Save as template… and New, seen by a tester and by the suite)."""
    from PySide6.QtGui import QGuiApplication

    window = widget.window() if widget is not None else None
    found = QGuiApplication.screenAt(window.geometry().center()) if window is not None else None
    return found or QGuiApplication.primaryScreen()


def first_size(window: Any) -> None:
    """1440×900 at the first start, or the screen's free area when it is smaller (a 1024×640 laptop):
    never a window whose right edge, status bar and close button lie off the screen.  The offscreen
    platform (tests, benchmarks) has no screen a user sees, and keeps 1440×900."""
    from PySide6.QtGui import QGuiApplication

    screen = screen_of(window)
    if screen is None or QGuiApplication.platformName() == "offscreen":
        window.resize(1440, 900)
        return
    free = screen.availableGeometry()
    window.resize(min(1440, free.width()), min(900, free.height()))
    if free.width() < 1440 or free.height() < 900:
        window.move(free.topLeft())


def default_split(width: int) -> list[int]:
    """The library's, the briefing's and the preview's widths in a window ``width`` wide, until the user
    drags the splitter.  The library's list needs the room for a statement on two lines (issue 14: 40
    characters at 1024 px); below 1000 px the preview comes first, so that at 800 px it keeps a usable
    width (its panes' minimums allow it since their button rows wrap: briefer/ui/button_row.py)."""
    library, briefing = (0.28, 0.35) if width < 1000 else (0.34 if width >= 1200 else 0.38, 0.31)
    return [int(width * library), int(width * briefing), width - int(width * library) - int(width * briefing)]
