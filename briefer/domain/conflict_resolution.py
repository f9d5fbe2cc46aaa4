"""Resolving a conflict the finder reported: what each case allows (one rule, which the CLI's
``conflicts resolve`` and the window's conflicts dialog both follow) and recording the analyst's
decision on the facts, each side cited in its source's own words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefer.domain.curation import (
    _append_note,
    _one_transaction,
    add_alias,
    change_fact,
    now,
    record_resolution,
    supersede,
)
from briefer.errors import ValidationFailed
from briefer.model import Citation, Fact, FactStatus, Variance
from briefer.model.records import Resolution

if TYPE_CHECKING:
    from briefer.store.api import FactStore as Store

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


