"""The library's fact list view: a tree view that tells its pane when its viewport changes size, and drags
the selected facts itself; and the search box above it, whose Down key moves into the list.

The pane once watched ``view.viewport()`` with an event filter.  The first call of ``viewport()``
(a ``QWidget *`` made by Qt, not by Python) makes the binding search every widget class for the
object's type, building ~50 Python classes and their enums (the dialogs', the wizards', the graphics
view's: ~50 M instructions, a twentieth of the window's start) that nothing on the way to a filled
library uses.  :class:`QAbstractScrollArea` hands the viewport's resize events to ``resizeEvent``
(after the viewport has its new geometry), so the view reports them itself and keeps the width.

Qt's own drag asks the model for each row's ``flags()``, and a Python ``flags()`` returns a
``Qt.ItemFlag``: the first row painted would then build the Python classes of the ~95 enums of Qt's
namespace (~100 M instructions).  The model keeps Qt's default flags (enabled, selectable), and the
view starts the drag: a left press on a row, then a move of the start-drag distance, drags the
selected rows (the pressed row alone if it was not selected), as Qt's drag does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLineEdit, QStyleOptionViewItem, QTreeView

from briefer.ui.qt_names import KEY_DOWN, KEY_ESCAPE


class FactView(QTreeView):
    #: the viewport has a new size (its width: :meth:`viewport_width`)
    viewportResized = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._viewport_width: int | None = None
        #: run once the list has next been painted (after_next_paint)
        self._after_paint: list[Callable[[], None]] = []
        #: where a left press on a row was (a drag may start from it), in viewport coordinates
        self._press: QPoint | None = None

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

    # -- dragging facts to the briefing --------------------------------------------------------

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        from PySide6.QtCore import Qt

        pos = event.position().toPoint()
        on_row = event.button() == Qt.MouseButton.LeftButton and self.indexAt(pos).isValid()
        self._press = pos if on_row and self.dragEnabled() else None
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        from PySide6.QtCore import Qt

        press = self._press
        if press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            super().mouseMoveEvent(event)
            return
        if (event.position().toPoint() - press).manhattanLength() < QApplication.startDragDistance():
            return  # not a drag yet, and not a drag-select: the press picked the row
        self._press = None
        pressed = self.indexAt(press).row()
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        self._drag(rows if pressed in rows else [pressed], press)

    def mouseReleaseEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        self._press = None
        super().mouseReleaseEvent(event)

    def _drag(self, rows: list[int], press: QPoint) -> None:
        """Drag ``rows``' facts (the model's mime data) as a copy, showing the pressed row."""
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QDrag

        model = self.model()
        rows = [r for r in rows if 0 <= r < model.rowCount()]
        if not rows:
            return
        drag = QDrag(self)
        drag.setMimeData(model.mimeData([model.index(r, 0) for r in rows]))
        # the pressed row, across the list's width, under the pointer
        row = self.visualRect(self.indexAt(press))
        row.setLeft(0)
        row.setRight(self.viewport().width() - 1)
        pixmap = self.viewport().grab(row)
        if not pixmap.isNull():
            drag.setPixmap(pixmap)
            drag.setHotSpot(press - row.topLeft())
        drag.exec(Qt.DropAction.CopyAction)


class SearchField(QLineEdit):
    """The library's search box: Down moves into the results (``downPressed``).  Its own key handler, not
    an event filter: a filter would be handed every event the box gets (its paint, focus and input-method
    events), and the binding would build a Python class for each kind on the way to a filled library."""

    downPressed = Signal()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if event.key() == KEY_DOWN:
            self.downPressed.emit()
            return
        if event.key() == KEY_ESCAPE and self.text():  # Esc empties the search, as its clear button does
            self.clear()
            return
        super().keyPressEvent(event)
