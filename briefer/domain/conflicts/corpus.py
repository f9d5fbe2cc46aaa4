"""The text the finder reads: every source's body split into sentences, each with the facts whose
quotes it holds, and what is kept between runs (in this process's memory) so the same sentence is
read once."""

from __future__ import annotations

import gc
import hashlib
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Any, TypeVar

from briefer.domain import sentences as sent
from briefer.domain.models import Fact, GlossaryEntry, Source
from briefer.domain.provenance import _index, normalise

_RUN = threading.local()
_T = TypeVar("_T")


def _cached(kind: str, key: Any, compute: Callable[[], _T]) -> _T:
    """What ``compute`` gives for ``key``, once per finder run: the same sentence (a store holds many
    copies of a syndicated or repeated sentence) is read once."""
    memo: dict[tuple[str, Any], Any] | None = getattr(_RUN, "memo", None)
    if memo is None:
        return compute()
    k = (kind, key)
    try:
        return memo[k]  # type: ignore[no-any-return]
    except KeyError:
        value = memo[k] = compute()
        return value


class _Memo(dict[tuple[str, Any], Any]):
    """What each distinct sentence holds, by (kind, sentence).  A sentence read in a prepared analysis
    (see :mod:`.prepared`) that holds nothing of a kind has no entry: that kind's empty answer is given."""

    def __init__(self) -> None:
        super().__init__()
        #: sentences whose readings of every per-sentence kind came from a prepared analysis
        self.covered: set[str] = set()
        #: (source id, text SHA-1, year, analysis digest) -> its kept sentences (start, end, text), for each
        #: prepared analysis read into this memo
        self.loaded: dict[tuple[str, str, int | None, str], list[tuple[int, int, str]]] = {}

    def __missing__(self, key: tuple[str, Any]) -> Any:
        empty = EMPTY.get(key[0], _NO_DEFAULT)
        if empty is _NO_DEFAULT or key[1] not in self.covered:
            raise KeyError(key)
        return empty


_NO_DEFAULT = object()
#: the per-sentence kinds a prepared analysis holds, keyed by the sentence alone, and each one's empty answer
EMPTY: dict[str, Any] = {"gloss": (), "people": (), "japanese": (), "titles": (), "any-date": (), "counts": (),
                         "roles": (), "claim-read": (False, (), (), ())}
#: the kinds keyed by the sentence and one more value (the source's year; the body spoken of before)
KEYED = ("dates", "heads")

#: per glossary and word lists: what each distinct sentence holds, kept between runs (bounded)
_MEMOS: dict[str, _Memo] = {}


def _digest(glossary: list[GlossaryEntry], words: Any) -> str:
    return hashlib.sha1(repr(([g.model_dump() for g in glossary], words)).encode("utf-8")).hexdigest()


def _memo_for(digest: str) -> _Memo:
    memo = _MEMOS.get(digest)
    if memo is None or len(memo) > 2_000_000:
        _MEMOS.clear()  # another glossary: what was found with the old one no longer holds
        memo = _MEMOS[digest] = _Memo()
    return memo


@dataclass(slots=True)
class _Sentence:
    source: str
    text: str
    facts: list[str]


_SPLITS: dict[tuple[int, int, str], list[tuple[int, int]]] = {}


def _split(text: str, body: Callable[[str], list[tuple[int, int]]] | None) -> list[tuple[int, int]]:
    """The sentence spans of a source's body; kept between runs (a store's sources rarely change, and the
    window looks for conflicts again after every resolution)."""
    key = (len(text), hash(text), getattr(body, "__qualname__", "") if body else "")
    spans = _SPLITS.get(key)
    if spans is None:
        if len(_SPLITS) > 20000:
            _SPLITS.clear()
        spans = [span for bs, be in (body(text) if body else [(0, len(text))]) for span in sent.split(text, bs, be)]
        _SPLITS[key] = spans
    return spans


#: a source's sentences, with the facts quoting each, kept between runs (same text, same quotes)
_SOURCE_SENTENCES: dict[tuple[Any, ...], list[_Sentence]] = {}


def occ_norm(text: str) -> str:
    return _cached("norm", text, lambda: normalise(text))


class _Corpus:
    """The sentences of every source's body, each with the facts whose quotes it holds."""

    def __init__(self, sources: list[Source], facts: list[Fact],
                 body: Callable[[str], list[tuple[int, int]]] | None,
                 prepared: Mapping[str, list[tuple[int, int, str]]] | None = None, prepared_digest: str = ""
                 ) -> None:
        """``prepared``: source id -> its sentences (start, end, text) that hold anything the rules read (from a
        prepared analysis with digest ``prepared_digest``, whose readings are in the run's memo): only
        those are kept."""
        self.sources = {s.id: s for s in sources}
        cites: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for f in facts:
            for c in f.citations:
                cites[c.source].append((f.id, c.quote))
        self.by_source: dict[str, list[_Sentence]] = {}
        #: sentence text -> every copy of it, in source order
        self.distinct: dict[str, list[_Sentence]] = {}
        distinct = self.distinct
        for s in sources:
            text = s.text
            quotes = cites.get(s.id, [])
            spans = prepared.get(s.id) if prepared else None
            key = (s.id, len(text), hash(text), getattr(body, "__qualname__", "") if body else "", tuple(quotes),
                   prepared_digest if spans is not None else None)
            sentences = _SOURCE_SENTENCES.get(key)
            if sentences is None:
                sentences = self._sentences(s.id, text, quotes, body, spans)
                if len(_SOURCE_SENTENCES) > 20000:
                    _SOURCE_SENTENCES.clear()
                _SOURCE_SENTENCES[key] = sentences
            self.by_source[s.id] = sentences
            for x in sentences:
                occ = distinct.get(x.text)
                if occ is None:
                    distinct[x.text] = [x]
                else:
                    occ.append(x)

    @staticmethod
    def _sentences(source_id: str, text: str, quotes: list[tuple[str, str]],
                   body: Callable[[str], list[tuple[int, int]]] | None,
                   only: list[tuple[int, int, str]] | None = None) -> list[_Sentence]:
        spans: list[tuple[str, int, int]] = []
        if quotes:
            idx = _index(text)
            for fid, quote in quotes:
                needle = normalise(quote)
                pos = idx.norm.find(needle) if needle else -1
                if pos >= 0:
                    spans.append((fid, idx.offsets[pos], idx.offsets[pos + len(needle) - 1] + 1))
        read = only if only is not None else [(a, b, text[a:b]) for a, b in _split(text, body)]
        if not spans:
            return [_Sentence(source_id, t, []) for _a, _b, t in read]
        sentences: list[_Sentence] = []
        for ss, se, t in read:
            linked = [fid for fid, qs, qe in spans if qs < se and ss < qe]
            sentences.append(_Sentence(source_id, t, linked))
        return sentences

    def all(self) -> Iterable[_Sentence]:
        for sents in self.by_source.values():
            yield from sents

    def hits(self, kind: str, compute: Callable[[str], list[_T]]) -> Iterable[tuple[list[_T], list[_Sentence]]]:
        """For each distinct sentence for which ``compute`` finds something: what it found, and every
        copy of that sentence (each text is read once, however many sources repeat it)."""
        for text, occ in self.distinct.items():
            found = _cached(kind, text, partial(compute, text))
            if found:
                yield found, occ


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    body = re.escape(normalise(name)).replace(r"\ ", r"\s+")
    sensitive = sum(c.isupper() for c in name) >= 2 and len(name) <= 8
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", 0 if sensitive else re.IGNORECASE)


def _entity_mentions(text: str, patterns: list[tuple[GlossaryEntry, str, re.Pattern[str]]]
                     ) -> list[tuple[int, int, GlossaryEntry]]:
    return _cached(f"mentions{id(patterns)}", text, lambda: _find_mentions(text, patterns))


def _find_mentions(text: str, patterns: list[tuple[GlossaryEntry, str, re.Pattern[str]]]
                   ) -> list[tuple[int, int, GlossaryEntry]]:
    found: list[tuple[int, int, GlossaryEntry]] = []
    lowered = occ_norm(text).lower()
    needles = _cached(f"needles{id(patterns)}", None,
                      lambda: [(name.lower(), normalise(name).lower()) for _g, name, _p in patterns])
    for (g, _name, pat), (low, norm_low) in zip(patterns, needles, strict=True):
        if low not in lowered and norm_low not in lowered:
            continue
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e, _ in found):
                continue
            found.append((m.start(), m.end(), g))
    return sorted(found, key=lambda x: x[0])


@contextmanager
def no_collection() -> Iterator[None]:
    """The cyclic garbage collector paused while a run allocates its many small containers (it would
    scan them over and over and find nothing to free: a run makes no cycles to collect)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def clear_caches() -> None:
    """Forget the sentences and readings kept between runs."""
    _MEMOS.clear()
    _SPLITS.clear()
    _SOURCE_SENTENCES.clear()
