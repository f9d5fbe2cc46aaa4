"""Near duplicates: how alike two sentences are (their content words), the store's facts a
candidate says much the same as (:class:`FactIndex`), and the earlier candidate of the same
document it repeats (:class:`_RepeatIndex`), each with bounded work per sentence, so an import
stays linear in the size of the document."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from itertools import chain
from operator import itemgetter

from briefer.domain.provenance import normalise
from briefer.model import Fact

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


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
    #: per sentence token count, per fact: :meth:`_need` (remembered)
    _needs_of: dict[int, dict[str, int]] = field(default_factory=dict)
    _all_tokens: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._all_tokens = frozenset(self.by_token)

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
        if len(toks & self._all_tokens) < 3:
            return []  # no fact can share three tokens with it
        # one count over every token's facts (one call, not one per token)
        get = self.by_token.get
        counts = Counter(chain.from_iterable(filter(None, map(get, toks))))
        # the 50 facts sharing most tokens (at least 3), in fact-id order among equals
        ranked = [(-n, fid) for fid, n in counts.items() if n >= 3]
        if not ranked:
            return []
        ranked.sort()
        del ranked[50:]
        norm = normalise(text).lower() if norm is None else norm
        ln = len(norm)
        long_norm = ln > 30
        la = len(toks)
        needs = self._needs_of.get(la)
        if needs is None:
            needs = self._needs_of[la] = {}
        quotes = self._quotes
        out: list[tuple[str, float, str]] = []
        for neg, fid in ranked:
            # the same passage: a quote within the sentence, or a long sentence within a quote
            same = False
            for q, lq in quotes[fid]:
                if (lq <= ln and q in norm) or (long_norm and ln <= lq and norm in q):
                    same = True
                    break
            if same:
                out.append((fid, 1.0, "cites this same passage"))
                continue
            need = needs.get(fid)
            if need is None:
                need = needs[fid] = self._need(fid, la)
            if -neg < need:
                continue  # too few shared tokens for any of its statement and quotes to reach the threshold
            sim = max(similarity(toks, self.token_sets[fid]),
                      max((similarity(toks, q) for q in self.quote_tokens.get(fid, [])), default=0.0))
            if sim >= NEAR_THRESHOLD:
                out.append((fid, round(sim, 2), "says much the same"))
        out.sort(key=lambda x: (-x[1], x[0]))
        return out[:limit]


REPEAT_THRESHOLD = 0.85
#: the most earlier candidates one token points a new candidate to (see :class:`_RepeatIndex`)
REPEAT_POSTINGS = 32
#: the most earlier candidates a new one is compared with, the earliest first (with REPEAT_POSTINGS set)
REPEAT_COMPARISONS = 48


class _RepeatIndex:
    """The earlier candidates of one document, to find the first one a new candidate repeats.

    The same answer as comparing with every earlier candidate, without the quadratic cost.  If two
    sets are REPEAT_THRESHOLD similar, the smaller one misses fewer than ``floor(0.15 * n) + 1`` of
    the other's tokens (Jaccard bounds both, containment bounds the smaller), so any that many
    tokens of it, its *probe*, meet the other set.  Each set is filed under its probe (its rarest
    tokens so far) and under all its tokens; a new set looks up all its tokens among the probes,
    and its own probe among all tokens.  Identical sets are filed once.

    The work per candidate is bounded, so an import stays linear in the size of the document: each
    token files at most ``postings`` sets (the first ones), and a new set is compared with at most
    :data:`REPEAT_COMPARISONS` of the sets its tokens point to (those pointed to most often) (``postings=None``:
    no bound).  While no token of the document's candidates is in more than ``postings`` distinct
    sets, and no set's tokens point to more than that many, the answer is exact; past that a repeat
    may be missed, never invented: every repeat reported is one."""

    def __init__(self, postings: int | None = REPEAT_POSTINGS) -> None:
        self._postings = postings
        self._sets: list[frozenset[str]] = []
        self._lens: list[int] = []
        self._first: dict[frozenset[str], int] = {}
        self._answer: dict[frozenset[str], int | None] = {}
        self._by_probe: dict[str, list[int]] = {}
        self._by_token: dict[str, list[int]] = {}
        self._count = 0

    def _probe(self, toks: frozenset[str]) -> list[str]:
        n = int(len(toks) * (1 - REPEAT_THRESHOLD) + 1e-9) + 1
        get = self._by_token.get
        return [t for _, t in sorted([(len(get(t, ())), t) for t in toks])[:n]]

    def add(self, toks: frozenset[str]) -> int | None:
        """Record ``toks`` as the next candidate; the position of the first earlier one it repeats."""
        pos = self._count
        self._count += 1
        if not toks:
            return None  # an empty set is like nothing (similarity 0)
        if toks in self._first:
            return self._answer[toks]
        probe = self._probe(toks)
        by_probe, by_token = self._by_probe, self._by_token
        # in token order, so that equal counts below are broken the same way in every run (a set's order
        # follows the interpreter's string hashing, which differs from run to run)
        pointed = [by_probe.get(t, ()) for t in sorted(toks)] + [by_token.get(t, ()) for t in probe]
        if self._postings is None:
            order: Iterable[int] = sorted(set().union(*pointed))
        else:  # the sets pointed to most often (most likely alike), then compared earliest first
            hits = Counter(chain.from_iterable(pointed))  # one count over all, not one call per token
            if len(hits) > REPEAT_COMPARISONS:
                # Counter.most_common(n) is heapq.nlargest, documented equal to this stable sort
                top = sorted(hits.items(), key=itemgetter(1), reverse=True)
                order = sorted([i for i, _ in top[:REPEAT_COMPARISONS]])
            else:
                order = sorted(hits)
        found = None
        sets, lens = self._sets, self._lens
        la = len(toks)
        for i in order:
            lo = lens[i]
            inter = len(toks & sets[i])
            small = la if la < lo else lo
            # a cheap bound first: both measures are at most the shared count over the smaller set's size;
            # then :func:`similarity` from the shared count (the sets are not empty)
            if inter >= REPEAT_THRESHOLD * small - 1e-9:
                jaccard = inter / (la + lo - inter)
                contained = inter / small
                if (jaccard if small < 6 else (contained if contained > jaccard else jaccard)) >= REPEAT_THRESHOLD:
                    found = i
                    break
        answer = None if found is None else self._first[sets[found]]
        idx = len(sets)
        sets.append(toks)
        lens.append(la)
        self._first[toks] = pos
        self._answer[toks] = pos if answer is None else answer
        cap = self._postings
        for index, keys in ((self._by_probe, probe), (self._by_token, toks)):
            for t in keys:
                filed = index.get(t)
                if filed is None:
                    index[t] = [idx]
                elif cap is None or len(filed) < cap:
                    filed.append(idx)
        return answer
