"""The template dialogs: manage (rename, duplicate, delete, import with a name clash, export) and a
template that cannot be read.  Save as template is the template editor (tests/test_ui_template_editor.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefer.domain.briefing import Briefing, BriefingSection, FactItem
from briefer.domain.template_library import TemplateLibrary
from briefer.ui import filedialogs, messages
from briefer.ui.briefing_model import BriefingDoc, Budget
from briefer.ui.dialogs.templates import ManageTemplatesDialog, NewFromTemplateDialog


@pytest.fixture
def doc(qapp, store) -> BriefingDoc:  # noqa: ANN001
    b = Briefing(sections=[BriefingSection(section="hq-structure", heading="Who leads",
                                           items=[FactItem(fact_id="hq-established-sept-1"),
                                                  FactItem(fact_id="hq-legal-basis", override="Ours.")])])
    return BriefingDoc(b, store_sections=store.sections(), facts=store.facts_by_ids(b.fact_ids()),
                       budget=Budget(400, 2))


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    out: list[str] = []
    monkeypatch.setattr(messages, "error", lambda parent, title, text, informative="": out.append(text))
    return out


def test_manage_templates(qtbot, store, data_dir: Path, tmp_path: Path, errors: list[str],  # noqa: ANN001
                          monkeypatch: pytest.MonkeyPatch) -> None:
    lib = TemplateLibrary(data_dir)
    dlg = ManageTemplatesDialog(store, data_dir)
    qtbot.addWidget(dlg)
    names = [dlg.list.item(i).data(0x0101) for i in range(dlg.list.count())]
    assert {"full-briefing", "one-page-brief", "risk-watch", "us-japan-cooperation"} <= set(names)
    # built-ins are read-only
    dlg.list.select_name("risk-watch")
    assert not dlg.rename_button.isEnabled() and not dlg.delete_button.isEnabled()
    assert dlg.duplicate_button.isEnabled()
    assert "risk" in dlg.details.toPlainText().lower()
    # duplicate (cancelled, then done)
    monkeypatch.setattr(messages, "ask_text", lambda *a: None)
    dlg.duplicate_button.click()
    assert not lib.exists("risk-watch (copy)")
    monkeypatch.setattr(messages, "ask_text", lambda parent, title, label, text="": text)
    dlg.duplicate_button.click()
    assert lib.exists("risk-watch (copy)") and dlg.list.current_name() == "risk-watch (copy)"
    assert dlg.rename_button.isEnabled()
    # rename to a taken name fails clearly; to a free one works
    monkeypatch.setattr(messages, "ask_text", lambda *a: "full-briefing")
    dlg.rename_button.click()
    assert errors and "built-in" in errors[-1]
    monkeypatch.setattr(messages, "ask_text", lambda *a: "My risks")
    dlg.rename_button.click()
    assert lib.exists("My risks") and not lib.exists("risk-watch (copy)")
    # export (cancelled, then to a file)
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: None)
    dlg.export_button.click()
    out = tmp_path / "shared.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: out)
    dlg.export_button.click()
    assert json.loads(out.read_text(encoding="utf-8"))["name"] == "My risks"
    # import of the same file: the name is taken, the user picks another
    monkeypatch.setattr(filedialogs, "ask_open_path", lambda *a, **k: out)
    monkeypatch.setattr(messages, "ask_text", lambda parent, title, label, text="": "Colleague's risks")
    dlg.import_button.click()
    assert lib.exists("Colleague's risks")
    # a file that is not a template
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "something-else"}', encoding="utf-8")
    monkeypatch.setattr(filedialogs, "ask_open_path", lambda *a, **k: bad)
    dlg.import_button.click()
    assert "bad.json" in errors[-1]
    # delete (cancelled, then confirmed)
    dlg.list.select_name("My risks")
    monkeypatch.setattr(messages, "confirm", lambda *a: False)
    dlg.delete_button.click()
    assert lib.exists("My risks")
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda *a: asked.append(a[2]) or True)
    dlg.delete_button.click()
    assert not lib.exists("My risks")
    # the question and the status line say where the template went (it was "the templates folder's .trash")
    trash = data_dir / "templates" / ".trash"
    assert str(trash) in asked[-1]
    (kept,) = trash.glob("My risks.*.json")
    assert str(kept) in dlg.state.text()


def test_an_unreadable_template_is_listed_but_cannot_be_used(qtbot, store, data_dir: Path,  # noqa: ANN001
                                                             errors: list[str]) -> None:
    folder = data_dir / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "Broken.json").write_text("{ not json", encoding="utf-8")
    dlg = NewFromTemplateDialog(store, data_dir)
    qtbot.addWidget(dlg)
    labels = [dlg.list.item(i).text() for i in range(dlg.list.count())]
    assert any("Broken" in t and "unreadable" in t for t in labels)
    dlg.list.select_name("Broken")
    assert not dlg.create_button.isEnabled()
    assert "cannot be used" in dlg.details.toPlainText()


def test_exporting_a_briefing_from_a_template_records_an_edition(qtbot, doc: BriefingDoc, store,  # noqa: ANN001
                                                                 tmp_path: Path) -> None:
    from datetime import date

    from briefer.store.editions import latest_edition
    from briefer.ui.dialogs.export import ExportDialog

    doc.template = "risk-watch"
    doc.fresh_template_run = True  # as New from template leaves it
    assert latest_edition(store, "risk-watch") is None
    dlg = ExportDialog(doc, store, today=date(2025, 11, 1))
    qtbot.addWidget(dlg)
    assert dlg.edition_check.isChecked() and dlg.edition_check.text() == "Issue as edition 1 of \u201crisk-watch\u201d"
    dlg.format_combo.setCurrentIndex(dlg.format_combo.findData("html"))
    dlg.path_edit.setText(str(tmp_path / "b.html"))
    dlg.export_button.click()
    qtbot.waitUntil(lambda: dlg.written is not None, timeout=20000)
    ed = latest_edition(store, "risk-watch")
    assert ed is not None and ed.number == 1
    assert ed.fact_ids() == ["hq-established-sept-1", "hq-legal-basis"]
    assert "edition 1" in dlg.state_label.text()
    # exported again: the box is off and offers the next number; nothing recorded
    assert not dlg.edition_check.isChecked() and "edition 2" in dlg.edition_check.text()
    dlg.export_button.click()
    qtbot.waitUntil(lambda: "Exported" in dlg.state_label.text() and dlg.task is None, timeout=20000)
    assert latest_edition(store, "risk-watch").number == 1
