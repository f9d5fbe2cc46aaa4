"""A briefing template as data (see :mod:`briefer.domain.templates`): its name rules, the pydantic
model of the file, and reading and checking a template file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from briefer.domain import titles
from briefer.domain.briefing import (
    DEFAULT_MARKING,
    Options,
)
from briefer.domain.models import TAG_RE, Fact, FactStatus, Slug
from briefer.domain.pages import WORDS_PER_PAGE  # words of body text a page holds, for rough counts
from briefer.errors import SchemaTooNewError, ValidationFailed
from briefer.store.template_names import TemplateNameError, check_template_name

if TYPE_CHECKING:
    from briefer.store.db import Store


#: the template file format this Briefer writes and reads
TEMPLATE_SCHEMA_VERSION = 1
TEMPLATE_FORMAT = "briefer-template"
#: a template file larger than this is refused before it is parsed
MAX_TEMPLATE_FILE = 1024 * 1024
_M = TypeVar("_M", bound=BaseModel)


class _Model(BaseModel):
    # the docstrings under the fields are their descriptions in the JSON Schema; scripts/gen_schemas.py
    # reads them (pydantic's use_attribute_docstrings would parse this file's source at every start)
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)


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
                                     json_schema_extra={"minItems": 1})
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

    @field_validator("status")
    @classmethod
    def _some_status(cls, status: list[FactStatus]) -> list[FactStatus]:
        if not status:
            raise ValueError("a query that takes no status matches no fact: take at least one status")
        return status

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
    ("chronological", for a history: by when what a fact tells of happened, its as-of date or an earlier
    "date:" tag), or "explicit": the named facts in the order given, then the query's by priority.  Facts
    about the same event (an "event:" tag) sit together in any order."""


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

    @field_validator("target_words", "target_pages", mode="before")
    @classmethod
    def _not_zero(cls, value: Any, info: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and value <= 0:
            unit = "words" if info.field_name == "target_words" else "pages"
            raise ValueError(f"a budget of {value} {unit} leaves no room for any fact: give a positive number "
                             "of " + unit + ", or no budget")
        return value

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


#: a template id: letters, digits and ``:._-`` (built-ins: ``builtin:<name>``; the user's: generated)
TEMPLATE_ID_RE = r"^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$"
#: the prefix of the fixed ids of the built-in templates
BUILTIN_ID_PREFIX = "builtin:"


def new_template_id() -> str:
    """A fresh id for a user template, kept across renames (and the key of a team library's template row)."""
    import uuid

    return f"t-{uuid.uuid4().hex}"


class Template(_Model):
    format: Literal["briefer-template"] = "briefer-template"
    schema_version: int = TEMPLATE_SCHEMA_VERSION
    id: Annotated[str, Field(max_length=100)] = ""
    """the template's stable id: briefings and editions follow it across renames (empty: not yet given;
    the library gives one on first read)"""
    name: str
    description: Annotated[str, Field(max_length=2000)] = ""
    audience: Annotated[str, Field(max_length=300)] = ""
    length: LengthBudget = Field(default_factory=LengthBudget)
    cover: CoverSettings = Field(default_factory=CoverSettings)
    switches: Switches = Field(default_factory=Switches)
    key_points: KeyPoints = Field(default_factory=KeyPoints)
    sections: list[TemplateSection] = Field(max_length=200, json_schema_extra={"minItems": 1})

    @field_validator("sections")
    @classmethod
    def _some_sections(cls, sections: list[TemplateSection]) -> list[TemplateSection]:
        if not sections:
            raise ValueError("a template needs at least one section")
        return sections

    @field_validator("id")
    @classmethod
    def _id(cls, value: str) -> str:
        import re

        if value and not re.match(TEMPLATE_ID_RE, value):
            raise ValueError(f"{_one_line(value)!r} is not a template id (letters, digits and : . _ - only)")
        return value

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

    if not text.strip():  # not "Expecting value (line 1, column 1)"
        raise ValidationFailed(f"{label} is empty, so it cannot be a {what}")
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
    # a fact whose stored values no longer parse is in the store, only unreadable (its note says the repair)
    unreadable = [fid for fid in missing if fid in store.damaged]
    missing = [fid for fid in missing if fid not in store.damaged]
    out = [_missing_facts_message(template.name, missing)] if missing else []
    if unreadable:
        they = "it is" if len(unreadable) == 1 else "they are"
        out.append(_missing_facts_message(template.name, unreadable, f"whose stored values cannot be read ({they} in "
                                                                     "the store: see the repair below)"))
    return out


def _missing_facts_message(name: str, missing: Sequence[str], why: str = "not in the store") -> str:
    shown = ", ".join(_one_line(m) for m in missing[:10]) + (f" and {len(missing) - 10} more"
                                                             if len(missing) > 10 else "")
    return (f"template {name!r} names {len(missing)} fact{'s' if len(missing) > 1 else ''} {why}, "
            f"left out: {shown}")
