"""``briefer store reset --confirm``: start afresh with a new store from the seed pack."""

from __future__ import annotations

import argparse
from typing import Any

from briefer.errors import KnownError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("store", help="the fact store itself: start afresh")
    ssub = p.add_subparsers(dest="store_command", metavar="ACTION", required=True)
    r = ssub.add_parser(
        "reset", help="put the current fact store aside and start a new one from the seed pack",
        description="Move the fact store (also an empty or damaged one) to <data folder>/backups/reset-<date>/ "
                    "and create a new store from the seed pack. Templates and settings stay as they are.")
    r.add_argument("--confirm", action="store_true", help="really do it (without it nothing is changed)")
    r.add_argument("--json", action="store_true", help="print what was done as JSON")
    r.set_defaults(handler=store_reset)


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
        print(f"Started a new fact store in {ctx.data_dir} with {facts} facts from the seed pack")
        if kept:
            print(f"The previous store is kept in {kept}")
    return 0
