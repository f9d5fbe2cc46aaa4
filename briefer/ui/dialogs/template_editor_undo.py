"""Undo and redo in the template editor (issue 14 point 4): Ctrl+Z / Ctrl+Shift+Z (and Ctrl+Y) step
through its edits, whichever tab and field they were in.

Each edit is a :class:`QUndoCommand` holding the template as the editor held it before and after (its
JSON shape, :meth:`TemplateEditor.data`); undoing puts the earlier state back into every field.  Typing
in one text field or spin box is one step until another field gets the focus; a click (a switch, a
section added or moved) is a step of its own.  The fields' own undo (a line edit's Ctrl+Z) is taken
over by the editor's, so one key never means two different things.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoCommand, QUndoStack
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QPlainTextEdit, QWidget

if TYPE_CHECKING:
    from briefer.ui.dialogs.template_editor import TemplateEditor

_TYPED = (QLineEdit, QPlainTextEdit, QAbstractSpinBox)
#: redo on every platform, whatever its standard key (Ctrl+Shift+Z here, Ctrl+Y elsewhere)
_REDO_KEYS = (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"))


def _changed_keys(before: dict[str, Any], after: dict[str, Any]) -> tuple[str, ...]:
    return tuple(sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k)))


class EditorEdit(QUndoCommand):
    """One edit of the template: the editor's state before and after it."""

    def __init__(self, editor: TemplateEditor, before: dict[str, Any], after: dict[str, Any],
                 typed_in: QWidget | None) -> None:
        keys = _changed_keys(before, after)
        super().__init__(f"Edit {', '.join(keys) or 'template'}")
        self.editor, self.before, self.after = editor, before, after
        self.typed_in = typed_in
        self.keys = keys
        self._applied = True  # pushed after the edit was made: the first redo has nothing to do

    def id(self) -> int:
        return 1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802
        """Typing on in the same field adds to the same step."""
        if not isinstance(other, EditorEdit) or self.typed_in is None or other.typed_in is not self.typed_in:
            return False
        if other.keys != self.keys:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.editor.history.restore(self.after)

    def undo(self) -> None:
        self.editor.history.restore(self.before)


class EditorUndo(QObject):
    """The editor's undo stack, its actions (Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y) and the filter that gives
    the fields' own undo keys to it."""

    def __init__(self, editor: TemplateEditor) -> None:
        super().__init__(editor)
        self.editor = editor
        self.stack = QUndoStack(self)
        self.state: dict[str, Any] = copy.deepcopy(editor.data())
        self.restoring = False
        self.undo_action = self.stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcuts(QKeySequence.StandardKey.Undo)
        self.redo_action = self.stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Shift+Z"),
                                       QKeySequence("Ctrl+Y")])
        for action in (self.undo_action, self.redo_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            editor.addAction(action)
        for w in editor.findChildren(QWidget):
            if isinstance(w, _TYPED):
                w.installEventFilter(self)
                if isinstance(w, QAbstractSpinBox) and w.lineEdit() is not None:
                    w.lineEdit().installEventFilter(self)

    def record(self) -> None:
        """After an edit: one step from the last state to this one (nothing when nothing changed)."""
        if self.restoring:
            return
        now = self.editor.data()
        if now == self.state:
            return
        focus = QApplication.focusWidget()
        typed_in = focus if isinstance(focus, _TYPED) else None
        if isinstance(focus, QLineEdit) and isinstance(focus.parent(), QAbstractSpinBox):
            typed_in = focus.parent()  # type: ignore[assignment]
        self.stack.push(EditorEdit(self.editor, copy.deepcopy(self.state), copy.deepcopy(now), typed_in))
        self.state = copy.deepcopy(now)

    def restore(self, state: dict[str, Any]) -> None:
        self.restoring = True
        try:
            self.editor.load_state(state)
        finally:
            self.restoring = False
        self.state = copy.deepcopy(self.editor.data())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        """A field's own Ctrl+Z / Ctrl+Shift+Z would undo only its text, outside the editor's steps."""
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            action: QAction | None = None
            if event.matches(QKeySequence.StandardKey.Undo):
                action = self.undo_action
            elif event.matches(QKeySequence.StandardKey.Redo) or QKeySequence(event.keyCombination()) in _REDO_KEYS:
                action = self.redo_action
            if action is not None:
                if event.type() == QEvent.Type.KeyPress:
                    action.trigger()
                event.accept()
                return True
        return False
