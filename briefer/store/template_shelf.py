"""Where a library's own templates are kept when it is a team library: rows of the ``templates`` table
(see :mod:`briefer.store.postgres.templates`), each with a stable id, a version every write
increments, its owner (a database user) and whether it is shared with the team.

A local store has no shelf (``store.template_shelf()`` is None): its templates are the files in
``<data_dir>/templates/`` (:class:`briefer.domain.template_library.TemplateLibrary`).
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from briefer.errors import KnownError


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


class ShelfTemplates:
    """A team library's templates seen as ``store copy`` and backups see a data folder's
    (:class:`briefer.store.copy.TemplateSet`): name -> the template's JSON as bytes.

    Templates copied in are shared with the team (a library started from an analyst's local one
    carries that analyst's templates to the desk); each keeps the id its JSON names, or gets one."""

    def __init__(self, shelf: TemplateShelf) -> None:
        self.shelf = shelf

    def read(self) -> dict[str, bytes]:
        return {t.name: t.body.encode("utf-8") for t in self.shelf.templates()}

    def write(self, items: dict[str, bytes], *, replace: bool = False) -> Callable[[], None]:
        removed: list[StoredTemplate] = []
        added: list[StoredTemplate] = []

        def undo() -> None:
            for t in reversed(added):
                with contextlib.suppress(KnownError):
                    self.shelf.remove(t.template_id, based_on=t.version)
            for t in removed:
                with contextlib.suppress(KnownError):
                    self.shelf.add(t.template_id, t.name, t.body, shared=t.shared)

        try:
            if replace:
                for t in self.shelf.templates():
                    self.shelf.remove(t.template_id, based_on=t.version)
                    removed.append(t)
            for name, data in items.items():
                body = data.decode("utf-8")
                added.append(self.shelf.add(_template_id(body), name, body, shared=True))
        except BaseException:
            undo()
            raise
        return undo


def _template_id(body: str) -> str:
    """The id the template's JSON names (kept across libraries), or a new one (a file from before ids)."""
    try:
        tid = json.loads(body).get("id")
    except (ValueError, AttributeError):
        tid = None
    if isinstance(tid, str) and tid and not tid.startswith("builtin:"):
        return tid
    return f"t-{uuid.uuid4().hex}"
