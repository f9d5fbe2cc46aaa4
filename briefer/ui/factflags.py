"""Flags the curation layer computes about facts, for the library, the
outline, the inspector and the quality report: stale (older than the analyst's
freshness horizon) and in an open conflict between sources.  Each part is
used only when its module exists in this build."""

from __future__ import annotations

import importlib
from datetime import date
from pathlib import Path
from typing import Any


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def display_status(fact: Any, flags: Any = ()) -> str:
    """The one status a list shows: superseded or disputed first, then stale, then an open conflict."""
    status = str(fact.status)
    if status != "current":
        return status
    if "stale" in flags:
        return "stale"
    if "conflict" in flags:
        return "conflict"
    return status


class FactFlags:
    """Callable: facts -> {fact id: {"stale", "conflict"}}.  Safe to call from the query thread."""

    def __init__(self, data_dir: Path | None = None, today: date | None = None) -> None:
        self.today = today or date.today()
        self.horizon = 12
        prefs = _module("briefer.store.preferences")
        if prefs is not None and data_dir is not None:
            try:
                self.horizon = int(prefs.stale_after_months(Path(data_dir)))
            except Exception:  # noqa: BLE001 - a bad preference must not stop the window
                self.horizon = 12
        self._freshness = _module("briefer.domain.freshness")
        #: fact id -> one line per open conflict it is part of
        self.conflicts: dict[str, list[str]] = {}

    def __call__(self, facts: list[Any]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        fresh = self._freshness
        # freshness.is_stale(f, today, horizon) is ``f.as_of < cutoff(today, horizon)``: the cutoff once
        # per call, not once per fact (a calendar lookup each: the start's first list marks 500 rows)
        first_fresh = None
        if fresh is not None:
            try:
                first_fresh = fresh.cutoff(self.today, self.horizon)
            except Exception:  # noqa: BLE001 - a bad horizon marks nothing stale, as before
                first_fresh = None
        for f in facts:
            flags: set[str] = set()
            if first_fresh is not None:
                try:
                    if f.as_of < first_fresh:
                        flags.add("stale")
                except Exception:  # noqa: BLE001
                    pass
            if f.id in self.conflicts:
                flags.add("conflict")
            if flags:
                out[f.id] = flags
        return out

    def stale_label(self, fact: Any) -> str:
        fresh = self._freshness
        if fresh is None or not hasattr(fresh, "staleness"):
            return ""
        try:
            return str(fresh.staleness(fact, self.today, self.horizon).label)
        except Exception:  # noqa: BLE001
            return ""


def compute_conflicts(store: Any) -> dict[str, list[str]]:
    """Open conflicts over the whole store, per fact.  Slow on a big store: run it in a worker
    (it imports the curation modules it uses itself)."""
    review = _module("briefer.ingest.review")
    if review is None or not hasattr(review, "store_conflicts"):
        return {}
    from briefer.domain.source_names import name_sources

    out: dict[str, list[str]] = {}
    sources = store.sources()
    for c in review.store_conflicts(store):
        if not c.open:
            continue
        # the analyst reads sources by their labels, not their ids
        sides = "; ".join(f"\u201c{s.value}\u201d ({'; '.join(name_sources(x, sources) for x in s.sources)})"
                          for s in c.sides)
        line = f"{name_sources(c.question, sources)} \u2014 {sides}"
        for fid in c.facts:
            out.setdefault(fid, []).append(line)
    return out


def make_flagger(today: date | None = None) -> FactFlags:
    return FactFlags(None, today)
