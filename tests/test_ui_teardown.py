"""Tearing down without crashing: Qt objects that Python frees through the cycle collector are
freed on the GUI thread however busy the workers are (a dialog destroyed by a worker's garbage
collection crashes the process), and a window closed while its store opens leaves no thread running
(Qt aborts the process when a running QThread is destroyed)."""

from __future__ import annotations

import threading
import weakref
from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout


class _InACycle(QDialog):
    def __init__(self) -> None:
        super().__init__()  # no parent: Python owns it
        QVBoxLayout(self).addWidget(QLineEdit())
        self.timer = QTimer(self)
        self.me = self  # only the cycle collector can free it


def _busy_worker() -> None:
    """What a search or the conflict scan does to the collector: allocate, and leave cycles."""
    for _ in range(50_000):
        a: list[object] = []
        a.append(a)


def test_a_dialog_in_a_cycle_is_freed_on_the_gui_thread_while_a_worker_allocates(qtbot) -> None:  # noqa: ANN001
    freed_on: list[str] = []
    dialog = _InACycle()
    weakref.finalize(dialog, lambda: freed_on.append(threading.current_thread().name))
    del dialog
    worker = threading.Thread(target=_busy_worker, name="worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(freed_on), timeout=5000)
    assert freed_on == [threading.main_thread().name]


def test_a_window_closed_while_its_store_opens_starts_no_query_thread(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    from briefer.ui.mainwindow import MainWindow

    w = MainWindow(data_dir, today=date(2025, 11, 1))
    qtbot.addWidget(w)
    w.show()
    w.start()  # the store opens in a worker
    w.shutdown()  # closed at once: waits for the worker, whose result is still queued
    opened: list[bool] = []
    w.ready.connect(lambda: opened.append(True))
    QCoreApplication.processEvents()
    assert w.query_thread is None and w.store is None and opened == []


def test_a_briefing_with_undo_steps_is_freed_without_the_cycle_collector(qapp, data_dir) -> None:  # noqa: ANN001
    """A briefing, its outline model, its undo stack and the steps on it form no reference cycle, so they
    are freed on the GUI thread when the last reference goes, never by the cycle collector at a random
    moment (which crashed the suite in garbage collection about one run in eight)."""
    import gc
    import weakref

    from briefer.domain.briefing import Briefing, BriefingSection, FactItem
    from briefer.ingest.factpack import open_store
    from briefer.ui import undo_steps
    from briefer.ui.briefing_model import BriefingDoc, Budget

    store = open_store(data_dir)
    facts = store.facts()
    law = [f.id for f in facts if f.section == "law-summary"][:3]
    other = next(f.id for f in facts if f.section == "us-japan-cooperation")
    b = Briefing(sections=[BriefingSection(section="law-summary", items=[FactItem(fact_id=i) for i in law])])
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        doc = BriefingDoc(b, store_sections=store.sections(), facts={f.id: f for f in facts}, budget=Budget(100, 1))
        assert undo_steps.add_facts(doc, [other]) == [other]
        undo_steps.move_by_keyboard(doc, 0, 0, +1)
        doc.undo.undo()
        doc.undo.redo()
        assert doc.undo.count() == 2
        gone = weakref.ref(doc)
        model = weakref.ref(doc.model)
        del doc
        assert gone() is None, "the briefing is kept alive by a reference cycle"
        assert model() is None
    finally:
        if was_enabled:
            gc.enable()
        store.close()


def test_the_start_holds_the_collector_until_the_library_is_filled_then_its_objects_are_frozen(qapp) -> None:  # noqa: ANN001
    """The window's start collects no cycles (its objects stay for the session); the release moves them to
    the permanent generation, and collections run again from then on, on the GUI thread."""
    import gc
    import time

    from briefer.ui import collector

    collector.install(qapp)
    state = type("State", (), {"last_full": time.monotonic()})()
    frozen = gc.get_freeze_count()
    collector.hold()
    try:
        junk: list[object] = []
        for _ in range(2_000):
            a: list[object] = []
            a.append(a)
            junk.append(a)
        del junk, a
        assert gc.get_count()[0] >= gc.get_threshold()[0]  # due, but held
        assert collector.collect_due(state) is None
        assert not gc.isenabled()
    finally:
        collector.release()
    assert gc.get_freeze_count() > frozen  # what existed at the release is frozen, not walked again
    gc.unfreeze()  # (the rest of the suite: as before)
    probe = weakref.ref(_InACycle())  # garbage in a cycle, made after the release
    junk = [[] for _ in range(gc.get_threshold()[0] + 10)]
    assert collector.collect_due(state) is not None  # collected again, by the timer's check
    assert probe() is None
    assert not gc.isenabled()  # the timer collects, not the interpreter at any allocation
    del junk


def test_a_hold_ends_by_itself(qapp) -> None:  # noqa: ANN001
    import gc
    import time

    from briefer.ui import collector

    collector.install(qapp)
    state = type("State", (), {"last_full": time.monotonic()})()
    collector.hold(seconds=0.0)
    for _ in range(gc.get_threshold()[0] + 10):
        [].append([])
    junk = [[] for _ in range(gc.get_threshold()[0] + 10)]
    assert collector.collect_due(state) is not None  # the hold is over: collected as before
    assert collector._held_until is None
    del junk
