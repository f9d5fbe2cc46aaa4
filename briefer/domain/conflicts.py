"""Finding likely contradictions between sources, and which facts they touch.

Four kinds, each found by a rule an analyst can read and check:

* **name** — one person, body, law or document under different names.  From
  the glossary's alias table (every recorded name a source uses), and, for
  names the glossary does not know yet: two people with the same given name
  and the same role ("Minoru Kiuchi, … economic security minister" and
  "Minister of Economic Affairs and Security Minoru Jonouchi"), and proper
  names that differ only in a word's ending, an abbreviation or a few words
  around the same head noun ("AI Strategy Headquarters" / "AI Strategic
  Headquarters"; the Act's English title renderings).
* **date** — different dates for the same event (a named summit, conference
  or meeting, or a law/body/document with the same action: passed,
  established, published …).  A finer date inside a coarser one agrees
  ("September 1" within "early September 2025"); two different spans of the
  same precision do not ("February 2025" / "January–February 2025").
* **number** — different counts for the same thing ("four pillars" /
  "five pillars" of the same plan).
* **claim** — different answers to the same question: who heads a body,
  and whether a law has penalties ("no penalties" / "no heavy penalties").

A conflict is *resolved* when the analyst recorded a resolution (a fact
marked disputed or superseded with a reason, an alias, or "not a
conflict"), when all its names are one glossary entry (an alias recorded),
or when a fact on one of its sides is already marked disputed or superseded.

Pure functions: sources, facts, glossary and resolutions in, conflicts out.

Speed (``benchmarks/bench_curation.py``): what is kept between runs lives in this process's memory,
filled by any run (in the window, the main window's conflict pass after the store opens):
a source's sentence spans and sentences (by its text), what each distinct sentence holds (by the
glossary and word lists), and the conflicts found before judging (by every source's id, text and year,
every fact's quotes, the glossary and word lists), so a run after a resolution only judges again.
``clear_caches()`` forgets it all.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Any, Protocol, TypeVar

from briefer.domain import sentences as sent
from briefer.domain.dates import _ANY as _ANY_DATE
from briefer.domain.dates import DateMention, find_dates
from briefer.domain.models import Fact, FactStatus, GlossaryEntry, Source
from briefer.domain.provenance import _index, normalise
from briefer.domain.variance import ConflictWords, default_words


class ResolutionLike(Protocol):
    key: str
    action: str
    fact_id: str | None
    other_fact_id: str | None
    alias: str | None
    reason: str
    analyst: str
    resolved_at: str


@dataclass
class Side:
    #: what this side says: a name, a date, a number, an answer
    value: str
    sources: list[str] = field(default_factory=list)
    #: (source id, the sentence saying it)
    quotes: list[tuple[str, str]] = field(default_factory=list)
    #: facts whose citations quote those sentences
    facts: list[str] = field(default_factory=list)

    def add(self, source_id: str, sentence: str, facts: Iterable[str]) -> None:
        # sets beside the lists: a side of a big store gathers thousands of sentences
        d = self.__dict__
        seen = d.get("_seen")
        if seen is None:
            seen = d["_seen"] = {("s", x) for x in self.sources} | {("q", x) for x in self.quotes} \
                | {("f", x) for x in self.facts}
            d["_quote_facts"] = {}
        if ("s", source_id) not in seen:
            seen.add(("s", source_id))
            self.sources.append(source_id)
        q = (source_id, sentence)
        if ("q", q) not in seen:
            seen.add(("q", q))
            self.quotes.append(q)
        if facts:
            per_quote = d["_quote_facts"].setdefault(q, [])
            for f in facts:
                if f not in per_quote:
                    per_quote.append(f)
                if ("f", f) not in seen:
                    seen.add(("f", f))
                    self.facts.append(f)


    def add_all(self, sentences: Iterable[Any]) -> None:
        """``add`` for each of ``sentences`` (objects with ``source``, ``text`` and ``facts``)."""
        add = self.add
        for s in sentences:
            add(s.source, s.text, s.facts)


@dataclass
class Conflict:
    key: str
    #: "name", "date", "number" or "claim"
    kind: str
    #: what it is about: an entity, "X: date", "X: head", "X: penalties"
    subject: str
    #: the question the sides answer differently, in a sentence
    question: str
    sides: list[Side]
    #: the rule that found it
    basis: str
    status: str = "open"
    #: how it was resolved, in a sentence ("" while open)
    resolution: str = ""
    #: glossary entity id, when the conflict is about one
    entity: str | None = None
    #: which of the four cases it is: "disagreement" (between sources), "self-contradiction" (one source
    #: says both), "alias" (one name, rendered differently) or "minor" (too small to matter)
    case: str = "disagreement"
    #: for a self-contradiction: the source contradicting itself
    source: str | None = None

    @property
    def open(self) -> bool:
        return self.status == "open"

    @property
    def facts(self) -> list[str]:
        out: list[str] = []
        for s in self.sides:
            out += [f for f in s.facts if f not in out]
        return out

    @property
    def sources(self) -> list[str]:
        out: list[str] = []
        for s in self.sides:
            out += [x for x in s.sources if x not in out]
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key, "kind": self.kind, "subject": self.subject, "question": self.question,
            "basis": self.basis, "status": self.status, "resolution": self.resolution, "entity": self.entity,
            "case": self.case, "source": self.source,
            "sides": [{"value": s.value, "sources": s.sources, "facts": s.facts,
                       "quotes": [{"source": q[0], "text": q[1]} for q in s.quotes]} for s in self.sides],
        }


#: the four cases as a reader says them
CASE_TEXT = {"disagreement": "disagreement between sources", "self-contradiction": "one source contradicting itself",
             "alias": "one name rendered differently (an alias, not a dispute)",
             "minor": "difference too small to matter"}

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


#: per glossary and word lists: what each distinct sentence holds, kept between runs (bounded)
_MEMOS: dict[str, dict[tuple[str, Any], Any]] = {}


def _digest(glossary: list[GlossaryEntry], words: Any) -> str:
    return hashlib.sha1(repr(([g.model_dump() for g in glossary], words)).encode("utf-8")).hexdigest()


def _memo_for(digest: str) -> dict[tuple[str, Any], Any]:
    memo = _MEMOS.get(digest)
    if memo is None or len(memo) > 400_000:
        _MEMOS.clear()  # another glossary: what was found with the old one no longer holds
        memo = _MEMOS[digest] = {}
    return memo


def _quoted(sides: list[Side]) -> str:
    return ", ".join(f"\u201c{s.value}\u201d" for s in sides)


def conflict_key(kind: str, subject: str, values: Iterable[str]) -> str:
    """Stable for the same disagreement; a new disagreeing value makes a new key (so it is looked at again)."""
    digest = hashlib.sha1("|".join(sorted(v.lower() for v in values)).encode("utf-8")).hexdigest()[:8]
    slug = re.sub(r"[^a-z0-9]+", "-", subject.lower()).strip("-")[:50]
    return f"{kind}:{slug}:{digest}"


# -- text units ------------------------------------------------------------------------


@dataclass(slots=True)
class _Sentence:
    source: str
    text: str
    start: int
    end: int
    index: int
    facts: list[str]
    _norm: str | None = None

    @property
    def norm(self) -> str:
        if self._norm is None:
            self._norm = _cached("norm", self.text, lambda: normalise(self.text))
        return self._norm


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
                 body: Callable[[str], list[tuple[int, int]]] | None) -> None:
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
            key = (s.id, len(text), hash(text), getattr(body, "__qualname__", "") if body else "", tuple(quotes))
            sentences = _SOURCE_SENTENCES.get(key)
            if sentences is None:
                sentences = self._sentences(s.id, text, quotes, body)
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
                   body: Callable[[str], list[tuple[int, int]]] | None) -> list[_Sentence]:
        spans: list[tuple[str, int, int]] = []
        if quotes:
            idx = _index(text)
            for fid, quote in quotes:
                needle = normalise(quote)
                pos = idx.norm.find(needle) if needle else -1
                if pos >= 0:
                    spans.append((fid, idx.offsets[pos], idx.offsets[pos + len(needle) - 1] + 1))
        sentences: list[_Sentence] = []
        for ss, se in _split(text, body):
            linked = [fid for fid, qs, qe in spans if qs < se and ss < qe] if spans else []
            sentences.append(_Sentence(source_id, text[ss:se], ss, se, len(sentences), linked))
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


# -- names ---------------------------------------------------------------------------------

_ABBREV = {"hq": "headquarters", "r&d": "research development", "artificial intelligence": "ai",
           "u.s.": "united states", "govt": "government", "dept": "department"}
_FILLER = {"the", "of", "on", "and", "for", "to", "in", "a", "an", "s", "japan", "japanese", "japan's"}
_TITLES = re.compile(r"^(?:(?:the\s+)?(?:prime\s+minister|vice\s+president|president|chief\s+cabinet\s+secretary|"
                     r"minister|secretary|mr\.?|ms\.?|mrs\.?|dr\.?|professor|prof\.?)\s+)+", re.I)
_HEAD_CLASSES = [{"act", "law", "bill", "legislation"}, {"headquarters", "hq"}, {"council", "conference"},
                 {"guideline", "guidelines"}, {"plan"}, {"summit"}, {"institute"}, {"strategy"}, {"process"},
                 {"agency"}, {"ministry"}, {"committee"}, {"principles", "principle"}]


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    w = word.lower().strip(".,'\u2019\"")
    for suffix in ("ations", "ation", "ic", "ies", "es", "s", "y", "al"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def _tokens(name: str) -> list[str]:
    return list(_tokens_cached(name))


@lru_cache(maxsize=65536)
def _tokens_cached(name: str) -> tuple[str, ...]:
    name = _TITLES.sub("", normalise(name))
    name = re.sub(r"(?i)artificial[\s-]+intelligence", "AI", name)
    out: list[str] = []
    for raw in re.findall(r"[\w&.'\u2019-]+", name.lower()):
        raw = raw.strip(".'\u2019")
        for part in re.split(r"-", _ABBREV.get(raw, raw)):
            for w in part.split():
                if w and w not in _FILLER:
                    out.append(_stem(w))
    return tuple(out)


def _same_name(a: str, b: str) -> bool:
    """Spelling variants of one name: the same words once case, punctuation, plurals and 'and' are ignored
    (but not "Strategy"/"Strategic": a different word ending is a different rendering)."""
    return _spelling(a) == _spelling(b)


@lru_cache(maxsize=65536)
def _spelling(name: str) -> tuple[str, ...]:
    """(cached: the same few names are compared with every glossary name, in every run)"""
    words = re.findall(r"[\w&]+", normalise(name).lower().replace("\u2019s", "").replace("'s", ""))
    return tuple(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
                 for w in words if w not in {"the", "and", "of", "on", "for"})


@lru_cache(maxsize=65536)
def _contained(short: str, long: str) -> bool:
    """``short`` is a shortening of ``long`` (its words, in order, inside it) or a bare acronym."""
    s, lg = _spelling(_TITLES.sub("", normalise(short))), _spelling(_TITLES.sub("", normalise(long)))
    if not s:
        return True
    if re.fullmatch(r"[A-Z][A-Z0-9&.]{1,6}", short.strip()):
        return True
    return any(lg[i : i + len(s)] == s for i in range(len(lg) - len(s) + 1))


@lru_cache(maxsize=1)
def _head_stems() -> tuple[frozenset[str], ...]:
    return tuple(frozenset(_stem(w) for w in cls) for cls in _HEAD_CLASSES)


def _head(tokens: list[str]) -> int | None:
    stems = _head_stems()
    for t in reversed(tokens):
        for i, cls in enumerate(stems):
            if t in cls:
                return i
    return None


@lru_cache(maxsize=4096)
def _name_pattern(name: str) -> re.Pattern[str]:
    body = re.escape(normalise(name)).replace(r"\ ", r"\s+")
    sensitive = sum(c.isupper() for c in name) >= 2 and len(name) <= 8
    return re.compile(r"(?<!\w)" + body + r"(?!\w)", 0 if sensitive else re.IGNORECASE)


def _distinct_names(used: dict[str, Side]) -> dict[str, Side]:
    names = list(used)
    keep: dict[str, Side] = {}
    for n in names:
        if any(m != n and (_same_name(n, m) and len(m) > len(n)) for m in names):
            continue
        if any(m != n and not _same_name(n, m) and _contained(n, m) for m in names):
            continue
        if any(m in keep and _same_name(n, m) for m in names):
            continue
        keep[n] = used[n]
    return keep


def _glossary_name_conflicts(corpus: _Corpus, glossary: list[GlossaryEntry]) -> list[Conflict]:
    entries = {g.id: g for g in glossary}
    all_names = sorted(((g.id, n, normalise(n).lower(), _name_pattern(n)) for g in glossary for n in g.all_names()
                        if len(n) >= 2), key=lambda x: -len(x[1]))
    used: dict[str, dict[str, Side]] = defaultdict(dict)
    def names_in(norm: str) -> list[tuple[str, str]]:
        lowered = norm.lower()
        hits: list[tuple[int, int, str, str]] = []
        for gid, name, needle, pat in all_names:
            if needle not in lowered:
                continue
            for m in pat.finditer(norm):
                hits.append((m.start(), m.end(), gid, name))
        # a longer name of another entity covering a match ("EU's AI Act" over "AI Act") wins
        return [(gid, name) for st, e, gid, name in hits
                if not any(o_gid != gid and ost <= st and e <= oe and (oe - ost) > (e - st)
                           for ost, oe, o_gid, _ in hits)]

    for found, occ in corpus.hits("gloss", lambda t: names_in(occ_norm(t))):
        for gid, name in found:
            used[gid].setdefault(name, Side(name)).add_all(occ)
    out: list[Conflict] = []
    for gid, names in used.items():
        g = entries[gid]
        if g.kind == "term" or len(g.all_names()) < 2:
            continue
        distinct = _distinct_names(names)
        if len(distinct) > 1:
            sides = list(distinct.values())
            out.append(Conflict(
                key=conflict_key("name", g.name, [s.value for s in sides]), kind="name", subject=g.name,
                question=f"Are these names of one {g.kind}: {_quoted(sides)}?",
                sides=sides, basis="the glossary's alias table", entity=g.id))
    return out


_PERSON = re.compile(r"(?<![\w])(?=([A-Z][a-z]{2,})[ ]([A-Z][a-z]{2,}(?:-[A-Z]?[a-z]+)?)(?![\w]))")
_ROLE_WORDS = {"minister", "secretary", "president", "professor", "chairman", "chair", "director", "ambassador",
               "governor", "spokesperson", "spokesman", "chief", "head", "commissioner", "mayor", "senator"}
_NOT_NAMES = {"Prime", "Minister", "Chief", "Cabinet", "Secretary", "President", "Vice", "House", "Japan", "Japanese",
              "United", "States", "European", "Union", "Liberal", "Democratic", "Party", "National", "Diet", "Action",
              "Summit", "Strategy", "Strategic", "Headquarters", "Council", "Law", "Act", "Bill", "The", "This",
              "Ministry", "Economic", "Affairs", "Security", "Internal", "Communications", "Office", "Digital",
              "Agency", "Global", "South", "Press", "Shimbun", "Related", "Articles", "Comments", "Institute",
              "Research", "Development", "Artificial", "Intelligence", "Technology", "Technologies", "Guidelines",
              "Business", "Operators", "Policy", "Update", "New", "Home", "Politics", "Breaking", "News", "Core",
              "Approach", "Scope", "Risk", "Governing", "Body", "Developer", "International", "Trade", "Industry",
              "Hiroshima", "Process", "Society", "Social", "Principles", "Human", "Centric", "Silicon", "Valley",
              "Basic", "Plan", "Safety", "Information", "Promotion", "Application", "Utilization", "Economy"}


def _person_alias_conflicts(corpus: _Corpus, glossary: list[GlossaryEntry]) -> list[Conflict]:
    """Two people with one given name and a shared role: probably one person under two renderings."""
    seen: dict[str, dict[str, tuple[Side, set[str]]]] = defaultdict(dict)
    def people(text: str) -> list[tuple[str, str, set[str]]]:
        found = []
        for m in _PERSON.finditer(text):
            given, family = m.group(1), m.group(2)
            if given in _NOT_NAMES or family in _NOT_NAMES:
                continue
            end = m.start() + len(given) + 1 + len(family)
            before = re.findall(r"[A-Za-z]+", text[max(0, m.start() - 60) : m.start()])[-7:]
            after = re.findall(r"[A-Za-z]+", text[end : end + 70])[:7]
            context = {w.lower() for w in before + after if len(w) > 3 or w.lower() in _ROLE_WORDS}
            if context & _ROLE_WORDS:
                found.append((given, family, context))
        return found

    for found, occ in corpus.hits("people", people):
        for given, family, context in found:
            full = f"{given} {family}"
            side, ctx = seen[given].setdefault(full, (Side(full), set()))
            for s in occ:
                side.add(s.source, s.text, s.facts)
            ctx |= context
    out: list[Conflict] = []
    for given, names in seen.items():
        if len(names) < 2:
            continue
        items = list(names.items())
        group = [items[0]]
        for name, (side, ctx) in items[1:]:
            if any(ctx & c & _ROLE_WORDS and len((ctx & c) - _ROLE_WORDS) >= 1 for _, (_, c) in group):
                group.append((name, (side, ctx)))
        if len(group) < 2:
            continue
        sides = [sd for _, (sd, _) in group]
        shared = set.intersection(*(c for _, (_, c) in group))
        entity = next((g for g in glossary if any(_same_name(sides[0].value, n) for n in g.all_names())), None)
        subject = entity.name if entity else sides[0].value
        out.append(Conflict(
            key=conflict_key("name", subject, [s.value for s in sides]), kind="name", subject=subject,
            question=f"Is {' the same person as '.join(chr(8220) + s.value + chr(8221) for s in sides)}?",
            sides=sides, basis=f"the same given name ({given}) and the same role ({', '.join(sorted(shared))})",
            entity=entity.id if entity else None))
    return out


_JA_NAME = re.compile(r"(?P<en>(?:[A-Z][\w'\u2019.-]*\s+){0,5}[A-Z][\w'\u2019.-]*)\s*[\uff08(]\s*"
                      r"(?P<ja>[\u3040-\u30ff\u3400-\u9fff\u3005\u30fb\u30fc]{2,})\s*[)\uff09]")


def _japanese_alias_conflicts(corpus: _Corpus, glossary: list[GlossaryEntry]) -> list[Conflict]:
    """English names written beside the same Japanese name ("Minoru Jonouchi (城内実)"): renderings of one
    name, whether or not the glossary knows it yet."""
    known = {g.japanese: g for g in glossary if g.japanese}
    by_ja: dict[str, dict[str, Side]] = defaultdict(dict)

    def written(text: str) -> list[tuple[str, str]]:
        if "(" not in text and "\uff08" not in text:
            return []
        return [(_trim_phrase(_TITLES.sub("", m.group("en"))), m.group("ja")) for m in _JA_NAME.finditer(text)]

    for found, occ in corpus.hits("japanese", written):
        for en, ja in found:
            if en:
                by_ja[ja].setdefault(en, Side(en)).add_all(occ)
    out: list[Conflict] = []
    for ja, names in by_ja.items():
        distinct: dict[str, Side] = {}
        for n, side in names.items():
            twin = next((m for m in distinct if _same_name(m, n)), None)
            if twin is None:
                distinct[n] = side
            else:
                for q in side.quotes:
                    distinct[twin].add(q[0], q[1], side.facts)
        if len(distinct) < 2:
            continue
        g = known.get(ja)
        sides = sorted(distinct.values(), key=lambda x: (-len(x.sources), x.value))
        subject = g.name if g else sides[0].value
        out.append(Conflict(
            key=conflict_key("name", subject, [x.value for x in sides]), kind="name", subject=subject,
            question=f"Are these one name, written {ja} in Japanese: {_quoted(sides)}?", sides=sides,
            basis=f"English names written beside the same Japanese name ({ja})", entity=g.id if g else None,
            case="alias"))
    return out


_PROPER = re.compile(
    r"(?<![\w])(?:U\.S\.|[A-Z][\w&'\u2019-]*)(?:,?\s+(?:(?:of|on|the|and|for|to|in)\s+)*"
    r"(?:U\.S\.|[A-Z][\w&'\u2019-]*|AI-related|R&D)){1,16}"
)


_EDGE_WORDS = {"the", "this", "that", "these", "in", "on", "at", "for", "with", "under", "unlike", "while", "as",
               "by", "if", "when", "and", "of", "to", "a", "an", "its", "their", "his", "her", "our", "from", "after",
               "before", "since", "until", "during", "but", "so", "although", "however", "japan's", "japan\u2019s"}
_MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


def _trim_phrase(phrase: str) -> str:
    words = phrase.strip(" ,.").split()
    while words and (words[0].lower().strip(",") in _EDGE_WORDS):
        words.pop(0)
    # a month (and what follows) is not part of a name: "AI Strategic Council in December"
    for i, w in enumerate(words):
        if w.lower().strip(",.") in _MONTH_WORDS:
            words = words[:i]
            break
    while words and (words[-1].lower().strip(",") in _EDGE_WORDS):
        words.pop()
    return " ".join(words).strip(" ,.")


def _title_alias_conflicts(corpus: _Corpus, glossary: list[GlossaryEntry]) -> list[Conflict]:
    """Proper names (three words or more) around the same head noun that differ by a word ending,
    an abbreviation or a few words: likely renderings of one name."""
    phrases: dict[str, Side] = {}

    def titles(text: str) -> list[str]:
        out = []
        for m in _PROPER.finditer(text):
            phrase = _trim_phrase(m.group(0))
            toks = _tokens(phrase)
            if len(toks) < 2 or _head(toks) is None or len(phrase) < 12:
                continue
            out.append(phrase)
        return out

    for found, occ in corpus.hits("titles", titles):
        for phrase in found:
            side = phrases.setdefault(phrase, Side(phrase))
            for s in occ:
                side.add(s.source, s.text, s.facts)
    names = list(phrases)
    parent = {n: n for n in names}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    tok_of = {n: _tokens(n) for n in names}
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            ta, tb = tok_of[a], tok_of[b]
            if _head(ta) != _head(tb) or ta == tb:
                continue
            sa, sb = set(ta), set(tb)
            jac = len(sa & sb) / len(sa | sb)
            # same words with one ending changed (Strategy/Strategic stem alike) are caught by ta == tb above;
            # otherwise: long titles sharing most of their words
            if (len(sa | sb) >= 5 and jac >= 0.6) or (len(sa | sb) <= 4 and jac >= 0.75 and len(sa & sb) >= 3):
                parent[find(a)] = find(b)
    # names that are the same once stemmed (AI Strategy / AI Strategic Headquarters) are one cluster too
    by_tokens: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for n in names:
        by_tokens[tuple(tok_of[n])].append(n)
    for group in by_tokens.values():
        for n in group[1:]:
            parent[find(n)] = find(group[0])
    clusters: dict[str, list[str]] = defaultdict(list)
    for n in names:
        clusters[find(n)].append(n)
    out: list[Conflict] = []
    for members in clusters.values():
        if len(members) < 2:
            continue
        used = {n: phrases[n] for n in members}
        # spelling-only variants (case, 'and', plural) are one name: merge their sides
        merged: dict[str, Side] = {}
        for n in sorted(used, key=len, reverse=True):
            target = next((m for m in merged if n.lower() == m.lower() or
                           normalise(n).lower().replace(",", "") == normalise(m).lower().replace(",", "")), None)
            if target:
                for q in used[n].quotes:
                    merged[target].add(q[0], q[1], used[n].facts)
            else:
                merged[n] = used[n]
        distinct = _distinct_names(merged)
        if len(distinct) < 2 or len({src for s in distinct.values() for src in s.sources}) < 1:
            continue
        sides = sorted(distinct.values(), key=lambda s: (-len(s.sources), s.value))
        entity = None
        for g in glossary:
            if any(_same_name(sides[0].value, n) or _contained(n, sides[0].value) and len(_tokens(n)) >= 2
                   for n in g.all_names()):
                entity = g
                break
        subject = entity.name if entity else sides[0].value
        out.append(Conflict(
            key=conflict_key("name", subject, [s.value for s in sides]), kind="name", subject=subject,
            question=f"Are these one name: {_quoted(sides)}?",
            sides=sides, basis="proper names around the same head noun that share most of their words",
            entity=entity.id if entity else None))
    return out


# -- dates --------------------------------------------------------------------------------

_EVENT = re.compile(r"(?:(?:19|20)\d\d\s+)?(?P<name>(?:[A-Z][\w&'\u2019-]*\s+){0,6}"
                    r"(?:Summit|Conference|Forum|Dialogue|Election|Olympics|Expo))(?![\w])")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)\s+", re.I)
_ACTIONS = [
    ("passed", re.compile(r"\b(?:passed|adopted|enacted)\b(?![^.]{0,40}\bCabinet\b)", re.I)),
    ("approved by the Cabinet", re.compile(r"\bapproved by the (?:\w+\s+)?Cabinet\b|\bCabinet\s+approv", re.I)),
    ("established", re.compile(r"\b(?:established|set up|launched|formed|created)\b", re.I)),
    ("published", re.compile(r"\b(?:published|issued|released)\b", re.I)),
    ("came into effect", re.compile(r"\b(?:came into effect|took effect|entered into force|came into force)\b", re.I)),
]


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


def _date_conflicts(corpus: _Corpus, glossary: list[GlossaryEntry]) -> list[Conflict]:
    patterns = _cached("patterns-dates", None, lambda: sorted(
        ((g, n, _name_pattern(n)) for g in glossary if g.kind in {"law", "body", "document", "event"}
         for n in g.all_names() if len(n) >= 4 and n.lower() not in {"the act", "diet"}), key=lambda x: -len(x[1])))
    # (subject, action) -> value label -> (side, mention)
    claims: dict[tuple[str, str], dict[str, tuple[Side, DateMention]]] = defaultdict(dict)
    def dated(text: str, year: int | None) -> list[tuple[str, str, DateMention]]:
        dates = find_dates(text, default_year=year)
        if not dates:
            return []
        events = []
        for m in _EVENT.finditer(text):
            name = _ORDINAL.sub("", m.group("name")).strip()
            if len(name.split()) >= 2:
                events.append((m.start("name"), m.end("name"), name))
        entities = _entity_mentions(text, patterns)
        found = []
        for d in dates:
            subject = action = None
            # an event named within 60 characters before the date, or 40 after
            near = [(d.start - e, n) for st, e, n in events if 0 <= d.start - e <= 60] + \
                   [(st - d.end, n) for st, e, n in events if 0 <= st - d.end <= 40]
            if near:
                subject, action = min(near)[1], "held"
            else:
                for st, e, g in entities:
                    lo, hi = min(e, d.start), max(st, d.end)
                    if hi - lo > 90:
                        continue
                    between = text[min(st, d.start) : max(e, d.end)]
                    for act, pat in _ACTIONS:
                        if pat.search(between):
                            subject, action = g.name, act
                            break
                    if subject:
                        break
            if subject and action:
                found.append((subject, action, d))
        return found

    def any_date(text: str) -> list[bool]:
        return [True] if _ANY_DATE.search(text) else []

    years = {sid: (src.published.year if src.published else None) for sid, src in corpus.sources.items()}
    for _found, occ in corpus.hits("any-date", any_date):
        by_year: dict[int | None, list[tuple[str, str, DateMention]]] = {}
        for s in occ:
            year = years[s.source]
            found = by_year.get(year)
            if found is None:
                found = by_year[year] = _cached("dates", (s.text, year), partial(dated, s.text, year))
            for subject, action, d in found:
                key = (subject, action)
                label = d.label
                bucket = claims[key]
                if label not in bucket:
                    bucket[label] = (Side(label), d)
                bucket[label][0].add(s.source, s.text, s.facts)
    out: list[Conflict] = []
    # events whose names end the same ("Paris AI Action Summit" / "AI Action Summit") are one event
    merged: dict[tuple[str, str], dict[str, tuple[Side, DateMention]]] = {}
    for (subject, action), bucket in sorted(claims.items(), key=lambda kv: len(kv[0][0])):
        target = next((k for k in merged if k[1] == action and (subject.endswith(k[0]) or k[0].endswith(subject))),
                      None)
        if target:
            for label, (side, d) in bucket.items():
                if label in merged[target]:
                    for q in side.quotes:
                        merged[target][label][0].add(q[0], q[1], side.facts)
                else:
                    merged[target][label] = (side, d)
        else:
            merged[(subject, action)] = dict(bucket)
    for (subject, action), bucket in merged.items():
        items = list(bucket.values())
        disagreeing = [(a, b) for i, a in enumerate(items) for b in items[i + 1 :] if not a[1].agrees_with(b[1])]
        if not disagreeing:
            continue
        involved: list[tuple[Side, DateMention]] = []
        for a, b in disagreeing:
            for x in (a, b):
                if x not in involved:
                    involved.append(x)
        sides = [sd for sd, _ in sorted(involved, key=lambda x: (x[1].first, x[1].last))]
        what = "held" if action == "held" else action
        # one span inside the other ("February 2025" in "January–February 2025"): too small to matter
        nested = all(a[1].contains(b[1]) or b[1].contains(a[1]) for a, b in disagreeing)
        out.append(Conflict(
            key=conflict_key("date", f"{subject} {action}", [s.value for s in sides]), kind="date",
            subject=f"{subject}: date {what}", question=f"When was the {subject} {what}?", sides=sides,
            basis="different dates for the same event in the sources' sentences"
                  + ("; one date lies inside the other" if nested else ""),
            case="minor" if nested else "disagreement"))
    return out


# -- numbers ------------------------------------------------------------------------------

_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "eleven": 11, "twelve": 12}
_COUNT = re.compile(r"(?<![\w.])(?P<n>\d{1,3}|" + "|".join(_NUMBER_WORDS) + r")\s+(?:(?:major|main|key|core|new|"
                    r"policy|basic|central|broad|separate|different|distinct)\s+){0,3}(?P<noun>[a-z]{4,}s)\b", re.I)
_NOT_COUNTED = {"years", "months", "weeks", "days", "hours", "minutes", "times", "percent", "dollars", "yen",
                "comments", "nations", "others", "ones", "types", "decades", "points", "steps", "ways"}


def _number_conflicts(corpus: _Corpus, glossary: list[GlossaryEntry]) -> list[Conflict]:
    patterns = _cached("patterns-all", None, lambda: sorted(
        ((g, n, _name_pattern(n)) for g in glossary for n in g.all_names() if len(n) >= 4), key=lambda x: -len(x[1])))
    claims: dict[tuple[str, str], dict[int, Side]] = defaultdict(dict)
    def counts(text: str) -> list[tuple[str, str, int, str]]:
        found = []
        for m in _COUNT.finditer(text):
            noun = m.group("noun").lower()
            if noun in _NOT_COUNTED:
                continue
            raw = m.group("n").lower()
            n = _NUMBER_WORDS.get(raw) or int(raw)
            ents = _entity_mentions(text, patterns)
            ent = min(ents, key=lambda e: abs(e[0] - m.start()))[2].name if ents else ""
            found.append((noun, ent, n, raw))
        return found

    for found, occ in corpus.hits("counts", counts):
        for noun, ent, n, raw in found:
            side = claims[(noun, ent)].setdefault(n, Side(f"{raw} {noun}"))
            for s in occ:
                side.add(s.source, s.text, s.facts)
    # a count with no entity named joins the same noun's count for one entity
    merged: dict[tuple[str, str], dict[int, Side]] = {}
    for (noun, ent), values in sorted(claims.items(), key=lambda kv: kv[0][1] == ""):
        if ent == "":
            target = [k for k in merged if k[0] == noun]
            if len(target) == 1:
                for n, side in values.items():
                    if n in merged[target[0]]:
                        for q in side.quotes:
                            merged[target[0]][n].add(q[0], q[1], side.facts)
                    else:
                        merged[target[0]][n] = side
                continue
        merged[(noun, ent)] = dict(values)
    out: list[Conflict] = []
    for (noun, ent), values in merged.items():
        if len(values) < 2:
            continue
        sides = [values[k] for k in sorted(values)]
        what = f"{noun} of the {ent}" if ent else noun
        out.append(Conflict(
            key=conflict_key("number", what, [s.value for s in sides]), kind="number", subject=f"{what}: count",
            question=f"How many {what}?", sides=sides, basis="different counts of the same thing"))
    return out


_PERCENT = re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent|percent)", re.I)
_FIG_STOP = frozenset([
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is",
    "are", "was", "were", "be", "been", "this", "that", "these", "those", "it", "its", "their", "they", "them",
    "which", "who", "what", "when", "where", "how", "than", "then", "there", "also", "not", "no", "so", "such",
    "into", "over", "under", "about", "after", "before", "between", "during", "while", "will", "would", "can",
    "could", "may", "might", "must", "has", "have", "had", "do", "does", "did", "said", "says", "only", "some",
    "many", "most", "much", "more", "less", "far", "per", "cent", "percent",
])


def _figure_tokens(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z][a-z'\u2019-]+", normalise(text).lower())
    return frozenset(_stem(w.strip("'\u2019")) for w in words if len(w) > 2 and w not in _FIG_STOP)


def _figure_conflicts(corpus: _Corpus) -> list[Conflict]:
    """Sentences from different sources that say much the same about a percentage, with different values."""
    # one entry per distinct sentence (with every copy of it); candidate pairs come from an index of
    # their words, so sentences sharing no word are never compared
    figures: list[tuple[list[_Sentence], float, str, frozenset[str]]] = []
    by_text: dict[str, int] = {}
    for text, occ in corpus.distinct.items():
        if "%" not in text and "cent" not in text:
            continue
        found = _PERCENT.findall(text)
        if len(found) != 1:  # "from 26.7% to 80%" compares two figures: not one claim
            continue
        by_text[text] = len(figures)
        figures.append((list(occ), float(found[0]), f"{found[0]}%", _figure_tokens(_PERCENT.sub(" ", text))))
    index: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(figures):
        for t in f[3]:
            index[t].append(i)
    out: list[Conflict] = []
    used: set[int] = set()
    for i, (ss, _v, _label, toks) in enumerate(figures):
        if i in used or len(toks) < 6:
            continue
        shared_count: dict[int, int] = defaultdict(int)
        for t in toks:
            for j in index[t]:
                if j > i:
                    shared_count[j] += 1
        group = [figures[i]]
        srcs = {x.source for x in ss}
        for j in sorted(shared_count):
            inter = shared_count[j]
            toks2 = figures[j][3]
            small = min(len(toks), len(toks2))
            if j in used or small < 6 or inter < 5 or inter / small < 0.6:
                continue
            if all(x.source in srcs for x in figures[j][0]) and len(srcs) == 1:
                continue  # a sentence from the same single source is not a second source
            group.append(figures[j])
            used.add(j)
        values = {round(g[1], 1) for g in group}
        if len(values) < 2:
            continue
        sides: dict[str, Side] = {}
        for g in group:
            for x in g[0]:
                sides.setdefault(g[2], Side(g[2])).add(x.source, x.text, x.facts)
        shared = set.intersection(*(set(g[3]) for g in group))
        subject = " ".join(sorted(shared)[:6])
        out.append(Conflict(
            key=conflict_key("number", f"percent {subject}", list(sides)), kind="number",
            subject=f"figure: {subject}", question=f"Which figure is right: {_quoted(list(sides.values()))}?",
            sides=list(sides.values()), basis="different percentages in sentences that say much the same"))
    return out


# -- claims: who heads a body; penalties -----------------------------------------------------

_PERSON_REF = (r"(?P<person>(?:the\s+)?(?:(?:Prime\s+Minister|Minister|Chief\s+Cabinet\s+Secretary|President)"
               r"(?:\s+[A-Z][a-z]+){0,3}|[A-Z][a-z]+\s+[A-Z][a-z]+(?:-[a-z]+)?))")
_HEAD_FORWARD = re.compile(_PERSON_REF + r"(?:,[^,]{1,80},)?\s+(?:will\s+|is\s+to\s+|would\s+)?"
                           r"(?:head|heads|chair|chairs|lead|leads|is\s+at\s+the\s+helm\s+of|"
                           r"(?:will\s+)?serve\s+as\s+the\s+(?:head|chair)\s+of|is\s+the\s+(?:head|chair)\s+of)\s+"
                           r"(?P<body>[^,.;]{3,80})")
_HEAD_PASSIVE = re.compile(r"(?P<body>[^,.;]{3,80}?),?\s+(?:(?:a|the)\s+(?:body|panel|organisation|organization)\s+)?"
                           r"(?:will\s+be\s+|is\s+|was\s+)?(?:chaired|headed|led)\s+(?:directly\s+)?by\s+"
                           + _PERSON_REF)
_GENERIC_LAW = re.compile(r"\b(?:the|this|its|new|national)\s+(?:(?:new|national|\d{4})\s+)?(?:AI\s+)?"
                          r"(?:law|act|bill|legislation)\b|\b(?:it|the law)\b", re.I)


#: the verb phrases ``_HEAD_FORWARD`` and ``_HEAD_PASSIVE`` cannot match without (same case)
_FORWARD_HINT = re.compile(r"\s(?:(?:head|heads|chair|chairs|lead|leads|is\s+at\s+the\s+helm\s+of|"
                           r"serve\s+as\s+the\s+(?:head|chair)\s+of|is\s+the\s+(?:head|chair)\s+of)\s)")
_PASSIVE_HINT = re.compile(r"(?:chaired|headed|led)\s+(?:directly\s+)?by\s")
_HEAD_HINT = re.compile(r"\b(?:head|heads|chair|chairs|chaired|headed|lead|leads|led|helm)\b", re.I)


def _phrase_re(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One pattern for a word list: whole words, any case; ``*`` ends a word with any ending, ``…`` stands
    for up to four words."""
    alts = []
    for p in phrases:
        parts = []
        for piece in re.split(r"\s*(?:\u2026|\.\.\.)\s*", p.strip()):
            words = [re.escape(w.rstrip("*")) + (r"[\w-]*" if w.endswith("*") else "") for w in piece.split()]
            if words:
                parts.append(r"\s+".join(words))
        if parts:
            alts.append(r"(?:\W+[\w'\u2019-]+){0,4}?\W+".join(parts))
    if not alts:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(sorted(alts, key=len, reverse=True)) + r")(?![\w-])", re.I)


@dataclass
class _ClaimRule:
    topic: str
    question: str
    topic_re: re.Pattern[str]
    sides: list[tuple[str, re.Pattern[str]]]
    implies: dict[str, tuple[str, ...]]


def _claim_rules(words: ConflictWords) -> list[_ClaimRule]:
    rules = []
    for topic, spec in words.claims.items():
        topic_re = _phrase_re(spec.topic)
        sides = [(side, rx) for side, phrases in spec.sides.items() if (rx := _phrase_re(phrases)) is not None]
        if topic_re is not None and len(sides) >= 2:
            rules.append(_ClaimRule(topic, spec.question, topic_re, sides, spec.implies))
    return rules


def _sides_taken(text: str, rule: _ClaimRule) -> list[str]:
    if not rule.topic_re.search(text):
        return []
    taken = [side for side, rx in rule.sides if rx.search(text)]
    # a weaker side inside a stronger one's words ("no penalties" also matches "not … heavy penalties"?) is
    # the stronger one
    for strong, weaker in rule.implies.items():
        if strong in taken:
            taken = [t for t in taken if t not in weaker]
    return taken


def _head_claims(text: str, last_body: str | None,
                 body_patterns: list[tuple[GlossaryEntry, str, re.Pattern[str]]]) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for pat, hint in ((_HEAD_FORWARD, _FORWARD_HINT), (_HEAD_PASSIVE, _PASSIVE_HINT)):
        if not hint.search(text):  # the verb the pattern needs is not there: skip its (slow) scan
            continue
        for m in pat.finditer(text):
            body = _resolve_body(m.group("body"), last_body, body_patterns)
            if body:
                found.append((body, m.group("person")))
    return found


def _canonical_person(name: str, glossary: list[GlossaryEntry], roles: dict[str, str]) -> str:
    bare = re.sub(r"^the\s+", "", name.strip(), flags=re.I)
    if _TITLES.match(bare + " ") and not _TITLES.sub("", bare + " ").strip():
        return roles.get(bare.lower(), bare[:1].upper() + bare[1:])
    stripped = _TITLES.sub("", bare).strip()
    for g in glossary:
        if g.kind == "person" and any(_same_name(stripped or bare, n) or _same_name(bare, n) for n in g.all_names()):
            return g.name
    if not stripped:  # a bare role: "the Prime Minister"
        return roles.get(bare.lower(), bare[:1].upper() + bare[1:])
    return stripped


def _resolve_body(phrase: str, previous: str | None, body_patterns: list[tuple[GlossaryEntry, str, re.Pattern[str]]]
                  ) -> str | None:
    for g, _n, pat in body_patterns:
        if pat.search(phrase):
            return g.name
    if re.search(r"\b(?:this|the|that)\s+(?:body|initiative|headquarters|organisation|organization|panel)\b|^it$",
                 phrase.strip(), re.I):
        return previous
    return None


_ROLE_NAMED = re.compile(r"\b(Prime Minister|Chief Cabinet Secretary|President)\s+([A-Z][a-z]+\s+[A-Z][a-z]+)")


def _claim_conflicts(corpus: _Corpus, glossary: list[GlossaryEntry], words: ConflictWords) -> list[Conflict]:
    body_patterns = _cached("patterns-bodies", None, lambda: sorted(
        ((g, n, _name_pattern(n)) for g in glossary if g.kind in {"body", "org"}
         for n in g.all_names() if len(n) >= 4), key=lambda x: -len(x[1])))
    law_patterns = _cached("patterns-laws", None, lambda: sorted(
        ((g, n, _name_pattern(n)) for g in glossary if g.kind == "law"
         for n in g.all_names() if len(n) >= 4 and n.lower() != "the act"), key=lambda x: -len(x[1])))
    rules = _cached("claim-rules", None, lambda: _claim_rules(words))
    # roles named with a person ("Prime Minister Shigeru Ishiba"): the bare role means that person
    # per document, and over all documents the person most often named with the role
    role_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def roles_in(text: str) -> list[tuple[str, str]]:
        return [(m.group(1).lower(), _canonical_person(m.group(2), glossary, {})) for m in _ROLE_NAMED.finditer(text)]

    doc_roles: dict[str, dict[str, str]] = defaultdict(dict)
    # each distinct sentence read once; then every copy, in source order
    roles_of = {text: found for text in corpus.distinct
                if (found := _cached("roles", text, partial(roles_in, text)))}
    if roles_of:
        for s in corpus.all():
            for role, name in roles_of.get(s.text, ()):
                role_counts[role][name] += 1
                doc_roles[s.source].setdefault(role, name)
    common_roles = {r: max(c, key=lambda k: c[k]) for r, c in role_counts.items()}
    heads: dict[str, dict[str, Side]] = defaultdict(dict)
    claims: dict[tuple[str, str], dict[str, Side]] = defaultdict(dict)
    questions = {r.topic: r.question for r in rules}
    implies = {r.topic: r.implies for r in rules}

    def read(text: str) -> tuple[bool, list[str], list[str], list[tuple[str, str]]]:
        """What one sentence holds for these rules, once per distinct sentence: whether it may name a
        head, the bodies and laws it names, and the side it takes on each claim (one side only)."""
        taken = [(r.topic, sides[0]) for r in rules if len(sides := _sides_taken(text, r)) == 1]
        return (bool(_HEAD_HINT.search(text)), [g.name for _s, _e, g in _entity_mentions(text, body_patterns)],
                [g.name for _s, _e, g in _entity_mentions(text, law_patterns)], taken)

    reading_of = {text: _cached("claim-read", text, partial(read, text)) for text in corpus.distinct}

    for source_id, sentences in corpus.by_source.items():
        last_body: str | None = None
        focus: str | None = None
        mentions: dict[str, int] = {}
        first_seen: dict[str, int] = {}
        most: str | None = None
        readings = [reading_of[s.text] for s in sentences]
        # the law a document is mostly about, for "the law", "the new AI law"
        counts: dict[str, int] = defaultdict(int)
        for r in readings:
            for name in r[2]:
                counts[name] += 1
        main_law = max(counts, key=lambda k: counts[k]) if counts else None
        roles = {**common_roles, **doc_roles.get(source_id, {})}
        for s, (head_hint, bodies, laws, taken) in zip(sentences, readings, strict=True):
            if head_hint:
                for body, person in _cached("heads", (s.text, last_body),
                                            partial(_head_claims, s.text, last_body, body_patterns)):
                    focus = body
                    who = _canonical_person(person, glossary, roles)
                    heads[body].setdefault(who, Side(who)).add(s.source, s.text, s.facts)
            for name in bodies:
                n = mentions[name] = mentions.get(name, 0) + 1
                first_seen.setdefault(name, len(first_seen))
                if most is None or n > mentions[most] or (n == mentions[most]
                                                           and first_seen[name] < first_seen[most]):
                    most = name
            # what "this body" / "this initiative" refers to: the body last said to have a head,
            # else the body mentioned most so far (the earliest on a tie)
            last_body = focus or most
            # claims on a law (penalties, binding guidelines, required cooperation): which law, which side
            if not taken:
                continue
            law = laws[0] if laws else main_law
            if not law:
                continue
            for topic, side in taken:
                claims[(topic, law)].setdefault(side, Side(side)).add(s.source, s.text, s.facts)
    out: list[Conflict] = []
    for body, by_person in heads.items():
        if len(by_person) < 2:
            continue
        sides = sorted(by_person.values(), key=lambda s: (-len(s.sources), s.value))
        out.append(Conflict(
            key=conflict_key("claim", f"{body} head", [s.value for s in sides]), kind="claim",
            subject=f"{body}: head", question=f"Who heads the {body}?", sides=sides,
            basis="different people said to head, chair or lead the same body"))
    for (topic, law), by_value in claims.items():
        # a source on a side and on a weaker side it includes stands on the stronger one only
        for strong, weaker in implies[topic].items():
            if strong not in by_value:
                continue
            for w in weaker:
                if w in by_value:
                    keep = Side(w)
                    for q in by_value[w].quotes:
                        if q[0] not in by_value[strong].sources:
                            keep.add(q[0], q[1], [f for f in by_value[w].facts])
                    if keep.sources:
                        by_value[w] = keep
                    else:
                        del by_value[w]
        if len(by_value) < 2:
            continue
        sides = sorted(by_value.values(), key=lambda s: (-len(s.sources), s.value))
        out.append(Conflict(
            key=conflict_key("claim", f"{law} {topic}", [s.value for s in sides]), kind="claim",
            subject=f"{law}: {topic}", question=f"{questions[topic].rstrip('?')} ({law})?", sides=sides,
            basis=f"sentences on {topic} that take different sides (word lists in resources/vocabularies.json)"))
    return out



# -- putting it together ------------------------------------------------------------------------


def _merge_name_conflicts(found: list[Conflict]) -> list[Conflict]:
    """One conflict per entity: the glossary's, the people's and the titles' findings merged."""
    out: list[Conflict] = []
    for c in found:
        same = next((o for o in out if o.kind == "name" and c.kind == "name" and (
            (c.entity and o.entity == c.entity) or
            {s.value.lower() for s in c.sides} & {s.value.lower() for s in o.sides})), None)
        if same is None:
            out.append(c)
            continue
        for side in c.sides:
            twin = next((s for s in same.sides if _same_name(s.value, side.value)), None)
            if twin is None:
                same.sides.append(side)
            else:
                for q in side.quotes:
                    twin.add(q[0], q[1], side.facts)
        if c.basis not in same.basis:
            same.basis += f"; {c.basis}"
        same.entity = same.entity or c.entity
        same.sides = list(_distinct_names({s.value: s for s in same.sides}).values())
        same.key = conflict_key("name", same.subject, [s.value for s in same.sides])
    return [c for c in out if len(c.sides) > 1]


#: the conflicts found for the last few inputs, before judging (see ``find_conflicts``)
_RESULTS: dict[tuple[Any, ...], list[Conflict]] = {}


def _inputs_key(sources: list[Source], facts: list[Fact], digest: str,
                body: Callable[[str], list[tuple[int, int]]] | None) -> tuple[Any, ...]:
    """Everything the finding (not the judging) reads: each source's id, text and year, each fact's
    citations, the glossary and word lists (their digest), the body function."""
    return (digest, getattr(body, "__module__", ""), getattr(body, "__qualname__", "") if body else "",
            tuple((s.id, len(s.text), hash(s.text), s.published.year if s.published else None) for s in sources),
            tuple((f.id, tuple((c.source, c.quote) for c in f.citations)) for f in facts))


def clear_caches() -> None:
    """Forget everything kept between runs (a benchmark's cold run; tests)."""
    _RESULTS.clear()
    _MEMOS.clear()
    _SPLITS.clear()
    _SOURCE_SENTENCES.clear()


def find_conflicts(sources: list[Source], facts: list[Fact], glossary: list[GlossaryEntry],
                   resolutions: Mapping[str, ResolutionLike] | None = None, *,
                   body: Callable[[str], list[tuple[int, int]]] | None = None,
                   words: ConflictWords | None = None) -> list[Conflict]:
    """Every likely contradiction, open ones first, each in its case (alias, self-contradiction,
    disagreement, minor).  ``body`` gives the spans of a source text that are its body (page furniture
    such as reader comments left out); default: the whole text.  ``words``: the claim word lists
    (default: ``resources/vocabularies.json``)."""
    words = words or default_words()
    digest = _digest(glossary, words)
    memo = _memo_for(digest)
    # what the sources say does not depend on the facts' statuses or the resolutions (only the judging
    # below does): the same sources, quotes, glossary and word lists give the same conflicts, so a run
    # after a resolution (the window looks again) only judges them again
    key = _inputs_key(sources, facts, digest, body)
    pristine = _RESULTS.get(key)
    if pristine is None:
        _RUN.memo = memo
        try:
            corpus = _Corpus(sources, facts, body)
            names = _merge_name_conflicts(
                _glossary_name_conflicts(corpus, glossary) + _person_alias_conflicts(corpus, glossary)
                + _title_alias_conflicts(corpus, glossary) + _japanese_alias_conflicts(corpus, glossary))
            for c in names:
                c.case = "alias"
            pristine = names + _split_cases(
                _date_conflicts(corpus, glossary) + _number_conflicts(corpus, glossary) + _figure_conflicts(corpus)
                + _claim_conflicts(corpus, glossary, words))
        finally:
            _RUN.memo = None
        if len(_RESULTS) >= 4:
            _RESULTS.clear()
        _RESULTS[key] = pristine
    # judging sets status, resolution and entity: on copies (the sides are shared, and only read)
    found = [replace(c, sides=list(c.sides)) for c in pristine]
    by_id = {f.id: f for f in facts}
    resolutions = resolutions or {}
    for c in found:
        _judge(c, by_id, glossary, resolutions)
    order = {"open": 0, "resolved": 1}
    kinds = {"claim": 0, "date": 1, "number": 2, "name": 3}
    cases = {"disagreement": 0, "self-contradiction": 1, "minor": 2, "alias": 3}
    return sorted(found, key=lambda c: (order[c.status], cases[c.case], kinds[c.kind], c.subject.lower()))


def _restricted(side: Side, keep: Callable[[str], bool], only: str | None = None, *, exclude: bool = False) -> Side:
    """The side with only the sources ``keep`` accepts (or only source ``only``, looked up by source)."""
    out = Side(side.value)
    per_quote = side.__dict__.get("_quote_facts", {})
    if only is not None:
        by_source = side.__dict__.get("_by_source")
        if by_source is None:
            by_source = side.__dict__["_by_source"] = defaultdict(list)
            for q in side.quotes:
                by_source[q[0]].append(q)
        for q in by_source.get(only, []):
            out.add(q[0], q[1], per_quote.get(q, []))
        return out
    for q in side.quotes:
        if keep(q[0]) != exclude:
            out.add(q[0], q[1], per_quote.get(q, []))
    return out


def _split_cases(found: list[Conflict]) -> list[Conflict]:
    """A source on two sides contradicts itself: that is its own conflict (case self-contradiction), and
    the source is left out of the disagreement between the others (it is weighed down, never on both
    sides).  What is left is a disagreement when two sides still have sources."""
    out: list[Conflict] = []
    for c in found:
        if c.case == "minor":
            out.append(c)
            continue
        on: dict[str, int] = defaultdict(int)
        for side in c.sides:
            for src in side.sources:
                on[src] += 1
        both = [src for src, n in on.items() if n > 1]
        for src in both:
            sides = [x for x in (_restricted(side, bool, only=src) for side in c.sides) if x.sources]
            out.append(Conflict(
                key=conflict_key(c.kind, f"{c.subject} {src}", [x.value for x in sides]), kind=c.kind,
                subject=c.subject, question=f"{c.question} ({src} says both)", sides=sides,
                basis=f"{c.basis}; one source on both sides", entity=c.entity, case="self-contradiction",
                source=src))
        if both:
            gone = set(both)
            rest = [x for x in (_restricted(side, gone.__contains__, exclude=True) for side in c.sides) if x.sources]
            if len(rest) < 2:
                continue
            c.sides = rest
            # the same subject, the digest of the values now on its sides
            c.key = c.key.rsplit(":", 1)[0] + ":" + conflict_key(c.kind, "", [x.value for x in rest]).rsplit(":", 1)[1]
        c.case = "disagreement"
        out.append(c)
    return out


def _judge(c: Conflict, facts: Mapping[str, Fact], glossary: list[GlossaryEntry],
           resolutions: Mapping[str, ResolutionLike]) -> None:
    res = resolutions.get(c.key)
    if res is not None:
        c.status = "resolved"
        what = {"dispute": f"fact {res.fact_id} marked disputed",
                "supersede": f"fact {res.fact_id} superseded by {res.other_fact_id}",
                "alias": f"alias recorded ({res.alias})", "dismiss": "not a contradiction"}.get(res.action, res.action)
        c.resolution = f"{what}: {res.reason}" + (f" ({res.analyst}, {res.resolved_at[:10]})" if res.analyst else "")
        return
    if c.kind == "name":
        for g in glossary:
            if all(any(_same_name(s.value, n) or _contained(s.value, n) for n in g.all_names()) for s in c.sides):
                c.status = "resolved"
                c.resolution = f"alias recorded in the glossary: all are names of {g.name}"
                c.entity = c.entity or g.id
                return
    # the disagreement is recorded in the library when every side is quoted by a fact marked disputed
    # or superseded (a side from a newly imported source, quoted by no such fact, keeps it open)
    # or superseded, or recording the difference (a self-contradiction, a minor difference)
    marked = [f for f in c.facts if f in facts and (facts[f].status != FactStatus.CURRENT
                                                    or facts[f].variance is not None)]
    # every source on every side: one newly imported source joining a side makes it a candidate again
    every_side = all(_sources_recorded(side, set(marked)) for side in c.sides)
    if marked and every_side and c.kind != "name":
        c.status = "resolved"
        # the facts that record the whole conflict (one citation on each side), else every fact marked
        covering = [f for f in marked if all(f in side.facts for side in c.sides)]
        c.resolution = "; ".join(_recorded(facts[f]) for f in covering or marked)


def _sources_recorded(side: Side, marked: set[str]) -> bool:
    per_quote = side.__dict__.get("_quote_facts", {})
    ok = {q[0] for q, fs in per_quote.items() if marked.intersection(fs)}
    return all(src in ok for src in side.sources)


def _recorded(fact: Fact) -> str:
    if fact.status == FactStatus.SUPERSEDED:
        return f"fact {fact.id} is marked superseded" + (f" (superseded by {fact.superseded_by})"
                                                         if fact.superseded_by else "")
    if fact.status == FactStatus.DISPUTED:
        return f"fact {fact.id} is marked disputed"
    what = {"alias": "an alias", "minor": "a difference too small to matter"}.get(str(fact.variance),
                                                                                 f"a {fact.variance}")
    return f"fact {fact.id} records it as {what}"


def conflicts_for_fact(conflicts: list[Conflict], fact_id: str) -> list[Conflict]:
    return [c for c in conflicts if fact_id in c.facts]
