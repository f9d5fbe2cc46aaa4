"""A briefing started from a few of the store's sections: one rule for the window's first-start
panel and ``briefer briefing new --sections``.

The briefing is made the way a template's is: an in-memory template of those sections (each with
the selection the built-in full-briefing template gives it, else the most important facts first),
each section holding at most its share of the facts, a default length budget, and
:func:`briefer.domain.templates.prepare`, which fits the most important facts into that budget.  So
the four core sections make a five-page note of six facts each, not the 101 facts they hold.  The
template is not saved and the briefing is not linked to it: there is nothing to re-run and no edition to record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from briefer.errors import KnownError

if TYPE_CHECKING:
    from briefer.domain.template_model import Selection, Template
    from briefer.domain.templates import TemplateExport
    from briefer.store.db import Store

#: the product's core sections, pre-ticked on the first-start panel
CORE_SECTIONS = ("law-summary", "hq-structure", "risks", "us-japan-cooperation")
#: the default length budget of a briefing started from sections: printed pages, cover and sources included
DEFAULT_PAGES = 5
#: facts shared among the chosen sections (each takes at most its share, at least MIN_SHARE), so the
#: budget fitting, which favours earlier sections, does not leave the last one a single fact
SHARED_FACTS = 24
MIN_SHARE = 3
#: the built-in whose per-section selections (order, query) a section start takes
DEFAULT_SELECTIONS_FROM = "full-briefing"
#: the in-memory template's name (never saved, never linked)
SECTIONS_TEMPLATE_NAME = "Briefing from sections"


def default_sections(have: Sequence[str]) -> list[str]:
    """The sections ticked at first among the store's ``have`` (ids, in order): the core ones it has,
    else its first four."""
    core = [sid for sid in have if sid in CORE_SECTIONS]
    return core or list(have[:4])


def _builtin_selections() -> dict[str, Selection]:
    from briefer.domain.template_library import builtin_dir
    from briefer.domain.template_model import read_template_file

    try:
        t = read_template_file(builtin_dir() / f"{DEFAULT_SELECTIONS_FROM}.json")
    except KnownError:
        return {}
    return {s.section: s.selection for s in t.sections}


def _capped(selection: Selection, share: int) -> Selection:
    cap = min(selection.max_count, share) if selection.max_count else share
    return selection.model_copy(update={"max_count": cap}, deep=True)


def sections_template(store: Store, section_ids: Sequence[str], *, pages: int = DEFAULT_PAGES) -> Template:
    """The in-memory template of ``section_ids`` (in the store's order), fitted to ``pages``.
    No section, or one the store does not have, is refused with the reason."""
    from briefer.domain.template_model import (
        LengthBudget,
        Selection,
        Switches,
        Template,
        TemplateSection,
    )

    wanted = list(dict.fromkeys(section_ids))
    if not wanted:
        raise KnownError("Choose at least one section for the briefing")
    titles = {s.id: s.title for s in store.sections()}
    unknown = [sid for sid in wanted if sid not in titles]
    if unknown:
        raise KnownError(f"The store has no section {' or '.join(repr(sid) for sid in unknown)} "
                         f"(its sections: {', '.join(titles)})")
    defaults = _builtin_selections()
    ordered = [sid for sid in titles if sid in wanted]
    share = max(MIN_SHARE, SHARED_FACTS // len(ordered))
    return Template(
        name=SECTIONS_TEMPLATE_NAME,
        description="The most important facts of the chosen sections that fit the budget",
        length=LengthBudget(target_pages=pages),
        switches=Switches(summary=True, contents=False, sources_appendix=True, glossary=False,
                          whats_new=False, summary_points=4, cover_page=True, citations="short"),
        sections=[TemplateSection(section=sid, selection=_capped(defaults.get(sid) or Selection(), share))
                  for sid in ordered],
    )


def prepare_from_sections(store: Store, section_ids: Sequence[str], *, today: date,
                          pages: int = DEFAULT_PAGES, horizon_months: int = 12) -> TemplateExport:
    """The briefing of ``section_ids``: the most important facts that fit ``pages`` (see the module)."""
    from briefer.domain.templates import prepare

    template = sections_template(store, section_ids, pages=pages)
    return prepare(template, store, today=today, origin="sections", horizon_months=horizon_months)
