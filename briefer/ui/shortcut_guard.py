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
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

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


#: a line or text box with this property set is one whose every edit is a step of the briefing's undo
#: stack (the cover's fields and summary, a section's introduction): its Undo and Redo keys are the
#: window's, so the box and the briefing never disagree (its own undo put the old text back in the box
#: and left the briefing's "*" and text as typed)
BRIEFING_UNDO = "briefingUndo"


def undoes_in_briefing(box: Any) -> None:
    """Mark ``box`` as one whose edits are steps of the briefing's undo stack: Ctrl+Z there is the
    window's Undo (:func:`install`), and a text box keeps no undo of its own."""
    box.setProperty(BRIEFING_UNDO, True)
    if isinstance(box, QPlainTextEdit):
        box.setUndoRedoEnabled(False)


def install(window: Any) -> WindowShortcutsFirst:
    """Watch every line edit of ``window`` (the library's search and filters, the cover, the outline's
    editors), all made by the time the window is ready."""
    keys = window_keys(window)
    guard = WindowShortcutsFirst(keys, window)
    undo_keys = {k.toString() for sk in (QKeySequence.StandardKey.Undo, QKeySequence.StandardKey.Redo)
                 for k in QKeySequence.keyBindings(sk)}
    briefing_guard = WindowShortcutsFirst(keys | undo_keys, window)
    for box in window.findChildren(QLineEdit):
        box.installEventFilter(briefing_guard if box.property(BRIEFING_UNDO) else guard)
    for text in window.findChildren(QPlainTextEdit):  # a text box keeps its keys, but these undo in the briefing
        if text.property(BRIEFING_UNDO):
            text.installEventFilter(briefing_guard)
    return guard
