"""Composing a briefing straight from the store's sections (``briefer export --sections``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefer.domain.briefing import Briefing, BriefingSection, Cover, FactItem, Item, Options
from briefer.domain.models import FactStatus
from briefer.errors import NotFoundError, ValidationFailed

if TYPE_CHECKING:
    from briefer.store.db import Store


def briefing_from_sections(
    store: Store,
    section_ids: list[str] | None,
    *,
    facts_per_section: int | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    author: str | None = None,
    marking: str | None = None,
    include_superseded: bool = False,
) -> Briefing:
    """A briefing of ``section_ids`` (all sections in their default order when None),
    each holding its facts by priority then date (newest first), at most
    ``facts_per_section`` of them; superseded facts are left out unless asked for.
    The glossary appendix is on: a reader meets names in several renderings."""
    from briefer.store.db import FactFilter

    if facts_per_section is not None and facts_per_section < 1:
        raise ValidationFailed("--facts-per-section must be 1 or more")
    known = store.sections()
    by_id = {s.id: s for s in known}
    if section_ids is None:
        wanted = [s.id for s in known]
    else:
        wanted = list(dict.fromkeys(s.strip() for s in section_ids if s.strip()))
        if not wanted:
            raise ValidationFailed("no section given (see 'briefer sections list')")
        for sid in wanted:
            if sid not in by_id:
                raise NotFoundError(f"no section with id {sid!r} (known: {', '.join(by_id)})")
    sections = []
    for sid in wanted:
        facts = [f for f in store.facts(FactFilter(section=sid), order="priority")
                 if include_superseded or f.status != FactStatus.SUPERSEDED]
        if facts_per_section is not None:
            facts = facts[:facts_per_section]
        # built from the store's own, already validated, ids and texts: not validated again
        # (pydantic then never builds the briefing models' validators in an export)
        items: list[Item] = [FactItem.model_construct(fact_id=f.id) for f in facts]
        sections.append(BriefingSection.model_construct(section=sid, intro=by_id[sid].description, items=items))
    cover = Cover.model_construct()
    if title is not None:
        cover.title = title
    if subtitle is not None:
        cover.subtitle = subtitle
    if author is not None:
        cover.prepared_by = author
    if marking is not None:
        cover.marking = marking
    options = Options.model_construct(include_superseded=bool(include_superseded), glossary=True)
    return Briefing.model_construct(cover=cover, options=options, sections=sections)
