"""Where a library's own templates are kept when it is a team library: rows of the ``templates`` table
(see :mod:`briefer.store.postgres.templates`), each with a stable id, a version every write
increments, its owner (a database user) and whether it is shared with the team.

A local store has no shelf (``store.template_shelf()`` is None): its templates are the files in
``<data_dir>/templates/`` (:class:`briefer.domain.template_library.TemplateLibrary`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class StoredTemplate:
    template_id: str
    name: str
    #: the template's JSON
    body: str
    version: int
    owner: str
    shared: bool
    changed_at: datetime
    changed_by: str


class TemplateShelf(Protocol):
    #: where the templates live, for messages ("the team library briefer on 127.0.0.1:5432")
    where: str
    #: the connected database user (the owner of the personal templates written)
    user: str

    def templates(self) -> list[StoredTemplate]:
        """The shared templates and the user's own, by name."""
        ...

    def template(self, template_id: str) -> StoredTemplate | None: ...

    def add(self, template_id: str, name: str, body: str, *, shared: bool = False, analyst: str = "") -> StoredTemplate:
        """A new template (its id and name must be free)."""
        ...

    def write(self, template_id: str, *, based_on: int, name: str | None = None, body: str | None = None,
              shared: bool | None = None, analyst: str = "") -> StoredTemplate:
        """Change a template whose version the caller read as ``based_on``: StaleEdit (naming who
        changed it and when) when it has changed since, RoleRefused when the role may not."""
        ...

    def remove(self, template_id: str, *, based_on: int) -> None: ...
