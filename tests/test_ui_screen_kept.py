"""The screen outlives every window and dialog that asked for it.  PySide6 6.11 makes the QScreen
returned by ``QWidget.screen()`` a child of the widget's wrapper, and deletes it with that widget:
Save as template… (whose editor sized itself by its screen) and then New crashed the window in
``QScreen::virtualSiblings`` (a general protection fault a tester saw; reproduced offscreen, gdb
showing ``~QScreen`` called from the binding's garbage collection).  Briefer asks
``briefer.ui.window_size.screen_of`` instead, which asks the application."""

from __future__ import annotations

import ast
import gc
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QGuiApplication
from window_support import open_window, shut_windows  # noqa: F401 - autouse

REPO = Path(__file__).resolve().parents[1]


def test_no_widget_is_asked_for_its_screen() -> None:
    calls = []
    for path in sorted((REPO / "briefer").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "screen" \
                    and not node.args:
                calls.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert calls == [], "use briefer.ui.window_size.screen_of: QWidget.screen() lets the binding delete the screen"


def test_the_screen_survives_a_closed_template_editor_and_window(qtbot, data_dir: Path) -> None:  # noqa: ANN001
    from briefer.domain.template_library import TemplateLibrary
    from briefer.ui.dialogs.template_editor import TemplateEditor

    w = open_window(qtbot, data_dir)
    editor = TemplateEditor(w.context(), TemplateLibrary(data_dir).get("risk-watch"), parent=w)
    screen = QGuiApplication.primaryScreen()
    assert "parent" not in shiboken6.dump(screen)  # not the editor's, nor the window's, to delete
    editor.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
    assert shiboken6.isValid(screen) and QGuiApplication.screens()[0].virtualSiblings()
    assert QGuiApplication.screenAt(w.geometry().center()) is not None
