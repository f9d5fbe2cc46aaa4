"""The fact store on SQLite: one file (WAL) with full-text search.

:class:`Store` is the SQLite backend of :class:`briefer.store.api.FactStore`; open
one with :func:`briefer.store.db.open_store`.  Every sqlite3 error that reaches a
caller is a :class:`StoreError` with one clear sentence.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from briefer.errors import NotFoundError, StoreError
from briefer.model.query import FactFilter
from briefer.store import words
from briefer.store.local_team import LocalTeamMixin
from briefer.store.sqlite_base import DamagedFact
from briefer.store.sqlite_records import HISTORY_COLS, RecordsMixin, history_entries
from briefer.store.sqlite_rows import RowsMixin
from briefer.store.sqlite_search import FACT_ORDER, SearchMixin, filter_sql


class Store(SearchMixin, RecordsMixin, RowsMixin, LocalTeamMixin):
    """An open fact store.  Use :func:`briefer.store.db.open_store` to get one."""

    # -- sections ----------------------------------------------------------------------------

    def sections(self) -> list[Section]:
        from briefer.model import Section

        rows = self._q("SELECT id, title, description, ord FROM sections ORDER BY ord, id")
        return [Section(id=r["id"], title=r["title"], description=r["description"], order=r["ord"]) for r in rows]

    def section(self, section_id: str) -> Section:
        for s in self.sections():
            if s.id == section_id:
                return s
        raise NotFoundError(f"no section with id {section_id!r} (see 'briefer sections list')")

    def section_counts(self) -> dict[str, int]:
        return {r["section"]: r["n"] for r in self._q("SELECT section, count(*) AS n FROM facts GROUP BY section")}

    def listener(self) -> Listener | None:
        """A local store has no live updates: nobody else writes to it while it is open here."""
        return None

    # -- facts ---------------------------------------------------------------

    def facts(self, flt: FactFilter | None = None, *, order: str = "section", limit: int | None = None) -> list[Fact]:
        """Facts matching ``flt``, by section order then priority (``order="section"``),
        or by ``as_of`` newest first (``order="date"``), or by priority (``order="priority"``);
        at most ``limit`` of them when given."""
        where, args = filter_sql(flt)
        order_sql = FACT_ORDER[order]
        rows = self._q(
            f"SELECT {self._FACT_COLS} FROM facts f JOIN sections s ON s.id = f.section"
            f" WHERE {where} ORDER BY {order_sql}" + (" LIMIT ?" if limit is not None else ""),
            [*args, limit] if limit is not None else args,
        )
        return self._facts_from_rows(rows)

    def count(self, flt: FactFilter | None = None) -> int:
        """How many facts match ``flt``."""
        where, args = filter_sql(flt)
        return int(self._q(f"SELECT count(*) AS n FROM facts f WHERE {where}", args)[0]["n"])

    def fact(self, fact_id: str) -> Fact:
        rows = self._q(f"SELECT {self._FACT_COLS} FROM facts f WHERE f.id = ?", (fact_id,))
        if not rows:
            raise NotFoundError(f"no fact with id {fact_id!r} (see 'briefer facts list')")
        found = self._facts_from_rows(rows)
        if not found:
            raise DamagedFact(self.damaged.pop(str(rows[0]["id"])), fact_id)
        return found[0]

    def repair_fact_date(self, fact_id: str, as_of: date) -> None:
        """Store a readable date on a fact whose stored date no longer parses (see :class:`DamagedFact`)."""
        with self.transaction() as conn:
            row = conn.execute("SELECT as_of FROM facts WHERE id = ?", (fact_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no fact with id {fact_id!r} (see 'briefer facts list')")
            conn.execute("UPDATE facts SET as_of = ?, version = version + 1 WHERE id = ?", (as_of.isoformat(), fact_id))
            # the edit that follows records the change in the fact's history
        self.damaged.pop(fact_id, None)

    def facts_by_ids(self, ids: list[str]) -> dict[str, Fact]:
        """The facts that exist among ``ids`` (missing ones are simply absent)."""
        out: dict[str, Fact] = {}
        for start in range(0, len(ids), 900):
            chunk = ids[start : start + 900]
            rows = self._q(
                f"SELECT {self._FACT_COLS} FROM facts f WHERE f.id IN ({','.join('?' * len(chunk))})", chunk
            )
            out.update({f.id: f for f in self._facts_from_rows(rows)})
        return out

    def fact_ids(self) -> set[str]:
        return {r["id"] for r in self._q("SELECT id FROM facts")}

    def fact_count(self) -> int:
        return int(self._q("SELECT count(*) AS n FROM facts")[0]["n"])

    def tags(self) -> list[tuple[str, int]]:
        rows = self._q("SELECT tag, count(*) AS n FROM fact_tags GROUP BY tag ORDER BY tag")
        return [(r["tag"], r["n"]) for r in rows]

    def superseding(self, fact_id: str) -> list[str]:
        rows = self._q("SELECT id FROM facts WHERE superseded_by = ? ORDER BY id", (fact_id,))
        return [r["id"] for r in rows]

    # -- writing -------------------------------------------------------------

    def add_fact(self, fact: Fact, *, analyst: str = "", action: str = "add") -> None:
        from briefer.model import Fact

        fact = Fact.model_validate(fact.model_dump())
        with self.transaction() as conn:
            if conn.execute("SELECT 1 FROM facts WHERE id = ?", (fact.id,)).fetchone():
                raise StoreError(f"a fact with id {fact.id!r} already exists")
            self._write_fact(conn, fact)
            self._history(conn, fact.id, action, None, fact, analyst)

    def update_fact(self, fact_id: str, fact: Fact, *, analyst: str = "", action: str = "edit") -> None:
        """Replace fact ``fact_id`` with ``fact`` (which may carry a new id: the facts it replaces
        keep pointing at it)."""
        from briefer.model import Fact

        fact = Fact.model_validate(fact.model_dump())
        with self.transaction() as conn:
            before = self.fact(fact_id)  # read under the write lock: the true "before"
            row = conn.execute("SELECT rowid, tags FROM facts WHERE id = ?", (fact_id,)).fetchone()
            rowid = row["rowid"]
            if fact.id != fact_id and conn.execute("SELECT 1 FROM facts WHERE id = ?", (fact.id,)).fetchone():
                raise StoreError(f"a fact with id {fact.id!r} already exists")
            # stored tags that cannot be read are shown as none: an edit that leaves them none (another
            # field's) keeps them as stored, as a source's edit keeps its other fields; a tag added repairs them
            keep_tags = not fact.tags and not before.tags and not _tags_readable(row["tags"])
            self._write_fact(conn, fact, rowid)
            if keep_tags:
                conn.execute("UPDATE facts SET tags = ? WHERE rowid = ?", (row["tags"], rowid))
            self._history(conn, fact.id, action, before, fact, analyst)
            if fact.id != fact_id:
                conn.execute("UPDATE facts SET superseded_by = ? WHERE superseded_by = ?", (fact.id, fact_id))
        # the row is written from readable values now (but tags kept as stored): its note is past
        if not keep_tags:
            self.damaged.pop(fact_id, None)

    def delete_fact(self, fact_id: str, *, analyst: str = "") -> None:
        with self.transaction() as conn:
            before = self.fact(fact_id)
            rowid = conn.execute("SELECT rowid FROM facts WHERE id = ?", (fact_id,)).fetchone()["rowid"]
            words.apply_delta(conn, self._indexed_words(conn, rowid), ())
            conn.execute("DELETE FROM fact_fts WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM fact_cjk WHERE rowid = ?", (rowid,))
            conn.execute("DELETE FROM facts WHERE rowid = ?", (rowid,))
            self._history(conn, fact_id, "delete", before, None, analyst)

    def history(self, fact_id: str) -> list[dict[str, Any]]:
        rows = self._q(f"SELECT {HISTORY_COLS} FROM fact_history WHERE fact_id = ? ORDER BY id", (fact_id,))
        return history_entries(rows)

    def fact_version(self, fact_id: str) -> RecordVersion:
        """The fact's version now, and who changed it last (what a version conflict names)."""
        return self._version("facts", "fact_history", "fact_id", fact_id, "fact")

    def load_pack(self, sections: list[Section], sources: list[Source], facts: list[Fact],
                  glossary: list[GlossaryEntry]) -> None:
        """Fill an empty store in one transaction."""
        with self.transaction() as conn:
            conn.executemany("INSERT INTO sections (id, title, description, ord) VALUES (?,?,?,?)",
                             [(s.id, s.title, s.description, s.order) for s in sections])
            for src in sources:
                self._insert_source(conn, src)
            for g in glossary:
                self._insert_glossary(conn, g)
            for f in facts:
                self._write_fact(conn, f)


if TYPE_CHECKING:
    from briefer.model import Fact, GlossaryEntry, Section, Source
    from briefer.model.records import RecordVersion
    from briefer.store.api import FactStore
    from briefer.store.changes import Listener

    #: mypy holds the SQLite store to the whole interface
    _IS_A_FACT_STORE: type[FactStore] = Store


def _tags_readable(raw: object) -> bool:
    """Whether a fact's stored tags read as a list of text (as :meth:`StoreBase._readable` reads them)."""
    if not raw:
        return True
    try:
        value = raw if isinstance(raw, list) else json.loads(str(raw))
    except (ValueError, RecursionError):
        return False
    return isinstance(value, list) and all(isinstance(t, str) for t in value)
