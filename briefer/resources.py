"""Finding Briefer's bundled files, from a source checkout, an installed
wheel or a PyInstaller bundle alike.  Every read of ``resources/`` or
``seeds/`` goes through here."""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path


@cache
def root() -> Path:
    """The folder that holds ``resources/`` and ``seeds/``."""
    frozen = getattr(sys, "_MEIPASS", None)
    candidates = []
    if frozen:
        candidates.append(Path(frozen))
    here = Path(__file__).resolve().parent
    candidates += [here.parent, here / "_data"]
    for c in candidates:
        if (c / "resources").is_dir() and (c / "seeds").is_dir():
            return c
    raise FileNotFoundError("Briefer's resources folder is missing: reinstall Briefer")


def resource(*parts: str) -> Path:
    return root().joinpath("resources", *parts)


def seeds_dir() -> Path:
    return root() / "seeds"
