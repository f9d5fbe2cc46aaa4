"""Briefer opens no network connection unless a team library is configured (issue 15): a local store's
CLI commands and the window's start load no database driver or network client and create no socket;
the one module that imports psycopg is the team library's connection (pyproject's import contract)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

#: a socket created from Python, seen by an audit hook installed before Briefer is imported
_PROBE = """
import json, sys
events = []
sys.addaudithook(lambda event, args: events.append(event) if event.startswith("socket.") else None)
{body}
NET = ("psycopg", "psycopg_binary", "psycopg_c", "ssl", "http.client", "urllib.request", "asyncio", "smtplib",
       "ftplib", "xmlrpc", "socketserver", "requests", "PySide6.QtNetwork")
loaded = sorted(m for m in sys.modules if any(m == n or m.startswith(n + ".") for n in NET))
print("PROBE " + json.dumps({{"modules": loaded, "sockets": sorted(set(events))}}))
"""


def _probe(body: str, data_dir: Path) -> dict[str, list[str]]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("BRIEFER_STORE", None)
    out = subprocess.run([sys.executable, "-c", _PROBE.format(body=body)], capture_output=True, text=True,
                         timeout=180, env=env, cwd=REPO)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("PROBE ")), None)
    assert line is not None, out.stderr
    return json.loads(line[len("PROBE "):])  # type: ignore[no-any-return]


def test_cli_commands_on_the_local_store_load_no_driver_and_create_no_socket(data_dir: Path, tmp_path: Path) -> None:
    body = f"""
from briefer.cli import main
for argv in (["facts", "list"], ["facts", "search", "Kiuchi"], ["facts", "tag", "hq-head-disputed", "--add", "topic:x"],
             ["config"], ["export", "--template", "one-page-brief", "--out", {str(tmp_path / 'b.docx')!r}]):
    assert main(["--data-dir", {str(data_dir)!r}, *argv]) == 0, argv
"""
    assert _probe(body, data_dir) == {"modules": [], "sockets": []}


def test_the_window_starts_on_the_local_store_without_a_driver_or_a_socket(data_dir: Path) -> None:
    body = f"""
from PySide6.QtWidgets import QApplication
app = QApplication([])
from briefer.ui.mainwindow import MainWindow
w = MainWindow(__import__("pathlib").Path({str(data_dir)!r}))
opened = []
w.ready.connect(lambda: (opened.append(True), app.quit()))
w.start()
if not opened:
    app.exec()
assert w.store is not None and type(w.store).__name__ == "Store"
w.shutdown()
"""
    assert _probe(body, data_dir) == {"modules": [], "sockets": []}


def test_only_the_team_connection_module_imports_psycopg() -> None:
    importers = []
    for path in sorted((REPO / "briefer").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if "import psycopg" in text or "from psycopg" in text:
            importers.append(str(path.relative_to(REPO)))
    assert importers == ["briefer/store/postgres/connection.py"]
