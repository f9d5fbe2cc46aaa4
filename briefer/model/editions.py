"""Editions: every export of a template, recorded with the facts it held.

An edition keeps, for each fact in order, a content hash of what a reader
sees (statement, status, citations) plus the statement and status
themselves, so the next export of the same template can say exactly what
changed (:func:`briefer.domain.editions.compare`) even for facts that have
since been deleted from the store (:mod:`briefer.store.editions` keeps them).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Literal

from briefer.model.plain import Frozen

ChangeKind = Literal["added", "removed", "reworded", "status", "sources"]


def content_sha(data: object) -> str:
    """The SHA-256 of ``data`` as canonical JSON: the hashes an edition stores."""
    import hashlib  # here: loading OpenSSL is not needed to open the store (the window's start)

    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


class EditionFact(Frozen):
    _fields = ("fact_id", "section", "statement", "status", "statement_hash", "citations_hash")
    fact_id: str
    #: the section id of the template section that held it
    section: str
    statement: str
    status: str
    statement_hash: str
    citations_hash: str

    def __init__(self, fact_id: str, section: str, statement: str, status: str, statement_hash: str,
                       citations_hash: str) -> None:
        object.__setattr__(self, "fact_id", fact_id)
        object.__setattr__(self, "section", section)
        object.__setattr__(self, "statement", statement)
        object.__setattr__(self, "status", status)
        object.__setattr__(self, "statement_hash", statement_hash)
        object.__setattr__(self, "citations_hash", citations_hash)

    @property
    def content_hash(self) -> str:
        """Hash of everything a reader sees of the fact: statement, status and citations."""
        return content_sha([self.statement_hash, self.status, self.citations_hash])


class Edition(Frozen):
    _fields = ("id", "template", "number", "exported_on", "recorded_at", "title", "output", "facts", "template_id")
    id: int
    template: str
    number: int
    exported_on: date
    recorded_at: str
    title: str
    output: str
    facts: list[EditionFact]
    #: the template's stable id (``name:<template>`` for an edition recorded without one)
    template_id: str

    def __init__(self, id: int, template: str, number: int, exported_on: date, recorded_at: str, title: str,
                       output: str, facts: list[EditionFact] | None = None, template_id: str = "") -> None:
        object.__setattr__(self, "id", id)
        object.__setattr__(self, "template", template)
        object.__setattr__(self, "number", number)
        object.__setattr__(self, "exported_on", exported_on)
        object.__setattr__(self, "recorded_at", recorded_at)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "output", output)
        object.__setattr__(self, "facts", [] if facts is None else facts)
        object.__setattr__(self, "template_id", template_id)

    def fact_ids(self) -> list[str]:
        return [f.fact_id for f in self.facts]


class FactChange(Frozen):
    _fields = ("kind", "fact_id", "statement", "before", "status_before", "status_after", "reason")
    kind: ChangeKind
    fact_id: str
    #: the statement now (for removed facts: as it was)
    statement: str
    before: str | None
    status_before: str | None
    status_after: str | None
    #: for removed facts: "deleted from the store" or "no longer selected by the template"
    reason: str

    def __init__(self, kind: ChangeKind, fact_id: str, statement: str, before: str | None = None,
                       status_before: str | None = None, status_after: str | None = None, reason: str = "") -> None:
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "fact_id", fact_id)
        object.__setattr__(self, "statement", statement)
        object.__setattr__(self, "before", before)
        object.__setattr__(self, "status_before", status_before)
        object.__setattr__(self, "status_after", status_after)
        object.__setattr__(self, "reason", reason)

    @property
    def briefing_kind(self) -> Literal["added", "removed", "reworded", "status"]:
        # the briefing model has no "sources" kind: a change of sources is a change of wording for the reader
        return "reworded" if self.kind == "sources" else self.kind

    @property
    def text(self) -> str:
        """One line for a "What's new" section (the renderer adds the kind's label)."""
        if self.kind == "removed":
            return f"{self.statement} ({self.reason})"
        if self.kind == "sources":
            return f"{self.statement} (sources updated)"
        if self.kind == "status":
            left_out = "; left out of this edition" if self.reason else ""
            return f"{self.statement} (now {self.status_after}, was {self.status_before}{left_out})"
        return self.statement

    def to_json(self) -> dict[str, str | None]:
        return {"kind": self.kind, "fact_id": self.fact_id, "statement": self.statement, "before": self.before,
                "status_before": self.status_before, "status_after": self.status_after,
                "reason": self.reason or None, "text": self.text}
