"""Curation commands: ``briefer facts add/edit/delete/move/tag/status/supersede/grade/history/restore``,
``briefer sources edit/grade/history``, ``briefer conflicts list/resolve/reopen`` and ``briefer config``.

Registered by :mod:`briefer.commands.facts`.  Every change is recorded with
the analyst's name (``BRIEFER_ANALYST``, ``settings.json`` or the OS user).
"""

from __future__ import annotations

import argparse
import textwrap
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from briefer.commands.argtypes import iso_date as _date
from briefer.domain.models import CREDIBILITY_LABELS, RELIABILITY_LABELS, Fact, FactStatus, SourceKind
from briefer.errors import KnownError, ValidationFailed


def _grade(value: str) -> str:
    v = value.strip().upper()
    if v not in RELIABILITY_LABELS:
        raise argparse.ArgumentTypeError(f"{value!r} is not a reliability grade (A-F)")
    return v


def _analyst(ctx: Any) -> str:
    from briefer.store.preferences import analyst_name

    return analyst_name(ctx.data_dir)


def _horizon(ctx: Any, args: argparse.Namespace | None = None) -> int:
    from briefer.store.preferences import stale_after_months

    given = getattr(args, "stale_months", None) if args is not None else None
    return int(given) if given else stale_after_months(ctx.data_dir)


def _print_fact(ctx: Any, fact: Fact, verb: str) -> int:
    if ctx.as_json:
        from briefer.commands.facts import fact_json

        ctx.print_json(fact_json(fact))
    else:
        print(f"{verb} fact {fact.id} ({fact.section}, {fact.status}, as of {fact.as_of.isoformat()})")
    return 0


# -- registration ------------------------------------------------------------------------


def register_fact_actions(fsub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = fsub.add_parser("add", help="add a fact with one or more verbatim citations")
    p.add_argument("--section", required=True, metavar="ID")
    p.add_argument("--statement", required=True, help="one or two neutral sentences in your words")
    p.add_argument("--cite", nargs=2, action="append", required=True, metavar=("SOURCE", "QUOTE"),
                   help="a citation: source id and a verbatim quote from it (repeatable)")
    p.add_argument("--as-of", type=_date, metavar="DATE", help="when the fact was true or reported (default today)")
    p.add_argument("--tag", action="append", default=[], metavar="KIND:VALUE", help="a tag (repeatable)")
    p.add_argument("--priority", type=int, choices=range(1, 6), default=3, metavar="1-5")
    p.add_argument("--notes", default="")
    p.add_argument("--id", dest="fact_id", metavar="SLUG", help="the fact's id (default: from the statement)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=fact_add)

    p = fsub.add_parser("edit", help="change a fact's statement, date, priority, notes or id")
    p.add_argument("id")
    p.add_argument("--statement")
    p.add_argument("--as-of", type=_date, metavar="DATE")
    p.add_argument("--priority", type=int, choices=range(1, 6), metavar="1-5")
    p.add_argument("--notes")
    p.add_argument("--section", metavar="ID")
    p.add_argument("--new-id", metavar="SLUG", help="rename the fact")
    p.add_argument("--add-cite", nargs=2, action="append", metavar=("SOURCE", "QUOTE"),
                   help="add a citation (verbatim quote)")
    p.add_argument("--remove-cite", type=int, action="append", metavar="N", help="remove citation number N")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=fact_edit)

    p = fsub.add_parser("move", help="move a fact to another section")
    p.add_argument("id")
    p.add_argument("section")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=fact_move)

    p = fsub.add_parser("tag", help="add or remove tags (kind:value)")
    p.add_argument("id")
    p.add_argument("--add", action="append", default=[], metavar="TAG")
    p.add_argument("--remove", action="append", default=[], metavar="TAG")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=fact_tag)

    p = fsub.add_parser("status", help="mark a fact current or disputed, with a reason")
    p.add_argument("id")
    p.add_argument("status", choices=["current", "disputed"])
    p.add_argument("--reason", required=True)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=fact_status)

    p = fsub.add_parser("supersede", help="mark a fact superseded by a newer one (linked both ways)")
    p.add_argument("old")
    p.add_argument("new")
    p.add_argument("--reason", required=True)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=fact_supersede)

    p = fsub.add_parser("grade", help="grade a citation's credibility (1 confirmed … 6 cannot be judged)")
    p.add_argument("id")
    p.add_argument("credibility", type=int, choices=range(0, 7), metavar="1-6",
                   help="1-6, or 0 to clear the grade")
    p.add_argument("--citation", type=int, default=1, metavar="N", help="which citation (default 1)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=fact_grade)

    p = fsub.add_parser("delete", help="delete a fact (warns if templates or editions use it)")
    p.add_argument("id")
    p.add_argument("--force", action="store_true", help="delete even if templates or saved editions use it")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=fact_delete)

    p = fsub.add_parser("history", help="every change to a fact: who, when, what")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=fact_history)

    p = fsub.add_parser("restore", help="restore a fact as it was at a history entry")
    p.add_argument("id")
    p.add_argument("version", type=int, help="the history entry number ('briefer facts history ID')")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=fact_restore)


def register_source_actions(ssub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = ssub.add_parser("edit", help="correct a source's metadata (its text never changes)")
    p.add_argument("id")
    p.add_argument("--title")
    p.add_argument("--label")
    p.add_argument("--outlet")
    p.add_argument("--author")
    p.add_argument("--published", metavar="DATE", help="YYYY-MM-DD, or 'unknown'")
    p.add_argument("--date-note")
    p.add_argument("--kind", choices=[str(k) for k in SourceKind])
    p.add_argument("--language")
    p.add_argument("--notes")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=source_edit)

    p = ssub.add_parser("grade", help="grade a source's reliability: A (completely reliable) … F (cannot be judged)")
    p.add_argument("id")
    p.add_argument("grade", type=_grade, metavar="A-F")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=source_grade)

    p = ssub.add_parser("history", help="every change to a source's metadata")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=source_history_cmd)


def register_groups(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    c = sub.add_parser("conflicts", help="contradictions between sources: list and resolve")
    csub = c.add_subparsers(dest="conflicts_command", metavar="ACTION", required=True)
    p = csub.add_parser("list", help="list conflicts (open ones; --all for resolved ones too)")
    p.add_argument("--all", action="store_true", help="also the resolved ones")
    p.add_argument("--fact", metavar="ID", help="only conflicts touching this fact")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=conflicts_list)
    p = csub.add_parser("resolve", help="resolve a conflict: dispute or supersede a fact, record an alias, "
                                        "or dismiss it, always with a reason")
    p.add_argument("key", help="the conflict's key (from 'briefer conflicts list')")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--dispute", metavar="FACT", help="mark FACT disputed")
    g.add_argument("--supersede", nargs=2, metavar=("OLD", "NEW"), help="mark OLD superseded by NEW")
    g.add_argument("--alias", metavar="CANONICAL", help="record the other names as aliases of CANONICAL")
    g.add_argument("--dismiss", action="store_true", help="not a contradiction")
    p.add_argument("--reason", required=True)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=conflicts_resolve)
    p = csub.add_parser("reopen", help="forget a recorded resolution")
    p.add_argument("key")
    p.set_defaults(handler=conflicts_reopen)

    p = sub.add_parser("config", help="show or set the analyst name and the staleness horizon")
    p.add_argument("--analyst", metavar="NAME", help="the name recorded in history (empty: the OS user name)")
    p.add_argument("--stale-months", type=int, metavar="N", help="facts older than N months are stale")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=config_cmd)


# -- facts ----------------------------------------------------------------------------------


def _citations(store: Any, pairs: list[list[str]]) -> list[dict[str, Any]]:
    out = []
    for source, quote in pairs:
        store.source(source)
        out.append({"source": source, "quote": quote})
    return out


def fact_add(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    store = ctx.store()
    store.section(args.section)
    with store.transaction():  # the free id is chosen under the write lock
        fid = args.fact_id or curation.unique_id(curation.slugify(args.statement), [f.id for f in store.facts()],
                                                 fallback_seed=args.statement)
        fact = curation.build_fact(id=fid, section=args.section, statement=args.statement,
                                   citations=_citations(store, args.cite), as_of=args.as_of or date.today(),
                                   tags=args.tag, priority=args.priority, notes=args.notes)
        fact = curation.add_fact(store, fact, analyst=_analyst(ctx))
    return _print_fact(ctx, fact, "added")


def fact_edit(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation
    from briefer.store.db import DamagedFact

    store = ctx.store()
    try:
        store.fact(args.id)
    except DamagedFact:
        if args.as_of is None:
            raise
        store.repair_fact_date(args.id, args.as_of)  # the stored date no longer parses: this edit gives one
    if args.section:
        store.section(args.section)
    added = _citations(store, args.add_cite or [])

    def apply(fact: Fact) -> Fact:  # on the fact as stored, under the write lock
        data = fact.model_dump()
        for key, attr in (("statement", "statement"), ("as_of", "as_of"), ("priority", "priority"),
                          ("notes", "notes"), ("section", "section"), ("id", "new_id")):
            value = getattr(args, attr)
            if value is not None:
                data[key] = value
        cites = list(data["citations"])
        for n in sorted(set(args.remove_cite or []), reverse=True):
            if not 1 <= n <= len(fact.citations):
                raise ValidationFailed(f"fact {args.id!r} has no citation number {n}")
            cites.pop(n - 1)
        data["citations"] = cites + added
        return curation.build_fact(**data)

    return _print_fact(ctx, curation.modify_fact(store, args.id, apply, analyst=_analyst(ctx)), "saved")


def fact_move(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    store = ctx.store()
    store.section(args.section)
    return _print_fact(ctx, curation.change_fact(store, args.id, analyst=_analyst(ctx), section=args.section), "moved")


def fact_tag(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    fact = curation.tag_fact(ctx.store(), args.id, add=args.add, remove=args.remove, analyst=_analyst(ctx))
    return _print_fact(ctx, fact, "tagged")


def fact_status(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    fact = curation.set_status(ctx.store(), args.id, args.status, reason=args.reason, analyst=_analyst(ctx))
    return _print_fact(ctx, fact, "marked")


def fact_supersede(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    fact = curation.supersede(ctx.store(), args.old, args.new, reason=args.reason, analyst=_analyst(ctx))
    return _print_fact(ctx, fact, f"superseded by {args.new}:")


def fact_grade(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    fact = curation.set_credibility(ctx.store(), args.id, args.citation, args.credibility or None,
                                    analyst=_analyst(ctx))
    return _print_fact(ctx, fact, "graded")


def _usage(ctx: Any, fact_id: str) -> Any:
    try:
        from briefer.domain.usage import fact_usage
    except ImportError:  # pragma: no cover - the templates part is not installed
        return None
    return fact_usage(ctx.store(), ctx.data_dir, fact_id)


def fact_delete(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    store = ctx.store()
    store.fact(args.id)
    usage = _usage(ctx, args.id)
    replaces = curation.supersedes(store, args.id)
    users = []
    if usage is not None:
        for t in usage.templates:
            users.append(f"template {t.template!r}" + (" (names it)" if t.how == "named-but-not-selected" else ""))
        users += [f"edition {e.number} of {e.template!r} ({e.exported_on.isoformat()})" for e in usage.editions]
    if replaces:
        users.append("as the replacement of " + ", ".join(replaces))
    if users and not args.force:
        raise KnownError(f"fact {args.id!r} is used by {'; '.join(users)}: not deleted (use --force to delete it "
                         "anyway; it can be restored from its history)")
    curation.delete_fact(store, args.id, analyst=_analyst(ctx))
    if ctx.as_json:
        ctx.print_json({"deleted": args.id, "was_used_by": users})
    else:
        if users:
            print(f"warning: fact {args.id} was used by {'; '.join(users)}")
        print(f"deleted fact {args.id} (restore it with 'briefer facts history {args.id}' and 'facts restore')")
    return 0


def fact_history(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    store = ctx.store()
    hist = store.history(args.id)
    if not hist:
        store.fact(args.id)  # unknown id: a clear error
    if ctx.as_json:
        ctx.print_json(hist)
        return 0
    if not hist:
        print(f"fact {args.id}: no changes recorded since it was loaded from the fact pack")
        return 0
    for h in hist:
        who = h["analyst"] or "unknown"
        print(f"#{h['version']}  {h['changed_at']}  {who}  {h['action']}")
        for line in curation.history_changes(h["before"], h["after"]):
            print(f"      {line}")
    return 0


def fact_restore(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    fact = curation.restore_fact(ctx.store(), args.id, args.version, analyst=_analyst(ctx))
    return _print_fact(ctx, fact, f"restored (history entry {args.version})")


def grade_filter(ctx: Any, args: argparse.Namespace, facts: list[Fact]) -> list[Fact]:
    """The list/search filters the store has no index for: stale, source reliability, citation credibility."""
    if getattr(args, "stale", False):
        from briefer.domain.freshness import is_stale

        horizon = _horizon(ctx)
        facts = [f for f in facts if is_stale(f, date.today(), horizon)]
    grades = (getattr(args, "reliability", None) or "").upper()
    if grades:
        bad = set(grades) - set(RELIABILITY_LABELS)
        if bad:
            raise KnownError(f"reliability grades are A to F, not {''.join(sorted(bad))}")
        graded = {s.id for s in ctx.store().sources() if s.reliability in grades}
        facts = [f for f in facts if any(c.source in graded for c in f.citations)]
    cred = getattr(args, "min_credibility", None)
    if cred:
        facts = [f for f in facts if any(c.credibility is not None and c.credibility <= cred for c in f.citations)]
    return facts


def show_extras(ctx: Any, fact: Fact, width: int) -> None:
    """What ``facts show`` adds: freshness, supersession links, grades' meaning, conflicts."""
    from briefer.domain import curation
    from briefer.domain.conflicts import conflicts_for_fact
    from briefer.domain.freshness import staleness
    from briefer.ingest.review import store_conflicts

    store = ctx.store()
    st = staleness(fact, date.today(), _horizon(ctx))
    if st.stale:
        print(f"  STALE: as of {fact.as_of.isoformat()}, {st.age_months} months ago")
    if fact.superseded_by:
        print(f"  superseded by: {fact.superseded_by}")
    replaces = curation.supersedes(store, fact.id)
    if replaces:
        print(f"  supersedes: {', '.join(replaces)}")
    for c in fact.citations:
        if c.credibility:
            print(f"  credibility of the {c.source} citation: {c.credibility} ({CREDIBILITY_LABELS[c.credibility]})")
    for c in conflicts_for_fact(store_conflicts(store), fact.id):
        state = "open" if c.open else f"resolved: {c.resolution}"
        print(textwrap.fill(f"conflict {c.key}: {c.question} [{state}]", width=width, initial_indent="  ",
                            subsequent_indent="      "))


# -- facts check additions ------------------------------------------------------------------


@dataclass
class CheckExtras:
    today: date
    horizon: int
    conflicts: list[Any] = field(default_factory=list)
    stale: list[Any] = field(default_factory=list)
    superseded: list[Fact] = field(default_factory=list)
    broken_links: list[tuple[str, str]] = field(default_factory=list)
    pending_candidates: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "conflicts": [c.to_json() for c in self.conflicts],
            "open_conflicts": sum(1 for c in self.conflicts if c.open),
            "today": self.today.isoformat(),
            "stale_after_months": self.horizon,
            "stale": [{"id": s.fact_id, "as_of": s.as_of.isoformat(), "age_months": s.age_months}
                      for s in self.stale],
            "superseded": [{"id": f.id, "superseded_by": f.superseded_by} for f in self.superseded],
            "broken_supersession_links": [{"id": a, "superseded_by": b} for a, b in self.broken_links],
            "pending_candidates": self.pending_candidates,
        }

    def print(self, width: int) -> None:
        open_ = [c for c in self.conflicts if c.open]
        print(f"\n{len(self.conflicts)} conflict(s) between sources ({len(open_)} open, "
              f"{len(self.conflicts) - len(open_)} resolved):")
        for c in self.conflicts:
            print(textwrap.fill(f"{conflict_head(c)} {c.question}", width=width, initial_indent="  ",
                                subsequent_indent="      "))
            for s in c.sides:
                srcs = ", ".join(s.sources)
                print(textwrap.fill(f"\u201c{s.value}\u201d \u2014 {srcs}", width=width, initial_indent="      - ",
                                    subsequent_indent="        "))
            if c.resolution:
                print(textwrap.fill(c.resolution, width=width, initial_indent="      \u2192 ",
                                    subsequent_indent="        "))
            print(f"      key: {c.key}")
        print(f"\n{len(self.stale)} stale fact(s) (as of before {self._cutoff()}, {self.horizon} months "
              f"before {self.today.isoformat()}):")
        for s in self.stale[:50]:
            print(f"  {s.fact_id}  (as of {s.as_of.isoformat()}, {s.age_months} months)")
        if len(self.stale) > 50:
            print(f"  … and {len(self.stale) - 50} more ('briefer facts list --stale')")
        if self.superseded:
            print(f"\n{len(self.superseded)} superseded fact(s):")
            for f in self.superseded:
                print(f"  {f.id} \u2192 {f.superseded_by}")
        for a, b in self.broken_links:
            print(f"  warning: {a} is superseded by {b}, which is not in the store")
        if self.pending_candidates:
            print(f"\n{self.pending_candidates} candidate fact(s) from imports wait for review "
                  "('briefer candidates list').")

    def _cutoff(self) -> str:
        from briefer.domain.freshness import cutoff

        return cutoff(self.today, self.horizon).isoformat()


def check_extras(ctx: Any, args: argparse.Namespace) -> CheckExtras:
    from briefer.domain import curation
    from briefer.domain.freshness import stale_facts
    from briefer.ingest.review import store_conflicts

    store = ctx.store()
    today = getattr(args, "today", None) or date.today()
    horizon = _horizon(ctx, args)
    facts = store.facts()
    ids = {f.id for f in facts}
    superseded = [f for f in facts if f.status == FactStatus.SUPERSEDED]
    return CheckExtras(
        today=today, horizon=horizon, conflicts=store_conflicts(store), stale=stale_facts(facts, today, horizon),
        superseded=superseded,
        broken_links=[(f.id, f.superseded_by) for f in facts if f.superseded_by and f.superseded_by not in ids],
        pending_candidates=len(curation.candidates(store)),
    )


# -- sources --------------------------------------------------------------------------------


def _print_source(ctx: Any, src: Any, verb: str) -> int:
    if ctx.as_json:
        from briefer.commands.facts import source_json

        ctx.print_json(source_json(src))
    else:
        print(f"{verb} source {src.id}: {src.display_title} (reliability {src.reliability} \u2014 "
              f"{RELIABILITY_LABELS[src.reliability]})")
    return 0


def source_edit(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    changes: dict[str, Any] = {}
    for key in ("title", "label", "outlet", "author", "date_note", "kind", "language", "notes"):
        value = getattr(args, key)
        if value is not None:
            changes[key] = value if value != "" or key in ("date_note", "notes") else None
    if args.published is not None:
        if args.published.lower() in ("", "unknown", "none"):
            changes["published"] = None
        else:
            try:
                changes["published"] = date.fromisoformat(args.published)
            except ValueError:
                raise ValidationFailed(f"{args.published!r} is not a date (YYYY-MM-DD, or 'unknown')") from None
    if not changes:
        raise KnownError("nothing to change: give at least one of --title, --author, --published …")
    src = curation.edit_source(ctx.store(), args.id, analyst=_analyst(ctx), **changes)
    return _print_source(ctx, src, "saved")


def source_grade(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    src = curation.edit_source(ctx.store(), args.id, analyst=_analyst(ctx), reliability=args.grade)
    return _print_source(ctx, src, "graded")


def source_history_cmd(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    store = ctx.store()
    store.source(args.id)
    hist = curation.source_history(store, args.id)
    if ctx.as_json:
        ctx.print_json(hist)
        return 0
    for h in hist:
        changed = [k for k in (h["after"] or {}) if h["before"] and h["before"].get(k) != h["after"].get(k)]
        print(f"#{h['version']}  {h['changed_at']}  {h['analyst'] or 'unknown'}  {h['action']}"
              + (f"  ({', '.join(changed)})" if changed else ""))
    if not hist:
        print(f"source {args.id}: no changes recorded")
    return 0


# -- conflicts ----------------------------------------------------------------------------------


def conflict_head(c: Any) -> str:
    """"[OPEN] candidate disagreement between sources:" — the state and the case, as a reader says them."""
    from briefer.domain.conflicts import CASE_TEXT

    case = CASE_TEXT.get(getattr(c, "case", "disagreement"), c.kind)
    if c.open:
        return f"[OPEN] candidate {case}, for the analyst to confirm:"
    return f"[resolved] {case}:"


def conflicts_list(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain.conflicts import conflicts_for_fact
    from briefer.ingest.review import store_conflicts

    store = ctx.store()
    found = store_conflicts(store)
    if args.fact:
        store.fact(args.fact)
        found = conflicts_for_fact(found, args.fact)
    shown = found if args.all else [c for c in found if c.open]
    if ctx.as_json:
        ctx.print_json([c.to_json() for c in shown])
        return 0
    extras = CheckExtras(date.today(), 12, conflicts=shown)
    width = 100
    for c in shown:
        print(textwrap.fill(f"{conflict_head(c)} {c.question} [{c.kind}]", width=width, subsequent_indent="    "))
        print(f"    found by: {c.basis}")
        for s in c.sides:
            print(textwrap.fill(f"\u201c{s.value}\u201d \u2014 {', '.join(s.sources)}"
                                + (f"; facts {', '.join(s.facts[:5])}" if s.facts else ""),
                                width=width, initial_indent="    - ", subsequent_indent="      "))
        if c.resolution:
            print(textwrap.fill(c.resolution, width=width, initial_indent="    \u2192 ", subsequent_indent="      "))
        print(f"    key: {c.key}")
    del extras
    hidden = len(found) - len(shown)
    print(f"{len(shown)} conflict(s)" + (f"; {hidden} resolved not shown (--all)" if hidden else ""))
    return 0


def conflicts_resolve(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation
    from briefer.ingest.review import store_conflicts

    store = ctx.store()
    found = {c.key: c for c in store_conflicts(store)}
    conflict = found.get(args.key)
    if conflict is None:
        matches = [c for k, c in found.items() if k.startswith(args.key)]
        if len(matches) != 1:
            raise KnownError(f"no conflict with key {args.key!r} (see 'briefer conflicts list --all')")
        conflict = matches[0]
    analyst = _analyst(ctx)
    if args.dispute:
        res = curation.resolve_conflict(store, conflict, action="dispute", fact_id=args.dispute, reason=args.reason,
                                        analyst=analyst)
    elif args.supersede:
        res = curation.resolve_conflict(store, conflict, action="supersede", fact_id=args.supersede[0],
                                        other_fact_id=args.supersede[1], reason=args.reason, analyst=analyst)
    elif args.alias:
        res = curation.resolve_conflict(store, conflict, action="alias", canonical=args.alias, reason=args.reason,
                                        analyst=analyst)
    else:
        res = curation.resolve_conflict(store, conflict, action="dismiss", reason=args.reason, analyst=analyst)
    if ctx.as_json:
        ctx.print_json(res.__dict__)
    else:
        print(f"resolved {conflict.key} ({res.action}): {res.reason}")
    return 0


def conflicts_reopen(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    curation.forget_resolution(ctx.store(), args.key)
    print(f"reopened {args.key}")
    return 0


def config_cmd(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.store import preferences

    if args.analyst is not None or args.stale_months is not None:
        if args.stale_months is not None and not 1 <= args.stale_months <= 600:
            raise ValidationFailed("the staleness horizon must be between 1 and 600 months")
        if args.analyst:
            preferences.check_analyst_name(args.analyst)
        preferences.save(ctx.data_dir, analyst=(args.analyst.strip() or None) if args.analyst is not None else
                         preferences._read(ctx.data_dir).get("analyst"),
                         stale_after_months=args.stale_months if args.stale_months is not None else
                         preferences._read(ctx.data_dir).get("stale_after_months"))
    data = {"analyst": preferences.analyst_name(ctx.data_dir),
            "stale_after_months": preferences.stale_after_months(ctx.data_dir),
            "settings_file": str(ctx.data_dir / preferences.SETTINGS_FILE)}
    if ctx.as_json:
        ctx.print_json(data)
    else:
        for k, v in data.items():
            print(f"{k:20} {v}")
    return 0
