"""Curating the store: what depends on a fact, and deleting it under one confirmation rule.

The rule, for ``briefer facts delete`` and the window's fact editor alike: a fact that a template
selects or names, a saved edition holds, or that replaces an older fact, is deleted only when
the user has confirmed it (``--force``; "Delete" in the window's question).  Either way the fact
can be restored from its history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefer.errors import KnownError


def _plain(name: str) -> str:
    return repr(name)


@dataclass(frozen=True)
class Dependents:
    """What uses one fact."""

    fact_id: str
    #: (template name, True when the template names the fact but its query does not select it)
    templates: list[tuple[str, bool]] = field(default_factory=list)
    #: (template name, edition number, ISO date)
    editions: list[tuple[str, int, str]] = field(default_factory=list)
    #: the older facts this one replaces
    replaces: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.templates or self.editions or self.replaces)

    def phrases(self, quote: Callable[[str], str] = _plain) -> list[str]:
        """One phrase per user ("template 'Weekly'", "edition 2 of 'Weekly' (2025-10-01)")."""
        out = [f"template {quote(t)}" + (" (names it)" if named else "") for t, named in self.templates]
        out += [f"edition {n} of {quote(t)} ({day})" for t, n, day in self.editions]
        if self.replaces:
            out.append("as the replacement of " + ", ".join(self.replaces))
        return out

    def sentence(self, quote: Callable[[str], str] = _plain) -> str:
        return "; ".join(self.phrases(quote))


class DeleteNeedsConfirmation(KnownError):
    """A fact something depends on, deleted without the user's confirmation."""

    advice = "Confirm the deletion (it can be restored from the fact's history)."

    def __init__(self, message: str, dependents: Dependents) -> None:
        super().__init__(message)
        self.dependents = dependents


def dependents(store: Any, data_dir: Path, fact_id: str) -> Dependents:
    """What uses ``fact_id``: templates (run against the store), saved editions, facts it replaces."""
    from briefer.domain import curation

    templates: list[tuple[str, bool]] = []
    editions: list[tuple[str, int, str]] = []
    try:
        from briefer.domain.usage import fact_usage
    except ImportError:  # pragma: no cover - the templates part is not installed
        usage = None
    else:
        usage = fact_usage(store, Path(data_dir), fact_id)
    if usage is not None:
        templates = [(t.template, t.how == "named-but-not-selected") for t in usage.templates]
        editions = [(e.template, e.number, e.exported_on.isoformat()) for e in usage.editions]
    return Dependents(fact_id, templates, editions, list(curation.supersedes(store, fact_id)))


def delete_fact(store: Any, data_dir: Path, fact_id: str, *, confirmed: bool, analyst: str,
                force_hint: str = "confirm to delete it anyway") -> Dependents:
    """Delete ``fact_id`` (kept in its history).  Refused with :class:`DeleteNeedsConfirmation` when
    something depends on it and the user has not ``confirmed``; ``force_hint`` says how to confirm
    (the CLI: "use --force …").  Returns what depended on it."""
    from briefer.domain import curation

    store.fact(fact_id)  # an unknown id is a clear error first
    deps = dependents(store, data_dir, fact_id)
    if deps.any and not confirmed:
        raise DeleteNeedsConfirmation(f"fact {fact_id!r} is used by {deps.sentence()}: not deleted ({force_hint}; "
                                      "it can be restored from its history)", deps)
    curation.delete_fact(store, fact_id, analyst=analyst)
    return deps
