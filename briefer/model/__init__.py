"""Briefer's data types: the bottom layer, importing nothing else of Briefer.

Every other package may import these; this package imports only pydantic and
the standard library (``tests/test_layers.py`` holds it to that).
"""

import os
from typing import TYPE_CHECKING, Any

# Briefer uses no pydantic plugins.  Without this, the first model class makes pydantic read the entry
# points of every installed distribution to look for some (at every start, before the library can fill),
# and a plugin installed for another program would run inside Briefer's validation.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

__all__ = [
    "CREDIBILITY_LABELS", "RELIABILITY_LABELS", "REQUIRED_SECTIONS", "SLUG_RE", "TAG_KINDS", "TAG_RE", "UNKNOWN",
    "Citation", "Fact", "FactStatus", "GlossaryEntry", "Reliability", "Section", "Slug", "Source", "SourceKind",
    "Variance", "text_hash",
]

if TYPE_CHECKING:
    from briefer.model.facts import (
        CREDIBILITY_LABELS,
        RELIABILITY_LABELS,
        REQUIRED_SECTIONS,
        SLUG_RE,
        TAG_KINDS,
        TAG_RE,
        UNKNOWN,
        Citation,
        Fact,
        FactStatus,
        GlossaryEntry,
        Reliability,
        Section,
        Slug,
        Source,
        SourceKind,
        Variance,
        text_hash,
    )


#: the names of briefer.model.facts given here.  They are loaded when first asked for (PEP 562): a module
#: that needs only a plain type of this package (briefer.model.rows, .query, .kinds, .records) does not
#: import pydantic, so the window's first list fills before pydantic is loaded
_FROM_FACTS = frozenset(__all__)
#: ... of which these are plain enumerations (briefer.model.kinds)
_KINDS = frozenset({"FactStatus", "SourceKind", "Variance"})


def __getattr__(name: str) -> Any:
    if name in _FROM_FACTS:
        import importlib

        value = getattr(importlib.import_module("briefer.model.kinds" if name in _KINDS else "briefer.model.facts"),
                        name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
