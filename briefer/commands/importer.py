"""``briefer import PATH…`` and ``briefer candidates …``: bring in new
documents and review the candidate facts proposed from them."""

from __future__ import annotations

import argparse
import textwrap
from collections import Counter
from pathlib import Path
from typing import Any

from briefer.commands.argtypes import iso_date as _date
from briefer.commands.argtypes import whole_number
from briefer.domain.typography import count
from briefer.errors import KnownError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "import", help="import documents (.txt .md .html .docx .pdf) as sources, with candidate facts to review",
        description="Read each document (encoding detected; page furniture such as navigation, related "
                    "articles, comments and image links removed), store it as a source, and propose candidate "
                    "facts with a suggested section and the terms that suggested it. The import is one "
                    "transaction: it completes, or the store is left as it was. A document already in the store "
                    "(same text) is not imported twice.")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--accept-all", action="store_true", help="turn every candidate into a fact at once")
    p.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    p.add_argument("--reliability", choices=list("ABCDEF"), help="grade the new sources (default F: not judged)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=import_cmd)

    c = sub.add_parser("candidates", help="review candidate facts proposed by 'briefer import'")
    csub = c.add_subparsers(dest="candidates_command", metavar="ACTION", required=True)
    q = csub.add_parser("list", help="list candidates (pending unless --status)")
    q.add_argument("--source", metavar="ID", help="only candidates from this source")
    q.add_argument("--status", choices=["pending", "accepted", "rejected", "all"], default="pending")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(handler=candidates_list)
    q = csub.add_parser("accept", help="turn candidates into facts (optionally edited)")
    q.add_argument("ids", nargs="+", type=whole_number, metavar="N")
    q.add_argument("--statement", help="the fact's statement (default: the sentence)")
    q.add_argument("--section", metavar="ID", help="the section (default: the suggested one)")
    q.add_argument("--as-of", type=_date, metavar="DATE", help="as_of date (default: the suggested one)")
    q.add_argument("--tag", action="append", metavar="TAG", help="tags (replace the suggested ones); repeatable")
    q.add_argument("--priority", type=whole_number, choices=range(1, 6), default=3, metavar="1-5")
    q.add_argument("--id", dest="fact_id", metavar="SLUG", help="the new fact's id (one candidate only)")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(handler=candidates_accept)
    q = csub.add_parser("reject", help="reject candidates (kept as rejected, not deleted)")
    q.add_argument("ids", nargs="+", type=whole_number, metavar="N")
    q.add_argument("--json", action="store_true", help="print JSON")
    q.set_defaults(handler=candidates_reject)


def _analyst(ctx: Any) -> str:
    from briefer.store.preferences import analyst_name

    return analyst_name(ctx.data_dir)


def _doc_json(doc: Any) -> dict[str, Any]:
    return {
        "file": str(doc.path), "source_id": doc.source_id, "format": doc.format, "encoding": doc.encoding,
        "title": doc.title, "author": doc.author, "published": doc.published.isoformat() if doc.published else None,
        "date_note": doc.date_note, "language": doc.language, "duplicate_of": doc.duplicate_of,
        "removed": [{"what": w, "excerpt": e} for w, e in doc.removed],
        "skipped_sentences": doc.skipped,
        "candidates": [
            {"pos": c.pos, "statement": c.statement, "quote": c.quote, "location": c.location, "section": c.section,
             "reason": c.reason, "score": c.score, "as_of": c.as_of.isoformat() if c.as_of else None,
             "as_of_from": c.as_of_note, "tags": c.tags,
             "near_duplicates": [{"fact": f, "similarity": s, "why": w} for f, s, w in c.near],
             "repeats_candidate": c.repeats}
            for c in doc.candidates
        ],
    }


def import_cmd(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.app.importing import analyse, import_plan, refuse_unreadable

    store = ctx.store()
    plan = analyse(list(args.paths), store)
    refuse_unreadable(plan)
    result = None
    if args.dry_run:
        if args.reliability:
            for doc in plan.documents:
                doc.reliability = args.reliability
    else:
        result = import_plan(plan, store, ctx.data_dir, accept_all=args.accept_all, reliability=args.reliability)
    if ctx.as_json:
        ctx.print_json({
            "dry_run": args.dry_run,
            "documents": [_doc_json(d) for d in plan.documents],
            "imported_sources": result.sources if result else [],
            "duplicates": [{"file": f, "source": s} for f, s in result.duplicates] if result else
                          [{"file": d.name, "source": d.duplicate_of} for d in plan.documents if d.duplicate_of],
            "facts_added": result.facts if result else [],
            "pending": result.pending if result else 0,
        })
        return 0
    for doc in plan.documents:
        print(f"{doc.name}: {doc.format}" + (f", {doc.encoding}" if doc.encoding else ""))
        if doc.duplicate_of:
            print(f"  already in the store as source {doc.duplicate_of!r} (same text): not imported again")
            continue
        when = doc.published.isoformat() if doc.published else "no date"
        print(f"  source {doc.source_id!r}: {doc.title or '(no title)'}" + (f" \u2014 {doc.author}" if doc.author
                                                                              else "") + f", {when}")
        if doc.removed:
            counts = Counter(w for w, _ in doc.removed)
            print("  removed: " + ", ".join(f"{k} ({n})" if n > 1 else k for k, n in counts.items()))
        skipped = sum(doc.skipped.values())
        print(f"  {count(len(doc.candidates), 'candidate fact')}"
              + (f"; {count(skipped, 'sentence')} skipped" if skipped else ""))
        for why, n in doc.skipped.items():
            if why.startswith("not analysed"):
                print(f"  {count(n, 'later sentence')} {why}")
        for c in doc.candidates:
            near = f"  \u26a0 near {', '.join(f for f, _, _ in c.near)}" if c.near else ""
            if c.repeats is not None:
                near += f"  (repeats [{c.repeats}])"
            print("    " + textwrap.shorten(f"[{c.pos}] {c.section}: {c.statement}", 100, placeholder=" …") + near)
    if result is None:
        print("Dry run: nothing was written.")
    elif args.accept_all:
        print(f"Imported {count(len(result.sources), 'source')} and added {count(len(result.facts), 'fact')}.")
    else:
        print(f"Imported {count(len(result.sources), 'source')}; {count(result.pending, 'candidate')} "
              f"{'waits' if result.pending == 1 else 'wait'} for review "
              "('briefer candidates list').")
    return 0


def candidates_list(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    store = ctx.store()
    if args.source:
        store.source(args.source)
    cands = curation.candidates(store, status=None if args.status == "all" else args.status, source=args.source)
    if ctx.as_json:
        ctx.print_json([c.to_json() for c in cands])
        return 0
    from briefer.domain.source_names import short_label

    labels = {s.id: short_label(s) for s in store.sources()}  # the analyst's name for it; the id for --source
    source = None
    for c in cands:
        if c.source != source:
            source = c.source
            print(f"{labels[source]} ({source}):" if source in labels else f"{source}:")
        flag = "" if c.status == "pending" else f" [{c.status.upper()}{' as ' + c.fact_id if c.fact_id else ''}]"
        print(textwrap.fill(f"#{c.id}{flag} \u2192 {c.section or '(no section)'}: {c.statement}", width=100,
                            initial_indent="  ", subsequent_indent="      "))
        print(f"      why: {', '.join(c.reason)}" + (f"; as of {c.as_of.isoformat()}" if c.as_of else ""))
        for n in c.near:
            print(f"      \u26a0 near-duplicate of fact {n['fact']} ({n['why']}, {n['similarity']:.0%})")
    print(count(len(cands), "candidate"))
    return 0


def candidates_accept(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    store = ctx.store()
    if args.fact_id and len(args.ids) > 1:
        raise KnownError("--id names one fact: accept one candidate at a time with it")
    if args.section:
        store.section(args.section)
    edits: dict[str, Any] = {"priority": args.priority}
    for key in ("statement", "section", "as_of", "fact_id"):
        if getattr(args, key):
            edits[key] = getattr(args, key)
    if args.tag is not None:
        edits["tags"] = args.tag
    analyst = _analyst(ctx)
    facts = [curation.accept_candidate(store, cid, analyst=analyst, **edits) for cid in args.ids]
    if ctx.as_json:
        from briefer.commands.facts import fact_json

        ctx.print_json([fact_json(f) for f in facts])
        return 0
    for cid, f in zip(args.ids, facts, strict=True):
        print(f"candidate #{cid} \u2192 fact {f.id} ({f.section})")
    return 0


def candidates_reject(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    store = ctx.store()
    analyst = _analyst(ctx)
    for cid in args.ids:
        curation.reject_candidate(store, cid, analyst=analyst)
    if ctx.as_json:
        ctx.print_json({"rejected": args.ids})
        return 0
    print(f"rejected {count(len(args.ids), 'candidate')}")
    return 0
