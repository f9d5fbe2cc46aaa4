"""Candidate facts: the sentences of a document's body that read like
statements of fact, each with a suggested section and the reason for it.

The reason is transparent: the terms of ``resources/vocabularies.json`` that
matched, per section, with their weights.  Nothing is learned or hidden.
Sentences are skipped (and counted) when they are questions, exclamations,
first-person opinion, calls to action, too short or too long, or match no
section's vocabulary.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from briefer import resources
from briefer.domain import sentences as sent
from briefer.domain.dates import _ODD_CASE, find_dates
from briefer.domain.provenance import Locator, normalise
from briefer.errors import ValidationFailed
from briefer.ingest.furniture import Cleaned, strip_inline_markup
from briefer.ingest.similar import (  # noqa: F401 - the near-duplicate names, importable from here as before
    _NEVER,
    NEAR_THRESHOLD,
    REPEAT_POSTINGS,
    REPEAT_THRESHOLD,
    FactIndex,
    _fewest_shared,
    _similarity_bound,
    first_repeats,
    similarity,
    tokens,
)
from briefer.model import TAG_KINDS, GlossaryEntry

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Term:
    text: str
    weight: float
    pattern: re.Pattern[str]
    #: a lower-case piece of the term that must be in a sentence for the term to match (a cheap pre-check)
    needle: str = ""
    #: what every match starts with in an ASCII sentence, lower case (see :func:`_lead`); "" if not known
    lead: str = ""


#: what a needle (a piece of a term or name) never contains, so it always lies within one run of the rest
_NEEDLE_BREAK = "\\s*'\u2019-"
_WORD_RUN = re.compile(f"[^{_NEEDLE_BREAK}]+")


class _NeedleFinder:
    """Which of many needles occur in a lower-case sentence, in one pass over its words.

    A needle holds none of ``_NEEDLE_BREAK``, so it occurs in a sentence exactly when it occurs in one
    of the sentence's runs of other characters (its words, roughly).  Which needles each run holds
    is worked out once per distinct run and remembered: a document's words repeat far more than its
    sentences do, so the per-sentence cost is a split and a few look-ups, not one test per needle."""

    def __init__(self, needles: Iterable[str], *, memo_limit: int = 200_000) -> None:
        self.needles = sorted({n for n in needles if n})
        self._memo: dict[str, frozenset[str]] = {}
        self._limit = memo_limit

    def present(self, lowered: str) -> set[str]:
        out: set[str] = set()
        memo = self._memo
        for run in set(_WORD_RUN.findall(lowered)):
            got = memo.get(run)
            if got is None:
                got = frozenset(n for n in self.needles if n in run)
                if len(memo) < self._limit:
                    memo[run] = got
            out |= got
        return out


def _needle_piece(text: str) -> str:
    """The longest piece of ``text`` (lower case) without a needle break: it is in any text ``text`` is in."""
    pieces = _WORD_RUN.findall(text.lower())
    return max(pieces, key=len) if pieces else ""


_WORD = re.compile(r"\w+")
_ASCII_CORE = re.compile(r"[ -~]+")


def _fold(word: str) -> str:
    """``word`` as an ASCII term's word matched without regard to case compares: Python's IGNORECASE
    also matches the Kelvin sign, the long s (both folded by ``casefold``) and the dotted and dotless i."""
    return word.casefold().replace("i\u0307", "i").replace("\u0131", "i")


def _whole_words(term: str) -> frozenset[str]:
    """The words that stand whole (a maximal run of word characters) in every match of ``term``'s pattern
    (see :func:`_term_pattern`), lower case; none when the term is not plain ASCII.

    The pattern of an ASCII term matches its word characters literally (case aside) and everything
    else as non-word characters (spaces, hyphens, apostrophes, punctuation) or a word boundary, so each
    of its runs of word characters is a whole word of the matched text; only a wildcard's last run may
    continue into more word characters."""
    wildcard = term.endswith("*")
    core = term[:-1] if wildcard else term
    if not core or not _ASCII_CORE.fullmatch(core):
        return frozenset()
    runs = _WORD.findall(core)
    if wildcard and core[-1:].isalnum() and runs:
        runs = runs[:-1]
    if core[:1] in "_" or core[-1:] in "_":
        return frozenset()  # no word boundary is asserted next to an underscore at either end: keep it simple
    return frozenset(r.lower() for r in runs)


@dataclass(frozen=True)
class Vocabulary:
    sections: dict[str, list[Term]]

    def __post_init__(self) -> None:
        # per key, per section, the positions of its terms (so a sentence visits only terms that can match):
        # a whole word of the term where the term is ASCII, else a piece of its needle
        where: dict[str, dict[str, list[int]]] = {}
        by_word: dict[str, list[tuple[str, int, frozenset[str]]]] = {}
        for section, terms in self.sections.items():
            for i, t in enumerate(terms):
                words = _whole_words(t.text)
                if words:
                    by_word.setdefault(max(words, key=lambda w: (len(w), w)), []).append((section, i, words))
                else:
                    where.setdefault(_needle_piece(t.needle), {}).setdefault(section, []).append(i)
        object.__setattr__(self, "_where", where)
        object.__setattr__(self, "_by_word", by_word)
        object.__setattr__(self, "_folded", {})  # word -> _fold(word), remembered
        object.__setattr__(self, "_finder", _NeedleFinder(where))

    def _candidates(self, sentence: str, lowered: str) -> dict[str, list[int]]:
        """Per section, the positions of the terms that can match ``sentence``."""
        folded = self._folded  # type: ignore[attr-defined]
        words = set()
        for w in set(_WORD.findall(sentence)):
            f = folded.get(w)
            if f is None:
                f = _fold(w)
                if len(folded) < 200_000:
                    folded[w] = f
            words.add(f)
        return self._candidates_of(words, self._finder.present(lowered))  # type: ignore[attr-defined]

    def _candidates_of(self, words: frozenset[str] | set[str], present: Iterable[str]) -> dict[str, list[int]]:
        """:meth:`_candidates` from the sentence's folded words and the needles present in it."""
        where: dict[str, dict[str, list[int]]] = self._where  # type: ignore[attr-defined]
        by_word: dict[str, list[tuple[str, int, frozenset[str]]]] = self._by_word  # type: ignore[attr-defined]
        found: dict[str, list[int]] = {}
        for word in words:
            for section, i, needed in by_word.get(word, ()):
                if needed <= words:
                    found.setdefault(section, []).append(i)
        for needle in present:
            for section, idx in where[needle].items():
                found.setdefault(section, []).extend(idx)
        if "" in where:  # a term without a needle is always tried
            for section, idx in where[""].items():
                found.setdefault(section, []).extend(idx)
        return found

    def score(self, sentence: str) -> dict[str, tuple[float, list[str]]]:
        """For each section with a match: (total weight, the matched terms)."""
        lowered = sentence.lower()
        return self._score(sentence, lowered, self._candidates(sentence, lowered))

    def _score(self, sentence: str, lowered: str, candidates: dict[str, list[int]], *,
               plain_case: bool | None = None) -> dict[str, tuple[float, list[str]]]:
        out: dict[str, tuple[float, list[str]]] = {}
        # where the sentence holds no character of ``_ODD_CASE``, lower case keeps its offsets and an ASCII
        # term's lead stands in ``lowered`` wherever a match of the term starts (see :func:`_lead`);
        # ``plain_case``, when given, says whether it holds none (a caller that knows saves the scan)
        if plain_case is None:
            plain_case = _ODD_CASE.search(sentence) is None
        for section, all_terms in self.sections.items():
            idx = candidates.get(section)
            if not idx:
                continue
            terms = [all_terms[i] for i in sorted(set(idx))]
            total = 0.0
            hits: list[str] = []
            taken: list[tuple[int, int]] = []
            for t in terms:  # longest terms first: "AI Strategy Headquarters" before "Headquarters"
                if t.needle not in lowered:
                    continue
                if t.lead and plain_case:
                    # the matches :meth:`re.Pattern.finditer` gives, tried only where the lead stands (a
                    # string search) instead of at every position of the sentence
                    pos = 0
                    while (at := lowered.find(t.lead, pos)) >= 0:
                        m = t.pattern.match(sentence, at)
                        if m is None:
                            pos = at + 1
                        elif any(m.start() < e and s < m.end() for s, e in taken):
                            pos = m.end()  # the next match starts after this one (none is empty)
                        else:
                            taken.append(m.span())
                            total += t.weight
                            hits.append(m.group(0))
                            break
                    continue
                for m in t.pattern.finditer(sentence):
                    if any(m.start() < e and s < m.end() for s, e in taken):
                        continue
                    taken.append(m.span())
                    total += t.weight
                    hits.append(m.group(0))
                    break
            if hits:
                out[section] = (total, hits)
        return out


def _term_pattern(term: str) -> re.Pattern[str]:
    wildcard = term.endswith("*")
    core = term[:-1] if wildcard else term
    body = re.escape(core)
    if _CJK.search(core):
        return re.compile(body)
    sensitive = sum(c.isupper() for c in core) >= 2 or (any(c.isupper() for c in core)
                                                         and any(c.isdigit() for c in core))
    start = r"(?<![\w])" if core[:1].isalnum() else ""
    end = r"\w*" if wildcard else (r"(?![\w])" if core[-1:].isalnum() else "")
    body = body.replace(r"\ ", r"[\s\-]+").replace("'", "['\u2019]")
    return re.compile(start + body + end, 0 if sensitive else re.IGNORECASE)


def _lead(term: str) -> str:
    """What every match of ``term``'s pattern (:func:`_term_pattern`) starts with in a text without a
    character of ``_ODD_CASE``, lower case: an ASCII term's characters up to its first space or apostrophe,
    which the pattern matches literally (case aside: ignoring case, an ASCII character matches exactly the
    characters whose lower case is its own, and lower case keeps the text's offsets); "" for a term that is
    not ASCII."""
    core = term[:-1] if term.endswith("*") else term
    if not core.isascii():
        return ""
    return re.split(r"[ ']", core, maxsplit=1)[0].lower()


def _needle(term: str) -> str:
    words = re.findall(r"[^\s*'\u2019-]+", term.rstrip("*").lower())
    return max(words, key=len) if words else ""


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    path = path or resources.resource("vocabularies.json")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        sections: dict[str, list[Term]] = {}
        for section, groups in raw["sections"].items():
            terms = [Term(t, float(w), _term_pattern(t), _needle(t), _lead(t)) for w, items in groups.items()
                     for t in items]
            terms.sort(key=lambda t: -len(t.text))
            sections[section] = terms
    except (OSError, ValueError, KeyError, TypeError, AttributeError, re.error) as exc:
        raise ValidationFailed(f"the section vocabularies {path} cannot be read: {exc}") from None
    return Vocabulary(sections)


@cache
def default_vocabulary() -> Vocabulary:
    return load_vocabulary()


# -- candidates --------------------------------------------------------------------

@dataclass
class Candidate:
    pos: int
    #: the sentence exactly as it stands in the source text (the citation's quote)
    quote: str
    #: the sentence as a proposed statement (markup removed)
    statement: str
    start: int
    end: int
    location: str
    section: str
    score: float
    #: the matched terms that chose ``section``
    reason: list[str]
    #: every section that matched: id -> (score, terms)
    scores: dict[str, tuple[float, list[str]]] = field(default_factory=dict)
    as_of: date | None = None
    as_of_note: str = ""
    tags: list[str] = field(default_factory=list)
    #: existing facts saying much the same: (fact id, similarity, why)
    near: list[tuple[str, float, str]] = field(default_factory=list)
    #: position of an earlier candidate in the same import saying much the same
    repeats: int | None = None

    def reason_text(self) -> str:
        return f"{self.section}: matched " + ", ".join(f"\u201c{t}\u201d" for t in self.reason)


_SKIP_START = re.compile(r"^(?:read|click|subscribe|sign up|share|follow|download|watch|listen|see also|"
                         r"photo|image|advertisement)\b", re.I)
_WEB = re.compile(r"https?://|www\.")
_FIRST_PERSON = re.compile(r"(?<!\w)(?:I|I'm|I've|I'd|my|me)(?!\w)|(?<!\w)(?:let's|lol|imo|imho)(?!\w)", re.I)


def _skip_reason(s: str, words: list[str] | None = None, *, cjk: int | None = None, web: bool | None = None,
                 first_person: bool | None = None) -> str | None:
    """Why ``s`` is not a candidate, or None.  ``words`` (``s.split()``), ``cjk`` (its CJK characters),
    ``web`` (whether it holds a web address) and ``first_person``, when given, save working them out."""
    words = s.split() if words is None else words
    cjk = len(_CJK.findall(s)) if cjk is None else cjk
    if cjk < 10 and len(words) < 6:
        return "too short"
    if len(words) > 90 or len(s) > 700:
        return "too long"
    if s.rstrip("\"'\u201d\u2019)").endswith(("?", "\uff1f")):
        return "a question"
    if "!" in s or "\uff01" in s:
        return "an exclamation"
    if _SKIP_START.match(s):
        return "a call to action"
    if _WEB.search(s) if web is None else web:
        return "a web address"
    if _FIRST_PERSON.search(s.replace("AI", "")) if first_person is None else first_person:
        return "first-person opinion"
    return None


class _Tagger:
    """The glossary's names, compiled once per import: the tags of a sentence in one pass over its words."""

    def __init__(self, glossary: list[GlossaryEntry]) -> None:
        #: per entry, its tag and per name: (needle piece, lower case, pattern, whether the pattern matches
        #: only where the lower case stands in a sentence's lower case: the name is ASCII or matched with its case)
        self.entries: list[tuple[str, list[tuple[str, str, re.Pattern[str], bool]]]] = []
        for g in glossary:
            pats: list[tuple[str, str, re.Pattern[str], bool]] = []
            for name in g.all_names():
                if len(name) < 3 or name.lower() in {"the act", "act", "diet"}:
                    continue
                sensitive = sum(c.isupper() for c in name) >= 2
                pats.append((_needle_piece(name), name.lower(),
                             re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", 0 if sensitive else re.I),
                             sensitive or name.isascii()))
            if g.japanese:
                pats.append((_needle_piece(g.japanese), g.japanese.lower(), re.compile(re.escape(g.japanese)), True))
            kind = g.kind if g.kind in TAG_KINDS else "topic"
            self.entries.append((f"{kind}:{g.name}", pats))
        self._finder = _NeedleFinder(piece for _, pats in self.entries for piece, *_ in pats)
        #: per piece, the entries with a name holding it
        self._by_piece: dict[str, list[int]] = {}
        for i, (_, pats) in enumerate(self.entries):
            for piece in dict.fromkeys(piece for piece, *_ in pats):
                self._by_piece.setdefault(piece, []).append(i)

    def tags(self, sentence: str) -> list[str]:
        lowered = sentence.lower()
        return self._tags(sentence, lowered, self._finder.present(lowered))

    def _tags(self, sentence: str, lowered: str, present: set[str] | frozenset[str], *,
              plain_case: bool | None = None) -> list[str]:
        """:meth:`tags`, given the name pieces present in the lower-case sentence (and ``plain_case``, as
        :meth:`Vocabulary._score` takes it)."""
        out: list[str] = []
        present = present | {""}
        by_piece = self._by_piece
        # without a character of ``_ODD_CASE`` lower case keeps the sentence's offsets, and a name that is ASCII
        # or matched with its case stands in ``lowered`` wherever it matches (see :func:`_lead`): its pattern
        # is searched from the first place its lower case stands, not from the start
        if plain_case is None:
            plain_case = _ODD_CASE.search(sentence) is None
        for tag, pats in [self.entries[i] for i in sorted({i for p in present for i in by_piece.get(p, ())})]:
            # the name must stand in the sentence for its pattern to match: cheap tests first
            if tag in out:
                continue
            for piece, needle, p, anchored in pats:
                if piece in present and (at := lowered.find(needle)) >= 0 and \
                        p.search(sentence, at if anchored and plain_case else 0):
                    out.append(tag)
                    break
        return out


_Chunk = tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], int, bool, bool, str]

#: what :meth:`_Words.of` gives for a sentence
_Sentence = tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str], int, bool, bool, str]


class _Words:
    """What the per-sentence tests need from a sentence's words, worked out once per distinct chunk (a run
    between white space) of the document and remembered: its folded words (for the vocabulary), the
    vocabulary's needles and the glossary's name pieces it holds, its content tokens (for near
    duplicates) and its normalised lower-case form, and for the skip rules its CJK characters, whether it
    holds a web address and whether it is a first-person word.  Each of these is found by a pattern that
    never matches white space (``\\s`` is what ``str.split`` splits on) and sees a chunk's edges as a
    sentence's, and ``lower``, ``casefold``, ``replace("AI", "")`` and :func:`normalise` work within a
    chunk, so a sentence's are the union (sum, any, join) of its chunks': a sentence costs a split and a
    look-up per chunk, not a scan per test."""

    def __init__(self, vocabulary: Vocabulary, tagger: _Tagger, *, memo_limit: int = 200_000) -> None:
        self._vocabulary = vocabulary
        self._tagger = tagger
        self._memo: dict[str, _Chunk] = {}
        self._limit = memo_limit

    def _chunk(self, chunk: str) -> _Chunk:
        lowered = chunk.lower()
        return (frozenset(_fold(w) for w in _WORD.findall(chunk)),
                frozenset(self._vocabulary._finder.present(lowered)),  # type: ignore[attr-defined]
                frozenset(self._tagger._finder.present(lowered)), tokens(chunk), len(_CJK.findall(chunk)),
                _WEB.search(chunk) is not None, _FIRST_PERSON.search(chunk.replace("AI", "")) is not None,
                normalise(chunk).lower())

    def of(self, chunks: list[str]) -> _Sentence:
        """(folded words, vocabulary needles, glossary name pieces, tokens, CJK characters, a web address,
        first person, ``normalise(sentence).lower()``) of the sentence ``chunks`` make, in order."""
        memo = self._memo
        parts = []
        for c in chunks:
            got = memo.get(c)
            if got is None:
                got = self._chunk(c)
                if len(memo) < self._limit:
                    memo[c] = got
            parts.append(got)
        if not parts:
            return _NOTHING
        words, needles, pieces, toks, cjk, web, first, norms = zip(*parts, strict=True)
        return (frozenset().union(*words), frozenset().union(*needles), frozenset().union(*pieces),
                frozenset().union(*toks), sum(cjk), any(web), any(first), " ".join(norms))


_NOTHING: _Sentence = (frozenset(), frozenset(), frozenset(), frozenset(), 0, False, False, "")
#: what every pattern :func:`find_dates` tries without a default year needs (so a sentence without it has none)
_YEARISH = re.compile(r"(?:19|20)\d\d")


def _analyse(statement: str, vocabulary: Vocabulary, tagger: _Tagger, words: _Words, index: FactIndex | None,
             doc_date: date | None, today: date, min_score: float) -> tuple[Any, ...]:
    """(skip reason,) or (section, score, reason, scores, as_of, note, tokens, tags, near) of one statement."""
    chunks = statement.split()
    folded, needles, pieces, toks, cjk, web, first_person, norm = words.of(chunks)
    why = _skip_reason(statement, chunks, cjk=cjk, web=web, first_person=first_person)
    if why:
        return (why,)
    lowered = statement.lower()
    plain_case = _ODD_CASE.search(statement) is None  # one scan for the vocabulary and the glossary
    scores = vocabulary._score(statement, lowered, vocabulary._candidates_of(folded, needles), plain_case=plain_case)
    if not scores or max(v[0] for v in scores.values()) < min_score:
        return ("no section vocabulary matched",)
    section, (score, reason) = max(scores.items(), key=lambda kv: (kv[1][0], len(kv[1][1])))
    # the sentence's own dates matter only when the document has none
    mentions = [] if doc_date or not _YEARISH.search(statement) else \
        [d for d in find_dates(statement) if not d.year_inferred]
    if doc_date:
        as_of, note = doc_date, "the document's date"
    elif mentions:
        latest = max(mentions, key=lambda d: d.first)
        as_of, note = latest.first, f"the date in the sentence (\u201c{latest.text}\u201d)"
    else:
        as_of, note = today, "the day of import (the document gives no date)"
    return (section, score, reason, scores, as_of, note, toks,
            tagger._tags(statement, lowered, pieces, plain_case=plain_case),
            index.near(statement, toks=toks, norm=norm, cjk=cjk > 0) if index else [])


#: the most candidates one document gives: more than an analyst can review (a 20 MB text has over 100,000
#: sentences); the sentences after the last one are counted under :data:`NOT_ANALYSED`, never dropped silently
MAX_CANDIDATES = 5000
NOT_ANALYSED = f"not analysed: the import proposes at most {MAX_CANDIDATES:,} candidates per document"


def propose(text: str, cleaned: Cleaned, *, vocabulary: Vocabulary, glossary: list[GlossaryEntry],
            index: FactIndex | None, doc_date: date | None, today: date,
            min_score: float = 2.0, max_candidates: int | None = None) -> tuple[list[Candidate], dict[str, int]]:
    """Candidate facts from the body segments of ``text`` and, per reason, how many sentences were skipped.

    After ``max_candidates`` (default :data:`MAX_CANDIDATES`) candidates the rest of the document's
    sentences are not analysed; they are counted under a reason that starts "not analysed" and gives
    the limit (:data:`NOT_ANALYSED` for the default)."""
    skipped: dict[str, int] = {}
    out: list[Candidate] = []
    locator = Locator(text)
    tagger = _Tagger(glossary)
    words = _Words(vocabulary, tagger)
    # a long document repeats sentences: the analysis depends on the sentence alone, so do it once each
    analysed: dict[str, tuple[Any, ...]] = {}
    if max_candidates is None:
        max_candidates = MAX_CANDIDATES
    over = f"not analysed: the import proposes at most {max_candidates:,} candidates per document"
    with collector_paused():
        toks = _propose(text, cleaned, out, skipped, locator, analysed, over, max_candidates, vocabulary, tagger,
                        words, index, doc_date, today, min_score)
        # the first earlier candidate each repeats, once all are known (the tokens ordered over the document)
        for c, repeats in zip(out, first_repeats(toks), strict=True):
            c.repeats = repeats
    return out, skipped


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile: an import makes many small objects and no cycles, and the
    collector's passes over a heap that grows with the document would cost more the longer it is (the
    few cycles left, if any, are collected after)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _propose(text: str, cleaned: Cleaned, out: list[Candidate], skipped: dict[str, int], locator: Locator,
             analysed: dict[str, tuple[Any, ...]], over: str, max_candidates: int, vocabulary: Vocabulary,
             tagger: _Tagger, words: _Words, index: FactIndex | None, doc_date: date | None, today: date,
             min_score: float) -> list[frozenset[str]]:
    """Fill ``out`` and ``skipped``; the candidates' content tokens, in order."""
    toks_of: list[frozenset[str]] = []
    for seg in cleaned.body():
        for s, e in sent.split(text, seg.start, seg.end):
            if len(out) >= max_candidates:
                skipped[over] = skipped.get(over, 0) + 1
                continue
            quote = text[s:e]
            got = analysed.get(quote)
            if got is None:
                statement = strip_inline_markup(quote)
                got = analysed[quote] = (statement, *_analyse(statement, vocabulary, tagger, words, index,
                                                              doc_date, today, min_score))
            statement = got[0]
            got = got[1:]
            if len(got) == 1:
                why = got[0]
                skipped[why] = skipped.get(why, 0) + 1
                continue
            section, score, reason, scores, as_of, note, toks, tags, near = got
            toks_of.append(toks)
            out.append(Candidate(
                pos=len(out), quote=quote, statement=statement, start=s, end=e, location=locator.at(s),
                section=section, score=score, reason=reason, scores=scores, as_of=as_of, as_of_note=note,
                tags=list(tags), near=list(near),
            ))
    return toks_of
