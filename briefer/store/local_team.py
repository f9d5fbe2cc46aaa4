"""What a local (SQLite) store answers about roles and team templates: its one user may do everything,
its templates are files, and it has no users to manage (those commands need a team library)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefer.errors import NeedsTeamLibrary

if TYPE_CHECKING:
    from briefer.model.permissions import Permissions
    from briefer.store.template_shelf import TemplateShelf

_NEEDS_TEAM = ("managing users needs a team library (PostgreSQL); this is a local store: point Briefer at "
               "one with --store postgresql://USER@HOST/DB or BRIEFER_STORE")


class LocalTeamMixin:
    def permissions(self) -> Permissions:
        from briefer.model.permissions import LOCAL  # asked by the window and team commands, not an export

        return LOCAL

    def refresh_permissions(self) -> Permissions:
        return self.permissions()

    def template_shelf(self) -> TemplateShelf | None:
        return None  # the templates are the files in <data_dir>/templates/

    def team_users(self) -> list[dict[str, Any]]:
        raise NeedsTeamLibrary(_NEEDS_TEAM)

    def set_team_user(self, name: str, role: str, *, password: str | None = None) -> bool:
        raise NeedsTeamLibrary(_NEEDS_TEAM)

    def remove_team_user(self, name: str) -> str:
        raise NeedsTeamLibrary(_NEEDS_TEAM)
