"""Running a template's selection against the store (see :mod:`briefer.domain.templates`):
which facts each section picks, in what order, and fitting them to the length budget."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from briefer.domain import titles
from briefer.domain.briefing import (
    Briefing,
    BriefingSection,
    Change,
    Cover,
    FactItem,
    Options,
    WhatsNew,
)
from briefer.domain.freshness import month_end
from briefer.domain.key_points import copies_body
from briefer.domain.models import Fact, FactStatus
from briefer.domain.template_model import (
    LengthBudget,
    Template,
    TemplateSection,
    check_against_store,
)
from briefer.model.plain import Plain

if TYPE_CHECKING:
    from briefer.domain.reading import CachedStore
    from briefer.store.db import Store
    from briefer.store.editions import FactChange


class SelectedSection(Plain):
    _fields = ("template_section", "fact_ids", "explicit", "candidates")
    template_section: TemplateSection
    fact_ids: list[str]
    #: which of fact_ids were named explicitly (the rest came from the query)
    explicit: set[str]
    #: with a length budget: every fact the query offers, best first (the budget picks among them)
    candidates: list[str]

    def __init__(self, template_section: TemplateSection, fact_ids: list[str], explicit: set[str] | None = None,
                       candidates: list[str] | None = None) -> None:
        self.template_section, self.fact_ids = template_section, fact_ids
        self.explicit = set() if explicit is None else explicit
        self.candidates = [] if candidates is None else candidates


class SelectionResult(Plain):
    _fields = ("sections", "facts", "warnings", "trimmed", "trimmed_why", "pool", "store_facts")
    _compared = ("sections", "facts", "warnings", "trimmed", "trimmed_why", "pool", "store_facts", "fitted_reading")
    sections: list[SelectedSection]
    facts: dict[str, Fact]
    warnings: list[str]
    #: facts left out to keep within the length budget, most important first
    trimmed: list[str]
    #: why each was left out
    trimmed_why: dict[str, str]
    #: every fact of the store the selection looked at, by id
    pool: dict[str, Fact]
    #: every fact of the store, as read for the selection (None: the caller gave the facts to select from)
    store_facts: list[Fact] | None
    #: the store as the length budget read it to lay the briefing out (its facts, sources, sections,
    #: glossary and figures, read once): the export of the fitted briefing resolves it from the same reading
    fitted_reading: CachedStore | None

    def __init__(self, sections: list[SelectedSection], facts: dict[str, Fact], warnings: list[str],
                       trimmed: list[str] | None = None, trimmed_why: dict[str, str] | None = None,
                       pool: dict[str, Fact] | None = None, store_facts: list[Fact] | None = None,
                       fitted_reading: CachedStore | None = None) -> None:
        self.sections, self.facts, self.warnings = sections, facts, warnings
        self.trimmed = [] if trimmed is None else trimmed
        self.trimmed_why = {} if trimmed_why is None else trimmed_why
        self.pool = {} if pool is None else pool
        self.store_facts, self.fitted_reading = store_facts, fitted_reading

    def reading(self, store: Store, facts: dict[str, Fact] | None = None) -> CachedStore:
        """``store`` read through a cache that already holds what this selection read from it."""
        from briefer.domain.document import CachedStore

        return CachedStore(store, facts, all_facts=self.store_facts)

    def fact_ids(self) -> list[str]:
        return [fid for s in self.sections for fid in s.fact_ids]

    def why(self, fact_id: str) -> list[tuple[int, str]]:
        """(section index, "explicit" | "query") for every section holding ``fact_id``."""
        return [(i, "explicit" if fact_id in s.explicit else "query")
                for i, s in enumerate(self.sections) if fact_id in s.fact_ids]


def about_date(fact: Fact) -> date:
    """When what ``fact`` tells of happened, for a chronological section.  Its as-of date, unless a ``date:``
    tag (a year, a month or a day) names a time wholly before it: an assessment made in June 2025 of the
    Biden years is tagged ``date:2021`` and sits with 2021, an event's fact has its own date as its as-of
    date, and a tag of the as-of date's own year or month says no more than the as-of date does."""
    about = fact.as_of
    for tag in fact.tags:
        period = _tag_period(tag[5:]) if tag.startswith("date:") else None
        if period is not None and period[1] < fact.as_of:
            about = min(about, period[0])
    return about


def _tag_period(text: str) -> tuple[date, date] | None:
    """The first and last day a ``date:`` tag's value names (``2021``, ``2024-04``, ``2025-06-17``)."""
    parts = text.split("-")
    try:
        if len(parts) == 1:
            year = int(parts[0])
            return date(year, 1, 1), date(year, 12, 31)
        if len(parts) == 2:
            year, month = int(parts[0]), int(parts[1])
            return date(year, month, 1), month_end(year, month)
        day = date.fromisoformat(text)
        return day, day
    except ValueError:
        return None


class SourceOrder:
    """Where each fact's first quotation stands in its source, to order facts that tie (see
    :class:`_InSource`): a source's text is read once, when the first fact quoting it is placed."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._texts: dict[str, str] = {}
        self._places: dict[str, tuple[str, int | None]] = {}

    def place(self, fact: Fact) -> tuple[str, int | None]:
        """(source id, offset of the quotation in its text, or None when the text does not hold it)."""
        if fact.id not in self._places:
            from briefer.domain.provenance import find_quote
            from briefer.errors import NotFoundError

            c = fact.citations[0]
            if c.source not in self._texts:
                try:
                    self._texts[c.source] = self._store.source(c.source).text
                except NotFoundError:
                    self._texts[c.source] = ""
            found = find_quote(self._texts[c.source], c.quote)
            self._places[fact.id] = (c.source, found[0] if found is not None else None)
        return self._places[fact.id]


class _InSource:
    """The last term of a sort key: facts equal in all before it go in their source's order (the first
    quotation's place in its text), then by id; compared only between such ties, so a text is read only
    when two of its facts tie ("The first task", "The second task", "The third task" of one paragraph)."""

    __slots__ = ("fact", "sources")

    def __init__(self, fact: Fact, sources: SourceOrder | None) -> None:
        self.fact, self.sources = fact, sources

    def _key(self) -> tuple[Any, ...]:
        if self.sources is None:
            return ("", False, 0, -self.fact.priority, self.fact.id)
        source, offset = self.sources.place(self.fact)
        return (source, offset is None, offset or 0, -self.fact.priority, self.fact.id)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _InSource) and self.fact.id == other.fact.id

    def __hash__(self) -> int:
        return hash(self.fact.id)

    def __lt__(self, other: _InSource) -> bool:
        return self._key() < other._key()


def _sort_key(order: str, sources: SourceOrder | None = None) -> Any:
    if order == "date":
        return lambda f: (-f.as_of.toordinal(), -f.priority, _InSource(f, sources))
    if order == "chronological":
        # by when it happened, not by when it was said; what one source tells of the same time, in the
        # order the source tells it (a paragraph's assessment, then its examples), not by priority or id
        return lambda f: (about_date(f).toordinal(), f.as_of.toordinal(), _InSource(f, sources))
    # "priority", and the facts an "explicit" section's query adds after the named ones
    return lambda f: (-f.priority, -f.as_of.toordinal(), _InSource(f, sources))


def run_selection(template: Template, store: Store, *, all_facts: Iterable[Fact] | None = None,
                  today: date | None = None, horizon_months: int = 12, edition: int | None = None) -> SelectionResult:
    """Re-run every section's selection against the store.  A fact appears at
    most once in a briefing: a fact named explicitly stays where it is named,
    and otherwise the first section whose query picks it keeps it."""
    warnings = check_against_store(template, store)
    facts = list(all_facts) if all_facts is not None else store.facts()
    by_id = {f.id: f for f in facts}
    by_section: dict[str, list[Fact]] = {}
    for f in facts:
        by_section.setdefault(f.section, []).append(f)
    take_superseded = template.switches.include_superseded
    budgeted = bool(template.length.target_pages or template.length.target_words)

    # explicit facts first, wherever they are named
    placed: set[str] = set()
    superseded_named: list[str] = []
    out: list[SelectedSection] = []
    for ts in template.sections:
        ids: list[str] = []
        for fid in ts.selection.fact_ids:
            fact = by_id.get(fid)
            if fact is None or fid in placed:
                continue
            if fact.status == FactStatus.SUPERSEDED and not take_superseded:
                superseded_named.append(fid)
                continue
            ids.append(fid)
            placed.add(fid)
        out.append(SelectedSection(ts, ids, set(ids)))
    explicit_all = set(placed)
    # a chronological section orders what one source tells of the same time as the source does
    source_order = SourceOrder(store)

    # then each section's query, in order
    for sel_sec in out:
        ts = sel_sec.template_section
        sel, q = ts.selection, ts.selection.query
        if q is None:
            continue
        if q.sections is None:
            pool = by_section.get(ts.section, [])
        elif q.sections == "all":
            pool = facts
        else:
            pool = [f for sid in q.sections for f in by_section.get(sid, [])]
        exclude = explicit_all if budgeted else placed
        picked = [f for f in pool if f.id not in exclude and q.matches(f)
                  and (f.status != FactStatus.SUPERSEDED or take_superseded)]
        picked.sort(key=_sort_key(sel.order, source_order))
        if budgeted:
            # the length budget chooses among all of them (see _fit_budget)
            sel_sec.candidates = [f.id for f in picked]
            continue
        room = None if sel.max_count is None else max(0, sel.max_count - len(sel_sec.fact_ids))
        for f in picked[:room]:
            sel_sec.fact_ids.append(f.id)
            placed.add(f.id)
    for sel_sec in out:
        _order_section(sel_sec, by_id, source_order)
    if superseded_named:
        warnings.append(f"template {template.name!r} names superseded fact{'s' if len(superseded_named) > 1 else ''} "
                        f"{', '.join(superseded_named)}, left out (the include_superseded switch is off)")
    result = SelectionResult(out, {f.id: f for f in facts}, warnings, pool=by_id)
    if all_facts is None:
        result.store_facts = facts  # every fact of the store, just read: the layouts below need not read them again
    if budgeted:
        _fit_budget(template, result, store, today=today, horizon_months=horizon_months, edition=edition)
    result.facts = {fid: by_id[fid] for fid in result.fact_ids()}
    return result


def _order_section(sel_sec: SelectedSection, by_id: dict[str, Fact], sources: SourceOrder | None = None) -> None:
    """Put a section's facts in its order (explicit order keeps the named facts first, as named), then
    bring facts about the same event (an ``event:`` tag) together, at the place of the first."""
    order = sel_sec.template_section.selection.order
    key = _sort_key(order, sources)
    for attr in ("fact_ids", "candidates"):
        ids = [fid for fid in getattr(sel_sec, attr) if fid in by_id]
        if order != "explicit":
            ids.sort(key=lambda fid: key(by_id[fid]))
        setattr(sel_sec, attr, group_related(ids, by_id))


def group_related(ids: list[str], by_id: dict[str, Fact]) -> list[str]:
    """``ids`` with the facts that share an ``event:`` tag moved up to follow the first of them."""
    groups: dict[str, list[str]] = {}
    out: list[str] = []
    for fid in ids:
        events = [t for t in by_id[fid].tags if t.startswith("event:")]
        home = next((e for e in events if e in groups), None)
        if home is None:
            out.append(fid)
            for e in events:
                groups.setdefault(e, [fid])
        else:
            last = groups[home][-1]
            out.insert(out.index(last) + 1, fid)
            groups[home].append(fid)
    return out


def _words(text: str) -> int:
    return len(text.split())


def importance(fact: Fact, section_index: int, n_sections: int, newest: date | None = None) -> tuple[float, str]:
    """How much a fact matters to a briefing, best first when sorted: its priority, then its section's
    weight (earlier sections weigh more), then recency -- never its length."""
    weight = 1.0 - section_index / max(1, n_sections)
    recency = 0.0
    if newest is not None:
        recency = max(0.0, 1.0 - (newest - fact.as_of).days / 3650)
    return (-(fact.priority * 10 + weight * 3 + recency), fact.id)


def budget_text(length: LengthBudget) -> str:
    from briefer.domain.typography import count

    parts = []
    if length.target_pages:
        parts.append(count(length.target_pages, "page"))
    if length.target_words:
        parts.append(count(length.target_words, "word") + " of text")
    return " and ".join(parts)


#: once the page is full, later (less important) facts are still tried until this many in a row do not fit
_MAX_MISSES = 12
#: what a length budget keeps for a "What's new" section: its heading and one line.  The lines of a
#: week with many changes come on top, so re-running a template whose facts did not change picks the
#: same facts (and says nothing changed), whatever the previous edition's changes were.
WHATS_NEW_ROOM = WhatsNew.model_construct(since=date(2000, 1, 1), changes=[])
#: a first edition of a note that leads with what changed says so in one line
FIRST_EDITION_LINE = WhatsNew.model_construct(since=None, changes=[])  # (given: pydantic would inspect list())


def whats_new_variants(template: Template) -> list[WhatsNew | None]:
    """The "What's new" sections a fitted briefing must have room for: a later edition's heading and first
    line, and a first edition's (nothing, or one line in a note that leads with what changed)."""
    if not template.switches.whats_new:
        return [None]
    return [WHATS_NEW_ROOM, FIRST_EDITION_LINE if template.switches.whats_new_first else None]


def _fit_budget(template: Template, result: SelectionResult, store: Store, *, today: date | None = None,
                horizon_months: int = 12, edition: int | None = None) -> None:
    """Choose the facts so the briefing fits its length budget: pages as laid out by
    :func:`briefer.domain.pages.estimate`, and words of body text (footnotes do not count).
    Every section first gets its most important fact that fits, then the other facts go in
    by importance (priority, section weight, recency) while they fit and their section has
    room.  Facts a template names explicitly go first, but a budget is a budget: one that
    does not fit is left out too, and said so.  Each left-out fact is recorded with why."""
    from briefer.domain.document import resolve
    from briefer.domain.pages import estimate
    from briefer.domain.resolving import with_whats_new

    max_pages = template.length.target_pages
    max_words = template.length.target_words
    secs = result.sections
    n = len(secs)
    offers: list[tuple[int, str]] = []  # (section index, fact id), each fact in its first offering section
    seen: set[str] = set()
    for i, s in enumerate(secs):
        for fid in [*s.fact_ids, *s.candidates]:
            if fid not in seen:
                seen.add(fid)
                offers.append((i, fid))
    facts = result.facts
    newest = max((facts[fid].as_of for _, fid in offers), default=None)
    cached = result.reading(store, {fid: facts[fid] for _, fid in offers})
    if result.store_facts is not None:  # read from the store just now (not facts the caller gave)
        result.fitted_reading = cached
    day = today or date.today()
    chosen: list[set[str]] = [set() for _ in secs]
    budget = budget_text(template.length)

    def apply() -> None:
        for s, pick in zip(secs, chosen, strict=True):
            s.fact_ids = [fid for fid in s.candidates if fid in pick]

    explicit_ids = {fid for s in secs for fid in s.explicit}
    all_offered = [(i, fid) for i, fid in offers]
    for s in secs:
        s.candidates = list(dict.fromkeys([*s.fact_ids, *s.candidates]))

    tried: dict[tuple[frozenset[str], ...], bool] = {}

    def fits() -> bool:
        # the same choice is tried more than once (a halving step, then the run it found): laid out once
        key = tuple(frozenset(c) for c in chosen)
        if key not in tried:
            tried[key] = lay_out_fits()
        return tried[key]

    # every layout's briefing has the same cover and options (result.facts, which the title's date comes from,
    # is the whole pool until the fitting ends): made once, as each fact's item is
    first = briefing_from_selection(template, result, today=day, edition=edition)
    items: dict[str, FactItem] = {}

    def item(fid: str) -> FactItem:
        return items.get(fid) or items.setdefault(fid, FactItem.model_construct(fact_id=fid))

    def lay_out_fits() -> bool:
        apply()
        briefing = _briefing_of(template, result, first.cover, first.options, item)
        # with room for a "What's new" section's heading and first line, and without one (a first
        # edition): a figure that moves with the text can make the shorter one the longer on paper
        doc = None
        for whats_new in whats_new_variants(template):
            briefing.whats_new = whats_new
            # the other variant differs only in that section (and its line in the contents): not resolved again
            doc = (with_whats_new(doc, briefing) if doc is not None else None) or \
                resolve(briefing, cached, today=day, horizon_months=horizon_months)  # type: ignore[arg-type]
            est = estimate(doc)
            if not ((max_pages is None or est.pages <= max_pages) and
                    (max_words is None or est.body_words <= max_words)):
                return False
        return True

    pinned = [fid for fid in template.key_points.fact_ids if fid in seen]
    ranked = sorted(all_offered, key=lambda o: (o[1] not in pinned, o[1] not in explicit_ids,
                                                importance(facts[o[1]], o[0], n, newest)))
    left_out: dict[str, str] = {}
    # the same claim offered twice (by two sections, or by two facts) is offered once, in the first
    from briefer.domain.similar import first_of_each_claim

    repeats = first_of_each_claim((fid, facts[fid].statement) for _, fid in offers)
    for fid, kept in repeats.items():
        left_out[fid] = f"it makes the same claim as fact {kept}"
    ranked = [(i, fid) for i, fid in ranked if fid not in repeats]

    def room(i: int, extra: int = 1) -> bool:
        mx = secs[i].template_section.selection.max_count
        return mx is None or len(chosen[i]) + extra <= mx

    # the key points the template pins are developed in the body: they go in first
    for i, fid in ranked:
        if fid in pinned and room(i):
            chosen[i].add(fid)
    # ... unless they do not all fit: then the least important leave the body, and their key
    # point (the headline, with the fact's footnote) is where the briefing says them
    for i, fid in reversed([o for o in ranked if o[1] in pinned]):
        if fits():
            break
        chosen[i].discard(fid)
        left_out[fid] = f"pinned as a key point; the body has no room for it within {budget}"
    # every section then gets its most important fact that fits: all of them at once when the first of
    # each fit together (one layout instead of one per section), else section by section
    firsts = [next(((j, fid) for j, fid in ranked if j == i), None) if not chosen[i] and room(i) else None
              for i in range(n)]
    batch = [f for f in firsts if f is not None]
    for i, fid in batch:
        chosen[i].add(fid)
    if batch and not fits():
        for i, fid in batch:
            chosen[i].discard(fid)
    for i in range(n):
        if chosen[i]:
            continue
        for j, fid in ranked:
            if j != i or not room(i):
                continue
            chosen[i].add(fid)
            if fits():
                break
            chosen[i].discard(fid)
    rest = []
    for i, fid in ranked:
        if fid in chosen[i]:
            continue
        if not room(i):
            left_out[fid] = "its section is full (max_count)"
            continue
        rest.append((i, fid))

    def add(items: Sequence[tuple[int, str]]) -> list[tuple[int, str]]:
        """Add what the sections have room for; return what was added."""
        added = []
        for i, fid in items:
            if room(i):
                chosen[i].add(fid)
                added.append((i, fid))
        return added

    def undo(added: Sequence[tuple[int, str]]) -> None:
        for i, fid in added:
            chosen[i].discard(fid)

    # then the rest by importance: the longest run of the most important that fits (found by
    # halving), then each later one that still fits, until a dozen in a row do not
    lo, hi = 0, len(rest)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        added = add(rest[:mid])
        ok = fits()
        undo(added)
        if ok:
            lo = mid
        else:
            hi = mid - 1
    add(rest[:lo])
    misses = 0
    for i, fid in rest[lo:]:
        if fid in chosen[i]:
            continue
        if not room(i):
            left_out[fid] = "its section is full (max_count)"
            continue
        if misses >= _MAX_MISSES:
            left_out[fid] = f"does not fit the budget of {budget}"
            continue
        chosen[i].add(fid)
        if fits():
            misses = 0
        else:
            chosen[i].discard(fid)
            misses += 1
            left_out[fid] = f"does not fit the budget of {budget}"
    ranked_all = sorted(all_offered, key=lambda o: importance(facts[o[1]], o[0], n, newest))
    ranked = ranked_all
    apply()
    for s in secs:
        s.explicit = {fid for fid in s.explicit if fid in s.fact_ids}
    result.trimmed = [fid for _, fid in ranked if fid in left_out]
    result.trimmed_why = {fid: left_out[fid] for fid in result.trimmed}
    named_out = [fid for fid in result.trimmed if fid in explicit_ids]
    if named_out:
        result.warnings.append(
            f"template {template.name!r} names {len(named_out)} fact{'s' if len(named_out) != 1 else ''} that "
            f"do{'es' if len(named_out) == 1 else ''} not fit its budget of {budget}, left out: "
            + ", ".join(named_out[:10]) + (f" and {len(named_out) - 10} more" if len(named_out) > 10 else ""))
    if not fits():
        result.warnings.append(f"the briefing is still longer than its budget of {budget}: "
                               "its fixed parts (cover, contents, appendices) do not fit")
    apply()
    for s in secs:
        if not s.fact_ids and s.candidates:
            heading = s.template_section.heading or s.template_section.section
            result.warnings.append(f"section {heading!r} is left out: none of its facts fits the budget of {budget}")


# -- building the briefing -----------------------------------------------------------------


def briefing_from_selection(template: Template, result: SelectionResult, *, today: date,
                            edition: int | None = None) -> Briefing:
    sw = template.switches
    as_of = max((f.as_of for f in result.facts.values()), default=None)
    title = titles.render(template.cover.title_pattern, {
        "title": template.cover.title, "template": template.name, "audience": template.audience,
        "date": today, "as_of": as_of, "edition": edition,
    }) or template.cover.title or template.name
    # from the validated template and the store's fact ids: not validated again, at every layout the length
    # budget tries (and pydantic then never builds the briefing models' validators in an export)
    tc = template.cover
    cover = Cover.model_construct(title=title, subtitle=tc.subtitle, prepared_for=tc.prepared_for,
                                  prepared_by=tc.prepared_by, date_of_issue=today, marking=tc.marking)
    return _briefing_of(template, result, cover, options_of(sw), lambda fid: FactItem.model_construct(fact_id=fid))


def _briefing_of(template: Template, result: SelectionResult, cover: Cover, options: Options,
                 item: Callable[[str], FactItem]) -> Briefing:
    sections = [
        BriefingSection.model_construct(
            section=s.template_section.section, heading=s.template_section.heading, intro=s.template_section.intro,
            layout=s.template_section.layout, items=[item(fid) for fid in s.fact_ids])
        for s in result.sections
        if s.fact_ids or not budgeted(template)  # a section the budget leaves empty is left out
    ]
    return Briefing.model_construct(cover=cover, options=options, sections=sections,
                                    key_points=pinned_key_points(template, result))


def options_of(switches: Options) -> Options:
    """A briefing's options, as the template's switches set them (read field by field, as ``model_dump`` would
    give them, without building the switches' serializer at every start)."""
    values: dict[str, Any] = {}
    for name in Options.model_fields:
        value = getattr(switches, name)
        values[name] = list(value) if isinstance(value, list) else value
    return Options.model_construct(**values)


def budgeted(template: Template) -> bool:
    """True when the template has a length budget its facts are fitted to."""
    return bool(template.length.target_pages or template.length.target_words)


def pinned_key_points(template: Template, result: SelectionResult) -> list[str]:
    """The fact ids the template pins as key points: named ones in the briefing or the store, then
    for each tag the most important chosen fact that carries it."""
    kp = template.key_points
    chosen = result.fact_ids()
    out = [fid for fid in kp.fact_ids if fid in result.facts or fid in result.pool]
    n = len(result.sections)
    index = {fid: i for i, s in enumerate(result.sections) for fid in s.fact_ids}
    for tag in kp.tags:
        # not one whose point would only repeat its paragraph word for word (no headline, one short sentence)
        carrying = [result.facts[fid] for fid in chosen if fid in result.facts and tag in result.facts[fid].tags
                    and fid not in out and not copies_body(result.facts[fid], None)]
        if carrying:
            best = min(carrying, key=lambda f: importance(f, index.get(f.id, n), n))
            out.append(best.id)
    return list(dict.fromkeys(out))


def whats_new_from_changes(since: date, changes: Sequence[FactChange]) -> WhatsNew:
    # from the store's typed records (a date; each change's kind, fact id and text): not validated again, and an
    # export then never builds the "What's new" models' validators
    return WhatsNew.model_construct(since=since, changes=[
        Change.model_construct(kind=c.briefing_kind, fact_id=c.fact_id, text=c.text) for c in changes])
