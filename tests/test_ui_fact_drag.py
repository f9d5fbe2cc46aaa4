"""The library list drags facts itself (its model keeps Qt's default flags: see briefer.ui.panes.fact_view):
a press on a row and a move of the start-drag distance drags the selected facts, or the pressed one alone;
a shorter move is a click.  Its header labels come from a model of their own, and its last line elides as
Qt's elidedText does."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from window_support import open_window, shut_windows  # noqa: F401 - shut_windows: autouse

from briefer.ui.mime import FACTS_MIME
from briefer.ui.models.library import FactListModel
from briefer.ui.panes.library_delegates import elided


def _list(qtbot, data_dir: Path):  # noqa: ANN001, ANN202
    w = open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: w.library.fact_model.rowCount() > 5, timeout=20000)
    view = w.library.facts
    dragged: list[tuple[list[int], QPoint]] = []
    view._drag = lambda rows, press: dragged.append((rows, press))  # what Qt's QDrag.exec would carry
    return w, view, dragged


def _centre(view, row: int) -> QPoint:  # noqa: ANN001
    return view.visualRect(view.model().index(row, FactListModel.FACT)).center()


def _press_move(view, row: int, dx: int, *, release: bool = False) -> None:  # noqa: ANN001
    """Press on ``row`` and move ``dx`` pixels; the release only where asked (a drag's QDrag.exec takes it)."""
    start = _centre(view, row)
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(view.viewport(), start + QPoint(dx, 0))
    if release:
        QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           start + QPoint(dx, 0))


def test_a_drag_from_a_selected_row_carries_the_selection(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w, view, dragged = _list(qtbot, data_dir)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _centre(view, 1))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier, _centre(view, 3))
    assert sorted(i.row() for i in view.selectionModel().selectedRows()) == [1, 3]
    _press_move(view, 3, QApplication.startDragDistance() + 4)
    assert [rows for rows, _p in dragged] == [[1, 3]]
    # the selection is what it was (the press on a selected row did not narrow it)
    assert sorted(i.row() for i in view.selectionModel().selectedRows()) == [1, 3]
    # what the drag carries: the two facts' ids, and their statements as text
    model = w.library.fact_model
    data = model.mimeData([model.index(r, 0) for r in dragged[0][0]])
    ids = json.loads(bytes(data.data(FACTS_MIME).data()).decode())
    assert ids == [model.fact_at(1).id, model.fact_at(3).id]
    assert data.text().splitlines() == [model.fact_at(1).statement, model.fact_at(3).statement]


def test_a_drag_from_another_row_carries_that_row_and_a_short_move_is_a_click(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w, view, dragged = _list(qtbot, data_dir)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, _centre(view, 1))
    _press_move(view, 4, QApplication.startDragDistance() + 4)
    assert [rows for rows, _p in dragged] == [[4]]
    dragged.clear()
    _press_move(view, 2, max(1, QApplication.startDragDistance() - 3), release=True)
    assert dragged == []
    assert [i.row() for i in view.selectionModel().selectedRows()] == [2]  # a click picked it


def test_the_header_and_the_elided_line(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    w, view, _dragged = _list(qtbot, data_dir)
    header = view.header()
    labels = [header.model().headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())]
    tips = [header.model().headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            for c in range(header.count())]
    assert labels == ["", "Fact", "As of", "Section", "Source"]  # the status column says it by its tooltip
    assert tips == list(FactListModel.HEADERS)
    assert header.model().columnCount() == w.library.fact_model.columnCount()
    fm = QFontMetrics(view.font())
    text = "The AI Strategy Headquarters drafts the Basic AI Plan for the Cabinet"
    assert elided(fm, text, fm.horizontalAdvance(text)) == text
    for width in (40, 120, 260):
        short = elided(fm, text, width)
        assert short.endswith("\u2026") and fm.horizontalAdvance(short) <= width
        assert text.startswith(short[:-1].rstrip())
        qt = fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
        assert abs(len(short) - len(qt)) <= 2  # as Qt's (which may keep a space before the ellipsis)
