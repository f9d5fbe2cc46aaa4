"""A row of buttons that wraps onto a second line in a narrow pane instead of widening the pane.

A plain ``QHBoxLayout`` of buttons is as wide as all its buttons together, and that sum becomes the
pane's minimum: in a window 800 px wide the library's and the briefing's button rows held the splitter
so that the preview was left ~140 px.  A :class:`ButtonRow` is only as wide, at least, as its widest
button; where its buttons do not fit side by side, the last ones move to the next line (each one
whole: no button is cut or squeezed below its size)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class _FlowLayout(QLayout):
    """Items in a line, aligned right (or left), wrapping onto more lines when the width is short.

    It does not override ``expandingDirections``: the binding would build the ~95 enums of Qt's
    namespace to convert its answer (a ``Qt.Orientation``) when the window is first laid out.  Qt's
    default says the layout may grow both ways, so a row in a column without stretch can be given
    spare height; the rows' columns give the stretch to their lists and editors instead."""

    def __init__(self, parent: QWidget | None = None, *, right: bool = True) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._right = right
        self.setContentsMargins(0, 0, 0, 0)

    # -- QLayout ---------------------------------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        """All on one line."""
        shown = self._shown()
        m = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in shown) + self.spacing() * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        """The widest button: the others go onto lines of their own."""
        m = self.contentsMargins()
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.sizeHint())
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def spacing(self) -> int:
        own = super().spacing()  # the style's layout spacing (Fusion: 6 px)
        if own >= 0:
            return own
        # a style that spaces by the kinds of control (macOS) gives -1 above
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QSizePolicy

        parent = self.parentWidget()
        return parent.style().layoutSpacing(QSizePolicy.ControlType.PushButton, QSizePolicy.ControlType.PushButton,
                                            Qt.Orientation.Horizontal) if parent else 6

    # -- placing ---------------------------------------------------------------------------------------
    def _shown(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        lines: list[list[QLayoutItem]] = []
        used = 0
        for item in self._shown():
            w = item.sizeHint().width()
            if lines and used + self.spacing() + w <= width:
                lines[-1].append(item)
                used += self.spacing() + w
            else:
                lines.append([item])
                used = w
        return lines

    def _place(self, rect: QRect, *, apply: bool) -> int:
        m = self.contentsMargins()
        inner = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = inner.y()
        for line in self._lines(inner.width()):
            height = max(i.sizeHint().height() for i in line)
            if apply:
                width = sum(i.sizeHint().width() for i in line) + self.spacing() * (len(line) - 1)
                x = inner.x() + max(0, inner.width() - width) if self._right else inner.x()
                for item in line:
                    hint = item.sizeHint()
                    item.setGeometry(QRect(QPoint(x, y + (height - hint.height()) // 2), hint))
                    x += hint.width() + self.spacing()
            y += height + self.spacing()
        return y - self.spacing() - rect.y() + m.bottom() if y > inner.y() else m.top() + m.bottom()


class ButtonRow(QWidget):
    """Buttons side by side, aligned right (or left), that wrap onto more lines rather than force the
    pane wider than its widest button."""

    def __init__(self, *buttons: QWidget, right: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flow = _FlowLayout(self, right=right)
        for b in buttons:
            self.flow.addWidget(b)
        # its height follows its width: QWidget.hasHeightForWidth() asks the layout (_FlowLayout says
        # so), whatever the size policy says
