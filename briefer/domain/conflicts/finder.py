"""Putting it together: every rule's findings, split into their cases, judged against what the analyst
recorded (see the package's docstring)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from briefer.domain.conflicts import corpus as _corpus
from briefer.domain.conflicts.claims import _claim_conflicts
from briefer.domain.conflicts.corpus import _Corpus, _digest, _memo_for
from briefer.domain.conflicts.dates import _date_conflicts
from briefer.domain.conflicts.kinds import Conflict, ResolutionLike, Side, conflict_key
from briefer.domain.conflicts.names import (
    _contained,
    _distinct_names,
    _glossary_name_conflicts,
    _japanese_alias_conflicts,
    _person_alias_conflicts,
    _same_name,
    _title_alias_conflicts,
)
from briefer.domain.conflicts.numbers import _figure_conflicts, _number_conflicts
from briefer.domain.conflicts.prepared import Prepared, analysis_digest, prepared_spans
from briefer.domain.models import Fact, FactStatus, GlossaryEntry, Source
from briefer.domain.variance import ConflictWords, default_words


def _merge_name_conflicts(found: list[Conflict]) -> list[Conflict]:
    """One conflict per entity: the glossary's, the people's and the titles' findings merged."""
    out: list[Conflict] = []
    for c in found:
        same = next((o for o in out if o.kind == "name" and c.kind == "name" and (
            (c.entity and o.entity == c.entity) or
            {s.value.lower() for s in c.sides} & {s.value.lower() for s in o.sides})), None)
        if same is None:
            out.append(c)
            continue
        for side in c.sides:
            twin = next((s for s in same.sides if _same_name(s.value, side.value)), None)
            if twin is None:
                same.sides.append(side)
            else:
                twin.add_quotes(side.quotes, side.facts)
        if c.basis not in same.basis:
            same.basis += f"; {c.basis}"
        same.entity = same.entity or c.entity
        same.sides = list(_distinct_names({s.value: s for s in same.sides}).values())
        same.key = conflict_key("name", same.subject, [s.value for s in same.sides])
    return [c for c in out if len(c.sides) > 1]


#: the conflicts found for the last few inputs, before judging (see ``find_conflicts``)
_RESULTS: dict[tuple[Any, ...], list[Conflict]] = {}


def _inputs_key(sources: list[Source], facts: list[Fact], digest: str,
                body: Callable[[str], list[tuple[int, int]]] | None) -> tuple[Any, ...]:
    """Everything the finding (not the judging) reads: each source's id, text and year, each fact's
    citations, the glossary and word lists (their digest), the body function."""
    return (digest, getattr(body, "__module__", ""), getattr(body, "__qualname__", "") if body else "",
            tuple((s.id, len(s.text), hash(s.text), s.published.year if s.published else None) for s in sources),
            tuple((f.id, tuple((c.source, c.quote) for c in f.citations)) for f in facts))


def clear_caches() -> None:
    """Forget everything kept between runs (a benchmark's cold run; tests)."""
    _RESULTS.clear()
    _corpus.clear_caches()


def _find_all(corpus: _Corpus, glossary: list[GlossaryEntry], words: ConflictWords) -> list[Conflict]:
    """Every rule over ``corpus``, before judging."""
    names = _merge_name_conflicts(
        _glossary_name_conflicts(corpus, glossary) + _person_alias_conflicts(corpus, glossary)
        + _title_alias_conflicts(corpus, glossary) + _japanese_alias_conflicts(corpus, glossary))
    for c in names:
        c.case = "alias"
    return names + _split_cases(
        _date_conflicts(corpus, glossary) + _number_conflicts(corpus, glossary) + _figure_conflicts(corpus)
        + _claim_conflicts(corpus, glossary, words))


def find_conflicts(sources: list[Source], facts: list[Fact], glossary: list[GlossaryEntry],
                   resolutions: Mapping[str, ResolutionLike] | None = None, *,
                   body: Callable[[str], list[tuple[int, int]]] | None = None,
                   words: ConflictWords | None = None,
                   prepared: Prepared | None = None) -> list[Conflict]:
    """Every likely contradiction, open ones first, each in its case (alias, self-contradiction,
    disagreement, minor).  ``body`` gives the spans of a source text that are its body (page furniture
    such as reader comments left out); default: the whole text.  ``words``: the claim word lists
    (default: ``resources/vocabularies.json``).  ``prepared``: source id -> its prepared sentence analysis
    (:mod:`.prepared`), or a function giving them for the sources it is called with (only when the run
    needs them); a current one is read instead of the source's sentences, the others are read as without
    it.  The result is the same with or without."""
    words = words or default_words()
    digest = _digest(glossary, words)
    memo = _memo_for(digest)
    # what the sources say does not depend on the facts' statuses or the resolutions (only the judging
    # below does): the same sources, quotes, glossary and word lists give the same conflicts, so a run
    # after a resolution (the window looks again) only judges them again
    key = _inputs_key(sources, facts, digest, body)
    pristine = _RESULTS.get(key)
    if pristine is None:
        adigest = analysis_digest(glossary, words, body) if prepared else ""
        _corpus._RUN.memo = memo
        try:
            with _corpus.no_collection():
                spans = prepared_spans(memo, sources, prepared, adigest) if prepared else None
                pristine = _find_all(_Corpus(sources, facts, body, spans, adigest), glossary, words)
        finally:
            _corpus._RUN.memo = None
        if len(_RESULTS) >= 4:
            _RESULTS.clear()
        _RESULTS[key] = pristine
    # judging sets status, resolution and entity: on copies (the sides are shared, and only read)
    found = [replace(c, sides=list(c.sides)) for c in pristine]
    by_id = {f.id: f for f in facts}
    resolutions = resolutions or {}
    for c in found:
        _judge(c, by_id, glossary, resolutions)
    order = {"open": 0, "resolved": 1}
    kinds = {"claim": 0, "date": 1, "number": 2, "name": 3}
    cases = {"disagreement": 0, "self-contradiction": 1, "minor": 2, "alias": 3}
    return sorted(found, key=lambda c: (order[c.status], cases[c.case], kinds[c.kind], c.subject.lower()))


def _restricted(side: Side, keep: Callable[[str], bool], only: str | None = None, *, exclude: bool = False) -> Side:
    """The side with only the sources ``keep`` accepts (or only source ``only``, looked up by source)."""
    out = Side(side.value)
    per_quote = side.__dict__.get("_quote_facts", {})
    if only is not None:
        by_source = side.__dict__.get("_by_source")
        if by_source is None:
            by_source = side.__dict__["_by_source"] = defaultdict(list)
            for q in side.quotes:
                by_source[q[0]].append(q)
        for q in by_source.get(only, []):
            out.add(q[0], q[1], per_quote.get(q, []), unique=True)
        return out
    for q in side.quotes:
        if keep(q[0]) != exclude:
            out.add(q[0], q[1], per_quote.get(q, []), unique=True)
    return out


def _split_cases(found: list[Conflict]) -> list[Conflict]:
    """A source on two sides contradicts itself: that is its own conflict (case self-contradiction), and
    the source is left out of the disagreement between the others (it is weighed down, never on both
    sides).  What is left is a disagreement when two sides still have sources."""
    out: list[Conflict] = []
    for c in found:
        if c.case == "minor":
            out.append(c)
            continue
        on: dict[str, int] = defaultdict(int)
        for side in c.sides:
            for src in side.sources:
                on[src] += 1
        both = [src for src, n in on.items() if n > 1]
        for src in both:
            sides = [x for x in (_restricted(side, bool, only=src) for side in c.sides) if x.sources]
            out.append(Conflict(
                key=conflict_key(c.kind, f"{c.subject} {src}", [x.value for x in sides]), kind=c.kind,
                subject=c.subject, question=f"{c.question} ({src} says both)", sides=sides,
                basis=f"{c.basis}; one source on both sides", entity=c.entity, case="self-contradiction",
                source=src))
        if both:
            gone = set(both)
            rest = [x for x in (_restricted(side, gone.__contains__, exclude=True) for side in c.sides) if x.sources]
            if len(rest) < 2:
                continue
            c.sides = rest
            # the same subject, the digest of the values now on its sides
            c.key = c.key.rsplit(":", 1)[0] + ":" + conflict_key(c.kind, "", [x.value for x in rest]).rsplit(":", 1)[1]
        c.case = "disagreement"
        out.append(c)
    return out


def _judge(c: Conflict, facts: Mapping[str, Fact], glossary: list[GlossaryEntry],
           resolutions: Mapping[str, ResolutionLike]) -> None:
    res = resolutions.get(c.key)
    if res is not None:
        c.status = "resolved"
        what = {"dispute": f"fact {res.fact_id} marked disputed",
                "supersede": f"fact {res.fact_id} superseded by {res.other_fact_id}",
                "alias": f"alias recorded ({res.alias})", "dismiss": "not a contradiction",
                "self-contradiction": f"fact {res.fact_id} records it as one source contradicting itself",
                "minor": f"fact {res.fact_id} records it as a difference too small to matter"}.get(res.action,
                                                                                                  res.action)
        c.resolution = f"{what}: {res.reason}" + (f" ({res.analyst}, {res.resolved_at[:10]})" if res.analyst else "")
        return
    if c.kind == "name":
        for g in glossary:
            if all(any(_same_name(s.value, n) or _contained(s.value, n) for n in g.all_names()) for s in c.sides):
                c.status = "resolved"
                c.resolution = f"alias recorded in the glossary: all are names of {g.name}"
                c.entity = c.entity or g.id
                return
    # the disagreement is recorded in the library when every side is quoted by a fact marked disputed
    # or superseded (a side from a newly imported source, quoted by no such fact, keeps it open)
    # or superseded, or recording the difference (a self-contradiction, a minor difference)
    marked = [f for f in c.facts if f in facts and (facts[f].status != FactStatus.CURRENT
                                                    or facts[f].variance is not None)]
    # every source on every side: one newly imported source joining a side makes it a candidate again
    every_side = all(_sources_recorded(side, set(marked)) for side in c.sides)
    if marked and every_side and c.kind != "name":
        c.status = "resolved"
        # the facts that record the whole conflict (one citation on each side), else every fact marked
        covering = [f for f in marked if all(f in side.facts for side in c.sides)]
        c.resolution = "; ".join(_recorded(facts[f]) for f in covering or marked)


def _sources_recorded(side: Side, marked: set[str]) -> bool:
    per_quote = side.__dict__.get("_quote_facts", {})
    ok = {q[0] for q, fs in per_quote.items() if marked.intersection(fs)}
    return all(src in ok for src in side.sources)


def _recorded(fact: Fact) -> str:
    if fact.status == FactStatus.SUPERSEDED:
        return f"fact {fact.id} is marked superseded" + (f" (superseded by {fact.superseded_by})"
                                                         if fact.superseded_by else "")
    if fact.status == FactStatus.DISPUTED:
        return f"fact {fact.id} is marked disputed"
    what = {"alias": "an alias", "minor": "a difference too small to matter"}.get(str(fact.variance),
                                                                                 f"a {fact.variance}")
    return f"fact {fact.id} records it as {what}"


def conflicts_for_fact(conflicts: list[Conflict], fact_id: str) -> list[Conflict]:
    return [c for c in conflicts if fact_id in c.facts]
