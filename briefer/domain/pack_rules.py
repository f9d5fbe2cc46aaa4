"""The fact-checker's rules that a machine can check, over facts and sources.

Pure functions, no I/O.  ``briefer facts check`` runs them over the store and
the fact-pack loader runs them over the shipped pack; each problem names the
fact and the rule it breaks.

The rules:

``quote-ends-mid-phrase``
    A quote must carry the words that support the statement: it may not stop
    on an article, preposition, conjunction, auxiliary or possessive ("…at
    the"), nor on a comma, colon or dash.
``quote-shared``
    One fact per claim: two live (not superseded) facts may not cite
    overlapping passages of the same source.  Two facts that need the same
    words are the same claim and are merged; a passage that supports two
    different claims is split into the words each claim needs.  The one
    exception is a disputed fact's *version* (a citation with a ``claim``):
    it records what a source says on a disputed point, not a second claim.
``unattributed-single-source``
    A statement resting on one source graded C or lower names that source in
    words a reader can follow (see :func:`reader_names`).
``attributed-to-uncited-source``
    A statement that names a source by its reader name cites that source.
``jargon``
    No store-internal words in text a reader sees: "fact pack", "seed",
    document numbers such as "004", "analyst"; and no attribution a reader
    cannot follow ("one report", "another report", "a news report") or that
    misleads ("the white paper" reads as a government white paper).
``unnamed-reports``
    A statement or headline never says "Reports say …" or "reports suggest
    …" without naming whose reports: "A press digest of Asahi and Jiji
    reports says …" names them, "Reports say …" leaves the reader to guess
    (see :func:`unnamed_reports`).  Words in quotation marks are the
    source's own and are not checked.
``per-attribution``
    A statement or headline gives its source in a verb ("Ichikawa (2025)
    says …", "according to the newsletter analysis …"), never clipped to
    "Per Ichikawa (2025), …": the legal shorthand reads as a citation, not
    as a sentence a minister's office would send.  Quoted words are the
    source's own and are not checked (see :func:`per_attribution`).
``country-pair-dash``
    Briefer's own text (a statement, a headline, a note) joins a pair of
    countries with an en dash: "U.S.\u2013Japan cooperation", not
    "U.S.-Japan" or "Japan-U.S.".  Quotations stay verbatim, and so does a
    proper name a source spells with a hyphen ("the Japan-U.S. Economic
    Policy Consultative Committee"; see :func:`hyphenated_countries`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from briefer.domain.models import Fact, FactStatus, Source
from briefer.domain.provenance import normalise

#: grades at or below which a lone source must be named in the statement
LOW_GRADES = frozenset("CDEF")

#: words a supporting quote may not end on
DANGLING_WORDS = frozenset("""
a an the
of in on at to for from by with into onto upon about as than via per under over between among through
within without toward towards against during before after since until including like such
and or but nor so yet if that which who whom whose while because although though whether
is are was were be been being has have had do does did will would shall should can could may might must
its their his her our your my this these those
""".split())  # noqa: SIM905 - one word list a line reads best

#: phrases that are the store's own vocabulary, not the reader's
JARGON = (
    (re.compile(r"\bfact[- ]?pack\b", re.I), "store vocabulary 'fact pack'"),
    (re.compile(r"\b(?:in|of) (?:this|the) pack\b", re.I), "store vocabulary 'the pack'"),
    (re.compile(r"\bseeds?\b", re.I), "store vocabulary 'seed'"),
    (re.compile(r"\banalyst(?:'s|s)?\b", re.I), "store vocabulary 'analyst'"),
    (re.compile(r"(?<![\w.,])00[0-9](?!\w|[.,]\d)"), "a document number"),
    (re.compile(r"\bwhite paper\b", re.I),
     "'white paper' reads as a government white paper; name the author"),
    (re.compile(r"\b(?:one|another|a second|a|the) (?:news )?report (?:says|said|notes|adds|reports|states)\b", re.I),
     "an attribution a reader cannot tell apart from the others"),
    (re.compile(r"\b(?:one|another) (?:news )?report\b", re.I),
     "an attribution a reader cannot tell apart from the others"),
    (re.compile(r"\ba news report\b", re.I), "an attribution a reader cannot tell apart from the others"),
    # three of the five texts are unsigned: "unsigned" alone tells a reader nothing
    (re.compile(r"\b(?:an|the) unsigned (?:news )?(?:report|text|article)\b", re.I),
     "an attribution a reader cannot tell apart from the others"),
)

#: "reports say", "reports suggest", …: an attribution whose author is in the words before it, or nowhere
#: ("one report says" is the jargon rule's)
_REPORTS_SAY = re.compile(r"\breports\s+(?:say|says|said|suggest|suggests|suggested|indicate|indicates|indicated"
                          r"|claim|claims|claimed|show|shows|showed)\b", re.I)
#: the source's own words, quoted in a statement
_QUOTED = re.compile(r'"[^"]*"')
#: "per" (or "as per") before a source's reader name (see _named)
_PER_SOURCE = re.compile(r"(?<![\w-])(?:as\s+)?per\s+(?:(?:the|a|an)\s+)?\[source\]", re.I)

#: overlapping quotes shorter than this (in normalised characters) are not a shared passage
MIN_SHARED_CHARS = 12


@dataclass(frozen=True)
class RuleProblem:
    fact_id: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.fact_id}: {self.rule}: {self.message}"


def reader_names(source: Source) -> list[str]:
    """The names a reader can follow from a statement to this source's footnote.

    One place for them: the head of the source's label (the words before a
    colon or bracket: "Press digest of Asahi and Jiji reports (…)" gives
    "press digest of Asahi and Jiji reports"), the author's surname, the
    outlet and the title.
    """
    names: list[str] = []
    head = re.split(r"\s*[:(\[\u2014]|\s+-\s+", source.label, maxsplit=1)[0].strip()
    if head:
        names.append(head)
    if source.author and source.author.split():
        names.append(source.author.split()[-1])
        names.append(source.author)
    if source.outlet:
        names.append(source.outlet)
    if source.title:
        names.append(source.title)
    return [n for n in dict.fromkeys(names) if len(n) >= 3]


def _mentions(statement: str, name: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(normalise(name)) + r"(?!\w)", normalise(statement), re.I) is not None


def names_sources(statement: str, sources: Iterable[Source]) -> set[str]:
    """The ids of the sources that ``statement`` names by a reader name."""
    return {s.id for s in sources if any(_mentions(statement, n) for n in reader_names(s))}


def quote_ends_mid_phrase(quote: str) -> str | None:
    """Why ``quote`` stops mid-phrase, or None when it ends on a full word."""
    q = normalise(quote).rstrip(" \"')")
    if not q:
        return "the quote is empty"
    if q[-1] in ",;:-":
        return f"it ends on {q[-1]!r}"
    if q[-1] in ".!?":
        return None
    last = re.findall(r"[A-Za-z']+$", q)
    if last and last[0].lower() in DANGLING_WORDS:
        return f"it ends on {last[0]!r}"
    return None


@functools.lru_cache(maxsize=8)
def _name_patterns(names: tuple[str, ...]) -> tuple[re.Pattern[str], ...]:
    """The reader names as patterns, longest first: made once for a check, not for every text of every fact."""
    return tuple(re.compile(r"(?<!\w)" + re.escape(normalise(name)) + r"(?!\w)", re.I)
                 for name in sorted(names, key=len, reverse=True))


def _named(text: str, names: Iterable[str]) -> str:
    """``text`` normalised, each reader name in it replaced by ``[source]``."""
    text = normalise(text)
    for pattern in _name_patterns(tuple(names)):
        text = pattern.sub("[source]", text)
    return text


def jargon_in(text: str, names: Iterable[str] = ()) -> list[str]:
    """What in ``text`` is store vocabulary or an attribution a reader cannot follow.

    ``names`` are the sources' reader names: "a news report on the
    Headquarters' first meeting" is a name a reader can follow, "a news
    report" on its own is not."""
    text = _named(text, names)
    return list(dict.fromkeys(why for pat, why in JARGON if pat.search(text)))


def unnamed_reports(text: str, names: Iterable[str] = ()) -> list[str]:
    """Each "reports say"-like phrase in ``text`` that does not say whose reports they are.

    Named: a reader name right before it ("A press digest of Asahi and Jiji reports says"), or a
    proper name inside the sentence ("…, Kyodo reports say").  Unnamed: "Reports say …" opening a
    sentence, or after a plain word ("media reports suggest", "and reports say")."""
    text = _QUOTED.sub('""', _named(text, names))
    out = []
    for m in _REPORTS_SAY.finditer(text):
        words = text[:m.start()].split()
        prev = words[-1] if words else ""
        starts_sentence = len(words) < 2 or words[-2][-1] in ".;:!?"
        if prev == "[source]" or (prev[:1].isupper() and not starts_sentence):
            continue
        out.append(m.group(0))
    return out


def per_attribution(text: str, names: Iterable[str] = ()) -> list[str]:
    """Each attribution in ``text`` clipped to "per" a source ("Per Ichikawa (2025), …", "as per the
    newsletter analysis"), a reader name of ``names`` following it.  "Per cent" and "per year" name no
    source and pass."""
    text = _QUOTED.sub('""', _named(text, names))
    return [m.group(0).replace("[source]", "…") for m in _PER_SOURCE.finditer(text)]


def country_names(facts: Iterable[Fact]) -> list[str]:
    """The countries the facts are tagged with ("country:Japan"), and for a name of more than one word its
    initials with and without full stops ("United States": "US", "U.S.")."""
    names: set[str] = set()
    for f in facts:
        for tag in f.tags:
            if tag.startswith("country:") and tag[8:].strip():
                name = tag[8:].strip()
                names.add(name)
                words = name.split()
                if len(words) > 1:
                    initials = "".join(w[0] for w in words if w[:1].isupper())
                    names |= {initials, ".".join(initials) + "."}
    return sorted(names)


@functools.lru_cache(maxsize=8)
def _country_chain(countries: tuple[str, ...]) -> re.Pattern[str] | None:
    if not countries:
        return None
    one = "(?:" + "|".join(re.escape(c) for c in sorted(countries, key=len, reverse=True)) + ")"
    return re.compile(rf"(?<![\w.]){one}(?:-{one})+(?![\w-])")


#: a quotation in a statement or note: the source's words, kept as the source spells them
_QUOTATION = re.compile(r"\u201c[^\u201d]*\u201d|\"[^\"]*\"")


def hyphenated_countries(text: str, countries: Sequence[str], source_texts: Iterable[str] = ()) -> list[str]:
    """Each pair (or chain) of ``countries`` in ``text`` joined by hyphens ("U.S.-Japan"), outside quotation
    marks, except in a proper name a source spells so: the pair and the capitalised word after it stand in
    one of ``source_texts`` ("Japan-U.S. Economic Policy Consultative Committee")."""
    chain = _country_chain(tuple(countries))
    if chain is None or "-" not in text:
        return []
    text = _QUOTATION.sub('""', text)
    sources = list(source_texts)
    out = []
    for m in chain.finditer(text):
        after = re.match(r"\s+([A-Z][\w+]*)", text[m.end():])
        if after and any(f"{m.group(0)} {after.group(1)}" in s for s in sources):
            continue
        out.append(m.group(0))
    return out


def _live(fact: Fact) -> bool:
    return fact.status != FactStatus.SUPERSEDED


def _span(norm_texts: dict[str, str], sources: Mapping[str, Source], source_id: str,
          quote: str) -> tuple[int, int] | None:
    """Where ``quote`` stands in its source, in normalised-text offsets (each source normalised once)."""
    src = sources.get(source_id)
    if src is None or not src.text:
        return None
    text = norm_texts.get(source_id)
    if text is None:
        text = norm_texts[source_id] = normalise(src.text)
    needle = normalise(quote)
    pos = text.find(needle) if needle else -1
    return None if pos < 0 else (pos, pos + len(needle))


def shared_quotes(facts: Iterable[Fact], sources: Mapping[str, Source]) -> list[RuleProblem]:
    """Live facts that cite overlapping passages of one source (disputed versions exempt)."""
    spans: dict[str, list[tuple[int, int, str, str]]] = {}
    norm_texts: dict[str, str] = {}
    out: list[RuleProblem] = []
    reported: set[tuple[str, str]] = set()
    for fact in facts:
        if not _live(fact):
            continue
        for c in fact.citations:
            if c.claim:
                continue
            span = _span(norm_texts, sources, c.source, c.quote)
            if span is None:
                continue  # a quote not in its source is the quote check's business
            for start, end, other, _quote in spans.get(c.source, []):
                if other == fact.id:
                    continue
                overlap = min(end, span[1]) - max(start, span[0])
                if overlap >= MIN_SHARED_CHARS and (other, fact.id) not in reported:
                    reported.add((other, fact.id))
                    out.append(RuleProblem(
                        fact.id, "quote-shared",
                        f"cites the same passage of {c.source} as {other} "
                        f"({normalise(c.quote)[:60]!r}…); merge the two facts or split the passage"))
            spans.setdefault(c.source, []).append((span[0], span[1], fact.id, c.quote))
    return out


def check_fact(fact: Fact, sources: Mapping[str, Source], countries: Sequence[str] = ()) -> list[RuleProblem]:
    """The rules that concern one fact on its own; ``countries`` as :func:`country_names` gives them."""
    out: list[RuleProblem] = []
    for c in fact.citations:
        why = quote_ends_mid_phrase(c.quote)
        if why:
            out.append(RuleProblem(fact.id, "quote-ends-mid-phrase",
                                   f"the quote from {c.source} stops mid-phrase ({why}): "
                                   f"{normalise(c.quote)[-50:]!r}"))
    names = [n for s in sources.values() for n in reader_names(s)]
    for why in jargon_in(fact.statement, names):
        out.append(RuleProblem(fact.id, "jargon", f"the statement uses {why}"))
    first = sources.get(fact.source_ids[0]) if fact.source_ids else None
    example = f", e.g. \u201c{reader_names(first)[0]} says\u201d" if first is not None and reader_names(first) else ""
    for where, text in (("statement", fact.statement), ("headline", fact.headline or "")):
        for said in unnamed_reports(text, names):
            out.append(RuleProblem(fact.id, "unnamed-reports",
                                   f"the {where} says {said!r} without naming whose reports; name the source{example}"))
        for said in per_attribution(text, names):
            out.append(RuleProblem(fact.id, "per-attribution",
                                   f"the {where} attributes with {said!r}; give the source in a verb"
                                   f"{example or ', e.g. “… says”'} or \u201caccording to …\u201d"))
    texts = [s.text for s in sources.values() if s.text]
    for where, text in (("statement", fact.statement), ("headline", fact.headline or ""), ("note", fact.notes)):
        for pair in hyphenated_countries(text or "", countries, texts):
            out.append(RuleProblem(fact.id, "country-pair-dash",
                                   f"the {where} joins countries with a hyphen ({pair!r}); Briefer's own text "
                                   f"uses an en dash: {pair.replace('-', chr(0x2013))!r}"))
    if not _live(fact):
        return out
    cited = fact.source_ids
    named = names_sources(fact.statement, sources.values())
    for sid in sorted(named - set(cited)):
        out.append(RuleProblem(fact.id, "attributed-to-uncited-source",
                               f"the statement names {sid} but does not cite it"))
    if len(cited) == 1 and fact.status == FactStatus.CURRENT:
        src = sources.get(cited[0])
        if src is not None and src.reliability in LOW_GRADES and cited[0] not in named:
            examples = " or ".join(f"\u201c{n}\u201d" for n in reader_names(src)[:2])
            out.append(RuleProblem(fact.id, "unattributed-single-source",
                                   f"rests on {src.id} alone (grade {src.reliability}) but does not name it; "
                                   f"say whose claim it is, e.g. {examples}"))
    return out


def check_rules(facts: Iterable[Fact], sources: Iterable[Source]) -> list[RuleProblem]:
    """Every rule over every fact, in fact order (shared-quote problems last)."""
    by_id = {s.id: s for s in sources}
    facts = list(facts)
    countries = country_names(facts)
    out: list[RuleProblem] = []
    for fact in facts:
        out += check_fact(fact, by_id, countries)
    return out + shared_quotes(facts, by_id)
