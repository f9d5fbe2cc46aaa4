"""What the SQLite store keeps beside facts: source history and imports, glossary
writes, conflict resolutions, import candidates, editions and the backup."""

from __future__ import annotations

import json
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefer.errors import NotFoundError, StoreError
from briefer.store.damage import source_key
from briefer.store.sqlite_base import StoreBase, _shown

if TYPE_CHECKING:
    import sqlite3

    from briefer.model import GlossaryEntry, Source
    from briefer.model.editions import Edition, EditionFact
    from briefer.model.records import RecordVersion, Resolution, StoredCandidate
    from briefer.store.backup import BackupInfo


#: a candidate as :meth:`RecordsMixin.add_candidates` takes it: (pos, statement, quote, location, section,
#: reason, score, as_of, tags, near duplicates, status, fact id)
CandidateRow = tuple[int, str, str, str, "str | None", list[str], float, "date | None", list[str],
                     list[dict[str, Any]], str, "str | None"]


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


_SOURCE_COLS = "id, title, label, outlet, author, published, date_note, kind, language, reliability, file, notes"
_CAND_COLS = ("id, source, pos, statement, quote, location, section, reason, score, as_of, tags, near, status,"
              " fact_id, created_at, decided_at, analyst")
_RESOLUTION_COLS = "key, kind, subject, action, fact_id, other_fact_id, alias, reason, analyst, resolved_at"
#: ``json.dumps(value, ensure_ascii=False)`` with one encoder (dumps makes a new one per call when given an option)
_DUMPS = json.JSONEncoder(ensure_ascii=False).encode


def _upsert(cols: str) -> str:
    """``SET a = excluded.a, …`` for every column but the first (the key): an upsert both engines read."""
    return ", ".join(f"{c} = excluded.{c}" for c in [c.strip() for c in cols.split(",")][1:])


def _candidate(r: sqlite3.Row) -> StoredCandidate:
    from briefer.model.records import StoredCandidate

    return StoredCandidate(
        id=r["id"], source=r["source"], pos=r["pos"], statement=r["statement"], quote=r["quote"],
        location=r["location"], section=r["section"], reason=json.loads(r["reason"]), score=r["score"],
        as_of=date.fromisoformat(r["as_of"]) if r["as_of"] else None, tags=json.loads(r["tags"]),
        near=json.loads(r["near"]), status=r["status"], fact_id=r["fact_id"], created_at=r["created_at"],
        decided_at=r["decided_at"], analyst=r["analyst"])


#: what a source's field is read as when its stored value does not parse, and the repair a note names
_SOURCE_FALLBACK: dict[str, tuple[object, str, str]] = {
    "published": (None, "unknown", "briefer sources edit {id} --published YYYY-MM-DD"),
    "kind": ("other", "'other'", "briefer sources edit {id} --kind KIND"),
    "reliability": ("F", "F (cannot be judged)", "briefer sources grade {id} A-F"),
    "language": ("en", "'en'", "briefer sources edit {id} --language CODE"),
    "title": (None, "none", "briefer sources edit {id} --title TEXT"),
    "label": (None, "its id", "briefer sources edit {id} --label TEXT"),
    "outlet": (None, "none", "briefer sources edit {id} --outlet TEXT"),
    "author": (None, "none", "briefer sources edit {id} --author TEXT"),
    "date_note": ("", "none", "briefer sources edit {id} --date-note TEXT"),
    "notes": ("", "none", "briefer sources edit {id} --notes TEXT"),
    "file": (None, "none", "briefer sources history {id}"),
    "text": ("", "empty", "restore the store from a backup"),
    # an id that is no longer a valid one (facts cite it as it is): shown as stored
    "id": (None, "it is stored", "restore the store from a backup (briefer restore FILE)"),
}


#: the columns of a source an edit writes (not its id, not its text)
_SOURCE_WRITABLE = tuple(c.strip() for c in _SOURCE_COLS.split(","))[1:]


def _source_column(source: Source, col: str) -> Any:
    value = getattr(source, col)
    if col == "published":
        return value.isoformat() if value else None
    return str(value) if col == "kind" else value


#: a source's field as a note names it
_FIELD_WORDS = {"published": "publication date", "reliability": "reliability grade", "date_note": "date note",
                "kind": "kind of document", "file": "file name"}


def _source(r: sqlite3.Row, damaged: dict[str, str]) -> Source:
    """The source of one row.  A stored value that no longer parses (edited by hand, damaged: a kind or
    grade Briefer does not know, a date that is not one) is read as the field's fallback and noted in
    ``damaged`` with a repair, so the source, its facts and every list still show."""
    from pydantic import ValidationError

    from briefer.model import Source

    values: dict[str, Any] = {k: r[k] for k in r.keys() if k != "content_hash"}  # noqa: SIM118 - a Row
    values.setdefault("text", "")
    bad: dict[str, object] = {}
    raw_published = values["published"]
    if raw_published:
        try:
            values["published"] = date.fromisoformat(raw_published)
        except (ValueError, TypeError):
            bad["published"] = raw_published
    else:
        values["published"] = None
    try:
        source = Source(**{**values, "published": None} if bad else values)
        if not bad:
            return source
    except ValidationError as exc:
        for e in exc.errors():
            field = str(e["loc"][0]) if e["loc"] else ""
            if field in _SOURCE_FALLBACK:
                bad.setdefault(field, values[field])
    sid = str(values["id"])
    for field, raw in bad.items():
        fallback, shown_as, repair = _SOURCE_FALLBACK[field]
        if field != "id":
            values[field] = fallback if field != "label" else sid
        damaged[source_key(sid, field)] = (
            f"source {sid!r} has a stored {_FIELD_WORDS.get(field, field)} that cannot be read ({_shown(raw)}); it is "
            f"shown as {shown_as}. Repair: {repair.format(id=sid)}")
    try:
        return Source(**values)
    except ValidationError:  # e.g. an id that is no longer a valid one: shown as it is stored
        return Source.model_construct(**values)


#: the columns of a history table (fact_history, source_history) read into an entry
HISTORY_COLS = "id, changed_at, analyst, changed_by, action, before, after"


def history_entries(rows: list[sqlite3.Row]) -> list[dict[str, Any]]:
    """History rows as entries: ``changed_by`` is the database user (empty on a local store)."""
    return [{"version": r["id"], "changed_at": r["changed_at"], "analyst": r["analyst"],
             "changed_by": r["changed_by"], "action": r["action"],
             "before": json.loads(r["before"]) if r["before"] else None,
             "after": json.loads(r["after"]) if r["after"] else None}
            for r in rows]


class RecordsMixin(StoreBase):
    # -- sources -------------------------------------------------------------------------------

    def sources(self, *, with_text: bool = False) -> list[Source]:
        rows = self._q(f"SELECT {_SOURCE_COLS}{', text' if with_text else ''} FROM sources ORDER BY id")
        return [_source(r, self.damaged) for r in rows]

    def source(self, source_id: str) -> Source:
        rows = self._q(f"SELECT {_SOURCE_COLS}, text FROM sources WHERE id = ?", (source_id,))
        if not rows:
            raise NotFoundError(f"no source with id {source_id!r} (see 'briefer sources list')")
        return _source(rows[0], self.damaged)

    def _insert_source(self, conn: sqlite3.Connection, source: Source) -> None:
        from briefer.model import text_hash

        conn.execute(
            f"INSERT INTO sources ({_SOURCE_COLS}, text, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (source.id, *(_source_column(source, c) for c in _SOURCE_WRITABLE), source.text, text_hash(source.text)),
        )

    def _source_history(self, conn: sqlite3.Connection, source_id: str, action: str, before: Source | None,
                        after: Source | None, analyst: str, *, raw_before: dict[str, Any] | None = None,
                        raw_after: dict[str, Any] | None = None) -> None:
        """``raw_before``/``raw_after``: stored values that could not be read, recorded as they were stored
        (not as the fallbacks the models show), so the history keeps what a repair replaced."""
        def dumped(src: Source | None, raw: dict[str, Any] | None) -> str | None:
            if src is None:
                return None
            if not raw:
                return src.model_dump_json(exclude={"text"})
            return _DUMPS({**src.model_dump(mode="json", exclude={"text"}), **raw})

        conn.execute(
            "INSERT INTO source_history (source_id, changed_at, analyst, action, before, after) VALUES (?,?,?,?,?,?)",
            (source_id, now(), analyst, action, dumped(before, raw_before), dumped(after, raw_after)),
        )

    def add_source(self, source: Source, *, analyst: str = "") -> None:
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM sources WHERE id = ?", (source.id,)).fetchone():
                raise StoreError(f"a source with id {source.id!r} already exists")
            self._insert_source(conn, source)
            self._source_history(conn, source.id, "add", None, source, analyst)

    def update_source(self, source: Source, *, analyst: str, fields: Iterable[str] | None = None) -> Source:
        """Write ``source``'s metadata (its text never changes); with ``fields``, only those columns: a
        stored value that could not be read (see :func:`_source`) and is not among them stays as it was."""
        cols = [c for c in _SOURCE_WRITABLE if fields is None or c in set(fields)]
        with self.transaction() as conn:
            before = self.source(source.id)  # read under the write lock
            # the stored values that could not be read, as stored: the history records them, not fallbacks
            unreadable = [f for f in _SOURCE_WRITABLE if source_key(source.id, f) in self.damaged]
            raw: dict[str, Any] = {}
            if unreadable:
                row = self._q(f"SELECT {', '.join(unreadable)} FROM sources WHERE id = ?", (source.id,))[0]
                raw = {f: row[f] for f in unreadable}
            if cols:
                conn.execute(f"UPDATE sources SET {', '.join(f'{c}=?' for c in cols)}, version = version + 1"
                             " WHERE id=?", (*(_source_column(source, c) for c in cols), source.id))
            self._source_history(conn, source.id, "edit", before, source, analyst, raw_before=raw,
                                 raw_after={f: v for f, v in raw.items() if f not in cols})
        for col in cols:  # written as a readable value now
            self.damaged.pop(source_key(source.id, col), None)
        return before

    def source_history(self, source_id: str) -> list[dict[str, Any]]:
        return history_entries(self._q(f"SELECT {HISTORY_COLS} FROM source_history WHERE source_id = ? ORDER BY id",
                                       (source_id,)))

    def source_version(self, source_id: str) -> RecordVersion:
        """The source's version now, and who changed it last (what a version conflict names)."""
        return self._version("sources", "source_history", "source_id", source_id, "source")

    def source_hashes(self) -> dict[str, str]:
        rows = self._q("SELECT content_hash, id FROM sources WHERE content_hash IS NOT NULL ORDER BY id DESC")
        return {r["content_hash"]: r["id"] for r in rows}  # the first source by id wins

    def record_source_import(self, source_id: str, *, analyst: str, original_name: str, format: str,
                             encoding: str, removed: list[Any]) -> None:
        with self._one_statement() as conn:
            conn.execute("INSERT INTO source_imports (source, imported_at, analyst, original_name, format,"
                         " encoding, removed) VALUES (?,?,?,?,?,?,?)",
                         (source_id, now(), analyst, original_name, format, encoding,
                          json.dumps(removed, ensure_ascii=False)))

    def source_import(self, source_id: str) -> dict[str, Any] | None:
        rows = self._q("SELECT imported_at, analyst, original_name, format, encoding, removed FROM source_imports"
                       " WHERE source = ?", (source_id,))
        if not rows:
            return None
        r = rows[0]
        return {"imported_at": r["imported_at"], "analyst": r["analyst"], "original_name": r["original_name"],
                "format": r["format"], "encoding": r["encoding"], "removed": json.loads(r["removed"])}

    def _version(self, table: str, history: str, key: str, record_id: str, what: str) -> RecordVersion:
        from briefer.model.records import RecordVersion

        rows = self._q(f"SELECT version FROM {table} WHERE id = ?", (record_id,))
        if not rows:
            raise NotFoundError(f"no {what} with id {record_id!r} (see 'briefer {what}s list')")
        last = self._q(f"SELECT changed_at, analyst, changed_by FROM {history} WHERE {key} = ? ORDER BY id DESC"
                       " LIMIT 1", (record_id,))
        if not last:
            return RecordVersion(int(rows[0]["version"]))
        return RecordVersion(int(rows[0]["version"]), str(last[0]["changed_at"]), str(last[0]["analyst"]),
                             str(last[0]["changed_by"] or ""))

    # -- glossary --------------------------------------------------------------------------------

    def glossary(self) -> list[GlossaryEntry]:
        from briefer.model import GlossaryEntry

        rows = self._q("SELECT id, kind, name, aliases, japanese, japanese_from, description FROM glossary"
                       " ORDER BY name")
        return [GlossaryEntry(id=r["id"], kind=r["kind"], name=r["name"], aliases=json.loads(r["aliases"]),
                              japanese=r["japanese"], japanese_from=r["japanese_from"], description=r["description"])
                for r in rows]

    def _insert_glossary(self, conn: sqlite3.Connection, g: GlossaryEntry) -> None:
        conn.execute(
            "INSERT INTO glossary (id, kind, name, aliases, japanese, japanese_from, description)"
            " VALUES (?,?,?,?,?,?,?)",
            (g.id, g.kind, g.name, json.dumps(g.aliases, ensure_ascii=False), g.japanese, g.japanese_from,
             g.description))

    def add_glossary_entry(self, entry: GlossaryEntry) -> None:
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM glossary WHERE id = ?", (entry.id,)).fetchone():
                raise StoreError(f"a glossary entry with id {entry.id!r} already exists")
            self._insert_glossary(conn, entry)

    def set_aliases(self, entry_id: str, aliases: list[str]) -> None:
        with self._one_statement() as conn:
            cur = conn.execute("UPDATE glossary SET aliases = ? WHERE id = ?",
                               (json.dumps(aliases, ensure_ascii=False), entry_id))
            if cur.rowcount == 0:
                raise NotFoundError(f"no glossary entry with id {entry_id!r}")

    # -- conflict resolutions --------------------------------------------------------------------

    def resolutions(self) -> dict[str, Resolution]:
        from briefer.model.records import Resolution

        rows = self._q(f"SELECT {_RESOLUTION_COLS} FROM conflict_resolutions")
        return {r["key"]: Resolution(**{k: r[k] for k in r.keys()}) for r in rows}  # noqa: SIM118 (a Row)

    def record_resolution(self, res: Resolution) -> None:
        with self._one_statement() as conn:
            conn.execute(
                f"INSERT INTO conflict_resolutions ({_RESOLUTION_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?)"
                f" ON CONFLICT (key) DO UPDATE SET {_upsert(_RESOLUTION_COLS)}",
                (res.key, res.kind, res.subject, res.action, res.fact_id, res.other_fact_id, res.alias, res.reason,
                 res.analyst, res.resolved_at))

    def forget_resolution(self, key: str) -> None:
        with self._one_statement() as conn:
            if conn.execute("DELETE FROM conflict_resolutions WHERE key = ?", (key,)).rowcount == 0:
                raise NotFoundError(f"no resolution recorded for conflict {key!r}")

    # -- import candidates -----------------------------------------------------------------------

    def add_candidate(self, source_id: str, pos: int, statement: str, quote: str, location: str,
                      section: str | None, reason: list[str], score: float, as_of: date | None, tags: list[str],
                      near: list[dict[str, Any]], *, status: str = "pending", fact_id: str | None = None,
                      analyst: str = "") -> int:
        with self._one_statement() as conn:
            cur = conn.execute(
                f"INSERT INTO candidates ({_CAND_COLS.split(', ', 1)[1]}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (source_id, pos, statement, quote, location, section, json.dumps(reason, ensure_ascii=False),
                 score, as_of.isoformat() if as_of else None, json.dumps(tags, ensure_ascii=False),
                 json.dumps(near, ensure_ascii=False), status, fact_id, now(),
                 now() if status != "pending" else None, analyst))
            return int(cur.lastrowid or 0)

    def add_candidates(self, source_id: str, rows: list[CandidateRow], *, analyst: str = "") -> None:
        """Candidates of one source in one statement (an import's, in order: their ids follow it), each row
        (pos, statement, quote, location, section, reason, score, as_of, tags, near, status, fact_id)."""
        stamp = now()
        dumps = _DUMPS  # an empty list of tags or near facts is written "[]" as it writes it, without the call
        with self._one_statement() as conn:
            conn.executemany(
                f"INSERT INTO candidates ({_CAND_COLS.split(', ', 1)[1]}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [(source_id, pos, statement, quote, location, section, dumps(reason), score,
                  as_of.isoformat() if as_of else None, "[]" if tags == [] else dumps(tags),
                  "[]" if near == [] else dumps(near), status, fact_id, stamp,
                  stamp if status != "pending" else None, analyst)
                 for pos, statement, quote, location, section, reason, score, as_of, tags, near, status, fact_id
                 in rows])

    def candidates(self, *, status: str | None = "pending", source: str | None = None) -> list[StoredCandidate]:
        where, args = [], []
        if status:
            where.append("status = ?")
            args.append(status)
        if source:
            where.append("source = ?")
            args.append(source)
        sql = f"SELECT {_CAND_COLS} FROM candidates" + (" WHERE " + " AND ".join(where) if where else "")
        return [_candidate(r) for r in self._q(sql + " ORDER BY source, pos", args)]

    def candidate(self, cid: int) -> StoredCandidate:
        rows = self._q(f"SELECT {_CAND_COLS} FROM candidates WHERE id = ?", (cid,))
        if not rows:
            raise NotFoundError(f"no candidate number {cid} (see 'briefer candidates list')")
        return _candidate(rows[0])

    def decide_candidate(self, cid: int, status: str, *, analyst: str, fact_id: str | None = None) -> None:
        with self._one_statement() as conn:
            cur = conn.execute("UPDATE candidates SET status=?, fact_id=coalesce(?, fact_id), decided_at=?,"
                               " analyst=? WHERE id=?", (status, fact_id, now(), analyst, cid))
            if cur.rowcount == 0:
                raise NotFoundError(f"no candidate number {cid} (see 'briefer candidates list')")

    # -- editions and template names (the SQL is in briefer.store.editions, imported when first used: it
    # and the edition data types (hashlib) are not needed to open the store and list its facts) ----------

    def record_edition(self, template: str, *, exported_on: date, title: str, facts: list[EditionFact],
                       output: str = "", template_id: str | None = None) -> Edition:
        from briefer.store import editions as _editions

        return _editions.record_edition(self, template, exported_on=exported_on, title=title, facts=facts,
                                        output=output, template_id=template_id)

    def recording_edition(self, template: str, *, exported_on: date, title: str, facts: list[EditionFact],
                          output: str = "", template_id: str | None = None) -> AbstractContextManager[Edition]:
        from briefer.store import editions as _editions

        return _editions.recording_edition(self, template, exported_on=exported_on, title=title, facts=facts,
                                           output=output, template_id=template_id)

    def latest_edition(self, template: str, template_id: str | None = None) -> Edition | None:
        from briefer.store import editions as _editions

        return _editions.latest_edition(self, template, template_id)

    def editions(self, template: str | None = None, template_id: str | None = None) -> list[Edition]:
        from briefer.store import editions as _editions

        return _editions.editions(self, template, template_id)

    def editions_using(self, fact_id: str) -> list[Edition]:
        from briefer.store import editions as _editions

        return _editions.editions_using(self, fact_id)

    def rename_template(self, old: str, new: str, template_id: str | None = None) -> int:
        from briefer.store import editions as _editions

        return _editions.rename_template(self, old, new, template_id)

    # -- backup ------------------------------------------------------------------------------------------

    def backup(self, dest: Path, *, overwrite: bool = False) -> BackupInfo:
        from briefer.store.backup import create_backup

        return create_backup(self.path.parent, dest, overwrite=overwrite)

