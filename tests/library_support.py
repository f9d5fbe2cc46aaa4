"""A library with something in every table, and everything a user can read of one, through the store's
interface only: for the tests of ``briefer store copy`` and of team backups (both backends)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from briefer.model import Citation, Fact, FactStatus, Source, SourceKind
from briefer.model.editions import EditionFact
from briefer.model.records import Resolution
from briefer.store import analysis
from briefer.store.api import FactStore

TEMPLATES = {
    "minister-note": json.dumps({"schema_version": 1, "name": "Minister note", "description": "Mine",
                                 "sections": []}).encode(),
    "delegation-brief": json.dumps({"schema_version": 1, "name": "Delegation brief", "description": "Théâtre 日本",
                                    "sections": []}, ensure_ascii=False).encode("utf-8"),
}

NEW_TEXT = ("The Cabinet adopted the AI Basic Plan in December 2025. 本部は基本計画を決定した。 "
            "The plan names safety evaluation as a priority.")


def enrich(store: FactStore, data_dir: Path | None = None) -> None:
    """Add to a seeded store: facts added, edited, superseded and deleted (history), a new source with its
    import record and an edit (source history), candidates, a resolution, editions, glossary aliases, a
    prepared analysis; and user templates in ``data_dir``."""
    seed = store.facts()
    first, second, third = seed[0], seed[1], seed[2]
    store.add_source(Source(id="basic-plan", label="AI Basic Plan", title="AI Basic Plan (draft)",
                            kind=SourceKind.OFFICIAL_DOCUMENT, reliability="A", text=NEW_TEXT), analyst="ana")
    store.record_source_import("basic-plan", analyst="ana", original_name="plan.html", format="html",
                               encoding="utf-8", removed=[{"kind": "comment", "text": "Reader comment"}])
    store.update_source(store.source("basic-plan").model_copy(update={"title": "AI Basic Plan"}), analyst="ben")
    plan = Fact(id="basic-plan-adopted", section=first.section,
                statement="The Cabinet adopted the AI Basic Plan in December 2025.", as_of=date(2025, 12, 23),
                citations=[Citation(source="basic-plan", quote="The Cabinet adopted the AI Basic Plan in December 2025",
                                    location="para. 1")],
                tags=["law:AI Promotion Act"], priority=5, headline="The AI Basic Plan was adopted")
    store.add_fact(plan, analyst="ana")
    store.update_fact(first.id, first.model_copy(update={"notes": "checked against the Diet record",
                                                         "priority": 5}), analyst="ben")
    newer = second.model_copy(update={"id": f"{second.id}-2026", "statement": second.statement + " (as of 2026)",
                                      "as_of": date(2026, 1, 10)})
    store.add_fact(newer, analyst="ana", action="supersede")
    store.update_fact(second.id, second.model_copy(update={"status": FactStatus.SUPERSEDED,
                                                           "superseded_by": newer.id}), analyst="ana",
                      action="supersede")
    store.delete_fact(third.id, analyst="ben")
    cid = store.add_candidate("basic-plan", 1, "The plan names safety evaluation as a priority.",
                              "The plan names safety evaluation as a priority", "para. 1", first.section,
                              ["a priority"], 0.75, date(2025, 12, 23), [], [{"id": first.id, "score": 0.4}],
                              analyst="ana")
    store.add_candidate("basic-plan", 2, "本部は基本計画を決定した。", "本部は基本計画を決定した", "para. 1", None,
                        [], 0.5, None, [], [], analyst="ana")
    store.decide_candidate(cid, "rejected", analyst="ben")
    store.record_resolution(Resolution(key="date:passage", kind="date", subject="passage", action="dismiss",
                                       fact_id=first.id, other_fact_id=None, alias=None, reason="same event",
                                       analyst="ana", resolved_at="2025-06-02T10:00:00+00:00"))
    facts = [EditionFact(fact_id=f.id, section=f.section, statement=f.statement, status=f.status.value,
                         statement_hash="s" + f.id, citations_hash="c" + f.id) for f in (first, plan)]
    store.record_edition("Minister note", exported_on=date(2025, 12, 1), title="Note 1", facts=facts[:1],
                         output="note.docx")
    store.record_edition("Minister note", exported_on=date(2025, 12, 24), title="Note 2", facts=facts,
                         template_id="t-minister-note")  # the first was recorded by name: adopted by the id
    entry = store.glossary()[0]
    store.set_aliases(entry.id, [*entry.aliases, "an alias added by hand"])
    analysis.save(store, [analysis.Row("basic-plan", "0" * 40, 2025, "d1", "a prepared analysis, packed")])
    if data_dir is not None:
        folder = data_dir / "templates"
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in TEMPLATES.items():
            (folder / f"{name}.json").write_bytes(data)


def view(store: FactStore, templates: dict[str, bytes] | None = None, *, gone: tuple[str, ...] = ()) -> dict[str, Any]:
    """Everything a user can see of a library, through the interface (ids and history stamps included);
    ``gone``: deleted facts whose history is compared too."""
    facts = {f.id: f.model_dump(mode="json") for f in store.facts()}
    out: dict[str, Any] = {
        "sections": [s.model_dump(mode="json") for s in store.sections()],
        "sources": [s.model_dump(mode="json") for s in store.sources(with_text=True)],
        "source_history": {s.id: store.source_history(s.id) for s in store.sources()},
        "imports": {s.id: store.source_import(s.id) for s in store.sources()},
        "glossary": [g.model_dump(mode="json") for g in store.glossary()],
        "facts": facts,
        "history": {fid: store.history(fid) for fid in [*sorted(facts), *gone]},
        "tags": store.tags(),
        "superseding": {fid: store.superseding(fid) for fid in sorted(facts)},
        "editions": [(e.template, e.template_id, e.number, e.title, e.exported_on.isoformat(), e.recorded_at,
                      e.output) for e in store.editions()],
        "edition_facts": {t: [(f.fact_id, f.statement, f.status, f.content_hash) for f in e.facts]
                          for t in {e.template for e in store.editions()}
                          if (e := store.latest_edition(t)) is not None},
        "candidates": [c.to_json() | {"created_at": c.created_at, "decided_at": c.decided_at,
                                      "analyst": c.analyst}
                       for c in store.candidates(status=None)],
        "resolutions": {k: vars(r) for k, r in store.resolutions().items()},
        "search": {q: [h.fact.id for h in store.search(q, limit=500)]
                   for q in ("Prime Minister", "Basic Plan", "本部", "safety")},
    }
    if templates is not None:
        out["templates"] = templates
    return out



def enriched_library(data_dir: Path) -> tuple[Path, dict[str, Any], str]:
    """A seeded data folder with something in every table (:func:`enrich`): the folder, its view, and the
    id of the fact the enrichment deleted."""
    from briefer.ingest.factpack import open_store
    from briefer.store.copy import TemplateFolder

    store = open_store(data_dir)
    try:
        gone = store.facts()[2].id
        enrich(store, data_dir)
        seen = view(store, TemplateFolder(data_dir / "templates").read(), gone=(gone,))
    finally:
        store.close()
    return data_dir, seen, gone


def folder_view(folder: Path, gone: str) -> dict[str, Any]:
    """The view (:func:`view`) of the local library in ``folder``, its templates included."""
    from briefer.store.copy import TemplateFolder
    from briefer.store.db import open_store

    store = open_store(folder, create=False, seed=False)
    try:
        return view(store, TemplateFolder(folder / "templates").read(), gone=(gone,))
    finally:
        store.close()
