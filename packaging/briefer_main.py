"""Entry point of the frozen bundle: the same as ``briefer`` from a source checkout.

One addition for the bundle's smoke test (``packaging/smoke_test.sh``): when
``BRIEFER_SMOKE_QUIT_MS`` is set, the window is asked to close that many
milliseconds after the event loop starts, through the same path as the user
closing it, and the process exits with whatever status the window returns.
It reports the windows it saw on stderr, and with ``BRIEFER_SMOKE_SHOT=FILE``
saves a picture of the main window.  Without the variable nothing changes.
"""

from __future__ import annotations

import os
import sys


def _arm_smoke_quit(delay_ms: int) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    start_event_loop = QApplication.exec

    def close_after_delay() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        names = ", ".join(f"{type(w).__name__}({w.windowTitle()!r})" for w in shown) or "none"
        print(f"briefer-smoke: visible windows: {names}", file=sys.stderr, flush=True)
        shot = os.environ.get("BRIEFER_SMOKE_SHOT")
        if shot and shown:
            shown[0].grab().save(shot)

        def refused() -> None:
            left = [type(w).__name__ for w in QApplication.topLevelWidgets() if w.isVisible()]
            print(f"briefer-smoke: windows still open 15 s after closing: {left}", file=sys.stderr, flush=True)
            QApplication.exit(3)

        QTimer.singleShot(15000, refused)
        QApplication.closeAllWindows()

    def exec_with_timer(*_app: QApplication) -> int:
        QTimer.singleShot(delay_ms, close_after_delay)
        return start_event_loop()  # a static method: app.exec() and QApplication.exec() alike

    QApplication.exec = exec_with_timer  # type: ignore[method-assign]


def main() -> None:
    delay = os.environ.get("BRIEFER_SMOKE_QUIT_MS")
    if delay and delay.isdigit():
        _arm_smoke_quit(int(delay))
    from briefer.cli import run

    run()


if __name__ == "__main__":
    main()
