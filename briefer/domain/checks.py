"""Checks over the facts: quotes against their sources, disputes, and names
that sources render differently (alias conflicts)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from briefer.domain.models import Fact, FactStatus, GlossaryEntry, Source, Variance
from briefer.domain.provenance import normalise, quote_in


@dataclass(frozen=True)
class QuoteProblem:
    fact_id: str
    source_id: str
    quote: str
    reason: str


@dataclass(frozen=True)
class AliasConflict:
    entry: GlossaryEntry
    #: each name used, with the sources that use it
    names: dict[str, list[str]]


@dataclass
class CheckReport:
    facts_checked: int = 0
    citations_checked: int = 0
    quote_problems: list[QuoteProblem] = field(default_factory=list)
    disputed: list[Fact] = field(default_factory=list)
    alias_conflicts: list[AliasConflict] = field(default_factory=list)
    #: facts recording one source contradicting itself, a name rendered differently, a minor difference
    self_contradictions: list[Fact] = field(default_factory=list)
    aliases: list[Fact] = field(default_factory=list)
    minor: list[Fact] = field(default_factory=list)
    #: (fact id, broken rule) for recorded disputes, aliases and self-contradictions
    variance_problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.quote_problems and not self.variance_problems


def check_quotes(facts: Iterable[Fact], sources: Mapping[str, Source]) -> tuple[int, int, list[QuoteProblem]]:
    n_facts = n_cites = 0
    problems: list[QuoteProblem] = []
    norm_cache: dict[str, str] = {}
    for fact in facts:
        n_facts += 1
        for c in fact.citations:
            n_cites += 1
            src = sources.get(c.source)
            if src is None:
                problems.append(QuoteProblem(fact.id, c.source, c.quote, "the source does not exist"))
                continue
            text = norm_cache.setdefault(src.id, normalise(src.text))
            if not quote_in(text, c.quote):
                problems.append(QuoteProblem(fact.id, c.source, c.quote, "the quote is not in the source"))
    return n_facts, n_cites, problems


def _name_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(normalise(name)) + r"(?!\w)", re.IGNORECASE)


def _key(name: str) -> str:
    """A name for comparison: lower case, letters and digits only."""
    return " ".join(re.findall(r"\w+", normalise(name).lower()))


def _compatible(a: str, b: str) -> bool:
    ka, kb = _key(a), _key(b)
    return ka in kb or kb in ka


def alias_conflicts(glossary: Iterable[GlossaryEntry], sources: Iterable[Source]) -> list[AliasConflict]:
    """Entities that two sources call by names that have nothing in common.

    A source that writes "Cabinet Office" and another that writes both
    "Cabinet Office" and "CAO" agree; "Minoru Kiuchi" against "Minoru
    Jonouchi" do not.  Case, punctuation and one name containing the other
    ("Ishiba" / "Shigeru Ishiba") do not count as a difference.
    """
    texts = {s.id: normalise(s.text) for s in sources}
    out: list[AliasConflict] = []
    for entry in glossary:
        names = entry.all_names()
        if len(names) < 2:
            continue
        per_source: dict[str, set[str]] = {}
        for name in names:
            pat = _name_pattern(name)
            for sid, text in texts.items():
                if pat.search(text):
                    per_source.setdefault(sid, set()).add(name)
        sids = sorted(per_source)
        clashing: set[str] = set()
        for i, a in enumerate(sids):
            for b in sids[i + 1 :]:
                if not any(_compatible(x, y) for x in per_source[a] for y in per_source[b]):
                    clashing |= {a, b}
        if clashing:
            used: dict[str, list[str]] = {}
            shown: dict[str, str] = {}  # one spelling per name that differs only in case/punctuation
            for sid in sorted(clashing):
                for name in sorted(per_source[sid]):
                    label = shown.setdefault(_key(name), name)
                    if sid not in used.setdefault(label, []):
                        used[label].append(sid)
            out.append(AliasConflict(entry, used))
    return out


def run_checks(facts: list[Fact], sources: list[Source], glossary: list[GlossaryEntry]) -> CheckReport:
    by_id = {s.id: s for s in sources}
    n_facts, n_cites, problems = check_quotes(facts, by_id)
    from briefer.domain.variance import variance_of, variance_problems

    cases = {f.id: variance_of(f) for f in facts}
    return CheckReport(
        facts_checked=n_facts,
        citations_checked=n_cites,
        quote_problems=problems,
        disputed=[f for f in facts if f.status == FactStatus.DISPUTED],
        alias_conflicts=alias_conflicts(glossary, sources),
        self_contradictions=[f for f in facts if cases[f.id] == Variance.SELF_CONTRADICTION],
        aliases=[f for f in facts if cases[f.id] == Variance.ALIAS],
        minor=[f for f in facts if cases[f.id] == Variance.MINOR],
        variance_problems=[(f.id, rule) for f in facts for rule in variance_problems(f, glossary=glossary)],
    )
