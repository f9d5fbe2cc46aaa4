"""Briefer's data types: the bottom layer, importing nothing else of Briefer.

Every other package may import these; this package imports only pydantic and
the standard library (``tests/test_layers.py`` holds it to that).
"""

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

__all__ = [
    "CREDIBILITY_LABELS", "RELIABILITY_LABELS", "REQUIRED_SECTIONS", "SLUG_RE", "TAG_KINDS", "TAG_RE", "UNKNOWN",
    "Citation", "Fact", "FactStatus", "GlossaryEntry", "Reliability", "Section", "Slug", "Source", "SourceKind",
    "Variance", "text_hash",
]
