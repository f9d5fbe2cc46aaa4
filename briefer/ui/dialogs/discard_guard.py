"""Esc or the close button on a form the user has typed into asks before throwing the typing away.

A mixin for a dialog: what its editable fields hold when it is first shown (and again after each
save, the dialog's ``changed`` signal) is compared, on reject, with what they hold then.  Fields
are read generically (line and text boxes, combo boxes, spin boxes, dates, check boxes, the row
counts of lists and tables), so a field added to a form later is guarded without a line here."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)


def typed_state(dialog: Any) -> tuple[Any, ...]:
    """What the dialog's editable fields hold, in the order the widget tree gives them."""
    out: list[Any] = []
    for w in dialog.findChildren(QWidget):
        if isinstance(w, QLineEdit) and not w.isReadOnly():
            out.append(w.text())
        elif isinstance(w, (QPlainTextEdit, QTextEdit)) and not w.isReadOnly():
            out.append(w.toPlainText())
        elif isinstance(w, QComboBox):
            out.append(w.currentIndex())
        elif isinstance(w, QAbstractSpinBox):
            out.append(w.text())
        elif isinstance(w, QAbstractButton) and w.isCheckable():
            out.append(w.isChecked())
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            out.append(w.model().rowCount())
    return tuple(out)


class DiscardGuard:
    """Mix in before QDialog: ``class FactEditorDialog(DiscardGuard, QDialog)``."""

    #: the question's title and text, and its button
    discard_title = "Discard changes"
    discard_text = "Discard what you typed in this form? It has not been saved."

    _typed_at: tuple[Any, ...] | None = None
    _quiet = False

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)  # type: ignore[misc]
        if self._typed_at is None:
            self.keep_as_typed()
            changed = getattr(self, "changed", None)
            if changed is not None:
                changed.connect(self.keep_as_typed)  # saved: what the form holds now is not to be lost

    def closeEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        # the window's close button (a spontaneous close) asks, as Esc and Cancel do; a close the program
        # makes (quitting, a test tearing down) does not stop on a question
        self._quiet = not event.spontaneous()
        try:
            super().closeEvent(event)  # type: ignore[misc]
        finally:
            self._quiet = False

    def keep_as_typed(self) -> None:
        self._typed_at = typed_state(self)

    def reject(self) -> None:
        from briefer.ui import messages

        if not self._quiet and self._typed_at is not None and typed_state(self) != self._typed_at and \
                not messages.confirm(self, self.discard_title, self.discard_text, ok="Discard"):  # type: ignore[arg-type]
            return
        super().reject()  # type: ignore[misc]
