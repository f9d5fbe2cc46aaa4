"""What a team library's store answers about roles, users and its templates (the team side of
:class:`briefer.store.local_team.LocalTeamMixin`), over the store's own connection."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import psycopg

from briefer.errors import RoleRefused
from briefer.model.permissions import Permissions
from briefer.store.postgres import roles
from briefer.store.postgres.templates import PgTemplateShelf
from briefer.store.template_shelf import ShelfTemplates, TemplateShelf

if TYPE_CHECKING:
    from briefer.store.postgres.connection import Connection


class TeamRolesMixin:
    _pg: Connection
    url: str
    _permissions: Permissions | None = None

    def _raw(self) -> psycopg.Connection[Any]:
        return self._pg.raw

    def _fail(self, exc: psycopg.Error, doing: str) -> Exception:
        from briefer.store.postgres.connection import translate

        return translate(exc, self.url, doing, role=self._pg.role)

    def refresh_permissions(self) -> Permissions:
        """Read the role again (an admin changed it: the live updates say so, see roles.announce)."""
        self._permissions = None
        return self.permissions()

    def permissions(self) -> Permissions:
        """Read once per connection, and again by :meth:`refresh_permissions`."""
        if self._permissions is None:
            try:
                self._permissions = roles.permissions(self._raw())
            except psycopg.Error as exc:
                raise self._fail(exc, "read") from None
        return self._permissions

    def template_shelf(self) -> TemplateShelf | None:
        return PgTemplateShelf(self._raw(), where=f"team library {self.url}", fail=self._fail)

    def template_set(self) -> ShelfTemplates:
        """The templates as ``store copy`` and backups read and write them (see :mod:`briefer.store.copy`)."""
        shelf = self.template_shelf()
        assert shelf is not None
        return ShelfTemplates(shelf)

    def team_users(self) -> list[dict[str, Any]]:
        try:
            return roles.users(self._raw())
        except psycopg.Error as exc:
            raise self._fail(exc, "read the users of") from None

    def set_team_user(self, name: str, role: str, *, password: str | None = None) -> bool:
        try:
            return roles.set_user(self._raw(), name, role, password=password)
        except psycopg.errors.InsufficientPrivilege:
            perms = self.permissions()
            raise RoleRefused(perms.refusal("can_manage_users")) from None
        except psycopg.Error as exc:
            raise self._fail(exc, "add a user to") from None

    def remove_team_user(self, name: str) -> str:
        try:
            return roles.remove_user(self._raw(), name)
        except psycopg.errors.InsufficientPrivilege:
            perms = self.permissions()
            raise RoleRefused(perms.refusal("can_manage_users")) from None
        except psycopg.Error as exc:
            raise self._fail(exc, "remove a user from") from None


def apply_roles(conn: Any, where: str) -> None:
    """The roles, grants and policies over every table of the library (after its schema steps, in
    their transaction): see :func:`briefer.store.postgres.roles.apply`."""
    from briefer.store.postgres.connection import translate

    try:
        roles.apply(conn.raw)
    except psycopg.Error as exc:
        raise translate(exc, where, "create the roles of") from None


def ensure_roles(store: Any, where: str) -> None:
    """A library of the latest schema that has no roles yet (created before they existed), or that
    shares the cluster's legacy groups, or that was copied from another library's database: its
    owner's (or a superuser's) next open gives it its own (:func:`roles.apply`); anyone else's open
    leaves it as it is (it works as before until then)."""
    conn = store._pg
    templates, prefix, keyed_in, here = conn.run(
        "SELECT to_regclass('templates') IS NOT NULL, (SELECT value FROM briefer_meta WHERE key = 'roles'),"
        " (SELECT value FROM briefer_meta WHERE key = 'roles_database'), current_database()", doing="open")[0]
    if templates and prefix and keyed_in == here:
        return
    owner = conn.run("SELECT pg_has_role(current_user, c.relowner, 'USAGE') FROM pg_class c"
                     " WHERE c.oid = to_regclass('facts')", doing="open")
    if not owner or not owner[0][0]:
        return
    with store.transaction():
        apply_roles(conn, where)


#: a store method -> what a refusal of it says the role may not do ("your role (reader) may not …"); the
#: server refuses by table and statement (a fact's delete first rewrites its search words), the store
#: knows what was being done
_REFUSAL_SAYS = {
    "add_fact": "add facts", "update_fact": "edit facts", "delete_fact": "delete facts",
    "repair_fact_date": "edit facts", "add_source": "import sources", "record_source_import": "import sources",
    "update_source": "edit sources", "add_glossary_entry": "edit the glossary", "set_aliases": "edit the glossary",
    "record_resolution": "resolve conflicts", "forget_resolution": "resolve conflicts",
    "add_candidate": "import sources", "add_candidates": "import sources",
    "decide_candidate": "review import candidates",
    "load_pack": "load a fact pack into the library",
}


def _saying(name: str, says: str) -> Any:
    def method(self: TeamRolesMixin, *args: Any, **kwargs: Any) -> Any:
        try:
            return getattr(super(TeamRolesMixin, self), name)(*args, **kwargs)
        except RoleRefused:
            raise RoleRefused(f"the team library refused the change: your role ({self._pg.role or 'none'}) "
                              f"may not {says}") from None

    method.__name__ = method.__qualname__ = name
    return method


for _name, _says in _REFUSAL_SAYS.items():
    setattr(TeamRolesMixin, _name, _saying(_name, _says))
