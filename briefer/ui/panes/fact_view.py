"""The library's fact list view: a tree view that tells its pane when its viewport changes size.

The pane once watched ``view.viewport()`` with an event filter.  The first call of ``viewport()``
(a ``QWidget *`` made by Qt, not by Python) makes the binding search every widget class for the
object's type, building ~50 Python classes and their enums (the dialogs', the wizards', the graphics
view's: ~50 M instructions, a twentieth of the window's start) that nothing on the way to a filled
library uses.  :class:`QAbstractScrollArea` hands the viewport's resize events to ``resizeEvent``
(after the viewport has its new geometry), so the view reports them itself and keeps the width.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QStyleOptionViewItem, QTreeView


class FactView(QTreeView):
    #: the viewport has a new size (its width: :meth:`viewport_width`)
    viewportResized = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._viewport_width: int | None = None
        #: run once the list has next been painted (after_next_paint)
        self._after_paint: list[Callable[[], None]] = []

    def after_next_paint(self, callback: Callable[[], None], *, at_most_ms: int = 5000) -> None:
        """Run ``callback`` from the event loop once the list has next been painted (what the user sees is on
        screen first), at once when the list is not on screen, and after ``at_most_ms`` if no paint came."""
        if not self.isVisible() or self.window().isMinimized():
            QTimer.singleShot(0, self, callback)
            return
        done: list[bool] = []

        def once() -> None:
            if not done:
                done.append(True)
                callback()

        self._after_paint.append(once)
        QTimer.singleShot(at_most_ms, self, once)  # (not after the list is gone)

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name; the viewport's paint
        super().paintEvent(event)
        if self._after_paint:
            waiting, self._after_paint = self._after_paint, []
            for callback in waiting:
                QTimer.singleShot(0, self, callback)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name; the viewport's resize
        super().resizeEvent(event)
        self._viewport_width = event.size().width()
        self.viewportResized.emit()

    def viewport_width(self) -> int:
        """``viewport().width()``, as the last resize of the viewport left it (asked of the viewport
        itself only before it has had one: a view never shown)."""
        if self._viewport_width is None:
            return int(self.viewport().width())
        return self._viewport_width

    def small_icon_size(self) -> int:
        """The style's small icon size for this view (what it draws the status icons at), read the way the
        view reads it for its items, without building QStyle's ~600 enum members for
        ``QStyle.PixelMetric.PM_SmallIconSize`` on the way to a filled library."""
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        return int(option.decorationSize.width())
