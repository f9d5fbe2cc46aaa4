"""Dates: different dates for the same event (a named summit, conference or meeting, or a law, body or
document with the same action: passed, established, published …).  A finer date inside a coarser one
agrees; one span inside the other is too small to matter (case *minor*)."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import partial

from briefer.domain.conflicts.corpus import _cached, _Corpus, _entity_mentions, _name_pattern
from briefer.domain.conflicts.kinds import Conflict, Side, conflict_key
from briefer.domain.conflicts.words import alternation, finder_words, phrase_re
from briefer.domain.dates import _ANY as _ANY_DATE
from briefer.domain.dates import DateMention, find_dates
from briefer.domain.models import GlossaryEntry

_W = finder_words()
_EVENT = re.compile(r"(?:(?:19|20)\d\d\s+)?(?P<name>(?:[A-Z][\w&'\u2019-]*\s+){0,6}"
                    r"(?:" + alternation(_W.event_nouns) + r"))(?![\w])")
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)\s+", re.I)


def _action_re(phrases: tuple[str, ...], unless: str) -> re.Pattern[str]:
    suffix = r"(?![^.]{0,40}\b" + re.escape(unless) + r"\b)" if unless else ""
    rx = phrase_re(phrases, suffix)
    assert rx is not None, phrases
    return rx


#: (action, the words saying it): "passed" unless the Cabinet follows ("passed by the Cabinet" is approval)
_ACTIONS = [(action, _action_re(phrases, unless)) for action, phrases, unless in _W.date_actions]


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
                    merged[target][label][0].add_quotes(side.quotes, side.facts)
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


