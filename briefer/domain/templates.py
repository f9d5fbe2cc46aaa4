"""Briefing templates: the reusable shape of a briefing, and the living
re-run of its selection against the current store.

A template is data only (JSON on disk): a name, who it is for, a length
budget, cover settings, switches, and an ordered list of sections whose
selection rules pick facts from the store.  Nothing in a template is ever
executed or evaluated; the cover title pattern is expanded by
:mod:`briefer.domain.titles`, which only substitutes named placeholders.

:func:`begin_template_export` re-runs a template's selection, fills in its
"What's new" section from the previous edition, and returns a
:class:`TemplateExport` whose :meth:`~TemplateExport.record` records the new
edition once the file has been written.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from briefer.domain import titles
from briefer.domain.briefing import (
    DEFAULT_MARKING,
    Briefing,
    BriefingSection,
    Change,
    Cover,
    FactItem,
    Options,
    WhatsNew,
)
from briefer.domain.models import TAG_RE, Fact, FactStatus, Slug
from briefer.domain.pages import WORDS_PER_PAGE  # words of body text a page holds, for rough counts
from briefer.errors import KnownError, SchemaTooNewError, ValidationFailed

if TYPE_CHECKING:
    from briefer.store.db import Store
    from briefer.store.editions import Edition, EditionFact, FactChange

#: the template file format this Briefer writes and reads
TEMPLATE_SCHEMA_VERSION = 1
TEMPLATE_FORMAT = "briefer-template"
#: a template file larger than this is refused before it is parsed
MAX_TEMPLATE_FILE = 1024 * 1024
MAX_NAME = 64
#: a template's file is NAME.json, and file names hold at most 255 bytes on most systems
MAX_NAME_BYTES = 200
# Characters no template name may hold: path separators, characters Windows
# and macOS reserve in file names, and anything invisible.
_RESERVED_CHARS = set('/\\:*?"<>|')
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                     *(f"lpt{i}" for i in range(1, 10))}


_M = TypeVar("_M", bound=BaseModel)

class TemplateNameError(KnownError):
    """A template name that cannot be used."""


def check_template_name(name: str) -> str:
    """``name`` (with surrounding spaces removed) if it can name a template, else TemplateNameError."""
    if not isinstance(name, str):
        raise TemplateNameError("a template name must be text")
    name = unicodedata.normalize("NFC", name.strip())
    shown = name if len(name) <= 80 else name[:77] + "..."
    if not name:
        raise TemplateNameError("a template name cannot be empty")
    if len(name) > MAX_NAME:
        raise TemplateNameError(f"the template name {shown!r} is longer than {MAX_NAME} characters")
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        # the name is the file name (NAME.json): most file systems allow 255 bytes
        raise TemplateNameError(f"the template name {shown!r} is too long for a file name "
                                f"({len(name.encode('utf-8', 'surrogatepass'))} bytes in UTF-8; the limit is "
                                f"{MAX_NAME_BYTES})")
    bad = sorted({ch for ch in name if ch in _RESERVED_CHARS})
    if bad:
        raise TemplateNameError(f"the template name {shown!r} contains {' '.join(bad)}: "
                                "names cannot hold / \\ : * ? \" < > |")
    if any(unicodedata.category(ch)[0] == "C" for ch in name):
        raise TemplateNameError(f"the template name {shown!r} contains control or invisible characters")
    if name.startswith(".") or name.endswith("."):
        raise TemplateNameError(f"the template name {shown!r} cannot start or end with a dot")
    if name.split(".")[0].strip().lower() in _WINDOWS_RESERVED:
        raise TemplateNameError(f"{shown!r} is a reserved device name on Windows and cannot name a template")
    return name


def name_key(name: str) -> str:
    """Template names are compared without regard to case: 'Risk Watch' and 'risk watch' clash."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, use_attribute_docstrings=True)


Tag = Annotated[str, Field(max_length=200)]


class Query(_Model):
    """Which facts of the store a section takes, besides its explicit ones."""

    sections: list[Slug] | Literal["all"] | None = None
    """where to look: null = the template section's own section; "all" = every section; or a list of section ids"""
    tags_any: list[Tag] = Field(default_factory=list, max_length=50)
    """a fact must carry at least one of these tags (empty: no condition)"""
    tags_all: list[Tag] = Field(default_factory=list, max_length=50)
    """a fact must carry every one of these tags"""
    tags_none: list[Tag] = Field(default_factory=list, max_length=50)
    """a fact must carry none of these tags"""
    status: list[FactStatus] = Field(default_factory=lambda: [FactStatus.CURRENT, FactStatus.DISPUTED],
                                     min_length=1)
    """statuses taken; superseded facts also need the template's include_superseded switch"""
    since: date | None = None
    """only facts whose as_of is on or after this date"""
    min_priority: int | None = Field(default=None, ge=1, le=5)
    """only facts of at least this priority (1 background … 5 headline)"""

    @field_validator("tags_any", "tags_all", "tags_none")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        for t in tags:
            if not TAG_RE.match(t):
                raise ValueError(f"{t!r} is not a tag (tags look like 'topic:enforcement' or 'person:Name')")
        return tags

    def matches(self, fact: Fact) -> bool:
        if self.status and fact.status not in self.status:
            return False
        if self.since and fact.as_of < self.since:
            return False
        if self.min_priority and fact.priority < self.min_priority:
            return False
        tags = set(fact.tags)
        if self.tags_any and not tags.intersection(self.tags_any):
            return False
        if self.tags_none and tags.intersection(self.tags_none):
            return False
        return not (self.tags_all and not tags.issuperset(self.tags_all))


class Selection(_Model):
    """Explicit fact ids (kept in their order, first) and/or a query that adds more."""

    fact_ids: list[Annotated[str, Field(max_length=120)]] = Field(default_factory=list, max_length=2000)
    query: Query | None = Field(default_factory=Query)
    """null: only the explicit facts"""
    max_count: int | None = Field(default=None, ge=1, le=2000)
    """the section holds at most this many facts (explicit ones are always kept)"""
    order: Literal["priority", "date", "chronological", "explicit"] = "priority"
    """how the section's facts are ordered: highest priority first, newest first ("date"), oldest first
    ("chronological", for a history), or "explicit": the named facts in the order given, then the query's
    by priority.  Facts about the same event (an "event:" tag) sit together in any order."""


class TemplateSection(_Model):
    section: Slug
    """a section id of the fact store, e.g. "risks"; its title is the heading unless overridden"""
    heading: Annotated[str, Field(max_length=200)] | None = None
    intro: Annotated[str, Field(max_length=5000)] = ""
    selection: Selection = Field(default_factory=Selection)
    layout: Literal["bullets", "paragraphs"] = "bullets"


class LengthBudget(_Model):
    """How long the briefing should be: printed pages (as laid out by Briefer's page estimate, which
    agrees with LibreOffice within 10%) and words of body text (footnotes and appendices do not
    count: notes must fit, but they do not crowd facts out).  When set, facts go in by importance
    (priority, section, recency) only while the briefing fits; a fact that does not fit is left out,
    even one the template names, and the export says which and why."""

    target_words: int | None = Field(default=None, ge=50, le=200_000)
    """at most this many words of body text (key points, headings, intros, facts)"""
    target_pages: int | None = Field(default=None, ge=1, le=500)
    """at most this many printed pages, cover and appendices included"""

    def word_limit(self) -> int | None:
        """The budget in words: target_words when set (the finer measure), else pages × WORDS_PER_PAGE."""
        if self.target_words:
            return self.target_words
        return self.target_pages * WORDS_PER_PAGE if self.target_pages else None


class CoverSettings(_Model):
    title: Annotated[str, Field(max_length=300)] = "Japan\u2019s AI Governance"
    """the value of {title} in the pattern"""
    title_pattern: Annotated[str, Field(max_length=titles.MAX_PATTERN)] = "{title}"
    """placeholders: {title} {template} {audience} {date} {as_of} {edition}; dates take %d %B %Y codes"""
    subtitle: Annotated[str, Field(max_length=300)] = ""
    prepared_for: Annotated[str, Field(max_length=300)] = ""
    prepared_by: Annotated[str, Field(max_length=300)] = ""
    marking: Annotated[str, Field(max_length=200)] = DEFAULT_MARKING
    """handling marking in header and footer; may be empty"""

    @field_validator("title_pattern")
    @classmethod
    def _pattern(cls, pattern: str) -> str:
        try:
            return titles.check_pattern(pattern)
        except titles.PatternError as exc:
            raise ValueError(str(exc)) from None


class Switches(Options):
    """What a template's briefings include: the same switches as a briefing's options."""


class KeyPoints(_Model):
    """Key points the template pins: facts by id, and for each tag the most important fact carrying
    it.  The rest (up to the summary_points switch) are chosen by priority, section and recency."""

    fact_ids: list[Annotated[str, Field(max_length=120)]] = Field(default_factory=list, max_length=20)
    """these facts' headlines, in this order"""
    tags: list[Tag] = Field(default_factory=list, max_length=20)
    """for each tag, the most important fact in the briefing that carries it"""

    @field_validator("tags")
    @classmethod
    def _tags(cls, tags: list[str]) -> list[str]:
        for t in tags:
            if not TAG_RE.match(t):
                raise ValueError(f"{t!r} is not a tag (tags look like 'topic:enforcement' or 'person:Name')")
        return tags


class Template(_Model):
    format: Literal["briefer-template"] = "briefer-template"
    schema_version: int = TEMPLATE_SCHEMA_VERSION
    name: str
    description: Annotated[str, Field(max_length=2000)] = ""
    audience: Annotated[str, Field(max_length=300)] = ""
    length: LengthBudget = Field(default_factory=LengthBudget)
    cover: CoverSettings = Field(default_factory=CoverSettings)
    switches: Switches = Field(default_factory=Switches)
    key_points: KeyPoints = Field(default_factory=KeyPoints)
    sections: list[TemplateSection] = Field(min_length=1, max_length=200)

    @field_validator("name")
    @classmethod
    def _name(cls, name: str) -> str:
        try:
            return check_template_name(name)
        except TemplateNameError as exc:
            raise ValueError(str(exc)) from None

    @model_validator(mode="after")
    def _version(self) -> Template:
        if self.schema_version < 1:
            raise ValueError("schema_version must be 1 or more")
        return self

    def to_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"

    def renamed(self, name: str) -> Template:
        return self.model_copy(update={"name": check_template_name(name)})

    def explicit_fact_ids(self) -> list[str]:
        return [fid for s in self.sections for fid in s.selection.fact_ids]


# -- reading template files ------------------------------------------------------------


def _one_line(text: str, limit: int = 60) -> str:
    """Text from a user's file made safe for a one-line message: no control characters, not too long."""
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _short_errors(exc: ValidationError, limit: int = 3) -> str:
    parts = []
    for err in exc.errors()[:limit]:
        where = ".".join(_one_line(str(p), 40) for p in err["loc"])
        msg = _one_line(err["msg"].removeprefix("Value error, "), 200)
        parts.append(f"{where}: {msg}" if where else msg)
    more = len(exc.errors()) - limit
    return "; ".join(parts) + (f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else "")


def parse_json_data(text: str, label: str, what: str) -> Any:
    """JSON from a data file, with one clear message for anything that is not JSON."""
    from briefer.fileio import NumberTooLarge, loads_bounded

    try:
        return loads_bounded(text)
    except NumberTooLarge as exc:
        raise ValidationFailed(f"{label} cannot be a {what}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ValidationFailed(f"{label} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}), "
                               f"so it cannot be a {what}") from None
    except RecursionError:
        raise ValidationFailed(f"{label} is nested too deeply to be a {what}") from None


def validate_envelope(data: Any, label: str, model: type[_M], *, fmt: str, noun: str, valid_noun: str,
                      max_version: int, version_noun: str, verb: str, other: tuple[str, str]) -> _M:
    """Parsed JSON as one of Briefer's data files (``{"format": fmt, "schema_version": n, ...}``), refusing
    anything else -- the other kind of file (``other`` = its format and what to say), a newer version --
    with one clear sentence."""
    if not isinstance(data, dict):
        raise ValidationFailed(f"{label} is not a Briefer {noun} (it holds a JSON {type(data).__name__}, "
                               "not an object)")
    found = data.get("format")
    if found == other[0]:
        raise ValidationFailed(f"{label} is {other[1]}")
    if found != fmt:
        raise ValidationFailed(f"{label} is not a Briefer {noun} (it has no \"format\": \"{fmt}\")")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ValidationFailed(f"{label} is not a valid {valid_noun}: schema_version must be a whole number")
    if version > max_version:
        raise SchemaTooNewError(
            f"{label} was saved by a newer Briefer ({version_noun} format {version}; this Briefer reads up to "
            f"{max_version}): update Briefer to {verb} it")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(f"{label} is not a valid {valid_noun}: {_short_errors(exc)}") from None
    except RecursionError:
        raise ValidationFailed(f"{label} is nested too deeply to be a {noun}") from None


def template_from_data(data: Any, label: str) -> Template:
    """A Template from parsed JSON, refusing anything that is not a template."""
    return validate_envelope(
        data, label, Template, fmt=TEMPLATE_FORMAT, noun="template", valid_noun="Briefer template",
        max_version=TEMPLATE_SCHEMA_VERSION, version_noun="template", verb="use",
        other=("briefer-briefing", "a briefing file, not a template (open it with --briefing)"))


def read_template_file(path: Path | str, *, label: str | None = None) -> Template:
    """Read and validate a template file (size-capped before parsing)."""
    from briefer.fileio import read_data_file

    path = Path(path)
    text = read_data_file(path, what="Briefer template", limit=MAX_TEMPLATE_FILE)
    return template_from_data(parse_json_data(text, label or str(path), "Briefer template"), label or str(path))


# -- checking a template against a store -------------------------------------------


def check_against_store(template: Template, store: Store) -> list[str]:
    """Raise for section ids the store does not know; warn (return) about unknown fact ids."""
    known = {s.id for s in store.sections()}
    unknown_sections: list[str] = []
    for s in template.sections:
        for sid in [s.section, *(s.selection.query.sections if s.selection.query and
                                 isinstance(s.selection.query.sections, list) else [])]:
            if sid not in known and sid not in unknown_sections:
                unknown_sections.append(sid)
    if unknown_sections:
        raise ValidationFailed(
            f"template {template.name!r} uses unknown section id{'s' if len(unknown_sections) > 1 else ''} "
            f"{', '.join(unknown_sections)} (known: {', '.join(sorted(known))})")
    wanted = template.explicit_fact_ids()
    found = store.facts_by_ids(list(dict.fromkeys(wanted)))
    missing = [fid for fid in dict.fromkeys(wanted) if fid not in found]
    if missing:
        return [_missing_facts_message(template.name, missing)]
    return []


def _missing_facts_message(name: str, missing: Sequence[str]) -> str:
    shown = ", ".join(_one_line(m) for m in missing[:10]) + (f" and {len(missing) - 10} more"
                                                             if len(missing) > 10 else "")
    return (f"template {name!r} names {len(missing)} fact{'s' if len(missing) > 1 else ''} not in the store, "
            f"left out: {shown}")


# -- running the selection ---------------------------------------------------------------


@dataclass
class SelectedSection:
    template_section: TemplateSection
    fact_ids: list[str]
    #: which of fact_ids were named explicitly (the rest came from the query)
    explicit: set[str] = field(default_factory=set)
    #: with a length budget: every fact the query offers, best first (the budget picks among them)
    candidates: list[str] = field(default_factory=list)


@dataclass
class SelectionResult:
    sections: list[SelectedSection]
    facts: dict[str, Fact]
    warnings: list[str]
    #: facts left out to keep within the length budget, most important first
    trimmed: list[str] = field(default_factory=list)
    #: why each was left out
    trimmed_why: dict[str, str] = field(default_factory=dict)
    #: every fact of the store the selection looked at, by id
    pool: dict[str, Fact] = field(default_factory=dict)

    def fact_ids(self) -> list[str]:
        return [fid for s in self.sections for fid in s.fact_ids]

    def why(self, fact_id: str) -> list[tuple[int, str]]:
        """(section index, "explicit" | "query") for every section holding ``fact_id``."""
        return [(i, "explicit" if fact_id in s.explicit else "query")
                for i, s in enumerate(self.sections) if fact_id in s.fact_ids]


def _sort_key(order: str) -> Any:
    if order == "explicit":
        return lambda f: (-f.priority, -f.as_of.toordinal(), f.id)
    if order == "date":
        return lambda f: (-f.as_of.toordinal(), -f.priority, f.id)
    if order == "chronological":
        return lambda f: (f.as_of.toordinal(), -f.priority, f.id)
    return lambda f: (-f.priority, -f.as_of.toordinal(), f.id)


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
        picked.sort(key=_sort_key(sel.order))
        if budgeted:
            # the length budget chooses among all of them (see _fit_budget)
            sel_sec.candidates = [f.id for f in picked]
            continue
        room = None if sel.max_count is None else max(0, sel.max_count - len(sel_sec.fact_ids))
        for f in picked[:room]:
            sel_sec.fact_ids.append(f.id)
            placed.add(f.id)
    for sel_sec in out:
        _order_section(sel_sec, by_id)
    if superseded_named:
        warnings.append(f"template {template.name!r} names superseded fact{'s' if len(superseded_named) > 1 else ''} "
                        f"{', '.join(superseded_named)}, left out (the include_superseded switch is off)")
    result = SelectionResult(out, {f.id: f for f in facts}, warnings, pool=by_id)
    if budgeted:
        _fit_budget(template, result, store, today=today, horizon_months=horizon_months, edition=edition)
    result.facts = {fid: by_id[fid] for fid in result.fact_ids()}
    return result


def _order_section(sel_sec: SelectedSection, by_id: dict[str, Fact]) -> None:
    """Put a section's facts in its order (explicit order keeps the named facts first, as named), then
    bring facts about the same event (an ``event:`` tag) together, at the place of the first."""
    order = sel_sec.template_section.selection.order
    for attr in ("fact_ids", "candidates"):
        ids = [fid for fid in getattr(sel_sec, attr) if fid in by_id]
        if order != "explicit":
            ids.sort(key=lambda fid: _sort_key(order)(by_id[fid]))
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
WHATS_NEW_ROOM = WhatsNew(since=date(2000, 1, 1), changes=[])


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
    from briefer.domain.document import CachedStore

    cached = CachedStore(store, {fid: facts[fid] for _, fid in offers})
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

    def fits() -> bool:
        apply()
        briefing = briefing_from_selection(template, result, today=day, edition=edition)
        # with room for a "What's new" section's heading and first line, and without one (a first
        # edition): a figure that moves with the text can make the shorter one the longer on paper
        for whats_new in ([WHATS_NEW_ROOM, None] if template.switches.whats_new else [None]):
            briefing.whats_new = whats_new
            doc = resolve(briefing, cached, today=day, horizon_months=horizon_months)  # type: ignore[arg-type]
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
    # every section then gets its most important fact that fits
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
    cover = Cover(title=title, subtitle=template.cover.subtitle, prepared_for=template.cover.prepared_for,
                  prepared_by=template.cover.prepared_by, date_of_issue=today, marking=template.cover.marking)
    options = Options(**sw.model_dump())
    sections = [
        BriefingSection(section=s.template_section.section, heading=s.template_section.heading,
                        intro=s.template_section.intro, layout=s.template_section.layout,
                        items=[FactItem(fact_id=fid) for fid in s.fact_ids])
        for s in result.sections
        if s.fact_ids or not budgeted(template)  # a section the budget leaves empty is left out
    ]
    return Briefing(cover=cover, options=options, sections=sections,
                    key_points=pinned_key_points(template, result))


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
        carrying = [result.facts[fid] for fid in chosen if fid in result.facts and tag in result.facts[fid].tags
                    and fid not in out]
        if carrying:
            best = min(carrying, key=lambda f: importance(f, index.get(f.id, n), n))
            out.append(best.id)
    return list(dict.fromkeys(out))


def whats_new_from_changes(since: date, changes: Sequence[FactChange]) -> WhatsNew:
    return WhatsNew(since=since, changes=[Change(kind=c.briefing_kind, fact_id=c.fact_id, text=c.text)
                                          for c in changes])


# -- a living export --------------------------------------------------------------------------


@dataclass
class TemplateExport:
    """One export of a template: the briefing to render, what changed since the
    previous edition, and :meth:`record` to call once the file is written."""

    template: Template
    #: "builtin", "user" or "file"
    origin: str
    briefing: Briefing
    warnings: list[str]
    previous: Edition | None
    changes: list[FactChange]
    fingerprints: list[EditionFact]
    today: date
    _store: Store = field(repr=False)
    _recorded: Edition | None = field(default=None, repr=False)
    #: the selection the briefing was made from (what the budget left out, and why)
    selection: SelectionResult | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.template.name

    def record(self, output: Path | str | None = None) -> None:
        """Record this export as the next edition of the template (call after the file was written)."""
        from briefer.store.editions import record_edition

        if self._recorded is not None:
            return
        self._recorded = record_edition(self._store, self.template.name, exported_on=self.today,
                                        title=self.briefing.cover.title, facts=self.fingerprints,
                                        output=str(output) if output else "")

    @contextmanager
    def recording(self, output: Path | str | None = None) -> Iterator[Edition]:
        """Record this export as the next edition, committed when the block ends without error:
        the file is renamed into place inside it, so both land or neither does."""
        from briefer.store.editions import recording_edition

        with recording_edition(self._store, self.template.name, exported_on=self.today,
                               title=self.briefing.cover.title, facts=self.fingerprints,
                               output=str(output) if output else "") as edition:
            yield edition
        self._recorded = edition

    @property
    def edition(self) -> Edition | None:
        return self._recorded


def prepare(template: Template, store: Store, *, today: date, origin: str = "user",
            horizon_months: int = 12) -> TemplateExport:
    """The export of an already loaded template (see :func:`begin_template_export`).  With a length
    budget the briefing is fitted as it will be exported -- this day, this edition's title, the
    freshness horizon, the "What's new" section -- so an export that fits is never over budget."""
    from briefer.domain.document import resolve
    from briefer.domain.pages import estimate
    from briefer.store.editions import compare, fingerprint, latest_edition

    previous = latest_edition(store, template.name)
    number = (previous.number + 1) if previous else 1
    result = run_selection(template, store, today=today, horizon_months=horizon_months, edition=number)

    def build() -> tuple[Briefing, list[EditionFact], list[FactChange]]:
        briefing = briefing_from_selection(template, result, today=today, edition=number)
        prints = [fingerprint(result.facts[fid], s.template_section.section)
                  for s in result.sections for fid in s.fact_ids]
        changes: list[FactChange] = []
        if previous is not None:
            changes = compare(previous, prints, store)
            if template.switches.whats_new:
                briefing.whats_new = whats_new_from_changes(previous.exported_on, changes)
        return briefing, prints, changes

    briefing, prints, changes = build()
    if budgeted(template):
        lp, lw = template.length.target_pages, template.length.target_words
        while True:
            checked = briefing.model_copy()
            if template.switches.whats_new:
                checked.whats_new = WHATS_NEW_ROOM
            est = estimate(resolve(checked, store, today=today, horizon_months=horizon_months))
            if (not lp or est.pages <= lp) and (not lw or est.body_words <= lw):
                break
            n = len(result.sections)
            chosen = [(i, fid) for i, s in enumerate(result.sections) for fid in s.fact_ids]
            if len(chosen) <= 1:
                break
            i, fid = max(chosen, key=lambda o: importance(result.facts[o[1]], o[0], n))
            result.sections[i].fact_ids.remove(fid)
            result.trimmed.append(fid)
            result.trimmed_why[fid] = f"does not fit the budget of {budget_text(template.length)}"
            briefing, prints, changes = build()
    return TemplateExport(template=template, origin=origin, briefing=briefing, warnings=result.warnings,
                          previous=previous, changes=changes, fingerprints=prints, today=today, _store=store,
                          selection=result)


def begin_template_export(store: Store, data_dir: Path, ref: str, *, today: date) -> TemplateExport:
    """Re-run template ``ref`` (a name in the user library, then a built-in, or a
    template file) against the current store."""
    from briefer.store.preferences import stale_after_months
    from briefer.store.templates import TemplateLibrary

    template, origin = TemplateLibrary(data_dir).resolve(ref)
    return prepare(template, store, today=today, origin=origin, horizon_months=stale_after_months(data_dir))


_SAFE_FILE_CHARS = re.compile(r"[^\w\- ]+")


def suggest_file_name(name: str) -> str:
    """A file name for exporting template ``name``: ``<name>.template.json``."""
    stem = _SAFE_FILE_CHARS.sub("-", name).strip(" -") or "template"
    return f"{stem}.template.json"
