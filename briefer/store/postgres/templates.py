"""A team library's templates: rows of ``templates`` (created with the roles, see
:mod:`briefer.store.postgres.roles`), read and written through one psycopg connection.

The server keeps each row's version, owner, time and writer (a trigger) and decides who may write
(row-level security: everyone their own personal templates, editors the shared ones, admins delete
shared ones); this module turns what it says into :class:`StaleEdit` and :class:`RoleRefused`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from briefer.errors import NotFoundError, RoleRefused, StaleEdit, StoreError
from briefer.store.postgres import roles
from briefer.store.template_shelf import StoredTemplate

_COLS = "template_id, name, body, version, owner, shared, changed_at, changed_by"


def _row(r: Any) -> StoredTemplate:
    return StoredTemplate(template_id=str(r[0]), name=str(r[1]), body=str(r[2]), version=int(r[3]),
                          owner=str(r[4]), shared=bool(r[5]), changed_at=r[6], changed_by=str(r[7]))


def _when(t: StoredTemplate) -> str:
    return t.changed_at.astimezone().strftime("%Y-%m-%d %H:%M")


class PgTemplateShelf:
    def __init__(self, conn: psycopg.Connection[Any], where: str,
                 fail: Callable[[psycopg.Error, str], Exception] | None = None) -> None:
        """``fail``: the store's one sentence for any other psycopg error (a lost connection …)."""
        self.conn = conn
        self.where = where
        self._fail = fail
        with self._guard("read"):
            row = conn.execute("SELECT current_user").fetchone()
        self.user = str(row[0]) if row else ""

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as exc:
            if self._fail is None:
                raise
            raise self._fail(exc, doing) from None

    def templates(self) -> list[StoredTemplate]:
        with self._guard("read the templates of"):
            rows = self.conn.execute(f"SELECT {_COLS} FROM templates ORDER BY lower(name), shared DESC").fetchall()
        return [_row(r) for r in rows]

    def template(self, template_id: str) -> StoredTemplate | None:
        with self._guard("read the templates of"):
            r = self.conn.execute(f"SELECT {_COLS} FROM templates WHERE template_id = %s",
                                  (template_id,)).fetchone()
        return _row(r) if r else None

    def _refused(self, shared: bool) -> RoleRefused:
        perms = roles.permissions(self.conn)
        doing = "write shared templates" if shared else "write this template"
        return RoleRefused(f"the team library refused the change: your role ({perms.role}) may not {doing}")

    def add(self, template_id: str, name: str, body: str, *, shared: bool = False, analyst: str = "") -> StoredTemplate:
        with self._guard("save a template in"):
            return self._add(template_id, name, body, shared=shared, analyst=analyst)

    def _add(self, template_id: str, name: str, body: str, *, shared: bool, analyst: str) -> StoredTemplate:
        try:
            with self.conn.transaction():
                r = self.conn.execute(
                    f"INSERT INTO templates (template_id, name, body, shared, analyst) VALUES (%s, %s, %s, %s, %s)"
                    f" RETURNING {_COLS}", (template_id, name, body, shared, analyst)).fetchone()
        except psycopg.errors.InsufficientPrivilege:
            raise self._refused(shared) from None
        except psycopg.errors.UniqueViolation:
            raise StoreError(f"a template named {name!r} (or with its id) already exists in the team library; "
                             "choose another name") from None
        assert r is not None
        return _row(r)

    def _stale(self, current: StoredTemplate, based_on: int) -> StaleEdit:
        return StaleEdit(f"the template {current.name!r} was changed by {current.changed_by} at {_when(current)} "
                         f"since you read it (now version {current.version}, yours was based on version "
                         f"{based_on}); your change was not saved")

    def write(self, template_id: str, *, based_on: int, name: str | None = None, body: str | None = None,
              shared: bool | None = None, analyst: str = "") -> StoredTemplate:
        with self._guard("save a template in"):
            return self._write(template_id, based_on=based_on, name=name, body=body, shared=shared, analyst=analyst)

    def _write(self, template_id: str, *, based_on: int, name: str | None, body: str | None,
               shared: bool | None, analyst: str) -> StoredTemplate:
        try:
            with self.conn.transaction():
                r = self.conn.execute(
                    "UPDATE templates SET name = coalesce(%s, name), body = coalesce(%s, body),"
                    " shared = coalesce(%s, shared), analyst = %s WHERE template_id = %s AND version = %s"
                    f" RETURNING {_COLS}", (name, body, shared, analyst, template_id, based_on)).fetchone()
        except psycopg.errors.InsufficientPrivilege:
            raise self._refused(bool(shared)) from None
        except psycopg.errors.UniqueViolation:
            raise StoreError(f"a template named {name!r} already exists in the team library; "
                             "choose another name") from None
        if r is not None:
            return _row(r)
        current = self.template(template_id)
        if current is None:
            raise NotFoundError("the template is no longer in the team library (someone deleted it)")
        if current.version != based_on:
            raise self._stale(current, based_on)
        raise self._refused(current.shared)  # visible, same version, yet no row changed: row-level security

    def remove(self, template_id: str, *, based_on: int) -> None:
        with self._guard("delete a template from"):
            self._remove(template_id, based_on=based_on)

    def _remove(self, template_id: str, *, based_on: int) -> None:
        try:
            with self.conn.transaction():
                cur = self.conn.execute("DELETE FROM templates WHERE template_id = %s AND version = %s",
                                        (template_id, based_on))
        except psycopg.errors.InsufficientPrivilege:
            raise self._refused(True) from None
        if cur.rowcount:
            return
        current = self.template(template_id)
        if current is None:
            return  # already gone: what was asked for
        if current.version != based_on:
            raise self._stale(current, based_on)
        perms = roles.permissions(self.conn)
        raise RoleRefused(f"the team library refused the change: your role ({perms.role}) may not delete "
                          "shared templates")
