"""Which template an edition belongs to: its stable id (``builtin:<name>``, ``t-<uuid>``), not its name.

A renamed template -- in the window, with ``briefer templates rename``, or by renaming its file by hand
-- keeps its id, so its editions stay its own and "what changed" compares with the last of them.  An
edition recorded without an id (before migration 11, or of a template file with none) is keyed
``name:<template>`` and found by the name as a fallback; the next edition recorded with an id adopts
it (:func:`adopt`).

Migration 11 fills in the ids of the editions recorded before it: a built-in's from the built-in
templates, the user's own from the template files beside a local store (``templates/*.json``) or from
a team library's templates table, matched by name; what cannot be matched keeps its ``name:`` key.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import unicodedata
from pathlib import Path
from typing import Any

#: the key of an edition whose template's id is unknown: this prefix and the template's name
NAME_PREFIX = "name:"


def key(template: str, template_id: str | None) -> str:
    """The key editions of this template are recorded under."""
    return template_id or f"{NAME_PREFIX}{template}"


def _name_key(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip()).casefold()


def _ids_of_files(folder: Path, *, builtin: bool) -> dict[str, str]:
    """name key -> id of each template file in ``folder`` (the file's name is the template's name)."""
    out: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for path in sorted(folder.glob("*.json")):
            if path.name.startswith("."):
                continue
            tid = None
            with contextlib.suppress(OSError, ValueError, AttributeError):
                if path.stat().st_size <= 2 * 1024 * 1024:
                    tid = json.loads(path.read_text(encoding="utf-8")).get("id")
            if not isinstance(tid, str) or not tid:
                tid = f"builtin:{path.stem}" if builtin else None
            if tid:
                out.setdefault(_name_key(path.stem), tid)
    return out


def _builtin_ids() -> dict[str, str]:
    from briefer import resources

    return _ids_of_files(resources.resource("templates"), builtin=True)


def backfill(conn: Any, ids: dict[str, str]) -> int:
    """Give each edition keyed by its template's name the id ``ids`` names for it (name key -> id),
    unless that id already has an edition of the same number.  Returns how many rows got an id."""
    rows = [(int(r[0]), str(r[1]), int(r[2])) for r in conn.execute(
        "SELECT id, template, number FROM editions WHERE substr(template_id, 1, 5) = 'name:' ORDER BY id").fetchall()]
    taken = {(str(r[0]), int(r[1])) for r in conn.execute(
        "SELECT template_id, number FROM editions WHERE substr(template_id, 1, 5) <> 'name:'").fetchall()}
    changed = 0
    for eid, template, number in rows:
        tid = ids.get(_name_key(template))
        if tid is None or (tid, number) in taken:
            continue
        conn.execute("UPDATE editions SET template_id = ? WHERE id = ?", (tid, eid))
        taken.add((tid, number))
        changed += 1
    return changed


def backfill_local(conn: sqlite3.Connection) -> None:
    """Migration 11 on a local store: the built-ins' ids, then those of the template files beside it."""
    ids = _builtin_ids()
    path = ""
    for r in conn.execute("PRAGMA database_list").fetchall():
        if r[1] == "main":
            path = str(r[2] or "")
    if path:
        for k, v in _ids_of_files(Path(path).parent / "templates", builtin=False).items():
            ids.setdefault(k, v)
    backfill(conn, ids)


def backfill_team(conn: Any) -> None:
    """Migration 11 on a team library: the built-ins' ids, then those of its templates table (a name
    two templates share -- two analysts' personal ones -- is not matched: the name stays the key)."""
    ids = _builtin_ids()
    if conn.execute("SELECT to_regclass('templates') IS NOT NULL").fetchone()[0]:
        seen: dict[str, set[str]] = {}
        for r in conn.execute("SELECT name, template_id FROM templates").fetchall():
            seen.setdefault(_name_key(str(r[0])), set()).add(str(r[1]))
        for k, found in seen.items():
            if len(found) == 1:
                ids.setdefault(k, next(iter(found)))
    backfill(conn, ids)


def adopt(conn: Any, template: str, template_id: str, *, former: str | None = None) -> None:
    """Before recording an edition of ``template_id`` (now called ``template``), or when it is renamed
    from ``former``: the editions keyed by that name take its id (those whose number it has not used),
    and all its editions show its name."""
    conn.execute("UPDATE editions SET template_id = ? WHERE template_id = ? AND NOT EXISTS"
                 " (SELECT 1 FROM editions e2 WHERE e2.template_id = ? AND e2.number = editions.number)",
                 (template_id, f"{NAME_PREFIX}{former or template}", template_id))
    conn.execute("UPDATE editions SET template = ? WHERE template_id = ? AND template <> ?",
                 (template, template_id, template))
