"""The Cover & summary tab fits its pane's width at 1024×640 and 1280×720: no field runs off the right
edge behind a horizontal scroll bar (at 1280×720 the marking and date boxes were cut off, the date's
arrow hidden); the form scrolls up and down instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea
from window_support import open_window, shut_windows  # noqa: F401 - autouse


@pytest.mark.parametrize("size", [(1024, 640), (1280, 720), (1440, 900)])
def test_the_cover_fields_fit_the_pane_s_width(qtbot, data_dir: Path, size: tuple[int, int]) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    create = next(b for b in w.findChildren(QPushButton) if b.text().startswith("Create &briefing"))
    create.click()
    qtbot.waitUntil(lambda: w.doc is not None and bool(w.doc.briefing.sections), timeout=20000)
    w.resize(*size)
    w.composer.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    qtbot.wait(100)
    cover = w.composer.cover
    area = next(a for a in w.composer.findChildren(QScrollArea) if a.isAncestorOf(cover))
    assert area.horizontalScrollBar().maximum() == 0, size
    right = area.viewport().mapToGlobal(QPoint(area.viewport().width(), 0)).x()
    for field in (*cover.cover_edits.values(), cover.marking_combo, cover.date_edit, cover.summary_edit):
        assert field.mapToGlobal(QPoint(field.width(), 0)).x() <= right, (size, field.accessibleName())
    assert cover.marking_combo.lineEdit().cursorPosition() == 0  # the marking's start in sight
