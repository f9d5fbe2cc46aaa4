"""Claims: different answers to the same question: who heads a body, and the word-list claims on a
law (penalties, binding guidelines, required cooperation, the government's role: see
``resources/vocabularies.json``)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from briefer.domain.conflicts.corpus import _RUN, _cached, _Corpus, _entity_mentions, _name_pattern
from briefer.domain.conflicts.kinds import Conflict, Side, conflict_key
from briefer.domain.conflicts.names import _TITLES, _same_name
from briefer.domain.conflicts.words import alternation, finder_words, phrase_re
from briefer.domain.models import GlossaryEntry
from briefer.domain.variance import ConflictWords

_W = finder_words()
_PERSON_REF = (r"(?P<person>(?:the\s+)?(?:(?:" + alternation(_W.person_roles) + r")"
               r"(?:\s+[A-Z][a-z]+){0,3}|[A-Z][a-z]+\s+[A-Z][a-z]+(?:-[a-z]+)?))")
_HEAD_FORWARD = re.compile(_PERSON_REF + r"(?:,[^,]{1,80},)?\s+(?:will\s+|is\s+to\s+|would\s+)?"
                           r"(?:head|heads|chair|chairs|lead|leads|is\s+at\s+the\s+helm\s+of|"
                           r"(?:will\s+)?serve\s+as\s+the\s+(?:head|chair)\s+of|is\s+the\s+(?:head|chair)\s+of)\s+"
                           r"(?P<body>[^,.;]{3,80})")
_HEAD_PASSIVE = re.compile(r"(?P<body>[^,.;]{3,80}?),?\s+(?:(?:a|the)\s+(?:" + alternation(_W.body_appositions)
                           + r")\s+)?(?:will\s+be\s+|is\s+|was\s+)?(?:chaired|headed|led)\s+(?:directly\s+)?by\s+"
                           + _PERSON_REF)
#: "this body", "the initiative", "it": the body the text spoke of last
_BODY_REFERENCE = re.compile(r"\b(?:this|the|that)\s+(?:" + alternation(_W.body_references) + r")\b|^it$", re.I)


#: the verb phrases ``_HEAD_FORWARD`` and ``_HEAD_PASSIVE`` cannot match without (same case)
_FORWARD_HINT = re.compile(r"\s(?:(?:head|heads|chair|chairs|lead|leads|is\s+at\s+the\s+helm\s+of|"
                           r"serve\s+as\s+the\s+(?:head|chair)\s+of|is\s+the\s+(?:head|chair)\s+of)\s)")
_PASSIVE_HINT = re.compile(r"(?:chaired|headed|led)\s+(?:directly\s+)?by\s")
_HEAD_HINT = re.compile(r"\b(?:head|heads|chair|chairs|chaired|headed|lead|leads|led|helm)\b", re.I)


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
        topic_re = phrase_re(spec.topic)
        sides = [(side, rx) for side, phrases in spec.sides.items() if (rx := phrase_re(phrases)) is not None]
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
    if _BODY_REFERENCE.search(phrase.strip()):
        return previous
    return None


_ROLE_NAMED = re.compile(r"\b(" + alternation(_W.named_roles, spaces=False) + r")\s+([A-Z][a-z]+\s+[A-Z][a-z]+)")


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
    people: dict[tuple[str, tuple[tuple[str, str], ...]], str] = {}
    # a pass preparing analyses (:mod:`.prepared`) notes which (sentence, body spoken of before) each
    # source reads, so that its analysis keeps those readings of heads and no others
    heads_used: set[tuple[str, str, str | None]] | None = getattr(getattr(_RUN, "memo", None), "heads_used", None)

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
        # who a person named as head is, under these roles (the same few names in every document)
        roles_key = tuple(sorted(roles.items()))
        for s, (head_hint, bodies, laws, taken) in zip(sentences, readings, strict=True):
            if not (head_hint or bodies or taken):
                continue  # nothing changes: no head, no body spoken of, no side taken
            if head_hint:
                if heads_used is not None:
                    heads_used.add((source_id, s.text, last_body))
                for body, person in _cached("heads", (s.text, last_body),
                                            partial(_head_claims, s.text, last_body, body_patterns)):
                    focus = body
                    who = people.get((person, roles_key))
                    if who is None:
                        who = people[(person, roles_key)] = _canonical_person(person, glossary, roles)
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
                by_side = claims[(topic, law)]
                on = by_side.get(side)
                if on is None:
                    on = by_side[side] = Side(side)
                on.add(s.source, s.text, s.facts)
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
                    strong_sources = set(by_value[strong].sources)
                    keep.add_quotes([q for q in by_value[w].quotes if q[0] not in strong_sources], by_value[w].facts)
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



