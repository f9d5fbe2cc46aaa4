"""What the library's list shows of a fact, a source and a section: light rows, read without pydantic.

The window's first list is filled from these (``FactStore.library_rows``, ``section_rows``,
``source_rows``), so a start does not import pydantic or build a validator before the user can search;
the full :class:`briefer.model.Fact` is loaded when a fact is opened, edited or added to a briefing.
The attribute names are the models' own, so code reading a list row reads a fact the same way.
They are NamedTuples (immutable, compared by value): defined and made some times faster than dataclasses,
and their class is made at every start.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple


class FactRow(NamedTuple):
    """One fact as the library lists it."""

    id: str
    section: str
    statement: str
    as_of: date
    #: a :class:`briefer.model.FactStatus` value ("current", "disputed", "superseded")
    status: str
    priority: int
    superseded_by: str | None
    tags: tuple[str, ...]
    #: the cited sources' ids, each once, in citation order (as ``Fact.source_ids``)
    source_ids: tuple[str, ...]


class SourceRow(NamedTuple):
    """What the window names a source by (briefer.domain.source_names.short_label)."""

    id: str
    title: str | None
    label: str
    file: str | None

    @property
    def display_title(self) -> str:
        return self.title if self.title else f"[{self.label}]"


class SectionRow(NamedTuple):
    id: str
    title: str
    description: str
    order: int
