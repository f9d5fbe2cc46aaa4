"""The data types, re-exported from :mod:`briefer.model` where they now live.

``from briefer.domain.models import Fact`` keeps working; new code imports
from :mod:`briefer.model`.
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
)

__all__ = [
    "CREDIBILITY_LABELS", "RELIABILITY_LABELS", "REQUIRED_SECTIONS", "SLUG_RE", "TAG_KINDS", "TAG_RE", "UNKNOWN",
    "Citation", "Fact", "FactStatus", "GlossaryEntry", "Reliability", "Section", "Slug", "Source", "SourceKind",
    "Variance",
]
