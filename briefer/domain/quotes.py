"""Which part of a long quote a footnote keeps: the words that support the statement.

A footnote has room for about 180 characters of a quote.  Cutting after the
first 180 keeps whatever the passage happens to start with; the window kept
here is the run of whole words, at most ``limit`` characters long, that holds
the most of the statement's words (rarer, longer words count more), with an
ellipsis on each side where words were left out.  Pure function.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: a quote longer than this many characters is shortened in a footnote
LIMIT = 180

_STOP = frozenset((
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is",
    "are", "was", "were", "be", "been", "being", "this", "that", "these", "those", "it", "its", "their", "they",
    "them", "which", "who", "whom", "what", "when", "where", "how", "than", "then", "there", "also", "not",
    "no", "so", "such", "into", "over", "under", "about", "after", "before", "between", "during", "while",
    "will", "would", "can", "could", "may", "might", "must", "has", "have", "had", "do", "does", "did", "said",
    "says", "only", "some", "many", "most", "much", "more", "less", "very", "just", "all", "any", "each",
    "other", "both", "own", "same", "per", "via", "upon",
))

_WORD = re.compile(r"[\w\u2019'’-]+")
_EDGE = " ,;:\u2014\u2013-"


@lru_cache(maxsize=65536)  # the same words recur across a store's quotes and statements
def _norm(word: str) -> str:
    w = unicodedata.normalize("NFKC", word).lower().strip("'\u2019-")
    for suffix in ("ing", "ies", "es", "ed", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def _weights(target: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for m in _WORD.finditer(target):
        w = _norm(m.group(0))
        if len(w) < 3 or w in _STOP:
            continue
        out[w] = 1.0 + min(len(w), 12) / 6  # longer words say more
    return out


def quote_window(quote: str, target: str = "", limit: int = LIMIT) -> str:
    """``quote`` on one line; when longer than ``limit``, the window of it that best supports ``target``
    (the statement or the version the citation gives), with ellipses where words were cut."""
    quote = " ".join(quote.split())
    if len(quote) <= limit:
        return quote
    words = [(m.start(), m.end(), _norm(m.group(0))) for m in re.finditer(r"\S+", quote)]
    weights = _weights(target)
    scores = [sum(weights.get(_norm(t.group(0)), 0.0) for t in _WORD.finditer(quote[s:e])) for s, e, _ in words]
    room = limit - 2  # the ellipses
    best = (-1.0, 0, 0)
    j = 0
    total = 0.0
    for i in range(len(words)):
        if j < i:
            j, total = i, 0.0
        while j < len(words) and words[j][1] - words[i][0] <= room:
            total += scores[j]
            j += 1
        if j == i:  # one word longer than the room: keep it whole
            j, total = i + 1, scores[i]
        # the earliest window wins a tie, so with nothing to match this is the old cut
        if total > best[0]:
            best = (total, i, j)
        total -= scores[i]
    _score, i, j = best
    start, end = words[i][0], words[j - 1][1]
    text = quote[start:end]
    if end < len(quote):
        text = text.rstrip(_EDGE) + "\u2026"
    if start > 0:
        text = "\u2026" + text.lstrip(_EDGE)
    return text
