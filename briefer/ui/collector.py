"""Python's cycle collector runs on the GUI thread only.

CPython collects reference cycles in whichever thread happens to allocate when a generation fills
up, and in Briefer that is usually a worker: the library search, the conflict scan, an export.  A
Qt object that Python owns (a window or dialog without a parent, a task's signal object), once it
is left in a cycle, is then destroyed by that worker: its C++ destructor stops timers and
disconnects signals that belong to the GUI thread, and the process dies with "Segmentation fault"
during garbage collection, or later on the GUI thread ("QObject::killTimer: Timers cannot be
stopped from another thread").  Measured here: the test suite crashed that way about one run in
eight, and every run when a thread triggers collections often.

So :func:`install` turns automatic collection off and a GUI-thread timer runs it instead, with the
interpreter's own thresholds: a generation is collected once its count passes its threshold, the
oldest one at most every few seconds (a full pass over a large heap takes a while).  Garbage made
by workers waits at most one tick.  Reference counting, which frees everything not in a cycle,
is unchanged.

At the window's start the collector waits (:func:`hold`) until the library is filled
(:func:`release`): what the start allocates is nearly all kept for the whole session (modules,
classes, widgets), so the passes over it found next to nothing and took ~17 M instructions, a
twentieth of the start.  The release moves what exists then to the permanent generation
(``gc.freeze``), which later full passes do not walk again; cycles made before it are not
collected.  A hold ends by itself after :data:`HOLD_MAX_S` (a first start seeding the store).
"""

from __future__ import annotations

import gc
import threading
import time
from typing import Any

#: how often the GUI thread looks at the collector's counts (milliseconds)
TICK_MS = 100
#: at most one full collection this often (seconds)
FULL_EVERY_S = 2.0

_collector: Any = None
#: the hold's end (time.monotonic()), or None: collections run
_held_until: float | None = None
#: the longest a hold lasts (seconds)
HOLD_MAX_S = 10.0


def hold(seconds: float = HOLD_MAX_S) -> None:
    """No collection (automatic or by the timer) until :func:`release`, or ``seconds`` from now."""
    global _held_until
    gc.disable()
    _held_until = time.monotonic() + seconds


def release(*, freeze: bool = True) -> None:
    """End a :func:`hold`: with ``freeze``, what exists now is moved to the permanent generation and is
    not walked by later collections (``gc.freeze``).  Nothing without a hold."""
    global _held_until
    if _held_until is None:
        return
    _held_until = None
    if freeze:
        gc.freeze()


def install(app: Any = None) -> None:
    """Collect cycles on the GUI thread from now on (idempotent).  Call on the GUI thread once the
    QApplication exists."""
    global _collector
    if _collector is not None:
        return
    from PySide6.QtCore import QCoreApplication, QObject, QTimer

    app = app or QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install() needs a QApplication")
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("install() must run on the GUI thread")

    class _Collector(QObject):
        def __init__(self, parent: QObject) -> None:
            super().__init__(parent)
            self.last_full = time.monotonic()
            self.timer = QTimer(self)
            self.timer.setInterval(TICK_MS)
            self.timer.timeout.connect(self.tick)
            self.timer.start()

        def tick(self) -> None:
            collect_due(self)

    gc.disable()
    _collector = _Collector(app)


def collect_due(state: Any) -> int | None:
    """Collect the oldest generation whose count has passed its threshold (as the interpreter
    would at an allocation); returns the generation collected, or None."""
    if _held_until is not None:
        if time.monotonic() < _held_until:
            return None
        release(freeze=False)
    counts = gc.get_count()
    thresholds = gc.get_threshold()
    if thresholds[0] <= 0 or counts[0] < thresholds[0]:
        return None
    generation = 0
    if counts[1] >= thresholds[1]:
        generation = 1
        now = time.monotonic()
        if counts[2] >= thresholds[2] and now - state.last_full >= FULL_EVERY_S:
            generation = 2
            state.last_full = now
    gc.collect(generation)
    return generation


def tick() -> int | None:
    """Run the collector's check now (on the GUI thread), e.g. where no event loop runs for a while;
    returns the generation collected, or None."""
    if _collector is None or threading.current_thread() is not threading.main_thread():
        return None
    return collect_due(_collector)
