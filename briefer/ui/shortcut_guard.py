"""The window's shortcuts win over a line edit's own key bindings.

On X11, Qt's key bindings make Ctrl+E move a line edit's cursor to the end of its line (and Ctrl+K,
Ctrl+U delete to its end and the whole line): the line edit then claims the key before the window's
shortcuts see it, so Export (Ctrl+E) did nothing while the search box, a filter or a cover field had
the focus, and the focus is in the search box after most dialogs.  A box keeps its editing keys (undo,
redo, cut, copy, paste, select all, delete): a window shortcut on one of those stays the box's."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit

#: the keys a text box keeps even where a window action has them too
_EDITING = (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo, QKeySequence.StandardKey.Cut,
            QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Paste, QKeySequence.StandardKey.SelectAll,
            QKeySequence.StandardKey.Delete)


def window_keys(window: Any) -> set[str]:
    """The window's action shortcuts (as portable text), less the keys a text box edits with."""
    editing = {k.toString() for sk in _EDITING for k in QKeySequence.keyBindings(sk)}
    keys = {seq.toString() for a in window.findChildren(QAction) for seq in a.shortcuts() if not seq.isEmpty()}
    return keys - editing


class WindowShortcutsFirst(QObject):
    """An event filter for line edits: a ShortcutOverride for one of ``keys`` is not the box's to take."""

    def __init__(self, keys: set[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.keys = keys

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ShortcutOverride:
            return QKeySequence(event.keyCombination()).toString() in self.keys  # type: ignore[attr-defined]
        return False


def install(window: Any) -> WindowShortcutsFirst:
    """Watch every line edit of ``window`` (the library's search and filters, the cover, the outline's
    editors), all made by the time the window is ready."""
    guard = WindowShortcutsFirst(window_keys(window), window)
    for box in window.findChildren(QLineEdit):
        box.installEventFilter(guard)
    return guard
