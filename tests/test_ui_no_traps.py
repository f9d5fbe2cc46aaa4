"""Issue 14, points 1, 3 and 5 in the window: nothing is overwritten without "Replace?", export names
are distinct per briefing, Export and Save remember their own folders; an edition is recorded only when
meant; the Preferences dialog and what it changes at once; a corrupt settings.json set aside."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox
from window_support import OPEN, open_window, shut_windows  # noqa: F401 - shut_windows: autouse

from briefer.ui import filedialogs, messages
from briefer.ui.mainwindow import MainWindow

TODAY = date(2025, 11, 1)
FACTS = ["hq-established-sept-1", "hq-legal-basis"]



class Prompts:
    def __init__(self) -> None:
        self.replace: list[str] = []
        self.answer = False
        self.errors: list[tuple[str, str]] = []
        self.infos: list[tuple[str, str]] = []


@pytest.fixture
def prompts(monkeypatch: pytest.MonkeyPatch) -> Prompts:
    p = Prompts()
    monkeypatch.setattr(messages, "replace_file", lambda parent, path: p.replace.append(path) or p.answer)
    monkeypatch.setattr(messages, "error", lambda parent, title, text, informative="": p.errors.append((title, text)))
    monkeypatch.setattr(messages, "info", lambda parent, title, text: p.infos.append((title, text)))
    monkeypatch.setattr(messages, "save_changes", lambda *a: messages.Answer.NO)
    return p






def export_dialog(qtbot, w: MainWindow):  # noqa: ANN001, ANN202
    from briefer.ui.dialogs.export import ExportDialog

    dlg = ExportDialog(w.doc, w.store, today=TODAY, parent=w, context=w.context())
    qtbot.addWidget(dlg)
    dlg.show()
    return dlg


def export(qtbot, dlg, path: Path | None = None, fmt: str | None = None) -> str:  # noqa: ANN001
    if fmt is not None:
        dlg.format_combo.setCurrentIndex(dlg.format_combo.findData(fmt))
    if path is not None:
        dlg.path_edit.setText(str(path))
    dlg.export_button.click()
    qtbot.waitUntil(lambda: dlg.task is None, timeout=60000)
    return str(dlg.state_label.text())


# -- 1. never overwrite silently --------------------------------------------------------------------------


def test_two_briefings_propose_their_own_names_and_replacing_the_others_file_asks(
        qtbot, data_dir: Path, tmp_path: Path, prompts: Prompts) -> None:  # noqa: ANN001
    out = tmp_path / "out"
    out.mkdir()
    w = open_window(qtbot, data_dir)
    w.add_facts(FACTS[:1])
    first = export_dialog(qtbot, w)
    proposed = Path(first.path_edit.text())
    assert proposed.name == "Japans-AI-Governance-2025-11-01.docx"  # the title and the date
    first_file = out / proposed.with_suffix(".md").name
    assert "Exported" in export(qtbot, first, first_file, "md")
    first_text = first_file.read_text(encoding="utf-8")
    assert prompts.replace == []  # nothing was there
    # the same briefing again: its own file, no question
    assert "Exported" in export(qtbot, first, first_file) and prompts.replace == []

    w.files.new_briefing()
    w.add_facts(FACTS[1:])
    second = export_dialog(qtbot, w)
    proposed2 = Path(second.path_edit.text())
    assert proposed2.parent == out  # Export remembered its folder
    assert proposed2 != first_file.with_suffix(proposed2.suffix) and proposed2.name.endswith("-2.md")
    # typed over the first briefing's file: "Replace?" -- No keeps it
    text = export(qtbot, second, first_file)
    assert prompts.replace == [str(first_file)] and "Not exported" in text
    assert first_file.read_text(encoding="utf-8") == first_text and second.written is None
    prompts.answer = True
    assert "Exported" in export(qtbot, second, first_file)
    assert first_file.read_text(encoding="utf-8") != first_text and len(prompts.replace) == 2


def test_save_as_asks_before_replacing_and_save_remembers_its_own_folder(
        qtbot, data_dir: Path, tmp_path: Path, prompts: Prompts, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    saves = tmp_path / "saves"
    saves.mkdir()
    other = saves / "theirs.briefing.json"
    other.write_text("someone else's briefing", encoding="utf-8")
    w = open_window(qtbot, data_dir)
    w.add_facts(FACTS)
    asked_at: list[str] = []
    answers = [other, None]  # their file, then (shown the dialog again) Cancel
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: asked_at.append(a[3]) or answers.pop(0))
    assert w.save_as() is False  # answered No: the file dialog again, on the name chosen; then cancelled
    assert prompts.replace == [str(other)] and other.read_text(encoding="utf-8") == "someone else's briefing"
    assert len(asked_at) == 2 and asked_at[1] == str(other)
    assert w.isWindowModified()
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: asked_at.append(a[3]) or other)
    prompts.answer = True
    assert w.save_as() is True and "briefer-briefing" in other.read_text(encoding="utf-8")
    w.add_facts(["hq-legal-basis"])  # already in: nothing changes
    assert w.save() is True and len(prompts.replace) == 2  # its own file: Save asks nothing
    # a new briefing: Save as starts in the folder last saved to, Export does not share it
    w.files.new_briefing()
    w.add_facts(FACTS[:1])
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: asked_at.append(a[3]))  # cancelled
    assert w.save_as() is False
    assert Path(asked_at[-1]).parent == saves and Path(asked_at[-1]).name.endswith("2025-11-01.briefing.json")
    assert Path(export_dialog(qtbot, w).path_edit.text()).parent != saves


def test_a_folder_that_vanished_or_a_file_made_read_only_after_the_dialog(
        qtbot, data_dir: Path, tmp_path: Path, prompts: Prompts, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    import shutil

    w = open_window(qtbot, data_dir)
    w.add_facts(FACTS)
    gone = tmp_path / "gone"
    gone.mkdir()

    def dialog_then_vanish(*_a, **_k) -> Path:  # noqa: ANN002, ANN003
        shutil.rmtree(gone)
        return gone / "b.briefing.json"

    monkeypatch.setattr(filedialogs, "ask_save_path", dialog_then_vanish)
    assert w.save_as() is False
    assert len(prompts.errors) == 1 and "does not exist" in prompts.errors[0][1]
    assert w.isWindowModified() and w.doc.briefing.fact_ids() == FACTS  # nothing lost
    # read-only: the user said Replace, the file is left as it was, one message
    locked = tmp_path / "locked.briefing.json"
    locked.write_text("kept", encoding="utf-8")
    os.chmod(locked, 0o444)
    prompts.answer = True
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: locked)
    assert w.save_as() is False
    assert len(prompts.errors) == 2 and "read-only" in prompts.errors[1][1]
    assert locked.read_text(encoding="utf-8") == "kept" and w.isWindowModified()
    # the export dialog says it in its own line, and the earlier file stays
    dlg = export_dialog(qtbot, w)
    ro = tmp_path / "ro.md"
    ro.write_text("earlier", encoding="utf-8")
    os.chmod(ro, 0o444)
    text = export(qtbot, dlg, ro, "md")
    assert "read-only" in text and "unchanged" in text and ro.read_text(encoding="utf-8") == "earlier"
    gone.mkdir()
    dlg.path_edit.setText(str(gone / "x.md"))
    gone.rmdir()
    text = export(qtbot, dlg)
    assert "does not exist" in text and not (gone / "x.md").exists() and len(prompts.errors) == 2


def test_the_replace_question_is_the_platforms_standard_one(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    target = tmp_path / "brief.docx"
    seen: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        box.button(button).click()

    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.No))
    assert messages.replace_file(None, str(target)) is False
    QTimer.singleShot(0, lambda: answer(QMessageBox.StandardButton.Yes))
    assert messages.replace_file(None, str(target)) is True
    assert seen == ["A file named \u201cbrief.docx\u201d already exists. Do you want to replace it?"] * 2


# -- 5. editions only when you mean one -----------------------------------------------------------------


def test_one_briefing_exported_three_ways_records_one_edition(qtbot, data_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                              prompts: Prompts) -> None:
    from briefer.domain.templates import begin_template_export
    from briefer.export.pdf import find_soffice
    from briefer.store.editions import editions

    w = open_window(qtbot, data_dir)
    w.start_from_template(begin_template_export(w.store, data_dir, "risk-watch", today=TODAY))
    dlg = export_dialog(qtbot, w)
    assert dlg.edition_check.isVisible() and dlg.edition_check.isChecked()
    assert dlg.edition_check.text() == "Issue as edition 1 of \u201crisk-watch\u201d"
    assert "Recorded as edition 1" in export(qtbot, dlg, tmp_path / "b.docx", "docx")
    assert not dlg.edition_check.isChecked() and "edition 2" in dlg.edition_check.text()
    second = "pdf" if find_soffice() is not None else "md"
    for fmt in (second, "html"):
        again = export_dialog(qtbot, w)  # a new dialog for the same briefing: off
        assert not again.edition_check.isChecked()
        text = export(qtbot, again, tmp_path / f"b.{fmt}", fmt)
        assert "Exported" in text and "Recorded" not in text
    assert [e.number for e in editions(w.store, "risk-watch")] == [1]
    # asked for explicitly, it is recorded
    last = export_dialog(qtbot, w)
    last.edition_check.setChecked(True)
    assert "Recorded as edition 2" in export(qtbot, last, tmp_path / "b.html", "html")
    assert prompts.replace == []  # every file was this briefing's own


def test_the_cli_records_an_edition_only_for_a_template_run_or_when_asked(cli, data_dir: Path,  # noqa: ANN001
                                                                         tmp_path: Path) -> None:
    from briefer.domain.briefing_file import save_briefing_file
    from briefer.domain.templates import begin_template_export
    from briefer.store.db import open_store
    from briefer.store.editions import editions

    def numbers() -> list[int]:
        st = open_store(data_dir)
        try:
            return [e.number for e in editions(st, "risk-watch")]
        finally:
            st.close()

    r = cli("export", "--json", "--template", "risk-watch", "--out", str(tmp_path / "a.docx"))
    assert r.code == 0 and json.loads(r.out)["edition"] == 1 and numbers() == [1]
    r = cli("export", "--template", "risk-watch", "--no-record-edition", "--out", str(tmp_path / "a.md"))
    assert r.code == 0 and "recorded" not in r.out and numbers() == [1]
    st = open_store(data_dir)
    job = begin_template_export(st, data_dir, "risk-watch", today=date.today())
    saved = tmp_path / "b.briefing.json"
    save_briefing_file(saved, job.briefing, template="risk-watch", store=st)
    st.close()
    assert cli("export", "--briefing", str(saved), "--out", str(tmp_path / "b.html")).code == 0
    assert numbers() == [1]  # the same briefing again: no edition unless asked
    r = cli("export", "--briefing", str(saved), "--record-edition", "--out", str(tmp_path / "b.docx"))
    assert r.code == 0 and "recorded as edition 2" in r.out and numbers() == [2, 1]
    r = cli("export", "--sections", "hq-structure", "--record-edition", "--out", str(tmp_path / "c.docx"))
    assert r.code == 2 and "needs a briefing made from a template" in r.err and len(r.err.splitlines()) == 1
    assert not (tmp_path / "c.docx").exists()


# -- 3. preferences ---------------------------------------------------------------------------------------


def _fact_row_text(w: MainWindow) -> str:
    model = w.doc.model
    section = model.index(0, 0, QModelIndex())
    return str(model.data(model.index(0, 0, section), Qt.ItemDataRole.DisplayRole))


def _fill_preferences(qtbot, values: dict[str, object], errors: list[str]):  # noqa: ANN001, ANN202
    from briefer.ui.dialogs.preferences import PreferencesDialog

    def fill() -> None:
        dlg = QApplication.activeModalWidget()
        assert isinstance(dlg, PreferencesDialog)
        if "analyst" in values:
            dlg.analyst_edit.setText(str(values["analyst"]))
        if "horizon" in values:
            dlg.horizon_spin.setValue(int(values["horizon"]))  # type: ignore[call-overload]
        if "folder" in values:
            dlg.folder_edit.setText(str(values["folder"]))
        if "format" in values:
            dlg.format_combo.setCurrentIndex(dlg.format_combo.findData(values["format"]))
        if "citations" in values:
            dlg.citations_combo.setCurrentIndex(dlg.citations_combo.findData(values["citations"]))
        if "reference" in values:
            dlg.reference_edit.setText(str(values["reference"]))
        dlg.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        if dlg.isVisible():  # refused: the reason is in the dialog
            errors.append(dlg.error_label.text())
            dlg.reject()

    QTimer.singleShot(0, fill)


def test_preferences_from_edit_menu_change_the_window_at_once(qtbot, data_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                              prompts: Prompts) -> None:
    w = open_window(qtbot, data_dir)
    action = w.preferences_action
    edit_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "&Edit")
    assert action in edit_menu.actions()
    platform = QKeySequence(QKeySequence.StandardKey.Preferences)
    assert action.shortcut() == (platform if platform.toString() else QKeySequence("Ctrl+,"))
    w.add_facts(FACTS)
    assert "stale" not in _fact_row_text(w)
    folder = tmp_path / "exports"
    folder.mkdir()
    errors: list[str] = []
    # a reference document that does not exist: refused with the reason, nothing saved
    _fill_preferences(qtbot, {"reference": str(tmp_path / "nope.docx")}, errors)
    action.trigger()
    assert errors and "reference document" in errors[0] and not (data_dir / "settings.json").exists()
    _fill_preferences(qtbot, {"analyst": "A. Analyst", "horizon": 1, "folder": folder, "format": "md",
                              "citations": "short"}, errors)
    action.trigger()
    assert len(errors) == 1
    saved = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    assert saved == {"analyst": "A. Analyst", "stale_after_months": 1, "export_folder": str(folder),
                     "export_format": "md", "citations": "short"}
    # the horizon marks the outline's facts stale at once (as of 1 Sept, more than a month before 1 Nov)
    assert "[stale]" in _fact_row_text(w)
    assert w.composer.cover_edits["prepared_by"].placeholderText().startswith("A. Analyst")
    # the export proposes the folder and format, and the analyst is the author
    dlg = export_dialog(qtbot, w)
    assert dlg.fmt() == "md" and Path(dlg.path_edit.text()).parent == folder
    assert "Exported" in export(qtbot, dlg)
    assert "Prepared by" in dlg.written.read_text(encoding="utf-8")
    assert "A. Analyst" in dlg.written.read_text(encoding="utf-8")
    assert w.doc.briefing.cover.prepared_by == ""  # the briefing itself is unchanged
    # a new briefing starts with the default citation style
    w.files.new_briefing()
    assert w.doc.briefing.options.citations == "short"
    assert prompts.infos == []


def test_a_corrupt_settings_file_is_set_aside_with_one_message(qtbot, data_dir: Path,  # noqa: ANN001
                                                               prompts: Prompts) -> None:
    from briefer.store import preferences

    (data_dir / "settings.json.bad").write_text("an older one", encoding="utf-8")
    (data_dir / "settings.json").write_text('{"analyst": "A", "stale_after_months": ', encoding="utf-8")
    w = open_window(qtbot, data_dir)
    assert len(prompts.infos) == 1
    title, text = prompts.infos[0]
    assert title == "Settings reset" and "settings.json.bad.2" in text and "not valid JSON" in text
    assert not (data_dir / "settings.json").exists()
    assert (data_dir / "settings.json.bad").read_text(encoding="utf-8") == "an older one"
    assert (data_dir / "settings.json.bad.2").read_text(encoding="utf-8").startswith('{"analyst"')
    assert w.store_session.flagger().horizon == preferences.DEFAULT_STALE_MONTHS
    w.add_facts(FACTS)  # the window works on the defaults
    assert w.doc.briefing.fact_ids() == FACTS
    w.say_preference_notices()
    assert len(prompts.infos) == 1  # said once


def test_the_cli_sets_a_corrupt_settings_file_aside_and_goes_on(cli, data_dir: Path) -> None:  # noqa: ANN001
    (data_dir / "settings.json").write_bytes(b"\xff\xfe not text")
    r = cli("config")
    assert r.code == 0 and "analyst" in r.out
    assert len(r.err.splitlines()) == 1 and "settings.json.bad" in r.err and "not UTF-8" in r.err
    assert (data_dir / "settings.json.bad").read_bytes() == b"\xff\xfe not text"
    r = cli("config")
    assert r.code == 0 and r.err == ""  # said once: the file is gone, the defaults stand
