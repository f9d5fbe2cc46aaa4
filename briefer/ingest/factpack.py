"""The curated fact pack: seed sources, sections, facts and glossary shipped
in ``resources/factpack`` and ``seeds/``, loaded into every new store.

Seeding is ingest: the store never reads the pack; :func:`open_store` hands it
the loader.  Opening a store that exists reads nothing of the pack, so the loader's checks (the
fact-checker's rules, the quote finder) and the models' validators are imported when a pack is read,
not by every command that opens the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefer import resources
from briefer.errors import ValidationFailed
from briefer.model.plain import Plain

if TYPE_CHECKING:
    from briefer.model import Fact, GlossaryEntry, Section, Source
    from briefer.store.db import Store


class FactPack(Plain):
    _fields = ("sources", "sections", "facts", "glossary", "problems")
    sources: list[Source]
    sections: list[Section]
    facts: list[Fact]
    glossary: list[GlossaryEntry]
    #: problems found while loading: (fact id, message)
    problems: list[tuple[str, str]]

    def __init__(self, sources: list[Source], sections: list[Section], facts: list[Fact], glossary: list[GlossaryEntry],
                       problems: list[tuple[str, str]] | None = None) -> None:
        self.sources, self.sections, self.facts, self.glossary = sources, sections, facts, glossary
        self.problems = [] if problems is None else problems

    def prepare_store(self, store: Store) -> None:
        """What a store seeded with this pack keeps besides it, made in the seeding transaction: the
        conflict finder's prepared analysis of each source (``briefer/store/analysis.py``), so the first
        finder run after install reads prepared rows instead of every sentence."""
        from briefer.ingest.review import keep_analyses_current

        keep_analyses_current(store, store.sources(with_text=True), store.glossary())


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return data
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed(f"cannot read {path.name}: {exc}") from exc


def load_sources(seeds: Path) -> list[Source]:
    from pydantic import ValidationError

    from briefer.model import Source

    manifest = _read_json(seeds / "sources.json")
    out = []
    for raw in manifest["sources"]:
        text = (seeds / raw["file"]).read_text(encoding="utf-8")
        try:
            out.append(Source(**raw, text=text))
        except ValidationError as exc:
            raise ValidationFailed(f"source {raw.get('id')!r} in sources.json: {exc}") from exc
    return out


def load(root: Path | None = None, seeds: Path | None = None) -> FactPack:
    """Read and validate the fact pack.  Missing citation locations are
    filled in from where the quote stands; quotes not found are reported in
    ``problems`` (``briefer facts check`` turns them into a failure)."""
    from pydantic import ValidationError

    from briefer.domain.pack_rules import check_rules
    from briefer.domain.provenance import find_quote, locate
    from briefer.model import Fact, GlossaryEntry, Section

    root = root or resources.resource("factpack")
    seeds = seeds or resources.seeds_dir()
    sources = load_sources(seeds)
    by_id = {s.id: s for s in sources}
    sections = [Section(**s) for s in _read_json(root / "sections.json")["sections"]]
    section_ids = {s.id for s in sections}
    glossary_path = root / "glossary.json"
    glossary = (
        [GlossaryEntry(**g) for g in _read_json(glossary_path)["entries"]] if glossary_path.exists() else []
    )
    facts: list[Fact] = []
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    headlines = load_headlines(root)
    for path in sorted((root / "facts").glob("*.json")):
        for raw in _read_json(path)["facts"]:
            try:
                fact = Fact(**raw)
            except ValidationError as exc:
                raise ValidationFailed(f"{path.name}: fact {raw.get('id')!r}: {exc}") from exc
            if fact.id in seen:
                raise ValidationFailed(f"{path.name}: fact id {fact.id!r} used twice")
            seen.add(fact.id)
            if fact.id in headlines and not fact.headline:
                fact.headline = headlines[fact.id]
            if fact.section not in section_ids:
                raise ValidationFailed(f"{path.name}: fact {fact.id!r} names unknown section {fact.section!r}")
            for c in fact.citations:
                src = by_id.get(c.source)
                if src is None:
                    raise ValidationFailed(f"{path.name}: fact {fact.id!r} cites unknown source {c.source!r}")
                span = find_quote(src.text, c.quote)
                if span is None:
                    problems.append((fact.id, f"quote not found in {c.source}: {c.quote!r}"))
                elif not c.location:
                    c.location = locate(src.text, span[0])
            facts.append(fact)
    # the fact-checker's mechanical rules: a broken rule is a problem, not a silent load
    problems += [(p.fact_id, f"{p.rule}: {p.message}") for p in check_rules(facts, sources)]
    return FactPack(sources, sections, facts, glossary, problems)


#: a headline is one clause: at most this many words
MAX_HEADLINE_WORDS = 20


def load_headlines(root: Path | None = None) -> dict[str, str]:
    """The curated headlines (fact id -> one clause), kept apart from the facts so rewording a fact
    and curating its headline do not collide; {} when the pack has none."""
    root = root or resources.resource("factpack")
    path = root / "headlines.json"
    if not path.exists():
        return {}
    data = _read_json(path).get("headlines", {})
    out: dict[str, str] = {}
    for fid, text in data.items():
        text = " ".join(str(text).split())
        if len(text.split()) > MAX_HEADLINE_WORDS:
            raise ValidationFailed(f"headlines.json: the headline of {fid!r} has more than {MAX_HEADLINE_WORDS} words")
        out[fid] = text
    return out


def open_store(data_dir: Path, *, create: bool = True, seed: bool = True, fresh: bool = False,
               location: str | None = None) -> Store:
    """Open the store in ``data_dir``, or the team library at ``location`` (:func:`briefer.store.db.open_store`);
    a new one is seeded with the fact pack, or left empty with ``seed=False``."""
    from briefer.store.db import open_store as open_db

    return open_db(data_dir, create=create, seed=load if seed else False, fresh=fresh, location=location)


def reset_store(data_dir: Path) -> tuple[Path | None, Store]:
    """Move the store aside and start afresh from the fact pack (:func:`briefer.store.restore.reset_store`)."""
    from briefer.store import restore

    return restore.reset_store(data_dir, seed=load)
