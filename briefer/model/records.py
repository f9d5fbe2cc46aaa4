"""What the store keeps beside facts and sources: conflict resolutions and the
candidate facts an import proposes.  Plain data; the store reads and writes
them, :mod:`briefer.domain.curation` decides what they say."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Resolution:
    key: str
    kind: str
    subject: str
    #: "dispute", "supersede", "alias" or "dismiss"
    action: str
    fact_id: str | None
    other_fact_id: str | None
    alias: str | None
    reason: str
    analyst: str
    resolved_at: str


@dataclass
class StoredCandidate:
    id: int
    source: str
    pos: int
    statement: str
    quote: str
    location: str
    section: str | None
    reason: list[str]
    score: float
    as_of: date | None
    tags: list[str]
    near: list[dict[str, Any]] = field(default_factory=list)
    status: str = "pending"
    fact_id: str | None = None
    created_at: str = ""
    decided_at: str | None = None
    analyst: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "pos": self.pos, "statement": self.statement,
                "quote": self.quote, "location": self.location, "section": self.section, "reason": self.reason,
                "score": self.score, "as_of": self.as_of.isoformat() if self.as_of else None, "tags": self.tags,
                "near_duplicates": self.near, "status": self.status, "fact_id": self.fact_id}


@dataclass(frozen=True)
class RecordVersion:
    """A fact's or source's version now and its last change: what a version conflict names."""

    #: incremented by every write of the record (1 when it was added)
    version: int
    #: when, and by which analyst and database user, it was last changed ("" when its history says nothing)
    changed_at: str = ""
    analyst: str = ""
    #: the database user (a team library's role; empty on a local store)
    changed_by: str = ""
