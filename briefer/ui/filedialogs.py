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


def ask_save_path(parent: QWidget | None, caption: str, filter: str, directory: str = "", *,
                  confirm_overwrite: bool = True) -> Path | None:
    """A file to write, or None when the user cancels.  With ``confirm_overwrite`` the dialog asks
    before overwriting; the window's Save as and Export ask themselves (after adding the suffix, and
    not for a file this briefing wrote), so they pass False."""
    options = QFileDialog.Option(0) if confirm_overwrite else QFileDialog.Option.DontConfirmOverwrite
    path, _ = QFileDialog.getSaveFileName(parent, caption, directory, filter, "", options)
    return Path(path) if path else None


def ask_folder(parent: QWidget | None, caption: str, directory: str = "") -> Path | None:
    """A folder, or None when the user cancels."""
    path = QFileDialog.getExistingDirectory(parent, caption, directory)
    return Path(path) if path else None
