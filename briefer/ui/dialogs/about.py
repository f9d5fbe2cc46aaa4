"""About Briefer (version, licences) and the keyboard shortcuts list."""

from __future__ import annotations

import platform

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from briefer import __version__
from briefer.ui import icons

LICENCES = """
<h3>Licences</h3>
<p><b>Briefer</b> {version} \u2014 MIT licence. Copyright \u00a9 the Briefer team.</p>
<p>Permission is hereby granted, free of charge, to any person obtaining a copy of this software and associated
documentation files, to deal in the software without restriction, subject to the MIT licence conditions. The
software is provided \u201cas is\u201d, without warranty of any kind.</p>
<p>Briefer is built on:</p>
<ul>
<li><b>Qt {qt}</b> and <b>PySide6 {pyside}</b> \u2014 LGPL v3 (The Qt Company). You may replace the Qt libraries
with your own build.</li>
<li><b>python-docx</b> \u2014 MIT licence.</li>
<li><b>pydantic</b> \u2014 MIT licence.</li>
<li><b>platformdirs</b> \u2014 MIT licence.</li>
<li><b>SQLite</b> \u2014 public domain.</li>
<li><b>IPAex fonts</b> (when installed, for Japanese) \u2014 IPA Font Licence v1.0.</li>
<li><b>LibreOffice</b> (optional, for PDF export) \u2014 MPL 2.0; run as a separate program.</li>
</ul>
<p>The facts shipped with Briefer quote public news reports and analyses; each quote names its source.</p>
"""


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Briefer")
        self.setWindowIcon(icons.app_icon())
        head = QLabel(
            f"<h2>Briefer {__version__}</h2>"
            "<p>Sourced briefings on Japan\u2019s AI governance, exported to Word with a footnote on every fact.</p>"
            "<p>Fully offline: Briefer never opens a network connection.</p>"
            f"<p><small>Python {platform.python_version()} \u00b7 Qt {qVersion()} \u00b7 PySide6 {pyside_version}"
            f" \u00b7 {platform.system()} {platform.release()}</small></p>")
        head.setWordWrap(True)
        head.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.licences = QTextBrowser()
        self.licences.setAccessibleName("Licences")
        self.licences.setHtml(LICENCES.format(version=__version__, qt=qVersion(), pyside=pyside_version))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addWidget(self.licences, 1)
        lay.addWidget(buttons)
        self.resize(560, 520)


class ShortcutsDialog(QDialog):
    """Every action with a shortcut in the main window, read from the actions themselves."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        rows = []
        seen = set()
        if parent is not None:
            for action in parent.findChildren(__import__("PySide6.QtGui", fromlist=["QAction"]).QAction):
                keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
                keys = [k for k in keys if k]
                text = action.text().replace("&", "").replace("\u2026", "")
                if keys and text and (text, keys[0]) not in seen:
                    seen.add((text, keys[0]))
                    rows.append((text, ", ".join(keys)))
        rows += [("Add the selected library facts", "Enter (in the fact list)"),
                 ("Apply the wording or paragraph typed under the outline (or in its row)", "Ctrl+Return"),
                 ("Move between panes", "Tab / Shift+Tab"),
                 ("Open a menu", "Alt + the underlined letter")]
        browser = QTextBrowser()
        browser.setHtml("<table cellpadding='4'>" + "".join(
            f"<tr><td>{t}</td><td><b>{k}</b></td></tr>" for t, k in sorted(rows)) + "</table>")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(browser)
        lay.addWidget(buttons)
        self.resize(520, 560)
