"""The template editor (issue 14 point 4), driven as a user drives it: every part of a template shown and
kept, a query edited and the live count following, sections reordered by keyboard, a key point pinned,
saved and reopened; a built-in duplicated before it is edited; invalid states refused with the reason;
Save as template from a briefing; and a renamed template keeping the briefings made from it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from window_support import OPEN, open_window, shut_windows  # noqa: F401 - shut_windows: autouse

from briefer.domain.template_library import TemplateLibrary
from briefer.domain.templates import Template
from briefer.ui import messages
from briefer.ui.context import WindowContext
from briefer.ui.dialogs.template_editor import TemplateEditor, editor_for

TODAY = date(2025, 11, 1)


@pytest.fixture
def context(qapp, store, data_dir: Path) -> WindowContext:  # noqa: ANN001
    return WindowContext(store=store, data_dir=data_dir, today=TODAY)


def counted(qtbot, editor: TemplateEditor) -> None:  # noqa: ANN001
    """Wait for the live count of the editor's current state."""
    qtbot.waitUntil(lambda: editor.preview is not None and editor._running is None
                    and not editor.timer.isActive() and editor.summary.text() != "Counting\u2026", timeout=20000)


def open_editor(qtbot, context: WindowContext, name: str) -> TemplateEditor:  # noqa: ANN001
    editor = editor_for(context, name)
    assert editor is not None
    qtbot.addWidget(editor)
    editor.show()
    counted(qtbot, editor)
    return editor


def type_into(widget, text: str) -> None:  # noqa: ANN001
    widget.setFocus()
    widget.selectAll()
    QTest.keyClick(widget, Qt.Key.Key_Backspace)
    if text:
        QTest.keyClicks(widget, text)


def test_the_editor_shows_every_part_of_a_template_and_keeps_it(qtbot, context: WindowContext) -> None:  # noqa: ANN001
    """A template with a non-default value in every field comes back unchanged from the editor."""
    lib = TemplateLibrary(context.data_dir)
    base = lib.get("risk-watch").model_dump(mode="json")
    base.update(name="Everything", description="All fields set", audience="Desks")
    base["length"] = {"target_words": 1500, "target_pages": 3}
    base["cover"] = {"title": "T", "title_pattern": "{title} \u2014 {date:%B %Y}", "subtitle": "S",
                     "prepared_for": "Minister", "prepared_by": "Unit", "marking": "SECRET"}
    base["switches"] = {"summary": False, "contents": True, "sources_appendix": False, "glossary": True,
                        "whats_new": True, "whats_new_first": True, "include_superseded": True, "summary_points": 7,
                        "cover_page": False, "figures": ["timeline"], "citations": "evidence"}
    base["key_points"] = {"fact_ids": ["hq-established-sept-1"], "tags": ["topic:enforcement"]}
    base["sections"][0] = {"section": "risks", "heading": "Risks now", "intro": "Why it matters.",
                           "layout": "paragraphs", "selection": {
                               "fact_ids": ["hq-legal-basis"], "max_count": 9, "order": "chronological",
                               "query": {"sections": ["risks", "law-summary"], "tags_any": ["topic:enforcement"],
                                         "tags_all": ["topic:penalties"], "tags_none": ["topic:public-opinion"],
                                         "status": ["current", "superseded"], "since": "2025-03-01",
                                         "min_priority": 3}}}
    original = lib.save(Template.model_validate(base))
    editor = open_editor(qtbot, context, "Everything")
    assert Template.model_validate(editor.data()) == original
    # every switch the model holds has its control
    from briefer.domain.template_model import Switches

    shown = set(editor.switches.checks) | {"summary_points", "citations", "figures"}
    assert shown == set(Switches.model_fields)
    assert editor.sections.query_box.isChecked() and editor.sections.where_combo.currentData() == "list"
    # and it fits a 1024×640 screen (the tabs scroll)
    hint = editor.minimumSizeHint()
    assert hint.width() <= 1000 and hint.height() <= 600


def test_editing_a_query_changes_the_count_and_a_query_matching_nothing_is_refused(  # noqa: ANN001
        qtbot, context: WindowContext) -> None:
    TemplateLibrary(context.data_dir).duplicate("risk-watch", "My risks")
    editor = open_editor(qtbot, context, "My risks")
    before = editor.preview
    assert before is not None and before.selected[0] > 0
    assert editor.summary.text().startswith(f"Selects {before.total} facts in 3 sections")
    assert "pages" in editor.summary.text() and editor.save_button.isEnabled()
    assert editor.sections.list.item(0).text().endswith(f"{before.selected[0]} facts")
    # narrow the first section to one tag: fewer facts
    editor.sections.list.setCurrentRow(0)
    type_into(editor.sections.tags_any_edit, "topic:penalties")
    counted(qtbot, editor)
    narrowed = editor.preview
    assert narrowed is not None and 0 < narrowed.selected[0] < before.selected[0]
    assert f"{narrowed.total} facts" in editor.summary.text()
    # a tag no fact carries: the section selects nothing, and Save says why it is disabled
    type_into(editor.sections.tags_any_edit, "topic:no-such-thing")
    counted(qtbot, editor)
    assert editor.preview.selected[0] == 0  # type: ignore[union-attr]
    assert not editor.save_button.isEnabled()
    assert "section 1" in editor.problems.text() and "matches no fact" in editor.problems.text()
    assert "matches no fact" in editor.save_button.toolTip()
    assert "\u26a0" in editor.sections.list.item(0).text()
    assert "selects nothing" in editor.sections.section_count.text()


def test_sections_reorder_by_keyboard_a_key_point_is_pinned_and_it_saves_and_reopens(  # noqa: ANN001
        qtbot, context: WindowContext) -> None:
    lib = TemplateLibrary(context.data_dir)
    lib.duplicate("risk-watch", "My risks")
    editor = open_editor(qtbot, context, "My risks")
    headings = [editor.sections.title_of(i) for i in range(3)]
    editor.sections.list.setFocus()
    editor.sections.list.setCurrentRow(0)
    QTest.keyClick(editor.sections.list, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [editor.sections.title_of(i) for i in range(3)] == [headings[1], headings[0], headings[2]]
    assert editor.sections.list.currentRow() == 1  # the moved section stays selected
    QTest.keyClick(editor.sections.list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(editor.sections.list, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    # add a section with the Insert key, then remove it with Delete
    QTest.keyClick(editor.sections.list, Qt.Key.Key_Insert)
    assert editor.sections.list.count() == 4
    editor.sections.list.setFocus()
    QTest.keyClick(editor.sections.list, Qt.Key.Key_Delete)
    assert editor.sections.list.count() == 3
    # pin a key point by id (the id completed from a part of it) and rename the template
    editor.tabs.setCurrentIndex(1)
    pins = editor.key_points.pinned_ids_edit
    type_into(pins, "established-sept")
    popup = pins.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=5000)
    assert popup.model().rowCount() == 1
    popup.setCurrentIndex(popup.model().index(0, 0))
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert pins.text() == "hq-established-sept-1"
    type_into(editor.name_edit, "Risk desk note")
    counted(qtbot, editor)
    assert editor.save_button.isEnabled(), editor.problems.text()
    old_id = lib.get("My risks").id
    editor.save_button.click()
    assert editor.result() == TemplateEditor.DialogCode.Accepted
    saved = lib.get("Risk desk note")
    assert not lib.exists("My risks") and saved.id == old_id  # renamed, the same template
    assert [s.heading or s.section for s in saved.sections][:2] == [
        lib.get("risk-watch").sections[1].heading, "risks"]
    assert saved.key_points.fact_ids == ["hq-established-sept-1"]
    again = open_editor(qtbot, context, "Risk desk note")
    assert again.key_points.pinned_ids_edit.text() == "hq-established-sept-1"
    assert again.sections.title_of(0) == headings[1]


def test_a_builtin_is_duplicated_before_it_is_edited(qtbot, context: WindowContext,  # noqa: ANN001
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok="OK": asked.append(ok) or False)
    assert editor_for(context, "risk-watch") is None and asked == ["Duplicate and edit"]
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text, ok="OK": True)
    editor = open_editor(qtbot, context, "risk-watch")
    assert editor.original is None and editor.name_edit.text() == "risk-watch (copy)"
    builtin = TemplateLibrary(context.data_dir).get("risk-watch")
    type_into(editor.audience_edit, "Our desk")
    counted(qtbot, editor)
    editor.save_button.click()
    lib = TemplateLibrary(context.data_dir)
    copy = lib.get("risk-watch (copy)")
    assert copy.audience == "Our desk" and copy.id != builtin.id
    assert lib.get("risk-watch") == builtin  # the built-in is as it was


def test_invalid_states_are_refused_with_the_reason(qtbot, context: WindowContext) -> None:  # noqa: ANN001
    lib = TemplateLibrary(context.data_dir)
    lib.duplicate("one-page-brief", "Short")
    before = (context.data_dir / "templates" / "Short.json").read_bytes()
    editor = open_editor(qtbot, context, "Short")
    # a name another template has
    type_into(editor.name_edit, "Full-Briefing")
    assert not editor.save_button.isEnabled()
    assert editor.problems.text().startswith("\u2716 Name:") and "already exists" in editor.problems.text()
    type_into(editor.name_edit, "")
    assert "Name" in editor.problems.text() and not editor.save_button.isEnabled()
    type_into(editor.name_edit, "Short")
    assert editor.save_button.isEnabled()
    # a budget of 0
    editor.tabs.setCurrentIndex(1)
    editor.key_points.budget_box.setChecked(True)
    editor.key_points.words_spin.setValue(0)
    editor.key_points.pages_spin.setValue(0)
    assert not editor.save_button.isEnabled()
    assert "Length budget" in editor.problems.text() and "a budget of 0 pages" in editor.problems.text()
    editor.key_points.pages_spin.setValue(2)
    counted(qtbot, editor)
    assert editor.save_button.isEnabled()
    # no sections
    editor.tabs.setCurrentIndex(0)
    while editor.sections.list.count():
        editor.sections.remove_button.click()
    assert not editor.save_button.isEnabled() and not editor.sections.remove_button.isEnabled()
    assert "at least one section" in editor.problems.text()
    assert "at least one section" in editor.save_button.toolTip()
    editor.save()  # even asked directly, nothing is written
    assert editor.saved is None
    assert (context.data_dir / "templates" / "Short.json").read_bytes() == before


def test_save_as_template_from_a_briefing_opens_the_editor_prefilled(qtbot, data_dir: Path,  # noqa: ANN001
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.domain.templates import prepare

    w = open_window(qtbot, data_dir)
    w.start_from_template(prepare(TemplateLibrary(data_dir).get("us-japan-cooperation"), w.store, today=TODAY))
    briefing = w.doc.briefing
    seen: list[TemplateEditor] = []

    def fill(self: TemplateEditor) -> int:
        qtbot.addWidget(self)
        seen.append(self)
        counted(qtbot, self)
        assert [d["section"] for d in self.sections.data] == [s.section for s in briefing.sections if s.fact_ids()]
        assert self.sections.data[0]["selection"]["fact_ids"] == briefing.sections[0].fact_ids()
        assert self.name_edit.text() == "us-japan-cooperation (copy)"
        assert self.preview is not None and self.preview.total == len(briefing.fact_ids())
        type_into(self.name_edit, "Alliance note")
        counted(qtbot, self)
        self.save()
        return int(self.result())

    monkeypatch.setattr(TemplateEditor, "exec", fill)
    w.save_template_action.trigger()
    assert seen
    saved = TemplateLibrary(data_dir).get("Alliance note")
    assert w.doc.template == "Alliance note" and w.doc.template_id == saved.id
    assert "(template: Alliance note)" in w.composer.title_label.text()


def test_renaming_a_template_keeps_the_briefings_made_from_it(qtbot, data_dir: Path, tmp_path: Path,  # noqa: ANN001
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.domain.templates import prepare
    from briefer.ui import filedialogs

    lib = TemplateLibrary(data_dir)
    t = lib.duplicate("risk-watch", "Weekly risks")
    w = open_window(qtbot, data_dir)
    w.start_from_template(prepare(t, w.store, today=TODAY))
    path = tmp_path / "week.briefing.json"
    monkeypatch.setattr(filedialogs, "ask_save_path", lambda *a, **k: path)
    assert w.save_as()
    # rename it in the editor, from the window's Manage templates
    editor = open_editor(qtbot, w.context(), "Weekly risks")
    type_into(editor.name_edit, "Risk note")
    counted(qtbot, editor)
    editor.save_button.click()
    assert lib.exists("Risk note") and not lib.exists("Weekly risks")
    # reopen the briefing: linked to the renamed template, with its budget
    monkeypatch.setattr(messages, "info", lambda *a: None)
    w2 = open_window(qtbot, data_dir, file=path)
    assert w2.doc.template == "Risk note" and w2.doc.template_id == t.id
    assert w2.doc.budget is not None and w2.doc.budget.pages == 4
    assert "(template: Risk note)" in w2.composer.title_label.text()
    assert "budget of 4 pages" in w2.composer.length_label.text()
    # saving it again keeps the link by id
    assert w2.save()
    from briefer.domain.briefing_file import read_briefing_file

    env = read_briefing_file(path)
    assert env.template_id == t.id and env.template == "Risk note"
    # the template deleted: the briefing opens, says so, and has no budget
    lib.delete("Risk note")
    w3 = open_window(qtbot, data_dir, file=path)
    assert w3.doc.budget is None and "no longer in the library" in w3.composer.title_label.text()
    assert "budget" not in w3.composer.length_label.text()
    assert OPEN


def test_manage_templates_edit_and_new_open_the_editor(qtbot, store, data_dir: Path,  # noqa: ANN001
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.ui.dialogs.templates import ManageTemplatesDialog

    lib = TemplateLibrary(data_dir)
    lib.duplicate("one-page-brief", "Short")
    dlg = ManageTemplatesDialog(store, data_dir, context=WindowContext(store=store, data_dir=data_dir, today=TODAY))
    qtbot.addWidget(dlg)
    opened: list[TemplateEditor] = []

    def edit_audience(self: TemplateEditor) -> int:
        qtbot.addWidget(self)
        opened.append(self)
        counted(qtbot, self)
        if not self.name_edit.text():  # New: a name is all it lacks
            assert not self.save_button.isEnabled() and "Name" in self.problems.text()
            type_into(self.name_edit, "Brand new")
        type_into(self.audience_edit, "Cabinet Office")
        counted(qtbot, self)
        self.save()
        return int(self.result())

    monkeypatch.setattr(TemplateEditor, "exec", edit_audience)
    dlg.list.select_name("Short")
    assert dlg.edit_button.isEnabled()
    dlg.edit_button.click()
    assert opened and opened[0].original == "Short"
    assert lib.get("Short").audience == "Cabinet Office" and "Saved" in dlg.state.text()
    dlg.new_button.click()
    assert len(opened) == 2 and lib.get("Brand new").audience == "Cabinet Office"
    assert dlg.list.current_name() == "Brand new"
    # a built-in: Edit offers to duplicate it; declined, nothing opens
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: False)
    dlg.list.select_name("risk-watch")
    dlg.edit_button.click()
    assert len(opened) == 2


def test_undo_and_redo_step_through_the_edits(qtbot, context: WindowContext) -> None:  # noqa: ANN001
    """Ctrl+Z / Ctrl+Shift+Z over every edit of the editor (issue 14 point 4): typing in a field is one step,
    a section moved another, a switch another; undone from any field, redone in order, then saved."""
    TemplateLibrary(context.data_dir).duplicate("risk-watch", "My risks")
    editor = open_editor(qtbot, context, "My risks")
    original = editor.data()
    headings = [editor.sections.title_of(i) for i in range(3)]
    # 1. the name typed (one step however many keys)
    editor.name_edit.setFocus()
    editor.name_edit.end(False)
    QTest.keyClicks(editor.name_edit, " weekly")
    # 2. a section moved down by keyboard
    editor.sections.list.setFocus()
    editor.sections.list.setCurrentRow(0)
    QTest.keyClick(editor.sections.list, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    # 3. a switch turned over
    box = next(iter(editor.switches.checks.values()))
    was = box.isChecked()
    box.click()
    assert editor.history.stack.count() == 3
    # undo from the name field: the switch first (the field's own undo does not take the key)
    editor.name_edit.setFocus()
    QTest.keyClick(editor.name_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert box.isChecked() == was and editor.name_edit.text() == "My risks weekly"
    QTest.keyClick(editor.name_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [editor.sections.title_of(i) for i in range(3)] == headings
    QTest.keyClick(editor.name_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.name_edit.text() == "My risks" and editor.data() == original
    assert not editor.history.undo_action.isEnabled()
    # redo all three, from the section list
    editor.sections.list.setFocus()
    for _ in range(3):
        QTest.keyClick(editor.sections.list, Qt.Key.Key_Z,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert editor.name_edit.text() == "My risks weekly" and box.isChecked() != was
    assert [editor.sections.title_of(i) for i in range(3)] == [headings[1], headings[0], headings[2]]
    counted(qtbot, editor)
    editor.save_button.click()
    saved = TemplateLibrary(context.data_dir).get("My risks weekly")
    assert [s.section for s in saved.sections][:2] == [original["sections"][1]["section"],
                                                      original["sections"][0]["section"]]


def test_esc_after_an_edit_asks_before_the_edit_is_thrown_away(qtbot, context: WindowContext,  # noqa: ANN001
                                                                 monkeypatch) -> None:
    from briefer.ui import messages

    TemplateLibrary(context.data_dir).duplicate("risk-watch", "Weekly risks")
    editor = open_editor(qtbot, context, "Weekly risks")
    asked: list[str] = []
    monkeypatch.setattr(messages, "confirm", lambda *a, **k: asked.append(a[1]) or False)
    QTest.keyClick(editor, Qt.Key.Key_Escape)  # nothing edited: it closes
    assert asked == [] and not editor.isVisible()
    editor = open_editor(qtbot, context, "Weekly risks")
    type_into(editor.description_edit, "For the Tuesday meeting.")
    QTest.keyClick(editor, Qt.Key.Key_Escape)
    assert asked == ["Discard changes"] and editor.isVisible()  # Cancel: the edit stays
    assert editor.description_edit.toPlainText() == "For the Tuesday meeting."
