"""Preferences (Edit ▸ Preferences…, the platform's Preferences shortcut): the analyst's name, the
freshness horizon, the default export folder and format, the default citation style and the
reference document.  Kept in the data folder's ``settings.json`` through
:mod:`briefer.store.preferences`, the file ``briefer config`` reads and writes too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from briefer.errors import KnownError
from briefer.ui import filedialogs, icons

if TYPE_CHECKING:
    from briefer.ui.mainwindow import MainWindow

#: the citation styles offered (the export dialog offers the same)
CITATION_LABELS = [
    ("full", "Full \u2014 each footnote quotes its sources"),
    ("short", "Short \u2014 source, date and place"),
    ("evidence", "Evidence \u2014 short footnotes and an Evidence appendix of quotes"),
]


def _buddy(text: str, widget: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


class PreferencesDialog(QDialog):
    """Edits ``settings.json``; :attr:`saved` holds what was written (None until OK succeeds)."""

    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from briefer.store import preferences as prefs

        self.data_dir = Path(data_dir)
        self.saved: dict[str, Any] | None = None
        self.setWindowTitle("Preferences")
        self.setWindowIcon(icons.icon("preferences"))
        self.setObjectName("PreferencesDialog")
        try:
            current = dict(prefs._read(self.data_dir))
        except KnownError as exc:  # a folder or pipe in its place: say so, offer the defaults
            current = {}
            self._read_error = str(exc)
        else:
            self._read_error = ""
        self._initial = current

        self.analyst_edit = QLineEdit(str(current.get("analyst") or ""))
        self.analyst_edit.setAccessibleName("Analyst name")
        self.analyst_edit.setPlaceholderText(f"not set (facts' history records \u201c{prefs.os_user()}\u201d)")
        self.analyst_edit.setToolTip("Recorded in every fact you change, and the author of a briefing that names "
                                     "none (Prepared by)")

        self.horizon_spin = QSpinBox()
        self.horizon_spin.setRange(1, 600)
        self.horizon_spin.setSuffix(" months")
        self.horizon_spin.setAccessibleName("Freshness horizon")
        self.horizon_spin.setToolTip("A fact whose 'as of' date is older than this is marked stale")
        months = current.get("stale_after_months")
        ok_months = isinstance(months, int) and not isinstance(months, bool) and 1 <= months <= 600
        self.horizon_spin.setValue(int(months) if ok_months else prefs.DEFAULT_STALE_MONTHS)  # type: ignore[arg-type]

        self.folder_edit = QLineEdit(str(current.get("export_folder") or ""))
        self.folder_edit.setAccessibleName("Default export folder")
        self.folder_edit.setPlaceholderText("Documents")
        folder_button = QPushButton(icons.icon("folder"), "C&hoose\u2026")
        folder_button.clicked.connect(self._choose_folder)
        frow = QHBoxLayout()
        frow.addWidget(self.folder_edit, 1)
        frow.addWidget(folder_button)

        from briefer.export.formats import FORMATS

        self.format_combo = QComboBox()
        self.format_combo.setAccessibleName("Default export format")
        for f in FORMATS:
            self.format_combo.addItem(f.label, f.code)
        self.format_combo.setCurrentIndex(max(0, self.format_combo.findData(current.get("export_format") or "docx")))

        self.citations_combo = QComboBox()
        self.citations_combo.setAccessibleName("Default citation style")
        for code, label in CITATION_LABELS:
            self.citations_combo.addItem(label, code)
        self.citations_combo.setCurrentIndex(max(0, self.citations_combo.findData(current.get("citations") or "full")))
        self.citations_combo.setToolTip("The footnotes a new briefing starts with (a template keeps its own)")

        self.reference_edit = QLineEdit(str(current.get("reference_doc") or ""))
        self.reference_edit.setAccessibleName("Reference document")
        self.reference_edit.setPlaceholderText("Briefer's own styles")
        self.reference_edit.setToolTip("A .docx whose styles (fonts, colours, headings) Word exports use")
        ref_button = QPushButton("Ch&oose\u2026")
        ref_button.clicked.connect(self._choose_reference)
        ref_clear = QPushButton("&Default")
        ref_clear.clicked.connect(self.reference_edit.clear)
        rrow = QHBoxLayout()
        rrow.addWidget(self.reference_edit, 1)
        rrow.addWidget(ref_button)
        rrow.addWidget(ref_clear)

        self.team_edit = QLineEdit(str(current.get("team_library") or ""))
        self.team_edit.setAccessibleName("Team library")
        self.team_edit.setPlaceholderText("none: the fact store on this computer")
        self.team_edit.setToolTip("A team library on a PostgreSQL server, postgresql://USER@HOST:PORT/DATABASE, "
                                  "opened the next time Briefer starts. The password is never kept here: put it in "
                                  "~/.pgpass (or PGPASSWORD)")

        form = QFormLayout()
        form.addRow(_buddy("&Analyst name:", self.analyst_edit), self.analyst_edit)
        form.addRow(_buddy("&Freshness horizon:", self.horizon_spin), self.horizon_spin)
        form.addRow(_buddy("Export fo&lder:", self.folder_edit), frow)
        form.addRow(_buddy("Export fo&rmat:", self.format_combo), self.format_combo)
        form.addRow(_buddy("&Citation style:", self.citations_combo), self.citations_combo)
        form.addRow(_buddy("R&eference document:", self.reference_edit), rrow)
        form.addRow(_buddy("&Team library:", self.team_edit), self.team_edit)

        overrides = []
        if os.environ.get(prefs.ANALYST_ENV, "").strip():
            self.analyst_edit.setEnabled(False)
            overrides.append(f"${prefs.ANALYST_ENV}")
        if os.environ.get(prefs.STALE_ENV, "").strip():
            self.horizon_spin.setEnabled(False)
            overrides.append(f"${prefs.STALE_ENV}")
        from briefer.store.location import STORE_ENV

        if os.environ.get(STORE_ENV, "").strip():
            self.team_edit.setEnabled(False)
            overrides.append(f"${STORE_ENV}")
        self.note = QLabel(f"Set by the environment ({', '.join(overrides)}): change it there." if overrides
                           else f"Kept in {self.data_dir / prefs.SETTINGS_FILE}, which \u2018briefer config\u2019 "
                                "shares.")
        self.note.setWordWrap(True)
        self.error_label = QLabel(self._read_error)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b91c1c")
        self.error_label.setAccessibleName("Problem")

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.note)
        lay.addWidget(self.error_label)
        lay.addStretch(1)
        lay.addWidget(self.buttons)
        self.resize(620, 340)

    def _choose_folder(self) -> None:
        folder = filedialogs.ask_folder(self, "Default export folder", self.folder_edit.text())
        if folder is not None:
            self.folder_edit.setText(str(folder))

    def _choose_reference(self) -> None:
        path = filedialogs.ask_open_path(self, "Reference document", filedialogs.DOCX_FILTER,
                                         self.reference_edit.text())
        if path is not None:
            self.reference_edit.setText(str(path))

    def values(self) -> dict[str, Any]:
        """What the dialog would save (an empty field: the default)."""
        return {
            "analyst": self.analyst_edit.text() if self.analyst_edit.isEnabled() else self._initial.get("analyst"),
            "stale_after_months": (self.horizon_spin.value() if self.horizon_spin.isEnabled()
                                   else self._initial.get("stale_after_months")),
            "export_folder": self.folder_edit.text(),
            "export_format": self.format_combo.currentData(),
            "citations": self.citations_combo.currentData(),
            "reference_doc": self.reference_edit.text(),
            "team_library": self.team_edit.text() if self.team_edit.isEnabled() else self._initial.get("team_library"),
        }

    def accept(self) -> None:
        """Check, then save; a value that cannot be kept is named and the dialog stays open."""
        from briefer.store import preferences as prefs

        try:
            from briefer.export.formats import codes

            values = prefs.check_values(self.values(), formats=codes())
            self.saved = prefs.save(self.data_dir, **values)
        except KnownError as exc:
            self.error_label.setText(f"\u2716 {exc}")
            return
        super().accept()


def show_preferences(window: MainWindow) -> bool:
    """Open the dialog; when saved, the window takes the new values at once (stale markings, the
    author placeholder, the preview).  True when something was saved."""
    dlg = PreferencesDialog(window.data_dir, parent=window)
    if dlg.exec() != QDialog.DialogCode.Accepted or dlg.saved is None:
        window.say_preference_notices()
        return False
    window.apply_preferences()
    window.show_status("Preferences saved")
    return True
