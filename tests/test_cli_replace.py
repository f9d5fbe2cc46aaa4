"""The CLI never replaces a file silently (issue 14 point 1): every command that writes a file the user
named -- ``export --out``, ``backup``, ``templates export``, ``briefing new`` -- refuses one that exists
with the same line and exit 2, and replaces it only with ``--force``; a read-only file is refused
either way, and the file is left as it was."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

WRITERS = {
    "export": lambda out: ["export", "--sections", "risks", "--format", "md", "--out", str(out)],
    "export --template": lambda out: ["export", "--template", "risk-watch", "--format", "md", "--out", str(out)],
    "backup": lambda out: ["backup", str(out)],
    "templates export": lambda out: ["templates", "export", "risk-watch", str(out)],
    "briefing new": lambda out: ["briefing", "new", str(out), "--template", "risk-watch"],
}


@pytest.mark.parametrize("command", list(WRITERS))
def test_an_existing_file_is_replaced_only_with_force(cli, tmp_path: Path, command: str) -> None:  # noqa: ANN001
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "mine.out"
    target.write_text("the user's earlier file", encoding="utf-8")
    argv = WRITERS[command](target)
    r = cli(*argv)
    assert r.code == 2 and r.err == f"briefer: error: {target} exists; add --force to replace it\n" and r.out == ""
    assert target.read_text(encoding="utf-8") == "the user's earlier file"
    assert [p.name for p in target.parent.iterdir()] == ["mine.out"]  # no temporary left beside it
    r = cli(*argv, "--force")
    assert r.code == 0, r.err
    assert target.read_bytes() != b"the user's earlier file" and target.stat().st_size > 100


@pytest.mark.parametrize("command", list(WRITERS))
def test_a_read_only_file_is_refused_with_or_without_force(cli, tmp_path: Path, command: str) -> None:  # noqa: ANN001
    target = tmp_path / "locked.out"
    target.write_text("kept", encoding="utf-8")
    target.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    for extra in ((), ("--force",)):
        r = cli(*WRITERS[command](target), *extra)
        assert r.code == 2 and r.err.count("\n") == 1 and "read-only" in r.err, (extra, r.err)
    assert target.read_text(encoding="utf-8") == "kept"


def test_a_new_file_needs_no_force_and_a_dry_run_never_asks(cli, tmp_path: Path) -> None:  # noqa: ANN001
    out = tmp_path / "new.md"
    assert cli("export", "--sections", "risks", "--out", str(out)).code == 0 and out.is_file()
    r = cli("export", "--sections", "risks", "--out", str(out), "--dry-run")
    assert r.code == 0 and "would write" in r.out
