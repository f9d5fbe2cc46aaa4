"""What the connected user may do in the library: the store answers (``store.permissions()``), the
shells grey out or refuse what the role cannot do.  On a local (SQLite) store everything is allowed;
on a team library the server decides (its GRANTs and row-level security) and this only reports it."""

from __future__ import annotations

from typing import Literal

from briefer.model.plain import Frozen

#: the roles of a team library, weakest first; "local" is the one user of a local store
RoleName = Literal["local", "reader", "editor", "admin", "none"]
TEAM_ROLES: tuple[str, ...] = ("reader", "editor", "admin")

#: what each capability lets the user do, as the end of "your role (reader) may not …"
DOING: dict[str, str] = {
    "can_edit": "edit facts",
    "can_import": "import sources",
    "can_delete": "delete facts",
    "can_manage_users": "manage users",
    "can_write_shared_templates": "write shared templates",
    "can_grade": "grade facts",
    "can_supersede": "supersede facts",
    "can_resolve": "resolve conflicts",
}


class Permissions(Frozen):
    """A plain record (:mod:`briefer.model.plain`): the window's start reads one."""

    __slots__ = ("role", "user", "can_edit", "can_import", "can_delete", "can_manage_users",
                 "can_write_shared_templates")
    _fields = __slots__
    role: RoleName
    #: the database user (a team library) or "" (local)
    user: str
    can_edit: bool
    can_import: bool
    can_delete: bool
    can_manage_users: bool
    can_write_shared_templates: bool

    def __init__(self, role: RoleName, user: str = "", can_edit: bool = True, can_import: bool = True,
                 can_delete: bool = True, can_manage_users: bool = True,
                 can_write_shared_templates: bool = True) -> None:
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "user", user)
        object.__setattr__(self, "can_edit", can_edit)
        object.__setattr__(self, "can_import", can_import)
        object.__setattr__(self, "can_delete", can_delete)
        object.__setattr__(self, "can_manage_users", can_manage_users)
        object.__setattr__(self, "can_write_shared_templates", can_write_shared_templates)

    @property
    def team(self) -> bool:
        return self.role != "local"

    # grading, superseding and resolving conflicts are edits of facts: one grant covers them
    @property
    def can_grade(self) -> bool:
        return self.can_edit

    @property
    def can_supersede(self) -> bool:
        return self.can_edit

    @property
    def can_resolve(self) -> bool:
        return self.can_edit

    def allows(self, capability: str) -> bool:
        """``capability`` is one of :data:`DOING`'s keys."""
        return bool(getattr(self, capability))

    def why_not(self, capability: str) -> str | None:
        """None when allowed, else the sentence the window shows ("Your role in the team library
        (reader) cannot edit facts")."""
        if self.allows(capability):
            return None
        return f"Your role in the team library ({self.role}) cannot {DOING[capability]}"

    def refusal(self, capability: str) -> str:
        """The CLI's line for a refused change: "the team library refused the change: your role
        (reader) may not edit facts"."""
        return f"the team library refused the change: your role ({self.role}) may not {DOING[capability]}"

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"role": self.role, "user": self.user}
        data.update({k: self.allows(k) for k in DOING})
        return data


#: the one user of a local store may do everything
LOCAL = Permissions(role="local")
