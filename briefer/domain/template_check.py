"""Whether a template may be saved: the one rule both shells apply (the window's template editor
disables Save and says why; ``briefer templates import`` refuses with the same sentence).

A template is refused when it cannot be read as a template at all (no sections, a budget of 0, a
bad tag: the model's own checks, named by field), when its name is taken by another template, or
when, against a store, one of its sections would select no fact (no named fact the store holds and
a query that matches nothing).  :func:`template_problems` lists every problem, each naming its
field; :func:`section_matches` counts what each section's rules match, for the editor's live count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from briefer.domain.template_model import Template, TemplateSection, _one_line
from briefer.errors import ValidationFailed

if TYPE_CHECKING:
    from briefer.domain.models import Fact
    from briefer.store.db import Store

_FIELD_NAMES = {
    "name": "Name", "description": "Description", "audience": "Audience", "sections": "Sections",
    "length": "Length budget", "target_words": "words", "target_pages": "pages", "cover": "Cover",
    "switches": "Switches", "key_points": "Key points", "query": "query", "selection": "selection",
    "tags_any": "any of the tags", "tags_all": "all of the tags", "tags_none": "none of the tags",
    "status": "status", "since": "since", "min_priority": "priority", "max_count": "count",
    "fact_ids": "fact ids", "tags": "tags", "title_pattern": "title pattern", "heading": "heading",
}


@dataclass(frozen=True)
class TemplateProblem:
    """One reason a template cannot be saved: ``field`` is where ("name", "sections", "sections.2",
    "length"…), ``message`` the sentence to show."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def _where(loc: Sequence[Any]) -> tuple[str, str]:
    """(field path, words for it) for a pydantic error location."""
    path = ".".join(str(p) for p in loc)
    words: list[str] = []
    i = 0
    while i < len(loc):
        part = loc[i]
        if part == "sections" and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            words.append(f"section {loc[i + 1] + 1}")
            i += 2
            continue
        if isinstance(part, int):
            words.append(f"item {part + 1}")
        elif part not in ("selection",):
            words.append(_FIELD_NAMES.get(str(part), str(part)))
        i += 1
    return path, " \u203a ".join(words)


def problems_from_validation(exc: ValidationError) -> list[TemplateProblem]:
    out = []
    for err in exc.errors():
        path, words = _where(err["loc"])
        msg = _one_line(str(err["msg"]).removeprefix("Value error, "), 240)
        out.append(TemplateProblem(path or "template", f"{words}: {msg}" if words else msg))
    return out


def build_template(data: dict[str, Any]) -> tuple[Template | None, list[TemplateProblem]]:
    """A template from the editor's data, or the problems that keep it from being one."""
    try:
        return Template.model_validate(data), []
    except ValidationError as exc:
        return None, problems_from_validation(exc)


def section_label(index: int, ts: TemplateSection, titles: dict[str, str] | None = None) -> str:
    title = ts.heading or (titles or {}).get(ts.section, ts.section)
    return f"section {index + 1} (\u201c{_one_line(title, 50)}\u201d)"


def section_matches(template: Template, facts: Iterable[Fact]) -> list[int]:
    """For each section, how many facts of ``facts`` its rules take before facts are shared out
    between sections and before any count or budget: the named facts found, plus the query's."""
    facts = list(facts)
    by_id = {f.id: f for f in facts}
    take_superseded = template.switches.include_superseded
    out = []
    for ts in template.sections:
        sel, q = ts.selection, ts.selection.query
        ids = {fid for fid in sel.fact_ids if fid in by_id}
        if q is not None:
            if q.sections is None:
                pool: Iterable[Fact] = (f for f in facts if f.section == ts.section)
            elif q.sections == "all":
                pool = facts
            else:
                wanted = set(q.sections)
                pool = (f for f in facts if f.section in wanted)
            ids.update(f.id for f in pool if q.matches(f)
                       and (str(f.status) != "superseded" or take_superseded))
        out.append(len(ids))
    return out


def template_problems(template: Template, *, facts: Iterable[Fact] | None = None,
                      taken: dict[str, str] | None = None, titles: dict[str, str] | None = None,
                      known_sections: Iterable[str] | None = None) -> list[TemplateProblem]:
    """Why ``template`` (already a valid model) cannot be saved.  ``taken``: name key -> id of every
    other template of the library (a name taken by a template of another id is refused);
    ``facts``: the store's facts (a section that would select none of them is refused);
    ``known_sections``: the store's section ids."""
    from briefer.store.template_names import name_key

    out: list[TemplateProblem] = []
    if taken is not None:
        other = taken.get(name_key(template.name))
        if other is not None and (not template.id or other != template.id):
            out.append(TemplateProblem("name", f"Name: a template named \u201c{template.name}\u201d already "
                                               "exists; choose another name"))
    if known_sections is not None:
        known = set(known_sections)
        for i, ts in enumerate(template.sections):
            q = ts.selection.query
            wanted = [ts.section, *(q.sections if q is not None and isinstance(q.sections, list) else [])]
            unknown = [sid for sid in dict.fromkeys(wanted) if sid not in known]
            if unknown:
                out.append(TemplateProblem(f"sections.{i}", f"{section_label(i, ts, titles)}: the store has no "
                                                            f"section {', '.join(map(repr, unknown))}"))
    if facts is not None:
        counts = section_matches(template, facts)
        for i, (ts, n) in enumerate(zip(template.sections, counts, strict=True)):
            if n == 0 and not any(p.field == f"sections.{i}" for p in out):
                why = ("its query matches no fact in the store" if ts.selection.query is not None
                       else "it names no fact the store holds and has no query")
                out.append(TemplateProblem(f"sections.{i}.query", f"{section_label(i, ts, titles)} selects "
                                                                  f"nothing: {why}"))
    return out


def taken_names(infos: Iterable[Any]) -> dict[str, str]:
    """name key -> template id for the library's templates (TemplateInfo rows)."""
    from briefer.store.template_names import name_key

    return {name_key(i.name): (getattr(i, "id", "") or f"?{i.name}") for i in infos}


def check_template(template: Template, store: Store | None = None, *, taken: dict[str, str] | None = None,
                   label: str | None = None) -> None:
    """Refuse (ValidationFailed, one sentence) a template that may not be saved."""
    facts = store.facts() if store is not None else None
    known = [s.id for s in store.sections()] if store is not None else None
    titles = {s.id: s.title for s in store.sections()} if store is not None else None
    problems = template_problems(template, facts=facts, taken=taken, titles=titles, known_sections=known)
    if problems:
        more = len(problems) - 1
        extra = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise ValidationFailed(f"{label or f'template {template.name!r}'} cannot be saved: "
                               f"{problems[0].message}{extra}")


@dataclass
class TemplatePreview:
    """What a template would select from the store now (the editor's live count)."""

    #: facts each section takes (after sharing out between sections, counts and the budget)
    selected: list[int]
    #: facts each section's rules match before that
    matches: list[int]
    pages: int
    body_words: int
    problems: list[TemplateProblem]
    #: facts the length budget left out
    trimmed: int = 0

    @property
    def total(self) -> int:
        return sum(self.selected)


def preview_template(template: Template, store: Store, *, today: Any, horizon_months: int = 12,
                     taken: dict[str, str] | None = None) -> TemplatePreview:
    """Run ``template``'s selection against ``store``: the facts per section, the page estimate (the one
    the export and ``export --dry-run`` use) and the problems that would keep it from being saved."""
    from briefer.domain.document import resolve
    from briefer.domain.pages import estimate
    from briefer.domain.template_select import briefing_from_selection, run_selection

    facts = store.facts()
    sections = store.sections()
    titles = {s.id: s.title for s in sections}
    problems = template_problems(template, facts=facts, taken=taken, titles=titles,
                                 known_sections=titles.keys())
    matches = section_matches(template, facts)
    if any(p.field.startswith("sections.") and not p.field.endswith(".query") for p in problems):
        return TemplatePreview([0] * len(template.sections), matches, 0, 0, problems)
    result = run_selection(template, store, all_facts=facts, today=today, horizon_months=horizon_months, edition=1)
    briefing = briefing_from_selection(template, result, today=today, edition=1)
    est = estimate(resolve(briefing, store, today=today, horizon_months=horizon_months))
    return TemplatePreview([len(s.fact_ids) for s in result.sections], matches, est.pages, est.body_words,
                           problems, trimmed=len(result.trimmed))
