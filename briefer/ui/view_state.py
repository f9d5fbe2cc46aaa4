"""Keeping what the analyst looks at in a list while its rows are replaced: the selected rows (by
id, not by position), the current row and the scroll position.  The library keeps them when the
same search is answered again (the store changed: a dialog's edit, a colleague's live update)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtWidgets import QAbstractItemView

from briefer.model.plain import Plain


class ViewState(Plain):
    """A plain record (briefer.model.plain), not a dataclass: the library's module is imported for the
    window's start."""

    __slots__ = ("view", "role", "selected", "current", "scroll")
    _fields = __slots__
    view: QAbstractItemView
    role: int
    selected: list[str]
    current: str | None
    scroll: int

    def __init__(self, view: QAbstractItemView, role: int, selected: list[str], current: str | None,
                 scroll: int) -> None:
        self.view = view
        self.role = role
        self.selected = selected
        self.current = current
        self.scroll = scroll

    def restore(self, row_of: Any) -> None:
        """Select the same ids again (those still listed), make the same one current, scroll back."""
        model = self.view.model()
        sel = QItemSelection()
        for fid in self.selected:
            row = row_of(fid)
            if row >= 0:
                sel.select(model.index(row, 0), model.index(row, model.columnCount() - 1))
        selection = self.view.selectionModel()
        flag = QItemSelectionModel.SelectionFlag
        if self.current is not None and row_of(self.current) >= 0:
            selection.setCurrentIndex(model.index(row_of(self.current), 0), flag.NoUpdate)
        selection.select(sel, flag.ClearAndSelect)
        self.view.verticalScrollBar().setValue(self.scroll)


def remember(view: QAbstractItemView, role: int) -> ViewState:
    rows = sorted({i.row() for i in view.selectionModel().selectedRows()})
    model = view.model()
    current = view.currentIndex()
    return ViewState(view, role, [model.index(r, 0).data(role) for r in rows],
                     current.data(role) if current.isValid() else None, view.verticalScrollBar().value())
