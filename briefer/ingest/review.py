"""Conflicts over the whole store, reading each source's body only (reader
comments, related-article headlines and other page furniture are not what
the source says, so they cannot contradict anything)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from briefer.domain.conflicts import Conflict, find_conflicts
from briefer.ingest.furniture import clean

if TYPE_CHECKING:
    from briefer.store.db import Store


def body_spans(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in clean(text).segments if s.kind == "body"]


def store_conflicts(store: Store) -> list[Conflict]:
    from briefer.domain.curation import resolutions

    return find_conflicts(store.sources(with_text=True), store.facts(), store.glossary(), resolutions(store),
                          body=body_spans)
