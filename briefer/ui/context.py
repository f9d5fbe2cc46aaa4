"""What a dialog needs from the window, as a small typed value instead of the window itself.

A dialog given a :class:`WindowContext` can reach the store, the data folder, the day and the
freshness horizon, report a crash (autosave first) and say the store changed -- and nothing else
of the window, so it can be built and tested without one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any


def _no_crash_handler(exc: BaseException, details: str) -> None:
    raise exc


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class WindowContext:
    #: the open fact store (GUI thread); workers open their own with ``store.reopen``
    store: Any
    data_dir: Path
    #: the day the window judges freshness and dates exports by (None: today)
    today: date | None = None
    #: the freshness horizon in months (the user's preference)
    horizon_months: int = 12
    #: autosave the briefing, then show the crash dialog (a bug reached the dialog)
    show_crash: Callable[[BaseException, str], None] = _no_crash_handler
    #: the dialog changed the store: the window refreshes the library and the briefing
    store_changed: Callable[[], None] = _nothing
