"""What a store says when someone else changes it: :class:`Change`, and the :class:`Listener` that
hears of changes as they are committed.

A team library (PostgreSQL) pushes a notification for every committed change of a fact (its
citations and tags included), a source or a template (``LISTEN``/``NOTIFY``, see
:mod:`briefer.store.postgres.notify`); :meth:`FactStore.listener` returns a listener for it.  A
local store has no other writer to hear from and returns None.  Nothing here polls: the caller
watches :meth:`Listener.fileno` (the window with a ``QSocketNotifier``) and calls
:meth:`Listener.drain` when it becomes readable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

#: the kinds of things a change can be about
KINDS = ("fact", "source", "template", "role")


@dataclass(frozen=True)
class Change:
    """One committed change, as the server announced it."""

    #: "fact", "source", "template", or "role" (a user's role changed: ``id`` names the user)
    kind: str
    #: the fact's, source's or template's id (a template's stable id, ``builtin:<name>`` or ``t-<uuid>``,
    #: which a rename keeps); None for a change of many rows at once (``count`` says how many)
    id: str | None
    #: the version the change left (None when deleted, or when the table has no version)
    version: int | None = None
    #: "insert", "update" or "delete"
    op: str = "update"
    #: the database user who made it
    user: str = ""
    #: the analyst name that session gave, when it gave one
    analyst: str = ""
    #: how many rows a change of many rows touched (``id`` is None then)
    count: int = 1
    #: made by one of this store's own connections (the window's own edit)
    own: bool = False
    #: a template's name after the change, and before it (they differ when it was renamed)
    name: str = ""
    was: str = ""
    #: a "role" change: the user's role now ("reader", "editor", "admin"; "none" once removed)
    role: str = ""

    @property
    def who(self) -> str:
        """"demo_editor (Alice)", "demo_editor", "Alice" or "someone"."""
        if self.user and self.analyst and self.analyst != self.user:
            return f"{self.user} ({self.analyst})"
        return self.user or self.analyst or "someone"


class Listener(Protocol):
    """A dedicated connection that hears the store's change notifications."""

    def fileno(self) -> int:
        """The socket to watch: readable when notifications (or the news of a lost connection) arrive."""
        ...

    def drain(self) -> list[Change]:
        """Every change announced since the last call, without waiting; raises
        :class:`~briefer.errors.StoreUnreachable` when the connection to the server is gone."""
        ...

    def close(self) -> None: ...
