"""Three traps seen in screenshots of the empty window (issue 14): "0 words … ≈ 2 pages" for an empty
briefing, "Facts current as of unknown" on its cover, and an inspector taking the library's room (six
rows at 1440×900); plus the window fitting a 1024×640 screen, and the sizes the user gives kept."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from window_support import OPEN, open_window, shut_windows  # noqa: F401 - shut_windows: autouse

from briefer.ui import undo_steps


def _start_empty(w) -> None:  # noqa: ANN001
    w.composer.first_start.empty_button.click()


def test_an_empty_briefing_says_it_is_empty_and_claims_no_date(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    _start_empty(w)
    text = w.composer.length_label.text()
    assert text.startswith("Empty briefing") and "page" not in text and "0 words" not in text
    w.preview.refresh()
    qtbot.waitUntil(lambda: "Japan" in w.preview.browser.toPlainText(), timeout=20000)
    assert "unknown" not in w.preview.browser.toPlainText()
    assert "Facts current as of" not in w.preview.browser.toPlainText()
    # a section with nothing in it is still an empty briefing
    from briefer.domain.briefing import BriefingSection

    w.doc.undo.push(undo_steps.InsertSection(w.doc, 0, BriefingSection(section="risks")))
    assert len(w.doc.briefing.sections) == 1
    assert w.composer.length_label.text().startswith("Empty briefing")
    # one fact: words, and the estimate the export uses (cover, the page with the fact, the sources table)
    w.add_facts(["hq-established-sept-1"])
    length = w.doc.length()
    assert not length.empty and length.words > 0 and 1 <= length.pages <= 3
    assert w.composer.length_label.text().startswith(f"{length.words:,} words")
    from briefer.domain.document import resolve
    from briefer.domain.pages import estimate

    assert length.pages == estimate(resolve(w.doc.briefing, w.store, today=w.today)).pages
    with qtbot.waitSignal(w.previewUpdated, timeout=20000):
        w.preview.refresh()
    assert "Facts current as of" in w.preview.browser.toPlainText()
    assert "unknown" not in w.preview.browser.toPlainText()


def test_the_library_list_gets_the_room_at_1440x900(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    w.resize(1440, 900)
    qtbot.waitUntil(lambda: w.height() == 900 or w.height() > 800, timeout=5000)
    qtbot.wait(50)
    assert w.inspector_dock.height() <= 0.22 * w.height()  # a fifth at most (it was half the window)
    facts = w.library.facts
    qtbot.waitUntil(lambda: w.library.fact_model.rowCount() > 20, timeout=20000)
    qtbot.wait(50)
    row = facts.visualRect(w.library.fact_model.index(0, 1)).height()
    assert row > 0 and facts.viewport().height() // row >= 9  # was six


def test_the_library_list_shows_six_rows_at_1024x640(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    """Two-line rows with a small margin, a tree of three rows and an inspector of three lines: six rows
    of the list on a 640-pixel screen (five before), each statement still two lines."""
    w = open_window(qtbot, data_dir)
    w.resize(1024, 640)
    qtbot.wait(50)
    w.resizeDocks([w.inspector_dock], [w.default_inspector_height()], Qt.Orientation.Vertical)  # as at first start
    qtbot.waitUntil(lambda: w.library.fact_model.rowCount() > 20, timeout=20000)
    qtbot.wait(50)
    facts = w.library.facts
    row = facts.visualRect(w.library.fact_model.index(0, 1)).height()
    line = facts.fontMetrics().lineSpacing()
    assert row >= 2 * line and facts.viewport().height() // row >= 6  # was five
    summary = w.inspector.summary
    assert summary.height() >= 3 * summary.fontMetrics().lineSpacing()  # the inspector still reads
    tree = w.library.sections
    assert tree.viewport().height() >= 2.5 * tree.sizeHintForRow(0)  # "All sections" and the first ones


def test_the_window_fits_a_1024x640_screen(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    assert w.minimumSizeHint().height() <= 640 and w.minimumSizeHint().width() <= 1024
    w.resize(1024, 640)
    qtbot.wait(50)
    assert w.height() <= 640


def test_the_inspector_and_splitter_sizes_are_kept(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    w.resize(1440, 900)
    qtbot.wait(50)
    w.resizeDocks([w.inspector_dock], [300], Qt.Orientation.Vertical)
    w.library.split.setSizes([60, 500])
    qtbot.wait(50)
    dock, tree = w.inspector_dock.height(), w.library.split.sizes()[0]
    w.save_settings()
    w2 = open_window(qtbot, data_dir)
    qtbot.wait(100)
    assert abs(w2.inspector_dock.height() - dock) <= 8
    assert abs(w2.library.split.sizes()[0] - tree) <= 8
