"""Two analysts editing one fact or source (issue 15, point 2), on a local store — two windows, or a
CLI edit while the window's editor is open: the edit based on the old version is refused; the
window shows theirs beside yours and saves the analyst's choice on top of theirs; the CLI exits 2
with one line that names who changed it and when.  (tests/test_team_live.py runs the same on a
team library.)"""

from __future__ import annotations

import re
from typing import Any

import pytest

from briefer.domain import curation, versions
from briefer.ingest.factpack import open_store
from briefer.ui.curation import FactEditorDialog
from briefer.ui.curation.version_conflict import VersionConflictDialog

FID = "hq-established-sept-1"


@pytest.fixture
def colleague(data_dir):  # noqa: ANN001, ANN201
    """A second connection to the same store: the other window."""
    other = open_store(data_dir)
    yield other
    other.close()


def _their_edit(store: Any, **changes: Any) -> None:
    curation.change_fact(store, FID, analyst="Bob", **changes)


@pytest.fixture
def choose(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What the analyst does in the side-by-side dialog: {"button": "yours", "picks": {...}}; the dialog
    the editor opened is kept in ["shown"]."""
    plan: dict[str, Any] = {"button": "theirs", "picks": {}, "shown": []}

    def exec_(dlg: VersionConflictDialog) -> int:
        plan["shown"].append(dlg)
        for field, whose in plan["picks"].items():
            dlg.pick(field, whose)
        {"theirs": dlg.theirs_button, "yours": dlg.yours_button, "merge": dlg.merge_button}[plan["button"]].click()
        return int(dlg.result())

    monkeypatch.setattr(VersionConflictDialog, "exec", exec_)
    return plan


def _edit_in_editor(dialog: FactEditorDialog, statement: str, notes: str = "") -> None:
    dialog.statement_edit.setPlainText(statement)
    if notes:
        dialog.notes_edit.setPlainText(notes)


MINE = "The AI Strategy Headquarters was set up on 1 September 2025, with the Prime Minister as its head."
THEIRS = "The AI Strategy Headquarters was established on September 1, 2025 under the Cabinet."


def test_the_side_by_side_view_names_them_and_highlights_what_differs(qtbot, store, colleague, choose,
                                                                      monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana")
    dialog = FactEditorDialog(store, FID)
    qtbot.addWidget(dialog)
    _their_edit(colleague, statement=THEIRS)
    _edit_in_editor(dialog, MINE)
    choose["button"] = "theirs"
    dialog.save()
    shown: VersionConflictDialog = choose["shown"][0]
    assert shown.windowTitle() == f"Fact changed while you edited it \u2014 {FID}"
    rows = {shown.table.item(r, 0).text(): r for r in range(shown.table.rowCount())}
    row = rows["Statement  \u2260"]
    assert shown.table.item(row, 1).text() == THEIRS
    assert shown.table.item(row, 2).text() == MINE
    assert shown.table.item(row, 1).background().color().name() == "#fef3c7"  # highlighted
    same = rows["Priority"]
    assert shown.table.item(same, 3).text() == "the same"  # nothing to pick where they agree
    assert set(shown.picks) == {"statement"}
    assert "<b>Bob saved fact hq-established-sept-1 at " in shown.head.text()
    assert shown.summary.text() == "1 field differs: Statement"


def test_keep_theirs_drops_the_edit_and_shows_their_version(qtbot, store, colleague, choose) -> None:  # noqa: ANN001
    dialog = FactEditorDialog(store, FID)
    qtbot.addWidget(dialog)
    _their_edit(colleague, statement=THEIRS)
    _edit_in_editor(dialog, MINE)
    choose["button"] = "theirs"
    assert dialog.save()
    assert store.fact(FID).statement == THEIRS
    assert dialog.statement_edit.toPlainText() == THEIRS
    assert dialog.message.text() == "Kept Bob's version; your edit was dropped."
    # the editor is now at their version: the next save is not a conflict
    _edit_in_editor(dialog, MINE)
    assert dialog.save()
    assert len(choose["shown"]) == 1
    assert store.fact(FID).statement == MINE


def test_keep_yours_saves_on_top_of_theirs_and_the_history_keeps_both(qtbot, store, colleague, choose,
                                                                     monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana")
    dialog = FactEditorDialog(store, FID)
    qtbot.addWidget(dialog)
    _their_edit(colleague, statement=THEIRS)
    _edit_in_editor(dialog, MINE)
    choose["button"] = "yours"
    assert dialog.save()
    assert store.fact(FID).statement == MINE
    history = store.history(FID)
    assert [h["analyst"] for h in history[-2:]] == ["Bob", "Ana"]
    assert history[-2]["after"]["statement"] == THEIRS  # theirs stays in the history, restorable
    assert re.fullmatch(r"edit, kept over version \d+ by Bob", history[-1]["action"])
    assert dialog.message.text().startswith("Saved your version on top of version ")


def test_merge_takes_the_fields_picked_from_each(qtbot, store, colleague, choose) -> None:  # noqa: ANN001
    dialog = FactEditorDialog(store, FID)
    qtbot.addWidget(dialog)
    _their_edit(colleague, statement=THEIRS, priority=4)
    _edit_in_editor(dialog, MINE, notes="Checked against the Cabinet Office notice.")
    choose.update(button="merge", picks={"statement": "theirs", "notes": "yours", "priority": "theirs"})
    assert dialog.save()
    stored = store.fact(FID)
    assert (stored.statement, stored.priority, stored.notes) == (THEIRS, 4, "Checked against the Cabinet Office "
                                                                             "notice.")
    assert store.history(FID)[-1]["action"].startswith("merge with version ")


def test_merge_by_default_keeps_what_each_side_changed(qtbot, store, colleague, choose) -> None:  # noqa: ANN001
    dialog = FactEditorDialog(store, FID)
    qtbot.addWidget(dialog)
    _their_edit(colleague, notes="Bob checked the Cabinet Office notice.")  # only they changed the notes
    _edit_in_editor(dialog, MINE)  # only the analyst changed the statement
    choose.update(button="merge", picks={})
    assert dialog.save()
    shown = choose["shown"][0]
    assert {f: shown.picks[f].currentData() for f in shown.picks} == {"statement": "yours", "notes": "theirs"}
    stored = store.fact(FID)
    assert (stored.statement, stored.notes) == (MINE, "Bob checked the Cabinet Office notice.")


def test_cancel_saves_nothing_and_keeps_the_edit(qtbot, store, colleague, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(VersionConflictDialog, "exec", lambda dlg: 0)
    dialog = FactEditorDialog(store, FID)
    qtbot.addWidget(dialog)
    _their_edit(colleague, statement=THEIRS)
    _edit_in_editor(dialog, MINE)
    assert not dialog.save()
    assert store.fact(FID).statement == THEIRS
    assert dialog.statement_edit.toPlainText() == MINE


def test_a_source_graded_meanwhile_is_a_conflict_too(qtbot, store, colleague, choose) -> None:  # noqa: ANN001
    dialog = FactEditorDialog(store, FID)
    qtbot.addWidget(dialog)
    sid = dialog.source_combo.currentData()
    curation.edit_source(colleague, sid, analyst="Bob", notes="Checked with the ministry.", reliability="C")
    choose.update(button="merge", picks={"reliability": "yours", "notes": "theirs"})
    dialog.reliability_combo.setCurrentIndex(dialog.reliability_combo.findData("A"))
    dialog.reliability_combo.activated.emit(dialog.reliability_combo.currentIndex())
    src = store.source(sid)
    assert (src.reliability, src.notes) == ("A", "Checked with the ministry.")
    assert choose["shown"][0].conflict.kind == "source"


def test_an_edit_without_a_conflict_asks_nothing(qtbot, store, choose) -> None:  # noqa: ANN001
    dialog = FactEditorDialog(store, FID)
    qtbot.addWidget(dialog)
    _edit_in_editor(dialog, MINE)
    assert dialog.save()
    _edit_in_editor(dialog, THEIRS)
    assert dialog.save()  # its own last save is the version it edits now
    assert choose["shown"] == []


# -- the CLI ---------------------------------------------------------------------------------------------


def test_the_cli_refuses_an_edit_of_an_old_version_in_one_line_naming_who_and_when(cli, monkeypatch) -> None:  # noqa: ANN001
    shown = cli("facts", "show", FID)
    version = int(re.search(r"version: (\d+)", shown.out).group(1))
    monkeypatch.setenv("BRIEFER_ANALYST", "Bob")
    assert cli("facts", "edit", FID, "--priority", "4", "--expect-version", str(version)).code == 0
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana")
    r = cli("facts", "edit", FID, "--statement", MINE, "--expect-version", str(version))
    assert r.code == 2
    line = r.err.strip()
    assert "\n" not in line
    assert re.fullmatch(rf"briefer: error: fact '{FID}' was changed by Bob at \d\d:\d\d UTC after you opened it; "
                        r"your edit was not saved: reload it to see the change, then edit again", line), line
    assert "version: " + str(version + 1) in cli("facts", "show", FID).out
    assert MINE not in cli("facts", "show", FID).out


def test_the_cli_refuses_a_source_edit_of_an_old_version(cli, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("BRIEFER_ANALYST", "Bob")
    sid = "news-hq-established"
    first = cli("sources", "grade", sid, "B", "--expect-version", "1")
    assert first.code == 0, first.err
    r = cli("sources", "edit", sid, "--notes", "x", "--expect-version", "1")
    assert r.code == 2
    assert re.fullmatch(rf"briefer: error: source '{sid}' was changed by Bob at \d\d:\d\d UTC after you opened "
                        rf"it; your edit was not saved: see 'briefer sources show {sid}', then edit again",
                        r.err.strip()), r.err


def test_who_and_when_read_as_a_person_would_say_them() -> None:
    from datetime import UTC, datetime

    from briefer.model.records import RecordVersion

    now = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
    team = RecordVersion(4, "2026-12-01T14:02:09+00:00", "Alice", "demo_editor")
    assert (versions.who(team), versions.when(team, today=now)) == ("demo_editor (Alice)", "14:02 UTC")
    local = RecordVersion(2, "2026-11-30T09:15:00+00:00", "Alice", "")
    assert (versions.who(local), versions.when(local, today=now)) == ("Alice", "2026-11-30 09:15 UTC")
    assert versions.who(RecordVersion(1)) == "someone"
    assert versions.when(RecordVersion(1)) == ""


def test_a_fact_file_edited_from_an_old_version_is_refused_and_one_from_the_new_saved(cli, tmp_path,
                                                                                   monkeypatch) -> None:  # noqa: ANN001
    import json

    doc = json.loads(cli("facts", "show", FID, "--json").out)
    assert isinstance(doc["version"], int)
    doc["statement"] = MINE
    mine = tmp_path / "fact.json"
    mine.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setenv("BRIEFER_ANALYST", "Bob")
    assert cli("facts", "edit", FID, "--notes", "Bob was here first.").code == 0
    monkeypatch.setenv("BRIEFER_ANALYST", "Ana")
    r = cli("facts", "edit", FID, "--from", str(mine))
    assert r.code == 2
    assert re.fullmatch(rf"briefer: error: fact '{FID}' was changed by Bob at \d\d:\d\d UTC after you opened it; "
                        r"your edit was not saved: reload it to see the change, then edit again", r.err.strip())
    assert json.loads(cli("facts", "show", FID, "--json").out)["notes"] == "Bob was here first."
    # read again, edited again: saved, and Bob's notes are kept
    doc = json.loads(cli("facts", "show", FID, "--json").out)
    doc["statement"] = MINE
    mine.write_text(json.dumps(doc), encoding="utf-8")
    assert cli("facts", "edit", FID, "--from", str(mine)).code == 0
    after = json.loads(cli("facts", "show", FID, "--json").out)
    assert (after["statement"], after["notes"], after["version"]) == (MINE, "Bob was here first.", doc["version"] + 1)
    # a file that does not say which version it edits is refused
    del doc["version"]
    mine.write_text(json.dumps(doc), encoding="utf-8")
    r = cli("facts", "edit", FID, "--from", str(mine))
    assert r.code == 2 and "does not say which version of the fact it edits" in r.err


def test_editor_round_trip_is_refused_when_someone_saved_while_it_was_open(cli, data_dir, tmp_path,
                                                                        monkeypatch) -> None:  # noqa: ANN001
    import sys

    # the "editor" rewords the statement; while it is open, Bob saves the fact from another connection
    script = tmp_path / "editor.py"
    script.write_text(
        "import json, sys\n"
        "from briefer.domain import curation\n"
        "from briefer.ingest.factpack import open_store\n"
        f"other = open_store({str(data_dir)!r})\n"
        f"curation.change_fact(other, {FID!r}, analyst='Bob', priority=4)\n"
        "other.close()\n"
        "path = sys.argv[1]\n"
        "data = json.load(open(path, encoding='utf-8'))\n"
        f"data['statement'] = {MINE!r}\n"
        "json.dump(data, open(path, 'w', encoding='utf-8'))\n", encoding="utf-8")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)
    r = cli("facts", "edit", FID, "--editor")
    assert r.code == 2
    assert re.fullmatch(rf"briefer: error: fact '{FID}' was changed by Bob at \d\d:\d\d UTC after you opened it; "
                        r"your edit was not saved: reload it to see the change, then edit again", r.err.strip())
    assert MINE not in cli("facts", "show", FID).out
