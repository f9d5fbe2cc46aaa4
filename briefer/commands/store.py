"""``briefer store reset --confirm``: start afresh with a new store from the seed pack."""

from __future__ import annotations

import argparse
from typing import Any

from briefer.domain.typography import count
from briefer.errors import KnownError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("store", help="the fact store itself: start afresh, copy a library between stores")
    ssub = p.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    r = ssub.add_parser(
        "reset", help="put the current fact store aside and start a new one from the seed pack",
        description="Move the fact store (also an empty or damaged one) to <data folder>/backups/reset-<date>/ "
                    "and create a new store from the seed pack. Templates and settings stay as they are.")
    r.add_argument("--confirm", action="store_true", help="really do it (without it nothing is changed)")
    r.add_argument("--json", action="store_true", help="print what was done as JSON")
    r.set_defaults(handler=store_reset)
    c = ssub.add_parser(
        "copy", help="copy a whole library from one store to another (a data folder or a postgresql:// URL)",
        description="Copy every fact with its history, the sources, glossary, editions, import candidates, "
                    "conflict resolutions and templates from SRC to DST, in one transaction, verified by counts "
                    "and checksums per table. A data folder to a team library starts one; a team library to a "
                    "new folder makes an offline copy. A DST that already holds a library is refused unless "
                    "--merge is given.")
    c.add_argument("--from", dest="source", required=True, metavar="SRC",
                   help="the library to copy: a data folder or postgresql://USER@HOST:PORT/DB")
    c.add_argument("--to", dest="target", required=True, metavar="DST",
                   help="where to copy it: a new or empty data folder, or a postgresql:// URL")
    c.add_argument("--merge", action="store_true",
                   help="add what DST lacks, skip what is identical, and list what differs (never overwritten)")
    c.add_argument("--json", action="store_true", help="print the counts and checksums as JSON")
    c.set_defaults(handler=store_copy)


def store_copy(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.store.library import copy_between

    report = copy_between(args.source, args.target, merge=args.merge, data_dir=ctx.data_dir)
    if ctx.as_json:
        ctx.print_json(report.as_json())
        return 0
    verb = "Merged" if report.merged else "Copied"
    print(f"{verb} {report.source} into {report.target} in {report.seconds:.1f} s (verified: counts and "
          "checksums match):")
    for table, total in report.tables.items():
        added = report.added.get(table, 0)
        extra = f" ({added} added)" if report.merged else ""
        print(f"  {table:<22} {total.rows:>8} rows{extra}  {total.checksum[:16]}")
    extra = f" ({report.templates_added} added)" if report.merged else ""
    print(f"  {'templates':<22} {report.templates:>8}{extra}")
    for diff in report.differences:
        print(f"  {diff.sentence()} (kept as it is in the target)")
    return 0


def store_reset(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.backup import reset_store

    if not args.confirm:
        raise KnownError("'briefer store reset' replaces the fact store with a new one from the seed pack; "
                         "add --confirm to go ahead (the current store is kept in the backups folder)")
    team = ctx.store_location() if hasattr(ctx, "store_location") else None
    if team:
        raise KnownError(f"'briefer store reset' starts a new local store, but the store in use is the team library "
                         f"{team}; nothing was changed (a team library is reset by its administrator)")
    kept, store = reset_store(ctx.data_dir)
    try:
        facts = store.fact_count()
    finally:
        store.close()
    if ctx.as_json:
        ctx.print_json({"data_dir": str(ctx.data_dir), "kept": str(kept) if kept else None, "facts": facts})
    else:
        print(f"Started a new fact store in {ctx.data_dir} with {count(facts, 'fact')} from the seed pack")
        if kept:
            print(f"The previous store is kept in {kept}")
    return 0
