"""``briefer templates …``, ``briefer changes --template NAME`` and ``briefer briefing …``."""

from __future__ import annotations

import argparse
import sys
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

from briefer.domain.typography import count
from briefer.errors import KnownError


def _warn(messages: list[str]) -> None:
    for m in messages:
        print(f"briefer: warning: {m}", file=sys.stderr)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    t = sub.add_parser("templates", help="list, show, share and manage briefing templates")
    tsub = t.add_subparsers(dest="templates_command", metavar="ACTION", required=True)

    p = tsub.add_parser("list", help="the built-in templates and your own")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=templates_list)

    p = tsub.add_parser("show", help="one template, and what its selection picks from the store now")
    p.add_argument("name", help="a template name or a template file")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=templates_show)

    p = tsub.add_parser("export", help="write a template to a file to share it")
    p.add_argument("name")
    p.add_argument("file", type=Path)
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(handler=templates_export)

    p = tsub.add_parser("import", help="add a template file to your templates (checked first)")
    p.add_argument("file", type=Path)
    p.add_argument("--name", metavar="NEW", help="import it under this name (when the name is taken)")
    p.set_defaults(handler=templates_import)

    p = tsub.add_parser("duplicate", help="copy a template (built-in or yours) to a new template you can edit")
    p.add_argument("name")
    p.add_argument("new_name", metavar="NEW")
    p.set_defaults(handler=templates_duplicate)

    p = tsub.add_parser("rename", help="rename one of your templates (its editions follow it)")
    p.add_argument("name")
    p.add_argument("new_name", metavar="NEW")
    p.set_defaults(handler=templates_rename)

    p = tsub.add_parser("delete", help="delete one of your templates (moved to the templates/.trash folder)")
    p.add_argument("name")
    p.set_defaults(handler=templates_delete)

    p = tsub.add_parser("share", help="share one of your templates with the team library (editors), or take it back")
    p.add_argument("name")
    p.add_argument("--off", action="store_true", help="make it personal again (its owner only)")
    p.set_defaults(handler=templates_share)

    p = tsub.add_parser("uses", help="which templates and recorded editions use a fact")
    p.add_argument("fact_id", metavar="FACT")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=templates_uses)

    p = tsub.add_parser("editions", help="the recorded editions (exports) of a template")
    p.add_argument("name")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=templates_editions)

    p = sub.add_parser("changes", help="what changed in the store since a template's last edition")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--template", metavar="NAME|FILE", help="the template to check")
    which.add_argument("--all", action="store_true", help="every template that has a recorded edition")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=changes)

    b = sub.add_parser("briefing", help="create and check briefing files (*.briefing.json)")
    bsub = b.add_subparsers(dest="briefing_command", metavar="ACTION", required=True)
    p = bsub.add_parser("new", help="a briefing file from a template, to edit and export later")
    p.add_argument("file", type=Path, metavar="FILE.briefing.json")
    start = p.add_mutually_exclusive_group(required=True)
    start.add_argument("--template", metavar="NAME|FILE")
    start.add_argument("--sections", metavar="ID,ID,…",
                       help="the most important facts of these sections that fit a few pages, as the "
                            "window's first-start panel makes them (e.g. law-summary,hq-structure,risks)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(handler=briefing_new)
    p = bsub.add_parser("check", help="open a briefing file and report facts changed or deleted since it was saved")
    p.add_argument("file", type=Path, metavar="FILE.briefing.json")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=briefing_check)


def _library(ctx: Any) -> Any:
    """The template library: the files in the data folder, or a team library's own templates."""
    from briefer.domain.team_templates import open_library

    team = getattr(ctx, "store_location", None)
    return open_library(ctx.data_dir, ctx.store() if team is not None and team() else None)


def templates_list(ctx: Any, args: argparse.Namespace) -> int:
    infos = _library(ctx).list()
    if ctx.as_json:
        ctx.print_json([i.to_json() for i in infos])
        return 0
    width = 100
    for i in infos:
        kind = "built-in" if i.builtin else "shared" if getattr(i, "shared", False) else "yours"
        print(f"{i.name}  [{kind}]" + ("  (cannot be read)" if i.problem else ""))
        text = i.problem or i.description
        if text:
            print(textwrap.fill(text, width=width, initial_indent="    ", subsequent_indent="    ",
                                max_lines=3, placeholder=" \u2026"))
    n_user = sum(not i.builtin for i in infos)
    print(f"{len(infos) - n_user} built-in, {n_user} of your own")
    return 0


def _selection_text(sel: Any) -> str:
    parts = []
    if sel.fact_ids:
        parts.append(f"{len(sel.fact_ids)} named fact{'s' if len(sel.fact_ids) != 1 else ''}")
    q = sel.query
    if q is not None:
        where = ("this section" if q.sections is None else "all sections" if q.sections == "all"
                 else ", ".join(q.sections))
        bits = [f"facts from {where}"]
        if q.tags_any:
            bits.append("tagged " + " or ".join(q.tags_any))
        if q.tags_all:
            bits.append("tagged " + " and ".join(q.tags_all))
        if q.tags_none:
            bits.append("not tagged " + " or ".join(q.tags_none))
        bits.append("status " + "/".join(str(s) for s in q.status))
        if q.since:
            bits.append(f"as of {q.since.isoformat()} or later")
        if q.min_priority:
            bits.append(f"priority {q.min_priority}+")
        parts.append(", ".join(bits))
    if sel.max_count:
        parts.append(f"at most {sel.max_count}")
    parts.append(f"by {sel.order}")
    return "; ".join(parts)


def templates_show(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain.templates import run_selection

    template, origin = _library(ctx).resolve(args.name)
    store = ctx.store()
    result = run_selection(template, store)
    if ctx.as_json:
        ctx.print_json({
            "name": template.name, "builtin": origin == "builtin", "origin": origin,
            "template": template.model_dump(mode="json"),
            "selects": [{"section": s.template_section.section, "heading": s.template_section.heading,
                         "fact_ids": s.fact_ids} for s in result.sections],
            "warnings": result.warnings,
        })
        return 0
    _warn(result.warnings)
    titles = {s.id: s.title for s in store.sections()}
    print(f"{template.name}  [{'built-in' if origin == 'builtin' else 'file' if origin == 'file' else 'yours'}]")
    if template.description:
        print(textwrap.fill(template.description, width=100, initial_indent="  ", subsequent_indent="  "))
    if template.audience:
        print(f"  audience: {template.audience}")
    sw = template.switches
    on = [n for n, v in (("summary", sw.summary), ("contents", sw.contents), ("sources appendix", sw.sources_appendix),
                         ("glossary", sw.glossary), ("what's new", sw.whats_new),
                         ("superseded facts", sw.include_superseded)) if v]
    if not sw.cover_page:
        on.append("the cover on page 1")
    if sw.compact:
        on.append("compact type")
    print(f"  includes: {', '.join(on) or 'sections only'}")
    print(f"  cover title: {template.cover.title_pattern!r} with title {template.cover.title!r}")
    if template.length.word_limit():
        print(f"  length budget: about {template.length.word_limit()} words"
              + (f" ({template.length.target_pages} page{'s' if template.length.target_pages != 1 else ''})"
                 if template.length.target_pages else ""))
    for i, s in enumerate(result.sections, 1):
        ts = s.template_section
        heading = ts.heading or titles.get(ts.section, ts.section)
        print(f"  {i}. {heading}  ({ts.section}, {ts.layout})")
        print(textwrap.fill(_selection_text(ts.selection), width=100, initial_indent="       ",
                            subsequent_indent="       "))
        left_out = sum(1 for c in s.candidates if c in result.trimmed)
        picks = (f"picks {len(s.fact_ids)} fact{'s' if len(s.fact_ids) != 1 else ''} now"
                 + (f" ({left_out} more match but do not fit the length budget)" if left_out else "")
                 + (": " + ", ".join(s.fact_ids[:6]) + (" \u2026" if len(s.fact_ids) > 6 else "") if s.fact_ids
                    else ""))
        print(textwrap.fill(picks, width=100, initial_indent="       ", subsequent_indent="         "))
    return 0


def templates_export(ctx: Any, args: argparse.Namespace) -> int:
    lib = _library(ctx)
    source, _builtin = lib.path_of(args.name)  # an unknown name fails before anything is touched
    target: Path = args.file
    from briefer.fileio import check_replace, protecting

    with protecting(source, f"the template file being read ({source})"):
        check_replace(target, force=args.force)
    template = lib.export(args.name, target)
    print(f"Wrote template {template.name!r} to {args.file}")
    return 0


def templates_import(ctx: Any, args: argparse.Namespace) -> int:
    template, warnings = _library(ctx).import_file(args.file, name=args.name, store=ctx.store())
    _warn(warnings)
    print(f"Imported template {template.name!r}")
    return 0


def templates_duplicate(ctx: Any, args: argparse.Namespace) -> int:
    template = _library(ctx).duplicate(args.name, args.new_name)
    print(f"Created template {template.name!r} (a copy of {args.name!r})")
    return 0


def templates_rename(ctx: Any, args: argparse.Namespace) -> int:
    template = _library(ctx).rename(args.name, args.new_name, store=ctx.store())
    print(f"Renamed template {args.name!r} to {template.name!r}")
    return 0


def templates_share(ctx: Any, args: argparse.Namespace) -> int:
    lib = _library(ctx)
    if not getattr(lib, "team", False):
        from briefer.errors import NeedsTeamLibrary

        raise NeedsTeamLibrary("sharing a template needs a team library; on a local store, give a colleague the "
                               "file ('briefer templates export NAME FILE')")
    row = lib.share(args.name, not args.off)
    print(f"Template {row.name!r} is {'shared with the team' if row.shared else 'personal'} (version {row.version})")
    return 0


def templates_delete(ctx: Any, args: argparse.Namespace) -> int:
    lib = _library(ctx)
    dest = lib.delete(args.name)
    if getattr(lib, "team", False):
        print(f"Deleted template {args.name!r} from the team library")
    else:
        print(f"Deleted template {args.name!r} (the file was moved to {dest})")
    return 0


def templates_uses(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain.usage import fact_usage

    store = ctx.store()
    store.fact(args.fact_id)  # an unknown id is a clear error
    usage = fact_usage(store, ctx.data_dir, args.fact_id)
    if ctx.as_json:
        ctx.print_json(usage.to_json())
        return 0
    _warn([f"template {n!r} could not be checked: {p}" for n, p in usage.problems.items()])
    titles = {s.id: s.title for s in store.sections()}
    how_text = {"explicit": "named explicitly", "selection": "picked by its selection",
                "named-but-not-selected": "named, but left out now"}
    print(f"Templates using {args.fact_id}:" if usage.templates else f"No template uses {args.fact_id}.")
    for t in usage.templates:
        where = titles.get(t.section, t.section)
        print(f"  {t.template}{' (built-in)' if t.builtin else ''}: {how_text[t.how]}, in \u201c{where}\u201d")
    print("Editions holding it:" if usage.editions else "No recorded edition holds it.")
    for e in usage.editions:
        print(f"  {e.template} edition {e.number} of {e.exported_on.isoformat()}" + (f" \u2192 {e.output}" if e.output
                                                                                      else ""))
    return 0


def templates_editions(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.store.editions import editions

    template, _ = _library(ctx).resolve(args.name)
    rows = editions(ctx.store(), template.name, template.id or None)  # by id: they follow a rename
    if ctx.as_json:
        ctx.print_json([{"number": e.number, "exported_on": e.exported_on.isoformat(), "recorded_at": e.recorded_at,
                         "title": e.title, "output": e.output} for e in rows])
        return 0
    if not rows:
        print(f"No edition of {template.name!r} has been exported yet.")
    for e in rows:
        print(f"  edition {e.number}  {e.exported_on.isoformat()}  {e.title}" + (f"  \u2192 {e.output}" if e.output
                                                                                  else ""))
    return 0


_MARK = {"added": "+ added", "removed": "- removed", "reworded": "~ reworded", "status": "! status",
         "sources": "~ sources"}


def changes_all(ctx: Any) -> int:
    from briefer.domain.templates import prepare
    from briefer.store.editions import editions

    store = ctx.store()
    lib = _library(ctx)
    # one entry per template (its id), under its name now: a template renamed by hand keeps its editions
    keyed: dict[str, str] = {}
    for e in editions(store):
        keyed.setdefault(e.template_id or e.template, e.template)
    found: dict[str, tuple[Any, str]] = {}
    errors: list[dict[str, Any]] = []
    for key, last_name in keyed.items():
        try:
            if key.startswith("name:"):  # recorded before templates had ids: by its name
                template, origin = lib.resolve(last_name)
            else:
                template, origin = lib.find_by_id(key), "builtin" if key.startswith("builtin:") else "user"
                if template is None:
                    raise KnownError(f"its template (id {key}) is no longer in the library")
        except KnownError as exc:
            errors.append({"template": last_name, "error": str(exc)})
            continue
        found.setdefault(template.id or template.name, (template, origin))
    report: list[dict[str, Any]] = []
    for template, origin in found.values():
        exp = prepare(template, store, today=date.today(), origin=origin)
        if exp.previous is None:
            continue
        report.append({"template": template.name, "previous_edition": {
            "number": exp.previous.number, "exported_on": exp.previous.exported_on.isoformat()},
            "changes": [c.to_json() for c in exp.changes]})
    report = sorted(report + errors, key=lambda r: str(r["template"]).casefold())
    if ctx.as_json:
        ctx.print_json(report)
        return 0
    if not report:
        print("No template has a recorded edition yet.")
    for r in report:
        if "error" in r:
            print(f"{r['template']}: cannot be checked ({r['error']})")
            continue
        n = len(r["changes"])
        kinds: dict[str, int] = {}
        for c in r["changes"]:
            kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
        detail = ", ".join(f"{v} {k}" for k, v in kinds.items())
        print(f"{r['template']}: {n} change{'s' if n != 1 else ''} since edition {r['previous_edition']['number']} "
              f"of {r['previous_edition']['exported_on']}" + (f" ({detail})" if detail else ""))
    return 0


def changes(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain.templates import begin_template_export

    if args.all:
        return changes_all(ctx)

    exp = begin_template_export(ctx.store(), ctx.data_dir, args.template, today=date.today())
    prev = exp.previous
    if ctx.as_json:
        ctx.print_json({
            "template": exp.name,
            "previous_edition": None if prev is None else {
                "number": prev.number, "exported_on": prev.exported_on.isoformat(), "title": prev.title,
                "facts": len(prev.facts)},
            "facts_now": len(exp.fingerprints),
            "changes": [c.to_json() for c in exp.changes],
            "warnings": exp.warnings,
        })
        return 0
    _warn(exp.warnings)
    if prev is None:
        print(f"{exp.name!r} has no recorded edition yet: export it once "
              f"('briefer export --template {exp.name} --out FILE') and later runs will report what changed.")
        return 0
    print(f"Changes in {exp.name!r} since edition {prev.number} of {prev.exported_on.isoformat()} "
          f"({count(len(prev.facts), 'fact')} then, {len(exp.fingerprints)} now):")
    if not exp.changes:
        print("  none")
    for c in exp.changes:
        print(textwrap.fill(f"{_MARK[c.kind]:11} {c.fact_id}: {c.text}", width=110, initial_indent="  ",
                            subsequent_indent=" " * 14))
        if c.kind == "reworded" and c.before:
            print(textwrap.fill(f"was: {c.before}", width=110, initial_indent=" " * 14, subsequent_indent=" " * 19))
    n = len(exp.changes)
    print(f"{n} change{'s' if n != 1 else ''}")
    return 0


def briefing_new(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain.briefing_file import save_briefing_file
    from briefer.domain.templates import begin_template_export

    path: Path = args.file
    from briefer.fileio import check_replace

    check_replace(path, force=args.force)
    if args.sections is not None:
        return _briefing_from_sections(ctx, args, path)
    exp = begin_template_export(ctx.store(), ctx.data_dir, args.template, today=date.today())
    _warn(exp.warnings)
    save_briefing_file(path, exp.briefing, template=exp.name, template_id=exp.template.id, store=ctx.store())
    n = len(exp.briefing.fact_ids())
    print(f"Wrote {path}: {count(len(exp.briefing.sections), 'section')}, {count(n, 'fact')}, "
          f"from template {exp.name!r}")
    return 0


def _briefing_from_sections(ctx: Any, args: argparse.Namespace, path: Path) -> int:
    from briefer.domain.briefing_file import FileBudget, save_briefing_file
    from briefer.domain.section_start import prepare_from_sections
    from briefer.store.preferences import stale_after_months

    ids = [part.strip() for part in args.sections.split(",") if part.strip()]
    exp = prepare_from_sections(ctx.store(), ids, today=date.today(), horizon_months=stale_after_months(ctx.data_dir))
    _warn(exp.warnings)
    length = exp.template.length  # no template to keep it: the budget goes in the file
    save_briefing_file(path, exp.briefing, store=ctx.store(),
                       budget=FileBudget(words=length.target_words, pages=length.target_pages))
    n, left = len(exp.briefing.fact_ids()), len(exp.selection.trimmed) if exp.selection else 0
    print(f"Wrote {path}: {count(len(exp.briefing.sections), 'section')}, the {count(n, 'most important fact')} "
          f"that fit {count(exp.template.length.target_pages or 0, 'page')}"
          + (f" ({left} more left out)" if left else ""))
    return 0


def briefing_check(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain.briefing_file import check_briefing, read_briefing_file

    envelope = read_briefing_file(args.file)
    briefing, warnings = check_briefing(envelope, ctx.store())
    template_name = envelope.template
    if envelope.template_id or envelope.template:  # by its id: a renamed template shows its new name
        linked = _library(ctx).find_link(envelope.template_id, envelope.template)
        if linked is not None:
            template_name = linked.name
    if ctx.as_json:
        ctx.print_json({"template": template_name, "template_id": envelope.template_id,
                        "sections": len(briefing.sections),
                        "facts": briefing.fact_ids(), "warnings": warnings})
        return 0
    print(f"{args.file}: {count(len(briefing.sections), 'section')}, {count(len(briefing.fact_ids()), 'fact')}"
          + (f", from template {template_name!r}" if template_name else ""))
    for w in warnings:
        print(f"  ! {w}")
    if not warnings:
        print("  Every fact is in the store, unchanged since the file was saved.")
    return 0
