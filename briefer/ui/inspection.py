"""The window's inspector and curation dialogs: showing a fact (its sources, where the briefing uses
it, the templates and editions that do) and opening the fact editor, the import and the
conflicts dialogs, which change the store and then refresh the window.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from briefer.errors import KnownError

if TYPE_CHECKING:
    from briefer.ui.mainwindow import MainWindow


class Inspection(QObject):
    """The inspector dock's content, for one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window
        #: what the inspector shows of the briefing for its fact: (sections, the briefing's wording)
        self._shown_in_briefing: tuple[list[str], str | None] = ([], None)

    def inspect_fact(self, fact_id: str) -> None:
        if not fact_id or self.w.store is None:
            return
        try:
            fact = self.w.store.fact(fact_id)
        except KnownError:
            if self.w.doc is None or fact_id not in self.w.doc.facts:
                self.w.inspector.clear()
                return
            fact = self.w.doc.facts[fact_id]
        session = self.w.store_session
        sources = {c.source: session.source(c.source) for c in fact.citations}
        where, override = self._shown_in_briefing = self._in_briefing(fact_id)
        from briefer.ui.factflags import display_status

        flagger = session.flagger()
        status = display_status(fact, flagger([fact]).get(fact_id, set()))
        self.w.inspector.show_fact(fact, status=status, sources={k: v for k, v in sources.items() if v is not None},
                                   in_briefing=where, override=override,
                                   conflicts=list(flagger.conflicts.get(fact_id, [])),
                                   stale=flagger.stale_label(fact) if status == "stale" else "",
                                   section_title=session.section_title(fact.section),
                                   all_sources=session.all_sources(), unreadable=self._unreadable(fact))
        session.load_usage(fact_id)

    def _in_briefing(self, fact_id: str) -> tuple[list[str], str | None]:
        """The sections of the briefing that hold the fact, and the briefing's wording of it."""
        where: list[str] = []
        override = None
        for sec in self.w.doc.briefing.sections if self.w.doc is not None else []:
            for item in sec.items:
                if item.kind == "fact" and item.fact_id == fact_id:
                    where.append(self.w.doc.section_title(sec))
                    override = item.override
        return where, override

    def briefing_changed(self) -> None:
        """The briefing was edited: the inspected fact's wording and place in it are shown as they now are
        (applying a wording, an undo, a removal or a renamed section left the old ones)."""
        fact = self.w.inspector.fact
        if fact is not None and self._in_briefing(fact.id) != self._shown_in_briefing:
            self.inspect_fact(fact.id)

    def _unreadable(self, fact: Any) -> list[str]:
        """The store's notes on the fact's own stored values and its sources' that could not be read."""
        damaged: dict[str, str] = getattr(self.w.store, "damaged", None) or {}
        if not damaged:
            return []
        from briefer.store.damage import source_notes

        own = [damaged[fact.id]] if fact.id in damaged else []
        return own + source_notes(damaged, (c.source for c in fact.citations))

    def outline_fact_id(self) -> str | None:
        from briefer.ui.outline_model import OutlineModel

        idx = self.w.composer.tree.currentIndex()
        return (idx.data(OutlineModel.FactIdRole) if idx.isValid() else None) or None

    def inspect_current(self) -> None:
        lib = self.w.library.current_fact_id()
        fid = lib if self.w.library.facts.hasFocus() and lib else (self.outline_fact_id() or lib)
        if fid:
            self.inspect_fact(fid)
        self.w.inspector_dock.show()
        self.w.inspector_dock.raise_()

    def footnote_clicked(self, fact_id: str, note: int) -> None:
        self.inspect_fact(fact_id)
        self.w.inspector_dock.show()
        self.w.inspector_dock.raise_()
        self.w.show_status(f"Note {note}: the source of fact {fact_id} is shown in the inspector")

    def focus_outline(self) -> None:
        self.w.composer.tabs.setCurrentIndex(0)
        self.w.composer.tree.setFocus()


class Curation(QObject):
    """The curation dialogs (briefer.ui.curation), for one window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.w = window

    def open_dialog(self, name: str, *args: Any) -> None:
        from briefer.ui import messages

        try:
            cls = getattr(importlib.import_module("briefer.ui.curation"), name)
        except (ImportError, AttributeError):
            messages.error(self.w, "Not available", "This part of Briefer is not available in this build.")
            return
        dlg = cls(self.w.store, *args, parent=self.w)
        if hasattr(dlg, "changed"):
            dlg.changed.connect(self.w.store_changed)
        with self.w.live.followed_by(dlg):  # a team library: colleagues' changes, this user's new role
            dlg.exec()

    def import_sources(self) -> None:
        self.open_dialog("ImportSourcesDialog")

    def new_fact(self) -> None:
        self.open_dialog("FactEditorDialog", None)

    def edit_fact(self) -> None:
        from briefer.ui import messages

        fid = self.w.library.current_fact_id()
        if self.w.composer.tree.hasFocus():
            fid = self.w.inspection.outline_fact_id() or fid
        if not fid:
            messages.info(self.w, "Edit fact", "Select a fact in the library or the outline first.")
            return
        self.open_dialog("FactEditorDialog", fid)

    def show_conflicts(self) -> None:
        self.open_dialog("ConflictsDialog")
