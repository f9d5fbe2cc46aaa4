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

import itertools
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
#: words a briefing page holds, footnotes included (measured: about 650 on a full A4 page in LibreOffice,
#: less the header, footer and spacing)
WORDS_PER_PAGE = 540

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
    order: Literal["priority", "date", "chronological"] = "priority"
    """how the query's facts are ordered: highest priority first, newest first ("date") or oldest first"""


class TemplateSection(_Model):
    section: Slug
    """a section id of the fact store, e.g. "risks"; its title is the heading unless overridden"""
    heading: Annotated[str, Field(max_length=200)] | None = None
    intro: Annotated[str, Field(max_length=5000)] = ""
    selection: Selection = Field(default_factory=Selection)
    layout: Literal["bullets", "paragraphs"] = "bullets"


class LengthBudget(_Model):
    """How long the briefing should be, counting every word a reader sees
    (footnotes included).  When set, facts a query picked go in by priority
    only while the briefing fits; explicit facts always stay."""

    target_words: int | None = Field(default=None, ge=50, le=200_000)
    target_pages: int | None = Field(default=None, ge=1, le=500)

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


class Template(_Model):
    format: Literal["briefer-template"] = "briefer-template"
    schema_version: int = TEMPLATE_SCHEMA_VERSION
    name: str
    description: Annotated[str, Field(max_length=2000)] = ""
    audience: Annotated[str, Field(max_length=300)] = ""
    length: LengthBudget = Field(default_factory=LengthBudget)
    cover: CoverSettings = Field(default_factory=CoverSettings)
    switches: Switches = Field(default_factory=Switches)
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
    #: facts left out to keep within the length budget
    trimmed: list[str] = field(default_factory=list)

    def fact_ids(self) -> list[str]:
        return [fid for s in self.sections for fid in s.fact_ids]

    def why(self, fact_id: str) -> list[tuple[int, str]]:
        """(section index, "explicit" | "query") for every section holding ``fact_id``."""
        return [(i, "explicit" if fact_id in s.explicit else "query")
                for i, s in enumerate(self.sections) if fact_id in s.fact_ids]


def _sort_key(order: str) -> Any:
    if order == "date":
        return lambda f: (-f.as_of.toordinal(), -f.priority, f.id)
    if order == "chronological":
        return lambda f: (f.as_of.toordinal(), -f.priority, f.id)
    return lambda f: (-f.priority, -f.as_of.toordinal(), f.id)


def run_selection(template: Template, store: Store, *, all_facts: Iterable[Fact] | None = None) -> SelectionResult:
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
    budgeted = template.length.word_limit() is not None

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
    if superseded_named:
        warnings.append(f"template {template.name!r} names superseded fact{'s' if len(superseded_named) > 1 else ''} "
                        f"{', '.join(superseded_named)}, left out (the include_superseded switch is off)")
    result = SelectionResult(out, {f.id: f for f in facts}, warnings)
    if budgeted:
        _fit_budget(template, result, store)
    result.facts = {fid: by_id[fid] for fid in result.fact_ids()}
    return result


def _words(text: str) -> int:
    return len(text.split())


#: the most combinations of one fact a section the length budget tries exhaustively
_MAX_COMBINATIONS = 5000
#: space a heading takes, in words of body text
HEADING_WORDS = 20
#: space the cover block takes at the top of page 1 when it has no page of its own
COVER_BLOCK_WORDS = 80
#: a footnote quote is shortened to about this many words
QUOTE_WORDS = 40


def fact_words(fact: Fact, source_titles: dict[str, str]) -> int:
    """Words a reader sees for one fact: its statement and its footnote."""
    words = _words(fact.statement)
    for c in fact.citations:
        words += 6 + _words(source_titles.get(c.source, "")) + min(_words(c.quote), QUOTE_WORDS)
        if c.claim:
            words += _words(c.claim)
    return words


def estimate_words(template: Template, result: SelectionResult, source_titles: dict[str, str] | None = None) -> int:
    """Words the briefing will hold, footnotes included: statements, headings,
    intros, a default summary's key points, and the cover block when it shares page 1."""
    titles_ = source_titles or {}
    cache: dict[str, int] = {}

    def fw(fid: str) -> int:
        if fid not in cache:
            cache[fid] = fact_words(result.facts[fid], titles_)
        return cache[fid]

    words = 0 if template.switches.cover_page else COVER_BLOCK_WORDS
    for s in result.sections:
        words += max(HEADING_WORDS, _words(s.template_section.heading or ""))
        words += _words(s.template_section.intro)
        words += sum(fw(fid) for fid in s.fact_ids)
    if template.switches.summary:
        words += HEADING_WORDS
        top = sorted((result.facts[fid] for fid in result.fact_ids()), key=_sort_key("priority"))
        words += sum(fw(f.id) for f in top[: template.switches.summary_points])
    return words


def _fit_budget(template: Template, result: SelectionResult, store: Store) -> None:
    """Choose the facts the queries offer so the briefing fits its length
    budget: every section first gets its best candidate that fits, then the
    others go in by priority, each only if it still fits and its section has
    room (max_count).  Explicit facts always stay; a fact goes in once."""
    limit = template.length.word_limit()
    assert limit is not None
    source_titles = {src.id: src.display_title for src in store.sources()}
    all_facts = dict(result.facts)
    secs = result.sections
    chosen: list[list[str]] = [[] for _ in secs]
    used = {fid for s in secs for fid in s.fact_ids}

    def rebuild() -> None:
        for s, extra in zip(secs, chosen, strict=True):
            order = {fid: i for i, fid in enumerate(s.candidates)}
            s.fact_ids = [fid for fid in s.fact_ids if fid in s.explicit] + sorted(extra, key=order.__getitem__)

    def room(i: int) -> bool:
        mx = secs[i].template_section.selection.max_count
        return mx is None or len(secs[i].explicit) + len(chosen[i]) < mx

    def try_add(i: int, fid: str) -> bool:
        if fid in used or not room(i):
            return False
        chosen[i].append(fid)
        rebuild()
        if estimate_words(template, result, source_titles) <= limit:
            used.add(fid)
            return True
        chosen[i].pop()
        rebuild()
        return False

    # every section first gets one fact: the combination with the highest
    # total priority that fits (searched exhaustively when small), else for
    # each section its highest-priority candidate that fits a fair share
    needing = [i for i, s in enumerate(secs) if not s.fact_ids and s.candidates]
    ranked = {i: sorted(secs[i].candidates,
                        key=lambda f: (-all_facts[f].priority, fact_words(all_facts[f], source_titles)))
              for i in needing}
    per = 1
    while needing and (per + 1) ** len(needing) <= _MAX_COMBINATIONS:
        per += 1
    best: tuple[tuple[int, int], tuple[str, ...]] | None = None
    if needing and per >= 3:
        for combo in itertools.product(*(ranked[i][:per] for i in needing)):
            if len(set(combo)) < len(combo):
                continue
            for i, fid in zip(needing, combo, strict=True):
                chosen[i] = [fid]
            rebuild()
            words = estimate_words(template, result, source_titles)
            if words <= limit:
                key = (sum(all_facts[f].priority for f in combo), -words)
                if best is None or key > best[0]:
                    best = (key, combo)
        for i in needing:
            chosen[i] = []
        rebuild()
    if best is not None:
        for i, fid in zip(needing, best[1], strict=True):
            chosen[i] = [fid]
            used.add(fid)
        rebuild()
    else:
        for n, i in enumerate(needing):
            base = estimate_words(template, result, source_titles)
            share = (limit - base) / (len(needing) - n)
            free = [fid for fid in ranked[i] if fid not in used]
            if not free:
                continue
            pick = None
            for fid in free:
                chosen[i].append(fid)
                rebuild()
                cost = estimate_words(template, result, source_titles) - base
                chosen[i].pop()
                if cost <= share:
                    pick = fid
                    break
            if pick is None:  # nothing fits: the section still says its shortest thing
                pick = min(free, key=lambda f: fact_words(all_facts[f], source_titles))
            chosen[i].append(pick)
            used.add(pick)
            rebuild()
    offers = sorted(((all_facts[fid], i) for i, s in enumerate(secs) for fid in s.candidates),
                    key=lambda fi: (_sort_key("priority")(fi[0]), fi[1]))
    for fact, i in offers:
        try_add(i, fact.id)
    rebuild()
    result.trimmed = list(dict.fromkeys(fid for s in secs for fid in s.candidates if fid not in used))
    total = estimate_words(template, result, source_titles)
    # leaving facts out is what a budget is for, so only going over it is worth a warning
    if total > limit:
        result.warnings.append(f"the briefing is still about {total} words, over the budget of {limit}")


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
    ]
    return Briefing(cover=cover, options=options, sections=sections)


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


def prepare(template: Template, store: Store, *, today: date, origin: str = "user") -> TemplateExport:
    """The export of an already loaded template (see :func:`begin_template_export`)."""
    from briefer.store.editions import compare, fingerprint, latest_edition

    result = run_selection(template, store)
    previous = latest_edition(store, template.name)
    number = (previous.number + 1) if previous else 1
    briefing = briefing_from_selection(template, result, today=today, edition=number)
    prints = [fingerprint(result.facts[fid], s.template_section.section)
              for s in result.sections for fid in s.fact_ids]
    changes: list[FactChange] = []
    if previous is not None:
        changes = compare(previous, prints, store)
        if template.switches.whats_new:
            briefing.whats_new = whats_new_from_changes(previous.exported_on, changes)
    return TemplateExport(template=template, origin=origin, briefing=briefing, warnings=result.warnings,
                          previous=previous, changes=changes, fingerprints=prints, today=today, _store=store)


def begin_template_export(store: Store, data_dir: Path, ref: str, *, today: date) -> TemplateExport:
    """Re-run template ``ref`` (a name in the user library, then a built-in, or a
    template file) against the current store."""
    from briefer.store.templates import TemplateLibrary

    template, origin = TemplateLibrary(data_dir).resolve(ref)
    return prepare(template, store, today=today, origin=origin)


_SAFE_FILE_CHARS = re.compile(r"[^\w\- ]+")


def suggest_file_name(name: str) -> str:
    """A file name for exporting template ``name``: ``<name>.template.json``."""
    stem = _SAFE_FILE_CHARS.sub("-", name).strip(" -") or "template"
    return f"{stem}.template.json"
