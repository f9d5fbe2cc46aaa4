"""Build hook: a wheel carries ``resources/`` and ``seeds/`` inside the package.

In a source checkout both folders sit at the top level, next to ``briefer/``;
an installed wheel has no such place, so the build copies them to
``briefer/_data/``, where :mod:`briefer.resources` looks second.  Everything
else about the project is in ``pyproject.toml``.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_DIRS = ("resources", "seeds")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the folders where they are
        target = Path(self.build_lib) / "briefer" / "_data"
        for name in DATA_DIRS:
            src = ROOT / name
            if not src.is_dir():
                raise SystemExit(f"cannot build Briefer: {src} is missing")
            dst = target / name
            if dst.exists():
                shutil.rmtree(dst)
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", ".*"))


setup(cmdclass={"build_py": BuildPyWithData})
