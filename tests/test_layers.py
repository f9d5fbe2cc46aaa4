"""The layers hold: the import contracts in pyproject.toml (``[tool.importlinter]``) pass on
the code as it is, and fail when an import breaks one of them, a function-level import included."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` over the package ``briefer`` found in ``root``, with the contracts in its pyproject.toml."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--config", str(root / "pyproject.toml")],
                          cwd=root, env=env, capture_output=True, text=True, timeout=240)


def test_the_code_keeps_every_contract() -> None:
    run = _lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def _add(path: Path, code: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code + "\n", encoding="utf-8")


def test_an_import_against_the_flow_breaks_its_contract(tmp_path: Path) -> None:
    """A copy of the package with one wrong import per contract, each hidden in a function."""
    shutil.copytree(ROOT / "briefer", tmp_path / "briefer", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    pkg = tmp_path / "briefer"
    _add(pkg / "store" / "words.py", "def _up():\n    from briefer.domain import curation\n    return curation")
    _add(pkg / "export" / "markdown.py",
         "def _sideways():\n    from briefer.ingest import pipeline\n    return pipeline")
    _add(pkg / "model" / "facts.py", "def _out():\n    from briefer import errors\n    return errors")
    _add(pkg / "domain" / "dates.py", "def _qt():\n    import PySide6.QtCore\n    return PySide6.QtCore")
    _add(pkg / "ingest" / "html.py", "def _net():\n    import urllib.request\n    return urllib.request")

    run = _lint_imports(tmp_path)
    out = run.stdout
    assert run.returncode == 1, out + run.stderr
    assert "4 broken" in out, out
    # each wrong import is named, with the module that made it
    assert "briefer.store.words -> briefer.domain.curation" in out
    assert "briefer.export.markdown -> briefer.ingest.pipeline" in out
    assert "briefer.model.facts -> briefer.errors" in out
    assert "briefer.domain.dates -> PySide6" in out
    assert "briefer.ingest.html -> urllib" in out


def test_the_data_types_import_nothing_else_of_briefer() -> None:
    """Whatever new package appears (briefer.app, a second store), briefer.model stays at the bottom."""
    graph = grimp.build_graph("briefer", cache_dir=None)
    model = {"briefer.model", *graph.find_descendants("briefer.model")}
    outside = sorted({(m, imported) for m in model for imported in graph.find_modules_directly_imported_by(m)
                      if imported.split(".")[:2] != ["briefer", "model"]})
    assert outside == []
