"""A non-editable install works: the wheel carries resources/ and seeds/ in
briefer/_data, and Briefer installed from it into a fresh virtual environment
starts, finds its fact pack and builds a store."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from briefer import __version__

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow  # about 10-15 s: a wheel build and a venv

_NOT_SOURCE = shutil.ignore_patterns(".venv", ".git", "dist", "build", "__pycache__", "*.pyc", "*.egg-info",
                                     ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", "out", "tmp",
                                     "docs", "benchmarks")


def _run(cmd: list[str], **kw) -> subprocess.CompletedProcess[str]:
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300, **kw)
    assert p.returncode == 0, f"{' '.join(map(str, cmd))}\n{p.stdout}\n{p.stderr}"
    return p


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # build from a copy, so the build's own build/ and egg-info never touch the checkout
    src = tmp_path_factory.mktemp("src") / "briefer-src"
    shutil.copytree(REPO, src, ignore=_NOT_SOURCE)
    out = tmp_path_factory.mktemp("wheels")
    _run([sys.executable, "-m", "pip", "--disable-pip-version-check", "wheel", ".", "--no-deps", "-q",
          "-w", str(out)], cwd=src)
    (whl,) = out.glob("briefer-*.whl")
    return whl


def test_wheel_carries_the_fact_pack_seeds_and_icons(wheel: Path) -> None:
    assert wheel.name.startswith(f"briefer-{__version__}-")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    data = "briefer/_data/"
    for rel in ["resources/factpack/sections.json", "resources/factpack/glossary.json", "seeds/sources.json",
                "resources/icons/briefer.svg"]:
        assert data + rel in names, f"{rel} is not in the wheel"
    seeds = json.loads((REPO / "seeds" / "sources.json").read_text(encoding="utf-8"))
    for source in seeds["sources"]:
        assert f"{data}seeds/{source['file']}" in names
    facts = [n for n in names if n.startswith(f"{data}resources/factpack/facts/") and n.endswith(".json")]
    assert len(facts) == len(list((REPO / "resources" / "factpack" / "facts").glob("*.json")))
    assert not [n for n in names if n.startswith(("tests/", "packaging/", "resources/", "seeds/"))]
    assert not [n for n in names if "__pycache__" in n]


def test_briefer_runs_from_a_wheel_installed_in_a_fresh_venv(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    vpy = venv / "bin" / "python"
    purelib = _run([str(vpy), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip()
    # the dependencies (PySide6, python-docx, pydantic…) come from the dev venv's site-packages, read-only:
    # only briefer itself is installed from the wheel, which is what this test is about
    Path(purelib, "briefer-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    _run([sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", str(vpy), "install",
          "--no-deps", "-q", str(wheel)])

    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BRIEFER_DATA_DIR")}
    exe = venv / "bin" / "briefer"
    where = _run([str(vpy), "-c", "import briefer, briefer.resources as r; print(briefer.__file__); print(r.root())"],
                 cwd=cwd, env=env).stdout.split()
    assert where[0].startswith(purelib), "briefer was imported from somewhere else than the wheel"
    assert where[1] == str(Path(purelib) / "briefer" / "_data")

    assert _run([str(exe), "--version"], cwd=cwd, env=env).stdout.strip() == f"briefer {__version__}"
    meta = _run([str(vpy), "-c", "import importlib.metadata as m; print(m.version('briefer'))"], cwd=cwd, env=env)
    assert meta.stdout.strip() == __version__

    data = tmp_path / "data"
    check = _run([str(exe), "--data-dir", str(data), "facts", "check"], cwd=cwd, env=env)
    assert re.search(r"Checked \d+ citations of \d+ facts", check.stdout), check.stdout
    listed = json.loads(_run([str(exe), "--data-dir", str(data), "facts", "list", "--json"], cwd=cwd, env=env).stdout)
    assert len(listed) >= 50
    templates = json.loads(_run([str(exe), "--data-dir", str(data), "templates", "list", "--json"],
                                cwd=cwd, env=env).stdout)
    assert {"full-briefing", "one-page-brief"} <= {t["name"] for t in templates if t["builtin"]}
