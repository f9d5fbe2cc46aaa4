"""A new analyst's first four-section briefing (issue 14, point 7: at most five clicks), driven by
real clicks on the first-start panel and the export dialog of a fresh data folder (the rule behind
it: tests/test_section_start.py)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from test_ui_analyst import _done
from test_ui_flow import open_window
from window_support import shut_windows  # noqa: F401 - autouse: shuts what a test left open

from briefer.domain.section_start import CORE_SECTIONS, DEFAULT_PAGES

# -- the window: five clicks ------------------------------------------------------------------------


def test_a_first_four_section_briefing_takes_five_clicks_export_included(
        qtbot, data_dir: Path, no_dialogs: None) -> None:  # noqa: ANN001
    from PySide6.QtCore import QPoint, QRect, QTimer
    from PySide6.QtWidgets import QApplication, QScrollArea, QToolBar

    from briefer.ui.dialogs.export import ExportDialog

    w = open_window(qtbot, data_dir)
    w.resize(1024, 640)  # the smallest screen the window supports: the button shows without scrolling
    qtbot.waitUntil(lambda: w.width() == 1024 and w.height() == 640)
    panel = w.composer.first_start
    assert panel.isVisible() and panel.sections_button.isVisible()
    view = panel.findChild(QScrollArea).viewport()
    button = panel.sections_button
    shown = QRect(button.mapTo(view, QPoint(0, 0)), button.size())
    assert view.rect().contains(shown), (shown, view.rect())
    assert panel.ticked_sections() == list(CORE_SECTIONS)  # nothing to tick: the core four are ticked
    assert panel.sections_button.text().replace("&", "") == "Create briefing from 4 sections"
    clicks: list[str] = []

    def click(widget, name: str) -> None:  # noqa: ANN001
        clicks.append(name)
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)

    click(panel.sections_button, "Create briefing from 4 sections")
    qtbot.waitUntil(lambda: w.doc is not None and len(w.doc.briefing.sections) == 4, timeout=30000)
    doc = w.doc
    assert [s.section for s in doc.briefing.sections] == list(CORE_SECTIONS)
    assert all(s.items for s in doc.briefing.sections)
    assert not panel.isVisible() and w.composer.tree.isVisible()
    length = doc.length()
    assert doc.budget is not None and doc.budget.pages == DEFAULT_PAGES
    assert length.pages <= DEFAULT_PAGES and not length.over_pages
    assert "of a budget of 5 pages" in w.composer.length_label.text()
    assert doc.template is None  # an in-memory template: nothing linked, no edition to record

    written: list[Path] = []

    def in_the_dialog() -> None:
        dlg = QApplication.activeModalWidget()
        if not isinstance(dlg, ExportDialog):
            QTimer.singleShot(50, in_the_dialog)
            return
        click(dlg.export_button, "Export (dialog)")
        qtbot.waitUntil(lambda: dlg.task is None and dlg.written is not None, timeout=60000)
        written.append(Path(dlg.written))
        click(dlg.close_button, "Close")

    toolbar = w.findChild(QToolBar, "MainToolbar")
    QTimer.singleShot(0, in_the_dialog)
    click(toolbar.widgetForAction(w.export_action), "Export (toolbar)")
    qtbot.waitUntil(lambda: bool(written) and QApplication.activeModalWidget() is None, timeout=60000)
    assert clicks == ["Create briefing from 4 sections", "Export (toolbar)", "Export (dialog)", "Close"]
    assert len(clicks) <= 5
    assert written[0].is_file() and written[0].stat().st_size > 0
    from docx import Document

    text = "\n".join(p.text for p in Document(str(written[0])).paragraphs)
    for s in doc.briefing.sections:
        assert doc.sections[s.section].title in text
    _done(w)


def test_unticking_a_section_leaves_it_out(qtbot, data_dir: Path, no_dialogs: None) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    panel = w.composer.first_start
    lst = panel.sections_list
    risks = next(lst.item(i) for i in range(lst.count()) if lst.item(i).data(Qt.ItemDataRole.UserRole) == "risks")
    risks.setCheckState(Qt.CheckState.Unchecked)
    assert panel.sections_button.text().replace("&", "") == "Create briefing from 3 sections"
    for i in range(lst.count()):
        lst.item(i).setCheckState(Qt.CheckState.Unchecked)
    assert not panel.sections_button.isEnabled()
    lst.setFocus()
    qtbot.keyClick(lst, Qt.Key.Key_Return)  # nothing ticked: Enter does nothing
    assert w.doc is None or not w.doc.briefing.sections
    risks.setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(panel.sections_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: w.doc is not None and len(w.doc.briefing.sections) == 1, timeout=30000)
    assert [s.section for s in w.doc.briefing.sections] == ["risks"]
    _done(w)


def test_from_the_keyboard_space_ticks_and_enter_creates(qtbot, data_dir: Path, no_dialogs: None) -> None:  # noqa: ANN001
    """The keyboard path through the first-start panel: Tab to the list, Space unticks a section,
    Enter creates the briefing from the rest (Enter in a panel presses its default button)."""
    w = open_window(qtbot, data_dir)
    panel = w.composer.first_start
    lst = panel.sections_list
    lst.setFocus()
    ticked = panel.ticked_sections()
    lst.setCurrentRow(next(i for i in range(lst.count()) if lst.item(i).data(Qt.ItemDataRole.UserRole) == ticked[0]))
    qtbot.keyClick(lst, Qt.Key.Key_Space)
    assert panel.ticked_sections() == ticked[1:]
    qtbot.keyClick(lst, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: w.doc is not None and len(w.doc.briefing.sections) == len(ticked) - 1, timeout=30000)
    assert [s.section for s in w.doc.briefing.sections] == ticked[1:]
    _done(w)


def test_the_budget_of_a_briefing_from_sections_survives_reopening(qtbot, data_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                                  no_dialogs: None, monkeypatch) -> None:  # noqa: ANN001
    """A briefing started from sections follows no template, so its file keeps its budget: saved and
    reopened (or written by `briefer briefing new --sections`), it is still measured against 5 pages."""
    import json

    from briefer.cli import main
    from briefer.ui import filedialogs

    w = open_window(qtbot, data_dir)
    w.composer.first_start.sections_button.click()
    qtbot.waitUntil(lambda: w.doc is not None and len(w.doc.briefing.sections) == 4, timeout=30000)
    path = tmp_path / "four.briefing.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: path)
    assert w.save_as()
    assert json.loads(path.read_text(encoding="utf-8"))["budget"] == {"words": None, "pages": DEFAULT_PAGES}
    w.files.new_briefing()
    assert w.doc.budget is None
    assert w.open_path(path)
    assert w.doc.budget is not None and w.doc.budget.pages == DEFAULT_PAGES
    assert "of a budget of 5 pages" in w.composer.length_label.text()

    cli_file = tmp_path / "cli.briefing.json"
    sections = ["--sections", "risks,us-japan-cooperation"]
    assert main(["--data-dir", str(data_dir), "briefing", "new", str(cli_file), *sections]) == 0
    assert w.open_path(cli_file)
    assert w.doc.budget is not None and w.doc.budget.pages == DEFAULT_PAGES
    # a template's briefing keeps no budget of its own: the template's is the one that counts
    tpl_file = tmp_path / "tpl.briefing.json"
    assert main(["--data-dir", str(data_dir), "briefing", "new", str(tpl_file), "--template", "risk-watch"]) == 0
    assert "budget" not in json.loads(tpl_file.read_text(encoding="utf-8")) or \
        json.loads(tpl_file.read_text(encoding="utf-8"))["budget"] is None
    _done(w)
