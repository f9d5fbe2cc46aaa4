"""Candidate facts: the sentences of a document's body that read like
statements of fact, each with a suggested section and the reason for it.

The reason is transparent: the terms of ``resources/vocabularies.json`` that
matched, per section, with their weights.  Nothing is learned or hidden.
Sentences are skipped (and counted) when they are questions, exclamations,
first-person opinion, calls to action, too short or too long, or match no
section's vocabulary.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from briefer import resources
from briefer.domain import sentences as sent
from briefer.domain.dates import find_dates
from briefer.domain.provenance import Locator, normalise
from briefer.errors import ValidationFailed
from briefer.ingest.furniture import Cleaned, strip_inline_markup
from briefer.model import TAG_KINDS, Fact, GlossaryEntry

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


@dataclass(frozen=True)
class Term:
    text: str
    weight: float
    pattern: re.Pattern[str]
    #: a lower-case piece of the term that must be in a sentence for the term to match (a cheap pre-check)
    needle: str = ""


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
        where: dict[str, dict[str, list[int]]] = self._where  # type: ignore[attr-defined]
        by_word: dict[str, list[tuple[str, int, frozenset[str]]]] = self._by_word  # type: ignore[attr-defined]
        found: dict[str, list[int]] = {}
        folded = self._folded  # type: ignore[attr-defined]
        words = set()
        for w in set(_WORD.findall(sentence)):
            f = folded.get(w)
            if f is None:
                f = _fold(w)
                if len(folded) < 200_000:
                    folded[w] = f
            words.add(f)
        for word in words:
            for section, i, needed in by_word.get(word, ()):
                if needed <= words:
                    found.setdefault(section, []).append(i)
        for needle in self._finder.present(lowered):  # type: ignore[attr-defined]
            for section, idx in where[needle].items():
                found.setdefault(section, []).extend(idx)
        if "" in where:  # a term without a needle is always tried
            for section, idx in where[""].items():
                found.setdefault(section, []).extend(idx)
        return found

    def score(self, sentence: str) -> dict[str, tuple[float, list[str]]]:
        """For each section with a match: (total weight, the matched terms)."""
        out: dict[str, tuple[float, list[str]]] = {}
        lowered = sentence.lower()
        candidates = self._candidates(sentence, lowered)
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


def _needle(term: str) -> str:
    words = re.findall(r"[^\s*'\u2019-]+", term.rstrip("*").lower())
    return max(words, key=len) if words else ""


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    path = path or resources.resource("vocabularies.json")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        sections: dict[str, list[Term]] = {}
        for section, groups in raw["sections"].items():
            terms = [Term(t, float(w), _term_pattern(t), _needle(t)) for w, items in groups.items() for t in items]
            terms.sort(key=lambda t: -len(t.text))
            sections[section] = terms
    except (OSError, ValueError, KeyError, TypeError, AttributeError, re.error) as exc:
        raise ValidationFailed(f"the section vocabularies {path} cannot be read: {exc}") from None
    return Vocabulary(sections)


@cache
def default_vocabulary() -> Vocabulary:
    return load_vocabulary()


# -- near duplicates ---------------------------------------------------------------

_STOP = frozenset([
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is",
    "are", "was", "were", "be", "been", "being", "this", "that", "these", "those", "it", "its", "their", "his",
    "her", "they", "them", "he", "she", "we", "our", "you", "your", "which", "who", "whom", "whose", "what",
    "when", "where", "how", "than", "then", "there", "here", "also", "not", "no", "nor", "so", "such", "into",
    "over", "under", "about", "after", "before", "between", "during", "while", "will", "would", "shall", "should",
    "can", "could", "may", "might", "must", "has", "have", "had", "do", "does", "did", "said", "says",
])


_TOKEN = re.compile(r"[\w\u2019']+")


def tokens(text: str, *, norm: str | None = None) -> frozenset[str]:
    """The content words of ``text`` (``norm``, when given, is ``normalise(text).lower()``)."""
    words = _TOKEN.findall(normalise(text).lower() if norm is None else norm)
    out = {w.strip("'\u2019") for w in words if len(w) > 2 and w not in _STOP}
    out |= set(_CJK.findall(text)) if _CJK.search(text) else set()
    return frozenset(out)


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap of two token sets: the larger of Jaccard and containment of the smaller set."""
    if not a or not b:
        return 0.0
    la, lb = len(a), len(b)
    inter = len(a & b) if la <= lb else len(b & a)
    jaccard = inter / (la + lb - inter)  # |a | b| without building the union
    small = la if la < lb else lb
    if small < 6:
        return jaccard
    contained = inter / small
    return contained if contained > jaccard else jaccard


_NEVER = 1 << 30


@cache
def _fewest_shared(la: int, lb: int) -> int:
    """The fewest shared tokens with which sets of ``la`` and ``lb`` tokens can be NEAR_THRESHOLD similar
    (``_NEVER`` if none): the first count whose :func:`_similarity_bound` reaches it, found from the
    closed form and confirmed against the bound itself (which grows with the count)."""
    top = min(la, lb)
    if top <= 0:
        return _NEVER
    t = NEAR_THRESHOLD
    guess = t * (la + lb) / (1 + t)  # Jaccard reaches t
    if top >= 6:
        guess = min(guess, t * top)  # containment reaches t
    i = max(1, min(top, int(guess) - 1))
    while i > 1 and _similarity_bound(i - 1, la, lb) >= t:
        i -= 1
    while i <= top and _similarity_bound(i, la, lb) < t:
        i += 1
    return i if i <= top else _NEVER


def _similarity_bound(shared: int, la: int, lb: int) -> float:
    """The largest :func:`similarity` two sets of ``la`` and ``lb`` tokens can have when they share at
    most ``shared`` tokens (both measures grow with the shared count)."""
    inter = min(shared, la, lb)
    if not inter:
        return 0.0
    jaccard = inter / (la + lb - inter)
    small = la if la < lb else lb
    return max(jaccard, inter / small) if small >= 6 else jaccard


NEAR_THRESHOLD = 0.6


@dataclass
class FactIndex:
    """Existing facts by their words, to point out near duplicates quickly."""

    facts: dict[str, Fact]
    token_sets: dict[str, frozenset[str]]
    by_token: dict[str, set[str]]
    quotes: dict[str, list[str]]
    quote_tokens: dict[str, list[frozenset[str]]] = field(default_factory=dict)
    _bounded: set[str] = field(default_factory=set)
    _quotes: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    _needs: dict[tuple[str, int], int] = field(default_factory=dict)

    @classmethod
    def build(cls, facts: Iterable[Fact]) -> FactIndex:
        fmap: dict[str, Fact] = {}
        token_sets: dict[str, frozenset[str]] = {}
        by_token: dict[str, set[str]] = {}
        quotes: dict[str, list[str]] = {}
        all_tokens: dict[str, frozenset[str]] = {}
        for f in facts:
            fmap[f.id] = f
            ts = all_tokens[f.id] = tokens(f.statement + " " + " ".join(c.quote for c in f.citations))
            token_sets[f.id] = tokens(f.statement)
            for t in ts:
                by_token.setdefault(t, set()).add(f.id)
            quotes[f.id] = [normalise(c.quote).lower() for c in f.citations]
        index = cls(fmap, token_sets, by_token, quotes)
        index.quote_tokens = {fid: [tokens(q) for q in qs] for fid, qs in quotes.items()}
        # the facts whose statement and quote token sets lie within the tokens they are filed under:
        # for them the shared-token count bounds the similarity, and most can be passed over unscored
        index._bounded = {fid for fid in fmap if token_sets[fid] <= all_tokens[fid]
                          and all(q <= all_tokens[fid] for q in index.quote_tokens[fid])}
        index._quotes = {fid: [(q, len(q)) for q in qs if q] for fid, qs in quotes.items()}
        return index

    def _need(self, fid: str, la: int) -> int:
        """The fewest shared tokens with which a sentence of ``la`` tokens can be NEAR_THRESHOLD like
        fact ``fid`` (its statement or one of its quotes); 0 when the count bounds nothing."""
        key = (fid, la)
        got = self._needs.get(key)
        if got is None:
            if fid not in self._bounded:
                got = 0
            else:
                sizes = [len(self.token_sets[fid]), *(len(q) for q in self.quote_tokens.get(fid, []))]
                got = min((_fewest_shared(la, lx) for lx in sizes), default=_NEVER)
            self._needs[key] = got
        return got

    def near(self, text: str, limit: int = 3, *, toks: frozenset[str] | None = None,
             norm: str | None = None) -> list[tuple[str, float, str]]:
        """Facts like ``text``: (fact id, similarity 0-1, why).  ``toks`` and ``norm``, when given, are
        ``tokens(text)`` and ``normalise(text).lower()`` (a caller that has them saves the work)."""
        toks = tokens(text) if toks is None else toks
        counts: Counter[str] = Counter()
        by_token = self.by_token
        for t in toks:
            ids = by_token.get(t)
            if ids:
                counts.update(ids)
        # the 50 facts sharing most tokens (at least 3), in fact-id order among equals
        ranked = sorted((-n, fid) for fid, n in counts.items() if n >= 3)[:50]
        if not ranked:
            return []
        norm = normalise(text).lower() if norm is None else norm
        ln = len(norm)
        long_norm = ln > 30
        la = len(toks)
        out: list[tuple[str, float, str]] = []
        for neg, fid in ranked:
            # the same passage: a quote within the sentence, or a long sentence within a quote
            if any((lq <= ln and q in norm) or (long_norm and ln <= lq and norm in q) for q, lq in self._quotes[fid]):
                out.append((fid, 1.0, "cites this same passage"))
                continue
            if -neg < self._need(fid, la):
                continue  # too few shared tokens for any of its statement and quotes to reach the threshold
            sim = max(similarity(toks, self.token_sets[fid]),
                      max((similarity(toks, q) for q in self.quote_tokens.get(fid, [])), default=0.0))
            if sim >= NEAR_THRESHOLD:
                out.append((fid, round(sim, 2), "says much the same"))
        out.sort(key=lambda x: (-x[1], x[0]))
        return out[:limit]


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
_FIRST_PERSON = re.compile(r"(?<!\w)(?:I|I'm|I've|I'd|my|me)(?!\w)|(?<!\w)(?:let's|lol|imo|imho)(?!\w)", re.I)


def _skip_reason(s: str) -> str | None:
    words = s.split()
    cjk = len(_CJK.findall(s))
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
    if re.search(r"https?://|www\.", s):
        return "a web address"
    if _FIRST_PERSON.search(s.replace("AI", "")):
        return "first-person opinion"
    return None


class _Tagger:
    """The glossary's names, compiled once per import: the tags of a sentence in one pass over its words."""

    def __init__(self, glossary: list[GlossaryEntry]) -> None:
        self.entries: list[tuple[str, list[tuple[str, str, re.Pattern[str]]]]] = []
        for g in glossary:
            pats: list[tuple[str, str, re.Pattern[str]]] = []
            for name in g.all_names():
                if len(name) < 3 or name.lower() in {"the act", "act", "diet"}:
                    continue
                sensitive = sum(c.isupper() for c in name) >= 2
                pats.append((_needle_piece(name), name.lower(),
                             re.compile(r"(?<!\w)" + re.escape(name) + r"(?!\w)", 0 if sensitive else re.I)))
            if g.japanese:
                pats.append((_needle_piece(g.japanese), g.japanese.lower(), re.compile(re.escape(g.japanese))))
            kind = g.kind if g.kind in TAG_KINDS else "topic"
            self.entries.append((f"{kind}:{g.name}", pats))
        self._finder = _NeedleFinder(piece for _, pats in self.entries for piece, _, _ in pats)
        #: per piece, the entries with a name holding it
        self._by_piece: dict[str, list[int]] = {}
        for i, (_, pats) in enumerate(self.entries):
            for piece in dict.fromkeys(piece for piece, _, _ in pats):
                self._by_piece.setdefault(piece, []).append(i)

    def tags(self, sentence: str) -> list[str]:
        out: list[str] = []
        lowered = sentence.lower()
        present = self._finder.present(lowered)
        present.add("")
        by_piece = self._by_piece
        for tag, pats in [self.entries[i] for i in sorted({i for p in present for i in by_piece.get(p, ())})]:
            # the name must stand in the sentence for its pattern to match: cheap tests first
            if tag not in out and any(piece in present and needle in lowered and p.search(sentence)
                                      for piece, needle, p in pats):
                out.append(tag)
        return out


def _tags(sentence: str, glossary: list[GlossaryEntry], patterns: dict[str, Any]) -> list[str]:
    """The glossary tags of ``sentence`` (``patterns`` keeps the compiled glossary between calls)."""
    tagger = patterns.get("")
    if tagger is None:
        tagger = patterns[""] = _Tagger(glossary)
    return tagger.tags(sentence)


REPEAT_THRESHOLD = 0.85


class _RepeatIndex:
    """The earlier candidates of one document, to find the first one a new candidate repeats.

    The same answer as comparing with every earlier candidate, without the quadratic cost.  If two
    sets are REPEAT_THRESHOLD similar, the smaller one misses fewer than ``floor(0.15 * n) + 1`` of
    the other's tokens (Jaccard bounds both, containment bounds the smaller), so any that many
    tokens of it, its *probe*, meet the other set.  Each set is filed under its probe (its rarest
    tokens so far) and under all its tokens; a new set looks up all its tokens among the probes,
    and its own probe among all tokens.  Identical sets are filed once."""

    def __init__(self) -> None:
        self._sets: list[frozenset[str]] = []
        self._first: dict[frozenset[str], int] = {}
        self._answer: dict[frozenset[str], int | None] = {}
        self._by_probe: dict[str, list[int]] = {}
        self._by_token: dict[str, list[int]] = {}
        self._count = 0

    def _probe(self, toks: frozenset[str]) -> list[str]:
        n = int(len(toks) * (1 - REPEAT_THRESHOLD) + 1e-9) + 1
        return sorted(toks, key=lambda t: (len(self._by_token.get(t, ())), t))[:n]

    def add(self, toks: frozenset[str]) -> int | None:
        """Record ``toks`` as the next candidate; the position of the first earlier one it repeats."""
        pos = self._count
        self._count += 1
        if not toks:
            return None  # an empty set is like nothing (similarity 0)
        if toks in self._first:
            return self._answer[toks]
        probe = self._probe(toks)
        near: set[int] = set()
        for t in toks:
            near.update(self._by_probe.get(t, ()))
        for t in probe:
            near.update(self._by_token.get(t, ()))
        found = next((i for i in sorted(near) if similarity(toks, self._sets[i]) >= REPEAT_THRESHOLD), None)
        answer = None if found is None else self._first[self._sets[found]]
        idx = len(self._sets)
        self._sets.append(toks)
        self._first[toks] = pos
        self._answer[toks] = pos if answer is None else answer
        for t in probe:
            self._by_probe.setdefault(t, []).append(idx)
        for t in toks:
            self._by_token.setdefault(t, []).append(idx)
        return answer


def _analyse(statement: str, vocabulary: Vocabulary, glossary: list[GlossaryEntry],
             patterns: dict[str, Any], index: FactIndex | None, doc_date: date | None,
             today: date, min_score: float) -> tuple[Any, ...]:
    """(skip reason,) or (section, score, reason, scores, as_of, note, tokens, tags, near) of one statement."""
    why = _skip_reason(statement)
    if why:
        return (why,)
    scores = vocabulary.score(statement)
    if not scores or max(v[0] for v in scores.values()) < min_score:
        return ("no section vocabulary matched",)
    section, (score, reason) = max(scores.items(), key=lambda kv: (kv[1][0], len(kv[1][1])))
    # the sentence's own dates matter only when the document has none
    mentions = [] if doc_date else [d for d in find_dates(statement) if not d.year_inferred]
    if doc_date:
        as_of, note = doc_date, "the document's date"
    elif mentions:
        latest = max(mentions, key=lambda d: d.first)
        as_of, note = latest.first, f"the date in the sentence (\u201c{latest.text}\u201d)"
    else:
        as_of, note = today, "the day of import (the document gives no date)"
    norm = normalise(statement).lower()  # once, for the tokens and the near-duplicate search
    toks = tokens(statement, norm=norm)
    return (section, score, reason, scores, as_of, note, toks, _tags(statement, glossary, patterns),
            index.near(statement, toks=toks, norm=norm) if index else [])


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
    seen = _RepeatIndex()
    locator = Locator(text)
    patterns: dict[str, Any] = {}
    # a long document repeats sentences: the analysis depends on the sentence alone, so do it once each
    analysed: dict[str, tuple[Any, ...]] = {}
    if max_candidates is None:
        max_candidates = MAX_CANDIDATES
    over = f"not analysed: the import proposes at most {max_candidates:,} candidates per document"
    for seg in cleaned.body():
        for s, e in sent.split(text, seg.start, seg.end):
            if len(out) >= max_candidates:
                skipped[over] = skipped.get(over, 0) + 1
                continue
            quote = text[s:e]
            got = analysed.get(quote)
            if got is None:
                statement = strip_inline_markup(quote)
                got = analysed[quote] = (statement, *_analyse(statement, vocabulary, glossary, patterns, index,
                                                              doc_date, today, min_score))
            statement = got[0]
            got = got[1:]
            if len(got) == 1:
                why = got[0]
                skipped[why] = skipped.get(why, 0) + 1
                continue
            section, score, reason, scores, as_of, note, toks, tags, near = got
            repeats = seen.add(toks)
            out.append(Candidate(
                pos=len(out), quote=quote, statement=statement, start=s, end=e, location=locator.at(s),
                section=section, score=score, reason=reason, scores=scores, as_of=as_of, as_of_note=note,
                tags=list(tags), near=list(near), repeats=repeats,
            ))
    return out, skipped
