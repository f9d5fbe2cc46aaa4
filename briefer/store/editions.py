"""Editions: every export of a template, recorded with the facts it held.

An edition keeps, for each fact in order, a content hash of what a reader
sees (statement, status, citations) plus the statement and status
themselves, so the next export of the same template can say exactly what
changed (added, removed, reworded, status changed, sources changed) even for
facts that have since been deleted from the store.  The types are in
:mod:`briefer.model.editions`; fingerprints and the comparison, which decide
what counts as a change, in :mod:`briefer.domain.editions`.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefer.model.editions import Edition, EditionFact, FactChange
from briefer.store import edition_ids
from briefer.store.housekeeping import EDITIONS_PENDING_DIR

if TYPE_CHECKING:
    import sqlite3

    from briefer.store.sqlite_base import StoreBase as Store

__all__ = ["Edition", "EditionFact", "FactChange", "editions", "editions_using", "latest_edition",
           "record_edition", "recording_edition", "rename_template", "complete_pending_editions"]


# -- reading and writing -----------------------------------------------------------------


def record_edition(store: Store, template: str, *, exported_on: date, title: str, facts: list[EditionFact],
                   output: str = "", template_id: str | None = None) -> Edition:
    """Record the next edition of ``template`` (whose stable id is ``template_id``) in one transaction."""
    with recording_edition(store, template, exported_on=exported_on, title=title, facts=facts,
                           output=output, template_id=template_id) as edition:
        pass
    return edition


@contextmanager
def recording_edition(store: Store, template: str, *, exported_on: date, title: str, facts: list[EditionFact],
                      output: str = "", template_id: str | None = None) -> Iterator[Edition]:
    """Record the next edition of ``template``, numbered after the earlier editions of its id
    ``template_id`` (under any name: see :mod:`briefer.store.edition_ids`); it is committed when the block ends
    without an error (so the written file and its edition land together).

    Used as the ``commit`` of :func:`briefer.fileio.atomic_open`, it first leaves a journal of the
    edition (:func:`_pending_journal`): a ``kill -9`` between the file's rename and the commit is then
    completed at the next start (:func:`complete_pending_editions`), never left as a file without its
    edition."""
    from briefer import faults

    recorded_at = datetime.now(UTC).isoformat(timespec="seconds")
    with contextlib.ExitStack() as journal:
        with store.transaction() as conn:
            tkey = template_id or _key_of_name(lambda q, a: conn.execute(q, a).fetchall(), template)
            if template_id:
                edition_ids.adopt(conn, template, template_id)
            row = conn.execute("SELECT coalesce(max(number), 0) AS last FROM editions WHERE template_id = ?",
                               (tkey,)).fetchone()
            number = int(row["last"]) + 1
            eid = _insert(conn, template, tkey, number, exported_on.isoformat(), recorded_at, title, output, facts)
            edition = Edition(eid, template, number, exported_on, recorded_at, title, output, list(facts),
                              template_id=tkey)
            journal.enter_context(_pending_journal(store, edition))
            yield edition
        # committed; the journal is removed next (a kill here leaves it: the next start finds the
        # edition recorded and only removes it)
        faults.step("edition-committed")


def _insert(conn: sqlite3.Connection, template: str, tkey: str, number: int, exported_on: str, recorded_at: str,
            title: str, output: str, facts: list[EditionFact]) -> int:
    cur = conn.execute(
        "INSERT INTO editions (template, template_id, number, exported_on, recorded_at, title, output)"
        " VALUES (?,?,?,?,?,?,?)",
        (template, tkey, number, exported_on, recorded_at, title, output))
    eid = int(cur.lastrowid or 0)
    conn.executemany(
        "INSERT INTO edition_facts (edition, pos, fact_id, section, statement, status, statement_hash,"
        " citations_hash, content_hash) VALUES (?,?,?,?,?,?,?,?,?)",
        [(eid, i, f.fact_id, f.section, f.statement, f.status, f.statement_hash, f.citations_hash,
          f.content_hash) for i, f in enumerate(facts)])
    return eid


# -- an export killed between its file's rename and its edition's commit ------------------------------------

#: the folder (in the data folder) of the journals of editions being recorded
PENDING_DIR = EDITIONS_PENDING_DIR


def _file_hash(path: Path) -> str:
    import hashlib  # here: loading OpenSSL is not needed to open the store (the window's start)

    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextmanager
def _pending_journal(store: Store, edition: Edition) -> Iterator[None]:
    """While the file of ``edition`` is renamed into place and its transaction commits, a journal in
    :data:`PENDING_DIR` holds the edition, the target and the file's hash, locked (``flock``) by this
    process so that no other Briefer takes it for the journal of a killed run.  Removed once the edition
    is committed or the export failed (the transaction then rolled back and the earlier file is back)."""
    from briefer.fileio import replacing

    replace = replacing()
    if replace is None:
        yield  # no file is being renamed with this edition: nothing to complete later
        return
    tmp, target = replace
    folder = Path(store.path).parent / PENDING_DIR
    record = {"template": edition.template, "template_id": edition.template_id, "number": edition.number,
              "exported_on": edition.exported_on.isoformat(), "recorded_at": edition.recorded_at,
              "title": edition.title, "output": edition.output, "target": str(Path(target).absolute()),
              "sha256": _file_hash(tmp),
              "facts": [[f.fact_id, f.section, f.statement, f.status, f.statement_hash, f.citations_hash]
                        for f in edition.facts]}
    data = json.dumps(record, ensure_ascii=False).encode("utf-8")
    folder.mkdir(exist_ok=True)
    path = folder / f"{os.getpid()}-{os.urandom(6).hex()}.json"
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        _lock(fd, block=True)
        os.write(fd, data)
        os.fsync(fd)
        from briefer import faults

        faults.step("edition-journal-written")
        yield
    finally:
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


def _lock(fd: int, *, block: bool) -> bool:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no other process is told apart
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if block else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def complete_pending_editions(store: Store) -> list[str]:
    """At the start: the journal of an export killed after its file was renamed into place and before
    its edition was committed.  If the file there is the one it wrote (same hash), the edition is
    recorded now; otherwise (killed before the rename, or the file changed since) the journal is
    dropped and nothing is recorded.  Returns one notice per journal handled."""
    folder = Path(store.path).parent / PENDING_DIR
    try:
        journals = sorted(folder.iterdir())
    except OSError:
        return []
    notices = []
    for path in journals:
        try:
            fd = os.open(path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
        except OSError:
            continue
        try:
            if not _lock(fd, block=False):
                continue  # its Briefer is still running
            try:
                with os.fdopen(os.dup(fd), "rb") as fh:
                    record = json.loads(fh.read(32 * 1024 * 1024).decode("utf-8"))
                target = Path(record["target"])
                template, title = str(record["template"]), str(record["title"])
            except (OSError, ValueError, KeyError, TypeError):
                notices.append(f"an unreadable journal of an interrupted export ({path.name}) was removed")
                with contextlib.suppress(OSError):
                    path.unlink()
                continue
            notice = _complete(store, record, target, template, title)
            if notice:
                notices.append(notice)
            from briefer import faults

            faults.step("edition-completed")  # recorded (or found recorded), the journal not yet removed
            with contextlib.suppress(OSError):
                path.unlink()
        finally:
            os.close(fd)
    return notices


def _complete(store: Store, record: dict[str, object], target: Path, template: str, title: str) -> str | None:
    # recorded already: committed by the export, which was killed before it removed its journal, or by
    # an earlier start completing it, killed likewise (under another number when an edition of the
    # template was recorded meanwhile): the same template, moment, title, output and facts
    tkey = str(record.get("template_id") or _key_of_name(store._q, template))  # a journal from before ids
    for (eid,) in store._q("SELECT id FROM editions WHERE template_id = ? AND recorded_at = ? AND exported_on = ?"
                           " AND title = ? AND output = ?", (tkey, record["recorded_at"],
                                                             record["exported_on"], title, record["output"])):
        held = [[r[0], r[1], r[2], r[3], r[4], r[5]] for r in store._q(
            "SELECT fact_id, section, statement, status, statement_hash, citations_hash FROM edition_facts"
            " WHERE edition = ? ORDER BY pos", (eid,))]
        if held == record["facts"]:
            return None
    try:
        same = target.is_file() and _file_hash(target) == record["sha256"]
    except OSError:
        same = False
    if not same:
        return (f"an export of template {template!r} to {target} was interrupted before its file was in place "
                f"(or the file has changed since); no edition was recorded")
    facts = [EditionFact(*map(str, f)) for f in record["facts"]]  # type: ignore[attr-defined]
    with store.transaction() as conn:
        row = conn.execute("SELECT coalesce(max(number), 0) AS last FROM editions WHERE template_id = ?",
                           (tkey,)).fetchone()
        number = int(row["last"]) + 1
        _insert(conn, template, tkey, number, str(record["exported_on"]), str(record["recorded_at"]), title,
                str(record["output"]), facts)
    return (f"an export of template {template!r} to {target} was interrupted after its file was written; "
            f"it is now recorded as edition {number}")


_EDITION_COLS = "id, template, number, exported_on, recorded_at, title, output, template_id"


def _edition(store: Store, row: sqlite3.Row, *, with_facts: bool) -> Edition:
    eid = int(row["id"])
    facts: list[EditionFact] = []
    if with_facts:
        facts = [EditionFact(fact_id=r["fact_id"], section=r["section"], statement=r["statement"], status=r["status"],
                             statement_hash=r["statement_hash"], citations_hash=r["citations_hash"])
                 for r in store._q("SELECT fact_id, section, statement, status, statement_hash, citations_hash"
                                   " FROM edition_facts WHERE edition = ? ORDER BY pos", (eid,))]
    return Edition(eid, str(row["template"]), int(row["number"]), date.fromisoformat(str(row["exported_on"])),
                   str(row["recorded_at"]), str(row["title"]), str(row["output"]), facts,
                   template_id=str(row["template_id"]))


def _keys(store: Store, template: str | None, template_id: str | None) -> str:
    """The key the editions of this template are found under: its id when it has editions, else (an
    edition recorded before ids, or one the id has not adopted yet) its name's."""
    if template_id and (template is None or store._q("SELECT 1 FROM editions WHERE template_id = ? LIMIT 1",
                                                     (template_id,))):
        return template_id
    return _key_of_name(store._q, template or "") if not template_id else edition_ids.key(template or "", None)


def _key_of_name(query: Any, template: str) -> str:
    """Without an id: the key of the last edition shown under the name ``template`` (its template's id
    when it had one), else the name's own key."""
    rows = query("SELECT template_id FROM editions WHERE template = ? ORDER BY recorded_at DESC, id DESC LIMIT 1",
                 (template,))
    return str(rows[0][0]) if rows else edition_ids.key(template, None)


def latest_edition(store: Store, template: str, template_id: str | None = None) -> Edition | None:
    """The last edition of the template ``template_id`` (under any name it had), or -- no edition of
    that id -- of the name ``template``."""
    rows = store._q(f"SELECT {_EDITION_COLS} FROM editions WHERE template_id = ? ORDER BY number DESC LIMIT 1",
                    (_keys(store, template, template_id),))
    return _edition(store, rows[0], with_facts=True) if rows else None


def editions(store: Store, template: str | None = None, template_id: str | None = None) -> list[Edition]:
    """Editions (without their facts), newest first: all of them, or one template's (found as
    :func:`latest_edition` finds them)."""
    if template is None and template_id is None:
        rows = store._q(f"SELECT {_EDITION_COLS} FROM editions ORDER BY recorded_at DESC, id DESC")
    else:
        rows = store._q(f"SELECT {_EDITION_COLS} FROM editions WHERE template_id = ? ORDER BY number DESC",
                        (_keys(store, template, template_id),))
    return [_edition(store, r, with_facts=False) for r in rows]


def editions_using(store: Store, fact_id: str) -> list[Edition]:
    """Every recorded edition that held ``fact_id``, newest first (without their facts)."""
    rows = store._q(
        f"SELECT DISTINCT {', '.join('e.' + c.strip() for c in _EDITION_COLS.split(','))}"
        " FROM editions e JOIN edition_facts ef ON ef.edition = e.id WHERE ef.fact_id = ?"
        " ORDER BY e.recorded_at DESC, e.id DESC", (fact_id,))
    return [_edition(store, r, with_facts=False) for r in rows]


def rename_template(store: Store, old: str, new: str, template_id: str | None = None) -> int:
    """Show the editions of template ``old`` under its new name; returns how many there are.  With its
    id, its editions keyed by the old name take the id too; without one, they are keyed by the new name."""
    with store.transaction() as conn:
        if template_id:
            edition_ids.adopt(conn, new, template_id, former=old)
            cur = conn.execute("SELECT count(*) FROM editions WHERE template_id = ?", (template_id,))
            return int(cur.fetchone()[0])
        cur = conn.execute("UPDATE editions SET template = ?, template_id = ? WHERE template_id = ? AND NOT EXISTS"
                           " (SELECT 1 FROM editions e2 WHERE e2.template_id = ? AND e2.number = editions.number)",
                           (new, edition_ids.key(new, None), edition_ids.key(old, None), edition_ids.key(new, None)))
        return int(cur.rowcount)
