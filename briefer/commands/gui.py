"""``briefer gui [FILE]``: the desktop window (also ``briefer`` with no command,
and ``briefer FILE.briefing.json``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

NO_DISPLAY = ("briefer: no display found (DISPLAY and WAYLAND_DISPLAY are not set), so the window cannot open; "
              "build briefings from the command line with 'briefer export' (see 'briefer export --help')")


def register(sub: Any) -> None:
    p = sub.add_parser("gui", help="open the window (the default with no command)",
                       description="Open Briefer's window on the fact store, optionally with a briefing file.")
    p.add_argument("file", nargs="?", type=Path, metavar="FILE", help="a .briefing.json file to open")
    p.set_defaults(handler=handle)


def handle(ctx: Any, args: argparse.Namespace) -> int:
    from briefer.ui.app import has_display, run

    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    file = getattr(args, "file", None)
    if getattr(ctx, "store_arg", None):
        import os

        from briefer.store.location import STORE_ENV, check_url

        # the window opens its store itself (briefer/ui/store_session.py): it reads --store from here
        os.environ[STORE_ENV] = check_url(ctx.store_arg, where="--store")
    return run(ctx.data_dir, Path(file).expanduser().resolve() if file else None)


def default_handler(ctx: Any, args: argparse.Namespace) -> int:
    return handle(ctx, args)
