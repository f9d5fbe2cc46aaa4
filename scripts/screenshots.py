"""Render the window's screenshots for the README: ``make screenshots``.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py docs/screenshots

Builds a briefing in progress on a fresh copy of the shipped fact pack (in a
temporary folder; no user folder is touched) and saves:

* ``empty-window.png``  the window as a new user first sees it (1440×900)
* ``main-window.png``  the three panes and the inspector, mid-briefing (1440×900)
* ``main-window-1024.png``  the same at 1024×640
* ``template-dialog.png``  New briefing from template
* ``export-dialog.png``  the export dialog with its quality report
* ``inspector.png``  a fact's citations, the quote highlighted in its source
* ``preferences.png``  Edit ▸ Preferences: analyst, freshness horizon, export defaults
* ``template-editor.png``  the template editor, with its live count (File ▸ Manage templates ▸ Edit)

"Today" is fixed at 20 November 2025 so the pictures do not change with the
calendar (the freshness flags depend on it).
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TODAY = date(2025, 11, 20)


def wait(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(cond, timeout_ms: int = 30000) -> None:  # noqa: ANN001
    waited = 0
    while not cond():
        if waited > timeout_ms:
            raise TimeoutError("the window did not get ready")
        wait(20)
        waited += 20


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="briefer-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(tmp / "config")
    os.environ["XDG_DATA_HOME"] = str(tmp / "data-home")
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from briefer.ui.app import make_app

    app = make_app()
    font = QApplication.font()
    font.setPointSize(10)
    app.setFont(font)
    from briefer.ui.mainwindow import MainWindow

    w = MainWindow(tmp / "data", today=TODAY)
    w.resize(1440, 900)
    w.show()
    w.start()
    until(lambda: w.store is not None and w.library.last_result is not None)
    wait(300)
    wait(800)
    w.grab().save(str(out / "empty-window.png"))  # first-start panel: core sections ticked, a template, or empty

    # a briefing in progress: a template's shape, one fact reworded, the analyst's own summary
    from briefer.domain.template_library import TemplateLibrary
    from briefer.domain.templates import prepare

    template = TemplateLibrary(tmp / "data").get("us-japan-cooperation")
    w.start_from_template(prepare(template, w.store, today=TODAY, origin="builtin"))
    doc = w.doc
    from briefer.ui import undo_steps

    doc.undo.push(undo_steps.SetCover(doc, "prepared_for", "The Minister for Foreign Affairs"))
    doc.undo.push(undo_steps.SetCover(doc, "prepared_by", "Asia-Pacific Policy Unit"))
    doc.undo.push(undo_steps.SetSummary(doc, "Japan has chosen a light-touch framework law; the AI Strategy "
                                           "Headquarters is the place to watch, and the U.S. the partner that "
                                           "matters most."))
    first = doc.briefing.sections[0].items[0]
    doc.undo.push(undo_steps.SetOverride(doc, 0, 0, doc.facts[first.fact_id].statement.rstrip(".")
                                       + " \u2014 the basis of everything that follows."))
    w.composer.tree.expandAll()
    w.composer.select(0, 0)
    from PySide6.QtTest import QTest

    w.library.search.setFocus()
    QTest.keyClicks(w.library.search, "Headquarters")
    until(lambda: w.library.last_result is not None and w.library.last_result.query.text == "Headquarters")
    w.library.facts.setCurrentIndex(w.library.fact_model.index(1, 1))
    w.inspect_fact(first.fact_id)
    w.preview.refresh()
    wait(1500)
    w.grab().save(str(out / "main-window.png"))
    w.resize(1024, 640)
    wait(300)
    from PySide6.QtCore import Qt

    # as a window first opened at this size lays the inspector out
    w.resizeDocks([w.inspector_dock], [w.default_inspector_height()], Qt.Orientation.Vertical)
    wait(900)
    w.grab().save(str(out / "main-window-1024.png"))
    w.resize(1440, 900)
    wait(600)

    # the inspector on its own, larger
    w.inspect_fact("hq-established-sept-1")
    wait(1500)  # where it is used comes from a worker
    w.inspector_dock.setFloating(True)
    w.inspector_dock.resize(1000, 620)
    w.inspector_dock.show()
    wait(300)
    w.inspector.split.setSizes([260, 360])
    wait(200)
    w.inspector_dock.grab().save(str(out / "inspector.png"))
    w.inspector_dock.setFloating(False)

    # New briefing from template
    from briefer.ui.dialogs.templates import NewFromTemplateDialog

    dlg = NewFromTemplateDialog(w.store, tmp / "data", today=TODAY, parent=w)
    dlg.resize(820, 520)
    dlg.show()
    dlg.list.select_name("full-briefing")
    wait(300)
    dlg.grab().save(str(out / "template-dialog.png"))
    dlg.close()

    # Export, with the quality report
    from briefer.ui.dialogs.export import ExportDialog

    ex = ExportDialog(doc, w.store, today=TODAY, parent=w)
    ex.path_edit.setText(str(Path.home() / "Documents" / "us-japan-ai-cooperation.docx"))
    ex.resize(720, 640)
    ex.show()
    wait(300)
    ex.grab().save(str(out / "export-dialog.png"))
    ex.close()

    # Edit > Preferences
    from briefer.ui.dialogs.preferences import PreferencesDialog

    pr = PreferencesDialog(tmp / "data", parent=w)
    pr.analyst_edit.setText("A. Analyst, Asia-Pacific Policy Unit")
    pr.folder_edit.setText(str(Path.home() / "Documents" / "Briefings"))
    pr.citations_combo.setCurrentIndex(pr.citations_combo.findData("short"))
    pr.resize(660, 340)
    pr.show()
    wait(300)
    pr.grab().save(str(out / "preferences.png"))
    pr.close()

    # the template editor, on a copy of a built-in, with its live count
    from briefer.ui.dialogs.template_editor import TemplateEditor

    lib = TemplateLibrary(tmp / "data")
    lib.duplicate("risk-watch", "Weekly risk note")
    ed = TemplateEditor(w.context(), lib.get("Weekly risk note"), original="Weekly risk note", parent=w)
    ed.resize(1000, 760)
    ed.show()
    ed.sections.list.setCurrentRow(1)
    until(lambda: ed.preview is not None)
    wait(400)
    ed.grab().save(str(out / "template-editor.png"))
    ed.close()

    doc.undo.setClean()
    doc._unsaved_origin = False
    w.close()
    _ = QFont
    for name in ("empty-window", "main-window", "main-window-1024", "template-dialog", "export-dialog",
                 "inspector", "preferences", "template-editor"):
        print(out / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
