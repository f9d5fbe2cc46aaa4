"""The conflict finder's prepared sentence analyses, one row a source (table ``source_analysis``,
migration 9): what :func:`briefer.domain.conflicts.prepared.analyse_source` gives, kept as the text the
domain packs it into (:func:`briefer.domain.conflicts.prepared.encode`; the store does not read it).  A
cache: the finder checks each row against its source before reading it, so a stale row is only wasted,
and a row that cannot be read is left out (it is made again)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from briefer.store.db import Store


class Row(NamedTuple):
    source_id: str
    text_sha1: str
    year: int | None
    digest: str
    #: the analysis, packed as text
    data: str


def load(store: Store, source_ids: Iterable[str] | None = None) -> dict[str, Row]:
    """The kept analyses of these sources (every one: ``None``), by source id."""
    sql = "SELECT source_id, text_sha1, year, digest, data FROM source_analysis"
    rows: list[Any] = []
    if source_ids is None:
        rows = store._q(sql)
    else:
        ids = list(source_ids)
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            rows += store._q(f"{sql} WHERE source_id IN ({', '.join('?' * len(chunk))})", chunk)
    out: dict[str, Row] = {}
    for sid, sha1, year, digest, data in rows:
        if isinstance(data, str):
            out[sid] = Row(sid, sha1, year, digest, data)
    return out


def stamps(store: Store) -> dict[str, tuple[str, int | None, str]]:
    """Source id -> (text SHA-1, year, digest) of its kept analysis: what a row was made from, without it."""
    rows = store._q("SELECT source_id, text_sha1, year, digest FROM source_analysis")
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def save(store: Store, rows: Iterable[Row]) -> None:
    """Keep these analyses (each replaces its source's row), in one transaction."""
    values = [(r.source_id, r.text_sha1, r.year, r.digest, r.data) for r in rows]
    if not values:
        return
    with store.transaction() as conn:
        conn.executemany("INSERT INTO source_analysis (source_id, text_sha1, year, digest, data) "
                         "VALUES (?, ?, ?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET text_sha1 = excluded.text_sha1,"
                         " year = excluded.year, digest = excluded.digest, data = excluded.data", values)


def forget(store: Store, source_ids: Iterable[str] | None = None) -> None:
    """Drop the rows of these sources (all rows: ``None``)."""
    with store.transaction() as conn:
        if source_ids is None:
            conn.execute("DELETE FROM source_analysis")
        else:
            conn.executemany("DELETE FROM source_analysis WHERE source_id = ?", [(s,) for s in source_ids])
