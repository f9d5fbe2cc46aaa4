"""The start after the first: the window restores the layout the last one saved, in a fresh process.

Every start after the first once opened the crash dialog ("Cannot call meta function
_dock_moved(Qt::DockWidgetArea) ...") and stood half-built behind it: restoring the saved layout moved
the inspector's dock, and its signal carries a Qt namespace enum the binding had not built yet at that
point of the start (briefer.ui.qt_names).  In-process tests never saw it: an earlier test had built the
enum.  So each start here is a process of its own, as a user's is."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: starts the window as ``briefer --data-dir D`` does, closes it (saving the layout) once it is ready;
#: an exception that reaches the window's handler (the crash dialog) ends the process with 3
CHILD = r"""
import os, sys, traceback
from pathlib import Path
import briefer.ui.app as a
import briefer.ui.mainwindow as mw
init = mw.MainWindow.__init__
def patched(self, *args, **kw):
    init(self, *args, **kw)
    from PySide6.QtCore import QTimer
    def close():
        print("ready", self.dockWidgetArea(self.inspector_dock).name, flush=True)
        self.close()
    self.ready.connect(lambda: QTimer.singleShot(300, close))
def crash(self, exc_type, exc, tb):
    print("crash dialog:", exc_type.__name__, exc, flush=True)
    traceback.print_tb(tb)
    os._exit(3)
mw.MainWindow.__init__ = patched
mw.MainWindow.handle_exception = crash
sys.exit(a.run(Path(sys.argv[1])))
"""


def _start(data: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(config),
           "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", CHILD, str(data)], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=120)


def test_the_window_starts_again_on_its_saved_layout_without_a_crash(tmp_path: Path) -> None:
    data, config = tmp_path / "data", tmp_path / "config"
    first = _start(data, config)
    assert first.returncode == 0 and "ready" in first.stdout, first.stdout + first.stderr[-2000:]
    saved = list(config.rglob("*.ini"))
    assert saved and any("state=" in p.read_text(encoding="utf-8", errors="replace") for p in saved)
    for _ in range(2):  # the second start, and the one after it
        again = _start(data, config)
        assert again.returncode == 0, again.stdout + again.stderr[-2000:]
        assert "crash dialog" not in again.stdout
        assert "ready BottomDockWidgetArea" in again.stdout  # the inspector where the last start left it
