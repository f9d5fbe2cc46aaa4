"""The crash dialog: something unexpected went wrong; the work was autosaved
first; the details can be copied for a bug report; the window keeps running."""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from briefer import __version__


class CrashDialog(QDialog):
    def __init__(self, exc: BaseException, details: str, saved: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Briefer hit an unexpected problem")
        saved_text = (f"Your briefing was saved to a recovery file first ({saved}); if Briefer closes, "
                      "it will offer to recover it next time.") if saved else \
            "There were no unsaved changes to lose."
        head = QLabel(f"<p><b>Something went wrong that Briefer did not expect:</b> "
                      f"{type(exc).__name__}: {str(exc)[:300]}</p><p>{saved_text}</p>"
                      "<p>You can keep working. Please copy the details below into a bug report.</p>")
        head.setWordWrap(True)
        self.details = QPlainTextEdit()
        self.details.setTabChangesFocus(True)
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Crash details")
        self.details.setPlainText(f"Briefer {__version__} on Python {platform.python_version()}, "
                                  f"{platform.platform()}\n\n{details}")
        copy = QPushButton("&Copy details")
        copy.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(self.details, 1)
        lay.addWidget(buttons)
        self.resize(640, 420)

    def copy_details(self) -> None:
        QApplication.clipboard().setText(self.details.toPlainText())
