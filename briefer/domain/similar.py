"""Near-duplicate claims: two facts that say the same thing in other words.

The fact pack is curated so that each claim is one fact, but sections are
written apart (a press conference told as Headquarters news and again as a
risk), so a briefing that takes both would say it twice.  Composition keeps
the first and leaves the other out; this module is the one rule for "the
same claim".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9]+")
#: words that carry no claim: function words and attribution verbs
_STOP_WORDS = (
    "the a an of and or to in on for by with as at is are was were be been that this it its from which their "
    "than also not but has have had will would can may could one report reports says said say according "
    "news newsletter analysis white paper sources source")
_STOP = frozenset(_STOP_WORDS.split())
#: share of the content words two statements hold in common (Jaccard) from which they are one claim
SAME_CLAIM_JACCARD = 0.5
#: or: share of the shorter statement's content words the longer one repeats
SAME_CLAIM_CONTAINED = 0.8
#: statements with fewer content words than this are never judged by containment
_MIN_WORDS = 5


@lru_cache(maxsize=8192)
def claim_words(text: str) -> frozenset[str]:
    """The content words of a statement (lower case, no function or attribution words)."""
    return frozenset(w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2)


def same_claim(a: frozenset[str], b: frozenset[str]) -> bool:
    """True when two statements' content words show they make the same claim."""
    return _judge(len(a & b), len(a), len(b))


def _judge(common: int, na: int, nb: int) -> bool:
    """The rule of :func:`same_claim`, from the number of content words two statements share and their sizes."""
    if not na or not nb:
        return False
    if common / (na + nb - common) >= SAME_CLAIM_JACCARD:
        return True
    small = min(na, nb)
    return small >= _MIN_WORDS and common / small >= SAME_CLAIM_CONTAINED


#: every word set seen, and for each the others that make the same claim: a briefing resolved again
#: after one edit compares only the edited statement with the rest
_KNOWN: dict[frozenset[str], set[frozenset[str]]] = {}
_MAX_KNOWN = 20_000
#: each content word seen, numbered; a word set is also kept as the bits of its words' numbers, so two
#: sets' common words are one AND and a bit count (2,000 statements are two million comparisons)
_BIT: dict[str, int] = {}
_SEEN: list[tuple[int, int, frozenset[str]]] = []  # (bits, size, word set), one per word set in _KNOWN


def _bits(words: frozenset[str]) -> int:
    out = 0
    for w in words:
        b = _BIT.get(w)
        if b is None:
            b = _BIT[w] = len(_BIT)
        out |= 1 << b
    return out


def _matches(words: frozenset[str]) -> set[frozenset[str]]:
    hits = _KNOWN.get(words)
    if hits is None:
        if len(_KNOWN) >= _MAX_KNOWN:
            _KNOWN.clear()
            _SEEN.clear()
            _BIT.clear()
        bits, size = _bits(words), len(words)
        hits = set()
        for other_bits, n, other in _SEEN:
            c2 = (bits & other_bits).bit_count() * 2
            # both parts of the rule need at least half the smaller statement's words in common: the
            # rest are not one claim, and most pairs stop here
            if (c2 >= size or c2 >= n) and _judge(c2 // 2, size, n):
                hits.add(other)
        for other in hits:
            _KNOWN[other].add(words)
        _KNOWN[words] = hits
        _SEEN.append((bits, size, words))
    return hits


def first_of_each_claim(statements: Iterable[tuple[str, str]]) -> dict[str, str]:
    """For (id, statement) pairs in reading order: {id of a repeat: id of the earlier fact it repeats}."""
    # each word set kept, with the place and id of the first fact that made it: a repeat points to the
    # earliest kept fact whose words are its own or make the same claim (looked up, not compared one by one)
    kept: dict[frozenset[str], tuple[int, str]] = {}
    repeats: dict[str, str] = {}
    for fid, text in statements:
        words = claim_words(text)
        matches = _matches(words)  # the other word sets that make this claim (never ``words`` itself)
        hits = [kept[m] for m in matches if m in kept]
        if words and words in kept:
            hits.append(kept[words])
        if hits:
            repeats[fid] = min(hits)[1]
        else:
            kept.setdefault(words, (len(kept), fid))
    return repeats
