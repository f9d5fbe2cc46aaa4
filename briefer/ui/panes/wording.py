"""Applying what is typed under the outline: the wording of a fact for this briefing, or a paragraph.

A mixin of :class:`~briefer.ui.panes.composer.ComposerPane` (its boxes, buttons and tree).  Apply is in
bold, and says "not applied yet" in its tooltip, while the box holds text the briefing does not print,
so a glance tells whether the box is what the export will say (a tester found typing applied on leaving
the row with no sign it was pending); leaving the row, saving and exporting apply it
(:meth:`WordingApply.commit_pending`), and Ctrl+Return applies it at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QPlainTextEdit

from briefer.ui.outline_model import OutlineModel

#: what Apply's tooltip adds while its box holds text not applied yet
_PENDING = "not applied yet"


class WordingApply:
    doc: Any
    tree: Any
    detail: Any
    wording_edit: QPlainTextEdit
    paragraph_edit: QPlainTextEdit
    apply_wording: Any
    apply_paragraph: Any
    statusMessage: Any  # noqa: N815 - a Qt signal's name
    _updating: bool

    def current_position(self) -> tuple[int, int | None] | None:  # the composer's
        raise NotImplementedError

    def connect_pending(self) -> None:
        self.wording_edit.textChanged.connect(self.show_pending)
        self.paragraph_edit.textChanged.connect(self.show_pending)

    def show_pending(self) -> None:
        """Apply is bold while its box holds what the briefing does not print yet."""
        pos = self.current_position() if self.doc is not None else None
        item = None
        if pos is not None and pos[1] is not None and pos[1] < len(self.doc.briefing.sections[pos[0]].items):
            item = self.doc.briefing.sections[pos[0]].items[pos[1]]
        for box, button, kind in ((self.wording_edit, self.apply_wording, "fact"),
                                  (self.paragraph_edit, self.apply_paragraph, "paragraph")):
            pending = False
            if item is not None and item.kind == kind:
                if kind == "fact":
                    fact = self.doc.facts.get(item.fact_id)
                    applied = item.override if item.override is not None else (fact.statement if fact else "")
                else:
                    applied = item.text
                typed = box.toPlainText().strip()
                pending = bool(typed) and typed != (applied or "").strip()
            tip = button.toolTip().removesuffix(_PENDING).removesuffix(" \u2014 ")
            button.setToolTip((f"{tip} \u2014 " if tip else "") + _PENDING if pending else tip)
            font = button.font()
            if font.bold() != pending:
                font.setBold(pending)
                button.setFont(font)

    def commit_pending(self, idx: QModelIndex | None = None) -> None:
        """Apply the wording or paragraph typed but not applied (Ctrl+Return): on leaving it, saving, exporting."""
        idx = self.tree.currentIndex() if idx is None else idx
        page = self.detail.currentIndex()
        if self._updating or self.doc is None or not idx.isValid() or page not in (2, 3):
            return
        text = (self.paragraph_edit if page == 3 else self.wording_edit).toPlainText()
        if idx.data(OutlineModel.KindRole) == ("paragraph" if page == 3 else "fact") and text.strip():
            self.tree.model().setData(idx, text)

    def _apply_wording(self) -> None:
        self._apply(self.wording_edit, "Wording changed for this briefing; the store is unchanged")

    def _apply_paragraph(self) -> None:
        self._apply(self.paragraph_edit, "Paragraph changed")

    def _apply(self, box: QPlainTextEdit, said: str) -> None:
        """Ctrl+Return: the row's own editor's text (F2) if it is open, else the box's; said only if it changed."""
        if self.doc is None or (pos := self.current_position()) is None or pos[1] is None:
            return
        step = self.doc.undo.index()
        if not self.tree.commit_open_editor():
            self.tree.model().setData(self.tree.currentIndex(), box.toPlainText())
        self.statusMessage.emit(said if self.doc.undo.index() != step else "Nothing changed")
        self.show_pending()
