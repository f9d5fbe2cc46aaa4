"""Full-text search over the SQLite store: FTS5 (bm25-ranked, prefix matches) for
Latin script, a trigram index for Japanese, and the filters applied in SQL before
the limit."""

from __future__ import annotations

import re
import sqlite3
from typing import TYPE_CHECKING, Any

from briefer.errors import StoreError
from briefer.model.query import FactFilter, SearchHit
from briefer.model.rows import FactRow, SectionRow, SourceRow
from briefer.store import words
from briefer.store.sqlite_base import StoreBase
from briefer.store.words import cjk_run

if TYPE_CHECKING:
    from briefer.model import Fact


def filter_sql(flt: FactFilter | None, alias: str = "f") -> tuple[str, list[Any]]:
    """The WHERE clause (and its arguments) of the facts ``flt`` lets through (``alias``: the facts table)."""
    flt = flt or FactFilter()
    where: list[str] = []
    args: list[Any] = []
    if flt.section:
        where.append(f"{alias}.section = ?")
        args.append(flt.section)
    if flt.status:
        where.append(f"{alias}.status = ?")
        args.append(flt.status)
    if flt.source:
        where.append(f"EXISTS (SELECT 1 FROM citations c WHERE c.fact = {alias}.rowid AND c.source = ?)")
        args.append(flt.source)
    if flt.tag:
        where.append(f"EXISTS (SELECT 1 FROM fact_tags t WHERE t.fact = {alias}.rowid AND t.tag = ?)")
        args.append(flt.tag)
    if flt.as_of_from:
        where.append(f"{alias}.as_of >= ?")
        args.append(flt.as_of_from.isoformat())
    if flt.as_of_to:
        where.append(f"{alias}.as_of <= ?")
        args.append(flt.as_of_to.isoformat())
    if flt.min_priority:
        where.append(f"{alias}.priority >= ?")
        args.append(flt.min_priority)
    if flt.reliability:
        grades = sorted(set(flt.reliability.upper()) & set("ABCDEF")) or ["-"]
        where.append(f"EXISTS (SELECT 1 FROM citations c JOIN sources s ON s.id = c.source WHERE c.fact ="
                     f" {alias}.rowid AND s.reliability IN ({','.join('?' * len(grades))}))")
        args.extend(grades)
    if flt.min_credibility:
        where.append(f"EXISTS (SELECT 1 FROM citations c WHERE c.fact = {alias}.rowid"
                     " AND c.credibility IS NOT NULL AND c.credibility <= ?)")
        args.append(flt.min_credibility)
    return (" AND ".join(where) or "1 = 1"), args


#: the orders of :meth:`Store.facts` and :meth:`SearchMixin.library_rows` (the facts table is ``f``, its
#: section ``s``)
FACT_ORDER = {
    "section": "s.ord, f.priority DESC, f.as_of DESC, f.id",
    "priority": "f.priority DESC, f.as_of DESC, f.id",
    "date": "f.as_of DESC, f.priority DESC, f.id",
}


def contains_pattern(text: str) -> str:
    """A LIKE pattern (``ESCAPE '\\'``) matching any value that holds ``text``."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


#: a term matching more facts than this is "common": a query holding one is
#: not ranked by bm25 (which costs about 1 µs per row matching each term),
#: and its newest matches come first instead.
RANK_CAP = 2000

_TOKEN = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str, *, prefix_last: bool = True) -> str | None:
    """Turn what a user typed into a safe FTS5 query: every word quoted (so
    ``"``, ``*``, ``-``, ``(``, ``:`` and FTS keywords are plain text), all
    words required, the last one also matching as a prefix."""
    words = [w for w in _TOKEN.findall(cjk_run().sub(" ", text)) if w]
    if not words:
        return None
    parts = [f'"{w}"' for w in words]
    if prefix_last and not words[-1].isdigit():
        parts[-1] += "*"
    return " ".join(parts)


class SearchMixin(StoreBase):
    # -- the library's list: light rows (briefer.model.rows), read without building a model ------------

    def library_rows(self, flt: FactFilter | None = None, *, order: str = "section",
                     limit: int | None = None) -> list[FactRow]:
        """What the library lists of the facts :meth:`facts` returns for the same arguments: the same facts
        (a damaged one left out alike), in the same order."""
        where, args = filter_sql(flt)
        rows = self._q(
            "SELECT f.rowid, f.id, f.section, f.statement, f.as_of, f.status, f.priority, f.superseded_by, f.tags"
            f" FROM facts f JOIN sections s ON s.id = f.section WHERE {where} ORDER BY {FACT_ORDER[order]}"
            + (" LIMIT ?" if limit is not None else ""),
            [*args, limit] if limit is not None else args,
        )
        if not rows:
            return []
        rowids = [r["rowid"] for r in rows]
        cited: dict[int, dict[str, None]] = {rid: {} for rid in rowids}
        for start in range(0, len(rowids), 900):
            chunk = rowids[start : start + 900]
            for c in self._q(f"SELECT fact, source FROM citations WHERE fact IN ({','.join('?' * len(chunk))})"
                             " ORDER BY fact, pos", chunk):
                cited[c["fact"]].setdefault(c["source"], None)
        out = []
        for r in rows:
            read = self._readable(r)
            if read is not None:
                fid, tags, as_of, status = read
                out.append(FactRow(fid, r["section"], r["statement"], as_of, str(status), r["priority"],
                                   r["superseded_by"], tuple(tags), tuple(cited[r["rowid"]])))
        return out

    def section_rows(self) -> list[SectionRow]:
        """The sections as :meth:`sections` lists them, as light rows."""
        return [SectionRow(r["id"], r["title"], r["description"], r["ord"])
                for r in self._q("SELECT id, title, description, ord FROM sections ORDER BY ord, id")]

    def source_rows(self) -> list[SourceRow]:
        """The sources as :meth:`sources` lists them (by id), as light rows."""
        return [SourceRow(r["id"], r["title"], r["label"], r["file"])
                for r in self._q("SELECT id, title, label, file FROM sources ORDER BY id")]


    def search(self, text: str, flt: FactFilter | None = None, *, limit: int = 20,
               mark: tuple[str, str] = ("[", "]"), snippets: bool = True) -> list[SearchHit]:
        """Facts matching ``text`` best first, with a snippet (without ``snippets``: "", the same facts in the
        same order, no snippet made).  Japanese runs of three or more characters are matched as substrings."""
        where, args = filter_sql(flt)
        hits: dict[str, SearchHit] = {}
        q = fts_query(text)
        if q:
            for fact, snip, score in self._fts_search(q, where, args, limit, mark, snippets=snippets):
                hits[fact.id] = SearchHit(fact, snip, score)
        for fact, snip in self._cjk_search(text, where, args, limit, mark, snippets=snippets):
            if fact.id not in hits:
                hits[fact.id] = SearchHit(fact, snip, None)
        if q and cjk_run().search(text):
            # both a Latin and a Japanese part: keep facts that match both (only their ids: no snippet)
            latin = {f.id for f, _, _ in self._fts_search(q, where, args, RANK_CAP, mark, snippets=False)}
            cjk = {f.id for f, _ in self._cjk_search(text, where, args, RANK_CAP, mark, snippets=False)}
            hits = {k: v for k, v in hits.items() if k in latin and k in cjk}
        return list(hits.values())[:limit]

    def _query_units(self, q: str) -> list[str]:
        """The AND-ed units of query ``q``, a trailing prefix term that FTS5
        has no prefix index for (1 character, or 4 and more) replaced by an OR
        of the words it stands for."""
        units = q.split(" ")
        word = units[-1][1:-2] if units[-1].endswith("*") else ""
        if word and not 2 <= len(word) <= 3:  # prefix='2 3' indexes those
            expansion = words.expand(self._conn, word)
            if expansion:
                units[-1] = "(" + " OR ".join(f'"{w}"' for w in expansion) + ")"
        return units

    def _common_term(self, term: str) -> bool:
        """Whether one quoted FTS term matches more than RANK_CAP facts.  Reads
        at most RANK_CAP + 1 doclist entries, so it costs well under a millisecond."""
        n = self._conn.execute(
            "SELECT count(*) AS n FROM (SELECT rowid FROM fact_fts WHERE fact_fts MATCH ? LIMIT ?)",
            (term, RANK_CAP + 1),
        ).fetchone()["n"]
        return bool(n > RANK_CAP)

    def _fts_search(self, q: str, where: str, args: list[Any], limit: int, mark: tuple[str, str], *,
                    snippets: bool = True) -> list[tuple[Fact, str, float | None]]:
        """Ranked by bm25 when every term is rarer than RANK_CAP facts.  bm25
        counts every row matching each term to weigh it (about 1 µs a row), so
        a query with a very common term is not ranked: its newest matches come
        first, which FTS5 reads straight off the end of the index.  Without ``snippets`` the snippet is ""."""
        base = f"FROM fact_fts JOIN facts f ON f.rowid = fact_fts.rowid WHERE fact_fts MATCH ? AND {where}"
        snippet, marks = ("snippet(fact_fts, -1, ?, ?, '\u2026', 16)", mark) if snippets else ("''", ())
        try:
            units = self._query_units(q)
            q = " AND ".join(units)
            if any(self._common_term(unit) for unit in units):
                rows = self._conn.execute(
                    f"SELECT fact_fts.rowid AS rid, {snippet} AS snippet, NULL AS score {base}"
                    " ORDER BY fact_fts.rowid DESC LIMIT ?",
                    (*marks, q, *args, limit),
                ).fetchall()
            else:
                rows = self._conn.execute(
                    f"SELECT fact_fts.rowid AS rid, {snippet} AS snippet,"
                    f" bm25(fact_fts, 4.0, 2.0, 1.0, 1.0) AS score {base}"
                    " ORDER BY bm25(fact_fts, 4.0, 2.0, 1.0, 1.0) LIMIT ?",
                    (*marks, q, *args, limit),
                ).fetchall()
        except sqlite3.OperationalError as exc:
            raise StoreError(f"search failed: {exc}") from exc
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"the fact store {self.path} cannot be read: {exc}") from exc
        return self._hydrate(rows)

    def _cjk_search(self, text: str, where: str, args: list[Any], limit: int, mark: tuple[str, str], *,
                    snippets: bool = True) -> list[tuple[Fact, str]]:
        """Facts holding every Japanese run of ``text``, by priority, each with its statement as the
        snippet, the runs marked (without ``snippets``: "")."""
        runs = cjk_run().findall(text)
        if not runs:
            return []
        out = []
        for fact, _, _ in self._hydrate(self._cjk_rows(runs, where, args, limit)):
            if not snippets:
                out.append((fact, ""))
                continue
            snip = fact.statement
            for r in runs:
                snip = snip.replace(r, f"{mark[0]}{r}{mark[1]}")
            out.append((fact, snip))
        return out

    def _cjk_rows(self, runs: list[str], where: str, args: list[Any], limit: int) -> list[sqlite3.Row]:
        """(rid, snippet, score) rows of the facts holding every run (the engine's part of :meth:`_cjk_search`)."""
        long_runs = [r for r in runs if len(r) >= 3]
        short_runs = [r for r in runs if len(r) < 3]
        cond, cargs = [], []
        if long_runs:
            cond.append("fact_cjk MATCH ?")
            cargs.append(" ".join('"' + r.replace('"', '""') + '"' for r in long_runs))
        for r in short_runs:  # the trigram index cannot match 1-2 characters: scan the (small) CJK table
            cond.append("fact_cjk.cjk LIKE ? ESCAPE '\\'")
            cargs.append(contains_pattern(r))
        return self._q(
            "SELECT fact_cjk.rowid AS rid, '' AS snippet, NULL AS score"
            " FROM fact_cjk JOIN facts f ON f.rowid = fact_cjk.rowid"
            f" WHERE {' AND '.join(cond)} AND {where} ORDER BY f.priority DESC LIMIT ?",
            (*cargs, *args, limit),
        )

    def _hydrate(self, rows: list[sqlite3.Row]) -> list[tuple[Fact, str, float | None]]:
        """Facts for (rid, snippet, score) rows, in the rows' order."""
        if not rows:
            return []
        fact_rows = self._q(f"SELECT {self._FACT_COLS} FROM facts f WHERE f.rowid IN ({','.join('?' * len(rows))})",
                            [r["rid"] for r in rows])
        # a fact whose row cannot be read is left out (noted in ``damaged``): match the rest by id
        by_id = {f.id: f for f in self._facts_from_rows(fact_rows)}
        by_rowid = {r["rowid"]: by_id[r["id"]] for r in fact_rows if r["id"] in by_id}
        return [(by_rowid[r["rid"]], r["snippet"], r["score"]) for r in rows if r["rid"] in by_rowid]
