"""Every file dialog the window opens goes through here, so tests patch one
place (``monkeypatch.setattr(filedialogs, "ask_open_path", ...)``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

BRIEFING_FILTER = "Briefings (*.briefing.json);;All files (*)"
TEMPLATE_FILTER = "Briefer templates (*.template.json *.json);;All files (*)"
DOCX_FILTER = "Word documents (*.docx);;All files (*)"
SOURCE_FILTER = "Documents (*.txt *.md *.html *.htm *.docx *.pdf);;All files (*)"


def ask_open_path(parent: QWidget | None, caption: str, filter: str, directory: str = "") -> Path | None:
    """A file to open, or None when the user cancels."""
    path, _ = QFileDialog.getOpenFileName(parent, caption, directory, filter)
    return Path(path) if path else None


def ask_open_paths(parent: QWidget | None, caption: str, filter: str, directory: str = "") -> list[Path]:
    paths, _ = QFileDialog.getOpenFileNames(parent, caption, directory, filter)
    return [Path(p) for p in paths]


def ask_save_path(parent: QWidget | None, caption: str, filter: str, directory: str = "") -> Path | None:
    """A file to write, or None when the user cancels (the dialog asks before overwriting)."""
    path, _ = QFileDialog.getSaveFileName(parent, caption, directory, filter)
    return Path(path) if path else None
