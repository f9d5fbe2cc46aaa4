"""A word-wrapped label that never shows a cut line: when its height allows fewer lines than the
text needs, it shows the lines that fit, the last one ending in "…", and the whole text as its
tooltip (a plain ``QLabel`` squeezed by its layout clips a line in half)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent, QTextLayout
from PySide6.QtWidgets import QLabel, QSizePolicy, QStackedWidget, QVBoxLayout, QWidget


class ElidedLabel(QLabel):
    """Plain text, wrapped, elided to the lines its height holds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._fit()

    def minimumSizeHint(self) -> QSize:  # one line, whatever the text's length
        return QSize(super().minimumSizeHint().width(), self.fontMetrics().lineSpacing())

    def sizeHint(self) -> QSize:
        width = max(self.width(), 100)
        return QSize(super().sizeHint().width(), len(self._lines(width)) * self.fontMetrics().lineSpacing())

    def hasHeightForWidth(self) -> bool:
        return False  # the layout may give fewer lines than the text wants: they are elided, not cut

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _lines(self, width: int) -> list[str]:
        layout = QTextLayout(self._full, self.font())
        layout.beginLayout()
        lines: list[str] = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(self._full[line.textStart() : line.textStart() + line.textLength()])
        layout.endLayout()
        return lines or [""]

    def _fit(self) -> None:
        metrics = QFontMetrics(self.font())
        width = max(self.contentsRect().width(), 1)
        lines = self._lines(width)
        room = max(1, self.contentsRect().height() // metrics.lineSpacing())
        if len(lines) <= room:
            shown = self._full
            self.setToolTip("")
        else:
            kept = [ln.rstrip() for ln in lines[: room - 1]]
            rest = " ".join(ln.strip() for ln in lines[room - 1 :])
            kept.append(metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width))
            shown = "\n".join(kept)
            self.setToolTip(self._full)
        if shown != super().text():
            super().setText(shown)


class SqueezableStack(QStackedWidget):
    """A stack whose height is not worked out from its pages' preferred heights.

    In a resizable scroll area, a widget with height-for-width (any word-wrapped label makes its page
    have it) is given the height its layout prefers at that width, and an :class:`ElidedLabel` prefers
    all its lines: a long fact's store wording made the composer's detail scroll, the Revert and Apply
    buttons below the fold, instead of eliding the wording.  Without it the scroll area gives the
    stack the room it has, and scrolls only below the pages' minimum."""

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return False

    def holder(self) -> QWidget:
        """The widget to put in the scroll area: it asks its own layout, not the stack, for height-for-width."""
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self)
        return box
