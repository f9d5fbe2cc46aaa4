"""Choosing the team library (issue 15, point 1): ``--store``, ``$BRIEFER_STORE`` and the "Team library"
preference, shown and set by ``briefer config`` and the Preferences dialog through one check; a URL
holding a password is refused with the reason, and nothing writes a password anywhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

URL = "postgresql://ana@db.example.org:5432/desk"


def test_config_shows_sets_and_clears_the_team_library(cli, data_dir: Path) -> None:  # noqa: ANN001
    assert json.loads(cli("config", "--json").out)["team_library"] is None
    assert cli("config", "--team-library", URL).code == 0
    assert json.loads(cli("config", "--json").out)["team_library"] == URL
    assert json.loads((data_dir / "settings.json").read_text())["team_library"] == URL
    r = cli("config", "--team-library", "postgresql://ana:hunter2@db.example.org/desk")
    assert r.code == 2 and "holds a password" in r.err and "~/.pgpass" in r.err and "hunter2" not in r.err
    r = cli("config", "--team-library", "postgresql://ana@db.example.org/desk?password=hunter2")
    assert r.code == 2 and "holds a password" in r.err
    assert "hunter2" not in (data_dir / "settings.json").read_text()
    assert cli("config", "--team-library", "/some/folder").code == 2
    assert cli("config", "--team-library", "").code == 0  # empty: back to the local store
    assert json.loads(cli("config", "--json").out)["team_library"] is None


def test_the_store_is_chosen_by_option_then_environment_then_setting(data_dir: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.store import preferences
    from briefer.store.location import configured

    monkeypatch.delenv("BRIEFER_STORE", raising=False)
    assert configured(data_dir) is None
    preferences.save(data_dir, team_library="postgresql://from@settings/db")
    assert configured(data_dir) == "postgresql://from@settings/db"
    monkeypatch.setenv("BRIEFER_STORE", "postgresql://from@env/db")
    assert configured(data_dir) == "postgresql://from@env/db"
    assert configured(data_dir, "postgresql://from@option/db") == "postgresql://from@option/db"


def test_a_password_in_the_environment_url_is_refused_before_any_connection(cli, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("BRIEFER_STORE", "postgresql://ana:hunter2@127.0.0.1:1/desk")
    r = cli("facts", "list")
    assert r.code == 2 and "$BRIEFER_STORE" in r.err and "holds a password" in r.err and "hunter2" not in r.err


def test_the_preferences_dialog_has_the_team_library_with_the_same_check(qtbot, data_dir: Path,  # noqa: ANN001
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from briefer.store import preferences
    from briefer.ui.dialogs.preferences import PreferencesDialog

    monkeypatch.delenv("BRIEFER_STORE", raising=False)
    dlg = PreferencesDialog(data_dir)
    qtbot.addWidget(dlg)
    dlg.team_edit.setText("postgresql://ana:hunter2@db.example.org/desk")
    dlg.accept()
    assert "holds a password" in dlg.error_label.text() and dlg.saved is None
    assert preferences.team_library(data_dir) is None
    dlg.team_edit.setText(URL)
    dlg.accept()
    assert dlg.saved is not None and preferences.team_library(data_dir) == URL
    again = PreferencesDialog(data_dir)
    qtbot.addWidget(again)
    assert again.team_edit.text() == URL
    monkeypatch.setenv("BRIEFER_STORE", "postgresql://other@host/db")
    by_env = PreferencesDialog(data_dir)
    qtbot.addWidget(by_env)
    assert not by_env.team_edit.isEnabled() and "$BRIEFER_STORE" in by_env.note.text()


def test_store_reset_refuses_when_a_team_library_is_in_use(cli, data_dir: Path) -> None:  # noqa: ANN001
    before = (data_dir / "briefer.sqlite3").read_bytes()
    r = cli("--store", URL, "store", "reset", "--confirm")
    assert r.code == 2 and "team library" in r.err and "nothing was changed" in r.err
    assert (data_dir / "briefer.sqlite3").read_bytes() == before
    assert not (data_dir / "backups").exists()


def test_the_store_option_goes_with_the_window_too() -> None:
    from briefer.cli import _global_options, _opens_window

    assert _opens_window(["--store", URL]) and _opens_window(["--data-dir", "/d", f"--store={URL}", "gui"])
    assert not _opens_window(["--store", URL, "facts", "list"])
    assert _global_options(["--data-dir", "/d", "--store", URL, "x.briefing.json"]) == 4
