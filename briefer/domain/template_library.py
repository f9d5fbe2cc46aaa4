"""The template library: built-in templates (read-only, in ``resources/templates``)
and the user's own, one JSON file each in ``<data_dir>/templates/``.

Names are compared without regard to case, and a user template cannot take a
built-in's name: to change a built-in, duplicate it and edit the copy.  Every
write goes through :func:`briefer.fileio.atomic_write`; a deleted template is
moved to ``templates/.trash/`` rather than destroyed.
"""

from __future__ import annotations

import builtins
import contextlib
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from briefer import resources
from briefer.domain.template_model import BUILTIN_ID_PREFIX, new_template_id
from briefer.domain.templates import MAX_TEMPLATE_FILE, Template, check_against_store, read_template_file
from briefer.errors import KnownError, NotFoundError, ValidationFailed
from briefer.fileio import WriteFailed, atomic_write, locked, protecting
from briefer.store.template_names import check_template_name, name_key

if TYPE_CHECKING:
    from briefer.store.db import Store

TEMPLATES_DIR = "templates"
TRASH_DIR = ".trash"
#: held (in the data folder) while the library is checked and changed, so parallel Briefers take turns
LOCK_FILE = ".templates.lock"

_T = TypeVar("_T")


def _exclusive(method: Callable[..., _T]) -> Callable[..., _T]:
    """Run a change of the library under its lock: the check that a name is free and the write that
    takes it happen with no other Briefer changing the library in between."""

    @functools.wraps(method)
    def run(self: TemplateLibrary, *args: Any, **kwargs: Any) -> _T:
        if not self.data_dir.is_dir():
            return method(self, *args, **kwargs)  # nothing to lock yet: the write reports the folder
        with locked(self.data_dir / LOCK_FILE, f"the template library ({self.dir})"):
            return method(self, *args, **kwargs)

    return run


class TemplateExists(KnownError):
    """A template name already taken (by a user template or a built-in)."""


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    builtin: bool
    description: str
    audience: str
    path: Path
    #: why the file could not be read (the other fields are then guesses from the file name)
    problem: str | None = None
    #: the template's stable id (empty when the file could not be read)
    id: str = ""

    def to_json(self) -> dict[str, object]:
        data: dict[str, object] = {"name": self.name, "id": self.id, "builtin": self.builtin,
                                   "description": self.description, "audience": self.audience,
                                   "path": str(self.path)}
        if self.problem:
            data["problem"] = self.problem
        return data


def _same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` are one file (e.g. two spellings on a case-insensitive disk)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def builtin_dir() -> Path:
    return resources.resource("templates")


class TemplateLibrary:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.dir = self.data_dir / TEMPLATES_DIR

    # -- finding -------------------------------------------------------------------------

    @staticmethod
    def _files(folder: Path) -> list[Path]:
        if not folder.is_dir():
            return []
        return sorted((p for p in folder.iterdir()
                       if p.suffix == ".json" and not p.name.startswith(".") and p.is_file()),
                      key=lambda p: name_key(p.stem))

    def builtin_files(self) -> dict[str, Path]:
        return {name_key(p.stem): p for p in self._files(builtin_dir())}

    def user_files(self) -> dict[str, Path]:
        return {name_key(p.stem): p for p in self._files(self.dir)}

    def is_builtin(self, name: str) -> bool:
        return name_key(name) in self.builtin_files()

    def exists(self, name: str) -> bool:
        key = name_key(name)
        return key in self.user_files() or key in self.builtin_files()

    def list(self) -> builtins.list[TemplateInfo]:
        """Built-ins first, then the user's templates by name.  An unreadable user
        file is listed with its problem rather than hiding the others."""
        out: list[TemplateInfo] = []
        builtin_keys = set(self.builtin_files())
        for builtin, files in ((True, self.builtin_files()), (False, self.user_files())):
            for path in files.values():
                if not builtin and name_key(path.stem) in builtin_keys:
                    out.append(TemplateInfo(path.stem, False, "", "", path, problem=(
                        f"{path.name} has the name of a built-in template (names ignore case), so it is not "
                        f"used; rename the file to use it")))
                    continue
                try:
                    t = self._with_id(read_template_file(path, label=f"template file {path.name}"), path, builtin)
                except KnownError as exc:
                    out.append(TemplateInfo(path.stem, builtin, "", "", path, problem=str(exc)))
                    continue
                out.append(TemplateInfo(path.stem, builtin, t.description, t.audience, path, id=t.id))
        return out

    @staticmethod
    def _with_id(template: Template, path: Path, builtin: bool) -> Template:
        """The template with its stable id: a built-in's is fixed (``builtin:<name>``); a user file saved
        before templates had ids gets a new one, written back atomically so it is kept from now on."""
        if template.id:
            return template
        if builtin:
            return template.model_copy(update={"id": f"{BUILTIN_ID_PREFIX}{path.stem}"})
        template = template.model_copy(update={"id": new_template_id()})
        with contextlib.suppress(KnownError, OSError):  # a read-only folder: the id lasts this session
            atomic_write(path, template.to_json().encode("utf-8"))
        return template

    def path_of(self, name: str) -> tuple[Path, bool]:
        key = name_key(name)
        builtin = self.builtin_files()
        if key in builtin:  # a user file named like a built-in, in any case, never shadows it
            return builtin[key], True
        user = self.user_files()
        if key in user:
            return user[key], False
        raise NotFoundError(f"no template named {name!r} (see 'briefer templates list')")

    def get(self, name: str) -> Template:
        path, builtin = self.path_of(name)
        label = f"{'built-in ' if builtin else ''}template {path.stem!r} ({path})"
        t = self._with_id(read_template_file(path, label=label), path, builtin)
        # the file name is the name: a file copied in by hand under a new name keeps working
        return t if t.name == path.stem else t.model_copy(update={"name": path.stem})

    def find_by_id(self, template_id: str) -> Template | None:
        """The template of this id (built-in or the user's), or None."""
        if not template_id:
            return None
        for info in self.list():
            if info.id == template_id and not info.problem:
                with contextlib.suppress(KnownError):
                    return self.get(info.name)
        return None

    def find_link(self, template_id: str | None, name: str | None) -> Template | None:
        """The template a briefing was made from: by its id (it survives renames), else -- a briefing
        saved before templates had ids -- by its name."""
        if template_id:
            found = self.find_by_id(template_id)
            if found is not None:
                return found
        if name:
            with contextlib.suppress(KnownError):
                check_template_name(name)
                if self.exists(name):
                    return self.get(name)
        return None

    def taken(self, *, ignore_id: str | None = None) -> dict[str, str]:
        """name key -> id of every template of the library (for the check that a name is free)."""
        from briefer.domain.template_check import taken_names

        return {k: v for k, v in taken_names(self.list()).items() if not ignore_id or v != ignore_id}

    def ids(self) -> set[str]:
        return {i.id for i in self.list() if i.id}

    def resolve(self, ref: str) -> tuple[Template, str]:
        """A template and where it came from ("user", "builtin" or "file"), for a
        name (user library first, then built-in) or a path to a template file."""
        if not ref or not ref.strip():
            raise KnownError("no template given (name one from 'briefer templates list' or give a file)")
        looks_like_path = any(sep in ref for sep in ("/", os.sep)) or ref.endswith(".json")
        if not looks_like_path:
            with contextlib.suppress(KnownError):
                check_template_name(ref)
                if self.exists(ref):
                    path, builtin = self.path_of(ref)
                    return self.get(ref), "builtin" if builtin else "user"
        path = Path(ref).expanduser()
        if path.is_file() or looks_like_path:
            return read_template_file(path), "file"
        raise NotFoundError(f"no template named {ref!r} (see 'briefer templates list') and no file {ref!r}")

    # -- changing ---------------------------------------------------------------------------

    def _target(self, name: str) -> Path:
        return self.dir / f"{name}.json"

    def _check_free(self, name: str, *, ignore: str | None = None) -> None:
        key = name_key(name)
        if ignore is not None and key == name_key(ignore):
            return
        if key in self.builtin_files():
            raise TemplateExists(f"{name!r} is the name of a built-in template; choose another name")
        if key in self.user_files():
            raise TemplateExists(f"a template named {name!r} already exists; choose another name")

    def _write(self, template: Template, path: Path) -> None:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteFailed(f"cannot create the template folder {self.dir}: {exc.strerror or exc}") from None
        data = template.to_json().encode("utf-8")
        if len(data) > MAX_TEMPLATE_FILE:
            raise ValidationFailed(f"template {template.name!r} is too large to save "
                                   f"({len(data) // 1024} KB; the limit is {MAX_TEMPLATE_FILE // 1024} KB)")
        atomic_write(path, data)

    @_exclusive
    def save(self, template: Template, *, name: str | None = None, replace: bool = False) -> Template:
        """Save ``template`` in the user library (under ``name`` if given: "save as").
        ``replace`` allows overwriting the user's own template of that name, never a built-in."""
        name = check_template_name(name or template.name)
        template = template.renamed(name) if template.name != name else template
        template = self._id_for(template, name, replace=replace)
        if replace:
            if self.is_builtin(name):
                raise TemplateExists(f"{name!r} is a built-in template and cannot be changed; "
                                     "save your version under another name")
            existing = self.user_files().get(name_key(name))
            if existing is not None and existing.stem != name:
                # same name in another case: keep one file (on a case-insensitive disk it is the same file)
                target = self._target(name)
                self._write(template, target)
                if not _same_file(existing, target):
                    existing.unlink()
                return template
        else:
            self._check_free(name)
        self._write(template, self._target(name))
        return template

    def _id_for(self, template: Template, name: str, *, replace: bool) -> Template:
        """The id a template saved under ``name`` keeps: replacing the user's own template keeps that
        file's id (briefings made from it follow); a new template keeps its id unless another template
        has it (a copy, a built-in's) or it has none, and then gets a fresh one."""
        if replace and not self.is_builtin(name):
            existing = self.user_files().get(name_key(name))
            if existing is not None:
                with contextlib.suppress(KnownError):
                    old = self.get(existing.stem)
                    return template.model_copy(update={"id": old.id})
        if (not template.id or template.id.startswith(BUILTIN_ID_PREFIX)
                or template.id in {i.id for i in self.list() if name_key(i.name) != name_key(name)}):
            return template.model_copy(update={"id": new_template_id()})
        return template

    def duplicate(self, name: str, new_name: str) -> Template:
        """Copy template ``name`` (built-in or the user's) to a new user template (with an id of its own)."""
        template = self.get(name).model_copy(update={"id": ""})
        return self.save(template, name=new_name)

    @_exclusive
    def update(self, old_name: str | None, template: Template, *, store: Store | None = None) -> Template:
        """Save an edited template: a new one (``old_name`` None) or the user's template ``old_name``,
        renamed when the name changed (its id, and with ``store`` its editions, follow).  Refused with
        the reason (see :mod:`briefer.domain.template_check`) when it may not be saved."""
        from briefer.domain.template_check import check_template

        name = check_template_name(template.name)
        if old_name is not None:
            path, builtin = self.path_of(old_name)
            if builtin:
                raise KnownError(f"{path.stem!r} is a built-in template and cannot be changed; "
                                 "duplicate it and edit the copy")
            template = template.model_copy(update={"id": self.get(path.stem).id})
        else:
            path = None
            template = template.model_copy(update={"id": ""})
            template = self._id_for(template, name, replace=False)
        check_template(template, store, taken=self.taken(ignore_id=template.id))
        target = self._target(name)
        self._write(template, target)
        if path is not None and not _same_file(target, path):
            try:
                path.unlink()
            except OSError as exc:
                with contextlib.suppress(OSError):
                    target.unlink()
                raise WriteFailed(f"cannot rename {path}: {exc.strerror or exc}") from None
        if path is not None and store is not None and path.stem != name:
            store.rename_template(path.stem, name, template.id or None)
        return template

    def suggest_copy_name(self, name: str) -> str:
        """A free name for a copy of ``name``: "name (copy)", "name (copy 2)", …"""
        base = check_template_name(name)
        for i in range(1, 1000):
            candidate = f"{base} (copy)" if i == 1 else f"{base} (copy {i})"
            if len(candidate) > 64:
                candidate = f"{base[: 64 - len(candidate)]}{candidate[len(base):]}"
            if not self.exists(candidate):
                return candidate
        raise TemplateExists(f"too many copies of {name!r}")

    @_exclusive
    def rename(self, name: str, new_name: str, *, store: Store | None = None) -> Template:
        """Rename one of the user's templates; its editions follow it when ``store`` is given."""
        path, builtin = self.path_of(name)
        if builtin:
            raise KnownError(f"{path.stem!r} is a built-in template and cannot be renamed; "
                             f"duplicate it instead ('briefer templates duplicate {path.stem} NEW')")
        new_name = check_template_name(new_name)
        self._check_free(new_name, ignore=path.stem)
        template = self.get(path.stem).renamed(new_name)
        target = self._target(new_name)
        self._write(template, target)
        if not _same_file(target, path):
            try:
                path.unlink()
            except OSError as exc:
                with contextlib.suppress(OSError):
                    target.unlink()
                raise WriteFailed(f"cannot rename {path}: {exc.strerror or exc}") from None
        if store is not None and path.stem != new_name:
            store.rename_template(path.stem, new_name, template.id or None)
        return template

    @_exclusive
    def delete(self, name: str) -> Path:
        """Move one of the user's templates to the trash folder; returns where it went."""
        path, builtin = self.path_of(name)
        if builtin:
            raise KnownError(f"{path.stem!r} is a built-in template and cannot be deleted")
        trash = self.dir / TRASH_DIR
        try:
            trash.mkdir(exist_ok=True)
            dest = trash / f"{path.stem}.{datetime.now().strftime('%Y%m%d-%H%M%S-%f')}.json"
            os.replace(path, dest)
        except OSError as exc:
            raise WriteFailed(f"cannot delete {path}: {exc.strerror or exc}") from None
        return dest

    # -- sharing -----------------------------------------------------------------------------

    def export(self, name: str, dest: Path) -> Template:
        """Write template ``name`` to the file ``dest`` (atomically) for a colleague."""
        source, _builtin = self.path_of(name)
        template = self.get(name)
        dest = Path(dest).expanduser()
        with protecting(source, f"the template file being read ({source})"):
            atomic_write(dest, template.to_json().encode("utf-8"))
        return template

    def read_import(self, path: Path, *, store: Store | None = None) -> tuple[Template, builtins.list[str]]:
        """Read and validate a template file to import, without saving it."""
        from briefer.domain.template_check import check_template

        path = Path(path).expanduser()
        template = read_template_file(path)
        warnings = check_against_store(template, store) if store is not None else []
        if store is not None:
            check_template(template, store, label=f"template file {path.name}")
        return template, warnings

    @_exclusive
    def import_file(self, path: Path, *, name: str | None = None,
                    store: Store | None = None) -> tuple[Template, builtins.list[str]]:
        """Validate the template file ``path`` and add it to the user library
        (under ``name`` if given).  A name already taken is refused."""
        template, warnings = self.read_import(path, store=store)
        new_name = check_template_name(name) if name else template.name
        if self.exists(new_name):
            hint = " (give another with --name NEW)"
            if self.is_builtin(new_name):
                raise TemplateExists(f"{new_name!r} is the name of a built-in template; import it under "
                                     f"another name{hint}")
            raise TemplateExists(f"a template named {new_name!r} already exists; import it under another "
                                 f"name{hint}")
        return self.save(template, name=new_name), warnings
