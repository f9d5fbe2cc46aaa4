"""Files, errors and recovery in the window: cancelled, failed and successful file
dialogs; the prompt on close; recent files; autosave and recovery after a crash;
the crash dialog; settings remembered; export failures and cancel; the entry point."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QModelIndex, Qt
from window_support import OPEN, open_window, shut_windows  # noqa: F401 - shut_windows: autouse

from briefer.ui import filedialogs, messages, recovery
from briefer.ui import settings as ui_settings
from briefer.ui.mainwindow import MainWindow

TODAY = date(2025, 11, 1)
REPO = Path(__file__).resolve().parents[1]


class Calls:
    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.infos: list[str] = []


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Calls:
    c = Calls()
    monkeypatch.setattr(messages, "error", lambda parent, title, text, informative="": c.errors.append((title, text)))
    monkeypatch.setattr(messages, "info", lambda parent, title, text: c.infos.append(text))

    def unexpected(*a, **k):  # noqa: ANN002, ANN003
        raise AssertionError(f"unexpected prompt {a[1:]}")

    for name in ("confirm", "save_changes", "ask_text", "recover", "replace_file"):
        monkeypatch.setattr(messages, name, unexpected)
    for name in ("ask_open_path", "ask_open_paths", "ask_save_path"):
        monkeypatch.setattr(filedialogs, name, unexpected)
    return c








def modified_window(qtbot, data_dir: Path) -> MainWindow:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    w.add_facts(["hq-established-sept-1", "hq-legal-basis"])
    assert w.isWindowModified()
    return w


# -- open ------------------------------------------------------------------------------------


def test_open_cancelled_failed_and_newer(qtbot, data_dir: Path, tmp_path: Path, calls: Calls,  # noqa: ANN001
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    w = open_window(qtbot, data_dir)
    before = w.doc
    monkeypatch.setattr(filedialogs, "ask_open_path", lambda *a, **k: None)
    w.open_action.trigger()
    assert w.doc is before and not calls.errors  # cancelled: nothing happens

    corrupt = tmp_path / "corrupt.briefing.json"
    corrupt.write_text("{ this is not json", encoding="utf-8")
    monkeypatch.setattr(filedialogs, "ask_open_path", lambda *a, **k: corrupt)
    w.open_action.trigger()
    assert w.doc is before
    assert calls.errors and calls.errors[-1][0] == "Cannot open the briefing"
    assert "corrupt.briefing.json" in calls.errors[-1][1]
    assert corrupt.read_text(encoding="utf-8") == "{ this is not json"  # left as it was

    newer = tmp_path / "newer.briefing.json"
    newer.write_text(json.dumps({"format": "briefer-briefing", "schema_version": 99, "briefing": {}}),
                     encoding="utf-8")
    monkeypatch.setattr(filedialogs, "ask_open_path", lambda *a, **k: newer)
    w.open_action.trigger()
    assert "newer Briefer" in calls.errors[-1][1]
    assert w.doc is before


def test_open_reports_facts_deleted_since_saving(qtbot, data_dir: Path, tmp_path: Path, calls: Calls,  # noqa: ANN001
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    w = modified_window(qtbot, data_dir)
    path = tmp_path / "b.briefing.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: path)
    assert w.save_as()
    w.store.delete_fact("hq-legal-basis")
    assert w.open_path(path)
    assert w.doc.briefing.fact_ids() == ["hq-established-sept-1"]
    # said in the bar above the outline, not in a modal message
    assert calls.infos == []
    assert w.live.bar.isVisible()
    assert "Left out when this briefing was opened:" in w.live.bar.text()  # each line says why
    assert "fact hq-legal-basis" in w.live.bar.text() and "was deleted from the store" in w.live.bar.text()
    assert "1 change in the store since it was saved, listed above the outline" in w.status_label.text()


def test_a_reopened_briefing_marks_each_fact_changed_since_saving(qtbot, data_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                                 calls: Calls, monkeypatch: pytest.MonkeyPatch) -> None:
    """The marks a colleague's live change gets (the outline row, its tip, the bar), for a file reopened
    after the store changed: each changed fact marked where it stands, the rest unmarked."""
    from briefer.domain import curation

    w = modified_window(qtbot, data_dir)
    path = tmp_path / "b.briefing.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: path)
    assert w.save_as()
    curation.change_fact(w.store, "hq-legal-basis", analyst="Ana", statement="The Headquarters rests on Article 19.")
    assert w.open_path(path)
    assert calls.infos == []
    assert list(w.doc.store_notes) == ["hq-legal-basis"]
    reworded = "fact hq-legal-basis was reworded in the store since the file was saved"
    assert w.doc.store_notes["hq-legal-basis"] == reworded
    assert w.live.bar.isVisible() and w.doc.store_notes["hq-legal-basis"] in w.live.bar.text()
    from briefer.ui.outline_model import OutlineModel

    model = w.composer.tree.model()
    rows = [model.index(c, 0, model.index(r, 0)) for r in range(model.rowCount())
            for c in range(model.rowCount(model.index(r, 0)))]
    marked = {i.data(OutlineModel.FactIdRole): i for i in rows if i.data(OutlineModel.FactIdRole)}
    assert set(marked) == {"hq-established-sept-1", "hq-legal-basis"}
    changed = marked["hq-legal-basis"]
    assert changed.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "[changed in the store]" in changed.data()
    assert "Fact hq-legal-basis was reworded in the store since the file was saved." in \
        changed.data(Qt.ItemDataRole.ToolTipRole)
    assert marked["hq-established-sept-1"].data(Qt.ItemDataRole.BackgroundRole) is None  # only the changed fact

    # saved again and reopened: nothing changed since, nothing marked
    assert w.save()
    assert w.open_path(path)
    assert w.doc.store_notes == {} and not w.live.bar.isVisible()
    assert calls.infos == []


# -- save ------------------------------------------------------------------------------------


def test_save_cancelled_failed_and_succeeded(qtbot, data_dir: Path, tmp_path: Path, calls: Calls,  # noqa: ANN001
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    w = modified_window(qtbot, data_dir)
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: None)
    w.save_action.trigger()
    assert w.isWindowModified() and w.doc.path is None and not calls.errors

    missing = tmp_path / "no" / "such" / "folder" / "x.briefing.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: missing)
    w.save_action.trigger()
    assert calls.errors and calls.errors[-1][0] == "Cannot save the briefing"
    assert "does not exist" in calls.errors[-1][1]
    assert w.isWindowModified() and w.doc.path is None and not missing.exists()

    locked = tmp_path / "locked"
    locked.mkdir()
    os.chmod(locked, 0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere")  # pragma: no cover
        monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: locked / "x.briefing.json")
        w.save_action.trigger()
        assert "permission denied" in calls.errors[-1][1]
        assert w.isWindowModified()
    except pytest.skip.Exception:
        pass
    finally:
        os.chmod(locked, 0o700)

    good = tmp_path / "good.briefing.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: good)
    w.save_action.trigger()
    assert good.exists() and not w.isWindowModified()
    assert w.windowTitle().startswith("good")
    # Save again writes in place without asking
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: pytest.fail("asked again"))
    w.composer.add_section("risks")
    assert w.isWindowModified()
    w.save_action.trigger()
    assert not w.isWindowModified()
    assert "risks" in good.read_text(encoding="utf-8")
    assert not list(tmp_path.glob(".good*"))  # no temporary file left


# -- closing with unsaved changes -----------------------------------------------------------------


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_prompt_on_close(qtbot, data_dir: Path, tmp_path: Path, calls: Calls,  # noqa: ANN001
                         monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    w = modified_window(qtbot, data_dir)
    asked: list[str] = []
    result = {"cancel": messages.Answer.CANCEL, "discard": messages.Answer.NO, "save": messages.Answer.YES}[answer]
    monkeypatch.setattr(messages, "save_changes", lambda parent, name: asked.append(name) or result)
    target = tmp_path / "closing.briefing.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: target)
    w.close()
    assert asked == ["Untitled briefing"]
    if answer == "cancel":
        assert w.isVisible() and w.store is not None
    else:
        assert not w.isVisible() and w.store is None
    assert target.exists() == (answer == "save")


def test_recent_files_menu(qtbot, data_dir: Path, tmp_path: Path, calls: Calls,  # noqa: ANN001
                           monkeypatch: pytest.MonkeyPatch) -> None:
    w = modified_window(qtbot, data_dir)
    path = tmp_path / "recent.briefing.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: path)
    w.save_action.trigger()
    assert ui_settings.recent_files()[0] == str(path.resolve())
    assert str(ui_settings.config_dir()).startswith(os.environ["XDG_CONFIG_HOME"])
    w._fill_recent_menu()
    labels = [a.text() for a in w.recent_menu.actions()]
    assert any("recent.briefing.json" in t for t in labels)
    path.unlink()
    w._open_recent(str(path.resolve()))
    assert "no longer exists" in calls.errors[-1][1]
    assert str(path.resolve()) not in ui_settings.recent_files()


# -- autosave, crash, recovery ----------------------------------------------------------------------


def test_autosave_and_recovery_after_a_crash(qtbot, data_dir: Path, calls: Calls,  # noqa: ANN001
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    w = modified_window(qtbot, data_dir)
    w.composer.cover_edits["title"].setText("Unsaved work")
    w.composer.cover_edits["title"].textEdited.emit("Unsaved work")
    assert w.autosave_timer.isActive() and w.autosave_timer.interval() == 30_000
    saved = w.autosave()
    assert saved is not None and saved.exists()
    expected = w.doc.briefing.model_dump(mode="json")
    # the process "dies": no clean close, the recovery file stays
    w.autosave_timer.stop()
    w.query_thread.stop()
    recovery.forget_session(w.session)
    w.preview.detach()
    w.store.close()
    w.store = None
    w.hide()
    assert saved.exists()
    from briefer.domain import curation  # meanwhile a fact of the briefing changes in the store
    from briefer.ingest.factpack import open_store

    with open_store(data_dir) as store:
        curation.change_fact(store, "hq-legal-basis", analyst="Ana", statement="The Headquarters rests on Article 19.")

    offered: list[str] = []
    monkeypatch.setattr(messages, "recover", lambda parent, text: offered.append(text) or messages.Answer.YES)
    w2 = open_window(qtbot, data_dir)
    assert offered and "Unsaved work" in offered[0]
    assert w2.doc.briefing.model_dump(mode="json") == expected
    assert w2.isWindowModified()  # recovered work is not saved yet
    # what changed since the autosave is marked as for a reopened file
    assert list(w2.doc.store_notes) == ["hq-legal-basis"] and w2.live.bar.isVisible()
    assert "1 change in the store since it was saved" in w2.status_label.text()
    assert calls.infos == []
    assert not saved.exists()  # taken back in; this session autosaves anew

    # a clean close leaves no recovery file, so the next start offers nothing
    w2.autosave()
    monkeypatch.setattr(messages, "save_changes", lambda *a: messages.Answer.NO)
    w2.close()
    offered.clear()
    open_window(qtbot, data_dir)
    assert offered == []


def test_recovery_declined_discards(qtbot, data_dir: Path, calls: Calls,  # noqa: ANN001
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    w = modified_window(qtbot, data_dir)
    saved = w.autosave()
    recovery.forget_session(w.session)
    monkeypatch.setattr(messages, "recover", lambda parent, text: messages.Answer.NO)
    w2 = open_window(qtbot, data_dir)
    assert w2.doc.briefing.fact_ids() == []
    assert saved is not None and not saved.exists()


def test_unexpected_exception_autosaves_then_shows_the_crash_dialog(qtbot, data_dir: Path, calls: Calls,  # noqa: ANN001
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.ui.dialogs.crash import CrashDialog

    shown: list[CrashDialog] = []
    monkeypatch.setattr(CrashDialog, "exec", lambda self: shown.append(self) or 0)
    w = modified_window(qtbot, data_dir)
    try:
        raise RuntimeError("boom in a slot")
    except RuntimeError as exc:
        w.handle_exception(type(exc), exc, exc.__traceback__)
    assert shown, "the crash dialog opened"
    details = shown[0].details.toPlainText()
    assert "RuntimeError: boom in a slot" in details and "Traceback" in details
    shown[0].copy_details()
    from PySide6.QtWidgets import QApplication

    assert "boom in a slot" in QApplication.clipboard().text()
    assert recovery.session_files(w.session, data_dir)[0].exists()  # autosaved first
    # the window keeps running
    assert w.isVisible()
    w.add_facts(["hq-legal-basis"])
    assert "hq-legal-basis" in w.doc.briefing.fact_ids()
    # a known error is a plain message, not a crash
    from briefer.errors import KnownError

    w.handle_exception(KnownError, KnownError("the file is locked by another program"), None)
    assert calls.errors[-1][1] == "the file is locked by another program"
    assert len(shown) == 1


@pytest.mark.qt_no_exception_capture
def test_a_bug_error_in_a_slot_reaches_the_crash_dialog_only_after_the_autosave(  # noqa: ANN201
        qtbot, data_dir: Path, calls: Calls, monkeypatch: pytest.MonkeyPatch):  # noqa: ANN001
    """A BugError raised in a real slot (Help > Keyboard shortcuts) goes through the window's exception
    hook: when the crash dialog opens, the unsaved briefing is already in its recovery file."""
    from briefer.errors import BugError
    from briefer.ui import app as ui_app
    from briefer.ui.dialogs import about
    from briefer.ui.dialogs.crash import CrashDialog

    w = modified_window(qtbot, data_dir)
    saved_copy = recovery.session_files(w.session, data_dir)[0]
    assert not saved_copy.exists()  # nothing autosaved yet
    seen: list[tuple[str, bool, str]] = []

    def crash_exec(dialog: CrashDialog) -> int:
        on_disk = saved_copy.exists()
        seen.append((dialog.details.toPlainText(), on_disk, saved_copy.read_text(encoding="utf-8") if on_disk else ""))
        return 0

    monkeypatch.setattr(CrashDialog, "exec", crash_exec)

    def broken(*_a: object, **_k: object) -> None:
        raise BugError("the shortcut table is inconsistent")

    monkeypatch.setattr(about, "ShortcutsDialog", broken)
    from PySide6.QtWidgets import QApplication

    previous = ui_app.install_exception_hook(QApplication.instance(), w)
    try:
        w.shortcuts_action.trigger()
    finally:
        sys.excepthook = previous
        for name in ("last_exc", "last_type", "last_value", "last_traceback"):  # PyErr_Print keeps the error
            if hasattr(sys, name):
                setattr(sys, name, None)
    assert len(seen) == 1, "the crash dialog opened once"
    details, autosaved, saved = seen[0]
    assert "BugError: the shortcut table is inconsistent" in details
    assert autosaved, "the briefing was autosaved before the crash dialog showed"
    assert "hq-legal-basis" in saved
    assert calls.errors == []  # a bug is not shown as a user error
    assert w.isVisible() and "hq-legal-basis" in w.doc.briefing.fact_ids()


def test_a_store_that_cannot_open_is_a_clear_dialog(qtbot, tmp_path: Path, calls: Calls) -> None:  # noqa: ANN001
    bad = tmp_path / "data"
    bad.mkdir()
    (bad / "briefer.sqlite3").write_bytes(b"this is not a database at all, just text" * 10)
    w = MainWindow(bad, today=TODAY)
    OPEN.append(w)
    w.show()
    w.start()
    qtbot.waitUntil(lambda: bool(calls.errors), timeout=20000)
    assert calls.errors[0][0] == "Cannot open the fact store"
    assert "not a Briefer database" in calls.errors[0][1]
    assert not w.save_action.isEnabled()


# -- settings ---------------------------------------------------------------------------------------


def test_geometry_and_pane_sizes_are_remembered(qtbot, data_dir: Path, calls: Calls) -> None:  # noqa: ANN001
    w = open_window(qtbot, data_dir)
    w.resize(790, 560)  # within the offscreen screen (800 x 600): restoreGeometry keeps windows on screen
    qtbot.wait(20)
    default = w.splitter.sizes()
    # the library wider than it starts (it starts as narrow as its filled list allows)
    w.splitter.setSizes([default[0] + 60, default[1] - 30, default[2] - 30])
    sizes = w.splitter.sizes()
    size = (w.width(), w.height())  # the height cannot go below the panes' minimum
    assert sizes[0] > default[0]
    w.close()
    ini = ui_settings.config_dir() / "briefer-window.ini"
    assert ini.exists()
    assert isinstance(ui_settings.settings().value("splitters/main"), QByteArray)
    w2 = open_window(qtbot, data_dir)
    qtbot.waitUntil(lambda: w2.splitter.sizes() == sizes, timeout=3000)
    assert (w2.width(), w2.height()) == size


# -- export failures and cancel -----------------------------------------------------------------------


def _export_dialog(qtbot, w: MainWindow):  # noqa: ANN001, ANN202
    from briefer.ui.dialogs.export import ExportDialog

    dlg = ExportDialog(w.doc, w.store, today=TODAY, parent=w)
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def test_export_to_a_missing_folder_fails_clearly(qtbot, data_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                  calls: Calls) -> None:
    w = modified_window(qtbot, data_dir)
    dlg = _export_dialog(qtbot, w)
    target = tmp_path / "missing" / "b.docx"
    dlg.path_edit.setText(str(target))
    dlg.export_button.click()
    qtbot.waitUntil(lambda: "failed" in dlg.state_label.text(), timeout=20000)
    assert "does not exist" in dlg.state_label.text()
    assert not target.exists() and not dlg.open_button.isVisible()
    assert dlg.export_button.isEnabled()


def test_export_cancel_keeps_the_earlier_file(qtbot, data_dir: Path, tmp_path: Path, calls: Calls,  # noqa: ANN001
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    w = modified_window(qtbot, data_dir)
    dlg = _export_dialog(qtbot, w)
    target = tmp_path / "b.md"
    target.write_text("the earlier export", encoding="utf-8")
    dlg.format_combo.setCurrentIndex(dlg.format_combo.findData("md"))
    dlg.path_edit.setText(str(target))
    asked: list[str] = []
    monkeypatch.setattr(messages, "replace_file", lambda parent, path: asked.append(path) or True)
    # the worker waits just before the rename until Cancel was clicked (a fast machine wins the race otherwise)
    import threading

    from briefer import faults

    gate, real_step = threading.Event(), faults.step
    monkeypatch.setattr(faults, "step", lambda name: gate.wait(20) if name == "export-dialog-before-claim"
                        else real_step(name))
    dlg.export_button.click()
    assert asked == [str(target)]  # a file this briefing did not write: "Replace?" first
    assert dlg.cancel_button.isVisible() and dlg.progress.isVisible()
    dlg.cancel_button.click()
    gate.set()
    assert "cancelled" in dlg.state_label.text()
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone(20000)
    qtbot.wait(50)
    assert target.read_text(encoding="utf-8") == "the earlier export"
    assert not list(tmp_path.glob(".b.*"))
    assert dlg.written is None
    # the same dialog then exports for real, as Markdown with footnotes
    dlg.export_button.click()
    qtbot.waitUntil(lambda: dlg.written is not None, timeout=20000)
    text = target.read_text(encoding="utf-8")
    assert "[^1]" in text and "Headquarters" in text


def test_pdf_is_offered_only_with_libreoffice(qtbot, data_dir: Path, calls: Calls,  # noqa: ANN001
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    import briefer.export.pdf as pdf

    w = modified_window(qtbot, data_dir)
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    dlg = _export_dialog(qtbot, w)
    i = dlg.format_combo.findData("pdf")
    assert not dlg.format_combo.model().item(i).isEnabled()
    assert "LibreOffice" in dlg.format_combo.itemText(i)


# -- desktop habits ---------------------------------------------------------------------------------


def test_shortcuts_accessible_names_and_about(qtbot, data_dir: Path, calls: Calls,  # noqa: ANN001
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtGui import QKeySequence
    from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit, QTextEdit

    w = open_window(qtbot, data_dir)
    SK = QKeySequence.StandardKey
    for action, key in [(w.new_action, SK.New), (w.open_action, SK.Open), (w.save_action, SK.Save),
                        (w.find_action, SK.Find), (w.undo_action, SK.Undo), (w.quit_action, SK.Quit)]:
        bindings = QKeySequence.keyBindings(key)
        if bindings:  # the platform's own key for it
            assert action.shortcut() in bindings, action.text()
        else:  # a platform without one (Quit on some desktops): the common key
            assert not action.shortcut().isEmpty(), action.text()
    assert w.redo_action.shortcuts()
    assert w.export_action.shortcut() == QKeySequence("Ctrl+E")
    # Ctrl+F puts the cursor in the search box
    w.activateWindow()
    w.find_action.trigger()
    assert w.library.search.hasFocus() or QApplication_focus() is w.library.search
    # every input and list has a name a screen reader can say
    unnamed = []
    for cls in (QLineEdit, QComboBox, QPlainTextEdit, QTextEdit, QAbstractItemView):
        for widget in w.findChildren(cls):
            if widget.isVisibleTo(w) and not widget.accessibleName() and not _inside_combo(widget) \
                    and widget.objectName() not in ("qt_spinbox_lineedit",):
                unnamed.append(f"{cls.__name__} {widget.objectName()} {widget.toolTip()[:30]}")
    assert unnamed == []
    from briefer.ui.dialogs.about import AboutDialog, ShortcutsDialog

    about = AboutDialog(w)
    qtbot.addWidget(about)
    text = about.licences.toPlainText()
    assert "MIT" in text and "LGPL" in text
    shortcuts = ShortcutsDialog(w)
    qtbot.addWidget(shortcuts)
    body = shortcuts.findChild(__import__("PySide6.QtWidgets", fromlist=["QTextBrowser"]).QTextBrowser).toPlainText()
    assert "Export" in body and "Ctrl+E" in body
    _ = Qt


def _inside_combo(widget) -> bool:  # noqa: ANN001
    from PySide6.QtWidgets import QComboBox

    p = widget.parent()
    while p is not None:
        if isinstance(p, QComboBox):
            return True
        p = p.parent()
    return False


def QApplication_focus():  # noqa: ANN201, N802
    from PySide6.QtWidgets import QApplication

    return QApplication.focusWidget()


# -- the entry point ----------------------------------------------------------------------------------


def test_no_display_says_so_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    p = subprocess.run([sys.executable, "-m", "briefer", "--data-dir", str(tmp_path / "d")], capture_output=True,
                       text=True, env=env, cwd=REPO, timeout=60)
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "no display" in lines[0] and "briefer export" in lines[0]
    p = subprocess.run([sys.executable, "-m", "briefer", "--data-dir", str(tmp_path / "d"), "gui", "x.briefing.json"],
                       capture_output=True, text=True, env=env, cwd=REPO, timeout=60)
    assert p.returncode == 2 and "no display" in p.stderr


def test_a_briefing_file_on_the_command_line_opens_in_the_window(cli, monkeypatch: pytest.MonkeyPatch,  # noqa: ANN001
                                                                 tmp_path: Path) -> None:
    import briefer.ui.app as app
    from briefer.cli import main

    got: list[tuple[Path, Path | None]] = []
    monkeypatch.setattr(app, "run", lambda data_dir, file=None: got.append((data_dir, file)) or 0)
    f = tmp_path / "x.briefing.json"
    assert main([str(f)]) == 0  # briefer FILE.briefing.json
    assert cli("gui", str(f)).code == 0
    assert cli().code == 0  # briefer with no command
    assert [g[1] for g in got] == [f.resolve(), f.resolve(), None]
    assert got[0][0] == Path(os.environ["BRIEFER_DATA_DIR"])


def test_the_window_starts_without_the_heavy_modules(tmp_path: Path) -> None:
    """python-docx, lxml, pydantic and the export engine stay off the start-up path."""
    code = ("import sys, briefer.ui.app, briefer.ui.mainwindow; "
            "print(sorted(m for m in ('docx', 'lxml', 'pydantic', 'briefer.export.docx', 'briefer.store.db') "
            "if m in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip() == "[]"


def test_a_window_opened_with_a_file(qtbot, data_dir: Path, tmp_path: Path, calls: Calls,  # noqa: ANN001
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    w = modified_window(qtbot, data_dir)
    path = tmp_path / "given.briefing.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: path)
    w.save_as()
    w2 = open_window(qtbot, data_dir, file=path)
    assert w2.doc.path == path
    assert w2.doc.briefing.fact_ids() == ["hq-established-sept-1", "hq-legal-basis"]


def test_curation_dialogs_open_from_the_menus_and_refresh_the_window(qtbot, data_dir: Path, calls: Calls,  # noqa: ANN001
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import briefer.ui.curation as curation

    w = modified_window(qtbot, data_dir)
    assert w.new_fact_action.isEnabled() and w.import_action.isEnabled() and w.conflicts_action.isEnabled()
    before = sum(w.store.section_counts().values())
    opened: list[str] = []

    def fake_exec(self) -> int:  # noqa: ANN001
        opened.append(type(self).__name__)
        qtbot.addWidget(self)
        # what a dialog does: change the store, then say so
        fact = w.store.fact("hq-legal-basis").model_copy(update={"statement": "Reworded in the store itself."})
        w.store.update_fact("hq-legal-basis", fact)
        self.changed.emit()
        return 0

    monkeypatch.setattr(curation.FactEditorDialog, "exec", fake_exec)
    w.library.facts.setFocus()
    w.library.facts.setCurrentIndex(QModelIndex())  # the list is filled: focus made its first row current
    w.edit_fact_action.trigger()  # no fact selected in the library yet
    w.composer.select(0, 0)
    w.composer.tree.setFocus()
    w.edit_fact_action.trigger()
    assert opened == ["FactEditorDialog"]
    # the briefing and the preview show the store's new wording
    assert w.doc.facts["hq-legal-basis"].statement == "Reworded in the store itself."
    w.preview.refresh()
    assert "Reworded in the store itself." in w.preview.browser.toPlainText()
    assert sum(w.store.section_counts().values()) == before


def test_a_recovery_file_of_a_dead_or_unrelated_process_is_offered(tmp_path: Path) -> None:
    """A crashed Briefer (process gone, a zombie, or its pid now used by another program) leaves an orphan."""
    import json as _json

    d = tmp_path / "data" / recovery.RECOVERY_DIR
    d.mkdir(parents=True)
    sleeper = subprocess.Popen(["sleep", "30"])  # a live process that is not Briefer
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])  # could be a Briefer
    try:
        for sid, pid in (("dead-1", 2**22 + 12345), ("reused-1", sleeper.pid), ("alive-1", other.pid)):
            (d / f"{sid}.briefing.json").write_text("{}", encoding="utf-8")
            (d / f"{sid}.meta.json").write_text(_json.dumps({"pid": pid, "title": sid}), encoding="utf-8")
        found = {r.title for r in recovery.orphans(tmp_path / "data")}
        assert "dead-1" in found and "reused-1" in found
        assert "alive-1" not in found  # another Briefer may still own it
    finally:
        for p in (sleeper, other):
            p.kill()
            p.wait()


def test_an_unreadable_store_never_costs_the_autosave(data_dir: Path, tmp_path: Path) -> None:
    """The recovery copy snapshots the briefing's facts when it can; a store that fails to answer
    (a team server gone, a locked file) still gets the work written, only without the snapshots."""
    from briefer.domain.briefing import Briefing, BriefingSection, FactItem
    from briefer.domain.briefing_file import read_briefing_file
    from briefer.errors import StoreUnreachable
    from briefer.ingest.factpack import open_store

    briefing = Briefing(sections=[BriefingSection(section="headquarters",
                                                  items=[FactItem(fact_id="hq-legal-basis")])])
    with open_store(data_dir) as store:
        path = recovery.write("s-1", tmp_path, briefing, original=None, template=None, store=store)
        assert list(read_briefing_file(path).facts) == ["hq-legal-basis"]

        def gone(_ids: object) -> object:
            raise StoreUnreachable("the team library's server cannot be reached")

        store.facts_by_ids = gone  # type: ignore[method-assign]
        path = recovery.write("s-2", tmp_path, briefing, original=None, template=None, store=store)
    assert read_briefing_file(path).briefing.fact_ids() == ["hq-legal-basis"]
    assert read_briefing_file(path).facts == {}


def test_what_the_library_is_asked_before_the_briefing_exists_is_not_lost(qtbot, data_dir: Path,  # noqa: ANN001
                                                                         calls: Calls) -> None:
    """The list is filled (and answers Enter and double-clicks) before the briefing's pane is made: a
    fact added in that moment is added once the briefing exists, and the fact selected then is the one
    the inspector shows — nothing is silently dropped."""
    from PySide6.QtTest import QTest

    from briefer.ui.models.library import FactIdRole

    w = MainWindow(data_dir, today=TODAY)
    OPEN.append(w)
    w.show()
    early: dict[str, object] = {}

    def act() -> None:  # in the libraryFilled signal itself: the briefing's pane does not exist yet
        lib = w.library
        early["built"] = w._built
        view, model = lib.facts, lib.facts.model()
        first, second = model.index(0, 0), model.index(1, 0)
        early["ids"] = [first.data(FactIdRole), second.data(FactIdRole)]
        view.setFocus()
        view.setCurrentIndex(first)
        QTest.keyClick(view, Qt.Key.Key_Return)
        view.setCurrentIndex(second)
        view.doubleClicked.emit(second)  # (the rows are not laid out for a mouse yet in this very signal)

    w.libraryFilled.connect(act)
    with qtbot.waitSignal(w.ready, timeout=30000):
        w.start()
    assert early["built"] is False
    assert w.doc.briefing.fact_ids() == early["ids"]
    assert w.library.current_fact_id() == early["ids"][1]
    assert w.inspector.fact is not None and w.inspector.fact.id == early["ids"][1]  # the inspector shows it
    assert calls.infos == [] and calls.errors == []


def test_sources_that_cannot_be_read_after_the_fill_are_said_at_start_not_a_hang(
        qtbot, data_dir: Path, calls: Calls, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    """The library is filled from light rows before the full sections and sources are read: when that read
    fails (here the store's file turns unreadable in between) the window says so as for a store that cannot
    open (it was left at "Opening the fact store…" with nothing said).  A source row whose values no longer
    parse is not such a failure: tests/test_damaged_values.py."""
    from briefer.errors import StoreError
    from briefer.ui import store_session

    def unreadable(store):  # noqa: ANN001, ANN202
        raise StoreError("the fact store could not be read (disk I/O error)")

    monkeypatch.setattr(store_session, "_load_models", unreadable)
    w = MainWindow(data_dir, today=TODAY)
    OPEN.append(w)
    w.show()
    w.start()
    qtbot.waitUntil(lambda: bool(calls.errors), timeout=20000)
    assert calls.errors == [("Cannot open the fact store", "the fact store could not be read (disk I/O error)")]
    assert w.status_label.text() == "The fact store could not be opened"
    assert not w.library.isEnabled()
