"""The Qt binding that pyproject.toml allows keeps Python's reference counts.

PySide6 6.12.0 on Python 3.11 loses one reference to ``None`` (or ``True``/``False``) at every
``processEvents()``, ``QEventLoop.exec()`` and ``Signal.emit()``: after a few thousand the window
aborts with "none_dealloc: deallocating None".  Briefer once patched the counts at start-up; the
pin now excludes that release, and this test fails on any binding that does it again.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Signal

CALLS = 200


class _Emitter(QObject):
    fired = Signal(int)


def _counts() -> tuple[int, int, int]:
    return sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)


def _exec_loop() -> None:
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    loop.exec()


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None, True and False are immortal from Python 3.12")
@pytest.mark.parametrize("call", ["processEvents", "QEventLoop.exec", "Signal.emit"])
def test_qt_calls_do_not_lose_references_to_none_true_false(qapp, call: str) -> None:  # noqa: ANN001
    emitter = _Emitter()
    emitter.fired.connect(lambda _n: None)
    run = {"processEvents": QCoreApplication.processEvents, "QEventLoop.exec": _exec_loop,
           "Signal.emit": lambda: emitter.fired.emit(1)}[call]
    run()  # first-call caches
    before = _counts()
    for _ in range(CALLS):
        run()
    lost = [b - a for b, a in zip(before, _counts(), strict=True)]
    # a few references come and go with the interpreter's own caches; a leak per call is CALLS
    assert max(lost) < CALLS // 2, f"{call} lost references to None/True/False: {lost}"
