"""What the connected user's role may not do, greyed out with the reason: the window's actions and the
curation dialogs' buttons.  The server enforces the roles whatever the window shows (see
:mod:`briefer.store.postgres.roles`); this only spares a reader a refusal."""

from __future__ import annotations

from typing import Any

from briefer.model.permissions import LOCAL, Permissions


def of_store(store: Any) -> Permissions:
    """The store's answer (a team library's is read once per connection), or everything allowed."""
    ask = getattr(store, "permissions", None)
    if ask is None:
        return LOCAL
    perms = ask()
    return perms if isinstance(perms, Permissions) else LOCAL


def of_window(window: Any) -> Permissions:
    perms = getattr(window, "permissions", None)
    return perms if isinstance(perms, Permissions) else LOCAL


def gate(thing: Any, perms: Permissions, capability: str) -> bool:
    """Disable ``thing`` (a QAction or a widget) with the reason as its tip when the role may not;
    returns whether it may."""
    reason = perms.why_not(capability)
    if thing.property("roleFreeTip") is None:  # its own tips, given back when a new role allows it
        thing.setProperty("roleFreeTip", thing.toolTip())
        thing.setProperty("roleFreeStatusTip", thing.statusTip() if hasattr(thing, "statusTip") else "")
    if reason is None:
        if thing.toolTip() != thing.property("roleFreeTip"):
            thing.setToolTip(thing.property("roleFreeTip"))
            if hasattr(thing, "setStatusTip"):
                thing.setStatusTip(thing.property("roleFreeStatusTip"))
        return True
    thing.setEnabled(False)
    thing.setToolTip(reason)
    if hasattr(thing, "setStatusTip"):
        thing.setStatusTip(reason)
    return False
