"""Qt objects that Python frees through the cycle collector are freed on the GUI thread, however
busy the workers are: a dialog destroyed by a worker's garbage collection crashes the process."""

from __future__ import annotations

import threading
import weakref

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout


class _InACycle(QDialog):
    def __init__(self) -> None:
        super().__init__()  # no parent: Python owns it
        QVBoxLayout(self).addWidget(QLineEdit())
        self.timer = QTimer(self)
        self.me = self  # only the cycle collector can free it


def _busy_worker() -> None:
    """What a search or the conflict scan does to the collector: allocate, and leave cycles."""
    for _ in range(50_000):
        a: list[object] = []
        a.append(a)


def test_a_dialog_in_a_cycle_is_freed_on_the_gui_thread_while_a_worker_allocates(qtbot) -> None:  # noqa: ANN001
    freed_on: list[str] = []
    dialog = _InACycle()
    weakref.finalize(dialog, lambda: freed_on.append(threading.current_thread().name))
    del dialog
    worker = threading.Thread(target=_busy_worker, name="worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)
    assert freed_on == [threading.main_thread().name]
