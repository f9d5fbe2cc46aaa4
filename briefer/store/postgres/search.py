"""Search on a team library: the engine's own tools (``ts_rank`` over the weighted ``tsvector``,
``ts_headline``, ``pg_trgm``), the local store's rules, and one statement per search.

The rules are :mod:`briefer.store.sqlite_search`'s: the filters apply before the limit; a query with a
term matching more than :data:`RANK_CAP` facts is not ranked (ranking reads every match), its newest
matches come first; a trailing prefix stands for the most used whole words it begins
(:mod:`briefer.store.words`), a 2-3 letter one is matched as a prefix; Japanese runs are substrings.

Each search is **one statement** (:func:`fts_statement`), so ten analysts searching at once cost the
server one parse, one plan and one round trip each, not five:

* the prefix's words come from the word list inside it; each term's tsquery is computed once (an
  InitPlan), so every part of the plan below is the same whatever the words are, and a prepared
  statement's generic plan is as good as a fresh one;
* whether a term is common is decided first, cheaply: the word list counts the facts using each word
  (the number SQLite's FTS5 would count for it), and a word in more than RANK_CAP facts is common
  without reading the index; only when no term is common by the word list are the terms counted in the
  index (at most RANK_CAP + 1 entries each, and each then has at most that many: cheap), which also
  catches a term common only through its word forms ("running" in few facts, its stem "run" in many);
* one branch runs, the others are cut by a one-time filter: ranked (every term rare: at most RANK_CAP
  matches are ranked), newest-first through the index (a rare term narrows the matches), or
  newest-first from the newest facts backwards (every term common by the word list, or the one term
  of a query common by its count: the newest RANK_CAP facts hold the first page, else the index answers);
* the page's facts come back in the same rows, their citations as JSON (one list per fact), and the
  snippet is made only for the rows returned; the rows are read by position (plain tuples) and their
  facts made without pydantic's per-field work (:func:`trusted`): ~0.2 ms less of the window's CPU a search.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from briefer.model import Citation, Fact
from briefer.store import words
from briefer.store.sqlite_base import FACT_FIELDS, _validated, json_value
from briefer.store.sqlite_search import RANK_CAP, contains_pattern

if TYPE_CHECKING:
    from briefer.store.postgres.connection import Connection

#: ts_rank's weights for D, C, B, A: sources 1, tags 1, quotes 2, statement 4, as SQLite's bm25
_WEIGHTS = "{0.25, 0.25, 0.5, 1.0}"
#: stand-ins for the snippet's marks inside ts_headline's options (replaced by the caller's marks)
_START, _STOP = "\ue000", "\ue001"
_HEADLINE = (f'StartSel="{_START}", StopSel="{_STOP}", MaxWords=16, MinWords=6, ShortWord=2, '
             'MaxFragments=1, FragmentDelimiter="\u2026"')
_TERM = re.compile(r'"([^"]*)"(\*?)')
#: a fact's columns and its citations (JSON: [source, quote, location, claim, credibility] each, in order)
_FACT_COLS = ", ".join(["f.rowid", *(f"f.{name}" for name in FACT_FIELDS)])
_CITES = ("(SELECT json_agg(json_build_array(c.source, c.quote, c.location, c.claim, c.credibility)"
          " ORDER BY c.pos) FROM citations c WHERE c.fact = f.rowid)::text AS cites")
#: the columns of a search's rows by position (both statements'): the fact's, then cites, score, snippet
_ROW_NAMES = ("rowid", *FACT_FIELDS)
_CITES_AT = len(_ROW_NAMES)
#: a prefix's bound as the plan sees it: a value known only when the statement runs, as in a prepared
#: statement's generic plan, so the plans made for the first runs are no cheaper than the generic one
#: and the server keeps that (planned once per connection, not at every search)
_P = "(SELECT ?::text)"
#: the most used words beginning with a prefix (as :func:`briefer.store.words.expand`), each with its tsquery
_EXPANSION = ("SELECT word, n, plainto_tsquery('briefer_english', word) AS t FROM fts_words"
              f" WHERE word >= {_P} AND word < {_P} AND n > 0 ORDER BY n DESC, word LIMIT {words.MAX_EXPANSION}")
#: the bound of a prefix: how many facts use its most used (non-stop) word, among the four most used
_PREFIX_BOUND = (f"(SELECT max(n) FROM (SELECT word, n FROM fts_words WHERE word >= {_P} AND word < {_P}"
                 " ORDER BY n DESC LIMIT 4) AS w WHERE numnode(plainto_tsquery('briefer_english', word)) > 0)")


class _Unit:
    """One AND-ed term of a query: its tsquery (SQL, arguments), and a lower bound of the facts it matches
    read off the word list (SQL, arguments); a CTE of its prefix's words when it has one."""

    def __init__(self, tsq: str, args: list[Any], bound: str, bound_args: list[Any],
                 cte: tuple[str, list[Any]] | None = None) -> None:
        self.tsq, self.args, self.bound, self.bound_args, self.cte = tsq, args, bound, bound_args, cte


def _upper(p: str) -> str:
    return p[:-1] + chr(ord(p[-1]) + 1)


def query_units(q: str) -> list[_Unit]:
    """The units of an FTS query of :func:`~briefer.store.sqlite_search.fts_query`.  A trailing prefix
    (not 2-3 letters) stands for the most used whole words it begins, when there are any, else it is
    matched as a stemmed prefix, as on a local store."""
    units: list[_Unit] = []
    for word, star in _TERM.findall(q):
        folded = words.fold(word)
        if not star:
            units.append(_Unit("plainto_tsquery('briefer_english', ?)", [word],
                               "(SELECT n FROM fts_words WHERE word = ?)", [folded]))
            continue
        prefix = "to_tsquery('briefer_english', ? || ':*')"
        if 2 <= len(word) <= 3 or not folded:
            bound = _PREFIX_BOUND if folded else "NULL::integer"
            units.append(_Unit(prefix, [folded], bound, [folded, _upper(folded)] if folded else []))
            continue
        cte = f"e{len(units)}"
        units.append(_Unit(
            f"(SELECT CASE WHEN count(*) = 0 THEN {prefix} ELSE coalesce(string_agg(nullif('(' || t::text || ')',"
            f" '()'), ' | ' ORDER BY n DESC, word), '')::tsquery END FROM {cte})", [folded],
            f"(SELECT max(n) FROM {cte} WHERE numnode(t) > 0)", [],
            cte=(f"{cte} AS MATERIALIZED ({_EXPANSION})", [folded, _upper(folded)])))
    return units


def fts_statement(q: str, where: str, args: list[Any], limit: int, cap: int = RANK_CAP, *,
                  snippets: bool = True) -> tuple[str, list[Any]] | None:
    """The one statement of a search for FTS query ``q`` (``where``/``args``: the filters, over ``f``):
    rows of a fact's columns, ``cites``, ``score`` and ``snippet``, best first; None when ``q`` has no term.
    Without ``snippets`` the snippet is "" and no ts_headline runs (nor is the text table read for it)."""
    units = query_units(q)
    if not units:
        return None
    limit, cap = int(limit), int(cap)  # in the text (a prepared statement's plan knows them)
    out: list[Any] = []
    ctes = []
    for u in units:
        if u.cte:
            ctes.append(u.cte[0])
            out.extend(u.cte[1])
    n = len(units)
    ctes.append("u AS MATERIALIZED (SELECT " + ", ".join(f"{u.tsq} AS u{i}" for i, u in enumerate(units)) + ")")
    for u in units:
        out.extend(u.args)
    # a unit is common when the word list says so (a word in more than cap facts: no index read), or else
    # when the index holds more than cap matches of it; the index is read only when no unit is common by
    # the word list (OR stops at the first true).  Which newest-first branch runs is a matter of speed
    # only (both give the newest matches): the word list's word decides it.
    bounds = []
    for i, u in enumerate(units):
        bounds.append(f"coalesce(numnode(u{i}) > 0 AND {u.bound} > {cap}, false) AS b{i}")
        out.extend(u.bound_args)
    ctes.append(f"b AS MATERIALIZED (SELECT {', '.join(bounds)} FROM u)")
    # the first term's matches (at most cap + 1) are kept: counted, and when no term is common they hold every
    # match of the query, ranked from there without reading the index again.  Only their places in the table
    # (ctid) are kept, not their tsvectors (~1 kB each): a term with more than cap matches, counted and then
    # found common, costs the copy of none of them (EXPLAIN ANALYZE: 5.8 ms instead of 8.5 for one with 2,554),
    # and the ranked branch reads its few tsvectors straight from those places (a TID scan, no index)
    ctes.append(f"cand AS MATERIALIZED (SELECT ctid AS t FROM fact_fts WHERE tsv @@ (SELECT u0 FROM u)"
                f" LIMIT {cap + 1})")
    counted = [f"(SELECT count(*) FROM cand) > {cap}"]
    counted += [f"(SELECT count(*) FROM (SELECT 1 FROM fact_fts WHERE tsv @@ u.u{i} LIMIT {cap + 1}) AS m) > {cap}"
                for i in range(1, n)]
    ctes.append("c AS MATERIALIZED (SELECT " + " OR ".join([*(f"b{i}" for i in range(n)), *counted])
                + " AS anyc, " + " AND ".join(f"b{i}" for i in range(n)) + " AS allc FROM b, u)")
    ctes.append("qq AS MATERIALIZED (SELECT " + " && ".join(f"u{i}" for i in range(n)) + " AS q FROM u)")
    # a query of one term is all common when that term is, by the word list or by its count: a term in 2,215
    # facts, counted, then reads ~1,000 of the newest facts backwards for its page instead of all its 2,215
    # matches through the index (server CPU 4.7 -> 3.3 ms)
    any_common, all_common = "anyc", "anyc" if n == 1 else "allc"
    query = "(SELECT q FROM qq)"
    join = "" if where == "1 = 1" else " JOIN facts f ON f.rowid = x.rowid"
    # every term common: the newest facts first, from the newest cap facts backwards (the first page is
    # there when the terms are in more than 1 fact of 100; else the index below answers)
    ctes.append(f"recent AS MATERIALIZED (SELECT x.rowid AS rid FROM (SELECT rowid, tsv FROM fact_fts"
                f" WHERE (SELECT {all_common} FROM c) ORDER BY rowid DESC LIMIT {cap}) AS x{join}"
                f" WHERE x.tsv @@ {query} AND {where} ORDER BY x.rowid DESC LIMIT {limit})")
    out.extend(args)
    # (a query of one term: every row of cand matches it, no need to test it again)
    ranked = (f"(SELECT x.rowid AS rid, ts_rank('{_WEIGHTS}', x.tsv, {query}) AS score FROM fact_fts x{join}"
              f" WHERE (SELECT NOT {any_common} FROM c) AND x.ctid = ANY(ARRAY(SELECT t FROM cand))"
              f"{f' AND x.tsv @@ {query}' if n > 1 else ''} AND {where}"
              f" ORDER BY score DESC, x.rowid LIMIT {limit})")
    out.extend(args)
    # (ordered by rowid + 0: through the text index, never backwards along the facts, which would read
    # every fact when a rare term leaves few matches)
    newest = (f"(SELECT x.rowid AS rid, NULL::real AS score FROM fact_fts x{join}"
              f" WHERE (SELECT {any_common} AND (NOT {all_common} OR (SELECT count(*) FROM recent) < {limit})"
              f" FROM c) AND x.tsv @@ {query} AND {where} ORDER BY x.rowid + 0 DESC LIMIT {limit})")
    out.extend(args)
    recent = f"(SELECT rid, NULL::real AS score FROM recent WHERE (SELECT count(*) FROM recent) >= {limit})"
    if snippets:
        snippet = (f"CASE WHEN ts_filter(x.tsv, '{{a}}') @@ {query} THEN ts_headline('briefer_english', x.statement,"
                   f" {query}, '{_HEADLINE}') ELSE ts_headline('briefer_english', concat_ws(' \u2026 ', x.quotes,"
                   f" x.tags, x.sources), {query}, '{_HEADLINE}') END")
        text = " JOIN fact_fts x ON x.rowid = h.rid"
    else:
        snippet, text = "''", ""
    sql = (f"WITH {', '.join(ctes)}, hits AS ({ranked} UNION ALL {newest} UNION ALL {recent})"
           f" SELECT {_FACT_COLS}, {_CITES}, h.score, {snippet} AS snippet"
           f" FROM hits h JOIN facts f ON f.rowid = h.rid{text}"
           " ORDER BY h.score DESC, CASE WHEN h.score IS NULL THEN -h.rid ELSE h.rid END")
    return sql, out


def cjk_statement(runs: list[str], where: str, args: list[Any], limit: int) -> tuple[str, list[Any]]:
    """Japanese runs as substrings, through the trigram index (runs under three characters too: the
    index then narrows nothing, and the small table is scanned, as on a local store): the facts'
    rows with their citations, by priority.  The matches are ordered by the priority their CJK rows keep
    (step 13), so only the page's facts are read (a name in 2,000 facts: ~1.4 -> ~0.45 ms of server CPU);
    under a filter each fact is read by its key in that order until the page is full (a lateral join the
    planner keeps: a hash join would read every fact of the library to find a few thousand)."""
    cond = " AND ".join("fact_cjk.cjk LIKE ? ESCAPE '\\'" for _ in runs)
    limit = int(limit)
    if where == "1 = 1":
        page = (f"SELECT fact_cjk.rowid AS rid, fact_cjk.priority AS p FROM fact_cjk WHERE {cond}"
                f" ORDER BY fact_cjk.priority DESC, fact_cjk.rowid LIMIT {limit}")
    else:
        page = (f"SELECT c.rid, c.p FROM (SELECT fact_cjk.rowid AS rid, fact_cjk.priority AS p FROM fact_cjk"
                f" WHERE {cond} ORDER BY fact_cjk.priority DESC, fact_cjk.rowid OFFSET 0) AS c CROSS JOIN LATERAL"
                " (SELECT * FROM facts WHERE facts.rowid = c.rid OFFSET 0) AS f"
                f" WHERE {where} ORDER BY c.p DESC, c.rid LIMIT {limit}")
    return (f"SELECT {_FACT_COLS}, {_CITES}, NULL::real AS score, '' AS snippet FROM ({page}) AS h"
            " JOIN facts f ON f.rowid = h.rid ORDER BY h.p DESC, h.rid",
            [*(contains_pattern(r) for r in runs), *args])


class TeamSearchMixin:
    """The team store's search: the shared :class:`~briefer.store.sqlite_search.SearchMixin` asks for rows
    (:meth:`_fts_search`, :meth:`_cjk_rows`) and facts (:meth:`_hydrate`); here each is one statement."""

    _pg: Connection

    def _search_rows(self, sql: str, args: list[Any]) -> list[Any]:
        return self._q(sql, args, prepare=True, plain=True)  # type: ignore[attr-defined, no-any-return]

    def _fts_search(self, q: str, where: str, args: list[Any], limit: int, mark: tuple[str, str], *,
                    snippets: bool = True) -> list[tuple[Fact, str, float | None]]:
        """Ranked by ts_rank when every term is rarer than RANK_CAP facts; a query with a very common
        term is not ranked (ranking reads every match): its newest matches come first."""
        stmt = fts_statement(q, where, args, limit, RANK_CAP, snippets=snippets)
        if stmt is None:
            return []
        hits = self._hydrate(self._search_rows(*stmt))
        if not snippets:
            return hits
        return [(fact, snip.replace(_START, mark[0]).replace(_STOP, mark[1]), s) for fact, snip, s in hits]

    def _cjk_rows(self, runs: list[str], where: str, args: list[Any], limit: int) -> list[Any]:
        return self._search_rows(*cjk_statement(runs, where, args, limit))

    def _hydrate(self, rows: list[Any]) -> list[tuple[Fact, str, float | None]]:
        """Facts for the rows of :func:`fts_statement` or :func:`cjk_statement` (plain tuples: each holds its
        fact's columns, its citations as JSON text, score and snippet), in the rows' order; a fact whose stored
        values do not parse is left out (and noted in ``damaged``), as everywhere."""
        out: list[tuple[Fact, str, float | None]] = []
        if not rows:
            return out
        fact_of, cite_of = trusted(Fact), trusted(Citation)
        for row in rows:
            r = dict(zip(_ROW_NAMES, row, strict=False))  # the fact's columns by name (a C lookup)
            cites = [cite_of({"source": c[0], "quote": c[1], "location": c[2], "claim": c[3], "credibility": c[4]})
                     for c in (json_value(row[_CITES_AT]) if row[_CITES_AT] else ())]
            fact = self._search_fact(r, cites, fact_of)
            if fact is not None:
                out.append((fact, row[_CITES_AT + 2], row[_CITES_AT + 1]))
        return out

    def _search_fact(self, r: dict[str, Any], cites: list[Citation], fact_of: Callable[[dict[str, Any]], Any]) -> Any:
        """The fact of one search row, as the shared reader (``_fact_from_row``) makes it: by that reader
        itself for what only it reads (a kind of variance, a field it validates); else from the same
        values (:meth:`_readable`'s) by :func:`trusted`."""
        if r["variance"] or _validated():
            return self._fact_from_row(r, cites)  # type: ignore[attr-defined]
        read = self._readable(r)  # type: ignore[attr-defined]
        if read is None:
            return None
        fid, tags, as_of, status = read
        return fact_of({"id": fid, "section": r["section"], "statement": r["statement"], "citations": cites,
                        "as_of": as_of, "tags": tags, "status": status, "priority": r["priority"], "notes": r["notes"],
                        "superseded_by": r["superseded_by"], "variance": None, "headline": r["headline"]})


@functools.cache
def trusted(cls: Any) -> Callable[[dict[str, Any]], Any]:
    """A maker of model ``cls`` from stored values that gives what ``cls.model_construct(**values)`` gives
    (the same ``__dict__``, fields set, no extra, no private values) some five times faster, for the ~20 facts
    and their citations of every search: when ``values`` names every field in the model's order, and the
    model has nothing model_construct would do more (aliases, a post-init, extra values kept), nothing is
    left to fill in or move, so the values become the instance's dict as they are.  Else model_construct."""
    fields = tuple(cls.model_fields)
    if (cls.__pydantic_post_init__ or cls.model_config.get("extra") == "allow" or cls.__pydantic_root_model__
            or any(f.alias is not None or f.validation_alias is not None for f in cls.model_fields.values())):
        return lambda values: cls.model_construct(**values)
    new, put = cls.__new__, object.__setattr__

    def make(values: dict[str, Any]) -> Any:
        if tuple(values) != fields:
            return cls.model_construct(**values)
        m = new(cls)
        put(m, "__dict__", values)
        put(m, "__pydantic_fields_set__", set(fields))
        put(m, "__pydantic_extra__", None)
        put(m, "__pydantic_private__", None)
        return m

    return make
