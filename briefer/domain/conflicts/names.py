"""Names: one person, body, law or document under different names (the case *alias*).

From the glossary's alias table; for names the glossary does not know yet: two people with the same
given name and the same role, English names written beside the same Japanese name, and proper names
that differ only in a word's ending, an abbreviation or a few words around the same head noun.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Any, TypeVar

from briefer.domain.conflicts.corpus import _Corpus, _name_pattern, occ_norm
from briefer.domain.conflicts.kinds import Conflict, Side, _quoted, conflict_key
from briefer.domain.conflicts.words import finder_words
from briefer.domain.models import GlossaryEntry
from briefer.domain.provenance import normalise

_V = TypeVar("_V")

_W = finder_words()
_ABBREV = _W.abbreviations
_FILLER = _W.filler_words


def _title_alt(titles: tuple[str, ...]) -> str:
    """Titles as alternatives: spaces match any white space, a final "." may be left out ("Mr" / "Mr.")."""
    alts = []
    for t in sorted(titles, key=len, reverse=True):
        stop = t.endswith(".")
        alts.append(re.escape(t.rstrip(".")).replace(r"\ ", r"\s+") + (r"\.?" if stop else ""))
    return "|".join(alts)


_TITLES = re.compile(r"^(?:(?:the\s+)?(?:" + _title_alt(_W.titles) + r")\s+)+", re.I)
_HEAD_CLASSES = list(_W.head_nouns)


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



def _distinct_names(used: dict[str, _V]) -> dict[str, _V]:
    names = list(used)
    keep: dict[str, _V] = {}
    for n in names:
        if any(m != n and (_same_name(n, m) and len(m) > len(n)) for m in names):
            continue
        if any(m != n and not _same_name(n, m) and _contained(n, m) for m in names):
            continue
        if any(m in keep and _same_name(n, m) for m in names):
            continue
        keep[n] = used[n]
    return keep


def _side(value: str, occs: list[list[Any]]) -> Side:
    """A side saying ``value``, in every copy of these sentences (each list: the copies of one)."""
    side = Side(value)
    for occ in occs:
        side.add_all(occ)
    return side


def _glossary_name_conflicts(corpus: _Corpus, glossary: list[GlossaryEntry]) -> list[Conflict]:
    entries = {g.id: g for g in glossary}
    all_names = sorted(((g.id, n, normalise(n).lower(), _name_pattern(n)) for g in glossary for n in g.all_names()
                        if len(n) >= 2), key=lambda x: -len(x[1]))
    # only an entry with two names or more, not a term, can be a conflict: the others are not gathered
    wanted = {g.id for g in glossary if g.kind != "term" and len(g.all_names()) >= 2}
    # every copy of each sentence naming it, by entry and name; the sides are made only for an entry
    # found under two distinct names
    used: dict[str, dict[str, list[list[Any]]]] = defaultdict(dict)
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
            if gid in wanted:
                used[gid].setdefault(name, []).append(occ)
    out: list[Conflict] = []
    for gid, names in used.items():
        g = entries[gid]
        distinct = _distinct_names(names)
        if len(distinct) > 1:
            sides = [_side(name, occs) for name, occs in distinct.items()]
            out.append(Conflict(
                key=conflict_key("name", g.name, [s.value for s in sides]), kind="name", subject=g.name,
                question=f"Are these names of one {g.kind}: {_quoted(sides)}?",
                sides=sides, basis="the glossary's alias table", entity=g.id))
    return out


_PERSON = re.compile(r"(?<![\w])(?=([A-Z][a-z]{2,})[ ]([A-Z][a-z]{2,}(?:-[A-Z]?[a-z]+)?)(?![\w]))")
_ROLE_WORDS = _W.role_words
_NOT_NAMES = _W.not_names


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
            side.add_all(occ)
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
                distinct[twin].add_quotes(side.quotes, side.facts)
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


_EDGE_WORDS = _W.phrase_edge_words
_MONTH_WORDS = _W.calendar_words


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
    # every copy of each sentence holding a phrase; the sides are made only for the phrases clustered
    phrases: dict[str, list[list[Any]]] = {}

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
            phrases.setdefault(phrase, []).append(occ)
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
        used = {n: _side(n, phrases[n]) for n in members}
        # spelling-only variants (case, 'and', plural) are one name: merge their sides
        merged: dict[str, Side] = {}
        for n in sorted(used, key=len, reverse=True):
            target = next((m for m in merged if n.lower() == m.lower() or
                           normalise(n).lower().replace(",", "") == normalise(m).lower().replace(",", "")), None)
            if target:
                merged[target].add_quotes(used[n].quotes, used[n].facts)
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


