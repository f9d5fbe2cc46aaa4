"""The window hears more than facts (issue 15, points 3 and 4): a colleague's rename of the shared
template the open briefing follows is found by the template's id, and the briefing follows it; an
admin's change of the user's role greys out (or gives back) the window's actions at once, without
a restart."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from window_support import TODAY, open_window, shut_windows  # noqa: F401 - the fixture shuts the windows

from briefer.cli import main

pytestmark = pytest.mark.postgres

_N = itertools.count()


def _as(url: str, data_dir: Path) -> list[str]:
    return ["--data-dir", str(data_dir), "--store", url]


def test_a_colleague_renames_the_briefings_template_and_the_window_follows_it(qtbot, monkeypatch, pg_database,
                                                                             data_dir, tmp_path) -> None:  # noqa: ANN001
    from briefer.domain.templates import begin_template_export

    url = pg_database("seeded")
    monkeypatch.setenv("BRIEFER_STORE", url)
    bob = _as(url, tmp_path / "bob")  # the same database user, another connection: a colleague's change
    assert main([*bob, "templates", "duplicate", "risk-watch", "Desk watch"]) == 0
    assert main([*bob, "templates", "share", "Desk watch"]) == 0
    w = open_window(qtbot, data_dir)
    w.start_from_template(begin_template_export(w.store, data_dir, "Desk watch", today=TODAY))
    tid = w.doc.template_id
    assert tid and tid.startswith("t-") and w.doc.template == "Desk watch"
    seen: list = []
    w.live.applied.connect(seen.extend)

    assert main([*bob, "templates", "rename", "Desk watch", "Desk risk watch"]) == 0
    qtbot.waitUntil(lambda: any(c.kind == "template" for c in seen), timeout=20000)
    assert [(c.id, c.name) for c in seen if c.kind == "template"] == [(tid, "Desk risk watch")]
    # the same template (its id), under its new name: the briefing keeps its link and its budget
    assert (w.doc.template_id, w.doc.template, w.doc.template_missing) == (tid, "Desk risk watch", False)
    assert w.doc.budget is not None
    assert "(template: Desk risk watch)" in w.composer.title_label.text()
    assert w.live.bar.isVisible()
    assert "the template \u201cDesk watch\u201d this briefing follows was renamed \u201cDesk risk watch\u201d by " \
        in w.live.bar.text()

    seen.clear()
    assert main([*bob, "templates", "delete", "Desk risk watch"]) == 0
    qtbot.waitUntil(lambda: any(c.kind == "template" for c in seen), timeout=20000)
    assert w.doc.template_missing and w.doc.budget is None
    assert "\u201cDesk risk watch\u201d this briefing follows was deleted by " in w.live.bar.text()


def test_an_admins_role_change_reaches_the_open_window(qtbot, monkeypatch, pg_server, pg_database, data_dir,
                                                       tmp_path) -> None:  # noqa: ANN001
    url = pg_database("seeded")
    db = url.rsplit("/", 1)[1]
    user = f"uil_{next(_N)}_{db}"
    admin = _as(url, tmp_path / "admin")  # the cluster's superuser: an admin connection
    assert main([*admin, "team", "add-user", user, "--role", "reader"]) == 0
    monkeypatch.setenv("BRIEFER_STORE", pg_server.url(user=user, db=db))
    w = open_window(qtbot, data_dir)
    assert w.permissions.role == "reader"
    refused = "Your role in the team library (reader) cannot edit facts"
    assert not w.new_fact_action.isEnabled() and w.new_fact_action.toolTip() == refused
    assert not w.import_action.isEnabled()
    changed: list = []
    w.live.roleChanged.connect(changed.append)
    # a fact editor and the conflicts dialog already open when the role changes follow it at once
    from briefer.ui.curation import ConflictsDialog, FactEditorDialog

    editor = FactEditorDialog(w.store, w.store.facts(limit=1)[0].id, parent=w)
    conflicts = ConflictsDialog(w.store, parent=w)
    qtbot.addWidget(editor)
    qtbot.addWidget(conflicts)
    editor.statement_edit.setPlainText("Typed while a reader.")
    with w.live.followed_by(editor), w.live.followed_by(conflicts):
        editor.show()
        conflicts.show()
        assert not editor.save_button.isEnabled() and editor.save_button.toolTip() == refused
        assert not editor.reliability_combo.isEnabled() and not editor.delete_button.isEnabled()
        assert not conflicts.resolve_button.isEnabled()

        assert main([*admin, "team", "add-user", user, "--role", "editor"]) == 0
        qtbot.waitUntil(lambda: bool(changed), timeout=20000)
        assert w.permissions.role == "editor"
        for action in (w.new_fact_action, w.edit_fact_action, w.import_action):
            assert action.isEnabled(), action.text()
            assert "Your role" not in action.toolTip()
        assert "Your role in the team library is now editor (was reader), changed by " in w.status_label.text()
        assert editor.save_button.isEnabled() and "Your role" not in editor.save_button.toolTip()
        assert editor.reliability_combo.isEnabled()
        assert not editor.delete_button.isEnabled()  # an editor may not delete: still grey, saying why
        assert editor.delete_button.toolTip() == "Your role in the team library (editor) cannot delete facts"
        assert editor.statement_edit.toPlainText() == "Typed while a reader."  # what was typed stays
        assert conflicts.resolve_button.isEnabled() == (conflicts.current() is not None)
        assert "Your role" not in conflicts.resolve_button.toolTip()

        changed.clear()
        assert main([*admin, "team", "add-user", user, "--role", "reader"]) == 0
        qtbot.waitUntil(lambda: bool(changed), timeout=20000)
        assert not w.new_fact_action.isEnabled() and w.new_fact_action.toolTip() == refused
        assert not w.import_action.isEnabled()
        assert w.export_action.isEnabled()  # what a reader may do stays
        assert "now reader (was editor)" in w.status_label.text() and refused in w.status_label.text()
        assert not editor.save_button.isEnabled() and editor.save_button.toolTip() == refused
        assert not conflicts.resolve_button.isEnabled()
    editor.close()
    conflicts.close()
