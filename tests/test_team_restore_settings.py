"""The settings in a backup archive (issue 15, leftover): a local restore puts them back into the data
folder, which they belong to; restored into a team library they are left out, said so, and the
restoring analyst's own settings stay as they were."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from briefer.cli import main
from briefer.store import preferences

pytestmark = pytest.mark.postgres


def _settings(data_dir: Path) -> dict[str, Any]:
    return dict(json.loads((data_dir / preferences.SETTINGS_FILE).read_text(encoding="utf-8")))


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_backups_settings_are_restored_locally_and_left_out_of_a_team_library(
        data_dir: Path, pg_database: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    preferences.save(data_dir, analyst="Kenji Local", stale_after_months=9)
    archive = tmp_path / "local.briefer-backup.zip"
    assert _cli(capsys, "--data-dir", str(data_dir), "backup", str(archive))[0] == 0

    url = pg_database("empty")
    mine = tmp_path / "admin"
    preferences.save(mine, analyst="Aiko Admin", stale_after_months=3, team_library=url)
    code, out, err = _cli(capsys, "--data-dir", str(mine), "--store", url, "restore", str(archive), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["settings_restored"] is False
    assert _settings(mine) == {"analyst": "Aiko Admin", "stale_after_months": 3, "team_library": url}
    code, out, err = _cli(capsys, "--data-dir", str(mine), "--store", url, "restore", str(archive), "--force")
    assert (code, err) == (0, "")
    assert "your settings" not in out.splitlines()[0]
    assert "The settings in the backup (analyst name, freshness horizon, export defaults) were not applied" in out
    assert _settings(mine)["analyst"] == "Aiko Admin"

    # the same archive into a local data folder brings its settings back, as always
    code, out, err = _cli(capsys, "--data-dir", str(tmp_path / "offline"), "restore", str(archive), "--json")
    assert (code, err) == (0, "")
    assert json.loads(out)["settings_restored"] is True
    assert _settings(tmp_path / "offline")["analyst"] == "Kenji Local"
