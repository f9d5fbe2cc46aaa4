"""The order of the window's start: the library's list is painted with the store's facts before the worker
that loads the briefing's data types starts (its imports hold the interpreter while the list's paint calls
into Python for every cell), and that worker starts however the list is shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget
from window_support import open_window, shut_windows  # noqa: F401 - shut_windows: autouse

import briefer.ui.store_session as store_session
from briefer.ui.panes.fact_view import FactView


class _ListPaints(QObject):
    """Notes the library list's rows at each paint of its viewport.  (An event filter, not a patched
    ``FactView.paintEvent``: the binding keeps a Qt virtual's Python override after the class's method is
    put back, and a list that outlives the test was painted by the freed function in the next one.)"""

    def __init__(self) -> None:
        super().__init__()
        self.painted: list[int] = []

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint and isinstance(obj.parent(), FactView):
            self.painted.append(obj.parent().model().rowCount())
        return False


def test_the_list_is_painted_with_its_facts_before_the_models_worker_starts(qtbot, data_dir: Path,  # noqa: ANN001
                                                                          monkeypatch) -> None:  # noqa: ANN001
    paints = _ListPaints()
    painted = paints.painted  # the list's rows at each of its paints
    at_start: list[list[int]] = []  # what had been painted when each start-up worker started

    real_start = store_session.start

    def noted_start(task):  # noqa: ANN001, ANN202
        at_start.append(list(painted))
        return real_start(task)

    monkeypatch.setattr(store_session, "start", noted_start)
    QApplication.instance().installEventFilter(paints)
    try:
        w = open_window(qtbot, data_dir)  # returns once the window is ready: the models worker has run
    finally:
        QApplication.instance().removeEventFilter(paints)
    assert len(at_start) >= 2
    opening, models = at_start[0], at_start[1]
    assert not any(opening)  # the store opens before the list has any fact
    assert models and models[-1] > 0  # the list was on screen with its facts first
    assert w.library.fact_model.rowCount() == models[-1]


def test_after_next_paint_runs_after_a_paint_at_once_when_hidden_and_at_most_after_its_wait(qtbot) -> None:  # noqa: ANN001
    host = QWidget()
    qtbot.addWidget(host)
    view = FactView()
    view.setParent(host)
    ran: list[str] = []
    view.after_next_paint(lambda: ran.append("hidden"))  # not on screen: from the event loop, at once
    qtbot.waitUntil(lambda: ran == ["hidden"], timeout=2000)
    host.show()
    qtbot.waitExposed(host)
    qtbot.wait(300)  # the paints of the show are over
    view.after_next_paint(lambda: ran.append("painted"))
    qtbot.wait(50)
    assert ran == ["hidden"]  # waits for the paint
    view.viewport().update()
    qtbot.waitUntil(lambda: ran == ["hidden", "painted"], timeout=2000)
    view.after_next_paint(lambda: ran.append("waited"), at_most_ms=100)  # no paint comes: run after 100 ms
    qtbot.waitUntil(lambda: ran[-1] == "waited", timeout=2000)
    view.viewport().update()
    qtbot.wait(50)
    assert ran == ["hidden", "painted", "waited"]  # once only
