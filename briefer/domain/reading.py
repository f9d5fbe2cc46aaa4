"""What :func:`briefer.domain.resolving.resolve` reads from a store, read once (see :class:`CachedStore`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from briefer.domain.models import Fact, Source

if TYPE_CHECKING:
    from briefer.store.db import Store

_T = TypeVar("_T")


class CachedStore:
    """What :func:`resolve` reads from a store, read once: facts from a dict the caller keeps (the
    window's open briefing, a template being fitted), sources, sections and glossary on first use.
    Resolving again after an edit then costs no database work."""

    def __init__(self, store: Store, facts: dict[str, Fact] | None = None, *,
                 all_facts: list[Fact] | None = None) -> None:
        """``all_facts``: every fact of the store, when the caller has just read them (``store.facts()``)."""
        self._store = store
        self._facts = facts
        self._cache: dict[str, list] = {}  # type: ignore[type-arg]
        if all_facts is not None:
            self._cache["facts"] = all_facts
        #: what is worked out from the store's contents alone (a figure), by what it is (see :meth:`memo`)
        self._memo: dict[object, object] = {}

    def facts_by_ids(self, ids: list[str]) -> dict[str, Fact]:
        """The facts among ``ids``: from the caller's dict, the others from the store."""
        if self._facts is None:
            return self._store.facts_by_ids(ids)
        found = {fid: self._facts[fid] for fid in ids if fid in self._facts}
        missing = [fid for fid in ids if fid not in found]
        if missing:
            found.update(self._store.facts_by_ids(missing))
        return found

    @property
    def damaged(self) -> dict[str, str]:
        """The store's notes on stored values that no longer parse (a fact left out is unreadable, not gone)."""
        return getattr(self._store, "damaged", None) or {}

    def _once(self, name: str) -> list:  # type: ignore[type-arg]
        if name not in self._cache:
            self._cache[name] = getattr(self._store, name)()
        return self._cache[name]

    def sources(self) -> list[Source]:
        return self._once("sources")

    def sections(self) -> list:  # type: ignore[type-arg]
        return self._once("sections")

    def facts(self) -> list[Fact]:
        """Every fact in the store (the figures draw from the tagged ones), read once."""
        return self._once("facts")

    def glossary(self) -> list:  # type: ignore[type-arg]
        return self._once("glossary")

    def memo(self, key: object, make: Callable[[], _T]) -> _T:
        """``make()``, made once: for what depends only on what this reading of the store holds."""
        if key not in self._memo:
            self._memo[key] = make()
        return self._memo[key]  # type: ignore[return-value]

    def tagged_facts(self, prefix: str) -> list[Fact]:
        """The facts carrying a tag that starts with ``prefix`` (the figures draw from them), found once."""
        key = f"tagged:{prefix}"
        if key not in self._cache:
            self._cache[key] = [f for f in self.facts() if any(t.startswith(prefix) for t in f.tags)]
        return self._cache[key]
