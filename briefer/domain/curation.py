"""Curation: facts added, edited, moved, tagged, superseded, restored; sources
added, corrected and graded; aliases recorded; conflicts resolved; candidate
facts from imports kept, accepted or rejected.

The rules live here; the store (:class:`briefer.store.api.FactStore`) keeps the
records.  Every change to a fact goes through the store's history (who, when,
before/after), every change to a source into its source history.  Each
function is one transaction.  Quotes are checked against the source text:
a citation whose quote is not in its source is refused.
"""

from __future__ import annotations

import hashlib
import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from briefer.domain.provenance import find_quote, locate
from briefer.domain.typography import count
from briefer.errors import NotFoundError, StaleEdit, ValidationFailed
from briefer.model import Citation, Fact, FactStatus, GlossaryEntry, Source, text_hash
from briefer.model.records import Resolution, StoredCandidate

if TYPE_CHECKING:
    from briefer.store.api import FactStore as Store

__all__ = ["Resolution", "StoredCandidate"]  # and the functions below; the records live in briefer.model


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


def edit_fact(store: Store, fact_id: str, fact: Fact, *, analyst: str, expected: Fact | None = None,
              expected_version: int | None = None, action: str = "edit") -> Fact:
    """Replace fact ``fact_id`` with ``fact``, in one write transaction.

    ``expected`` is the version the edit was based on (e.g. what an editor
    window showed): when the stored fact no longer equals it, the edit is
    refused with :class:`StaleEdit` instead of silently undoing the other change.
    ``expected_version`` is its version number: when the stored version has moved on, the edit is
    refused with :class:`~briefer.domain.versions.VersionConflict`, which names who changed it and
    when.  ``action`` is what the history records ("edit"; "merge" …)."""
    with store.transaction():
        before = store.fact(fact_id)
        if expected_version is not None:
            from briefer.domain import versions

            versions.check("fact", fact_id, expected_version, store.fact_version(fact_id), before)
        if expected is not None and expected.model_dump() != before.model_dump():
            raise _stale(fact_id, expected, before)
        if fact.citations != before.citations:
            fact = verify_citations(store, fact)
        _check_supersession(store, fact)
        if fact.model_dump() == before.model_dump():
            return fact
        store.update_fact(fact_id, fact, analyst=analyst, action=action)  # links to a renamed fact follow it
    return fact


def modify_fact(store: Store, fact_id: str, change: Callable[[Fact], Fact], *, analyst: str,
                expected_version: int | None = None) -> Fact:
    """Read fact ``fact_id``, compute its new version with ``change(fact)`` and
    save it, all in one write transaction: a parallel writer waits, so no
    change is lost and the history's "before" is what was really replaced.
    ``expected_version``: the version the change was meant for (refused when the fact moved on)."""
    from briefer import faults

    with store.transaction():
        if expected_version is not None:
            from briefer.domain import versions

            versions.check("fact", fact_id, expected_version, store.fact_version(fact_id), store.fact(fact_id))
        new = change(store.fact(fact_id))
        faults.step("fact-modify")  # read, not yet written: the write lock is held
        return edit_fact(store, fact_id, new, analyst=analyst, expected_version=expected_version)


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
    return store.superseding(fact_id)


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
    if store.facts_by_ids([fact_id]):
        store.update_fact(fact_id, old, analyst=analyst, action=f"restore {version}")
    else:
        store.add_fact(old, analyst=analyst, action=f"restore {version}")
    return old


# -- sources ------------------------------------------------------------------------

SOURCE_FIELDS = ("title", "label", "outlet", "author", "published", "date_note", "kind", "language",
                 "reliability", "file", "notes")


def add_source(store: Store, source: Source, *, analyst: str) -> None:
    store.add_source(source, analyst=analyst)


def edit_source(store: Store, source_id: str, *, analyst: str, expected_version: int | None = None,
                **changes: Any) -> Source:
    """Correct a source's metadata or grade it.  The text never changes (quotes depend on it).
    ``expected_version``: the version the change was based on (a newer stored one refuses it with
    :class:`~briefer.domain.versions.VersionConflict`)."""
    unknown = set(changes) - set(SOURCE_FIELDS)
    if unknown:
        raise ValidationFailed(f"a source has no field {sorted(unknown)[0]!r}")
    from briefer.store.damage import source_key

    with store.transaction():
        before = store.source(source_id)  # read under the write lock
        if expected_version is not None:
            from briefer.domain import versions

            versions.check("source", source_id, expected_version, store.source_version(source_id), before)
        data = before.model_dump()
        data.update(changes)
        try:
            after = Source(**data)
        except ValidationError as exc:
            raise _validation(exc) from None
        # a stored value that could not be read (the store noted it and shows its fallback) is written
        # when the change names it, even as the value shown: that is its repair; the others stay as stored
        repairs = [f for f in changes if source_key(source_id, f) in store.damaged]
        if after.model_dump() == before.model_dump() and not repairs:
            return after
        store.update_source(after, analyst=analyst, fields=changes)
    return after


def source_history(store: Store, source_id: str) -> list[dict[str, Any]]:
    return store.source_history(source_id)


def set_credibility(store: Store, fact_id: str, index: int, grade: int | None, *, analyst: str) -> Fact:
    """Grade citation number ``index`` (1-based) of a fact on the 1-6 credibility scale (None: ungraded)."""
    if grade is not None and not 1 <= grade <= 6:
        raise ValidationFailed("citation credibility is graded 1 (confirmed) to 6 (cannot be judged)")

    def apply(fact: Fact) -> Fact:
        if not 1 <= index <= len(fact.citations):
            raise ValidationFailed(f"fact {fact_id!r} has {count(len(fact.citations), 'citation')}; "
                                   f"there is no number {index}")
        cites = list(fact.citations)
        cites[index - 1] = cites[index - 1].model_copy(update={"credibility": grade})
        return fact.model_copy(update={"citations": cites})

    return modify_fact(store, fact_id, apply, analyst=analyst)


def imported_source_by_hash(store: Store, content_hash: str) -> str | None:
    return store.source_hashes().get(content_hash)


def content_hash(text: str) -> str:
    return text_hash(text)  # the store keeps the same hash of every source (source_hashes)


def source_import(store: Store, source_id: str) -> dict[str, Any] | None:
    return store.source_import(source_id)


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
    with store.transaction():
        if entry is None:
            base = slugify(name, max_words=8) or "entity"
            taken = {g.id for g in store.glossary()}
            try:
                entry = GlossaryEntry(id=unique_id(base, taken), kind=kind, name=name.strip(), aliases=[],
                                      description=f"Added by {analyst} when resolving a conflict.")
            except ValidationError as exc:
                raise _validation(exc) from None
            store.add_glossary_entry(entry)
        if alias.lower() not in {n.lower() for n in entry.all_names()}:
            entry = entry.model_copy(update={"aliases": [*entry.aliases, alias]})
            store.set_aliases(entry.id, entry.aliases)
    return entry


# -- conflict resolutions (records kept by the store) ------------------------------------


def resolutions(store: Store) -> dict[str, Resolution]:
    return store.resolutions()


def record_resolution(store: Store, res: Resolution) -> None:
    store.record_resolution(res)


def forget_resolution(store: Store, key: str) -> None:
    store.forget_resolution(key)


# -- candidates -------------------------------------------------------------------


def candidates(store: Store, *, status: str | None = "pending", source: str | None = None) -> list[StoredCandidate]:
    return store.candidates(status=status, source=source)


def candidate(store: Store, cid: int) -> StoredCandidate:
    return store.candidate(cid)


def candidate_fact(store: Store, cand: StoredCandidate, *, statement: str | None = None,
                   section: str | None = None, as_of: date | None = None, tags: list[str] | None = None,
                   priority: int = 3, fact_id: str | None = None, taken: set[str] | None = None,
                   default_section: str | None = None) -> Fact:
    statement = (statement or cand.statement).strip()
    section = section or cand.section or default_section
    if not section:
        raise ValidationFailed(f"candidate {cand.id} has no suggested section: choose one (--section)")
    if taken is None:
        taken = store.fact_ids()
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
    with store.transaction():
        store.add_fact(fact, analyst=analyst)  # refuses an id taken meanwhile
        store.decide_candidate(cid, "accepted", analyst=analyst, fact_id=fact.id)
    return fact


@_one_transaction
def reject_candidate(store: Store, cid: int, *, analyst: str) -> None:
    cand = candidate(store, cid)
    if cand.status != "pending":
        raise ValidationFailed(f"candidate {cid} was already {cand.status}")
    store.decide_candidate(cid, "rejected", analyst=analyst)


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
