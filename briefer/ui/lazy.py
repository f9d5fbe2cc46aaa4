"""Modules the window's code uses, imported on first use.

Importing ``Qt`` builds Python classes for its ~100 enums (~30 ms), and the message boxes, file
dialogs and icons are not needed for the first paint: they wait until then.
"""

from __future__ import annotations

import importlib
from typing import Any


class _Lazy:
    """A module (or Qt's namespace) imported on first use."""

    def __init__(self, module: str, attr: str | None = None) -> None:
        self._module, self._attr = module, attr

    def __getattr__(self, name: str) -> Any:
        target = importlib.import_module(self._module)
        if self._attr:
            target = getattr(target, self._attr)
        return getattr(target, name)


Qt: Any = _Lazy("PySide6.QtCore", "Qt")
filedialogs: Any = _Lazy("briefer.ui.filedialogs")
html: Any = _Lazy("html")
icons: Any = _Lazy("briefer.ui.icons")
messages: Any = _Lazy("briefer.ui.messages")
