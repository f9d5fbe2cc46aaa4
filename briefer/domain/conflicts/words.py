"""The finder's English word lists, from ``resources/vocabularies.json`` (key ``conflicts`` →
``finder``), read once per process, and the patterns built from them.

The claim word lists (bindingness, cooperation, penalties, the government's role) are
:class:`briefer.domain.variance.ConflictWords`; the lists here are the ones the name, date and
number rules read.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class FinderWords:
    abbreviations: dict[str, str]
    filler_words: frozenset[str]
    titles: tuple[str, ...]
    head_nouns: tuple[frozenset[str], ...]
    role_words: frozenset[str]
    not_names: frozenset[str]
    phrase_edge_words: frozenset[str]
    calendar_words: frozenset[str]
    event_nouns: tuple[str, ...]
    #: action -> (phrases, a word that must not follow within 40 characters, or "")
    date_actions: tuple[tuple[str, tuple[str, ...], str], ...]
    number_words: dict[str, int]
    count_modifiers: tuple[str, ...]
    not_counted: frozenset[str]
    figure_stop_words: frozenset[str]
    person_roles: tuple[str, ...]
    named_roles: tuple[str, ...]
    body_references: tuple[str, ...]
    body_appositions: tuple[str, ...]


    def digest(self) -> str:
        """The same for the same lists in every process (a set's order is not)."""
        def plain(v: Any) -> Any:
            if isinstance(v, frozenset | set):
                return sorted(v)
            if isinstance(v, tuple | list):
                return [plain(x) for x in v]
            if isinstance(v, dict):
                return {k: plain(x) for k, x in sorted(v.items())}
            return v

        raw = json.dumps({k: plain(v) for k, v in sorted(vars(self).items())}, ensure_ascii=False)
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def parse_finder_words(raw: dict[str, Any]) -> FinderWords:
    f = raw["conflicts"]["finder"]
    return FinderWords(
        abbreviations={str(k): str(v) for k, v in f["abbreviations"].items()},
        filler_words=frozenset(f["filler_words"]),
        titles=tuple(f["titles"]),
        head_nouns=tuple(frozenset(c) for c in f["head_nouns"]),
        role_words=frozenset(f["role_words"]),
        not_names=frozenset(f["not_names"]),
        phrase_edge_words=frozenset(f["phrase_edge_words"]),
        calendar_words=frozenset(f["calendar_words"]),
        event_nouns=tuple(f["event_nouns"]),
        date_actions=tuple((str(a), tuple(spec["phrases"]), str(spec.get("unless_followed_by", "")))
                           for a, spec in f["date_actions"].items()),
        number_words={str(k): int(v) for k, v in f["number_words"].items()},
        count_modifiers=tuple(f["count_modifiers"]),
        not_counted=frozenset(f["not_counted"]),
        figure_stop_words=frozenset(f["figure_stop_words"]),
        person_roles=tuple(f["person_roles"]),
        named_roles=tuple(f["named_roles"]),
        body_references=tuple(f["body_references"]),
        body_appositions=tuple(f["body_appositions"]),
    )


def load_finder_words(path: Path) -> FinderWords:
    from briefer.errors import ValidationFailed

    try:
        return parse_finder_words(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError, AttributeError, KeyError) as exc:
        raise ValidationFailed(f"the conflict finder's word lists in {path} cannot be read: {exc}") from None


@cache
def finder_words() -> FinderWords:
    """The word lists of ``resources/vocabularies.json``, read once."""
    from briefer import resources

    return load_finder_words(resources.resource("vocabularies.json"))


def alternation(words: Iterable[str], *, spaces: bool = True) -> str:
    """A regex alternation of literal words, longest first; ``spaces``: a space matches any white space."""
    alts = (re.escape(w) for w in sorted(words, key=len, reverse=True))
    return "|".join(a.replace(r"\ ", r"\s+") for a in alts) if spaces else "|".join(alts)


def phrase_re(phrases: Iterable[str], suffix: str = "") -> re.Pattern[str] | None:
    """One pattern for a word list: whole words, any case; ``*`` ends a word with any ending, ``…`` stands
    for up to four words.  ``suffix``: a regex that must follow (a lookahead)."""
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
    return re.compile(r"(?<![\w-])(?:" + "|".join(sorted(alts, key=len, reverse=True)) + r")(?![\w-])" + suffix,
                      re.I)
