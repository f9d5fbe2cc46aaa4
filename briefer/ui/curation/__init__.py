"""Curation dialogs: import sources (with the review of candidate facts), the
fact editor (citations made by selecting source text, history with restore)
and the conflicts view.  Each has a ``changed`` signal, emitted after it
modified the store, so the window can refresh its panes."""

from briefer.ui.curation.conflicts_dialog import ConflictsDialog
from briefer.ui.curation.fact_editor import FactEditorDialog
from briefer.ui.curation.import_dialog import ImportSourcesDialog

__all__ = ["ConflictsDialog", "FactEditorDialog", "ImportSourcesDialog"]
