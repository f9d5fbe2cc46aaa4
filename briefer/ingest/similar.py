"""Near duplicates: how alike two sentences are (their content words), the store's facts a
candidate says much the same as (:class:`FactIndex`), and the earlier candidate of the same
document each one repeats (:func:`first_repeats`), each with bounded work per sentence, so an import
stays linear in the size of the document."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, reduce
from itertools import chain
from operator import or_

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
    #: per fact, its statement's and quotes' token sets (the non-empty ones) with their sizes, to score it
    _scored: dict[str, list[tuple[frozenset[str], int]]] = field(default_factory=dict)
    #: what :meth:`near` narrows the facts with (see :class:`_Narrowing`), made on first use
    _narrowing: _Narrowing | None = None

    def __post_init__(self) -> None:
        self._all_tokens = frozenset(self.by_token)

    def _scored_of(self, fid: str) -> list[tuple[frozenset[str], int]]:
        got = self._scored.get(fid)
        if got is None:
            got = self._scored[fid] = [(ts, len(ts)) for ts in (self.token_sets[fid], *self.quote_tokens.get(fid, []))
                                       if ts]
        return got

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
             norm: str | None = None, cjk: bool | None = None) -> list[tuple[str, float, str]]:
        """Facts like ``text``: (fact id, similarity 0-1, why).  ``toks``, ``norm`` and ``cjk``, when given,
        are ``tokens(text)``, ``normalise(text).lower()`` and whether ``text`` holds a CJK character (a
        caller that has them saves the work)."""
        toks = tokens(text) if toks is None else toks
        if len(toks) < 3:
            return []  # no fact can share three tokens with it
        narrowing = self._narrowing or self._narrow()
        norm = normalise(text).lower() if norm is None else norm
        if not (_CJK.search(text) if cjk is None else cjk):
            return narrowing.near(toks, norm, limit)
        return self._near_by_counting(toks, norm, limit)

    def _narrow(self) -> _Narrowing:
        self._narrowing = _Narrowing(self)
        return self._narrowing

    def _near_by_counting(self, toks: frozenset[str], norm: str, limit: int) -> list[tuple[str, float, str]]:
        """:meth:`near` by counting every fact's shared tokens (the facts ranked, then each looked at)."""
        if len(toks & self._all_tokens) < 3:
            return []  # no fact can share three tokens with it
        ranked = self._ranking(toks)
        if not ranked:
            return []
        out: list[tuple[str, float, str]] = []
        for neg, fid in ranked:
            got = self._look_at(fid, -neg, toks, norm)
            if got is not None:
                out.append(got)
        out.sort(key=lambda x: (-x[1], x[0]))
        return out[:limit]

    def _ranking(self, toks: frozenset[str]) -> list[tuple[int, str]]:
        """(-shared tokens, fact id) of the 50 facts sharing most tokens (at least 3) with ``toks``, in
        fact-id order among equals: one count over every token's facts (one call, not one per token)."""
        counts = Counter(chain.from_iterable(filter(None, map(self.by_token.get, toks))))
        ranked = [(-n, fid) for fid, n in counts.items() if n >= 3]
        ranked.sort()
        del ranked[50:]
        return ranked

    def _ranked(self, toks: frozenset[str]) -> set[str]:
        return {fid for _, fid in self._ranking(toks)}

    def _look_at(self, fid: str, shared: int, toks: frozenset[str], norm: str) -> tuple[str, float, str] | None:
        """Whether fact ``fid``, sharing ``shared`` tokens with a sentence (its tokens ``toks``, its
        normalised lower-case text ``norm``), cites the same passage or says much the same."""
        ln = len(norm)
        # the same passage: a quote within the sentence, or a long sentence within a quote
        for q, lq in self._quotes[fid]:
            if (lq <= ln and q in norm) or (ln > 30 and ln <= lq and norm in q):
                return (fid, 1.0, "cites this same passage")
        la = len(toks)
        needs = self._needs_of.get(la)
        if needs is None:
            needs = self._needs_of[la] = {}
        need = needs.get(fid)
        if need is None:
            need = needs[fid] = self._need(fid, la)
        if shared < need:
            return None  # too few shared tokens for any of its statement and quotes to reach the threshold
        # the largest :func:`similarity` with its statement and quotes (the same arithmetic, inline)
        sim = 0.0
        for ts, lx in self._scored.get(fid) or self._scored_of(fid):
            inter = len(toks & ts)
            if inter:
                v = inter / (la + lx - inter)
                small = la if la < lx else lx
                if small >= 6:
                    contained = inter / small
                    if contained > v:
                        v = contained
                if v > sim:
                    sim = v
        if sim >= NEAR_THRESHOLD:
            return (fid, round(sim, 2), "says much the same")
        return None


def _words(text: str, *, inner: bool = False) -> set[str]:
    """The content words :func:`tokens` takes from the runs of word characters in ``text`` (normalised, lower
    case), without its CJK characters; ``inner``: only from the runs that touch neither end of ``text``."""
    if not inner:
        return {w.strip("'\u2019") for w in _TOKEN.findall(text) if len(w) > 2 and w not in _STOP}
    end = len(text)
    return {w.strip("'\u2019") for m in _TOKEN.finditer(text) if m.start() > 0 and m.end() < end
            for w in (m.group(),) if len(w) > 2 and w not in _STOP}


class _Narrowing:
    """What :meth:`FactIndex.near` looks at a sentence's facts with, so that the common case costs a few
    operations on integers whose bits are the facts (in fact-id order) rather than a count of every
    fact's shared tokens and a test of every quote of each fact sharing three.

    - The facts sharing at least three tokens with the sentence come from three running bit sets (facts
      sharing one, two, three or more so far) updated per token: every fact the count would rank when at
      most 50 do (more: the count decides which 50).
    - Only some of them can cite the same passage, and only their quotes are tried: those with a quote
      whose *signature* is among the sentence's tokens, the rarest word of a run of word characters inside
      the quote (touching neither end): when the quote lies within the sentence that run is a whole run
      of the sentence too, so the word is one of its tokens (a quote without such a word is always tried);
      and those with a quote holding one of three of the sentence's tokens, the three in fewest quotes: a
      sentence within a quote has all its words but those of its first and last runs among the quote's
      words, and at most two of the three are those.  For that the sentence's tokens must all be words,
      so a sentence with CJK characters is left to the count."""

    def __init__(self, index: FactIndex) -> None:
        self.index = index
        self.fids = sorted(index.facts)
        bit = {fid: 1 << i for i, fid in enumerate(self.fids)}
        self.masks = {t: sum(bit[f] for f in fs) for t, fs in index.by_token.items()}
        # the facts' tokens as bits too: the tokens a sentence shares with a set, one AND and a bit count
        scored = [index._scored_of(fid) for fid in self.fids]
        vocabulary = sorted(set(index.by_token).union(*(ts for sets in scored for ts, _ in sets)))
        self.token_bits = {t: 1 << i for i, t in enumerate(vocabulary)}
        self.known = frozenset(self.token_bits)
        tb = self.token_bits.__getitem__
        shared: dict[str, int] = {}
        for t, fs in index.by_token.items():
            for fid in fs:
                shared[fid] = shared.get(fid, 0) | tb(t)
        self.shared_with = [shared.get(fid, 0) for fid in self.fids]
        self.scored = [[(sum(map(tb, ts)), lx) for ts, lx in sets] for sets in scored]
        quotes = [[q for q, _ in index._quotes[fid]] for fid in self.fids]
        inner = [[_words(q, inner=True) for q in qs] for qs in quotes]
        freq = Counter(w for ws in inner for words in ws for w in words)
        self.signed: dict[str, int] = {}
        self.always = 0
        for i, ws in enumerate(inner):
            for words in ws:
                if words:
                    sig = min(words, key=lambda w: (freq[w], w))
                    self.signed[sig] = self.signed.get(sig, 0) | 1 << i
                else:
                    self.always |= 1 << i
        self.in_quotes: dict[str, int] = {}
        for i, qs in enumerate(quotes):
            for q in qs:
                for w in _words(q):
                    self.in_quotes[w] = self.in_quotes.get(w, 0) | 1 << i
        self.quote_words = frozenset(self.in_quotes)
        self.quoted_by = {w: m.bit_count() for w, m in self.in_quotes.items()}
        #: per sentence token count, per fact: :meth:`FactIndex._need` (-1 until wanted)
        self.needs: dict[int, list[int]] = {}

    def near(self, toks: frozenset[str], norm: str, limit: int) -> list[tuple[str, float, str]]:
        # the facts sharing one, two, and three or more tokens with the sentence
        one = two = three = 0
        for m in filter(None, map(self.masks.get, toks)):
            three |= two & m
            two |= one & m
            one |= m
        if not three:
            return []
        # the facts that may cite the same passage: a signature among the tokens, or a quote holding one of
        # three tokens when the sentence may lie within a quote
        same = reduce(or_, filter(None, map(self.signed.get, toks)), self.always)
        if len(norm) > 30:
            missing = toks - self.quote_words  # in no quote: each names no fact
            if len(missing) < 3:
                fewest = sorted(toks - missing, key=self.quoted_by.__getitem__)[: 3 - len(missing)]
                same = reduce(or_, map(self.in_quotes.__getitem__, fewest), same)
        index = self.index
        la = len(toks)
        needs = self.needs.get(la)
        if needs is None:
            needs = self.needs[la] = [-1] * len(self.fids)  # each worked out when first wanted
        ranked = None if three.bit_count() <= 50 else index._ranked(toks)
        ln = len(norm)
        long_norm = ln > 30
        bits = sum(map(self.token_bits.__getitem__, toks & self.known))
        quotes, scored, shared_with, fids = index._quotes, self.scored, self.shared_with, self.fids
        out: list[tuple[str, float, str]] = []
        while three:
            low = three & -three
            three ^= low
            i = low.bit_length() - 1
            fid = fids[i]
            if ranked is not None and fid not in ranked:
                continue
            if same & low:
                # as :meth:`FactIndex._look_at`, which the rest of this loop is too (inline)
                for q, lq in quotes[fid]:
                    if (lq <= ln and q in norm) or (long_norm and ln <= lq and norm in q):
                        break
                else:
                    q = ""
                if q:
                    out.append((fid, 1.0, "cites this same passage"))
                    continue
            need = needs[i]
            if need < 0:
                need = needs[i] = index._need(fid, la)
            if need > 3 and (bits & shared_with[i]).bit_count() < need:
                continue  # too few shared tokens for any of its statement and quotes to reach the threshold
            sim = 0.0
            for ts, lx in scored[i]:
                inter = (bits & ts).bit_count()
                if inter:
                    v = inter / (la + lx - inter)
                    small = la if la < lx else lx
                    if small >= 6:
                        contained = inter / small
                        if contained > v:
                            v = contained
                    if v > sim:
                        sim = v
            if sim >= NEAR_THRESHOLD:
                out.append((fid, round(sim, 2), "says much the same"))
        out.sort(key=lambda x: (-x[1], x[0]))
        return out[:limit]


REPEAT_THRESHOLD = 0.85
#: the most earlier candidates one token points a new candidate to (see :func:`first_repeats`)
REPEAT_POSTINGS = 16
#: a document with at most this many candidates (the import's default limit) gets the exact answer whatever its
#: words: at most 12.5 million comparisons of two int masks (well under a second where every sentence is like
#: every other)
REPEAT_EXACT_UP_TO = 5000
#: a set smaller than this is like another only when the two are equal (see :func:`similarity`)
_CONTAINED_FROM = 6


@cache
def _repeat_need(size: int) -> int:
    """The fewest shared tokens with which a set of ``size`` tokens (the smaller of two, at least
    :data:`_CONTAINED_FROM`) is REPEAT_THRESHOLD like the other: its containment, as :func:`similarity`
    computes it (containment is never below Jaccard)."""
    return next(i for i in range(1, size + 1) if i / size >= REPEAT_THRESHOLD)


def _rarest_first(item: tuple[str, int]) -> tuple[int, str]:
    return item[1], item[0]


def first_repeats(sets: Sequence[frozenset[str]], postings: int | None = REPEAT_POSTINGS, *,
                  exact_up_to: int = REPEAT_EXACT_UP_TO) -> list[int | None]:
    """Per candidate of one document (its content tokens, in document order): the position of the first
    earlier candidate it repeats (REPEAT_THRESHOLD :func:`similarity`), or None.

    The same answer as comparing each with every earlier candidate, without the quadratic cost.  The
    tokens are ordered rarest first over the whole document (equal counts in token order, so the answer
    does not depend on string hashing).  Two sets, the smaller of ``n`` tokens, are alike when they share
    at least ``need(n)`` tokens (:func:`_repeat_need`; below :data:`_CONTAINED_FROM` tokens only equal
    sets are), so the first token they share in that order lies within the first ``size - need(n) + 1``
    tokens of each.  Hence a new set A meets every earlier set B like it among:

    - the sets filed under one of A's first ``len(A) - need(len(A)) + 1`` tokens (B at least as large
      as A: all of B's tokens are filed), and
    - the sets filed under their *probe*, their first ``len(B) - need(len(B)) + 1`` tokens, that holds
      one of A's first ``len(A) - need(6) + 1`` tokens (B smaller than A).

    These are compared in document order, first to last, and the first alike is the answer.  Equal sets
    are filed once (the later ones get the first one's answer, or its position).

    A document of at most ``exact_up_to`` candidates gets the exact answer.  Past that the work per
    candidate is bounded, so an import stays linear in the size of the document: each token files at
    most ``postings`` sets, the first ones (``postings=None``: no bound).  While no token A looks up
    has had more than that many filed, the answer is still exact; past that a repeat may be missed,
    never invented: every repeat reported is one, and no earlier set among those looked at is like it."""
    freq = Counter(chain.from_iterable(dict.fromkeys(sets)))
    rank = {t: i for i, (t, _) in enumerate(sorted(freq.items(), key=_rarest_first))}
    bit = {t: 1 << i for t, i in rank.items()}  # a set as an int: the shared count is one AND and a bit count
    rank_of, bit_of = rank.__getitem__, bit.__getitem__
    cap = len(sets) + 1 if postings is None or len(sets) <= exact_up_to else postings
    small_reach = _repeat_need(_CONTAINED_FROM) - 1
    by_token: dict[str, list[int]] = {}
    by_probe: dict[str, list[int]] = {}
    masks: list[int] = []
    needs: list[int] = []
    firsts: list[int] = []
    answers: dict[frozenset[str], int] = {}
    out: list[int | None] = []
    token_get, probe_get = by_token.get, by_probe.get
    for pos, toks in enumerate(sets):
        if not toks:
            out.append(None)  # an empty set is like nothing (similarity 0)
            continue
        got = answers.get(toks)
        if got is not None:
            out.append(got)  # an equal set's answer, or that set's position
            continue
        size = len(toks)
        if size < _CONTAINED_FROM:
            answers[toks] = pos  # like an equal set only, and this is the first
            out.append(None)
            continue
        ordered = sorted(toks, key=rank_of)
        need = _repeat_need(size)
        probe = ordered[: size - need + 1]
        lists = [x for x in map(token_get, probe) if x]
        lists += [x for x in map(probe_get, ordered[: size - small_reach]) if x]
        mask = sum(map(bit_of, toks))
        found = None
        if lists:
            pool = sorted(set().union(*lists)) if len(lists) > 1 else lists[0]
            for i in pool:
                other = needs[i]  # the smaller set's need decides (need grows with size)
                if (mask & masks[i]).bit_count() >= (other if other < need else need):
                    found = i
                    break
        answer = None if found is None else firsts[found]
        answers[toks] = pos if answer is None else answer
        out.append(answer)
        idx = len(masks)
        masks.append(mask)
        needs.append(need)
        firsts.append(pos)
        for index, keys in ((by_probe, probe), (by_token, toks)):
            for t in keys:
                filed = index.get(t)
                if filed is None:
                    index[t] = [idx]
                elif len(filed) < cap:
                    filed.append(idx)
    return out
