"""A source's sentence analysis, prepared once (when it is imported, or when its text, the glossary or
the word lists change) and kept in the store, so a finder run on a store just opened reads prepared rows
instead of reading every sentence again.

A prepared analysis holds, for one source text, under one glossary and word lists:

* the spans of the sentences of its body that hold anything a rule reads (glossary names, people with
  a role, names beside a Japanese name, proper titles, dates, counts, percentages, roles, heads,
  claim words); the other sentences cannot be on a side of any conflict and are left out;
* what each of those sentences holds, kind by kind (the readings the rules cache per sentence).

It is valid while the text (its SHA-1), the year of publication and :func:`analysis_digest` (glossary,
word lists, body rule, :data:`ANALYSIS_VERSION`) are the ones it was made with.  Kept as text, never
code, in a packed form read without a JSON parse of the whole row (:func:`encode`, :func:`decode`): the
numbers as one base64 block of 32-bit integers, then each reading's JSON, separated by U+001E (which
JSON never leaves unescaped).  A reading is parsed only when no earlier row gave the same one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
from array import array
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from itertools import compress, repeat
from typing import Any

from briefer.domain.conflicts import corpus as _corpus
from briefer.domain.conflicts.corpus import EMPTY, KEYED, _digest, _Memo
from briefer.domain.conflicts.words import finder_words
from briefer.domain.dates import DateMention
from briefer.domain.models import GlossaryEntry, Source
from briefer.domain.variance import ConflictWords, default_words

#: raise when a rule reads sentences differently (or the packed form changes): every prepared analysis
#: is then made again
ANALYSIS_VERSION = 2

Body = Callable[[str], list[tuple[int, int]]]


@dataclass(frozen=True)
class PreparedAnalysis:
    source_id: str
    text_sha1: str
    year: int | None
    digest: str
    #: {"spans": [start, end, start, end, ...], "values": [JSON of a reading, ...],
    #: "found": {kind: [i, v, i, v, ...]}, "keyed": {kind: [i, key, v, ...]}}: ``i`` the sentence's place
    #: among the spans, ``v`` its reading's place among the values (a reading many sentences give, such
    #: as a name or a date, is written once)
    data: dict[str, Any]

    def encoded(self) -> str:
        """The analysis as the store keeps it (see :func:`encode`)."""
        return encode(self.data)


#: the kinds in the packed form, in this order (the found ones, then the keyed ones)
_PACKED_KINDS = (*EMPTY, *KEYED)
_FORMAT = "P2"
_SEP = "\x1e"


def encode(data: dict[str, Any]) -> str:
    """``data`` packed: ``P2;<base64 of int32s>;<reading>\x1e<reading>...``.  The integers: the spans'
    count and the spans, then for each kind of :data:`_PACKED_KINDS` its entries' count and the entries
    (a keyed entry's extra value, the year or the body spoken of before, is written as a reading)."""
    values: list[str] = list(data["values"])
    extras = {raw: i for i, raw in enumerate(values)}  # a JSON written once, whatever reads it
    ints = [len(data["spans"]), *data["spans"]]
    for kind in _PACKED_KINDS:
        if kind in KEYED:
            entries = data["keyed"].get(kind, [])
            flat: list[int] = []
            for j in range(0, len(entries), 3):
                raw = _JSON(entries[j + 1])
                at = extras.get(raw)
                if at is None:
                    at = extras[raw] = len(values)
                    values.append(raw)
                flat += (entries[j], at, entries[j + 2])
        else:
            flat = list(data["found"].get(kind, []))
        ints.append(len(flat))
        ints += flat
    packed = array("i", ints)
    if sys.byteorder != "little":
        packed.byteswap()
    return f"{_FORMAT};{base64.b64encode(packed.tobytes()).decode('ascii')};{_SEP.join(values)}"


#: JSON of a keyed entry's extra value -> the value (a year, a body's name, None)
_EXTRAS: dict[str, Any] = {}


def decode(text: str) -> dict[str, Any]:
    """What :func:`encode` packed, with the readings left as their JSON (parsed when read into a memo);
    ValueError when ``text`` is not such a row (the row is then made again)."""
    try:
        tag, b64, rest = text.split(";", 2)
        if tag != _FORMAT:
            raise ValueError("another format")
        packed = array("i")
        packed.frombytes(base64.b64decode(b64, validate=True))
        if sys.byteorder != "little":
            packed.byteswap()
        ints = packed.tolist()
        values = rest.split(_SEP) if rest else []
        n = ints[0]
        at = 1 + n
        spans = ints[1:at]
        found: dict[str, list[int]] = {}
        keyed: dict[str, list[Any]] = {}
        for kind in _PACKED_KINDS:
            n = ints[at]
            flat = ints[at + 1 : at + 1 + n]
            if len(flat) != n:
                raise ValueError("truncated")
            at += 1 + n
            if not flat:
                continue
            step = 3 if kind in KEYED else 2
            # every entry names a kept sentence and a reading the row holds
            if min(flat) < 0 or max(flat[::step]) >= len(spans) // 2 or max(flat[step - 1 :: step]) >= len(values):
                raise ValueError("an entry out of range")
            if kind in KEYED:
                raws = list(map(values.__getitem__, flat[1::3]))
                extras = list(map(_EXTRAS.get, raws, repeat(_NONE)))
                if _NONE in extras:
                    for j, raw in enumerate(raws):
                        if extras[j] is _NONE:
                            extras[j] = _EXTRAS.setdefault(raw, json.loads(raw))
                flat[1::3] = extras
                keyed[kind] = flat
            else:
                found[kind] = flat
        if at != len(ints) or len(spans) % 2:
            raise ValueError("extra numbers")
    except (ValueError, IndexError, TypeError, UnicodeError) as exc:
        raise ValueError(f"not a prepared analysis: {exc}") from None
    return {"spans": spans, "values": values, "found": found, "keyed": keyed}


_NONE = object()


def from_row(source_id: str, sha1: str, year: int | None, digest: str, text: str) -> PreparedAnalysis | None:
    """A kept row as an analysis, or None when it cannot be read (it is made again)."""
    try:
        return PreparedAnalysis(source_id, sha1, year, digest, decode(text))
    except ValueError:
        return None


def text_sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _year(source: Source) -> int | None:
    return source.published.year if source.published else None


def analysis_digest(glossary: list[GlossaryEntry], words: ConflictWords | None = None,
                    body: Body | None = None) -> str:
    """What every prepared analysis depends on besides its own text: the glossary, the word lists, the
    body rule (which part of a text is its body) and the version of the rules."""
    words = words or default_words()
    ident = f"{getattr(body, '__module__', '')}.{getattr(body, '__qualname__', '')}" if body else ""
    raw = f"{ANALYSIS_VERSION}|{_digest(glossary, words)}|{finder_words().digest()}|{ident}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def stamp(source: Source, digest: str) -> tuple[str, int | None, str]:
    """What a current analysis of ``source`` was made from: its text's SHA-1, its year, the digest."""
    return (_sha1_of(source.text), _year(source), digest)


def is_current(p: PreparedAnalysis | None, source: Source, digest: str, sha1: str | None = None) -> bool:
    return (p is not None and p.digest == digest and p.year == _year(source)
            and p.text_sha1 == (sha1 or _sha1_of(source.text)))


# -- encoding one kind's reading as JSON, and back -----------------------------------------------------


def _encode(kind: str, value: Any) -> Any:
    if kind == "people":
        return [[g, f, sorted(ctx)] for g, f, ctx in value]
    if kind == "dates":
        return [[subject, action, [d.start, d.end, d.text, d.first.isoformat(), d.last.isoformat(), d.precision,
                                   d.year_inferred]] for subject, action, d in value]
    if kind == "claim-read":
        hint, bodies, laws, taken = value
        return [hint, list(bodies), list(laws), [list(t) for t in taken]]
    return [list(v) if isinstance(v, tuple) else v for v in value]


def _decode(kind: str, raw: Any) -> Any:
    if kind == "people":
        return [(g, f, set(ctx)) for g, f, ctx in raw]
    if kind == "dates":
        return [(subject, action, DateMention(m[0], m[1], m[2], date.fromisoformat(m[3]), date.fromisoformat(m[4]),
                                              m[5], m[6])) for subject, action, m in raw]
    if kind == "claim-read":
        hint, bodies, laws, taken = raw
        return (hint, bodies, laws, [tuple(t) for t in taken])
    return [tuple(v) if isinstance(v, list) else v for v in raw]


class _Capture(_Memo):
    """A run's memo that records every reading it gives, whether read now or already known to ``parent``
    (this process's memo for the same glossary and word lists)."""

    def __init__(self, parent: _Memo) -> None:
        super().__init__()
        self.parent = parent
        #: (source id, sentence, body spoken of before) of every reading of heads a source needed
        self.heads_used: set[tuple[str, str, str | None]] = set()

    def __missing__(self, key: tuple[str, Any]) -> Any:
        value = self.parent[key]  # KeyError when not known: read it
        self[key] = value
        return value


def _holds(kind: str, value: Any) -> bool:
    if kind == "claim-read":
        return any(value)
    return bool(value)


def analyse_source(source: Source, glossary: list[GlossaryEntry], words: ConflictWords | None = None, *,
                   body: Body | None = None, digest: str | None = None) -> PreparedAnalysis:
    """Read one source's sentences as the finder does, and keep what they hold."""
    return analyse_sources([source], glossary, words, body=body, digest=digest)[0]


def analyse_sources(sources: list[Source], glossary: list[GlossaryEntry], words: ConflictWords | None = None, *,
                    body: Body | None = None, digest: str | None = None) -> list[PreparedAnalysis]:
    """Read these sources' sentences as the finder does (in one pass: a sentence several of them hold is
    read once), and keep what each holds.  What is read also goes into this process's memory, so a finder
    run right after does not read it again."""
    from briefer.domain.conflicts.finder import _find_all

    if not sources:
        return []
    words = words or default_words()
    digest = digest or analysis_digest(glossary, words, body)
    shared = _corpus._memo_for(_digest(glossary, words))
    capture = _Capture(shared)
    previous = getattr(_corpus._RUN, "memo", None)
    _corpus._RUN.memo = capture
    try:
        with _corpus.no_collection():
            read = _corpus._Corpus(sources, [], body)
            _find_all(read, glossary, words)
    finally:
        _corpus._RUN.memo = previous
    for k, v in capture.items():
        if not dict.__contains__(shared, k):
            shared[k] = v
    keyed_of: dict[str, list[tuple[str, Any, Any]]] = {}
    for (kind, key), value in capture.items():
        if kind in KEYED:
            keyed_of.setdefault(key[0], []).append((kind, key[1], value))
    try:
        out = [_kept(s, read.by_source[s.id], _corpus._split(s.text, body), capture, keyed_of, digest)
               for s in sources]
    finally:
        _ENCODED.clear()
    # a finder run right after reads them from here, not from the store
    for s, p in zip(sources, out, strict=True):
        flat = p.data["spans"]
        kept = [(a, b, s.text[a:b]) for a, b in zip(flat[::2], flat[1::2], strict=True)]
        shared.loaded[(p.source_id, p.text_sha1, p.year, p.digest)] = kept
        shared.covered.update(t for _a, _b, t in kept)
    return out


_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
#: (kind, id of a reading) -> (the reading, its JSON), for one analyse_sources call
_ENCODED: dict[tuple[str, int], tuple[Any, str]] = {}


def _kept(source: Source, sentences: list[Any], spans: list[tuple[int, int]], capture: _Capture,
          keyed_of: dict[str, list[tuple[str, Any, Any]]], digest: str) -> PreparedAnalysis:
    """One source's prepared analysis, from what a pass over it read."""
    year = _year(source)
    sid, heads_used = source.id, capture.heads_used
    values: dict[str, int] = {}

    def value_at(kind: str, value: Any) -> int:
        # a reading many sentences share is one object in the memo: written once
        k = (kind, id(value))
        raw = _ENCODED.get(k)
        if raw is None or raw[0] is not value:
            raw = _ENCODED[k] = (value, _JSON(_encode(kind, value)))
        return values.setdefault(raw[1], len(values))

    found: dict[str, list[Any]] = {}
    keyed: dict[str, list[Any]] = {}
    keep: list[int] = []  # indexes of the sentences kept
    kept: dict[str, bool] = {}
    for i, s in enumerate(sentences):
        text = s.text
        was = kept.get(text)
        if was is None:
            at = len(keep)
            # a percentage: the figure rule reads every such sentence itself
            holds = "%" in text or "cent" in text
            for kind in EMPTY:
                value = capture.get((kind, text))
                if value is not None and _holds(kind, value):
                    holds = True
                    found.setdefault(kind, []).extend((at, value_at(kind, value)))
            # the readings of these this source needs are kept, empty ones too (they are read only for
            # some sentences, each of which holds a date or a word of heading): a date is read with this
            # source's year, a sentence naming a head with the body this source spoke of before it
            for kind, extra, value in keyed_of.get(text, ()):
                if kind == "dates" and extra != year:
                    continue
                holds = True
                if kind == "heads" and (sid, text, extra) not in heads_used:
                    continue
                keyed.setdefault(kind, []).extend((at, extra, value_at(kind, value)))
            kept[text] = was = holds
        if was:
            keep.append(i)
    data = {"spans": [x for i in keep for x in spans[i]], "values": list(values), "found": found, "keyed": keyed}
    return PreparedAnalysis(source.id, _sha1_of(source.text), year, digest, data)


#: kind -> JSON of a reading -> the reading: the same reading in many rows is decoded once (bounded)
_DECODED: dict[str, dict[str, Any]] = {}


def _readings(kind: str, raws: list[str]) -> list[Any]:
    """The readings of ``kind`` written as ``raws`` (no reading is None)."""
    cache = _DECODED.get(kind)
    if cache is None or len(cache) > 200_000:
        cache = _DECODED[kind] = {}
    out = list(map(cache.get, raws))
    if None in out:
        for j, raw in enumerate(raws):
            if out[j] is None:
                value = cache.get(raw)
                if value is None:
                    value = cache[raw] = _decode(kind, json.loads(raw))
                out[j] = value
    return out


def load_into_memo(memo: _Memo, analyses: Iterable[tuple[Source, PreparedAnalysis]]) -> None:
    """Put prepared readings into a run's memo, and each source's kept sentence spans into ``memo.loaded``.
    A reading the memo holds already (the same sentence in an earlier row: the same reading) is kept."""
    covered = memo.covered
    for source, p in analyses:
        text = source.text
        data = p.data
        flat = data["spans"]
        starts, ends = flat[::2], flat[1::2]
        texts = list(map(text.__getitem__, map(slice, starts, ends)))
        kept = list(zip(starts, ends, texts, strict=True))
        values = data["values"]
        new: dict[tuple[str, Any], Any] = {}
        get_text, get_value = texts.__getitem__, values.__getitem__
        # a sentence an earlier row covered has its readings of every found kind in the memo already
        fresh = [not c for c in map(covered.__contains__, texts)]
        some_fresh = any(fresh)
        for kind, entries in data["found"].items():
            if not some_fresh:
                break
            at, vi = entries[0::2], entries[1::2]
            if not all(fresh):
                keep = list(map(fresh.__getitem__, at))
                at, vi = list(compress(at, keep)), list(compress(vi, keep))
            read = _readings(kind, list(map(get_value, vi)))
            new.update(zip(zip(repeat(kind), map(get_text, at), strict=False), read, strict=True))
        for kind, entries in data["keyed"].items():
            read = _readings(kind, list(map(get_value, entries[2::3])))
            keys = zip(map(get_text, entries[0::3]), entries[1::3], strict=True)
            new.update(zip(zip(repeat(kind), keys, strict=False), read, strict=True))
        for k in [k for k in new if k in memo]:
            del new[k]
        memo.update(new)
        # last: another thread's run may read this memo, and a covered sentence without an entry of a
        # kind holds nothing of it
        covered.update(texts)
        memo.loaded[(p.source_id, p.text_sha1, p.year, p.digest)] = kept


#: (len, hash) of a text -> its SHA-1 (texts are hashed once a process)
_SHA1: dict[tuple[int, int], str] = {}


def _sha1_of(text: str) -> str:
    k = (len(text), hash(text))
    h = _SHA1.get(k)
    if h is None:
        if len(_SHA1) > 50_000:
            _SHA1.clear()
        h = _SHA1[k] = text_sha1(text)
    return h


#: what a finder run is given: the prepared analyses, or a function giving them for the sources it asks for
Prepared = Mapping[str, PreparedAnalysis] | Callable[[list[Source]], Mapping[str, PreparedAnalysis]]


def prepared_spans(memo: _Memo, sources: list[Source], prepared: Prepared, digest: str
                   ) -> dict[str, list[tuple[int, int, str]]]:
    """Source id -> its kept sentences (start, end, text), for each source with a current prepared analysis
    (read into ``memo`` unless it is there already); the other sources are read in full."""
    out: dict[str, list[tuple[int, int, str]]] = {}
    wanted: list[tuple[Source, str]] = []
    for s in sources:
        sha1 = _sha1_of(s.text)
        spans = memo.loaded.get((s.id, sha1, _year(s), digest))
        if spans is not None:
            out[s.id] = spans
        else:
            wanted.append((s, sha1))
    if not wanted:
        return out
    rows = prepared([s for s, _ in wanted]) if callable(prepared) else prepared
    current: list[tuple[Source, PreparedAnalysis]] = []
    for s, sha1 in wanted:
        p = rows.get(s.id)
        if p is not None and is_current(p, s, digest, sha1):
            current.append((s, p))
    load_into_memo(memo, current)
    for s, p in current:
        out[s.id] = memo.loaded[(p.source_id, p.text_sha1, p.year, p.digest)]
    return out


def usable(sources: Iterable[Source], analyses: Mapping[str, PreparedAnalysis], digest: str
           ) -> tuple[list[tuple[Source, PreparedAnalysis]], list[Source]]:
    """The sources whose prepared analysis is current (with it), and those that need one made."""
    ok: list[tuple[Source, PreparedAnalysis]] = []
    stale: list[Source] = []
    for s in sources:
        p = analyses.get(s.id)
        if p is not None and is_current(p, s, digest, _sha1_of(s.text)):
            ok.append((s, p))
        else:
            stale.append(s)
    return ok, stale
