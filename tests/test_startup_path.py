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
         "briefer.ui.panes.composer", "briefer.ui.panes.preview", "briefer.ui.panes.inspector")
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


def _start(data_dir: Path, tmp_path: Path) -> dict[str, list[str]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    p = subprocess.run([sys.executable, "-c", CHILD, "--data-dir", str(data_dir)], capture_output=True, text=True,
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
