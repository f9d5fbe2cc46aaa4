"""The keys of a store's notes on stored values that no longer parse (``FactStore.damaged``): a fact's
note is keyed by the fact's id, a source field's by :func:`source_key` (fact ids have no colon)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def source_key(source_id: str, field: str) -> str:
    """The key of the note on source ``source_id``'s field ``field``."""
    return f"source:{source_id}:{field}"


def source_notes(damaged: Mapping[str, str], source_ids: Iterable[str]) -> list[str]:
    """The notes on the stored values of the sources ``source_ids`` that could not be read."""
    wanted = set(source_ids)
    return [note for key, note in damaged.items()
            if key.startswith("source:") and key.split(":", 2)[1] in wanted]
