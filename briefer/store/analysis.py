"""The conflict finder's prepared sentence analyses, one row a source (table ``source_analysis``,
migration 9).  A cache of what :func:`briefer.domain.conflicts.prepared.analyse_source` gives: the
finder checks each row against its source before reading it, so a stale row is only wasted."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from briefer.domain.conflicts.prepared import PreparedAnalysis

if TYPE_CHECKING:
    from briefer.store.db import Store


def load(store: Store, source_ids: Iterable[str] | None = None) -> dict[str, PreparedAnalysis]:
    """The prepared analyses of these sources (every one: ``None``), by source id; a row that cannot be
    read is left out (it is made again)."""
    out: dict[str, PreparedAnalysis] = {}
    sql = "SELECT source_id, text_sha1, year, digest, data FROM source_analysis"
    rows: list[Any] = []
    if source_ids is None:
        rows = store._q(sql)
    else:
        ids = list(source_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows += store._q(f"{sql} WHERE source_id IN ({', '.join('?' * len(chunk))})", chunk)
    for sid, sha1, year, digest, data in rows:
        try:
            raw = json.loads(data)
        except ValueError:
            continue
        if isinstance(raw, dict) and {"spans", "values", "found", "keyed"} <= raw.keys():
            out[sid] = PreparedAnalysis(sid, sha1, year, digest, raw)
    return out


def stamps(store: Store) -> dict[str, tuple[str, int | None, str]]:
    """Source id -> (text SHA-1, year, digest) of its kept analysis: what a row was made from, without it."""
    rows = store._q("SELECT source_id, text_sha1, year, digest FROM source_analysis")
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def save(store: Store, analyses: Iterable[PreparedAnalysis]) -> None:
    """Keep these analyses (each replaces its source's row), in one transaction."""
    rows = [(p.source_id, p.text_sha1, p.year, p.digest, p.to_json()) for p in analyses]
    if not rows:
        return
    with store.transaction() as conn:
        conn.executemany("INSERT OR REPLACE INTO source_analysis (source_id, text_sha1, year, digest, data) "
                         "VALUES (?, ?, ?, ?, ?)", rows)


def forget(store: Store, source_ids: Iterable[str] | None = None) -> None:
    """Drop the rows of these sources (all rows: ``None``)."""
    with store.transaction() as conn:
        if source_ids is None:
            conn.execute("DELETE FROM source_analysis")
        else:
            conn.executemany("DELETE FROM source_analysis WHERE source_id = ?", [(s,) for s in source_ids])
