"""Keep PySide6 6.12 from crashing Python 3.11.

PySide6 6.12's bindings drop a reference to ``None``/``True``/``False`` they
return from some calls (measured here: every ``processEvents()``,
``QEventLoop.exec()``, ``QTest.qWait()`` and ``Signal.emit()``), as if those
objects were immortal, which they are only from Python 3.12.  After a few
thousand such calls Python aborts with "none_dealloc: deallocating None" (or
"bool_dealloc").  On CPython < 3.12 we give the three singletons a huge
reference count, so the stray decrements can never reach zero.  They are
never freed anyway, so this changes nothing else.
"""

from __future__ import annotations

import sys

_BUMP = 1 << 40
_applied = False


def apply() -> bool:
    global _applied
    if _applied:
        return True
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12) or hasattr(sys, "gettotalrefcount"):
        return False  # immortal singletons (3.12+), or a debug build with another object layout
    import ctypes

    for obj in (None, True, False):
        before = sys.getrefcount(obj)
        cell = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt is PyObject's first field
        if abs(cell.value - before) > 16:  # not the layout we expect: leave it alone
            return False
        cell.value += _BUMP
    _applied = True
    return True
