"""``briefer backup FILE`` and ``briefer restore FILE [--force]``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from briefer.backup import KEEP_DIR, BackupInfo, create_backup, restore_backup, verify_backup
from briefer.domain.typography import count


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "backup", help="save the fact store, your templates and settings to one archive (safe while Briefer is open)",
        description="Write the fact store (a consistent copy, even while the window is open), the user "
                    "templates and settings to one zip archive that 'briefer restore' reads back.",
    )
    p.add_argument("file", type=Path, metavar="FILE",
                   help="the archive to write, or a folder to put a dated briefer-….briefer-backup.zip in")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.add_argument("--json", action="store_true", help="print what was saved as JSON")
    p.set_defaults(handler=backup)

    p = sub.add_parser(
        "restore", help="replace the fact store and templates with those in a backup archive",
        description="Check a backup archive completely, keep the current data as a dated archive in "
                    f"<data folder>/{KEEP_DIR}/, then put the backup's fact store and templates in place. "
                    "Close Briefer's window first.",
    )
    p.add_argument("file", type=Path, metavar="FILE", help="an archive written by 'briefer backup'")
    p.add_argument("--force", action="store_true",
                   help="replace the current fact store and templates (they are kept as a dated archive)")
    p.add_argument("--check", action="store_true", help="only check the archive; change nothing")
    p.add_argument("--json", action="store_true", help="print what was restored as JSON")
    p.set_defaults(handler=restore)


def _describe(info: BackupInfo, *, settings: bool | None = None) -> str:
    parts = []
    if info.facts is not None:
        parts.append(count(info.facts, "fact"))
    if info.sources is not None:
        parts.append(count(info.sources, "source"))
    n = len(info.templates)
    parts.append(count(n, "user template"))
    if info.settings if settings is None else settings:
        parts.append("your settings")
    return ", ".join(parts)


def backup(ctx: Any, args: argparse.Namespace) -> int:
    if ctx.store_location() is not None:  # a team library: copied into a local store, archived alike
        info = ctx.store().backup(args.file, overwrite=args.force)
    else:
        info = create_backup(ctx.data_dir, args.file, overwrite=args.force)
    if ctx.as_json:
        ctx.print_json(info.as_json())
    else:
        print(f"Backed up {_describe(info)} (schema {info.schema_version}) to {info.path}")
    return 0


def restore(ctx: Any, args: argparse.Namespace) -> int:
    if args.check:
        info = verify_backup(args.file)
        if ctx.as_json:
            ctx.print_json({"ok": True, **info.as_json()})
        else:
            print(f"{args.file} is a valid backup: {_describe(info)}, schema {info.schema_version}, "
                  f"made {info.created} by Briefer {info.briefer_version}")
        return 0
    url = ctx.store_location()
    if url is not None:
        from briefer.store.library import redact
        from briefer.store.team_backup import restore_team

        result = restore_team(ctx.data_dir, url, args.file, force=args.force)
        into = redact(url)
    else:
        result = restore_backup(ctx.data_dir, args.file, force=args.force)
        into = str(ctx.data_dir)
    info = result.restored
    # a local restore puts the archive's settings back into the data folder (they are that folder's); a
    # team library holds no one's settings: restored into one, they are left out and the user's stay
    settings_restored = info.settings and url is None
    if ctx.as_json:
        ctx.print_json({**info.as_json(), "data_dir": str(ctx.data_dir), "into": into,
                        "kept": str(result.kept) if result.kept else None, "settings_restored": settings_restored})
        return 0
    print(f"Restored {_describe(info, settings=settings_restored)} from {args.file} (made {info.created} by "
          f"Briefer {info.briefer_version}) into {into}")
    if info.settings and not settings_restored:
        print(f"The settings in the backup (analyst name, freshness horizon, export defaults) were not applied: "
              f"they belong to the data folder that was backed up, not to the team library, and yours in "
              f"{ctx.data_dir} are unchanged ('briefer restore FILE' without --store puts them in a local data folder)")
    if result.kept:
        print(f"The data it replaced is kept in {result.kept} ('briefer restore --force' on it brings it back)")
    return 0
