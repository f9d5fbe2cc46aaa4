"""Imports done on the GUI thread before a worker needs them, for the groups a registry names.

A worker imports what it uses itself: that is safe on the pinned binding (the "none_dealloc"
abort once blamed on PySide6's import hook was PySide6 6.12.0 losing references to ``None``, see
pyproject.toml and tests/test_qt_binding.py; first imports from four pool threads at once were
measured clean on 6.8.3-6.11.3).  So there is no hand-kept list of the store's or curation's
modules here: the store opens and the conflict pass runs in workers that import their own modules,
off the GUI thread and after the first paint.

What is still preloaded is what a registry says its worker needs, where the worker is defined: the
export format registry (:func:`briefer.export.formats.preload_modules`) lists each format's writer,
and the export dialog loads them when it opens, so a writer that is looked up by name is present
in a one-folder bundle and its first export does not wait for its imports.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable


def _export_modules() -> tuple[str, ...]:
    from briefer.export.formats import preload_modules

    return ("briefer.export.formats", *preload_modules())


#: group name -> where its modules are registered
REGISTRIES: dict[str, Callable[[], tuple[str, ...]]] = {"export": _export_modules}


def _group(name: str) -> tuple[str, ...]:
    """The modules of group ``name``, as its registry lists them."""
    return REGISTRIES[name]()


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
