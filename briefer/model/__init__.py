"""Briefer's data types: the bottom layer, importing nothing else of Briefer.

Every other package may import these; this package imports only pydantic and
the standard library (``tests/test_layers.py`` holds it to that).
"""

import os

# Briefer uses no pydantic plugins.  Without this, the first model class makes pydantic read the entry
# points of every installed distribution to look for some (at every start, before the library can fill),
# and a plugin installed for another program would run inside Briefer's validation.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from briefer.model.facts import (  # noqa: E402 - after the switch above
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

__all__ = [
    "CREDIBILITY_LABELS", "RELIABILITY_LABELS", "REQUIRED_SECTIONS", "SLUG_RE", "TAG_KINDS", "TAG_RE", "UNKNOWN",
    "Citation", "Fact", "FactStatus", "GlossaryEntry", "Reliability", "Section", "Slug", "Source", "SourceKind",
    "Variance", "text_hash",
]
