"""``briefer team …``: the users of a team library and their roles (an admin connection), and what the
connected user may do.  The rules (who may manage users, what each role may change) are the
server's, applied by the store (:mod:`briefer.store.postgres.roles`); this only reads arguments and
prints."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from briefer.errors import KnownError

_ROLES = ("reader", "editor", "admin")
_WHAT_ROLES_DO = {
    "reader": "search, build and export briefings, keep personal templates",
    "editor": "also add, edit, grade, supersede and import facts and sources, write shared templates",
    "admin": "also delete, and manage users",
}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    t = sub.add_parser("team", help="the users of a team library and their roles")
    tsub = t.add_subparsers(dest="team_command", metavar="ACTION", required=True)

    p = tsub.add_parser("add-user", help="create a user of the team library, or change its role (admin)")
    p.add_argument("name", metavar="NAME", help="the database user (a PostgreSQL login role)")
    p.add_argument("--role", required=True, choices=_ROLES, help="; ".join(f"{k}: {v}" for k, v in
                                                                          _WHAT_ROLES_DO.items()))
    how = p.add_mutually_exclusive_group()
    how.add_argument("--password", action="store_true", help="ask for the user's password (typed twice)")
    how.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    p.set_defaults(handler=add_user)

    p = tsub.add_parser("users", help="the team library's users and their roles")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=list_users)

    p = tsub.add_parser("remove-user", help="take a user out of the team library (admin)")
    p.add_argument("name", metavar="NAME")
    p.set_defaults(handler=remove_user)

    p = tsub.add_parser("whoami", help="the connected user, its role and what it may do")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=whoami)


def _password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        if not password:
            raise KnownError("--password-stdin read no password: give it on the first line of stdin")
        return password
    if args.password:
        import getpass

        if not sys.stdin.isatty():
            raise KnownError("--password asks on a terminal; when piping, use --password-stdin")
        first = getpass.getpass(f"Password for {args.name}: ")
        if not first:
            raise KnownError("no password was typed; nothing was changed")
        if getpass.getpass("Again: ") != first:
            raise KnownError("the two passwords differ; nothing was changed")
        return first
    return None


def add_user(ctx: Any, args: argparse.Namespace) -> int:
    store = ctx.store()
    perms = store.permissions()
    if not perms.team or not perms.can_manage_users:
        # before a password is asked for, the store says why not: a local store needs a team library,
        # a connection that is not an admin's is refused
        store.set_team_user(args.name, args.role)
    password = _password(args)
    created = store.set_team_user(args.name, args.role, password=password)
    said = "password set" if password is not None else ("no password (set one with --password)" if created
                                                        else "password unchanged")
    print(f"{'Added' if created else 'Updated'} user {args.name} as {args.role} of the team library ({said})")
    return 0


def list_users(ctx: Any, args: argparse.Namespace) -> int:
    users = ctx.store().team_users()
    if ctx.as_json:
        ctx.print_json(users)
        return 0
    for u in users:
        notes = [] if u["login"] else ["cannot log in"]
        print(f"{u['name']}  {u['role']}" + (f"  ({', '.join(notes)})" if notes else ""))
    print(f"{len(users)} user{'s' if len(users) != 1 else ''}")
    return 0


def remove_user(ctx: Any, args: argparse.Namespace) -> int:
    done = ctx.store().remove_team_user(args.name)
    if done == "removed":
        print(f"Removed user {args.name} from the team library")
    elif done == "kept":
        print(f"Removed user {args.name} from the team library; the login stays, as it is a user of another "
              "library on this server")
    else:
        print(f"Took user {args.name} out of the team library; the login role still owns something on the "
              "server, so it was kept and can no longer log in")
    return 0


def whoami(ctx: Any, args: argparse.Namespace) -> int:
    perms = ctx.store().permissions()
    if ctx.as_json:
        ctx.print_json(perms.to_json())
        return 0
    if not perms.team:
        print("A local store: you may do everything")
        return 0
    print(f"{perms.user}, role {perms.role} of the team library")
    from briefer.model.permissions import DOING

    may = [DOING[k] for k in DOING if perms.allows(k)]
    may_not = [DOING[k] for k in DOING if not perms.allows(k)]
    print("  may: search, build and export briefings, keep personal templates" + (f", {', '.join(may)}" if may else ""))
    if may_not:
        print(f"  may not: {', '.join(may_not)}")
    return 0
