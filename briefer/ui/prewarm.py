"""Imports done on the GUI thread before a worker needs them.

PySide6 replaces ``__import__`` with a hook that, for every newly imported
module, reads its source (``inspect.getsource``) to see whether it uses
PySide's ``__feature__`` switches.  Run from a worker thread that hook can
corrupt memory and abort the process (seen here: "none_dealloc" inside
``shibokensupport.feature``), and it slows every import down.  So:

* :func:`tame_import_hook` makes the check a cheap name test (Briefer never
  uses ``from __feature__ import …``);
* :func:`prewarm` imports what a worker is about to use, on the GUI thread,
  so no worker ever imports a module for the first time.
"""

from __future__ import annotations

import importlib
import sys

GROUPS: dict[str, tuple[str, ...]] = {
    "store": (
        "sqlite3", "hashlib", "json", "shutil", "uuid", "tempfile", "contextlib", "copy", "calendar",
        "briefer.fileio", "briefer.domain.models", "briefer.domain.provenance", "briefer.domain.briefing",
        "briefer.domain.checks", "briefer.domain.dates", "briefer.domain.titles", "briefer.domain.document",
        "briefer.domain.templates", "briefer.domain.briefing_file", "briefer.domain.usage",
        "briefer.store.migrations", "briefer.store.db", "briefer.store.factpack", "briefer.store.editions",
        "briefer.store.templates", "briefer.store.preferences", "briefer.export", "briefer.export.html",
        "briefer.domain.freshness", "briefer.domain.conflicts",
        "base64", "textwrap", "briefer.domain.typography", "briefer.domain.figures", "briefer.export.figure_draw",
    ),
    "curation": (
        "briefer.store.preferences", "briefer.store.curation", "briefer.domain.conflicts",
        "briefer.domain.supersession", "briefer.ingest.furniture", "briefer.ingest.review",
    ),
    "export": (
        "zipfile", "subprocess", "lxml.etree", "briefer.export.docx_reference", "briefer.export.docx",
        "briefer.export.markdown", "briefer.export.pdf",
        "signal", "briefer.export.layout", "pypdf",
    ),
}

_done: set[str] = set()


def tame_import_hook() -> None:
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not hasattr(feature, "_mod_uses_pyside"):
        return

    def uses_pyside(module: object) -> bool:
        name = getattr(module, "__name__", "") or ""
        return name.startswith(("PySide6", "briefer.ui"))

    feature._mod_uses_pyside = uses_pyside


def prewarm(*groups: str) -> None:
    """Import every module of ``groups`` now (modules missing from this build are skipped)."""
    for group in groups:
        if group in _done:
            continue
        for name in GROUPS[group]:
            try:
                importlib.import_module(name)
            except ImportError:
                continue
        _done.add(group)
