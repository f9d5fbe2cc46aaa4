"""``briefer conflicts list/resolve/reopen``: contradictions between sources, found by the
conflict finder and resolved by the analyst with a reason.  Registered by
:mod:`briefer.commands.curation_cli`."""

from __future__ import annotations

import argparse
import textwrap
from typing import Any

from briefer.domain.typography import count
from briefer.errors import KnownError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    c = sub.add_parser("conflicts", help="contradictions between sources: list and resolve")
    csub = c.add_subparsers(dest="conflicts_command", metavar="ACTION", required=True)
    p = csub.add_parser("list", help="list conflicts (open ones; --all for resolved ones too)")
    p.add_argument("--all", action="store_true", help="also the resolved ones")
    p.add_argument("--fact", metavar="ID", help="only conflicts touching this fact")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=conflicts_list)
    p = csub.add_parser("resolve", help="resolve a conflict: dispute or supersede a fact, record an alias, "
                                        "record a self-contradiction or a minor difference on a fact, or "
                                        "dismiss it, always with a reason")
    p.add_argument("key", help="the conflict's key (from 'briefer conflicts list')")
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--dispute", metavar="FACT", help="mark FACT disputed")
    g.add_argument("--supersede", nargs=2, metavar=("OLD", "NEW"), help="mark OLD superseded by NEW")
    g.add_argument("--alias", metavar="CANONICAL", help="record the other names as aliases of CANONICAL")
    g.add_argument("--self-contradiction", metavar="FACT", dest="self_contradiction",
                   help="record on FACT that one source says both (not disputed)")
    g.add_argument("--minor", metavar="FACT", help="record on FACT a difference too small to matter (not disputed)")
    g.add_argument("--dismiss", action="store_true", help="not a contradiction")
    p.add_argument("--reason", required=True)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=conflicts_resolve)
    p = csub.add_parser("reopen", help="forget a recorded resolution")
    p.add_argument("key")
    p.set_defaults(handler=conflicts_reopen)


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
    from briefer.domain.source_names import name_sources

    sources = store.sources()  # each source named by its label, as the window does
    width = 100
    for c in shown:
        print(textwrap.fill(f"{conflict_head(c)} {name_sources(c.question, sources)} [{c.kind}]", width=width,
                            subsequent_indent="    "))
        print(f"    found by: {c.basis}")
        for s in c.sides:
            named = ", ".join(name_sources(x, sources) for x in s.sources)
            print(textwrap.fill(f"\u201c{s.value}\u201d \u2014 {named}"
                                + (f"; facts {', '.join(s.facts[:5])}" if s.facts else ""),
                                width=width, initial_indent="    - ", subsequent_indent="      "))
        if c.resolution:
            print(textwrap.fill(c.resolution, width=width, initial_indent="    \u2192 ", subsequent_indent="      "))
        print(f"    key: {c.key}")
    hidden = len(found) - len(shown)
    print(count(len(shown), "conflict") + (f"; {hidden} resolved not shown (--all)" if hidden else ""))
    return 0


def conflicts_resolve(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain.conflict_resolution import resolve_conflict
    from briefer.ingest.review import store_conflicts

    store = ctx.store()
    found = {c.key: c for c in store_conflicts(store)}
    conflict = found.get(args.key)
    if conflict is None:
        matches = [c for k, c in found.items() if k.startswith(args.key)]
        if len(matches) != 1:
            raise KnownError(f"no conflict with key {args.key!r} (see 'briefer conflicts list --all')")
        conflict = matches[0]
    from briefer.store.preferences import analyst_name

    analyst = analyst_name(ctx.data_dir)
    if args.dispute:
        res = resolve_conflict(store, conflict, action="dispute", fact_id=args.dispute, reason=args.reason,
                               analyst=analyst)
    elif args.supersede:
        res = resolve_conflict(store, conflict, action="supersede", fact_id=args.supersede[0],
                               other_fact_id=args.supersede[1], reason=args.reason, analyst=analyst)
    elif args.alias:
        res = resolve_conflict(store, conflict, action="alias", canonical=args.alias, reason=args.reason,
                               analyst=analyst)
    elif args.self_contradiction or args.minor:
        action = "self-contradiction" if args.self_contradiction else "minor"
        res = resolve_conflict(store, conflict, action=action, fact_id=args.self_contradiction or args.minor,
                               reason=args.reason, analyst=analyst)
    else:
        res = resolve_conflict(store, conflict, action="dismiss", reason=args.reason, analyst=analyst)
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
