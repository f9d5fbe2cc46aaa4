"""Starting the window: the application object, the exception hook, the first paint."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any


def has_display() -> bool:
    """False on a Linux/BSD machine with no display server and no QT_QPA_PLATFORM chosen."""
    import os

    if sys.platform.startswith(("win", "darwin")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))


def make_app(argv: list[str] | None = None) -> Any:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        # Qt 6 scales by the screen's exact factor (PassThrough) and draws SVG icons sharp on high-DPI
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    from briefer.ui import collector

    collector.install(app)  # cycles are collected on this thread, never by a worker
    QCoreApplication.setApplicationName("Briefer")
    QCoreApplication.setOrganizationName("Briefer")
    QGuiApplication.setDesktopFileName("io.briefer.Briefer")  # the installed .desktop entry (Wayland app id)
    from briefer import __version__

    QCoreApplication.setApplicationVersion(__version__)
    from briefer import resources

    try:
        icon = resources.resource("icons", "briefer.svg")
    except FileNotFoundError:
        icon = None
    if icon is not None and icon.exists():
        QApplication.setWindowIcon(QIcon(str(icon)))
    return app


def install_exception_hook(app: Any, window: Any) -> Any:
    """Make ``window.handle_exception`` the ``sys.excepthook`` (what a Qt slot raises reaches it):
    a :class:`~briefer.errors.KnownError` becomes a message, anything else (a
    :class:`~briefer.errors.BugError`) is autosaved and then shown in the crash dialog.  Returns the
    previous hook, to put back."""
    previous_hook = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            app.quit()
            return
        try:
            window.handle_exception(exc_type, exc, tb)
        except Exception:  # noqa: BLE001 - never let the hook itself take the window down
            previous_hook(exc_type, exc, tb)

    sys.excepthook = hook
    return previous_hook


def run(data_dir: Path, file: Path | None = None) -> int:
    """Show the window at once, open the store behind it, and run until the window closes."""
    from briefer.ui import collector

    collector.hold()  # until the library is filled (StoreSession), see briefer.ui.collector
    app = make_app()
    from briefer.ui.mainwindow import MainWindow

    window = MainWindow(data_dir, file=file)
    previous_hook = install_exception_hook(app, window)
    window.start_after_first_paint()
    window.show()
    try:
        return int(app.exec())
    finally:
        sys.excepthook = previous_hook
