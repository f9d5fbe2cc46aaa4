"""Editions keyed by the template's stable id (issue 14 point 4): a template renamed in the window's
editor or by renaming its file by hand keeps its editions, so "what changed" compares with the last one
and ``briefer templates editions`` / ``briefer changes`` say the same; migration 11 fills in the ids of
editions recorded before it, on both backends."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest
from window_support import shut_windows  # noqa: F401 - autouse: the windows a test opens are closed

from briefer.domain.template_library import TemplateLibrary
from briefer.domain.templates import begin_template_export
from briefer.store.db import DB_NAME

FIRST, SECOND = date(2025, 10, 1), date(2025, 11, 1)


def _drop_a_fact(store, data_dir: Path, template: str) -> str:  # noqa: ANN001
    """Delete one fact the template's last run held: the next run has one change to report."""
    fid = begin_template_export(store, data_dir, template, today=SECOND).briefing.fact_ids()[-1]
    store.delete_fact(fid)
    return fid


def test_a_template_file_renamed_by_hand_keeps_its_editions(cli, store, data_dir: Path) -> None:  # noqa: ANN001
    lib = TemplateLibrary(data_dir)
    t = lib.duplicate("risk-watch", "Weekly")
    begin_template_export(store, data_dir, "Weekly", today=FIRST).record()
    (data_dir / "templates" / "Weekly.json").rename(data_dir / "templates" / "Risk desk.json")
    gone = _drop_a_fact(store, data_dir, "Risk desk")
    exp = begin_template_export(store, data_dir, "Risk desk", today=SECOND)
    assert exp.template.id == t.id
    assert exp.previous is not None and exp.previous.number == 1
    assert ("removed", gone) in [(c.kind, c.fact_id) for c in exp.changes]
    exp.record()
    # the CLI lists them under the name the template has now, and "what changed" agrees
    rows = json.loads(cli("templates", "editions", "Risk desk", "--json").out)
    assert [r["number"] for r in rows] == [2, 1]
    assert "No edition" in cli("templates", "editions", "risk-watch").out  # the built-in's are its own
    report = json.loads(cli("changes", "--all", "--json").out)
    assert [(r["template"], r["previous_edition"]["number"]) for r in report] == [("Risk desk", 2)]
    one = json.loads(cli("changes", "--template", "Risk desk", "--json").out)
    assert one["template"] == "Risk desk" and one["previous_edition"]["number"] == 2


def test_a_new_template_under_an_old_name_starts_its_own_editions(store, data_dir: Path) -> None:  # noqa: ANN001
    lib = TemplateLibrary(data_dir)
    lib.duplicate("risk-watch", "Weekly")
    begin_template_export(store, data_dir, "Weekly", today=FIRST).record()
    (data_dir / "templates" / "Weekly.json").rename(data_dir / "templates" / "Risk desk.json")
    lib.duplicate("compendium", "Weekly")  # another template takes the free name
    exp = begin_template_export(store, data_dir, "Weekly", today=SECOND)
    assert exp.previous is None
    exp.record()
    assert exp.edition is not None and exp.edition.number == 1
    assert begin_template_export(store, data_dir, "Risk desk", today=SECOND).previous.number == 1  # type: ignore[union-attr]


def test_export_of_a_briefing_file_records_under_the_renamed_template(cli, store, data_dir: Path,  # noqa: ANN001
                                                                     tmp_path: Path) -> None:
    from briefer.domain.briefing_file import save_briefing_file
    from briefer.store.editions import editions

    lib = TemplateLibrary(data_dir)
    t = lib.duplicate("risk-watch", "Weekly")
    job = begin_template_export(store, data_dir, "Weekly", today=FIRST)
    job.record()
    saved = tmp_path / "w.briefing.json"
    save_briefing_file(saved, job.briefing, template="Weekly", template_id=t.id, store=store)
    lib.rename("Weekly", "Risk desk", store=store)
    r = cli("export", "--briefing", str(saved), "--record-edition", "--out", str(tmp_path / "w.md"))
    assert r.code == 0 and "edition 2 of \u201cRisk desk\u201d" in r.out
    assert [(e.template, e.number) for e in editions(store, "Risk desk", t.id)] == [("Risk desk", 2), ("Risk desk", 1)]
    checked = cli("briefing", "check", str(saved))  # the file names its template by id: the new name shows
    assert checked.code == 0 and "from template 'Risk desk'" in checked.out, checked.out
    assert json.loads(cli("briefing", "check", str(saved), "--json").out)["template"] == "Risk desk"


def test_renamed_in_the_window_editor_what_changed_compares_with_the_earlier_edition(  # noqa: ANN001
        qtbot, data_dir: Path, tmp_path: Path) -> None:
    from test_ui_no_traps import export, export_dialog
    from test_ui_template_editor import counted, open_editor, type_into
    from window_support import open_window

    from briefer.domain.templates import prepare

    lib = TemplateLibrary(data_dir)
    t = lib.duplicate("risk-watch", "Weekly risks")
    w = open_window(qtbot, data_dir)
    w.start_from_template(prepare(t, w.store, today=FIRST))
    dlg = export_dialog(qtbot, w)
    assert dlg.edition_check.text() == "Issue as edition 1 of \u201cWeekly risks\u201d"
    assert "Recorded as edition 1" in export(qtbot, dlg, tmp_path / "first.md", "md")
    # renamed in the editor; one of its facts deleted since
    editor = open_editor(qtbot, w.context(), "Weekly risks")
    type_into(editor.name_edit, "Risk note")
    counted(qtbot, editor)
    editor.save_button.click()
    assert lib.exists("Risk note") and not lib.exists("Weekly risks")
    gone = _drop_a_fact(w.store, data_dir, "Risk note")
    again = prepare(lib.get("Risk note"), w.store, today=SECOND)
    assert again.previous is not None and again.previous.number == 1
    assert gone in [c.fact_id for c in again.changes if c.kind == "removed"]
    w.start_from_template(again)
    assert f"{len(again.changes)} changes since the last edition" in w.status_label.text()
    dlg = export_dialog(qtbot, w)
    assert dlg.edition_check.text() == "Issue as edition 2 of \u201cRisk note\u201d"
    assert "Recorded as edition 2" in export(qtbot, dlg, tmp_path / "second.md", "md")


# -- migration 11 ------------------------------------------------------------------------------------------


def _v10_store(path: Path) -> None:
    """A local store as schema 10 left it, holding three editions recorded by name."""
    from briefer.store import migrations
    from briefer.store.db import _statements

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    for step in range(1, 11):
        for stmt in _statements(migrations.MIGRATIONS[step]):
            conn.execute(stmt)
    for eid, template in ((1, "risk-watch"), (2, "Weekly"), (3, "Gone")):
        conn.execute("INSERT INTO editions (id, template, number, exported_on, recorded_at, title) VALUES"
                     " (?, ?, 1, '2025-10-01', '2025-10-01T09:00:00+00:00', 'T')", (eid, template))
        conn.execute("INSERT INTO edition_facts VALUES (?, 0, 'f1', 'risks', 'S', 'current', 'a', 'b', 'c')",
                     (eid,))
    conn.execute("PRAGMA user_version = 10")
    conn.close()


def test_migration_11_gives_old_editions_their_template_ids(tmp_path: Path) -> None:
    from briefer.store.db import open_store

    d = tmp_path / "data"
    (d / "templates").mkdir(parents=True)
    (d / "templates" / "Weekly.json").write_text(json.dumps({"id": "t-weekly", "name": "Weekly"}), encoding="utf-8")
    _v10_store(d / DB_NAME)
    with open_store(d, seed=False) as s:
        assert {e.template: e.template_id for e in s.editions()} == {
            "risk-watch": "builtin:risk-watch", "Weekly": "t-weekly", "Gone": "name:Gone"}
        assert s.latest_edition("Renamed by hand", "t-weekly").fact_ids() == ["f1"]  # type: ignore[union-attr]
        assert s.latest_edition("Gone").number == 1  # type: ignore[union-attr]  # by its name, as before
        s.record_edition("Gone", exported_on=SECOND, title="T2", facts=[])  # numbered after it
        assert [e.number for e in s.editions("Gone")] == [2, 1]
    conn = sqlite3.connect(d / DB_NAME)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("SELECT count(*) FROM edition_facts").fetchone()[0] == 3
        conn.execute("DELETE FROM editions WHERE template = 'Gone'")  # its facts still go with it
        assert conn.execute("SELECT count(*) FROM edition_facts").fetchone()[0] == 2
    finally:
        conn.close()


@pytest.mark.postgres
def test_migration_11_on_a_team_library_takes_ids_from_its_templates(pg_database, tmp_path: Path) -> None:  # noqa: ANN001
    import psycopg

    from briefer.store.db import open_store
    from briefer.store.postgres.migrations import LATEST

    url = pg_database("empty")
    with psycopg.connect(url, autocommit=True) as conn:  # back to schema 10, with editions recorded by name
        conn.execute("ALTER TABLE editions DROP CONSTRAINT editions_template_id_number_key")
        conn.execute("DROP INDEX editions_template")
        conn.execute("ALTER TABLE editions DROP COLUMN template_id")
        conn.execute("ALTER TABLE editions ADD CONSTRAINT editions_template_number_key UNIQUE (template, number)")
        conn.execute("UPDATE briefer_meta SET value = '10' WHERE key = 'schema'")
        conn.execute("INSERT INTO templates (template_id, name, body, shared)"
                     " VALUES ('t-team', 'Desk note', '{}', true)")
        for template in ("risk-watch", "Desk note", "Gone"):
            conn.execute("INSERT INTO editions (template, number, exported_on, recorded_at) VALUES"
                         " (%s, 1, '2025-10-01', '2025-10-01T09:00:00+00:00')", (template,))
    with open_store(tmp_path / "data", seed=False, location=url) as s:
        assert s.schema_version == LATEST  # 11 and every step after it ran
        assert {e.template: e.template_id for e in s.editions()} == {
            "risk-watch": "builtin:risk-watch", "Desk note": "t-team", "Gone": "name:Gone"}
        ed = s.record_edition("Renamed", exported_on=SECOND, title="T", facts=[], template_id="t-team")
        assert ed.number == 2 and {e.template for e in s.editions(template_id="t-team")} == {"Renamed"}
