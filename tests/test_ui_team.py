"""The window on a team library greys out what the connected user's role may not do, and says why
(issue 15 point 3): a reader cannot open the fact editor, import or resolve conflicts; an editor's
fact editor cannot delete."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from window_support import open_window, shut_windows  # noqa: F401 - the fixture shuts the windows

pytestmark = pytest.mark.postgres

_N = itertools.count()


@pytest.fixture(scope="module")
def library(pg_server, tmp_path_factory):  # noqa: ANN001, ANN201
    """A team library created (and seeded) through Briefer, with a reader and an editor."""
    from briefer.cli import main

    n = next(_N)
    db = f"ui{n}"
    pg_server.psql(f"CREATE DATABASE {db}")
    users = {"reader": f"ui_reader_{n}", "editor": f"ui_editor_{n}"}
    admin_dir = tmp_path_factory.mktemp("admin")
    for user, role in ((users["reader"], "reader"), (users["editor"], "editor")):
        code = main(["--data-dir", str(admin_dir), "--store", pg_server.url(db=db), "team", "add-user", user,
                     "--role", role])
        assert code == 0
    editor = ["--data-dir", str(admin_dir / "editor"), "--store", pg_server.url(user=users["editor"], db=db)]
    assert main([*editor, "templates", "duplicate", "risk-watch", "Desk risk watch"]) == 0
    assert main([*editor, "templates", "share", "Desk risk watch"]) == 0
    return db, users


def _open_as(qtbot, monkeypatch, pg_server, library, role: str, data_dir: Path):  # noqa: ANN001, ANN202
    db, users = library
    monkeypatch.setenv("BRIEFER_STORE", pg_server.url(user=users[role], db=db))
    return open_window(qtbot, data_dir)


def test_a_reader_s_window_greys_out_editing_with_the_reason(qtbot, monkeypatch, pg_server, library,
                                                              tmp_path: Path) -> None:
    w = _open_as(qtbot, monkeypatch, pg_server, library, "reader", tmp_path / "reader")
    assert w.permissions.role == "reader"
    for action, doing in ((w.new_fact_action, "edit facts"), (w.edit_fact_action, "edit facts"),
                          (w.import_action, "import sources")):
        assert not action.isEnabled(), action.text()
        assert action.toolTip() == f"Your role in the team library (reader) cannot {doing}"
        assert action.statusTip() == action.toolTip()
    # what a reader may do stays available
    for action in (w.export_action, w.new_from_template_action, w.find_action, w.save_template_action,
                   w.conflicts_action):
        assert action.isEnabled(), action.text()
    assert "Your role in the team library (reader) cannot edit facts" in w.status_label.text() + \
        w.statusBar().currentMessage()
    # the team's shared templates are offered, from the library's database
    from briefer.ui.dialogs.templates import NewFromTemplateDialog

    pick = NewFromTemplateDialog(w.store, tmp_path / "reader", parent=w)
    qtbot.addWidget(pick)
    shared = {i.name: i for i in pick.library.list()}["Desk risk watch"]
    assert shared.shared and not shared.builtin  # type: ignore[attr-defined]
    # the conflicts view opens to read, and cannot resolve
    from briefer.ui.curation import ConflictsDialog

    dlg = ConflictsDialog(w.store, parent=w)
    qtbot.addWidget(dlg)
    assert not dlg.resolve_button.isEnabled()
    with qtbot.waitSignal(dlg.loaded, timeout=60000):
        pass  # the conflicts are found in a worker (the signal is delivered by this thread's event loop)
    assert dlg.conflicts() and " conflicts: " in dlg.summary.text()  # the reader reads them
    dlg.table.selectRow(0)
    assert dlg.current() is not None
    assert not dlg.resolve_button.isEnabled()
    assert dlg.resolve_button.toolTip() == "Your role in the team library (reader) cannot resolve conflicts"


def test_an_editor_s_window_edits_but_its_fact_editor_cannot_delete(qtbot, monkeypatch, pg_server, library,
                                                                    tmp_path: Path) -> None:
    w = _open_as(qtbot, monkeypatch, pg_server, library, "editor", tmp_path / "editor")
    assert w.permissions.role == "editor"
    assert w.new_fact_action.isEnabled() and w.edit_fact_action.isEnabled() and w.import_action.isEnabled()
    from briefer.ui.curation import FactEditorDialog

    dlg = FactEditorDialog(w.store, "bg-soft-law-approach-defined", parent=w)
    qtbot.addWidget(dlg)
    assert dlg.save_button.isEnabled()
    assert not dlg.delete_button.isEnabled()
    assert dlg.delete_button.toolTip() == "Your role in the team library (editor) cannot delete facts"
