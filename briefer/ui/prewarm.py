"""Imports done on the GUI thread before a worker needs them.

:func:`prewarm` imports what a worker is about to use, on the GUI thread, so no
worker imports a module for the first time.  It was added for a crash blamed on
PySide6's import hook (``shibokensupport.feature`` reads each new module's
source); that "none_dealloc" abort was PySide6 6.12.0 losing references to
``None`` (see pyproject.toml).  Measured on 6.8.3–6.12.0: first imports from
four pool threads at once never crashed, and the hook's source check costs
about 45 ms CPU over everything the workers import, 2–6 ms before the first
paint, so the hook is left alone.
"""

from __future__ import annotations

import importlib

GROUPS: dict[str, tuple[str, ...]] = {
    "store": (
        "sqlite3", "hashlib", "json", "shutil", "uuid", "tempfile", "contextlib", "copy", "calendar",
        "briefer.fileio", "briefer.domain.models", "briefer.domain.provenance", "briefer.domain.briefing",
        "briefer.domain.checks", "briefer.domain.dates", "briefer.domain.titles", "briefer.domain.document",
        "briefer.domain.templates", "briefer.domain.briefing_file", "briefer.domain.usage",
        "briefer.store.migrations", "briefer.store.db", "briefer.ingest.factpack", "briefer.store.editions",
        "briefer.domain.template_library", "briefer.store.preferences", "briefer.export", "briefer.export.html",
        "briefer.domain.freshness", "briefer.domain.conflicts", "briefer.app.search", "briefer.app.export",
        "base64", "textwrap", "briefer.domain.typography", "briefer.domain.figures", "briefer.export.figure_draw",
    ),
    "curation": (
        "briefer.store.preferences", "briefer.domain.curation", "briefer.domain.conflicts",
        "briefer.domain.supersession", "briefer.ingest.furniture", "briefer.ingest.review",
        "briefer.app.curation", "briefer.app.importing",
    ),
}


def _group(name: str) -> tuple[str, ...]:
    """The modules of group ``name``; "export" is what the format registry says each format's writer needs."""
    if name == "export":
        from briefer.export.formats import preload_modules

        return ("briefer.export.formats", *preload_modules())
    return GROUPS[name]

_done: set[str] = set()


def prewarm(*groups: str) -> None:
    """Import every module of ``groups`` now (modules missing from this build are skipped)."""
    for group in groups:
        if group in _done:
            continue
        for name in _group(group):
            try:
                importlib.import_module(name)
            except ImportError:
                continue
        _done.add(group)
