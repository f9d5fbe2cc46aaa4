"""Curation writes on the store: facts added, edited, moved, tagged,
superseded, restored; sources added, corrected and graded; aliases recorded;
conflicts resolved; candidate facts from imports kept, accepted or rejected.

Every change to a fact goes through the store's history (who, when,
before/after), every change to a source into ``source_history``.  Each
function is one transaction.  Quotes are checked against the source text:
a citation whose quote is not in its source is refused.
"""

from __future__ import annotations

import hashlib
import json
import re
import sqlite3
import textwrap
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from briefer.domain.provenance import find_quote, locate
from briefer.errors import NotFoundError, StaleEdit, StoreError, ValidationFailed
from briefer.model import Citation, Fact, FactStatus, GlossaryEntry, Source, Variance

if TYPE_CHECKING:
    from briefer.store.db import Store


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def slugify(text: str, *, max_words: int = 7, max_len: int = 60) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    words = [w for w in re.findall(r"[a-z0-9]+", ascii_text) if w not in {"the", "a", "an", "of", "and", "s"}]
    slug = "-".join(words[:max_words])[:max_len].strip("-")
    return slug if len(slug) >= 2 else ""


def unique_id(base: str, taken: Iterable[str], *, fallback_seed: str = "") -> str:
    taken = set(taken)
    if not base:
        base = "fact-" + hashlib.sha1(fallback_seed.encode("utf-8")).hexdigest()[:8]
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _validation(exc: ValidationError) -> ValidationFailed:
    first = exc.errors()[0]
    where = ".".join(str(x) for x in first.get("loc", ())) or "value"
    return ValidationFailed(f"{where}: {first.get('msg', 'invalid')}")


def build_fact(**fields: Any) -> Fact:
    """A validated Fact, with one clear error for the first problem."""
    try:
        return Fact(**fields)
    except ValidationError as exc:
        raise _validation(exc) from None



def _one_transaction(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``fn(store, ...)`` whole inside one write transaction: what it reads
    cannot change before what it writes lands."""
    import functools

    @functools.wraps(fn)
    def wrapper(store: Store, *args: Any, **kwargs: Any) -> Any:
        with store.transaction():
            return fn(store, *args, **kwargs)

    return wrapper


# -- citations --------------------------------------------------------------------


def verify_citations(store: Store, fact: Fact) -> Fact:
    """Check every quote stands in its source; fill in empty locations.  Returns the fact, completed."""
    cites: list[Citation] = []
    texts: dict[str, str] = {}
    for c in fact.citations:
        if c.source not in texts:
            texts[c.source] = store.source(c.source).text
        span = find_quote(texts[c.source], c.quote)
        if span is None:
            short = c.quote if len(c.quote) < 80 else c.quote[:77] + "…"
            raise ValidationFailed(f"the quote \u201c{short}\u201d is not in source {c.source!r} "
                                   "(a citation must be verbatim; only spaces and typographic quotes may differ)")
        cites.append(c if c.location else c.model_copy(update={"location": locate(texts[c.source], span[0])}))
    return fact.model_copy(update={"citations": cites})


# -- facts ------------------------------------------------------------------------


def add_fact(store: Store, fact: Fact, *, analyst: str) -> Fact:
    with store.transaction():
        fact = verify_citations(store, fact)
        _check_supersession(store, fact)
        store.add_fact(fact, analyst=analyst)
    return fact


def _stale(fact_id: str, expected: Fact, current: Fact) -> StaleEdit:
    changed = history_changes(expected.model_dump(mode="json"), current.model_dump(mode="json"))
    what = f" ({'; '.join(changed[:3])})" if changed else ""
    return StaleEdit(f"fact {fact_id!r} was changed by someone else since you opened it{what}; your edit was "
                     "not saved: reload the fact and make your change again")


def edit_fact(store: Store, fact_id: str, fact: Fact, *, analyst: str, expected: Fact | None = None) -> Fact:
    """Replace fact ``fact_id`` with ``fact``, in one write transaction.

    ``expected`` is the version the edit was based on (e.g. what an editor
    window showed): when the stored fact no longer equals it, the edit is
    refused with :class:`StaleEdit` instead of silently undoing the other change."""
    with store.transaction() as conn:
        before = store.fact(fact_id)
        if expected is not None and expected.model_dump() != before.model_dump():
            raise _stale(fact_id, expected, before)
        if fact.citations != before.citations:
            fact = verify_citations(store, fact)
        _check_supersession(store, fact)
        if fact.model_dump() == before.model_dump():
            return fact
        store.update_fact(fact_id, fact, analyst=analyst)
        if fact.id != fact_id:
            # keep links to the renamed fact
            conn.execute("UPDATE facts SET superseded_by = ? WHERE superseded_by = ?", (fact.id, fact_id))
    return fact


def modify_fact(store: Store, fact_id: str, change: Callable[[Fact], Fact], *, analyst: str) -> Fact:
    """Read fact ``fact_id``, compute its new version with ``change(fact)`` and
    save it, all in one write transaction: a parallel writer waits, so no
    change is lost and the history's "before" is what was really replaced."""
    from briefer import faults

    with store.transaction():
        new = change(store.fact(fact_id))
        faults.step("fact-modify")  # read, not yet written: the write lock is held
        return edit_fact(store, fact_id, new, analyst=analyst)


def change_fact(store: Store, fact_id: str, *, analyst: str, **changes: Any) -> Fact:
    """Edit some fields of a fact (section, tags, priority, as_of, status, notes …)."""
    def apply(before: Fact) -> Fact:
        data = before.model_dump()
        data.update(changes)
        return build_fact(**data)

    return modify_fact(store, fact_id, apply, analyst=analyst)


def tag_fact(store: Store, fact_id: str, *, add: Iterable[str] = (), remove: Iterable[str] = (),
             analyst: str) -> Fact:
    """Add and remove tags of a fact in one write transaction."""
    add, remove = list(add), list(remove)

    def apply(fact: Fact) -> Fact:
        missing = [t for t in remove if t not in fact.tags]
        if missing:
            raise ValidationFailed(f"fact {fact_id!r} has no tag {missing[0]!r}")
        tags = [t for t in fact.tags if t not in remove]
        tags += [t for t in dict.fromkeys(add) if t not in tags]
        data = fact.model_dump()
        data["tags"] = tags
        return build_fact(**data)

    return modify_fact(store, fact_id, apply, analyst=analyst)


def delete_fact(store: Store, fact_id: str, *, analyst: str) -> None:
    store.delete_fact(fact_id, analyst=analyst)


def _check_supersession(store: Store, fact: Fact) -> None:
    if fact.superseded_by is None:
        if fact.status == FactStatus.SUPERSEDED:
            raise ValidationFailed(f"fact {fact.id!r} is marked superseded but names no newer fact "
                                   "(superseded_by); name the fact that replaces it")
        return
    if fact.superseded_by == fact.id:
        raise ValidationFailed("a fact cannot supersede itself")
    seen = {fact.id}
    nxt: str | None = fact.superseded_by
    while nxt:
        if nxt in seen:
            raise ValidationFailed(f"superseding {fact.id!r} by {fact.superseded_by!r} would make a loop")
        seen.add(nxt)
        nxt = store.fact(nxt).superseded_by  # NotFoundError names a missing replacement


def supersede(store: Store, old_id: str, new_id: str, *, reason: str, analyst: str) -> Fact:
    """Mark ``old_id`` superseded by ``new_id`` (the link is read both ways: see :func:`supersedes`)."""
    if not reason.strip():
        raise ValidationFailed("give a reason for the supersession (e.g. 'newer figure from the 2026 survey')")
    def apply(old: Fact) -> Fact:
        store.fact(new_id)
        data = old.model_dump()
        data.update(status=FactStatus.SUPERSEDED, superseded_by=new_id,
                    notes=_append_note(old.notes, f"Superseded by {new_id}: {reason.strip()}"))
        return build_fact(**data)

    return modify_fact(store, old_id, apply, analyst=analyst)


def set_status(store: Store, fact_id: str, status: FactStatus | str, *, reason: str, analyst: str) -> Fact:
    status = FactStatus(status)
    if status == FactStatus.SUPERSEDED:
        raise ValidationFailed("use supersede to mark a fact superseded (it needs the newer fact)")
    def apply(fact: Fact) -> Fact:
        notes = _append_note(fact.notes, f"Marked {status}: {reason.strip()}") if reason.strip() else fact.notes
        data = fact.model_dump()
        data.update(status=status, superseded_by=None, notes=notes)
        return build_fact(**data)

    return modify_fact(store, fact_id, apply, analyst=analyst)


def supersedes(store: Store, fact_id: str) -> list[str]:
    """The facts that ``fact_id`` replaces (the other direction of ``superseded_by``)."""
    return [r[0] for r in store._q("SELECT id FROM facts WHERE superseded_by = ? ORDER BY id", (fact_id,))]


def _append_note(notes: str, line: str) -> str:
    return f"{notes.rstrip()}\n{line}".strip() if notes.strip() else line


def restore_fact(store: Store, fact_id: str, version: int, *, analyst: str) -> Fact:
    """Bring back the fact as it was after history entry ``version`` (or before it, for a deletion)."""
    with store.transaction():
        return _restore_fact(store, fact_id, version, analyst=analyst)


def _restore_fact(store: Store, fact_id: str, version: int, *, analyst: str) -> Fact:
    entries = {h["version"]: h for h in store.history(fact_id)}
    if version not in entries:
        raise NotFoundError(f"fact {fact_id!r} has no history entry {version} (see 'briefer facts history {fact_id}')")
    entry = entries[version]
    data = entry["after"] if entry["after"] is not None else entry["before"]
    if data is None:  # pragma: no cover - every entry has one side
        raise ValidationFailed(f"history entry {version} holds no version of the fact")
    old = build_fact(**data)
    if old.id != fact_id:
        old = old.model_copy(update={"id": fact_id})
    for c in old.citations:
        store.source(c.source)  # a source deleted since: clear error
    if old.superseded_by and not store.facts_by_ids([old.superseded_by]):
        old = old.model_copy(update={"superseded_by": None, "status": FactStatus.DISPUTED
                                     if old.status == FactStatus.SUPERSEDED else old.status})
    exists = bool(store.facts_by_ids([fact_id]))
    with store.transaction() as conn:
        if exists:
            before = store.fact(fact_id)
            rowid = conn.execute("SELECT rowid FROM facts WHERE id = ?", (fact_id,)).fetchone()[0]
            store._write_fact(conn, old, rowid)
        else:
            before = None
            store._write_fact(conn, old)
        store._history(conn, fact_id, f"restore {version}", before, old, analyst)
    return old


# -- sources ------------------------------------------------------------------------

SOURCE_FIELDS = ("title", "label", "outlet", "author", "published", "date_note", "kind", "language",
                 "reliability", "file", "notes")


def _source_history(conn: sqlite3.Connection, source_id: str, action: str, before: Source | None,
                    after: Source | None, analyst: str) -> None:
    dump = {"exclude": {"text"}}
    conn.execute(
        "INSERT INTO source_history (source_id, changed_at, analyst, action, before, after) VALUES (?,?,?,?,?,?)",
        (source_id, now(), analyst, action, before.model_dump_json(**dump) if before else None,  # type: ignore[arg-type]
         after.model_dump_json(**dump) if after else None),  # type: ignore[arg-type]
    )


def add_source(store: Store, source: Source, *, analyst: str, conn: sqlite3.Connection | None = None) -> None:
    def write(c: sqlite3.Connection) -> None:
        if c.execute("SELECT 1 FROM sources WHERE id = ?", (source.id,)).fetchone():
            raise StoreError(f"a source with id {source.id!r} already exists")
        store.add_source(source, c)
        _source_history(c, source.id, "add", None, source, analyst)

    if conn is not None:
        write(conn)
    else:
        with store.transaction() as c:
            write(c)


def edit_source(store: Store, source_id: str, *, analyst: str, **changes: Any) -> Source:
    """Correct a source's metadata or grade it.  The text never changes (quotes depend on it)."""
    unknown = set(changes) - set(SOURCE_FIELDS)
    if unknown:
        raise ValidationFailed(f"a source has no field {sorted(unknown)[0]!r}")
    with store.transaction() as conn:
        before = store.source(source_id)  # read under the write lock
        data = before.model_dump()
        data.update(changes)
        try:
            after = Source(**data)
        except ValidationError as exc:
            raise _validation(exc) from None
        if after.model_dump() == before.model_dump():
            return after
        conn.execute(
            "UPDATE sources SET title=?, label=?, outlet=?, author=?, published=?, date_note=?, kind=?, language=?,"
            " reliability=?, file=?, notes=? WHERE id=?",
            (after.title, after.label, after.outlet, after.author,
             after.published.isoformat() if after.published else None, after.date_note, str(after.kind),
             after.language, after.reliability, after.file, after.notes, source_id))
        _source_history(conn, source_id, "edit", before, after, analyst)
    return after


def source_history(store: Store, source_id: str) -> list[dict[str, Any]]:
    rows = store._q("SELECT id, changed_at, analyst, action, before, after FROM source_history"
                    " WHERE source_id = ? ORDER BY id", (source_id,))
    return [{"version": r[0], "changed_at": r[1], "analyst": r[2], "action": r[3],
             "before": json.loads(r[4]) if r[4] else None, "after": json.loads(r[5]) if r[5] else None}
            for r in rows]


def set_credibility(store: Store, fact_id: str, index: int, grade: int | None, *, analyst: str) -> Fact:
    """Grade citation number ``index`` (1-based) of a fact on the 1-6 credibility scale (None: ungraded)."""
    if grade is not None and not 1 <= grade <= 6:
        raise ValidationFailed("citation credibility is graded 1 (confirmed) to 6 (cannot be judged)")

    def apply(fact: Fact) -> Fact:
        if not 1 <= index <= len(fact.citations):
            raise ValidationFailed(f"fact {fact_id!r} has {len(fact.citations)} citation(s); "
                                   f"there is no number {index}")
        cites = list(fact.citations)
        cites[index - 1] = cites[index - 1].model_copy(update={"credibility": grade})
        return fact.model_copy(update={"citations": cites})

    return modify_fact(store, fact_id, apply, analyst=analyst)


def imported_source_by_hash(store: Store, content_hash: str) -> str | None:
    rows = store._q("SELECT id FROM sources WHERE content_hash = ? ORDER BY id LIMIT 1", (content_hash,))
    return rows[0][0] if rows else None


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_import(store: Store, source_id: str) -> dict[str, Any] | None:
    rows = store._q("SELECT imported_at, analyst, original_name, format, encoding, removed FROM source_imports"
                    " WHERE source = ?", (source_id,))
    if not rows:
        return None
    r = rows[0]
    return {"imported_at": r[0], "analyst": r[1], "original_name": r[2], "format": r[3], "encoding": r[4],
            "removed": json.loads(r[5])}


# -- glossary / aliases ------------------------------------------------------------


def find_entity(store: Store, name: str) -> GlossaryEntry | None:
    key = name.strip().lower()
    for g in store.glossary():
        if g.id == key or any(n.lower() == key for n in g.all_names()):
            return g
    return None


@_one_transaction
def add_alias(store: Store, name: str, alias: str, *, kind: str = "term", analyst: str) -> GlossaryEntry:
    """Record that ``alias`` names the same entity as ``name`` (created in the glossary if new)."""
    alias = alias.strip()
    if not alias:
        raise ValidationFailed("the alias is empty")
    entry = find_entity(store, name)
    other = find_entity(store, alias)
    if entry and other and other.id != entry.id:
        raise ValidationFailed(f"{alias!r} already names another glossary entry ({other.name}); "
                               "remove it there first")
    with store.transaction() as conn:
        if entry is None:
            base = slugify(name, max_words=8) or "entity"
            taken = {r[0] for r in conn.execute("SELECT id FROM glossary")}
            try:
                entry = GlossaryEntry(id=unique_id(base, taken), kind=kind, name=name.strip(), aliases=[],
                                      description=f"Added by {analyst} when resolving a conflict.")
            except ValidationError as exc:
                raise _validation(exc) from None
            conn.execute("INSERT INTO glossary (id, kind, name, aliases, japanese, japanese_from, description)"
                         " VALUES (?,?,?,?,?,?,?)", (entry.id, entry.kind, entry.name, "[]", None, None,
                                                     entry.description))
        if alias.lower() not in {n.lower() for n in entry.all_names()}:
            entry = entry.model_copy(update={"aliases": [*entry.aliases, alias]})
            conn.execute("UPDATE glossary SET aliases = ? WHERE id = ?",
                         (json.dumps(entry.aliases, ensure_ascii=False), entry.id))
    return entry


# -- conflict resolutions -----------------------------------------------------------


@dataclass(frozen=True)
class Resolution:
    key: str
    kind: str
    subject: str
    #: "dispute", "supersede", "alias", "dismiss", "self-contradiction" or "minor"
    action: str
    fact_id: str | None
    other_fact_id: str | None
    alias: str | None
    reason: str
    analyst: str
    resolved_at: str


def resolutions(store: Store) -> dict[str, Resolution]:
    rows = store._q("SELECT key, kind, subject, action, fact_id, other_fact_id, alias, reason, analyst, resolved_at"
                    " FROM conflict_resolutions")
    return {r[0]: Resolution(*r) for r in rows}


def record_resolution(store: Store, res: Resolution) -> None:
    with store.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO conflict_resolutions (key, kind, subject, action, fact_id, other_fact_id, alias,"
            " reason, analyst, resolved_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (res.key, res.kind, res.subject, res.action, res.fact_id, res.other_fact_id, res.alias, res.reason,
             res.analyst, res.resolved_at))


def forget_resolution(store: Store, key: str) -> None:
    with store.transaction() as conn:
        if conn.execute("DELETE FROM conflict_resolutions WHERE key = ?", (key,)).rowcount == 0:
            raise NotFoundError(f"no resolution recorded for conflict {key!r}")


# -- candidates -------------------------------------------------------------------


@dataclass
class StoredCandidate:
    id: int
    source: str
    pos: int
    statement: str
    quote: str
    location: str
    section: str | None
    reason: list[str]
    score: float
    as_of: date | None
    tags: list[str]
    near: list[dict[str, Any]] = field(default_factory=list)
    status: str = "pending"
    fact_id: str | None = None
    created_at: str = ""
    decided_at: str | None = None
    analyst: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "source": self.source, "pos": self.pos, "statement": self.statement,
                "quote": self.quote, "location": self.location, "section": self.section, "reason": self.reason,
                "score": self.score, "as_of": self.as_of.isoformat() if self.as_of else None, "tags": self.tags,
                "near_duplicates": self.near, "status": self.status, "fact_id": self.fact_id}


_CAND_COLS = ("id, source, pos, statement, quote, location, section, reason, score, as_of, tags, near, status,"
              " fact_id, created_at, decided_at, analyst")


def _candidate(r: sqlite3.Row) -> StoredCandidate:
    return StoredCandidate(
        id=r[0], source=r[1], pos=r[2], statement=r[3], quote=r[4], location=r[5], section=r[6],
        reason=json.loads(r[7]), score=r[8], as_of=date.fromisoformat(r[9]) if r[9] else None, tags=json.loads(r[10]),
        near=json.loads(r[11]), status=r[12], fact_id=r[13], created_at=r[14], decided_at=r[15], analyst=r[16])


def insert_candidate(conn: sqlite3.Connection, source_id: str, pos: int, statement: str, quote: str, location: str,
                     section: str | None, reason: list[str], score: float, as_of: date | None, tags: list[str],
                     near: list[dict[str, Any]], *, status: str = "pending", fact_id: str | None = None,
                     analyst: str = "") -> int:
    cur = conn.execute(
        f"INSERT INTO candidates ({_CAND_COLS.split(', ', 1)[1]}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (source_id, pos, statement, quote, location, section, json.dumps(reason, ensure_ascii=False), score,
         as_of.isoformat() if as_of else None, json.dumps(tags, ensure_ascii=False),
         json.dumps(near, ensure_ascii=False), status, fact_id, now(), now() if status != "pending" else None,
         analyst))
    return int(cur.lastrowid or 0)


def candidates(store: Store, *, status: str | None = "pending", source: str | None = None) -> list[StoredCandidate]:
    where, args = [], []
    if status:
        where.append("status = ?")
        args.append(status)
    if source:
        where.append("source = ?")
        args.append(source)
    sql = f"SELECT {_CAND_COLS} FROM candidates" + (" WHERE " + " AND ".join(where) if where else "")
    return [_candidate(r) for r in store._q(sql + " ORDER BY source, pos", args)]


def candidate(store: Store, cid: int) -> StoredCandidate:
    rows = store._q(f"SELECT {_CAND_COLS} FROM candidates WHERE id = ?", (cid,))
    if not rows:
        raise NotFoundError(f"no candidate number {cid} (see 'briefer candidates list')")
    return _candidate(rows[0])


def candidate_fact(store: Store, cand: StoredCandidate, *, statement: str | None = None,
                   section: str | None = None, as_of: date | None = None, tags: list[str] | None = None,
                   priority: int = 3, fact_id: str | None = None, taken: set[str] | None = None,
                   default_section: str | None = None) -> Fact:
    statement = (statement or cand.statement).strip()
    section = section or cand.section or default_section
    if not section:
        raise ValidationFailed(f"candidate {cand.id} has no suggested section: choose one (--section)")
    if taken is None:
        taken = {r[0] for r in store._q("SELECT id FROM facts")}
    fid = fact_id or unique_id(slugify(statement), taken, fallback_seed=f"{cand.source}:{cand.pos}:{statement}")
    return build_fact(id=fid, section=section, statement=statement,
                      citations=[{"source": cand.source, "quote": cand.quote, "location": cand.location}],
                      as_of=as_of or cand.as_of or date.today(), tags=cand.tags if tags is None else tags,
                      priority=priority)


@_one_transaction
def accept_candidate(store: Store, cid: int, *, analyst: str, **edits: Any) -> Fact:
    cand = candidate(store, cid)
    if cand.status != "pending":
        raise ValidationFailed(f"candidate {cid} was already {cand.status}")
    fact = candidate_fact(store, cand, **edits)
    fact = verify_citations(store, fact)
    with store.transaction() as conn:
        if conn.execute("SELECT 1 FROM facts WHERE id = ?", (fact.id,)).fetchone():
            raise StoreError(f"a fact with id {fact.id!r} already exists")
        store._write_fact(conn, fact)
        store._history(conn, fact.id, "add", None, fact, analyst)
        conn.execute("UPDATE candidates SET status='accepted', fact_id=?, decided_at=?, analyst=? WHERE id=?",
                     (fact.id, now(), analyst, cid))
    return fact


@_one_transaction
def reject_candidate(store: Store, cid: int, *, analyst: str) -> None:
    cand = candidate(store, cid)
    if cand.status != "pending":
        raise ValidationFailed(f"candidate {cid} was already {cand.status}")
    with store.transaction() as conn:
        conn.execute("UPDATE candidates SET status='rejected', decided_at=?, analyst=? WHERE id=?",
                     (now(), analyst, cid))


# -- resolving conflicts ---------------------------------------------------------------

RESOLUTION_ACTIONS = ("dispute", "supersede", "alias", "dismiss", "self-contradiction", "minor")


def resolution_actions(conflict: Any) -> list[str]:
    """The ways ``conflict`` can be resolved, by its case: only a disagreement between sources is marked
    disputed, only one source on every side is recorded as contradicting itself, only names are aliases."""
    case = getattr(conflict, "case", "disagreement")
    if conflict.kind == "name" or case == "alias":
        return ["alias", "supersede", "dismiss"]
    first = {"disagreement": ["dispute"], "self-contradiction": ["self-contradiction"]}.get(case, [])
    return [*first, "minor", "supersede", "dismiss"]


def _not_allowed(conflict: Any, action: str) -> str:
    """Why ``action`` cannot resolve ``conflict``, in a sentence."""
    case = getattr(conflict, "case", "disagreement")
    if conflict.kind == "name" or case == "alias":
        return "these are renderings of one name, not a dispute: record them as an alias"
    if action == "dispute":
        what = "one source contradicting itself" if case == "self-contradiction" else "a difference too small to matter"
        return (f"this is {what}, not a disagreement between sources: it cannot be marked disputed "
                "(dismiss it with the reason, or record it on the fact)")
    if action == "self-contradiction":
        n = len({src for side in conflict.sides for src in side.sources})
        return (f"its sides come from {n} sources, so it is not one source contradicting itself: mark the fact "
                "disputed, or record a minor difference")
    return "only names are recorded as aliases; this conflict is about what the sources say"


@_one_transaction
def resolve_conflict(store: Store, conflict: Any, *, action: str, reason: str, analyst: str,
                     fact_id: str | None = None, other_fact_id: str | None = None,
                     canonical: str | None = None, names: list[str] | None = None) -> Resolution:
    """Resolve ``conflict`` (a :class:`briefer.domain.conflicts.Conflict`):

    * ``dispute``: mark ``fact_id`` disputed, with the reason in its notes;
    * ``supersede``: mark ``fact_id`` superseded by ``other_fact_id``;
    * ``alias``: record the sides' names (or ``names``) as aliases of ``canonical``;
    * ``dismiss``: not a contradiction (the reason says why);
    * ``self-contradiction``: record on ``fact_id`` that one source says both (never disputed);
    * ``minor``: record on ``fact_id`` a difference too small to matter (never disputed).

    Recording a case on a fact cites each side, with the version its source gives in its own words.
    """
    if action not in RESOLUTION_ACTIONS:
        raise ValidationFailed(f"a conflict is resolved by {', '.join(RESOLUTION_ACTIONS)}, not {action!r}")
    if not reason.strip():
        raise ValidationFailed("give a reason for the resolution")
    if action not in resolution_actions(conflict):
        raise ValidationFailed(_not_allowed(conflict, action))
    alias_text = None
    if action == "dispute":
        if not fact_id:
            raise ValidationFailed("name the fact to mark disputed")
        _dispute(store, conflict, fact_id, reason=f"{conflict.question} {reason}", analyst=analyst)
    elif action in ("self-contradiction", "minor"):
        if not fact_id:
            raise ValidationFailed("name the fact to record it on")
        _record_case(store, conflict, fact_id, action, reason=f"{conflict.question} {reason}", analyst=analyst)
    elif action == "supersede":
        if not fact_id or not other_fact_id:
            raise ValidationFailed("name the older fact and the newer fact that replaces it")
        supersede(store, fact_id, other_fact_id, reason=reason, analyst=analyst)
    elif action == "alias":
        values = [s.value for s in conflict.sides]
        canonical = canonical or conflict.subject.split(":")[0]
        names = [n for n in (names or values) if n.lower() != canonical.lower()]
        if not names:
            raise ValidationFailed("there is no other name to record as an alias")
        kind = "term"
        if conflict.entity:
            entry = next((g for g in store.glossary() if g.id == conflict.entity), None)
            if entry:
                kind = entry.kind
        for n in names:
            add_alias(store, canonical, n, kind=kind, analyst=analyst)
        alias_text = f"{canonical} = {', '.join(names)}"
    res = Resolution(conflict.key, conflict.kind, conflict.subject, action, fact_id, other_fact_id, alias_text,
                     reason.strip(), analyst, now())
    record_resolution(store, res)
    return res


def _dispute(store: Store, conflict: Any, fact_id: str, *, reason: str, analyst: str) -> Fact:
    """Mark ``fact_id`` disputed on ``conflict``'s sides: only a disagreement between sources, and only with
    a citation for each side (the conflict's own sentence is cited for a side the fact does not cite yet),
    each citation giving the version its source holds, in that source's words (``resolve_conflict`` has
    checked that it is a disagreement)."""
    fact = store.fact(fact_id)
    cites = _side_citations(fact, conflict)
    notes = _append_note(fact.notes, f"Marked disputed: {reason.strip()}")
    return change_fact(store, fact_id, analyst=analyst, status=FactStatus.DISPUTED,
                       variance=Variance.DISAGREEMENT, superseded_by=None, citations=[c.model_dump() for c in cites],
                       notes=notes)


def _side_citations(fact: Fact, conflict: Any, *, each_version: bool = False) -> list[Citation]:
    """The fact's citations with each side of ``conflict`` cited, each citation from a side's source giving
    that side's version (the source's own words): the conflict's own sentence is cited for a side the fact
    does not cite yet.  ``each_version``: a source on two sides (contradicting itself) is cited once for
    each; otherwise a side counts as cited when one of its sources is."""
    from briefer.domain.variance import in_words
    from briefer.domain.variance import key as _key

    def version(side: Any, quote: str) -> str:
        if in_words(side.value, _key(quote)):
            return str(side.value)
        return " ".join(quote.split()[:12])  # the source's own words, never a paraphrase

    sides_of: dict[str, list[Any]] = {}
    for side in conflict.sides:
        for src in side.sources:
            sides_of.setdefault(src, []).append(side)
    def side_quoting(source: str, quote: str) -> Any:
        """The side of ``source`` whose sentence holds ``quote`` (or is held by it)."""
        k = _key(quote)
        for side in sides_of.get(source, []):
            if any(src == source and (k in _key(q) or _key(q) in k) for src, q in side.quotes):
                return side
        return None

    cites = []
    for c in fact.citations:
        sides = sides_of.get(c.source, [])
        side = (side_quoting(c.source, c.quote) if each_version and len(sides) > 1 else
                sides[-1] if sides else None)
        cites.append(c if c.claim or side is None else c.model_copy(update={"claim": version(side, c.quote)}))
    for side in conflict.sides:
        if not side.quotes:
            raise ValidationFailed(f"the side \u201c{side.value}\u201d has no sentence to cite; nothing was marked")
        if each_version:
            quoted = {(src, _key(q)) for src, q in side.quotes}
            cited = any((c.source, _key(c.quote)) in quoted or (c.source in side.sources and c.claim
                        and _key(c.claim) == _key(version(side, c.quote))) for c in cites)
        else:
            cited = any(c.source in side.sources for c in cites)
        if not cited:
            src, sentence = side.quotes[0]
            cites.append(Citation(source=src, quote=sentence, claim=version(side, sentence)))
    return cites


def _record_case(store: Store, conflict: Any, fact_id: str, case: str, *, reason: str, analyst: str) -> Fact:
    """Record on ``fact_id`` that ``conflict`` is one source contradicting itself, or a difference too small
    to matter: each side cited with its version; the fact is not disputed (a disputed fact goes back to
    current; ``resolve_conflict`` has checked that the case fits)."""
    fact = store.fact(fact_id)
    cites = _side_citations(fact, conflict, each_version=True)
    variance = Variance.SELF_CONTRADICTION if case == "self-contradiction" else Variance.MINOR
    what = "a self-contradiction of one source" if case == "self-contradiction" else \
        "a difference too small to matter"
    status = FactStatus.CURRENT if fact.status == FactStatus.DISPUTED else fact.status
    notes = _append_note(fact.notes, f"Recorded as {what}: {reason.strip()}")
    return change_fact(store, fact_id, analyst=analyst, status=status, variance=variance,
                       citations=[c.model_dump() for c in cites], notes=notes)


def briefing_flags(store: Store, fact_ids: Iterable[str], today: date, horizon_months: int) -> list[Any]:
    """Superseded, disputed, missing and stale facts among ``fact_ids`` (see :mod:`briefer.domain.supersession`)."""
    from briefer.domain.supersession import flag_facts

    facts = {f.id: f for f in store.facts()}
    return flag_facts(list(fact_ids), facts, today, horizon_months)


def history_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """What changed between two versions of a fact, one line each."""
    if before is None or after is None:
        return []
    out = []
    for key in ("id", "section", "statement", "as_of", "status", "superseded_by", "priority", "tags", "notes",
                "citations"):
        if before.get(key) != after.get(key):
            if key == "citations":
                out.append(f"citations: {len(before['citations'])} \u2192 {len(after['citations'])}" if
                           len(before["citations"]) != len(after["citations"]) else "citations changed")
            elif key in ("statement", "notes"):
                out.append(f"{key}: \u201c{textwrap.shorten(str(before.get(key)), 60)}\u201d \u2192 "
                           f"\u201c{textwrap.shorten(str(after.get(key)), 60)}\u201d")
            else:
                out.append(f"{key}: {before.get(key)} \u2192 {after.get(key)}")
    return out
