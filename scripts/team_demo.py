"""``make team-demo``: a throwaway PostgreSQL cluster holding a team library with a reader and an editor,
and how to point the window and the CLI at it as each of them.  Ctrl+C stops the cluster and removes
its folder and the demo's own (with its .pgpass).

Logins over TCP need a password (scram-sha-256); the passwords are made up here, printed, and written
to a .pgpass in the demo's temporary folder (never the user's home, never Briefer's files).  The
library is created through Briefer itself (``briefer --store URL team …`` as the cluster's superuser,
over its Unix socket), exactly as an administrator would.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import pg_cluster  # noqa: E402

DB = "briefer"
USERS = (("demo_reader", "reader"), ("demo_editor", "editor"))


@dataclass(frozen=True)
class Demo:
    folder: Path
    port: int
    pgpass: Path
    passwords: dict[str, str]
    users: tuple[tuple[str, str], ...] = USERS
    db: str = DB

    def url(self, user: str) -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{self.db}"


def _briefer(data_dir: Path, store: str, *args: str, stdin: str | None = None) -> str:
    out = subprocess.run([sys.executable, "-m", "briefer", "--data-dir", str(data_dir), "--store", store, *args],
                         input=stdin, capture_output=True, text=True, check=False,
                         env={**os.environ, "PGPASSWORD": "", "PGPASSFILE": str(data_dir / "no-pgpass")})
    if out.returncode:
        raise RuntimeError(f"briefer {' '.join(args)} failed: {out.stderr.strip()}")
    return out.stdout


def prepare(c: pg_cluster.Cluster, folder: Path, *, db: str = DB, users: tuple[tuple[str, str], ...] = USERS) -> Demo:
    """Create the library ``db`` on cluster ``c`` (schema and seed pack, through Briefer), its users with
    fresh passwords, and a .pgpass for them in ``folder``."""
    c.psql(f"CREATE DATABASE {db}")
    admin = f"postgresql://{c.superuser}@/{db}?host={c.socket_dir}&port={c.port}"
    data_dir = folder / "admin-data"
    _briefer(data_dir, admin, "team", "whoami")  # the first open creates the schema and loads the seed pack
    passwords: dict[str, str] = {}
    for user, role in users:
        passwords[user] = secrets.token_urlsafe(12)
        _briefer(data_dir, admin, "team", "add-user", user, "--role", role, "--password-stdin",
                 stdin=passwords[user] + "\n")
    pgpass = folder / "pgpass"
    fd = os.open(pgpass, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.writelines(f"127.0.0.1:{c.port}:{db}:{user}:{pw}\n" for user, pw in passwords.items())
    return Demo(folder, c.port, pgpass, passwords, users, db)


def instructions(demo: Demo) -> str:
    lines = [f"A team library is running on 127.0.0.1:{demo.port} (database {demo.db!r}).", ""]
    for user, role in demo.users:
        lines += [f"As the {role} {user} (password {demo.passwords[user]}):",
                  f"  window: PGPASSFILE={demo.pgpass} BRIEFER_STORE={demo.url(user)} briefer",
                  f"  CLI:    PGPASSFILE={demo.pgpass} briefer --store {demo.url(user)} facts list", ""]
    lines += [f"(The passwords are in {demo.pgpass}; without PGPASSFILE, give PGPASSWORD instead.)",
              f"Use a separate --data-dir for each user to keep their settings apart, e.g. --data-dir {demo.folder}/"
              "reader.",
              "Press Ctrl+C to stop the server and remove it."]
    return "\n".join(lines)


def _stop(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # a terminal closed or a kill stops the server as Ctrl+C does


def main() -> int:
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _stop)
    folder = Path(tempfile.mkdtemp(prefix="briefer-team-demo-"))
    try:
        with pg_cluster.cluster(auth_host="scram-sha-256") as c, contextlib.suppress(KeyboardInterrupt):
            demo = prepare(c, folder)
            print(instructions(demo), flush=True)
            while True:
                time.sleep(3600)
    except pg_cluster.ClusterUnavailable as exc:
        print(f"team-demo: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # while the server was still starting: it was stopped on the way out
        pass
    except RuntimeError as exc:  # a briefer command of the set-up failed: the server is stopped
        print(f"team-demo: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("Stopped the team library and removed its folder.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
