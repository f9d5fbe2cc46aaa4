"""How the sources of one fact differ, and the rules a recorded difference must keep.

Four cases (:class:`briefer.domain.models.Variance`):

* **disagreement** — sources really disagree.  The fact is *disputed*; each
  citation's ``claim`` is the version that source gives, in the source's own
  words (the claim must be words of one of that version's quotes, so no
  analyst inference can hide in it).  At least two versions, each cited, from
  at least two sources, and a source is never on both sides.
* **self-contradiction** — one source says two incompatible things.  Its
  citations carry the two versions; other citations (no claim) support the
  statement.  Not disputed: that source is weighed down, not counted as a side.
* **alias** — one person, body or law rendered differently; each ``claim`` is
  the rendering that source uses.  Never disputed.
* **minor** — a difference too small to matter.  Never disputed.

Pure functions: facts and word lists in, versions and problems out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from briefer.domain.models import Fact, FactStatus, GlossaryEntry, Variance
from briefer.domain.provenance import normalise
from briefer.model.plain import Frozen, Plain

#: what each case is called where a reader sees it
CASE_LABELS = {
    Variance.DISAGREEMENT: "disagreement between sources",
    Variance.SELF_CONTRADICTION: "internal inconsistency of one source",
    Variance.ALIAS: "one name, rendered differently",
    Variance.MINOR: "difference too small to matter",
}


class ConflictWords(Frozen):
    """The word lists the conflict finder and the variance rules use (``resources/vocabularies.json``,
    key ``conflicts``)."""

    _fields = ("inference_markers", "claims")
    #: words that mark an analyst's inference, never allowed inside a version
    inference_markers: tuple[str, ...]
    #: the claims the finder compares: topic -> its question, topic words, sides and implications
    claims: dict[str, ClaimWords]

    def __init__(self, inference_markers: tuple[str, ...] = (), claims: dict[str, ClaimWords] | None = None) -> None:
        object.__setattr__(self, "inference_markers", inference_markers)
        object.__setattr__(self, "claims", {} if claims is None else claims)


class ClaimWords(Frozen):
    _fields = ("question", "topic", "sides", "implies")
    question: str
    #: a sentence holding one of these is about the topic
    topic: tuple[str, ...]
    #: side -> phrases that take it
    sides: dict[str, tuple[str, ...]]
    #: side -> weaker sides it includes (a source on both is on the stronger one only)
    implies: dict[str, tuple[str, ...]]

    def __init__(self, question: str, topic: tuple[str, ...], sides: dict[str, tuple[str, ...]],
                       implies: dict[str, tuple[str, ...]] | None = None) -> None:
        object.__setattr__(self, "question", question)
        object.__setattr__(self, "topic", topic)
        object.__setattr__(self, "sides", sides)
        object.__setattr__(self, "implies", {} if implies is None else implies)


def parse_words(raw: dict[str, Any]) -> ConflictWords:
    c = raw.get("conflicts", {})
    claims = {
        t: ClaimWords(str(spec["question"]), tuple(spec["topic"]),
                      {side: tuple(words) for side, words in spec["sides"].items()},
                      {side: tuple(w) for side, w in spec.get("implies", {}).items()})
        for t, spec in c.get("claims", {}).items()
    }
    return ConflictWords(tuple(c.get("inference_markers", ())), claims)


@cache
def default_words() -> ConflictWords:
    from briefer import resources

    return load_words(resources.resource("vocabularies.json"))


def load_words(path: Path) -> ConflictWords:
    from briefer.errors import ValidationFailed

    try:
        return parse_words(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise ValidationFailed(f"the conflict word lists in {path} cannot be read: {exc}") from None


def variance_of(fact: Fact) -> Variance | None:
    """The fact's case; a disputed fact recorded before cases existed is a disagreement."""
    if fact.variance is not None:
        return Variance(fact.variance)
    return Variance.DISAGREEMENT if fact.status == FactStatus.DISPUTED else None


class Version(Plain):
    _fields = ("claim", "citations", "sources")
    claim: str
    #: indexes into the fact's citations
    citations: list[int]
    sources: list[str]

    def __init__(self, claim: str, citations: list[int], sources: list[str]) -> None:
        self.claim, self.citations, self.sources = claim, citations, sources


def versions(claims: Sequence[str | None], sources: Sequence[str]) -> list[Version]:
    """Citations grouped by the version they give (same claim), most sources first, then in citation order."""
    out: dict[str, Version] = {}
    for i, (claim, src) in enumerate(zip(claims, sources, strict=True)):
        key = _key(claim or "")
        v = out.setdefault(key, Version(claim or "(no version recorded)", [], []))
        v.citations.append(i)
        if src not in v.sources:
            v.sources.append(src)
    order = list(out.values())
    return sorted(order, key=lambda v: (-len(v.sources), order.index(v)))


def fact_versions(fact: Fact) -> list[Version]:
    return versions([c.claim for c in fact.citations], [c.source for c in fact.citations])


def key(text: str) -> str:
    """A text for comparison: lower case, words only."""
    return _key(text)


@lru_cache(maxsize=8192)  # the same claims are compared at every resolve (the alias notes)
def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", normalise(text).lower()))


def in_words(claim: str, quote_key: str) -> bool:
    """``claim`` is words of the quote, in order (an ellipsis in the claim stands for words left out)."""
    pos = 0
    for piece in re.split(r"\u2026|\.\.\.", claim):
        k = _key(piece)
        if not k:
            continue
        at = (" " + quote_key + " ").find(" " + k + " ", pos)
        if at < 0:
            return False
        pos = at + len(k)
    return True


def _in_their_words(version: Version, cites: Sequence[Any]) -> bool:
    """Whether every citation giving ``version`` quotes its words (in order; an ellipsis in the version
    stands for words left out): only then may a note print the version in quotation marks.  Otherwise
    it is the curator's summary of what those sources say ("no legal penalties" for one source's "no
    legal penalties" and another's "lacks enforceable penalties"), and a quotation mark would put words
    in a source's mouth."""
    return bool(version.citations) and all(in_words(version.claim, _key(cites[k].quote)) for k in version.citations)


def _has_marker(text: str, markers: Iterable[str]) -> str | None:
    low = normalise(text).lower()
    for m in markers:
        if re.search(r"(?<!\w)" + re.escape(m.lower()) + r"(?!\w)", low):
            return m
    return None


def variance_problems(fact: Fact, words: ConflictWords | None = None,
                      glossary: Iterable[GlossaryEntry] = ()) -> list[str]:
    """Each broken rule of the fact's recorded case, in a sentence (empty: none broken)."""
    words = words or default_words()
    case = variance_of(fact)
    out: list[str] = []
    if case is None:
        return out
    if fact.status == FactStatus.DISPUTED and case != Variance.DISAGREEMENT:
        what = {Variance.ALIAS: "an alias (one name, rendered differently)",
                Variance.SELF_CONTRADICTION: "a self-contradiction (one source contradicting itself)",
                Variance.MINOR: "a difference too small to matter"}[case]
        out.append(f"it is marked disputed but recorded as {what}; only a disagreement between sources is disputed")
    for c in fact.citations:
        if c.claim and (m := _has_marker(c.claim, words.inference_markers)):
            out.append(f"the version given for {c.source} holds the analyst's inference ({m!r}); "
                       "give it in the source's own words")
    if case == Variance.DISAGREEMENT:
        if fact.status != FactStatus.DISPUTED:
            out.append("it is recorded as a disagreement between sources but not marked disputed")
        missing = [c.source for c in fact.citations if not c.claim]
        if missing:
            out.append(f"{'the citation' if len(missing) == 1 else 'the citations'} from {', '.join(missing)} "
                       f"{'gives' if len(missing) == 1 else 'give'} no version; every side of a dispute is cited "
                       "with the version it gives")
        vs = fact_versions(fact)
        if len(vs) < 2:
            out.append("a dispute needs at least two versions, each with a citation")
        if len({c.source for c in fact.citations}) < 2:
            out.append("a dispute needs at least two sources; one source contradicting itself is a "
                       "self-contradiction")
        per_source: dict[str, set[str]] = {}
        for c in fact.citations:
            per_source.setdefault(c.source, set()).add(_key(c.claim or ""))
        both = sorted(s for s, claims in per_source.items() if len(claims) > 1)
        if both:
            out.append(f"{', '.join(both)} is on more than one side; a source contradicting itself is recorded "
                       "as a self-contradiction, not as a side of a dispute")
        for v in vs:
            quotes = [_key(fact.citations[i].quote) for i in v.citations]
            if v.claim and not any(in_words(v.claim, q) for q in quotes):
                out.append(f"the version {v.claim!r} is not in the words of the sources giving it; quote them")
    elif case == Variance.SELF_CONTRADICTION:
        per_source = {}
        for c in fact.citations:
            if c.claim:
                per_source.setdefault(c.source, set()).add(_key(c.claim))
        if not any(len(claims) > 1 for claims in per_source.values()):
            out.append("a self-contradiction needs one source cited for two different versions")
    elif case == Variance.ALIAS:
        renderings = {_key(c.claim) for c in fact.citations if c.claim}
        if len(renderings) < 2:
            out.append("an alias needs two citations, each with the rendering its source uses")
        names = [c.claim for c in fact.citations if c.claim]
        known = [g for g in glossary]
        if known and not any(all(any(_key(n) == _key(x) for x in g.all_names()) for n in names) for g in known):
            out.append(f"no glossary entry records {', '.join(repr(n) for n in names)} as one name")
    return out


def self_contradicting_sources(facts: Iterable[Fact]) -> dict[str, list[str]]:
    """Source id -> ids of the facts that record it contradicting itself (it is weighed down)."""
    out: dict[str, list[str]] = {}
    for f in facts:
        if variance_of(f) != Variance.SELF_CONTRADICTION:
            continue
        per: dict[str, set[str]] = {}
        for c in f.citations:
            if c.claim:
                per.setdefault(c.source, set()).add(_key(c.claim))
        for s, claims in per.items():
            if len(claims) > 1:
                out.setdefault(s, []).append(f.id)
    return out


# -- how a recorded case reads in a footnote ----------------------------------------------------


def _source_name(c: Any) -> str:
    """A citation note's source as a reader can tell it apart: its title (quoted) or its [label]."""
    return f"\u201c{c.title}\u201d" if c.has_title else c.title


def variance_footnote(fb: Any, render: Callable[[list[Any]], str] | None = None, *,
                      concise: bool = False) -> list[str]:
    """The footnote of a fact block whose sources differ, one string a sentence.  ``fb`` is a
    :class:`briefer.domain.document.FactBlock` (its citations carry ``claim``, ``source_id``, ``text``);
    ``render`` writes a group of its citations in the briefing's citation style (by default each
    citation's full text, joined by semicolons).  ``concise`` (the short citation styles): a dispute
    is one sentence, each version with its sources in brackets, and an inconsistency one clause."""
    cites = list(fb.citations)
    if render is None:
        def render(cs: list[Any]) -> str:
            return "; ".join(c.text for c in cs)
    case = Variance(fb.variance) if fb.variance else Variance.DISAGREEMENT
    if fb.disputed or case == Variance.DISAGREEMENT:
        vs = versions([c.claim for c in cites], [c.source_id for c in cites])
        if concise:
            parts = [f"\u201c{v.claim}\u201d ({render([cites[k] for k in v.citations]).rstrip('.')})"
                     if _in_their_words(v, cites) else
                     f"{v.claim} (in substance: {render([cites[k] for k in v.citations]).rstrip('.')})" for v in vs]
            return ["Sources differ: " + " against ".join(parts) + "."]
        out = [f"Disputed: the sources give {len(vs)} different versions, the one most sources give first."]
        for i, v in enumerate(vs, 1):
            n = len(v.sources)
            texts = render([cites[k] for k in v.citations])
            given = f"given by {n} source{'s' if n != 1 else ''}"
            out.append(f"Version {i}, {given}: \u201c{v.claim}\u201d \u2014 {texts}" if _in_their_words(v, cites)
                       else f"Version {i}, {given} in substance: {v.claim} \u2014 {texts}")
        return out
    unclaimed = [c for c in cites if not c.claim]
    plain = [render(unclaimed)] if unclaimed else []
    if case == Variance.SELF_CONTRADICTION:
        per: dict[str, list[Any]] = {}
        for c in cites:
            if c.claim:
                per.setdefault(c.source_id, []).append(c)
        out = list(plain)
        for group in per.values():
            if concise:
                out.append(f"{render(group).rstrip('.')}: contradicts itself (an internal inconsistency, "
                           "given less weight, not a dispute).")
                continue
            out.append(f"Internal inconsistency, not a dispute between sources: {_source_name(group[0])} "
                       "contradicts itself, so it is given less weight here \u2014 " + render(group))
        return out
    if case == Variance.ALIAS:
        out = [render(cites)]
        if fb.alias_note:
            out.append(fb.alias_note)
        return out
    # minor
    out = [render(cites)]
    wordings = []
    for c in cites:
        said = (f"\u201c{c.claim}\u201d" if in_words(c.claim, _key(c.quote)) else c.claim) if c.claim else ""
        if said and said not in wordings:
            wordings.append(said)
    if len(wordings) > 1:
        out.append(f"The wording differs slightly ({' and '.join(wordings)}); the difference does not change the "
                   "fact, so it is not marked disputed.")
    return out


def add_alias_notes(blocks: Iterable[Any], glossary: Iterable[GlossaryEntry], sources: Any = None) -> None:
    """Give the first fact block recording each alias its note: the renderings, each with its source, and
    the glossary's name for the one person or body (with the Japanese, when known)."""
    entries = list(glossary)
    done: set[str] = set()
    for fb in blocks:
        if getattr(fb, "kind", None) != "fact" or fb.variance != Variance.ALIAS:
            continue
        named = [(c.claim, c) for c in fb.citations if c.claim]
        names = [n for n, _ in named]
        entry = next((g for g in entries if all(any(_key(n) == _key(x) for x in g.all_names()) for n in names)),
                     None)
        key = entry.id if entry else "|".join(sorted(_key(n) for n in names))
        if key in done:
            continue
        done.add(key)
        renderings = " and ".join(f"\u201c{n}\u201d ({_source_name(c)})" for n, c in named)
        if entry is None:
            fb.alias_note = f"Rendering: the sources write {renderings}; one name, not a dispute."
            continue
        jp = f" ({entry.japanese})" if entry.japanese else ""
        what = {"person": "one person", "body": "one body", "law": "one law"}.get(entry.kind, f"one {entry.kind}")
        how = "two readings of the same Japanese name" if entry.japanese and entry.kind == "person" else \
            "two renderings of one name"
        fb.alias_note = (f"Rendering: the sources write {renderings}: {how}{jp}, {what}, {entry.name} "
                         "(see the glossary); not a dispute.")
