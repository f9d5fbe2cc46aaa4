"""The kinds of conflict: what a conflict is (its sides, its case), how it is keyed, and what a
recorded resolution looks like to the finder."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol


class ResolutionLike(Protocol):
    """What the finder reads of a recorded resolution (read-only: the records are frozen)."""

    @property
    def key(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def fact_id(self) -> str | None: ...
    @property
    def other_fact_id(self) -> str | None: ...
    @property
    def alias(self) -> str | None: ...
    @property
    def reason(self) -> str: ...
    @property
    def analyst(self) -> str: ...
    @property
    def resolved_at(self) -> str: ...


@dataclass
class Side:
    #: what this side says: a name, a date, a number, an answer
    value: str
    sources: list[str] = field(default_factory=list)
    #: (source id, the sentence saying it)
    quotes: list[tuple[str, str]] = field(default_factory=list)
    #: facts whose citations quote those sentences
    facts: list[str] = field(default_factory=list)

    def _sets(self) -> tuple[set[str], set[tuple[str, str]], set[str], dict[tuple[str, str], list[str]]]:
        # sets beside the lists: a side of a big store gathers thousands of sentences
        d = self.__dict__
        sets = d.get("_index")
        if sets is None:
            d["_quote_facts"] = {}
            sets = d["_index"] = (set(self.sources), set(self.quotes), set(self.facts), d["_quote_facts"])
        return sets

    def add(self, source_id: str, sentence: str, facts: Iterable[str], *, unique: bool = False) -> None:
        """This sentence of this source says it, and these facts quote it (``unique``: no fact twice in
        ``facts``, as in a side's own lists)."""
        srcs, quotes, fs, per = self._sets()
        if source_id not in srcs:
            srcs.add(source_id)
            self.sources.append(source_id)
        q = (source_id, sentence)
        if q not in quotes:
            quotes.add(q)
            self.quotes.append(q)
        if facts:
            self._facts(q, facts, fs, per, unique)

    def add_quotes(self, quotes: list[tuple[str, str]], facts: Iterable[str]) -> None:
        """``add`` of each of ``quotes`` (source id, sentence), with the same facts."""
        srcs, qs, fs, per = self._sets()
        facts = list(dict.fromkeys(facts))
        sources, quote_list = self.sources, self.quotes
        for q in quotes:
            source_id = q[0]
            if source_id not in srcs:
                srcs.add(source_id)
                sources.append(source_id)
            if q not in qs:
                qs.add(q)
                quote_list.append(q)
            if facts:
                per_quote = per.get(q)
                if per_quote is None:
                    per[q] = facts.copy()
                else:
                    per_quote += [f for f in facts if f not in per_quote]
        if quotes and facts and not fs.issuperset(facts):
            for f in facts:
                if f not in fs:
                    fs.add(f)
                    self.facts.append(f)

    def _facts(self, q: tuple[str, str], facts: Iterable[str], fs: set[str],
               per: dict[tuple[str, str], list[str]], unique: bool = False) -> None:
        if not isinstance(facts, list):
            facts = list(facts)
        per_quote = per.get(q)
        if per_quote is None:
            per[q] = facts.copy() if unique else list(dict.fromkeys(facts))  # each once, in order
        else:
            for f in facts:
                if f not in per_quote:
                    per_quote.append(f)
        if not fs.issuperset(facts):
            for f in facts:
                if f not in fs:
                    fs.add(f)
                    self.facts.append(f)

    def add_all(self, sentences: Iterable[Any]) -> None:
        """``add`` for each of ``sentences`` (objects with ``source``, ``text`` and ``facts``)."""
        srcs, quotes, fs, per = self._sets()
        sources, quote_list = self.sources, self.quotes
        for s in sentences:
            source_id = s.source
            if source_id not in srcs:
                srcs.add(source_id)
                sources.append(source_id)
            q = (source_id, s.text)
            if q not in quotes:
                quotes.add(q)
                quote_list.append(q)
            if s.facts:
                self._facts(q, s.facts, fs, per)


@dataclass
class Conflict:
    key: str
    #: "name", "date", "number" or "claim"
    kind: str
    #: what it is about: an entity, "X: date", "X: head", "X: penalties"
    subject: str
    #: the question the sides answer differently, in a sentence
    question: str
    sides: list[Side]
    #: the rule that found it
    basis: str
    status: str = "open"
    #: how it was resolved, in a sentence ("" while open)
    resolution: str = ""
    #: glossary entity id, when the conflict is about one
    entity: str | None = None
    #: which of the four cases it is: "disagreement" (between sources), "self-contradiction" (one source
    #: says both), "alias" (one name, rendered differently) or "minor" (too small to matter)
    case: str = "disagreement"
    #: for a self-contradiction: the source contradicting itself
    source: str | None = None

    @property
    def open(self) -> bool:
        return self.status == "open"

    @property
    def facts(self) -> list[str]:
        out: list[str] = []
        for s in self.sides:
            out += [f for f in s.facts if f not in out]
        return out

    @property
    def sources(self) -> list[str]:
        out: list[str] = []
        for s in self.sides:
            out += [x for x in s.sources if x not in out]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "kind": self.kind, "subject": self.subject, "question": self.question,
            "basis": self.basis, "status": self.status, "resolution": self.resolution, "entity": self.entity,
            "case": self.case, "source": self.source,
            "sides": [{"value": s.value, "sources": s.sources, "facts": s.facts,
                       "quotes": [{"source": q[0], "text": q[1]} for q in s.quotes]} for s in self.sides],
        }


#: the four cases as a reader says them
CASE_TEXT = {"disagreement": "disagreement between sources", "self-contradiction": "one source contradicting itself",
             "alias": "one name rendered differently (an alias, not a dispute)",
             "minor": "difference too small to matter"}


def _quoted(sides: list[Side]) -> str:
    return ", ".join(f"\u201c{s.value}\u201d" for s in sides)


def conflict_key(kind: str, subject: str, values: Iterable[str]) -> str:
    """Stable for the same disagreement; a new disagreeing value makes a new key (so it is looked at again)."""
    digest = hashlib.sha1("|".join(sorted(v.lower() for v in values)).encode("utf-8")).hexdigest()[:8]
    slug = re.sub(r"[^a-z0-9]+", "-", subject.lower()).strip("-")[:50]
    return f"{kind}:{slug}:{digest}"

