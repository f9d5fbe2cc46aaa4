"""Curation commands: ``briefer facts add/edit/delete/move/tag/status/supersede/grade/history/restore``,
``briefer sources edit/grade/history`` and ``briefer config``; ``briefer conflicts`` is in
:mod:`briefer.commands.conflicts_cli`.

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
from briefer.commands.argtypes import whole_number
from briefer.domain.models import CREDIBILITY_LABELS, RELIABILITY_LABELS, Fact, FactStatus, SourceKind
from briefer.domain.typography import count
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
    p.add_argument("--priority", type=whole_number, choices=range(1, 6), default=3, metavar="1-5")
    p.add_argument("--notes", default="")
    p.add_argument("--id", dest="fact_id", metavar="SLUG", help="the fact's id (default: from the statement)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=fact_add)

    p = fsub.add_parser("edit", help="change a fact's statement, date, priority, notes or id")
    p.add_argument("id")
    p.add_argument("--statement")
    p.add_argument("--as-of", type=_date, metavar="DATE")
    p.add_argument("--priority", type=whole_number, choices=range(1, 6), metavar="1-5")
    p.add_argument("--notes")
    p.add_argument("--section", metavar="ID")
    p.add_argument("--new-id", metavar="SLUG", help="rename the fact")
    p.add_argument("--add-cite", nargs=2, action="append", metavar=("SOURCE", "QUOTE"),
                   help="add a citation (verbatim quote)")
    p.add_argument("--remove-cite", type=whole_number, action="append", metavar="N", help="remove citation number N")
    p.add_argument("--expect-version", type=whole_number, metavar="N",
                   help="refuse the change if the fact is no longer at version N (as 'show' printed it)")
    p.add_argument("--from", dest="from_file", metavar="FILE",
                   help="the whole fact as JSON, edited from 'briefer facts show ID --json' (its version included)")
    p.add_argument("--editor", action="store_true", help="edit the whole fact as JSON in $VISUAL or $EDITOR")
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
    p.add_argument("credibility", type=whole_number, choices=range(0, 7), metavar="1-6",
                   help="1-6, or 0 to clear the grade")
    p.add_argument("--citation", type=whole_number, default=1, metavar="N", help="which citation (default 1)")
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
    p.add_argument("version", type=whole_number, help="the history entry number ('briefer facts history ID')")
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
    p.add_argument("--expect-version", type=whole_number, metavar="N",
                   help="refuse the change if the source is no longer at version N (as 'show' printed it)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=source_edit)

    p = ssub.add_parser("grade", help="grade a source's reliability: A (completely reliable) … F (cannot be judged)")
    p.add_argument("id")
    p.add_argument("grade", type=_grade, metavar="A-F")
    p.add_argument("--expect-version", type=whole_number, metavar="N",
                   help="refuse the change if the source is no longer at version N (as 'show' printed it)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=source_grade)

    p = ssub.add_parser("history", help="every change to a source's metadata")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=source_history_cmd)


def register_groups(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from briefer.commands import conflicts_cli

    conflicts_cli.register(sub)
    p = sub.add_parser("config", help="show or set the preferences (the same as Edit > Preferences in the window)")
    p.add_argument("--analyst", metavar="NAME", help="the name recorded in history (empty: the OS user name)")
    p.add_argument("--stale-months", type=whole_number, metavar="N", help="facts older than N months are stale")
    p.add_argument("--export-folder", metavar="DIR", help="the folder exports are proposed in (empty: Documents)")
    p.add_argument("--export-format", metavar="FORMAT", help="the default export format (empty: docx)")
    p.add_argument("--citations", metavar="STYLE", help="the citation style of a new briefing: full, short or "
                                                         "evidence (empty: full)")
    p.add_argument("--reference-doc", metavar="FILE", help="the .docx whose styles exports use (empty: Briefer's)")
    p.add_argument("--team-library", metavar="URL",
                   help="a team library to open instead of the local store, postgresql://USER@HOST:PORT/DB, without "
                        "a password (libpq reads it from ~/.pgpass or PGPASSWORD); empty: the local store")
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

    if args.from_file or args.editor:
        fields = [f"--{k.replace('_', '-')}" for k in ("statement", "as_of", "priority", "notes", "section", "new_id",
                                                       "add_cite", "remove_cite", "expect_version")
                  if getattr(args, k) is not None]
        if fields or (args.from_file and args.editor):
            raise KnownError("--from and --editor edit the whole fact: give no " + (fields[0] if fields else "--from")
                             + " with them")
        from briefer.commands.fact_file_edit import edit_whole_fact

        return _print_fact(ctx, edit_whole_fact(ctx, args, _analyst(ctx)), "saved")
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

    return _print_fact(ctx, curation.modify_fact(store, args.id, apply, analyst=_analyst(ctx),
                                                 expected_version=args.expect_version), "saved")


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


def fact_delete(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.app.curation import delete_fact

    deps = delete_fact(ctx.store(), ctx.data_dir, args.id, confirmed=args.force, analyst=_analyst(ctx),
                       force_hint="use --force to delete it anyway")
    users = deps.phrases()
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
        if h.get("changed_by"):  # a team library: the database user beside the analyst
            who += f" (as {h['changed_by']})"
        print(f"#{h['version']}  {h['changed_at']}  {who}  {h['action']}")
        for line in curation.history_changes(h["before"], h["after"]):
            print(f"      {line}")
    return 0


def fact_restore(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    fact = curation.restore_fact(ctx.store(), args.id, args.version, analyst=_analyst(ctx))
    return _print_fact(ctx, fact, f"restored (history entry {args.version})")


def version_line(info: Any) -> str:
    """"3 (last changed by demo_editor (Alice) at 14:02 UTC)": what --expect-version is given."""
    from briefer.domain import versions

    at = versions.when(info)
    if not (info.changed_by or info.analyst or at):
        return str(info.version)
    return f"{info.version} (last changed by {versions.who(info)}" + (f" at {at})" if at else ")")


def show_extras(ctx: Any, fact: Fact, width: int) -> None:
    """What ``facts show`` adds: freshness, supersession links, grades' meaning, conflicts."""
    from briefer.domain import curation
    from briefer.domain.conflicts import conflicts_for_fact
    from briefer.domain.freshness import staleness
    from briefer.domain.source_names import name_sources
    from briefer.ingest.review import store_conflicts

    store = ctx.store()
    print(f"  version: {version_line(store.fact_version(fact.id))}")
    st = staleness(fact, date.today(), _horizon(ctx))
    if st.stale:
        print(f"  STALE: as of {fact.as_of.isoformat()}, {count(st.age_months, 'month')} ago")
    if fact.superseded_by:
        print(f"  superseded by: {fact.superseded_by}")
    replaces = curation.supersedes(store, fact.id)
    if replaces:
        print(f"  supersedes: {', '.join(replaces)}")
    for c in fact.citations:
        if c.credibility:
            print(f"  credibility of the {c.source} citation: {c.credibility} ({CREDIBILITY_LABELS[c.credibility]})")
    for conflict in conflicts_for_fact(store_conflicts(store), fact.id):
        state = "open" if conflict.open else f"resolved: {conflict.resolution}"
        question = name_sources(conflict.question, store.sources())
        print(textwrap.fill(f"conflict {conflict.key}: {question} [{state}]", width=width, initial_indent="  ",
                            subsequent_indent="      "))


# -- facts check additions ------------------------------------------------------------------


def _conflict_head(c: Any) -> str:
    from briefer.commands.conflicts_cli import conflict_head

    return conflict_head(c)


@dataclass
class CheckExtras:
    today: date
    horizon: int
    conflicts: list[Any] = field(default_factory=list)
    stale: list[Any] = field(default_factory=list)
    superseded: list[Fact] = field(default_factory=list)
    broken_links: list[tuple[str, str]] = field(default_factory=list)
    pending_candidates: int = 0
    #: the store's sources, so a conflict names each by its label (briefer.domain.source_names)
    sources: list[Any] = field(default_factory=list)

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
        from briefer.domain.source_names import name_sources

        open_ = [c for c in self.conflicts if c.open]
        print(f"\n{count(len(self.conflicts), 'conflict')} between sources ({len(open_)} open, "
              f"{len(self.conflicts) - len(open_)} resolved):")
        for c in self.conflicts:
            print(textwrap.fill(f"{_conflict_head(c)} {name_sources(c.question, self.sources)}", width=width,
                                initial_indent="  ", subsequent_indent="      "))
            for s in c.sides:
                srcs = ", ".join(name_sources(x, self.sources) for x in s.sources)
                print(textwrap.fill(f"\u201c{s.value}\u201d \u2014 {srcs}", width=width, initial_indent="      - ",
                                    subsequent_indent="        "))
            if c.resolution:
                print(textwrap.fill(c.resolution, width=width, initial_indent="      \u2192 ",
                                    subsequent_indent="        "))
            print(f"      key: {c.key}")
        print(f"\n{count(len(self.stale), 'stale fact')} (as of before {self._cutoff()}, "
              f"{count(self.horizon, 'month')} "
              f"before {self.today.isoformat()}):")
        for s in self.stale[:50]:
            print(f"  {s.fact_id}  (as of {s.as_of.isoformat()}, {count(s.age_months, 'month')})")
        if len(self.stale) > 50:
            print(f"  … and {len(self.stale) - 50} more ('briefer facts list --stale')")
        if self.superseded:
            print(f"\n{count(len(self.superseded), 'superseded fact')}:")
            for f in self.superseded:
                print(f"  {f.id} \u2192 {f.superseded_by}")
        for a, b in self.broken_links:
            print(f"  warning: {a} is superseded by {b}, which is not in the store")
        if self.pending_candidates:
            print(f"\n{count(self.pending_candidates, 'candidate fact')} from imports "
                  f"{'waits' if self.pending_candidates == 1 else 'wait'} for review "
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
        pending_candidates=len(curation.candidates(store)), sources=store.sources(),
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
    src = curation.edit_source(ctx.store(), args.id, analyst=_analyst(ctx), expected_version=args.expect_version,
                               **changes)
    return _print_source(ctx, src, "saved")


def source_grade(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.domain import curation

    src = curation.edit_source(ctx.store(), args.id, analyst=_analyst(ctx), reliability=args.grade,
                               expected_version=args.expect_version)
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


def config_cmd(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.export import formats
    from briefer.store import preferences

    given = {"analyst": args.analyst, "stale_after_months": args.stale_months, "export_folder": args.export_folder,
             "export_format": args.export_format, "citations": args.citations, "reference_doc": args.reference_doc,
             "team_library": args.team_library}
    values = {key: value for key, value in given.items() if value is not None}
    if values:
        # the one check the Preferences dialog applies too; an empty value puts the default back
        preferences.save(ctx.data_dir, **preferences.check_values(values, formats=formats.codes()))

    def shown(value: Any) -> Any:
        return str(value) if value is not None else None

    data = {"analyst": preferences.analyst_name(ctx.data_dir),
            "stale_after_months": preferences.stale_after_months(ctx.data_dir),
            "export_folder": shown(preferences.export_folder(ctx.data_dir)),
            "export_format": preferences.export_format(ctx.data_dir),
            "citations": preferences.citation_style(ctx.data_dir),
            "reference_doc": shown(preferences.reference_doc(ctx.data_dir)),
            "team_library": preferences.team_library(ctx.data_dir),
            "settings_file": str(ctx.data_dir / preferences.SETTINGS_FILE)}
    if ctx.as_json:
        ctx.print_json(data)
    else:
        for k, v in data.items():
            print(f"{k:20} {v if v is not None else '(default)'}")
    return 0
