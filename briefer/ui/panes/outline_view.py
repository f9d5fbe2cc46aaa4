"""The composer's outline view (drag and drop, keyboard moves) and the first-start panel of an empty briefing."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from briefer.ui import icons
from briefer.ui.outline_model import FACTS_MIME


class FirstStartPanel(QFrame):
    """What a new, empty briefing offers: a template's sections filled from the store, or an empty
    outline to fill from the library.  Facts dropped on it go into the briefing as on the outline."""

    factsDropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FirstStartPanel")
        self.setAccessibleName("Start a briefing")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAcceptDrops(True)
        title = QLabel("<b>Start your briefing</b>")
        self.template_button = QPushButton(icons.icon("template"), "Start from a &template\u2026")
        self.template_button.setToolTip("A template's sections, filled with the store's current facts; "
                                        "edit them from there")
        self.template_button.setAccessibleName("Start from a template")
        self.empty_button = QPushButton(icons.icon("new"), "Start &empty")
        self.empty_button.setToolTip("An empty outline: search the library and add facts (Enter adds the "
                                     "first result, Add all shown adds the whole list)")
        self.empty_button.setAccessibleName("Start empty")
        for b in (self.template_button, self.empty_button):
            b.setMinimumHeight(b.sizeHint().height() + 10)
        hint = QLabel("Or search the library on the left and press Enter to add the first result; "
                      "double-click or drag a fact here.")
        hint.setWordWrap(True)
        hint.setEnabled(False)
        lay = QVBoxLayout(self)
        lay.addStretch(1)
        lay.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        lay.addSpacing(6)
        lay.addWidget(self.template_button)
        lay.addWidget(self.empty_button)
        lay.addSpacing(6)
        lay.addWidget(hint)
        lay.addStretch(2)

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802
        if event.mimeData().hasFormat(FACTS_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802
        import json

        ids = json.loads(bytes(event.mimeData().data(FACTS_MIME).data()).decode())
        event.acceptProposedAction()
        self.factsDropped.emit(ids)


class OutlineView(QTreeView):
    """The outline tree: drag to reorder, drop facts from the library."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setAccessibleName("Briefing outline")
        from briefer.ui.panes.outline_delegate import OutlineDelegate

        # a section row: its count and empty mark stay whole, the title is elided
        # (held here too: a delegate only Qt holds loses its Python methods to the garbage collector)
        self.delegate = OutlineDelegate(self)
        self.setItemDelegate(self.delegate)
        self.setToolTip("The briefing: sections and their facts and paragraphs.\n"
                        "Drag or Alt+Up/Down to reorder; F2 or double-click to reword; Delete to remove.")

    def dragEnterEvent(self, event: Any) -> None:
        if event.mimeData().hasFormat(FACTS_MIME):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            return
        super().dragEnterEvent(event)

    def dragMoveEvent(self, event: Any) -> None:
        super().dragMoveEvent(event)
        if event.mimeData().hasFormat(FACTS_MIME):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
