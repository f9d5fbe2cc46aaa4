"""``briefer export``: write a briefing as Word, Markdown, HTML or PDF."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

from briefer.commands.argtypes import positive_int as _positive
from briefer.domain.typography import count
from briefer.errors import KnownError


def _section_list(value: str) -> list[str]:
    ids = [s.strip() for s in value.split(",") if s.strip()]
    if not ids:
        raise argparse.ArgumentTypeError("give at least one section id, separated by commas")
    return ids


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "export",
        help="write a briefing as Word (.docx), Markdown, HTML or PDF",
        description="Export a briefing with a footnote on every fact. With no --sections, --template or "
                    "--briefing: all sections in their default order.",
    )
    what = p.add_mutually_exclusive_group()
    what.add_argument("--sections", type=_section_list, metavar="ID,ID,...",
                      help="the sections to include, in this order (see 'briefer sections list')")
    what.add_argument("--template", metavar="NAME|FILE", help="export a saved template (its next edition)")
    what.add_argument("--briefing", metavar="FILE.briefing.json", help="export a saved briefing file")
    p.add_argument("--out", "-o", type=Path, metavar="FILE", help="the file to write (not needed with --dry-run)")
    p.add_argument("--force", action="store_true", help="replace the --out file if it exists")
    from briefer.export.formats import codes

    p.add_argument("--format", "-f", choices=list(codes()),
                   help="output format (default: from the extension of --out)")
    p.add_argument("--title", help="the briefing's title (on the cover and in the header)")
    p.add_argument("--subtitle", help="the subtitle on the cover")
    p.add_argument("--author", help="'prepared by' on the cover and the document's author")
    p.add_argument("--prepared-for", metavar="WHO", help="'prepared for' on the cover")
    p.add_argument("--marking", metavar="TEXT",
                   help="handling marking in header and footer (default: INTERNAL — NOT FOR DISTRIBUTION; "
                        "'' for none)")
    p.add_argument("--reference-doc", type=Path, metavar="REF.docx",
                   help="take styles, fonts and page set-up from this Word file (as pandoc does)")
    p.add_argument("--facts-per-section", type=_positive, metavar="N",
                   help="at most N facts a section, the highest priority first")
    p.add_argument("--include-superseded", action="store_true", help="keep facts that newer ones replace")
    p.add_argument("--citations", choices=["full", "short", "evidence"],
                   help="footnotes: full (source, date, place and the quote), short (source, date, place) or "
                        "evidence (short notes and an Evidence appendix quoting the sources); default: the "
                        "template's or briefing's, else full")
    p.add_argument("--dry-run", action="store_true",
                   help="say what would be exported (pages estimated, words, the facts chosen) and write nothing")
    p.add_argument("--json", action="store_true", help="print what was written as JSON")
    p.add_argument("--no-page-numbers", action="store_true",
                   help="skip the LibreOffice layout pass: the contents list headings as links, without page "
                        "numbers")
    p.add_argument("--pdf-a", action="store_true", help="write the PDF as PDF/A-2b (for archiving)")
    edition = p.add_mutually_exclusive_group()
    edition.add_argument("--record-edition", dest="record_edition", action="store_true", default=None,
                         help="record this export as the next edition of its template (the default for "
                              "--template; a --briefing file saved from a template records one only with this)")
    edition.add_argument("--no-record-edition", dest="record_edition", action="store_false",
                         help="write the file without recording an edition (e.g. the same briefing in another "
                              "format)")
    p.set_defaults(handler=export_cmd)


def _err(message: str) -> None:
    print(f"briefer: {message}", file=sys.stderr)


def export_cmd(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.app.export import EditionRequest, check_options, quality_flags, resolve_briefing, write_export
    from briefer.export import format_for

    out: Path | None = args.out
    if out is None and not args.dry_run:
        raise KnownError("give the file to write with --out FILE (or --dry-run to write nothing)")
    fmt = format_for(out, args.format) if out is not None else (args.format or "docx")  # a bad extension fails first
    if args.facts_per_section is not None and (args.template or args.briefing):
        raise KnownError(f"--facts-per-section does not apply to --{'template' if args.template else 'briefing'} "
                         f"(the {'template' if args.template else 'file'} picks the facts)")
    refusal = ""  # what the export itself would refuse, said by a dry run (which never asks, and writes nothing)
    if out is not None:
        from briefer.fileio import check_replace, protecting

        # an existing file is replaced only when asked, before any work; never the files this export reads
        try:
            with protecting(args.briefing, f"the briefing file being read ({args.briefing})"), \
                    protecting(args.reference_doc, f"the reference document being read ({args.reference_doc})"):
                check_replace(out, force=args.force)
        except KnownError as exc:
            if not args.dry_run:
                raise
            refusal = str(exc)
    check_options(fmt, reference_doc=args.reference_doc, pdf_a=args.pdf_a)
    if args.reference_doc is not None:
        from briefer.export.docx_reference import load_reference

        load_reference(args.reference_doc)  # an unreadable reference fails before any work
    today = date.today()
    store = ctx.store()
    job = None
    briefing_template: str | None = None  # the template a --briefing file was made from
    briefing_template_id: str | None = None  # and its stable id (its editions are keyed by it)
    if args.template:
        from briefer.domain.templates import begin_template_export

        job = begin_template_export(store, ctx.data_dir, args.template, today=today)
        briefing = job.briefing
        for w in job.warnings:  # e.g. fact ids the template names that the store does not hold
            _err(f"warning: {w}")
    elif args.briefing:
        from briefer.domain.briefing_file import load_briefing_file, read_briefing_file

        briefing, load_warnings = load_briefing_file(Path(args.briefing), store)
        for w in load_warnings:
            _err(f"warning: {w}")
        if args.record_edition:
            envelope = read_briefing_file(Path(args.briefing))
            briefing_template, briefing_template_id = envelope.template, envelope.template_id
            from briefer.domain.team_templates import open_library

            linked = open_library(ctx.data_dir, store).find_link(envelope.template_id, envelope.template)
            if linked is not None:  # renamed since the file was saved: its name now
                briefing_template, briefing_template_id = linked.name, linked.id or briefing_template_id
    else:
        from briefer.domain.compose import briefing_from_sections

        briefing = briefing_from_sections(store, args.sections, facts_per_section=args.facts_per_section,
                                          include_superseded=args.include_superseded)
        from briefer.store.preferences import citation_style

        style = citation_style(ctx.data_dir)  # the Preferences' default style
        if style:
            briefing.options.citations = style  # type: ignore[assignment]  # one of CITATION_STYLES
    cover = briefing.cover
    for attr, value in (("title", args.title), ("subtitle", args.subtitle), ("prepared_by", args.author),
                        ("prepared_for", args.prepared_for), ("marking", args.marking)):
        if value is not None:
            setattr(cover, attr, value)
    from briefer.app.export import with_default_author

    briefing = with_default_author(briefing, ctx.data_dir)  # no --author and none in the briefing: the analyst
    if args.include_superseded:
        briefing.options.include_superseded = True
    if args.citations:
        briefing.options.citations = args.citations

    from briefer.store.preferences import stale_after_months

    horizon = stale_after_months(ctx.data_dir)
    from briefer.app.export import refuse_empty
    from briefer.domain.document import CachedStore

    if args.dry_run and briefing.is_empty():
        return _dry_run_empty(ctx, out)
    refuse_empty(briefing)  # a cover over blank pages is not a briefing (the window refuses it too)
    # the briefing's facts, read once; a fitted template's briefing is resolved from the reading it was fitted with
    reading = (job.reading if job is not None else None) or CachedStore(store, store.facts_by_ids(briefing.fact_ids()))
    flags = quality_flags(reading, briefing, today, horizon)
    document = resolve_briefing(reading, briefing, today=today, horizon_months=horizon)
    estimate = _estimate(document, args.reference_doc)
    left_out = _left_out(job)
    if args.dry_run:
        return _dry_run(ctx, document, estimate, job, left_out, out, refusal)
    assert out is not None
    # the edition is recorded in the same step as the rename: a locked store leaves the earlier file as it was
    from briefer.app.editions import should_record
    from briefer.fileio import protecting

    template = job.name if job is not None else briefing_template
    edition = None
    if should_record(template, args.record_edition, fresh_run=job is not None, recorded=0):
        if job is not None:
            edition = EditionRequest(job.name, briefing.cover.title, job.fingerprints, job.template.id or None)
        else:
            from briefer.app.export import edition_request

            edition = edition_request(briefing, reading.facts_by_ids(briefing.fact_ids()), template,
                                      briefing_template_id)
    with protecting(args.briefing, f"the briefing file being read ({args.briefing})"):
        result = write_export(store, document, out, fmt, today=today, reference_doc=args.reference_doc,
                              edition=edition, layout=False if args.no_page_numbers else None, pdf_a=args.pdf_a)
    # what the budget left out is a report on the file written: a failed export says only why it failed
    for line in _left_out_lines(job, left_out):
        _err(line)
    if ctx.as_json:
        ctx.print_json({"path": str(result.path), "format": result.fmt, "pages": result.pages,
                        "page_numbers": result.page_numbers,
                        "footnotes": result.footnotes, **estimate.to_json(), "facts_shown": len(estimate.fact_ids),
                        "sections": len(document.sections), "sources": len(document.sources),
                        "warnings": result.warnings, "flags": [f.to_json() for f in flags],
                        "edition": result.edition.number if result.edition is not None else None})
    else:
        pages = (count(result.pages, "page") if result.pages is not None
                 else f"about {count(estimate.pages, 'page')}")
        print(f"wrote {result.path} ({result.fmt}): {count(len(document.sections), 'section')}, "
              f"{count(result.footnotes, 'footnote')}, {count(len(document.sources), 'source')} cited; {pages}"
              + (f"; recorded as edition {result.edition.number} of \u201c{result.edition.template}\u201d"
                 if result.edition is not None else ""))
    for w in result.warnings:
        _err(f"warning: {w}")
    _report_flags(flags, include_superseded=briefing.options.include_superseded)
    return 0


def _estimate(document: Any, reference_doc: Path | None) -> Any:
    """The page estimate the window shows, for the reference document the export uses."""
    from briefer.domain.pages import estimate, reference_layout

    return estimate(document, reference_layout(str(reference_doc) if reference_doc else None))


def _left_out(job: Any) -> list[tuple[str, str]]:
    """(fact id, why) for each fact a template's length budget left out, most important first."""
    if job is None or job.selection is None:
        return []
    return [(fid, job.selection.trimmed_why.get(fid, "")) for fid in job.selection.trimmed]


def _left_out_lines(job: Any, left_out: list[tuple[str, str]]) -> list[str]:
    if not left_out:
        return []
    from briefer.domain.templates import budget_text

    budget = budget_text(job.template.length)
    shown = ", ".join(fid for fid, _ in left_out[:8]) + (f" and {len(left_out) - 8} more" if len(left_out) > 8 else "")
    return [f"note: to fit its budget of {budget}, {len(left_out)} fact{'s were' if len(left_out) != 1 else ' was'} "
            f"left out (the most important of them first): {shown} (--dry-run --json lists each with why)"]


def _dry_run(ctx: Any, document: Any, estimate: Any, job: Any, left_out: list[tuple[str, str]],
             out: Path | None, refusal: str = "") -> int:
    """What an export would hold, from the same estimate the window shows; nothing is written.  ``refusal``:
    why the export itself would stop before writing (an existing file without --force …), said too."""
    facts = [{"id": b.fact_id, "section": s.section_id, "priority": b.priority}
             for s in document.sections for b in s.facts()]
    key_points = [{"text": p.text, "fact_id": p.fact_id, "see": p.see}
                  for p in (document.summary.points if document.summary else [])]
    budget = None
    if job is not None and (job.template.length.target_pages or job.template.length.target_words):
        budget = {"pages": job.template.length.target_pages, "body_words": job.template.length.target_words}
    over = bool(budget and ((budget["pages"] and estimate.pages > budget["pages"]) or
                            (budget["body_words"] and estimate.body_words > budget["body_words"])))
    if ctx.as_json:
        ctx.print_json({**estimate.to_json(), "dry_run": True, "empty": False, "would_write": str(out) if out else None,
                        "citations": document_citations(document), "sections": len(document.sections),
                        "footnotes": document.footnote_count, "sources": len(document.sources),
                        "budget": budget, "over_budget": over, "facts": facts, "key_points": key_points,
                        "left_out": [{"id": fid, "why": why} for fid, why in left_out],
                        # the template's own (a fact it names that cannot be read …, said on stderr at the start too)
                        "warnings": [*(job.warnings if job is not None else []), *document.warnings],
                        "refused": refusal or None})
        return 0
    where = f"{out}" if out else "nothing (dry run)"
    print(f"would write {where}: about {count(estimate.pages, 'page')}, "
          f"{count(estimate.body_words, 'word')} of text and {estimate.footnote_words:,} in "
          f"{count(document.footnote_count, 'footnote')}; {count(len(facts), 'fact')} in "
          f"{count(len(document.sections), 'section')}"
          + (" \u2014 over budget" if over else ""))
    for p in key_points:
        print(f"  key point: {p['text']}" + (f" ({p['see']})" if p["see"] else ""))
    for sec in document.sections:
        print(f"  {sec.numbered_heading}: {', '.join(b.fact_id for b in sec.facts()) or '(no facts)'}")
    for fid, why in left_out:
        print(f"  left out: {fid} ({why})")
    for w in document.warnings:
        _err(f"warning: {w}")
    if refusal:
        _err(f"warning: the export itself would stop: {refusal}")
    return 0


def _dry_run_empty(ctx: Any, out: Path | None) -> int:
    """A dry run of an empty briefing: no page count as if something would be exported; exit 2, as the
    export itself is refused."""
    from briefer.domain.briefing import EMPTY_BRIEFING

    if ctx.as_json:
        ctx.print_json({"pages_estimated": 0, "body_words": 0, "footnote_words": 0, "appendix_words": 0,
                        "dry_run": True, "empty": True, "message": EMPTY_BRIEFING,
                        "would_write": str(out) if out else None, "sections": 0, "footnotes": 0, "sources": 0,
                        "facts": [], "key_points": [], "left_out": [], "warnings": []})
        return KnownError.exit_code
    raise KnownError(f"{EMPTY_BRIEFING}; an export would write nothing")


def document_citations(document: Any) -> str:
    blocks = document.fact_blocks()
    return blocks[0].citation_style if blocks else ("evidence" if document.evidence_appendix else "full")


def _report_flags(flags: list[Any], *, include_superseded: bool) -> None:
    """Name every superseded or deleted fact; count disputed, stale and overdue ones."""
    for f in flags:
        if f.kind == "superseded":
            kept = "kept, marked superseded" if include_superseded else "left out"
            _err(f"warning: {f.message} ({kept})")
        elif f.kind == "missing":
            _err(f"warning: {f.message} (skipped)")
    for kind, text in (("disputed", "disputed (marked in the text; each version is in its footnote)"),
                       ("stale", "stale (older than the freshness horizon; see 'briefer facts check')"),
                       ("overdue", "about something due by a date that has passed: check what happened")):
        n = sum(1 for f in flags if f.kind == kind)
        if n:
            _err(f"note: {n} fact{'s are' if n != 1 else ' is'} {text}")
