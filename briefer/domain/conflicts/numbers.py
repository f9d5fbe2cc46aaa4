"""Numbers: different counts for the same thing ("four pillars" / "five pillars" of one plan), and
different percentages in sentences that say much the same."""

from __future__ import annotations

import re
from collections import defaultdict

from briefer.domain.conflicts.corpus import _cached, _Corpus, _entity_mentions, _name_pattern, _Sentence
from briefer.domain.conflicts.kinds import Conflict, Side, _quoted, conflict_key
from briefer.domain.conflicts.names import _stem
from briefer.domain.conflicts.words import alternation, finder_words
from briefer.domain.models import GlossaryEntry
from briefer.domain.provenance import normalise

_W = finder_words()
_NUMBER_WORDS = _W.number_words
_COUNT = re.compile(r"(?<![\w.])(?P<n>\d{1,3}|" + alternation(_NUMBER_WORDS) + r")\s+(?:(?:"
                    + alternation(_W.count_modifiers) + r")\s+){0,3}(?P<noun>[a-z]{4,}s)\b", re.I)
_NOT_COUNTED = _W.not_counted


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
            side.add_all(occ)
    # a count with no entity named joins the same noun's count for one entity
    merged: dict[tuple[str, str], dict[int, Side]] = {}
    for (noun, ent), values in sorted(claims.items(), key=lambda kv: kv[0][1] == ""):
        if ent == "":
            target = [k for k in merged if k[0] == noun]
            if len(target) == 1:
                for n, side in values.items():
                    if n in merged[target[0]]:
                        merged[target[0]][n].add_quotes(side.quotes, side.facts)
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
_FIG_STOP = _W.figure_stop_words


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


