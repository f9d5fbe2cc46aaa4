"""Sharing a personal template with the team from the window (issue 15, leftover): the Manage templates
dialog of a team library has the CLI's ``templates share`` as a button — an editor shares and takes
back, a reader is told why it cannot, a local store has no such button."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from briefer.cli import main
from briefer.domain.team_templates import open_library
from briefer.ingest.factpack import open_store
from briefer.ui import messages
from briefer.ui.dialogs.templates import ManageTemplatesDialog

pytestmark = pytest.mark.postgres

_N = itertools.count()


@pytest.fixture
def team(pg_server, pg_database, tmp_path):  # noqa: ANN001, ANN201
    url = pg_database("seeded")
    db = url.rsplit("/", 1)[1]
    n = next(_N)
    users = {role: f"sh_{role}_{n}_{db}" for role in ("reader", "editor")}
    for role, user in users.items():
        assert main(["--data-dir", str(tmp_path / "admin"), "--store", url, "team", "add-user", user,
                     "--role", role]) == 0
    return {role: pg_server.url(user=user, db=db) for role, user in users.items()}


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    out: list[str] = []
    monkeypatch.setattr(messages, "error", lambda parent, title, text, informative="": out.append(text))
    return out


def _names(store, data_dir: Path) -> dict[str, bool]:  # noqa: ANN001
    """name -> shared, of the templates this user sees in the team library (built-ins left out)."""
    return {i.name: i.shared for i in open_library(data_dir, store).list() if not i.builtin}


def test_an_editor_shares_a_template_from_the_dialog_and_takes_it_back(qtbot, team, tmp_path, errors) -> None:  # noqa: ANN001
    with open_store(tmp_path / "ed", location=team["editor"]) as editor, \
            open_store(tmp_path / "rd", location=team["reader"]) as reader:
        open_library(tmp_path / "ed", editor).duplicate("risk-watch", "Desk watch")
        assert "Desk watch" not in _names(reader, tmp_path / "rd")  # personal: the reader does not see it
        dlg = ManageTemplatesDialog(editor, tmp_path / "ed")
        qtbot.addWidget(dlg)
        dlg.show()
        dlg.list.select_name("Desk watch")
        assert dlg.share_button.isVisible() and dlg.share_button.isEnabled()
        assert dlg.share_button.text() == "&Share with team"
        dlg.share_button.click()
        assert dlg.state.text().startswith("\u201cDesk watch\u201d is now shared with the team")
        assert _names(reader, tmp_path / "rd")["Desk watch"] is True
        assert "Desk watch  (shared)" in [dlg.list.item(i).text() for i in range(dlg.list.count())]
        assert dlg.list.current_name() == "Desk watch"
        assert dlg.share_button.text() == "Make &personal" and dlg.share_button.isEnabled()
        dlg.share_button.click()
        assert "Desk watch" not in _names(reader, tmp_path / "rd")
        assert dlg.share_button.text() == "&Share with team"
        # a built-in is everyone's already
        dlg.list.select_name("risk-watch")
        assert not dlg.share_button.isEnabled()
        assert dlg.share_button.toolTip() == "Built-in templates are everyone's already"
    assert errors == []


def test_a_reader_is_told_why_it_cannot_share(qtbot, team, tmp_path, errors) -> None:  # noqa: ANN001
    with open_store(tmp_path / "rd", location=team["reader"]) as reader:
        open_library(tmp_path / "rd", reader).duplicate("risk-watch", "My watch")  # a reader keeps personal ones
        dlg = ManageTemplatesDialog(reader, tmp_path / "rd")
        qtbot.addWidget(dlg)
        dlg.show()
        dlg.list.select_name("My watch")
        assert dlg.share_button.isVisible() and not dlg.share_button.isEnabled()
        assert dlg.share_button.toolTip() == "Your role in the team library (reader) cannot write shared templates"
        assert _names(reader, tmp_path / "rd") == {"My watch": False}
    assert errors == []


def test_a_local_store_has_no_share_button(qtbot, store, data_dir) -> None:  # noqa: ANN001
    dlg = ManageTemplatesDialog(store, data_dir)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.share_button.isVisible()
