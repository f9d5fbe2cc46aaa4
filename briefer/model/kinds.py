"""The kinds a fact and a source are of (their status, variance, source kind): plain enumerations, with
no pydantic, so a store row's status is read and checked before any model is built (the library's
first list).  :mod:`briefer.model.facts` uses and re-exports them."""

from __future__ import annotations

from enum import StrEnum


class FactStatus(StrEnum):
    CURRENT = "current"
    DISPUTED = "disputed"
    SUPERSEDED = "superseded"


class Variance(StrEnum):
    """How the sources of one fact differ, when they do (see :mod:`briefer.domain.variance`, which decides it).

    Only a disagreement between sources makes a fact *disputed*; the other three
    are shown for what they are and never carry a DISPUTED marker."""

    #: sources genuinely disagree; each citation's ``claim`` names the version it gives
    DISAGREEMENT = "disagreement"
    #: one source contradicts itself; that source's citations carry the versions it gives
    SELF_CONTRADICTION = "self-contradiction"
    #: one person, body or law rendered differently; each ``claim`` is the rendering that source uses
    ALIAS = "alias"
    #: a difference too small to matter ("February 2025" / "January–February 2025")
    MINOR = "minor"


class SourceKind(StrEnum):
    NEWS_REPORT = "news report"
    NEWSLETTER_ANALYSIS = "newsletter analysis"
    WHITE_PAPER = "white paper"
    OFFICIAL_DOCUMENT = "official document"
    OTHER = "other"
