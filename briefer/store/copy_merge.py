"""``briefer store copy --merge``: add what the target lacks, skip what it holds already, and report
what differs instead of overwriting it.

Rows are matched by their natural key (``TABLES[t].key``: a fact by its id, an edition by template and
number …), never by the integer ids one library gives them: a row the merge adds gets a fresh id in the
target, and its children (citations, tags, an edition's facts) follow it.  A fact that exists on both
sides is compared column by column and with its citations; if anything differs it is named in the
report (``fact X differs: statement, tags``) and the target's version stays.  History rows are added
for what the merge adds (and for facts and sources neither side holds any more); the history of a fact
the target already has stays the target's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from briefer import faults
from briefer.store.portable import TABLES, Table, Tally

if TYPE_CHECKING:
    from briefer.store.api import FactStore


@dataclass(frozen=True)
class Difference:
    """A row both libraries hold under the same key, with other values (the target's were kept)."""

    noun: str
    key: str
    columns: tuple[str, ...]

    def sentence(self) -> str:
        return f"{self.noun} {self.key} differs: {', '.join(self.columns)}"

    def as_json(self) -> dict[str, Any]:
        return {"what": self.noun, "key": self.key, "columns": list(self.columns)}


@dataclass
class MergeCounts:
    added: int = 0
    identical: int = 0
    differing: int = 0


@dataclass
class MergeResult:
    counts: dict[str, MergeCounts] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)


def _children(table: str) -> list[Table]:
    """The child tables compared as part of a row of ``table`` (a fact's tags are its tags column)."""
    return [t for t in TABLES.values() if t.parent and t.parent[1] == table and t.name != "fact_tags"]


def _shown_key(spec: Table, key: tuple[Any, ...]) -> str:
    if spec.name == "editions":
        return f"{str(key[0]).removeprefix('name:')} #{key[1]}"
    return " / ".join(str(k) for k in key)


def _child_sums(store: FactStore, child: Table) -> dict[Any, int]:
    """Parent id -> a sum over its child rows (without the parent column), to compare two parents' children."""
    pidx = child.columns.index(child.parent[0]) if child.parent else 0
    out: dict[Any, int] = {}
    for row in store.export_rows(child.name):
        parent = row[pidx]
        out[parent] = (out.get(parent, 0) + hash(row[:pidx] + row[pidx + 1:])) & 0xFFFFFFFFFFFFFFFF
    return out


def merge_tables(src: FactStore, dst: FactStore, added: Tally) -> MergeResult:
    """Add ``src``'s rows to ``dst`` as described in the module docstring (inside dst's transaction);
    every row added goes into ``added`` (for the verification)."""
    result = MergeResult()
    #: parent table -> src surrogate id -> the id the row got in dst (only rows this merge added)
    new_ids: dict[str, dict[Any, Any]] = {}
    #: table -> the keys dst held before the merge
    present: dict[str, set[tuple[Any, ...]]] = {}
    for spec in TABLES.values():
        counts = result.counts.setdefault(spec.name, MergeCounts())
        if spec.kind == "child":
            rows: Iterator[tuple[Any, ...]] = _child_rows(src, spec, new_ids)
        elif spec.kind == "log":
            rows = _log_rows(src, dst, spec, present)
        else:
            rows = _entity_rows(src, dst, spec, new_ids, present, counts, result.differences)
        acc = added.of(spec.name)
        before = acc.rows

        def counted(it: Iterator[tuple[Any, ...]], acc: Any = acc) -> Iterator[tuple[Any, ...]]:
            for row in it:
                acc.add(row)
                yield row

        dst.import_rows(spec.name, counted(rows))
        counts.added = acc.rows - before
        faults.step(f"store-copy-{spec.name}")
    return result


def _child_rows(src: FactStore, spec: Table, new_ids: dict[str, dict[Any, Any]]) -> Iterator[tuple[Any, ...]]:
    assert spec.parent is not None
    col, parent = spec.parent
    mapping = new_ids.get(parent, {})
    pidx = spec.columns.index(col)
    for row in src.export_rows(spec.name):
        target = mapping.get(row[pidx])
        if target is not None:
            yield (*row[:pidx], target, *row[pidx + 1:])


def _log_rows(src: FactStore, dst: FactStore, spec: Table,
              present: dict[str, set[tuple[Any, ...]]]) -> Iterator[tuple[Any, ...]]:
    assert spec.surrogate is not None and spec.subject is not None
    sidx = spec.columns.index(spec.surrogate)
    subj = spec.columns.index(spec.subject)
    owner = "facts" if spec.name == "fact_history" else "sources"
    held = present.get(owner, set())
    # everything read from the target is read before the rows are written to it (a server's connection
    # cannot read while it takes rows in)
    seen = {hash(row[:sidx] + row[sidx + 1:]) for row in dst.export_rows(spec.name)}
    first_id = dst.max_id(spec.name) + 1

    def rows() -> Iterator[tuple[Any, ...]]:
        next_id = first_id
        for row in src.export_rows(spec.name):
            if (row[subj],) in held:
                continue  # the target's own history of a fact (or source) it already held
            if hash(row[:sidx] + row[sidx + 1:]) in seen:
                continue
            yield (*row[:sidx], next_id, *row[sidx + 1:])
            next_id += 1

    return rows()


def _entity_rows(src: FactStore, dst: FactStore, spec: Table, new_ids: dict[str, dict[Any, Any]],
                 present: dict[str, set[tuple[Any, ...]]], counts: MergeCounts,
                 differences: list[Difference]) -> Iterator[tuple[Any, ...]]:
    keyidx = [spec.columns.index(k) for k in spec.key]
    sidx = spec.columns.index(spec.surrogate) if spec.surrogate else None
    compared = [i for i, c in enumerate(spec.columns) if i != sidx and c not in spec.unchecked]
    children = _children(spec.name) if spec.kind == "entity" else []
    #: key -> (dst surrogate, a hash of each compared column)
    index: dict[tuple[Any, ...], tuple[Any, tuple[int, ...]]] = {}
    for row in dst.export_rows(spec.name):
        index[tuple(row[i] for i in keyidx)] = (row[sidx] if sidx is not None else None,
                                                tuple(hash(row[i]) for i in compared))
    present[spec.name] = set(index)
    dst_children = {c.name: _child_sums(dst, c) for c in children}
    src_children = {c.name: _child_sums(src, c) for c in children}
    mapping = new_ids.setdefault(spec.name, {})
    first_id = dst.max_id(spec.name) + 1 if spec.surrogate else 0

    def rows() -> Iterator[tuple[Any, ...]]:
        next_id = first_id
        for row in src.export_rows(spec.name):
            key = tuple(row[i] for i in keyidx)
            held = index.get(key)
            if held is None:
                if sidx is not None:
                    mapping[row[sidx]] = next_id
                    row = (*row[:sidx], next_id, *row[sidx + 1:])
                    next_id += 1
                yield row
                continue
            if spec.kind == "cache":
                counts.identical += 1  # a prepared analysis is made again when it no longer fits its source
                continue
            dst_id, hashes = held
            cols = [spec.columns[i] for i, h in zip(compared, hashes, strict=True) if hash(row[i]) != h]
            for child in children:
                if src_children[child.name].get(row[sidx] if sidx is not None else key[0], 0) != \
                        dst_children[child.name].get(dst_id if sidx is not None else key[0], 0):
                    cols.append(child.noun)
            if cols:
                counts.differing += 1
                differences.append(Difference(spec.noun, _shown_key(spec, key), tuple(cols)))
            else:
                counts.identical += 1

    return rows()
