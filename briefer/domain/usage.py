"""The reverse index: for a fact, which templates and saved editions use it.

Templates are asked live: a template uses a fact when it names it
explicitly or when its selection, re-run against the current store, picks
it.  Editions are looked up in the store's edition records.  This is what
lets Briefer warn an analyst that a fact a recurring briefing relies on has
changed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from briefer.errors import KnownError

if TYPE_CHECKING:
    from briefer.store.db import Store


@dataclass(frozen=True)
class TemplateUse:
    template: str
    builtin: bool
    #: "explicit": the template names the fact; "selection": its query picks it now;
    #: "named-but-not-selected": named, but left out (e.g. superseded, or already used by an earlier section)
    how: Literal["explicit", "selection", "named-but-not-selected"]
    #: heading (or section id) of the template section holding it
    section: str


@dataclass(frozen=True)
class EditionUse:
    template: str
    number: int
    exported_on: date
    title: str
    output: str


@dataclass
class FactUsage:
    fact_id: str
    templates: list[TemplateUse] = field(default_factory=list)
    editions: list[EditionUse] = field(default_factory=list)
    #: templates that could not be read (name -> problem)
    problems: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "fact_id": self.fact_id,
            "templates": [{"template": t.template, "builtin": t.builtin, "how": t.how, "section": t.section}
                          for t in self.templates],
            "editions": [{"template": e.template, "number": e.number, "exported_on": e.exported_on.isoformat(),
                          "title": e.title, "output": e.output} for e in self.editions],
            "problems": self.problems,
        }


def fact_usage(store: Store, data_dir: Path, fact_id: str) -> FactUsage:
    """Every template (built-in and the user's) and every recorded edition that uses ``fact_id``."""
    from briefer.domain.team_templates import open_library
    from briefer.domain.templates import run_selection
    from briefer.store.editions import editions_using

    usage = FactUsage(fact_id)
    all_facts = store.facts()  # read once, shared by every template's selection
    library = open_library(data_dir, store)
    for info in library.list():
        if info.problem:
            usage.problems[info.name] = info.problem
            continue
        try:
            template = library.get(info.name)
            result = run_selection(template, store, all_facts=all_facts)
        except KnownError as exc:
            usage.problems[info.name] = str(exc)
            continue
        named_in = [ts for ts in template.sections if fact_id in ts.selection.fact_ids]
        found = False
        for sel in result.sections:
            if fact_id in sel.fact_ids:
                ts = sel.template_section
                how: Literal["explicit", "selection"] = "explicit" if fact_id in sel.explicit else "selection"
                usage.templates.append(TemplateUse(info.name, info.builtin, how, ts.heading or ts.section))
                found = True
        if named_in and not found:
            ts = named_in[0]
            usage.templates.append(TemplateUse(info.name, info.builtin, "named-but-not-selected",
                                               ts.heading or ts.section))
    for e in editions_using(store, fact_id):
        usage.editions.append(EditionUse(e.template, e.number, e.exported_on, e.title, e.output))
    return usage
