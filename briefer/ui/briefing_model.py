"""The open briefing: the :class:`~briefer.domain.briefing.Briefing` being
composed, its file, its undo stack, and the outline model the composer shows.

Every edit is a ``QUndoCommand`` (see :mod:`briefer.ui.undo_steps`); commands
change the briefing only through :class:`OutlineModel` methods and the
``set_*`` methods here, which emit the signals views and the preview follow.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QObject,
    Signal,
)
from PySide6.QtGui import QUndoStack

from briefer.domain.typography import count
from briefer.ui.factflags import display_status as display_status  # importable from here as before

if TYPE_CHECKING:
    from briefer.domain.briefing import Briefing, BriefingSection
    from briefer.domain.models import Fact, Section

# the outline model and its drag formats live in briefer.ui.outline_model; importable from here as before
from briefer.ui.outline_model import FACTS_MIME, OUTLINE_MIME, OutlineModel  # noqa: E402, F401


def words_per_page() -> int:
    """Words of body text a printed page holds, for the rough count used before the store is attached."""
    from briefer.domain.pages import WORDS_PER_PAGE

    return int(WORDS_PER_PAGE)

@dataclass(frozen=True)
class Budget:
    words: int | None = None
    pages: int | None = None


@dataclass(frozen=True)
class Length:
    #: words of body text (footnotes and appendices do not count, as in a template's budget)
    words: int
    pages: int
    budget: Budget | None
    #: words in the footnotes, when the page estimate laid the briefing out
    footnote_words: int | None = None
    #: nothing to print yet: no fact, no paragraph and no summary of the analyst's
    empty: bool = False

    @property
    def over_words(self) -> bool:
        return bool(self.budget and self.budget.words and self.words > self.budget.words)

    @property
    def over_pages(self) -> bool:
        return bool(self.budget and self.budget.pages and self.pages > self.budget.pages)

    def text(self) -> str:
        if self.empty:  # no "0 words · ≈ 2 pages" for a briefing with nothing in it
            from briefer.domain.briefing import EMPTY_BRIEFING

            return EMPTY_BRIEFING
        out = count(self.words, "word")
        if self.footnote_words is not None:
            out += f" (+{self.footnote_words:,} in notes)"
        out += f" \u00b7 \u2248 {count(self.pages, 'page')}"
        if self.budget and (self.budget.words or self.budget.pages):
            parts = []
            if self.budget.words:
                parts.append(count(self.budget.words, "word"))
            if self.budget.pages:
                parts.append(count(self.budget.pages, "page"))
            out += " of a budget of " + " / ".join(parts)
            if self.over_words or self.over_pages:
                out += " \u2014 over budget"
        return out


def count_words(text: str | None) -> int:
    return len(text.split()) if text else 0


class BriefingDoc(QObject):
    """One open briefing.  ``changed(kind, section)``: kind is ``"structure"``
    (sections or items added, removed or moved), ``"section"`` (one section's
    text: ``section`` is its index), ``"cover"``, ``"summary"`` or ``"options"``."""

    changed = Signal(str, int)
    modifiedChanged = Signal(bool)
    pathChanged = Signal(object)
    factsChanged = Signal()

    def __init__(self, briefing: Briefing, *, store_sections: list[Section], facts: dict[str, Fact],
                 path: Path | None = None, template: str | None = None, budget: Budget | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.briefing = briefing
        self.path = path
        #: the template this briefing was made from (its current name), if any
        self.template = template
        #: that template's stable id (the link kept in the briefing file; survives renames)
        self.template_id: str | None = None
        #: the template it links to is no longer in the library (deleted): no budget, and the window says so
        self.template_missing = False
        self.budget = budget
        self.sections = {s.id: s for s in store_sections}
        self.section_order = [s.id for s in store_sections]
        self.facts: dict[str, Fact] = dict(facts)
        #: fact ids the store no longer has (deleted since the file was saved)
        self.missing: set[str] = {fid for fid in briefing.fact_ids() if fid not in self.facts}
        #: extra flags per fact id (e.g. "stale"), filled in by the window
        self.flags: dict[str, set[str]] = {}
        #: fact ids -> {id: Fact} from the store, for facts dropped in from the library
        self.fact_loader: Callable[[list[str]], dict[str, Fact]] | None = None
        #: what was left out when the file was opened (deleted facts, unknown sections): listed in the bar
        #: above the outline with ``store_notes``
        self.warnings: list[str] = []
        #: facts a colleague changed in the team library while the briefing was open: id -> how (live updates)
        self.store_notes: dict[str, str] = {}
        #: briefing -> Estimate (briefer.domain.pages), set by the window once a store is open: the
        #: same page estimate the export's budget check and ``briefer export --dry-run`` use
        self.estimator: Callable[[Briefing], Any] | None = None
        self._unsaved_origin = False
        #: made from its template in this session (New from template), not opened from a file: its first
        #: export records an edition by default (briefer.app.editions)
        self.fresh_template_run = False
        #: editions recorded from this briefing in this session
        self.editions_recorded = 0
        #: files this briefing wrote in this session (resolved): writing one again asks nothing
        self.written_paths: set[str] = set()
        #: the file this briefing was last exported to in this session (the next export proposes it)
        self.last_export: Path | None = None
        self.undo = QUndoStack(self)
        self.undo.cleanChanged.connect(self._clean_changed)
        self.model = OutlineModel(self)

    def _clean_changed(self, clean: bool) -> None:
        self.modifiedChanged.emit(self._unsaved_origin or not clean)

    # -- state -----------------------------------------------------------------

    @property
    def is_modified(self) -> bool:
        return self._unsaved_origin or not self.undo.isClean()

    def mark_unsaved(self) -> None:
        """A briefing that exists only in memory (from a template, or recovered) counts as modified."""
        self._unsaved_origin = True
        self.modifiedChanged.emit(True)

    def mark_saved(self, path: Path) -> None:
        self.path = path
        self._unsaved_origin = False
        self.undo.setClean()
        self.pathChanged.emit(path)
        self.modifiedChanged.emit(False)

    @property
    def display_name(self) -> str:
        if self.path is not None:
            name = self.path.name
            return name[: -len(".briefing.json")] if name.endswith(".briefing.json") else name
        return "Untitled briefing"

    def section_title(self, sec: BriefingSection) -> str:
        if sec.heading:
            return sec.heading
        s = self.sections.get(sec.section)
        return s.title if s else sec.section

    def fact_text(self, fact_id: str, override: str | None = None) -> str:
        if override is not None:
            return override
        f = self.facts.get(fact_id)
        return f.statement if f else f"[fact {fact_id} is no longer in the store]"

    def fact_status(self, fact_id: str) -> str:
        if fact_id in self.missing or fact_id not in self.facts:
            return "missing"
        return display_status(self.facts[fact_id], self.flags.get(fact_id, ()))

    def is_empty(self) -> bool:
        """Nothing to print: no fact, no paragraph and no summary of the analyst's (section headings
        alone are not a briefing)."""
        return bool(self.briefing.is_empty())

    def length(self) -> Length:
        if self.is_empty():
            return Length(0, 0, self.budget, empty=True)
        if self.estimator is not None:
            est = self.estimator(self.briefing)
            return Length(est.body_words, est.pages, self.budget, est.footnote_words)
        b = self.briefing
        words = count_words(b.cover.title) + count_words(b.summary)
        for sec in b.sections:
            words += count_words(self.section_title(sec)) + count_words(sec.intro)
            for item in sec.items:
                if item.kind == "fact":
                    words += count_words(self.fact_text(item.fact_id, item.override))
                else:
                    words += count_words(item.text)
        # the cover is a page of its own; the body is set at WORDS_PER_PAGE
        pages = 1 + max(1, math.ceil(words / words_per_page())) if b.sections else 1
        return Length(words, pages, self.budget)

    def add_known_facts(self, facts: dict[str, Fact]) -> None:
        self.facts.update(facts)
        self.missing.difference_update(facts)

    def refresh_facts(self, facts: dict[str, Fact]) -> None:
        """The store changed: take the current version of every fact in the briefing."""
        self.facts = dict(facts)
        self.missing = {fid for fid in self.briefing.fact_ids() if fid not in self.facts}
        self.model.refresh_all()
        self.factsChanged.emit()
        self.changed.emit("structure", -1)

    # -- edits used by commands (no undo of their own) -------------------------

    def set_cover_field(self, name: str, value: Any) -> None:
        setattr(self.briefing.cover, name, value)
        self.changed.emit("cover", -1)

    def set_summary(self, text: str | None) -> None:
        self.briefing.summary = text
        self.changed.emit("summary", -1)

    def set_option(self, name: str, value: Any) -> None:
        setattr(self.briefing.options, name, value)
        self.changed.emit("options", -1)

    def section_for_fact(self, fact_id: str) -> tuple[int, bool]:
        """Where a fact added without a place goes: (section index, whether the section must be created)."""
        f = self.facts.get(fact_id)
        target = f.section if f else None
        for i, sec in enumerate(self.briefing.sections):
            if sec.section == target:
                return i, False
        if target is None:
            return max(0, len(self.briefing.sections) - 1), not self.briefing.sections
        # keep the store's section order among the sections already present
        order = {sid: n for n, sid in enumerate(self.section_order)}
        rank = order.get(target, len(order))
        pos = len(self.briefing.sections)
        for i, sec in enumerate(self.briefing.sections):
            if order.get(sec.section, len(order)) > rank:
                pos = i
                break
        return pos, True
