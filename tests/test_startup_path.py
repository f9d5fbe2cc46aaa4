"""What the window's default start loads before the user can work: nothing of the store or the data
types before the first paint, no pydantic before the library is filled, and none of what later work
needs (the conflict pass and curation, the DOCX writer, the figures, templates, the briefing and its
preview) before the library is filled.  Each of these once stood on the start-up path; what the start
imports is what a user waits for (benchmarks/bench_ui.py measures it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: run as ``briefer --data-dir D`` is, printing the watched modules loaded at the first paint and when the
#: library is filled (``MainWindow.libraryFilled``: its list shows the facts and its search box takes a search)
CHILD = r"""
import os, sys
import briefer.ui.app as a
WATCH = ("pydantic", "briefer.model", "briefer.model.facts", "briefer.ingest.factpack", "briefer.store.db",
         "briefer.store.sqlite", "briefer.domain.conflicts",
         "briefer.domain.curation", "briefer.ingest.review", "briefer.app.curation", "briefer.app.export",
         "briefer.export.docx", "briefer.export.figure_draw", "briefer.domain.figures", "docx",
         "briefer.domain.templates", "briefer.domain.template_model",
         # the briefing, its page estimate and the preview's HTML: set up once the list is filled
         "briefer.domain.briefing", "briefer.domain.document", "briefer.domain.pages", "briefer.export",
         # the panes beside the library: made once it is filled (the shell holds their places)
         "briefer.ui.panes.composer", "briefer.ui.panes.preview", "briefer.ui.panes.inspector",
         # the records the start makes are plain classes (briefer.model.plain): no dataclass is written
         "dataclasses",
         # html's import builds its 2,231 named entities (the window escapes with briefer.ui.labels.escape);
         # calendar's imports locale (the freshness horizon counts months itself)
         "html", "calendar")
loaded = lambda: sorted(m for m in WATCH if m in sys.modules)
orig = a.make_app
def make_app(argv=None):
    app = orig(argv)
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QMainWindow
    class F(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint and isinstance(obj, QMainWindow) and not hasattr(app, "painted"):
                app.painted = loaded()
            return False
    app.f = F()
    app.installEventFilter(app.f)
    import briefer.ui.mainwindow as mw
    init = mw.MainWindow.__init__
    def patched(self, *args, **kw):
        init(self, *args, **kw)
        def filled():
            print("paint", " ".join(app.painted))
            print("filled", " ".join(loaded()))
            print("rows", self.library.fact_model.rowCount(), int(self.library.search.isEnabled()))
            print("store", type(self.store).__name__, flush=True)
            os._exit(0)
        self.libraryFilled.connect(filled)
    mw.MainWindow.__init__ = patched
    return app
a.make_app = make_app
from briefer.cli import main
main(sys.argv[1:])
"""


def _start(data_dir: Path, tmp_path: Path, child: str = CHILD) -> dict[str, list[str]]:
    """What ``child`` (a start of Briefer on ``data_dir``, offscreen) prints: its first word -> the rest."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    p = subprocess.run([sys.executable, "-c", child, "--data-dir", str(data_dir)], capture_output=True, text=True,
                       env=env, cwd=REPO, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    return {line.split(" ", 1)[0]: line.split()[1:] for line in p.stdout.splitlines() if line.strip()}


def test_the_first_paint_and_the_filled_library_load_only_what_they_show(data_dir: Path, tmp_path: Path) -> None:
    got = _start(data_dir, tmp_path)
    # the window is on screen before the store or the data types are imported
    assert got["paint"] == []
    # the store is open when the library is filled (a second start: the pack is already seeded), the
    # list shows its facts and the search box is on
    assert got["store"] and got["store"] != ["NoneType"]
    rows, searchable = (int(v) for v in got["rows"])
    assert rows > 0 and searchable
    assert {"briefer.model", "briefer.store.db", "briefer.store.sqlite"} <= set(got["filled"])
    # ... from light rows (briefer.model.rows): no pydantic model is built or even imported, and the fact
    # pack's loader is not read (the store is seeded already); the conflict pass, curation, the export
    # writers, figures, templates, the briefing and its preview, and the panes that show them come later
    later = set(got["filled"]) - {"briefer.model", "briefer.store.db", "briefer.store.sqlite"}
    assert later == set(), later


#: run as the benchmark's child is (an event filter on the window only: one on the application would make the
#: binding build the Python class of every object it meets), printing at the first paint and at libraryFilled
#: which Qt classes, modules and patterns exist, and where the panes' columns start
LEAN_CHILD = r"""
import os, sys
import briefer.ui.app as a
orig = a.make_app
def qt_classes():
    import PySide6.QtCore as C, PySide6.QtWidgets as W
    return [k for m in (C, W) for k, v in vars(m).items() if isinstance(v, type)]
def make_app(argv=None):
    app = orig(argv)
    from PySide6.QtCore import QEvent, QObject
    import briefer.ui.mainwindow as mw
    class F(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint and not hasattr(app, "top"):
                app.top = obj.centralWidget().geometry().y()
                app.menus = [a.text() for a in obj.menuBar().actions()]
            return False
    init = mw.MainWindow.__init__
    def patched(self, *args, **kw):
        init(self, *args, **kw)
        self._f = F()
        self.installEventFilter(self._f)
        def filled():
            import briefer.ui.workers as workers
            print("classes", " ".join(sorted(qt_classes())))
            print("modules", " ".join(sorted(m for m in sys.modules if m in (
                "hashlib", "briefer.app.search", "briefer.ui.briefing_model", "briefer.ui.outline_model",
                "briefer.store.editions"))))
            cjk = getattr(workers, "_cjk", None)
            print("cjk", cjk.cache_info().currsize if cjk is not None else -1)
            print("rows", self.library.fact_model.rowCount(), self.library.section_model.rowCount())
            print("panel", int(self.library._panel is None))
            print("top", app.top, self.centralWidget().geometry().y())
            print("menus", "|".join(app.menus), "/", "|".join(a.text() for a in self.menuBar().actions()))
            tb = getattr(self, "main_toolbar", None)
            print("toolbar", len(tb.actions()) if tb is not None else -1, flush=True)
            os._exit(0)
        self.libraryFilled.connect(filled)
    mw.MainWindow.__init__ = patched
    return app
a.make_app = make_app
from briefer.cli import main
main(sys.argv[1:])
"""


def test_the_filled_library_builds_no_qt_class_or_module_it_does_not_show(data_dir: Path, tmp_path: Path) -> None:
    got = _start(data_dir, tmp_path, LEAN_CHILD)
    # the list is filled: its facts and the section tree ("All sections" above the store's sections)
    facts, tree = (int(v) for v in got["rows"])
    assert facts > 0 and tree >= 1
    classes = set(got["classes"])
    assert {"QTreeView", "QLineEdit", "QHeaderView"} <= classes  # what the list is made of, as a check
    # QStyle's ~600 enum members are built when the first row is painted, after the list is filled; and
    # nothing asked the binding to search every widget class for a widget Qt made (the viewport, the
    # search box's icon button): that built the dialogs', the wizards' and the graphics view's classes
    assert "QStyle" not in classes
    # nor Qt's namespace: its ~95 enums were a tenth of the start (roles are ints, enum properties are set by
    # name, the header has its own model, the dock's room is kept by a placeholder: briefer.ui.qt_names)
    assert "Qt" not in classes
    assert not classes & {"QWizard", "QMessageBox", "QFileDialog", "QGraphicsView", "QMdiArea", "QCalendarWidget",
                          "QTabWidget", "QTextEdit", "QDialogButtonBox"}, classes
    # the filter panel (its combo boxes and date fields) is made when first opened
    assert got["panel"] == ["1"]
    assert not classes & {"QDateEdit", "QDateTimeEdit", "QComboBox", "QCheckBox"}, classes
    # QUrl (shown a file in the desktop) is made when first used
    assert "QUrl" not in classes
    # OpenSSL (edition hashes), the editions' module (a start with no edition journal beside the store does
    # not need it), the search service, the briefing's and the outline's models come later, and
    # the query worker's Japanese-character pattern is compiled when a word is typed
    assert got["modules"] == []
    assert got["cjk"] == ["0"]
    # the menus and the toolbar's room are there at the first paint: the columns do not move when the actions
    # arrive
    top_at_paint, top_filled = (int(v) for v in got["top"])
    assert top_at_paint == top_filled > 0
    menus = " ".join(got["menus"]).split(" / ")
    assert menus[0] == menus[1] == "&File|&Edit|F&acts|&View|&Help"
    assert int(got["toolbar"][0]) > 0


#: as the benchmark's "rows" child: at the list's first paint with the store's facts in it, whether Qt's
#: namespace has been built (by the models' data, the delegates' paint, the icons, a drag flag), and which
#: of Qt's event classes have
ROWS_CHILD = r"""
import os, sys
import briefer.ui.app as a
import briefer.ui.mainwindow as mw
import briefer.ui.panes.fact_view as fv
orig_paint = fv.FactView.paintEvent
def paint(view, event):
    orig_paint(view, event)
    if getattr(view, "_filled", False) and view.model().rowCount():
        import PySide6.QtCore as C, PySide6.QtGui as G
        print("qt", int("Qt" in vars(C)), view.model().rowCount())
        events = sorted(k for k, v in vars(G).items() if isinstance(v, type) and k.endswith("Event"))
        print("events", *events, flush=True)
        os._exit(0)
fv.FactView.paintEvent = paint
init = mw.MainWindow.__init__
def patched(self, *args, **kw):
    init(self, *args, **kw)
    self.libraryFilled.connect(lambda: setattr(self.library.facts, "_filled", True))
mw.MainWindow.__init__ = patched
from briefer.cli import main
main(sys.argv[1:])
"""


def test_the_first_rows_paint_without_qts_namespace(data_dir: Path, tmp_path: Path) -> None:
    got = _start(data_dir, tmp_path, ROWS_CHILD)
    built, rows = (int(v) for v in got["qt"])
    assert rows > 0
    assert built == 0
    # the only events made Python objects are those the window's own handlers take (paint, resize, show;
    # close is named by the window): an event filter on the search box was handed every event the box got,
    # and for each the binding built the classes of Qt's events until it found its kind (38 of them)
    assert set(got["events"]) <= {"QPaintEvent", "QResizeEvent", "QShowEvent", "QCloseEvent"}, got["events"]
