"""Figures drawn from the facts: a timeline of the dated milestones and an
organisation chart of the AI Strategy Headquarters.

A fact takes part in a figure through a tag the fact pack curates:

- ``figure:timeline:<label>`` -- a milestone; its date is the fact's most
  precise ``date:`` tag (``date:2025-05-28`` beats ``date:2025``), else its
  ``as_of``.  A date later than the fact's own ``as_of`` is one the sources
  give as due, and is drawn as still to come.
- ``figure:hq-chart:<role>:<text>`` -- a box of the chart; ``role`` is
  ``head``, ``minister``, ``members`` or ``experts``.

Nothing in a figure is written here: every label, date and box comes from a
tagged fact, and the figure's footnote cites the sources of those facts.  A
disputed fact is drawn marked as disputed; a superseded one is left out (unless
the briefing includes superseded facts).  A figure with too few facts is left
out with a note in the document's warnings, never drawn empty.

A figure sits at the top of the first section of the briefing that holds one
of its facts' sections (the timeline in the background, the chart under the
Headquarters); a briefing with none of those sections has no place for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from briefer.domain.dates import date_in_words
from briefer.domain.models import Fact, FactStatus
from briefer.domain.provenance import without_pictographs
from briefer.model.plain import Frozen

if TYPE_CHECKING:
    from briefer.domain.document import Document
    from briefer.store.db import Store

#: a timeline needs this many dated milestones to say anything
MIN_TIMELINE_EVENTS = 3
#: the chart needs its head and at least one other box
MIN_CHART_BOXES = 2

ROLES = {"head": "Head", "minister": "Minister responsible", "members": "Members", "experts": "Expert group"}
ROLE_ORDER = ("head", "minister", "members", "experts")

#: printed heights in inches, caption and spacing included (the page estimate counts them)
TIMELINE_HEIGHT_IN = 2.75
CHART_HEIGHT_IN = 3.0

_DATE_TAG = re.compile(r"^date:(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


class TimelineEvent(Frozen):
    __slots__ = ("when", "precision", "label", "fact_id", "due", "disputed")
    _fields = __slots__
    when: date
    #: "day", "month" or "year": how much of ``when`` the sources give
    precision: str
    label: str
    fact_id: str
    #: the sources give it as due (later than the fact's as_of): drawn as still to come
    due: bool
    disputed: bool

    def __init__(self, when: date, precision: str, label: str, fact_id: str, due: bool, disputed: bool) -> None:
        object.__setattr__(self, "when", when)
        object.__setattr__(self, "precision", precision)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "fact_id", fact_id)
        object.__setattr__(self, "due", due)
        object.__setattr__(self, "disputed", disputed)

    @property
    def date_text(self) -> str:
        return date_in_words(self.when, self.precision)


class Timeline(Frozen):
    __slots__ = ("events",)
    _fields = __slots__
    events: tuple[TimelineEvent, ...]

    def __init__(self, events: tuple[TimelineEvent, ...]) -> None:
        object.__setattr__(self, "events", events)


class OrgBox(Frozen):
    __slots__ = ("role", "title", "text", "fact_id", "disputed")
    _fields = __slots__
    role: str
    #: the printed role: "Head", "Minister responsible" …
    title: str
    text: str
    fact_id: str
    disputed: bool

    def __init__(self, role: str, title: str, text: str, fact_id: str, disputed: bool) -> None:
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "fact_id", fact_id)
        object.__setattr__(self, "disputed", disputed)


class OrgChart(Frozen):
    __slots__ = ("body", "boxes")
    _fields = __slots__
    body: str
    boxes: tuple[OrgBox, ...]

    def __init__(self, body: str, boxes: tuple[OrgBox, ...]) -> None:
        object.__setattr__(self, "body", body)
        object.__setattr__(self, "boxes", boxes)

    def box(self, role: str) -> OrgBox | None:
        return next((b for b in self.boxes if b.role == role), None)


def _figure_tags(fact: Fact, figure: str) -> list[str]:
    prefix = f"figure:{figure}:"
    return [t[len(prefix):].strip() for t in fact.tags if t.startswith(prefix) and t[len(prefix):].strip()]


def event_date(fact: Fact) -> tuple[date, str]:
    """The most precise ``date:`` tag of ``fact`` (the latest among equals), else its ``as_of``."""
    best: tuple[int, date] | None = None
    for tag in fact.tags:
        m = _DATE_TAG.match(tag)
        if not m:
            continue
        y, mo, d = int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1)
        try:
            when = date(y, mo, d)
        except ValueError:
            continue
        rank = 2 if m.group(3) else 1 if m.group(2) else 0
        if best is None or (rank, when) > best:
            best = (rank, when)
    if best is None:
        return fact.as_of, "day"
    return best[1], ("year", "month", "day")[best[0]]


def due_date(fact: Fact) -> tuple[date, str] | None:
    """(date, precision) of what ``fact`` tells of when that lies after what the fact was current as of
    (a plan or a deadline: "by the end of 2025", told in September), else None.  A year-only date is due
    only in a later year than its as-of date (it counts from the year's end)."""
    when, precision = event_date(fact)
    due = when > fact.as_of if precision != "year" else when.year > fact.as_of.year
    return (when, precision) if due else None


def _shown(facts: Iterable[Fact], include_superseded: bool) -> list[Fact]:
    return [f for f in facts if include_superseded or f.status != FactStatus.SUPERSEDED]


def timeline_from_facts(facts: Iterable[Fact], *, include_superseded: bool = False) -> Timeline:
    events = []
    for f in _shown(facts, include_superseded):
        for label in _figure_tags(f, "timeline"):
            when, precision = event_date(f)
            due = due_date(f) is not None  # after what the fact was current as of
            events.append(TimelineEvent(when, precision, label, f.id, due, f.status == FactStatus.DISPUTED))
    events.sort(key=lambda e: (e.when, e.label))
    return Timeline(tuple(events))


def org_chart_from_facts(facts: Iterable[Fact], *, include_superseded: bool = False) -> OrgChart:
    boxes: dict[str, OrgBox] = {}
    body = "AI Strategy Headquarters"
    for f in sorted(_shown(facts, include_superseded), key=lambda f: (-f.priority, f.id)):
        for value in _figure_tags(f, "hq-chart"):
            role, _, text = value.partition(":")
            if role not in ROLES or not text.strip() or role in boxes:
                continue
            boxes[role] = OrgBox(role, ROLES[role], text.strip(), f.id, f.status == FactStatus.DISPUTED)
            bodies = [t[5:] for t in f.tags if t.startswith("body:") and "Headquarters" in t]
            body = bodies[0] if bodies else body
    return OrgChart(body, tuple(boxes[r] for r in ROLE_ORDER if r in boxes))


# -- into the document ---------------------------------------------------------------------------------------


def _alt_timeline(t: Timeline) -> str:
    items = "; ".join(f"{e.date_text}{' (due)' if e.due else ''}: {e.label}{' (disputed)' if e.disputed else ''}"
                      for e in t.events)
    return f"Timeline of {len(t.events)} milestones, earliest first: {items}."


def _alt_chart(c: OrgChart) -> str:
    parts = [f"{b.title}: {b.text}{' (the sources differ)' if b.disputed else ''}" for b in c.boxes]
    return f"Organisation chart of the {c.body}. " + "; ".join(parts) + "."


def _sources_note(facts: Sequence[Fact], store: Store) -> list[str]:
    """One line: every source the figure's facts cite, in first-cited order, as a short footnote names
    it (author or label, short title, date, the places: "Ichikawa, “Japan’s AI Governance Strategy”,
    17 June 2025, paras. 5, 11"), not the full note's long form: the figure's facts have their own notes."""
    from briefer.domain.document import merge_citations
    from briefer.domain.resolving import Cleaner, format_citation

    sources = {s.id: s for s in store.sources()}
    clean = Cleaner()
    notes = [format_citation(sources.get(c.source), c.quote, without_pictographs(c.location), clean,
                             f"fact {f.id}", c.source)
             for f in facts for c in f.citations]
    # the facts tagged for the figure in the whole library, whether the briefing's text uses them or not
    n = len(facts)
    return [f"Drawn from {n} sourced fact{'s' if n != 1 else ''}. Sources: "
            f"{merge_citations(notes, full=False)}"]


def _figure_parts(figure: str, tagged: list[Fact], store: Store, include_superseded: bool
                  ) -> str | tuple[str, str, float, list[str], list[str], object, set[str]]:
    """What figure ``figure`` is drawn from the store's tagged facts: (caption, alt text, height, sources
    note, fact ids, drawing, the sections of its facts), or why it is left out."""
    if figure == "timeline":
        timeline = timeline_from_facts(tagged, include_superseded=include_superseded)
        if len(timeline.events) < MIN_TIMELINE_EVENTS:
            return (f"the timeline is left out: it needs at least {MIN_TIMELINE_EVENTS} dated milestones and "
                    f"the facts give {len(timeline.events)}")
        ids = list(dict.fromkeys(e.fact_id for e in timeline.events))
        first, last = timeline.events[0].when.year, timeline.events[-1].when.year
        caption = f"Milestones of Japan\u2019s AI policy, {first}\u2013{last}"
        drawing: object = timeline
        alt, height = _alt_timeline(timeline), TIMELINE_HEIGHT_IN
    elif figure == "hq-chart":
        chart = org_chart_from_facts(tagged, include_superseded=include_superseded)
        if chart.box("head") is None or len(chart.boxes) < MIN_CHART_BOXES:
            return ("the organisation chart is left out: the facts do not name the Headquarters\u2019 head and "
                    "at least one other part")
        ids = [b.fact_id for b in chart.boxes]
        # the chart names office-holders: it says when (its newest fact's date), so a later reader knows
        newest = max(f.as_of for f in tagged if f.id in ids)
        caption = f"How the {chart.body} is organised, as of {date_in_words(newest, 'month')}"
        drawing, alt, height = chart, _alt_chart(chart), CHART_HEIGHT_IN
    else:  # the model allows only the two; a newer template file may name more
        return f"the figure {figure!r} is unknown and left out"
    facts = [f for f in tagged if f.id in ids]
    facts.sort(key=lambda f: ids.index(f.id))
    return caption, alt, height, _sources_note(facts, store), ids, drawing, {f.section for f in facts}


def attach_figures(document: Document, store: Store, wanted: Sequence[str], *,
                   include_superseded: bool = False) -> None:
    """Put the ``wanted`` figures into ``document``'s sections and renumber every footnote in order."""
    from briefer.domain.document import FigureBlock

    found = getattr(store, "tagged_facts", None)  # a CachedStore finds them once
    tagged = found("figure:") if found else [f for f in store.facts() if any(t.startswith("figure:") for t in f.tags)]
    memo = getattr(store, "memo", None)  # ... and draws each figure once, whatever briefing it goes into
    placed: list[tuple[int, FigureBlock]] = []
    for figure in dict.fromkeys(wanted):
        key = ("figure", figure, include_superseded)
        parts = memo(key, lambda f=figure: _figure_parts(f, tagged, store, include_superseded)) if memo \
            else _figure_parts(figure, tagged, store, include_superseded)
        if isinstance(parts, str):
            document.warnings.append(parts)
            continue
        caption, alt, height, note, ids, drawing, home = parts
        index = next((i for i, s in enumerate(document.sections) if s.section_id in home), None)
        if index is None:
            document.warnings.append(f"the {'timeline' if figure == 'timeline' else 'organisation chart'} is left "
                                     "out: the briefing has none of the sections its facts belong to")
            continue
        placed.append((index, FigureBlock(figure, 0, caption, alt, 0, list(note), list(ids), drawing, height)))
    for number, (index, block) in enumerate(sorted(placed, key=lambda p: p[0]), 1):
        block.number = number
        sec = document.sections[index]
        # after the section's first paragraph, not straight under the heading: a heading kept with a
        # figure too tall for the rest of the page is left alone at the foot of it in LibreOffice
        at = next((i + 1 for i, b in enumerate(sec.blocks) if not isinstance(b, FigureBlock)), 0)
        while at < len(sec.blocks) and isinstance(sec.blocks[at], FigureBlock):
            at += 1
        sec.blocks.insert(at, block)
    if placed:
        for note, b in enumerate(document.note_blocks(), 1):
            b.note = note
