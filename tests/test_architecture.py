"""The layers the folders show: only briefer/ui imports Qt, and nothing opens a network connection."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "briefer"
NETWORK = {"socket", "http", "urllib", "requests", "httpx", "ftplib", "smtplib", "ssl", "xmlrpc", "asyncio",
           "PySide6.QtNetwork", "webbrowser"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


FILES = sorted(PKG.rglob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PKG.parent)))
def test_only_the_ui_imports_qt(path: Path) -> None:
    qt = {m for m in _imports(path) if m.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"}}
    if "ui" not in path.relative_to(PKG).parts:
        assert not qt, f"{path} imports {qt}: only briefer/ui may import Qt"


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(PKG.parent)))
def test_nothing_imports_networking(path: Path) -> None:
    # urllib.parse only splits strings; it opens nothing
    bad = {m for m in _imports(path) if (m.split(".")[0] in NETWORK or m in NETWORK) and m != "urllib.parse"}
    assert not bad, f"{path} imports {bad}: Briefer never opens a network connection"


def test_no_module_in_briefer_is_longer_than_600_lines() -> None:
    """A module past 600 lines holds more than one thing (issue 13): split it by what it does."""
    package = Path(__file__).resolve().parents[1] / "briefer"
    too_long = {str(p.relative_to(package.parent)): n for p in sorted(package.rglob("*.py"))
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert too_long == {}
