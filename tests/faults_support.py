"""What both fault suites (tests/test_faults_store.py, tests/test_faults_input.py) check after a fault."""

from __future__ import annotations

import importlib.util
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path


def integrity(db: Path) -> str:
    """``PRAGMA integrity_check`` of the store at ``db``, opened read-only ("ok" when intact)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


# -- running Briefer as an unprivileged user (when the suite runs as root) -----------------------------------------

#: the packages Briefer's CLI imports (the Qt ones aside), copied for the unprivileged user
_PACKAGES = ("pydantic", "pydantic_core", "annotated_types", "typing_extensions", "typing_inspection",
             "platformdirs", "docx", "lxml", "pypdf")
NOBODY = 65534


def _as_nobody(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    setpriv = shutil.which("setpriv")
    if setpriv:
        prefix = [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", "--"]
    else:
        prefix = [shutil.which("runuser") or "runuser", "-u", "nobody", "--"]
    return subprocess.run(prefix + argv, capture_output=True, text=True, timeout=300, cwd="/", env=env)


def _readable(folder: Path) -> None:
    """Everything under ``folder`` readable (and folders and programs enterable) by every user."""
    for path in [folder, *folder.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)


class Unprivileged:
    """A copy of Briefer and its packages in a world-readable folder, and an interpreter the user
    ``nobody`` may run (this one if nobody can reach it, else the system's of the same version, else a
    copy of this one's installation), so Briefer's CLI runs as nobody through ``setpriv`` (or
    ``runuser``): the interpreter of the test run may live in root's home, which nobody cannot enter."""

    def __init__(self, base: Path) -> None:
        self.base = base
        base.chmod(0o755)
        site = base / "site"
        site.mkdir()
        repo = Path(__file__).resolve().parents[1]
        for name in ("briefer", "resources", "seeds"):  # briefer.resources finds the folders beside the package
            skip = ("__pycache__", "ui") if name == "briefer" else ("__pycache__",)
            shutil.copytree(repo / name, site / name, ignore=shutil.ignore_patterns(*skip))
        for name in _PACKAGES:
            spec = importlib.util.find_spec(name)
            if spec is None or not spec.origin:
                continue
            origin = Path(spec.origin)
            if origin.name == "__init__.py":
                shutil.copytree(origin.parent, site / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(origin, site / origin.name)
        self.home = base / "home"
        self.home.mkdir(mode=0o777)
        self.home.chmod(0o777)
        self.env = {"PATH": "/usr/bin:/bin", "HOME": str(self.home), "TMPDIR": str(self.home),
                    "PYTHONPATH": str(site), "PYTHONDONTWRITEBYTECODE": "1", "LANG": "C.UTF-8"}
        _readable(site)
        self.python = self._interpreter()

    def _works(self, python: str, extra: dict[str, str] | None = None) -> bool:
        want = f"{sys.version_info[0]}.{sys.version_info[1]}"
        p = _as_nobody([python, "-c", "import sys, pydantic_core; print('%d.%d' % sys.version_info[:2])"],
                       env={**self.env, **(extra or {})})
        return p.returncode == 0 and p.stdout.strip() == want

    def _interpreter(self) -> str:
        mine = os.path.realpath(sys._base_executable if hasattr(sys, "_base_executable") else sys.executable)
        version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
        for python in (mine, f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
            if os.path.exists(python) and self._works(python):
                return python
        # a copy of this interpreter's installation (the standard library; no site-packages)
        prefix = Path(sys.base_prefix)
        home = self.base / "python"
        (home / "bin").mkdir(parents=True)
        shutil.copy2(mine, home / "bin" / version)
        lib = home / "lib"
        shutil.copytree(prefix / "lib" / version, lib / version, ignore=shutil.ignore_patterns(
            "site-packages", "test", "tests", "idlelib", "tkinter", "turtledemo", "ensurepip", "lib2to3",
            "__pycache__"))
        for so in prefix.glob("lib/libpython*.so*"):
            shutil.copy2(so, lib / so.name)
        _readable(home)
        self.env.update({"PYTHONHOME": str(home), "LD_LIBRARY_PATH": str(lib)})
        python = str(home / "bin" / version)
        assert self._works(python), "no interpreter the user nobody can run, even copied"
        return python

    def run(self, data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
        """``briefer --data-dir DATA ARGV`` as the user nobody."""
        return _as_nobody([self.python, "-m", "briefer", "--data-dir", str(data_dir), *argv], env=self.env)
