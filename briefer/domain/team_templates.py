"""Templates of a team library: the built-ins, plus the shared templates and the user's personal ones
kept in the library's database (:class:`briefer.store.template_shelf.TemplateShelf`) instead of the
files in ``<data_dir>/templates/``.

:func:`open_library` is the one choice: the CLI and the window ask it for "the template library" and
get the files for a local store, the database for a team library, with the same methods.  Each
template read here remembers its version; a write based on an older one is refused (StaleEdit, with
who changed it and when), never overwrites a colleague's change.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefer.domain.template_library import TemplateExists, TemplateInfo, TemplateLibrary
from briefer.domain.templates import MAX_TEMPLATE_FILE, Template
from briefer.errors import KnownError, NotFoundError, ValidationFailed
from briefer.fileio import atomic_write
from briefer.store.template_names import check_template_name, name_key

if TYPE_CHECKING:
    from briefer.store.db import Store
    from briefer.store.template_shelf import StoredTemplate, TemplateShelf

#: (where, user, template id) -> the version this process last read as that user: the version a write is based on
_READ: dict[tuple[str, str, str], int] = {}


@dataclass(frozen=True)
class TeamTemplateInfo(TemplateInfo):
    shared: bool = False
    owner: str = ""
    version: int = 0

    def to_json(self) -> dict[str, object]:
        data = super().to_json()
        data.update({"shared": self.shared, "owner": self.owner, "version": self.version})
        return data


def open_library(data_dir: Path, store: Any = None) -> TemplateLibrary:
    """The template library of ``store``: its database's templates for a team library, the files in
    ``data_dir/templates`` otherwise (no store given, or a local one)."""
    shelf = store.template_shelf() if store is not None and hasattr(store, "template_shelf") else None
    if shelf is None:
        return TemplateLibrary(data_dir)
    return TeamTemplateLibrary(data_dir, shelf)


def _template_id(template: Template) -> str:
    return template.id


def _new_id() -> str:
    from briefer.domain.template_model import new_template_id

    return new_template_id()


class TeamTemplateLibrary(TemplateLibrary):
    team = True

    def __init__(self, data_dir: Path, shelf: TemplateShelf) -> None:
        super().__init__(data_dir)
        self.shelf = shelf
        self.dir = Path(f"<{shelf.where}>")

    # -- reading ---------------------------------------------------------------------------

    def user_files(self) -> dict[str, Path]:
        return {}  # nothing of the data folder's templates/ is used on a team library

    def _rows(self) -> dict[str, StoredTemplate]:
        """name key -> row; the user's own template first when a shared one has the same name."""
        out: dict[str, StoredTemplate] = {}
        for row in sorted(self.shelf.templates(), key=lambda r: r.shared):
            out.setdefault(name_key(row.name), row)
        return out

    def _row(self, name: str) -> StoredTemplate:
        row = self._rows().get(name_key(name))
        if row is None:
            raise NotFoundError(f"no template named {name!r} in the team library (see 'briefer templates list')")
        return row

    def _parse(self, row: StoredTemplate) -> Template:
        try:
            t = Template.model_validate_json(row.body)
        except ValueError as exc:
            raise ValidationFailed(f"the team library's template {row.name!r} cannot be read: "
                                   f"{str(exc).splitlines()[0]}") from None
        update: dict[str, Any] = {"name": row.name}
        if "id" in Template.model_fields:
            update["id"] = row.template_id
        return t.model_copy(update=update)

    def exists(self, name: str) -> bool:
        return self.is_builtin(name) or name_key(name) in self._rows()

    def list(self) -> builtins.list[TemplateInfo]:
        out = [i for i in super().list() if i.builtin]
        for row in self._rows().values():
            path = self.dir / row.name
            common: dict[str, Any] = {"shared": row.shared, "owner": row.owner, "version": row.version}
            if "id" in TemplateInfo.__dataclass_fields__:
                common["id"] = row.template_id
            try:
                t = self._parse(row)
            except KnownError as exc:
                out.append(TeamTemplateInfo(row.name, False, "", "", path, problem=str(exc), **common))
                continue
            out.append(TeamTemplateInfo(row.name, False, t.description, t.audience, path, **common))
        return out

    def path_of(self, name: str) -> tuple[Path, bool]:
        if self.is_builtin(name):
            return super().path_of(name)
        return self.dir / self._row(name).name, False

    def get(self, name: str) -> Template:
        if self.is_builtin(name):
            return super().get(name)
        row = self._row(name)
        _READ[self._key(row.template_id)] = row.version
        return self._parse(row)

    def stored(self, name: str) -> StoredTemplate:
        """The row of one of the team library's templates (its version, owner, sharing)."""
        return self._row(name)

    # -- changing --------------------------------------------------------------------------

    def _key(self, template_id: str) -> tuple[str, str, str]:
        return self.shelf.where, self.shelf.user, template_id

    def _body(self, template: Template) -> str:
        data = template.to_json()
        if len(data.encode("utf-8")) > MAX_TEMPLATE_FILE:
            raise ValidationFailed(f"template {template.name!r} is too large to save "
                                   f"({len(data.encode('utf-8')) // 1024} KB; the limit is "
                                   f"{MAX_TEMPLATE_FILE // 1024} KB)")
        return data

    def _based_on(self, row: StoredTemplate) -> int:
        return _READ.get(self._key(row.template_id), row.version)

    def _written(self, row: StoredTemplate) -> None:
        _READ[self._key(row.template_id)] = row.version

    def _free(self, name: str, *, ignore: str | None = None) -> None:
        if self.is_builtin(name):
            raise TemplateExists(f"{name!r} is the name of a built-in template; choose another name")
        row = self._rows().get(name_key(name))
        if row is not None and row.template_id != ignore:
            raise TemplateExists(f"a template named {name!r} already exists; choose another name")

    def save(self, template: Template, *, name: str | None = None, replace: bool = False,
             shared: bool = False) -> Template:
        """Save ``template`` in the team library: as a new personal (or, for an editor, ``shared``)
        template, or with ``replace`` over the template of that name, based on the version read."""
        name = check_template_name(name or template.name)
        template = template.renamed(name) if template.name != name else template
        if replace and self.is_builtin(name):
            raise TemplateExists(f"{name!r} is a built-in template and cannot be changed; "
                                 "save your version under another name")
        existing = self._rows().get(name_key(name)) if replace else None
        if existing is not None:
            template = self._stamped(template, existing.template_id)
            row = self.shelf.write(existing.template_id, based_on=self._based_on(existing), name=name,
                                   body=self._body(template))
        else:
            self._free(name)
            taken = {r.template_id for r in self.shelf.templates()}
            tid = _template_id(template)
            if not tid or tid.startswith("builtin:") or tid in taken:
                tid = _new_id()
            template = self._stamped(template, tid)
            row = self.shelf.add(tid, name, self._body(template), shared=shared)
        self._written(row)
        return template

    @staticmethod
    def _stamped(template: Template, template_id: str) -> Template:
        return template.model_copy(update={"id": template_id})

    def share(self, name: str, shared: bool = True) -> StoredTemplate:
        """Share one of the user's templates with the team (editors), or take it back (its owner)."""
        row = self._row(name)
        if row.shared == shared:
            return row
        out = self.shelf.write(row.template_id, based_on=self._based_on(row), shared=shared)
        self._written(out)
        return out

    def rename(self, name: str, new_name: str, *, store: Store | None = None) -> Template:
        if self.is_builtin(name):
            raise KnownError(f"{name!r} is a built-in template and cannot be renamed; "
                             f"duplicate it instead ('briefer templates duplicate {name} NEW')")
        row = self._row(name)
        new_name = check_template_name(new_name)
        self._free(new_name, ignore=row.template_id)
        template = self._parse(row).renamed(new_name)
        out = self.shelf.write(row.template_id, based_on=self._based_on(row), name=new_name,
                               body=self._body(template))
        self._written(out)
        if store is not None and row.name != new_name:
            store.rename_template(row.name, new_name, row.template_id)
        return template

    def update(self, old_name: str | None, template: Template, *, store: Store | None = None) -> Template:
        """Save an edited template (the template editor): a new one (``old_name`` None), or the
        template ``old_name``, renamed when the name changed, based on the version read (StaleEdit
        when a colleague saved it since)."""
        name = check_template_name(template.name)
        if old_name is None:
            return self.save(self._stamped(template, ""), name=name)
        if self.is_builtin(old_name):
            raise KnownError(f"{old_name!r} is a built-in template and cannot be changed; "
                             "duplicate it and edit the copy")
        row = self._row(old_name)
        self._free(name, ignore=row.template_id)
        template = self._stamped(template, row.template_id)
        self._check(template, store, row.template_id)
        out = self.shelf.write(row.template_id, based_on=self._based_on(row), name=name, body=self._body(template))
        self._written(out)
        if store is not None and row.name != name:
            store.rename_template(row.name, name, row.template_id)
        return template

    def _check(self, template: Template, store: Store | None, template_id: str) -> None:
        """The template editor's checks (briefer.domain.template_check), the same as for a local library."""
        from briefer.domain.template_check import check_template

        check_template(template, store, taken=self.taken(ignore_id=template_id))

    def delete(self, name: str) -> Path:
        if self.is_builtin(name):
            raise KnownError(f"{name!r} is a built-in template and cannot be deleted")
        row = self._row(name)
        self.shelf.remove(row.template_id, based_on=self._based_on(row))
        _READ.pop(self._key(row.template_id), None)
        return self.dir / row.name

    def export(self, name: str, dest: Path) -> Template:
        if self.is_builtin(name):
            return super().export(name, dest)
        template = self.get(name)
        atomic_write(Path(dest).expanduser(), template.to_json().encode("utf-8"))
        return template
