"""``briefer facts …``, ``briefer sources …``, ``briefer sections …``."""

from __future__ import annotations

import argparse
import shutil
import sys
import textwrap
from typing import Any

from briefer.commands.argtypes import iso_date as _date
from briefer.commands.argtypes import positive_int as _positive
from briefer.commands.argtypes import whole_number
from briefer.domain.models import RELIABILITY_LABELS, Fact, Source
from briefer.domain.typography import count, nested_quotes
from briefer.errors import KnownError


def fact_json(fact: Fact) -> dict[str, Any]:
    """The documented JSON shape of a fact (``--json`` output)."""
    return {
        "id": fact.id,
        "section": fact.section,
        "statement": fact.statement,
        "citations": [
            {"source": c.source, "quote": c.quote, "location": c.location, "claim": c.claim,
             "credibility": c.credibility}
            for c in fact.citations
        ],
        "status": str(fact.status),
        "as_of": fact.as_of.isoformat(),
        "tags": list(fact.tags),
        "priority": fact.priority,
        "notes": fact.notes,
        "superseded_by": fact.superseded_by,
        "variance": str(fact.variance) if fact.variance else None,
    }


def source_json(src: Source, *, with_text: bool = False) -> dict[str, Any]:
    data = src.model_dump(mode="json", exclude=set() if with_text else {"text"})
    data["display_title"] = src.display_title
    return data


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 20)).columns, 140))


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    facts = sub.add_parser("facts", help="list, search, show and check the sourced facts")
    fsub = facts.add_subparsers(dest="facts_command", metavar="ACTION", required=True)

    p = fsub.add_parser("list", help="list facts, by section and priority")
    _filters(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=facts_list)

    p = fsub.add_parser("search", help="full-text search (English stems and prefixes, names, Japanese)")
    p.add_argument("query")
    _filters(p)
    p.add_argument("--limit", type=_positive, default=20, metavar="N", help="at most N results (default 20)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=facts_search)

    p = fsub.add_parser("show", help="one fact with its citations")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=facts_show)

    p = fsub.add_parser("check", help="verify every quote against its source; list conflicts between sources, "
                                      "disputed, superseded and stale facts")
    p.add_argument("--today", type=_date, metavar="DATE", help="judge staleness as of DATE (default: today)")
    p.add_argument("--stale-months", type=_positive, metavar="N",
                   help="a fact older than N months is stale (default: the setting, else 12)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=facts_check)

    from briefer.commands import curation_cli

    curation_cli.register_fact_actions(fsub)

    sources = sub.add_parser("sources", help="the source documents")
    ssub = sources.add_subparsers(dest="sources_command", metavar="ACTION", required=True)
    p = ssub.add_parser("list", help="list the sources")
    p.add_argument("--reliability", metavar="GRADES", help="only sources graded one of GRADES, e.g. AB")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=sources_list)
    p = ssub.add_parser("show", help="one source, with --text its full text")
    p.add_argument("id")
    p.add_argument("--text", action="store_true", help="print the full text too")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=sources_show)
    curation_cli.register_source_actions(ssub)

    sections = sub.add_parser("sections", help="the briefing sections")
    ssub = sections.add_subparsers(dest="sections_command", metavar="ACTION", required=True)
    p = ssub.add_parser("list", help="list the sections in their default order, with fact counts")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=sections_list)

    curation_cli.register_groups(sub)


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--section", metavar="ID", help="only this section")
    p.add_argument("--status", choices=["current", "disputed", "superseded"], help="only this status")
    p.add_argument("--source", metavar="ID", help="only facts citing this source")
    p.add_argument("--tag", metavar="TAG", help="only facts with this tag, e.g. person:Shigeru Ishiba")
    p.add_argument("--since", type=_date, metavar="DATE", help="as_of on or after DATE")
    p.add_argument("--until", type=_date, metavar="DATE", help="as_of on or before DATE")
    p.add_argument("--stale", action="store_true", help="only stale facts (older than the staleness horizon)")
    p.add_argument("--reliability", metavar="GRADES",
                   help="only facts citing a source graded one of GRADES, e.g. AB (A-F)")
    p.add_argument("--min-credibility", type=whole_number, choices=range(1, 7), metavar="1-6",
                   help="only facts with a citation graded this credible or better (1 = confirmed)")


def _filter(ctx: Any, args: argparse.Namespace) -> Any:
    """The store filter of the list/search options: every one of them applied by the store, before
    ``--limit`` (the rule the window's library follows too: :func:`briefer.app.search.fact_filter`)."""
    from briefer.app.search import fact_filter

    store = ctx.store()
    if args.section:
        store.section(args.section)  # unknown id -> clear error
    if args.source:
        store.source(args.source)
    horizon = None
    if args.stale:
        from briefer.store.preferences import stale_after_months

        horizon = stale_after_months(ctx.data_dir)
    return fact_filter(section=args.section, status=args.status, source=args.source, tag=args.tag,
                       since=args.since, until=args.until, reliability=args.reliability,
                       min_credibility=args.min_credibility, stale=args.stale, horizon_months=horizon)


def _one_line(fact: Fact, width: int) -> str:
    flag = {"current": "", "disputed": " [DISPUTED]", "superseded": " [SUPERSEDED]"}[str(fact.status)]
    head = f"{fact.id}{flag}  ({fact.section}, {fact.as_of.isoformat()})"
    body = textwrap.shorten(fact.statement, width - 4, placeholder=" …")
    return f"{head}\n    {body}"


def facts_list(ctx: Any, args: argparse.Namespace) -> int:
    facts = ctx.store().facts(_filter(ctx, args))
    if ctx.as_json:
        ctx.print_json([fact_json(f) for f in facts])
        return 0
    width = _width()
    for f in facts:
        print(_one_line(f, width))
    print(count(len(facts), "fact"))
    return 0


def facts_search(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.app.search import search_facts

    if not args.query.strip():
        raise KnownError("the search query is empty")
    found = search_facts(ctx.store(), args.query, _filter(ctx, args), limit=args.limit)
    hits = found.hits
    if found.note:
        print(f"briefer: note: {found.note}", file=sys.stderr)
    if ctx.as_json:
        ctx.print_json([{**fact_json(h.fact), "snippet": h.snippet, "score": h.score} for h in hits])
        return 0
    width = _width()
    for h in hits:
        print(_one_line(h.fact, width))
        if h.snippet and h.snippet != h.fact.statement:
            print("    \u2192 " + textwrap.shorten(h.snippet.replace("\n", " "), width - 6, placeholder=" …"))
    print(f"{count(len(hits), 'result')} for {args.query!r}")
    return 0


def facts_show(ctx: Any, args: argparse.Namespace) -> int:
    store = ctx.store()
    if ctx.as_json:  # with the version it is at: what 'facts edit --from' and --expect-version are given
        from briefer.commands.fact_file_edit import fact_document

        ctx.print_json(fact_document(store, args.id))
        return 0
    fact = store.fact(args.id)
    width = _width()
    wrap = textwrap.TextWrapper(width=width, initial_indent="  ", subsequent_indent="  ")
    print(f"{fact.id}  [{fact.status}]")
    if fact.variance:
        from briefer.domain.variance import CASE_LABELS

        print(f"  the sources differ: {CASE_LABELS[fact.variance]} ({fact.variance})")
    print(f"  section: {fact.section}   as of: {fact.as_of.isoformat()}   priority: {fact.priority}")
    print(wrap.fill(fact.statement))
    if fact.tags:
        print("  tags: " + ", ".join(fact.tags))
    for i, c in enumerate(fact.citations, 1):
        src = store.source(c.source)
        grade = f"; source {src.reliability}" + (f"{c.credibility}" if c.credibility else "")
        print(f"  [{i}] {src.display_title} ({c.source}, {c.location}{grade})")
        print(textwrap.fill(f"\u201c{nested_quotes(c.quote)}\u201d", width=width, initial_indent="      ",
                            subsequent_indent="      "))
        if c.claim:
            print(textwrap.fill(f"version: {c.claim}", width=width, initial_indent="      ",
                                subsequent_indent="      "))
    if fact.notes:
        # the pack's notes say "001 and 003 agree" (seed files' numbers): the analyst reads labels
        from briefer.domain.source_names import name_sources

        print(wrap.fill("notes: " + name_sources(fact.notes, store.sources())))
    from briefer.commands.curation_cli import show_extras

    show_extras(ctx, fact, width)
    return 0


def facts_check(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.commands.curation_cli import check_extras
    from briefer.domain.checks import run_checks
    from briefer.domain.pack_rules import check_rules
    from briefer.domain.variance import fact_versions

    store = ctx.store()
    all_sources = store.sources(with_text=True)
    report = run_checks(store.facts(), all_sources, store.glossary())
    rule_problems = check_rules(store.facts(), all_sources)
    ok = report.ok and not rule_problems
    extra = check_extras(ctx, args)
    if ctx.as_json:
        ctx.print_json({
            "ok": ok,
            "facts_checked": report.facts_checked,
            "citations_checked": report.citations_checked,
            "quote_problems": [p.__dict__ for p in report.quote_problems],
            "disputed": [{"id": f.id, "statement": f.statement,
                          "versions": [{"source": c.source, "claim": c.claim, "quote": c.quote}
                                       for c in f.citations],
                          "sides": [{"version": v.claim, "sources": v.sources} for v in fact_versions(f)]}
                         for f in report.disputed],
            "self_contradictions": [{"id": f.id, "statement": f.statement, "sources": _inconsistent(f)}
                                    for f in report.self_contradictions],
            "aliases": [{"id": f.id, "renderings": [{"source": c.source, "name": c.claim} for c in f.citations
                                                    if c.claim]} for f in report.aliases],
            "minor_differences": [{"id": f.id, "wordings": [{"source": c.source, "text": c.claim}
                                                            for c in f.citations if c.claim]} for f in report.minor],
            "variance_problems": [{"fact": fid, "rule": rule} for fid, rule in report.variance_problems],
            "alias_conflicts": [{"entity": a.entry.name, "kind": a.entry.kind, "names": a.names}
                                for a in report.alias_conflicts],
            "rule_problems": [{"id": p.fact_id, "rule": p.rule, "message": p.message} for p in rule_problems],
            **extra.to_json(),
        })
        return 0 if ok else 1
    width = _width()
    from briefer.domain.source_names import short_label

    labels = {s.id: short_label(s) for s in all_sources}
    print(f"Checked {count(report.citations_checked, 'citation')} of {count(report.facts_checked, 'fact')} "
          "against their sources.")
    if report.quote_problems:
        n_bad = len(report.quote_problems)
        print(f"\n{count(n_bad, 'quote')} NOT FOUND in {'its' if n_bad == 1 else 'their'} source:")
        for p in report.quote_problems:
            print(f"  {p.fact_id} \u2192 {labels.get(p.source_id, p.source_id)}: {p.reason}")
            print(textwrap.fill(f"\u201c{nested_quotes(p.quote)}\u201d", width=width, initial_indent="      ",
                                subsequent_indent="      "))
    else:
        print("Every quote was found in its source.")
    if rule_problems:
        print(f"\n{count(len(rule_problems), 'problem')} with the fact-checking rules:")
        for problem in rule_problems:
            print(textwrap.fill(str(problem), width=width, initial_indent="  ", subsequent_indent="      "))
    else:
        print("Every fact keeps the fact-checking rules (quotes end on a full phrase, one fact per passage, "
              "single weak sources named, no store vocabulary, no unnamed 'reports say', countries joined by "
              "an en dash).")
    if report.variance_problems:
        n_bad = len(report.variance_problems)
        print(f"\n{count(n_bad, 'recorded difference')} (a dispute, an alias or an inconsistency) "
              f"{'breaks' if n_bad == 1 else 'break'} a rule:")
        for fid, rule in report.variance_problems:
            print(textwrap.fill(f"{fid}: {rule}", width=width, initial_indent="  ", subsequent_indent="      "))
    print(f"\n{count(len(report.disputed), 'disputed fact')} (sources disagree), most-supported version first:")
    for f in report.disputed:
        print(f"  {f.id}: " + textwrap.shorten(f.statement, width - len(f.id) - 4, placeholder=" …"))
        for v in fact_versions(f):
            n = len(v.sources)
            print(textwrap.fill(f"\u201c{v.claim}\u201d \u2014 {count(n, 'source')}: "
                                f"{', '.join(labels.get(s, s) for s in v.sources)}", width=width,
                                initial_indent="      - ",
                                subsequent_indent="        "))
    n_self = len(report.self_contradictions)
    print(f"\n{count(n_self, 'internal inconsistency', 'internal inconsistencies')}"
          " (one source contradicts itself; not a dispute):")
    for f in report.self_contradictions:
        print(f"  {f.id}: {', '.join(labels.get(s, s) for s in _inconsistent(f))} says both:")
        for c in f.citations:
            if c.claim and c.source in _inconsistent(f):
                print(textwrap.fill(f"\u201c{c.claim}\u201d", width=width, initial_indent="      - ",
                                    subsequent_indent="        "))
    print(f"\n{count(len(report.aliases), 'alias', 'aliases')} recorded "
          "(one name rendered differently; not a dispute):")
    for f in report.aliases:
        names = "; ".join(f"\u201c{c.claim}\u201d ({labels.get(c.source, c.source)})"
                          for c in f.citations if c.claim)
        print(textwrap.fill(f"{f.id}: {names}", width=width, initial_indent="  ", subsequent_indent="      "))
    print(f"\n{count(len(report.minor), 'difference')} too small to matter (not a dispute):")
    for f in report.minor:
        words = "; ".join(f"\u201c{c.claim}\u201d ({labels.get(c.source, c.source)})"
                          for c in f.citations if c.claim)
        print(textwrap.fill(f"{f.id}: {words}", width=width, initial_indent="  ", subsequent_indent="      "))
    print(f"\n{count(len(report.alias_conflicts), 'name')} rendered differently by different sources:")
    for a in report.alias_conflicts:
        names = "; ".join(f"\u201c{n}\u201d ({', '.join(labels.get(x, x) for x in s)})"
                          for n, s in a.names.items())
        print(textwrap.fill(f"{a.entry.name}: {names}", width=width, initial_indent="  ",
                            subsequent_indent="      "))
    extra.print(width)
    return 0 if ok else 1


def _inconsistent(fact: Fact) -> list[str]:
    from briefer.domain.variance import self_contradicting_sources

    return sorted(self_contradicting_sources([fact]))


def sources_list(ctx: Any, args: argparse.Namespace) -> int:
    sources = ctx.store().sources()
    if args.reliability:
        bad = set(args.reliability.upper()) - set("ABCDEF")
        if bad:
            raise KnownError(f"reliability grades are A to F, not {''.join(sorted(bad))}")
        sources = [s for s in sources if s.reliability in args.reliability.upper()]
    if ctx.as_json:
        ctx.print_json([source_json(s) for s in sources])
        return 0
    for s in sources:
        when = s.published.isoformat() if s.published else "date unknown"
        print(f"{s.id}  [{s.kind}, reliability {s.reliability} \u2014 {RELIABILITY_LABELS[s.reliability]}, {when}]")
        print(f"    {s.display_title}" + (f" \u2014 {s.author}" if s.author else ""))
    print(count(len(sources), "source"))
    return 0


def sources_show(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.commands.curation_cli import version_line

    version = ctx.store().source_version(args.id)
    src = ctx.store().source(args.id)
    if ctx.as_json:
        ctx.print_json({**source_json(src, with_text=args.text), "version": version.version})
        return 0
    unknown = "unknown"
    print(src.display_title)
    for label, value in [
        ("id", src.id), ("outlet", src.outlet or unknown), ("author", src.author or unknown),
        ("published", src.published.isoformat() if src.published else unknown), ("kind", str(src.kind)),
        ("language", src.language), ("reliability", f"{src.reliability} \u2014 {RELIABILITY_LABELS[src.reliability]}"),
        ("file", src.file or unknown), ("version", version_line(version)),
    ]:
        print(f"  {label:12} {value}")
    if src.date_note:
        print(f"  {'date note':12} {src.date_note}")
    if src.notes:
        print(textwrap.fill(src.notes, width=_width(), initial_indent="  notes        ",
                            subsequent_indent=" " * 15))
    if args.text:
        print()
        print(src.text)
    return 0


def sections_list(ctx: Any, args: argparse.Namespace) -> int:
    store = ctx.store()
    counts = store.section_counts()
    sections = store.sections()
    if ctx.as_json:
        ctx.print_json([{**s.model_dump(), "facts": counts.get(s.id, 0)} for s in sections])
        return 0
    for s in sections:
        print(f"{s.id:26} {counts.get(s.id, 0):4} facts  {s.title}")
    return 0


def summary(ctx: Any, args: argparse.Namespace) -> int:
    """What `briefer` with no command prints until the window exists."""
    store = ctx.store()
    print(f"Briefer fact store: {store.path}")
    counts = store.section_counts()
    for s in store.sections():
        print(f"  {s.title:58} {count(counts.get(s.id, 0), 'fact'):>10}")
    print(f"  {count(len(store.sources()), 'source')}, {count(store.fact_count(), 'fact')}. Try 'briefer --help'.")
    return 0
