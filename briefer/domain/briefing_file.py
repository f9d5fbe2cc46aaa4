"""Briefing files (``*.briefing.json``): one concrete briefing, saved and reopened.

A briefing file holds the :class:`~briefer.domain.briefing.Briefing` (cover
fields, the facts in order by id, per-briefing wording overrides, analyst
paragraphs, options), the template it came from, the facts the analyst
removed from what the template picked, metadata, and a snapshot of each fact
as it stood when the file was saved, so reopening it can say which facts
changed or were deleted since.  The file is data only: nothing in it is
executed or evaluated.  It is always written atomically.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from briefer import __version__
from briefer.domain.briefing import Briefing, FactItem
from briefer.domain.template_model import _one_line, parse_json_data, validate_envelope

if TYPE_CHECKING:
    from briefer.domain.models import Fact
    from briefer.store.db import Store

BRIEFING_FORMAT = "briefer-briefing"
BRIEFING_SCHEMA_VERSION = 1
BRIEFING_SUFFIX = ".briefing.json"
#: a briefing file larger than this is refused before it is parsed
MAX_BRIEFING_FILE = 16 * 1024 * 1024


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class FactSnapshot(_Model):
    """A fact as it stood in the store when the briefing was saved."""

    statement: str
    status: str
    content_hash: str


class BriefingMetadata(_Model):
    saved_at: datetime | None = None
    saved_by: str = ""
    """The program that wrote the file, e.g. Briefer 0.1.0."""
    analyst: str = ""
    notes: str = ""


class FileBudget(_Model):
    """The length budget of a briefing that follows no template (one started from sections), kept in
    its file so it survives reopening; a briefing made from a template takes the template's."""

    words: int | None = Field(default=None, ge=1, le=1_000_000)
    """body words"""
    pages: int | None = Field(default=None, ge=1, le=10_000)
    """printed pages"""


class BriefingFile(_Model):
    format: Literal["briefer-briefing"] = "briefer-briefing"
    schema_version: int = BRIEFING_SCHEMA_VERSION
    template: str | None = None
    """the name of the template the briefing was made from, if any (as it was when the file was saved)"""
    template_id: str | None = None
    """that template's stable id: the link that survives renaming the template (files saved before
    templates had ids name the template only)"""
    metadata: BriefingMetadata = Field(default_factory=BriefingMetadata)
    budget: FileBudget | None = None
    """the length budget of a briefing that follows no template (see FileBudget)"""
    removed_facts: list[str] = Field(default_factory=list)
    """facts the template picked that the analyst removed from this briefing"""
    briefing: Briefing
    facts: dict[str, FactSnapshot] = Field(default_factory=dict)
    """fact id -> the fact as it was when the file was saved"""


def snapshot(fact: Fact) -> FactSnapshot:
    """What a briefing file keeps of a fact, to say later whether it changed."""
    from briefer.domain.editions import fingerprint

    return FactSnapshot(statement=fact.statement, status=str(fact.status), content_hash=fingerprint(fact).content_hash)


def change_note(fact: Fact, then: FactSnapshot, *, override: bool = False, since: str = "since the file was saved",
                then_when: str = "when the file was saved") -> str | None:
    """The one sentence that says how ``fact`` changed from ``then`` (None when it did not): the marker
    a reopened briefing file shows, and the window shows when a colleague changes a fact live."""
    if snapshot(fact).content_hash == then.content_hash:
        return None
    if str(fact.status) != then.status:
        return f"fact {fact.id} is now {fact.status} (it was {then.status} {then_when})"
    if fact.statement != then.statement:
        extra = " (this briefing uses its own wording of it: check it still holds)" if override else ""
        return f"fact {fact.id} was reworded in the store {since}{extra}"
    return f"fact {fact.id}'s sources changed in the store {since}"


def _snapshots(briefing: Briefing, store: Store) -> dict[str, FactSnapshot]:
    found = store.facts_by_ids(list(dict.fromkeys(briefing.fact_ids())))
    out = {}
    for fid in briefing.fact_ids():
        fact = found.get(fid)
        if fact is not None and fid not in out:
            out[fid] = snapshot(fact)
    return out


def _with_held(briefing: Briefing) -> tuple[Briefing, dict[str, Any]]:
    """``briefing`` with the items it holds back (their fact could not be read when the file was opened: see
    ``Briefing._held``) where they stood, in the sections still there; and the file's snapshots of them."""
    held = briefing._held
    if not held:
        return briefing, {}
    out = briefing.model_copy(deep=True)
    snaps: dict[str, Any] = {}
    for sid, pos, item, snap in held:
        sec = next((s for s in out.sections if s.section == sid), None)
        if sec is None or item.fact_id in out.fact_ids():  # its section was removed, or it is back
            continue
        sec.items.insert(min(pos, len(sec.items)), item.model_copy())
        if snap is not None:
            snaps[item.fact_id] = snap
    return out, snaps


def briefing_file_json(briefing: Briefing, *, template: str | None = None, removed_facts: Sequence[str] = (),
                       analyst: str = "", notes: str = "", store: Store | None = None,
                       saved_at: datetime | None = None, template_id: str | None = None,
                       budget: FileBudget | None = None) -> str:
    briefing, held_snaps = _with_held(briefing)
    envelope = BriefingFile(
        template=template,
        template_id=template_id or None,
        budget=budget if budget is not None and (budget.words or budget.pages) else None,
        metadata=BriefingMetadata(saved_at=saved_at or datetime.now(UTC).replace(microsecond=0),
                                  saved_by=f"Briefer {__version__}", analyst=analyst, notes=notes),
        removed_facts=list(dict.fromkeys(removed_facts)),
        briefing=briefing,
        facts={**held_snaps, **(_snapshots(briefing, store) if store is not None else {})},
    )
    return json.dumps(envelope.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"


def save_briefing_file(path: Path | str, briefing: Briefing, *, template: str | None = None,
                       removed_facts: Sequence[str] = (), analyst: str = "", notes: str = "",
                       store: Store | None = None, template_id: str | None = None,
                       budget: FileBudget | None = None) -> Path:
    """Write ``briefing`` to ``path`` atomically (temporary file + rename).  With
    ``store``, each fact is snapshotted so reopening can report what changed."""
    from briefer.fileio import atomic_write

    path = Path(path).expanduser()
    text = briefing_file_json(briefing, template=template, removed_facts=removed_facts, analyst=analyst,
                              notes=notes, store=store, template_id=template_id, budget=budget)
    atomic_write(path, text.encode("utf-8"))
    return path


def briefing_file_from_data(data: Any, label: str) -> BriefingFile:
    return validate_envelope(
        data, label, BriefingFile, fmt=BRIEFING_FORMAT, noun="briefing file", valid_noun="briefing file",
        max_version=BRIEFING_SCHEMA_VERSION, version_noun="briefing", verb="open",
        other=("briefer-template", "a template, not a briefing file (use --template)"))


def read_briefing_file(path: Path | str) -> BriefingFile:
    """The whole envelope of a briefing file, validated, not yet checked against a store."""
    from briefer.fileio import read_data_file

    path = Path(path).expanduser()
    text = read_data_file(path, what="briefing file", limit=MAX_BRIEFING_FILE)
    return briefing_file_from_data(parse_json_data(text, str(path), "briefing file"), str(path))


def _short(text: str, n: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


class CheckedBriefing(NamedTuple):
    """A briefing file read against the store (:func:`checked_briefing`)."""

    #: the briefing, with facts the store no longer holds and sections it does not know left out
    briefing: Briefing
    #: what was left out, in one line each (the facts and sections are gone from the briefing)
    left_out: list[str]
    #: fact id -> the sentence of how it changed in the store since the file was saved (facts still in it)
    changed: dict[str, str]

    @property
    def warnings(self) -> list[str]:
        """Every line the reader should know: what was left out, then what changed."""
        return [*self.left_out, *self.changed.values()]


def check_briefing(envelope: BriefingFile, store: Store) -> tuple[Briefing, list[str]]:
    """The briefing with facts the store no longer holds (and sections it does
    not know) left out, and one warning for each thing the reader should know."""
    checked = checked_briefing(envelope, store)
    return checked.briefing, checked.warnings


def checked_briefing(envelope: BriefingFile, store: Store) -> CheckedBriefing:
    """:func:`check_briefing`, with what changed kept by fact, for the window's outline marks."""
    briefing = envelope.briefing.model_copy(deep=True)
    warnings: list[str] = []
    known_sections = {s.id for s in store.sections()}
    kept_sections = []
    for sec in briefing.sections:
        if sec.section not in known_sections:
            n = len(sec.fact_ids())
            warnings.append(f"section {sec.section!r} is not in the fact store; it was left out"
                            + (f" with its {n} fact{'s' if n != 1 else ''}" if n else ""))
            continue
        kept_sections.append(sec)
    briefing.sections = kept_sections
    found = store.facts_by_ids(list(dict.fromkeys(briefing.fact_ids())))
    for sec in briefing.sections:
        kept = []
        for pos, item in enumerate(sec.items):
            if isinstance(item, FactItem) and item.fact_id not in found:
                snap = envelope.facts.get(item.fact_id)
                what = f" (\u201c{_short(snap.statement)}\u201d)" if snap else ""
                if item.fact_id in store.damaged:  # in the store, but a stored value no longer parses
                    keep = " and its wording for this briefing" if item.override else ""
                    warnings.append(f"fact {_one_line(item.fact_id)}{what} is in the store but cannot be read "
                                    f"(see its repair), so it is left out until then; saving this briefing keeps "
                                    f"it{keep} in the file")
                    briefing._held.append((sec.section, pos, item, snap))
                    continue
                lost = "; its wording for this briefing was lost too" if item.override else ""
                if snap is None:  # the file never held it (a mistyped id, a file edited by hand)
                    warnings.append(f"fact {_one_line(item.fact_id)} is not in the fact store (see 'briefer facts "
                                    f"list'); it was left out{lost}")
                    continue
                warnings.append(f"fact {_one_line(item.fact_id)}{what} was deleted from the store since the file "
                                f"was saved; it was left out{lost}")
                continue
            kept.append(item)
        sec.items = kept
    changed: dict[str, str] = {}
    for sec in briefing.sections:
        for item in sec.items:
            if not isinstance(item, FactItem) or item.fact_id in changed:
                continue
            snap = envelope.facts.get(item.fact_id)
            if snap is None:
                continue
            note = change_note(found[item.fact_id], snap, override=bool(item.override))
            if note is not None:
                changed[item.fact_id] = note
    return CheckedBriefing(briefing, warnings, changed)


def load_briefing_file(path: Path | str, store: Store) -> tuple[Briefing, list[str]]:
    """Open a briefing file against ``store``: the briefing, and warnings about
    facts deleted (listed and skipped) or changed since the file was saved."""
    return check_briefing(read_briefing_file(path), store)
