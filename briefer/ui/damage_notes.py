"""Stored values the store could not read, said in the window: a fact's date or tags, a source's kind,
grade or date edited by hand or damaged (the store notes each with its repair: ``Store.damaged``).

The library still lists the rest (and a source shows its fallback); one bar above the panes says how many
values could not be read, the first of them, and Details… lists each with its repair.  The CLI says the
same notes as warning lines (``briefer.cli.Context.report_damaged``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from briefer.domain.typography import count
from briefer.ui.labels import escape
from briefer.ui.live_updates import NoticeBar

if TYPE_CHECKING:
    from briefer.ui.mainwindow import MainWindow


class DamageNotes(QObject):
    """The window's bar for stored values that could not be read (see the module docstring)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        #: every note seen since the store was opened: key (a fact id, or source:ID:FIELD) -> the note
        self.notes: dict[str, str] = {}
        self.bar = NoticeBar("Unreadable stored values", kind="warning", action="&Details\u2026")
        self.bar.button.setToolTip("Each value that could not be read, and how to repair it")
        self.bar.button.clicked.connect(self.show_details)

    def take(self, notes: dict[str, str]) -> None:
        """Add what a read noted (the store's ``damaged``, or a library query's); the bar shows when a
        note is new, and follows the count."""
        new = {k: v for k, v in notes.items() if self.notes.get(k) != v}
        if not new:
            return
        self.notes.update(new)
        self._attach()
        first = next(iter(self.notes.values()))
        n = len(self.notes)
        lead = ("A stored value could not be read" if n == 1 else
                f"{count(n, 'stored value')} could not be read (the rest of the library shows)")
        self.bar.show_text(f"<b>{escape(lead)}:</b> {escape(first)}"
                           + (" \u2026" if n > 1 else ""))

    def show_details(self) -> None:
        from briefer.ui import messages

        messages.info(self.w, "Unreadable stored values",
                      "\n\n".join(self.notes.values()) + "\n\nThe rest of the library is as stored; "
                      "each repair above is a Briefer command (in a terminal).")

    def _attach(self) -> None:
        """Above the panes, below the team library's connection bar (briefer.ui.connection_watch)."""
        if self.bar.parent() is not None:
            return
        from PySide6.QtWidgets import QBoxLayout

        holder = self.w.centralWidget()
        lay = holder.layout() if holder is not None else None
        if isinstance(lay, QBoxLayout):
            lay.insertWidget(1, self.bar)
