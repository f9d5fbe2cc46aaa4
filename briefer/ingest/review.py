"""Conflicts over the whole store, reading each source's body only (reader
comments, related-article headlines and other page furniture are not what
the source says, so they cannot contradict anything).

Each source's sentence analysis is prepared once and kept in the store
(``briefer/store/analysis.py``): when it is imported, and otherwise the first
time the finder meets it (a new text, glossary or word lists), so a finder run
on a store just opened reads prepared rows instead of every sentence."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from briefer.domain.conflicts import Conflict, find_conflicts
from briefer.ingest.furniture import clean

if TYPE_CHECKING:
    from briefer.domain.models import GlossaryEntry, Source
    from briefer.store.db import Store


def _rows(made: Iterable[Any]) -> list[Any]:
    """Prepared analyses as the store keeps them."""
    from briefer.store.analysis import Row

    return [Row(p.source_id, p.text_sha1, p.year, p.digest, p.encoded()) for p in made]


def body_spans(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in clean(text).segments if s.kind == "body"]


def keep_analyses_current(store: Store, sources: list[Source], glossary: list[GlossaryEntry]) -> None:
    """Make and keep the prepared analysis of every source that has none, or one made from another text,
    year, glossary or word lists (when the store cannot take them, e.g. it is read-only, the finder reads
    those sources in full)."""
    from briefer.domain.conflicts.prepared import analyse_sources, analysis_digest, stamp
    from briefer.errors import StoreError
    from briefer.store import analysis

    digest = analysis_digest(glossary, None, body_spans)
    kept = analysis.stamps(store)
    stale = [s for s in sources if kept.get(s.id) != stamp(s, digest)]
    if stale:
        with contextlib.suppress(StoreError):
            analysis.save(store, _rows(analyse_sources(stale, glossary, body=body_spans, digest=digest)))


def _kept_analyses(store: Store, wanted: list[Source], glossary: list[GlossaryEntry]) -> dict[str, Any]:
    """The kept analyses of these sources; one that cannot be read (a damaged row) is made again and kept."""
    from briefer.domain.conflicts.prepared import analyse_sources, analysis_digest, from_row, usable
    from briefer.errors import StoreError
    from briefer.store import analysis

    rows: dict[str, Any] = {k: p for k, r in analysis.load(store, [s.id for s in wanted]).items()
                            if (p := from_row(*r)) is not None}
    digest = analysis_digest(glossary, None, body_spans)
    _current, stale = usable(wanted, rows, digest)
    if stale:
        made = analyse_sources(stale, glossary, body=body_spans, digest=digest)
        rows.update((p.source_id, p) for p in made)
        with contextlib.suppress(StoreError):
            analysis.save(store, _rows(made))
    return rows


#: a text longer than this (about 2,500 sentences) is not analysed in its import, which would hold the
#: store's write lock for seconds: the first finder run after it (in the window, a worker) does it
PREPARE_ON_IMPORT_MAX_CHARS = 512 * 1024


def prepare_new_sources(store: Store, source_ids: Iterable[str], *, lengths: Mapping[str, int] | None = None) -> None:
    """Prepare and keep the analysis of sources just stored (the import's last step, in its transaction).
    ``lengths``, when given, holds the length of each source's text: one too long to prepare is not read
    back (reading a 20 MB text and checking it as a source costs a second or so for nothing)."""
    from briefer.domain.conflicts.prepared import analyse_sources, analysis_digest
    from briefer.store import analysis

    if lengths is not None:
        source_ids = [i for i in source_ids if lengths.get(i, 0) <= PREPARE_ON_IMPORT_MAX_CHARS]
    sources = [s for s in (store.source(i) for i in source_ids) if len(s.text) <= PREPARE_ON_IMPORT_MAX_CHARS]
    if not sources:
        return
    glossary = store.glossary()
    digest = analysis_digest(glossary, None, body_spans)
    analysis.save(store, _rows(analyse_sources(sources, glossary, body=body_spans, digest=digest)))


def store_conflicts(store: Store) -> list[Conflict]:
    sources = store.sources(with_text=True)
    glossary = store.glossary()
    keep_analyses_current(store, sources, glossary)
    # the prepared analyses are read only for the sources whose readings this process does not hold yet
    return find_conflicts(sources, store.facts(), glossary, store.resolutions(), body=body_spans,
                          prepared=lambda wanted: _kept_analyses(store, wanted, glossary))
