"""A command loads only the command group it lives in: ``briefer export`` does not import the backup,
curation, conflict or template commands (and what they import) before it can start its work."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from briefer import cli

REPO = Path(__file__).resolve().parents[1]


def _top_level(modules: list[str]) -> list[str]:
    parser = cli.build_parser(modules)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return list(sub.choices)


def test_each_module_registers_the_commands_the_dispatch_names() -> None:
    assert list(cli.COMMAND_NAMES) == cli.COMMAND_MODULES
    for module, names in cli.COMMAND_NAMES.items():
        assert _top_level([module]) == list(names), module
    everything = _top_level(cli.COMMAND_MODULES)
    assert sorted(everything) == sorted(n for names in cli.COMMAND_NAMES.values() for n in names)


def test_a_command_loads_its_own_group_and_help_lists_all() -> None:
    assert cli.modules_for(["--data-dir", "d", "export", "--out", "x.docx"]) == ["export"]
    assert cli.modules_for(["--store=postgresql://h/db", "restore", "f"]) == ["backup"]
    assert cli.modules_for(["sources", "list"]) == ["facts"]
    for argv in ([], ["--help"], ["exprot"], ["--data-dir", "d"]):
        assert cli.modules_for(argv) == cli.COMMAND_MODULES, argv


def test_export_does_not_import_the_other_command_groups(tmp_path: Path) -> None:
    code = ("import sys; from briefer.cli import main; main(['--data-dir', sys.argv[1], 'export', '--help'])")
    watch = ("briefer.commands.facts", "briefer.commands.backup", "briefer.commands.curation_cli",
             "briefer.commands.templates", "briefer.commands.importer", "briefer.store.backup")
    probe = f"import atexit, sys; atexit.register(lambda: print([m for m in {watch!r} if m in sys.modules]))\n"
    r = subprocess.run([sys.executable, "-c", probe + code, str(tmp_path)], capture_output=True, text=True,
                       cwd=REPO, timeout=120)
    assert "usage: briefer export" in r.stdout
    assert r.stdout.strip().splitlines()[-1] == "[]"
    # a misspelt command still lists every command
    r = subprocess.run([sys.executable, "-m", "briefer", "--data-dir", str(tmp_path), "exprot"], capture_output=True,
                       text=True, cwd=REPO, timeout=120)
    assert r.returncode == 2 and "export" in r.stderr and "templates" in r.stderr
