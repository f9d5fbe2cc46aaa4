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

The template model lives in :mod:`briefer.domain.template_model`, the selection and the budget in
:mod:`briefer.domain.template_select`; this module re-exports them under the import path callers use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from briefer.domain.briefing import Briefing, WhatsNew
from briefer.domain.template_model import (  # noqa: F401 -- re-exported: the import paths callers use
    MAX_TEMPLATE_FILE,
    TEMPLATE_FORMAT,
    TEMPLATE_SCHEMA_VERSION,
    CoverSettings,
    KeyPoints,
    LengthBudget,
    Query,
    Selection,
    Switches,
    Tag,
    Template,
    TemplateSection,
    check_against_store,
    parse_json_data,
    read_template_file,
    template_from_data,
    validate_envelope,
)
from briefer.domain.template_select import (  # noqa: F401 -- re-exported: the import paths callers use
    FIRST_EDITION_LINE,
    WHATS_NEW_ROOM,
    SelectedSection,
    SelectionResult,
    briefing_from_selection,
    budget_text,
    budgeted,
    group_related,
    importance,
    pinned_key_points,
    run_selection,
    whats_new_from_changes,
    whats_new_variants,
)
from briefer.model.plain import Plain
from briefer.store.template_names import (  # noqa: F401 -- re-exported: the import paths callers use
    MAX_NAME,
    MAX_NAME_BYTES,
    TemplateNameError,
    check_template_name,
    name_key,
)

if TYPE_CHECKING:
    from briefer.domain.reading import CachedStore
    from briefer.store.db import Store
    from briefer.store.editions import Edition, EditionFact, FactChange

__all__ = [  # the names this module offers (its own and the re-exported)
    "CoverSettings",
    "KeyPoints",
    "LengthBudget",
    "MAX_NAME",
    "MAX_NAME_BYTES",
    "MAX_TEMPLATE_FILE",
    "Query",
    "SelectedSection",
    "Selection",
    "SelectionResult",
    "Switches",
    "TEMPLATE_FORMAT",
    "TEMPLATE_SCHEMA_VERSION",
    "Tag",
    "Template",
    "TemplateExport",
    "TemplateNameError",
    "TemplateSection",
    "FIRST_EDITION_LINE",
    "WHATS_NEW_ROOM",
    "begin_template_export",
    "briefing_from_selection",
    "budget_text",
    "budgeted",
    "check_against_store",
    "check_template_name",
    "group_related",
    "importance",
    "name_key",
    "parse_json_data",
    "pinned_key_points",
    "prepare",
    "read_template_file",
    "run_selection",
    "suggest_file_name",
    "template_from_data",
    "validate_envelope",
    "whats_new_from_changes",
    "whats_new_variants",
]

# -- a living export --------------------------------------------------------------------------


class TemplateExport(Plain):
    """One export of a template: the briefing to render, what changed since the
    previous edition, and :meth:`record` to call once the file is written."""

    _fields = ("template", "origin", "briefing", "warnings", "previous", "changes", "fingerprints", "today")
    _compared = ("template", "origin", "briefing", "warnings", "previous", "changes", "fingerprints", "today", "_store",
                 "_recorded", "selection")
    template: Template
    #: "builtin", "user" or "file"
    origin: str
    briefing: Briefing
    warnings: list[str]
    previous: Edition | None
    changes: list[FactChange]
    fingerprints: list[EditionFact]
    today: date
    _store: Store
    _recorded: Edition | None
    #: the selection the briefing was made from (what the budget left out, and why)
    selection: SelectionResult | None

    def __init__(self, template: Template, origin: str, briefing: Briefing, warnings: list[str],
                       previous: Edition | None, changes: list[FactChange], fingerprints: list[EditionFact],
                       today: date, _store: Store, _recorded: Edition | None = None,
                       selection: SelectionResult | None = None) -> None:
        self.template, self.origin, self.briefing, self.warnings = template, origin, briefing, warnings
        self.previous, self.changes, self.fingerprints, self.today = previous, changes, fingerprints, today
        self._store, self._recorded, self.selection = _store, _recorded, selection

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
                                        output=str(output) if output else "", template_id=self.template.id or None)

    @contextmanager
    def recording(self, output: Path | str | None = None) -> Iterator[Edition]:
        """Record this export as the next edition, committed when the block ends without error:
        the file is renamed into place inside it, so both land or neither does."""
        from briefer.store.editions import recording_edition

        with recording_edition(self._store, self.template.name, exported_on=self.today,
                               title=self.briefing.cover.title, facts=self.fingerprints,
                               output=str(output) if output else "", template_id=self.template.id or None) as edition:
            yield edition
        self._recorded = edition

    @property
    def edition(self) -> Edition | None:
        return self._recorded

    @property
    def reading(self) -> CachedStore | None:
        """The store as the length budget read it to fit the briefing (None without a budget, or when the
        facts were not read from the store): resolving the briefing from it reads nothing again."""
        return self.selection.fitted_reading if self.selection is not None else None


def prepare(template: Template, store: Store, *, today: date, origin: str = "user",
            horizon_months: int = 12) -> TemplateExport:
    """The export of an already loaded template (see :func:`begin_template_export`).  With a length
    budget the briefing is fitted as it will be exported -- this day, this edition's title, the
    freshness horizon, the "What's new" section -- so an export that fits is never over budget."""
    from briefer.domain.document import resolve
    from briefer.domain.editions import compare, fingerprint
    from briefer.domain.pages import estimate
    from briefer.domain.resolving import with_whats_new
    from briefer.store.editions import latest_edition

    previous = latest_edition(store, template.name, template.id or None)  # by id: a renamed template keeps them
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
        elif template.switches.whats_new and template.switches.whats_new_first:
            # leads with what changed: "First edition"
            briefing.whats_new = WhatsNew.model_construct(since=None, changes=[])
        return briefing, prints, changes

    briefing, prints, changes = build()
    if budgeted(template):
        lp, lw = template.length.target_pages, template.length.target_words
        reading = result.fitted_reading or result.reading(store, None)
        while True:
            checked = briefing.model_copy()
            fits = True
            doc = None
            for variant in whats_new_variants(template) if template.switches.whats_new else [briefing.whats_new]:
                checked.whats_new = variant
                doc = (with_whats_new(doc, checked) if doc is not None else None) or \
                    resolve(checked, reading, today=today, horizon_months=horizon_months)  # type: ignore[arg-type]
                est = estimate(doc)
                fits = fits and (not lp or est.pages <= lp) and (not lw or est.body_words <= lw)
            if fits:
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
    from briefer.domain.team_templates import open_library
    from briefer.store.preferences import stale_after_months

    template, origin = open_library(data_dir, store).resolve(ref)
    return prepare(template, store, today=today, origin=origin, horizon_months=stale_after_months(data_dir))


_SAFE_FILE_CHARS = re.compile(r"[^\w\- ]+")


def suggest_file_name(name: str) -> str:
    """A file name for exporting template ``name``: ``<name>.template.json``."""
    stem = _SAFE_FILE_CHARS.sub("-", name).strip(" -") or "template"
    return f"{stem}.template.json"
